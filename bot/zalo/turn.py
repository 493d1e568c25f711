"""One Zalo message being answered: who wrote, in which chat and language, when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.domain import Person
from bot.store.database import Database

Resync = Callable[[tuple[int, ...]], Awaitable[None]]
"""Re-derives the reminder jobs of these classes (the application's job queue)."""


@dataclass(frozen=True, slots=True)
class Turn:
    """What every Zalo answer needs to know."""

    db: Database
    person: Person
    chat_id: str
    lang: str
    now: dt.datetime
    settings: Settings
    resync: Resync | None = None
