"""The Zalo channel's start-up: token check, polling without a webhook URL, webhook with one."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.domain import Channel
from bot.outbox.sender import Rejected
from bot.outbox.worker import DeliveryWorker
from bot.store import Database
from bot.zalo.channel import ZaloChannel
from bot.zalo.sender import ZALO_LIMITS
from tests.helpers.app import feed, started_app
from tests.helpers.sample import seed
from tests.helpers.telegram import RecordingRequest, message_update
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update


def zalo_settings(server: FakeZaloServer, **changes: object) -> Settings:
    return dataclasses.replace(Settings(), zalo_bot_token=TOKEN, zalo_api_url=server.url, **changes)


async def test_without_webhook_url_it_removes_the_webhook_and_polls(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    channel = ZaloChannel(zalo_settings(zalo_server), db, clock, poll_wait=1)
    await channel.start()
    try:
        zalo_server.push_update(text_update("xin chào", user_id="zu1"))
        await zalo_server.wait_until(lambda: len(zalo_server.messages("zu1")) == 1)
    finally:
        await channel.stop()
    assert [c.method for c in zalo_server.calls[:2]] == ["getMe", "deleteWebhook"]
    assert "3. English" in zalo_server.messages("zu1")[0]


async def test_with_webhook_url_it_registers_and_serves_the_webhook(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    settings = zalo_settings(
        zalo_server,
        zalo_webhook_url="https://bot.example.org/zalo/hook",
        zalo_webhook_secret="s3cret-value-1",
        zalo_webhook_port=0,
    )
    channel = ZaloChannel(settings, db, clock)
    await channel.start()
    try:
        assert zalo_server.webhook == {
            "url": "https://bot.example.org/zalo/hook",
            "secret_token": "s3cret-value-1",
        }
        assert channel.webhook is not None
        url = f"http://127.0.0.1:{channel.webhook.port}/zalo/hook"
        async with httpx.AsyncClient(timeout=5) as http:
            refused = await http.post(
                url, json=text_update("hi"), headers={"X-Bot-Api-Secret-Token": "nope"}
            )
            taken = await http.post(
                url,
                json=text_update("xin chào", user_id="zu2"),
                headers={"X-Bot-Api-Secret-Token": "s3cret-value-1"},
            )
    finally:
        await channel.stop()
    assert (refused.status_code, taken.status_code) == (403, 200)
    assert len(zalo_server.messages("zu2")) == 1  # handled after the 200, before the stop


async def test_a_generated_secret_is_used_when_none_is_configured(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    settings = zalo_settings(
        zalo_server, zalo_webhook_url="https://x.example/z", zalo_webhook_port=0
    )
    channel = ZaloChannel(settings, db, clock)
    await channel.start()
    await channel.stop()
    assert len(zalo_server.webhook["secret_token"]) >= 32


async def test_a_wrong_token_stops_the_start(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    settings = dataclasses.replace(zalo_settings(zalo_server), zalo_bot_token="9:wrong")
    channel = ZaloChannel(settings, db, clock)
    with pytest.raises(Rejected):
        await channel.start()
    await channel.stop()


async def test_the_channel_registers_its_sender_with_the_delivery_worker(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    channel = ZaloChannel(zalo_settings(zalo_server), db, clock)
    worker = DeliveryWorker(db, [], clock)
    channel.register_with(worker)
    await channel.stop()
    assert worker.senders[Channel.ZALO] is channel.sender
    assert worker.limits[Channel.ZALO] == ZALO_LIMITS


async def test_the_application_serves_telegram_and_zalo_together(
    zalo_server: FakeZaloServer,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
) -> None:
    await seed(db, clock.now())
    settings = {"zalo_bot_token": TOKEN, "zalo_api_url": zalo_server.url}
    async with started_app(db, clock, request_recorder, **settings) as app:
        zalo = app.bot_data.zalo
        worker = app.bot_data.delivery
        assert zalo is not None and worker is not None
        assert worker.senders[Channel.ZALO] is zalo.sender
        await feed(app, message_update("/today", user_id=501, language_code="lo"))
        zalo_server.push_update(text_update("lịch hôm nay", user_id="zu1"))
        await zalo_server.wait_until(lambda: len(zalo_server.messages("zu1")) == 1)
    assert app.bot_data.zalo is None  # stopped with the application
    (today,) = request_recorder.messages(501)
    assert "ພິທີເປີດການຝຶກອົບຮົມ" in today.text  # the Lao opening ceremony, on Telegram


async def test_a_webhook_url_without_a_path_is_served_where_it_is_registered(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    settings = zalo_settings(
        zalo_server,
        zalo_webhook_url="https://bot.example.org",
        zalo_webhook_secret="s3cret-value-2",
        zalo_webhook_port=0,
    )
    channel = ZaloChannel(settings, db, clock)
    await channel.start()
    try:
        registered = zalo_server.webhook["url"]
        assert registered == "https://bot.example.org/zalo/webhook"
        assert channel.webhook is not None
        local = registered.replace(
            "https://bot.example.org", f"http://127.0.0.1:{channel.webhook.port}"
        )
        status, _seconds = await zalo_server.post_webhook(
            local, text_update("xin chào", user_id="zu4")
        )
        update = text_update("xin chào", user_id="zu5")
        await zalo_server.post_webhook(local, update)
        await zalo_server.post_webhook(local, update)  # Zalo re-posts what it thinks failed
    finally:
        await channel.stop()
    assert status == 200
    assert len(zalo_server.delivered("zu4")) == 1
    assert len(zalo_server.delivered("zu5")) == 1
