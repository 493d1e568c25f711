"""Zalo without Telegram: the application runs offline and Zalo answers."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from bot.config import Settings
from bot.telegram.zalo_only import OfflineRequest, serve
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update


async def test_zalo_alone_answers_and_never_calls_telegram(
    zalo_server: FakeZaloServer, tmp_path: Path
) -> None:
    settings = dataclasses.replace(
        Settings(),
        db_path=str(tmp_path / "alone.db"),
        zalo_bot_token=TOKEN,
        zalo_api_url=zalo_server.url,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    try:
        await zalo_server.wait_until(
            lambda: any(c.method == "getUpdates" for c in zalo_server.calls)
        )
        zalo_server.push_update(text_update("lịch hôm nay", user_id="zu9"))
        await zalo_server.wait_until(lambda: len(zalo_server.messages("zu9")) == 1)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert "mã mời" in zalo_server.messages("zu9")[0]


async def test_the_offline_request_answers_locally() -> None:
    request = OfflineRequest()
    status, body = await request.do_request("https://api.telegram.org/bot0:x/getMe", "POST")
    assert status == 200 and b'"is_bot": true' in body
