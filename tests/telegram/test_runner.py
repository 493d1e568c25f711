"""Webhook set-up: the secret token is generated when missing and checked on every request."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import inspect
import json
import socket

import httpx

from bot.clock import FakeClock
from bot.store import Database
from bot.telegram import webhook as webhook_module
from bot.telegram.app import build_application, running
from bot.telegram.context import settle
from bot.telegram.runner import secrets_of, webhook_options
from bot.telegram.webhook import TelegramWebhook
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
        server = TelegramWebhook(
            app, host="127.0.0.1", port=port, path=options.url_path, secret=options.secret_token
        )
        await server.start()
        try:
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
            await server.stop()


def test_secrets_of_lists_every_token() -> None:
    settings = app_settings(
        bot_token="1:abc", zalo_bot_token="zalo-token", webhook_secret="w", zalo_webhook_secret="z"
    )
    assert secrets_of(settings) == ["1:abc", "w", "zalo-token", "z"]


async def _raw(port: int, head: str, body: bytes = b"") -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head.encode() + body)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(200), 5)
    finally:
        writer.close()


async def test_the_webhook_refuses_a_big_or_unauthenticated_body_before_reading_it(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    """12: 60 MB announced: 413 (right secret) or 403 (wrong secret) at once, with none of the
    body sent; a chunked body past the limit is cut off; nothing reaches the application."""
    settings = app_settings()
    app = build_application(settings, db=db, request=request_recorder, clock=clock)
    async with running(app):
        server = TelegramWebhook(app, host="127.0.0.1", port=0, path="hook", secret="right-one")
        port = await server.start()
        try:
            big = "Content-Length: 60000000\r\nContent-Type: application/json\r\n"
            right = "X-Telegram-Bot-Api-Secret-Token: right-one\r\n"
            wrong = "X-Telegram-Bot-Api-Secret-Token: wrong-one\r\n"
            head = "POST /hook HTTP/1.1\r\nHost: x\r\n"
            assert (await _raw(port, head + big + right + "\r\n")).startswith(b"HTTP/1.1 413")
            assert (await _raw(port, head + big + wrong + "\r\n")).startswith(b"HTTP/1.1 403")
            assert (await _raw(port, head + big + "\r\n")).startswith(b"HTTP/1.1 403")
            chunk = b"%x\r\n%s\r\n" % (500_000, b"x" * 500_000)
            chunked = head + right + "Transfer-Encoding: chunked\r\n\r\n"
            answer = await _raw(port, chunked, chunk * 3)
            assert not answer.startswith(b"HTTP/1.1 200")
            assert app.update_queue.qsize() == 0
        finally:
            await server.stop()


def test_the_secret_is_compared_in_constant_time() -> None:
    """Telegram's webhook is guarded by the shared handler, which compares with hmac."""
    from bot import webhooks

    assert issubclass(webhook_module._UpdateHandler, webhooks.GuardedJsonHandler)
    source = inspect.getsource(webhooks)
    assert "hmac.compare_digest" in source and "!= self.secret" not in source
