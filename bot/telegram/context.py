"""The typed context handlers get (:class:`BotContext`) and what the application shares.

Kept apart from :mod:`bot.telegram.app` so that handlers, jobs and the sender can
name these types without importing the module that wires them all together.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot import i18n
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.domain import Person
from bot.store import Database

if TYPE_CHECKING:
    from bot.buttons import Parsed
    from bot.outbox.worker import DeliveryWorker
    from bot.zalo.channel import ZaloChannel


class BotData:
    """What the whole application shares (``application.bot_data``)."""

    def __init__(self) -> None:
        self.db: Database | None = None
        self.owns_db = False
        self.clock: Clock = SystemClock()
        self.settings: Settings = Settings()
        self.zalo: ZaloChannel | None = None
        """The Zalo channel, started in ``post_init`` when ``ZALO_BOT_TOKEN`` is set."""
        self.delivery: DeliveryWorker | None = None
        """The outbox delivery worker (None when offline: tests, terminal chat)."""
        self.seen: dict[int, tuple[tuple[object, ...], dt.datetime]] = {}
        """Telegram user id → (name, username, language code, admin) and when last written."""
        self.chat_turns: dict[int, asyncio.Lock] = {}
        """Chat id → the lock questions from that chat take in turn (see :func:`in_turn`)."""


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler gets: typed access to the store, clock and settings."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self.person: Person | None = None
        """The person who sent the update (set by the group -1 handler)."""
        self.lang: str = i18n.DEFAULT_LANG
        """The language chosen for this update."""
        self.in_group = False
        """True when the update came from a group chat."""
        self.group_class_id: int | None = None
        """The class linked to the group chat the update came from, if any."""
        self.first_contact = False
        """True when this update created the person."""
        self.button: Parsed | None = None
        """A tapped button's data, parsed by :func:`bot.buttons.parse` (group -1)."""

    @property
    def store(self) -> Database:
        db = self.bot_data.db
        if db is None:
            raise RuntimeError("the database is not open (post_init has not run)")
        return db

    @property
    def clock(self) -> Clock:
        return self.bot_data.clock

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    def now(self) -> dt.datetime:
        return self.bot_data.clock.now()


BotApp = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]


async def settle(app: BotApp) -> None:
    """Wait until the handlers running with ``block=False`` have finished."""
    # PTB keeps these tasks in a private set (it awaits them itself only in ``stop()``).
    pending: set[asyncio.Task[Any]] = getattr(app, "_Application__create_task_tasks", set())
    while pending:
        await asyncio.gather(*list(pending), return_exceptions=True)


@contextlib.asynccontextmanager
async def in_turn(context: BotContext, chat_id: int) -> AsyncIterator[None]:
    """Run one question of ``chat_id`` after the ones it sent before (answers in order).

    Questions run as ``block=False`` tasks so a slow answer does not hold up other
    chats; without this, "/today" then "/tomorrow" sent quickly could be answered in
    the other order when the first needs the database and the second does not.
    Tasks start in the order updates arrive and ``asyncio.Lock`` is fair, so each
    chat's questions are answered one after the other, in order.
    """
    turns = context.bot_data.chat_turns
    lock = turns.get(chat_id)
    if lock is None:
        lock = turns[chat_id] = asyncio.Lock()
    try:
        async with lock:
            yield
    finally:
        if not lock.locked() and turns.get(chat_id) is lock:
            del turns[chat_id]  # nobody waiting: forget the chat
