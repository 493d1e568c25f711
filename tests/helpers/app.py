"""The Telegram application wired to the recording Bot API, and a way to feed it updates."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

from telegram import Update

from bot.clock import Clock
from bot.config import Settings
from bot.store import Database
from bot.telegram.app import build_application, running
from bot.telegram.context import BotApp, settle
from tests.helpers.telegram import BOT_USERNAME, RecordingRequest


def app_settings(**changes: Any) -> Settings:
    """Settings for tests: no token (the fake request stands in), the test bot's username."""
    return dataclasses.replace(Settings(bot_username=BOT_USERNAME), **changes)


@contextlib.asynccontextmanager
async def started_app(
    db: Database, clock: Clock, request: RecordingRequest, **settings: Any
) -> AsyncIterator[BotApp]:
    """A started application on ``db``; the start-up calls are cleared from ``request``."""
    app = build_application(app_settings(**settings), db=db, request=request, clock=clock)
    async with running(app):
        request.clear()
        yield app


async def feed(app: BotApp, data: dict[str, Any]) -> None:
    """Process one update (JSON as Telegram sends it) and wait for every handler to finish."""
    await app.process_update(Update.de_json(data, app.bot))
    await settle(app)
