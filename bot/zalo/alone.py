"""Running the bot on Zalo only (``ZALO_BOT_TOKEN`` set, no ``BOT_TOKEN``).

The Telegram application still runs, offline, because it owns the start-up
hooks, the reminder jobs and the outbox worker; an :class:`OfflineRequest`
answers its few Bot API calls locally so nothing is sent to Telegram. Zalo
itself is started by the application's ``post_init`` (:mod:`bot.app`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import signal
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot import logs
from bot.app import build_application, running
from bot.config import Settings

log = logging.getLogger(__name__)

_ME = {
    "id": 1,
    "is_bot": True,
    "first_name": "classbot",
    "username": "classbot_offline_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


class OfflineRequest(BaseRequest):
    """Stands in for the Telegram Bot API when only Zalo is configured: nothing leaves."""

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        result: Any = _ME if api_method == "getMe" else True
        if api_method == "getUpdates":
            result = []
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def serve(settings: Settings, stop: asyncio.Event) -> None:
    """Run the offline application (and so Zalo) until ``stop`` is set."""
    if not settings.zalo_bot_token:
        raise ValueError("ZALO_BOT_TOKEN is not set")
    offline = dataclasses.replace(settings, bot_token="", webhook_url="")
    app = build_application(offline, request=OfflineRequest())
    async with running(app):
        log.info("event=zalo_only")
        await stop.wait()


def run_zalo(settings: Settings, secrets: list[str]) -> int:
    """Serve Zalo until interrupted (blocking)."""
    logs.configure(settings.log_level, secrets)

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)
        return 0

    return asyncio.run(main())
