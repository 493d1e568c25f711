"""Running the bot on Zalo only (``ZALO_BOT_TOKEN`` set, no ``BOT_TOKEN``).

The Telegram application still runs, offline, because it owns the start-up
hooks, the reminder jobs and the outbox worker; an :class:`OfflineRequest`
answers its few Bot API calls locally so nothing is sent to Telegram. Zalo
itself is started by the application's ``post_init`` (:mod:`bot.telegram.app`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal

from bot import logs
from bot.config import Settings
from bot.telegram.app import build_application, running
from bot.telegram.offline_api import LocalBotApi

log = logging.getLogger(__name__)


class OfflineRequest(LocalBotApi):
    """Stands in for the Telegram Bot API when only Zalo is configured: nothing leaves."""


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
