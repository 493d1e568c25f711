"""Numbered choices last shown in a chat, for channels without buttons (Zalo).

When a message with buttons goes to a Zalo chat, its actions are stored here
in number order; a later reply "2" picks the second action. Stored in the
database so a restart does not lose what the person was asked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from bot.domain import Channel
from bot.store.database import Database, utc_text


async def remember(
    db: Database, channel: Channel, chat_id: str, actions: Sequence[str], now: dt.datetime
) -> None:
    """Replace the chat's choices with ``actions`` (choice 1 is ``actions[0]``)."""
    await db.execute(
        "INSERT INTO pending_choices (channel, chat_id, actions, shown_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (channel, chat_id) DO UPDATE SET actions = excluded.actions, "
        "shown_at = excluded.shown_at",
        (channel, chat_id, json.dumps(list(actions), ensure_ascii=False), utc_text(now)),
    )


async def recall(db: Database, channel: Channel, chat_id: str) -> list[str]:
    """The actions last shown in the chat, in number order (empty if none)."""
    row = await db.fetchone(
        "SELECT actions FROM pending_choices WHERE channel = ? AND chat_id = ?", (channel, chat_id)
    )
    return [str(a) for a in json.loads(row[0])] if row else []


async def pick(db: Database, channel: Channel, chat_id: str, number: int) -> str | None:
    """The action behind choice ``number`` (1-based), or ``None`` if there is no such choice."""
    actions = await recall(db, channel, chat_id)
    return actions[number - 1] if 1 <= number <= len(actions) else None


async def forget(db: Database, channel: Channel, chat_id: str) -> None:
    await db.execute(
        "DELETE FROM pending_choices WHERE channel = ? AND chat_id = ?", (channel, chat_id)
    )
