"""The pocket on Zalo: the card, contacts, materials and roster answers, and row invites.

Two calls from :mod:`bot.zalo.conversation`: :func:`answer` before the agenda's
parser (a Zalo chat with the bot is always private), :func:`joined` after an
invite code was redeemed (a roster row's own code matches the person to it).
"""

from __future__ import annotations

import datetime as dt

from bot.domain import Channel, Person, Role, TrainingClass
from bot.pocket import ask, roster
from bot.replies import Reply
from bot.store.database import Database


async def answer(
    db: Database,
    person: Person,
    found: tuple[TrainingClass, Role | None] | None,
    text: str,
    lang: str,
    now: dt.datetime,
) -> list[Reply] | None:
    """The pocket's replies to ``text``, or None when it is not a pocket question."""
    return await ask.answer(
        db, person, found, text, lang=lang, now=now, channel=Channel.ZALO, private=True
    )


async def joined(db: Database, code: str, person: Person) -> None:
    await roster.claim(db, code, person)
