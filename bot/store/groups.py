"""Group chats linked to a class (one class per group chat)."""

from __future__ import annotations

import datetime as dt

from bot.domain import Channel
from bot.store.database import Database, utc_text


async def class_id_of(db: Database, channel: Channel, chat_id: str) -> int | None:
    """The id of the class a group chat is linked to, if any."""
    row = await db.fetchone(
        "SELECT class_id FROM group_chats WHERE channel = ? AND chat_id = ?", (channel, chat_id)
    )
    return int(row[0]) if row else None


async def chats_of(db: Database, class_id: int) -> list[tuple[Channel, str]]:
    """The group chats linked to a class, oldest link first."""
    rows = await db.fetchall(
        "SELECT channel, chat_id FROM group_chats WHERE class_id = ? ORDER BY linked_at",
        (class_id,),
    )
    return [(Channel(r[0]), str(r[1])) for r in rows]


async def link(
    db: Database, channel: Channel, chat_id: str, class_id: int, person_id: int, now: dt.datetime
) -> None:
    """Link a group chat to a class, replacing any previous link."""
    await db.execute(
        "INSERT INTO group_chats (channel, chat_id, class_id, linked_by, linked_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET "
        "class_id = excluded.class_id, linked_by = excluded.linked_by, "
        "linked_at = excluded.linked_at",
        (channel, chat_id, class_id, person_id, utc_text(now)),
    )


async def unlink(db: Database, channel: Channel, chat_id: str) -> None:
    await db.execute(
        "DELETE FROM group_chats WHERE channel = ? AND chat_id = ?", (channel, chat_id)
    )
