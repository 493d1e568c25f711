"""Webhook set-up: the secret token is generated when missing and checked on every request."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import socket

import httpx

from bot.clock import FakeClock
from bot.store import Database
from bot.telegram.app import build_application, running
from bot.telegram.context import settle
from bot.telegram.runner import secrets_of, webhook_options
from tests.helpers.app import app_settings
from tests.helpers.cldr import day
from tests.helpers.sample import seed
from tests.helpers.telegram import RecordingRequest, message_update


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_missing_secret_is_generated_and_the_path_comes_from_the_url() -> None:
    settings = app_settings(webhook_url="https://bot.example.org/tg/hook", webhook_port=9000)
    first, second = webhook_options(settings), webhook_options(settings)
    assert first.generated_secret and len(first.secret_token) >= 40
    assert first.secret_token != second.secret_token
    assert (first.url_path, first.port) == ("tg/hook", 9000)
    given = webhook_options(dataclasses.replace(settings, webhook_secret="s3cr3t-value"))
    assert (given.secret_token, given.generated_secret) == ("s3cr3t-value", False)
    assert "s3cr3t-value" in secrets_of(
        dataclasses.replace(settings, webhook_secret="s3cr3t-value")
    )


async def test_the_webhook_refuses_a_wrong_secret_and_serves_the_right_one(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    await seed(db, clock.now())
    port = free_port()
    settings = app_settings(
        webhook_url=f"https://bot.example.org/hook-{port}",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret="right-secret-token",
    )
    options = webhook_options(settings)
    app = build_application(settings, db=db, request=request_recorder, clock=clock)
    async with running(app):
        assert app.updater is not None
        await app.updater.start_webhook(**options.kwargs())
        try:
            [set_hook] = request_recorder.sent("setWebhook")
            assert set_hook.params["secret_token"] == "right-secret-token"
            assert set_hook.params["url"] == f"https://bot.example.org/hook-{port}"
            body = json.dumps(message_update("/today", user_id=501)).encode()
            url = f"http://127.0.0.1:{port}/hook-{port}"
            async with httpx.AsyncClient() as client:
                wrong = await client.post(
                    url,
                    content=body,
                    headers={
                        "Content-Type": "application/json",
                        "X-Telegram-Bot-Api-Secret-Token": "wrong",
                    },
                )
                missing = await client.post(
                    url, content=body, headers={"Content-Type": "application/json"}
                )
                right = await client.post(
                    url,
                    content=body,
                    headers={
                        "Content-Type": "application/json",
                        "X-Telegram-Bot-Api-Secret-Token": "right-secret-token",
                    },
                )
            assert (wrong.status_code, missing.status_code, right.status_code) == (403, 403, 200)
            await app.update_queue.join()
            await settle(app)
            [answer] = request_recorder.sent("sendMessage", 501)
            assert day(dt.date(2024, 7, 15), "lo") in answer.text
        finally:
            await app.updater.stop()


def test_secrets_of_lists_every_token() -> None:
    settings = app_settings(
        bot_token="1:abc", zalo_bot_token="zalo-token", webhook_secret="w", zalo_webhook_secret="z"
    )
    assert secrets_of(settings) == ["1:abc", "w", "zalo-token", "z"]
