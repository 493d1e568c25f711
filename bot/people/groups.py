"""Group chats linked to a class: the bot answers there for that class, when addressed."""

from __future__ import annotations

import datetime as dt

from bot.domain import Channel, Person, TrainingClass
from bot.people import permissions
from bot.store import audit, classes
from bot.store.database import Database, utc_text


async def linked_class(db: Database, channel: Channel, chat_id: str) -> TrainingClass | None:
    """The class a group chat is linked to, if any."""
    row = await db.fetchone(
        "SELECT class_id FROM group_chats WHERE channel = ? AND chat_id = ?", (channel, chat_id)
    )
    return await classes.get_class(db, int(row[0])) if row else None


async def group_chats(db: Database, class_id: int) -> list[tuple[Channel, str]]:
    """The group chats linked to a class (for announcements)."""
    rows = await db.fetchall(
        "SELECT channel, chat_id FROM group_chats WHERE class_id = ? ORDER BY linked_at",
        (class_id,),
    )
    return [(Channel(r[0]), str(r[1])) for r in rows]


async def link(
    db: Database,
    person: Person,
    class_id: int,
    *,
    channel: Channel,
    chat_id: str,
    now: dt.datetime,
) -> None:
    """Link (or re-link) a group chat to a class; the person must manage the class."""
    await permissions.require(db, person, class_id, permissions.MANAGERS)
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO group_chats (channel, chat_id, class_id, linked_by, linked_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET "
            "class_id = excluded.class_id, linked_by = excluded.linked_by, "
            "linked_at = excluded.linked_at",
            (channel, chat_id, class_id, person.id, utc_text(now)),
        )
        await audit.record(
            db,
            action="group.link",
            actor=person.display_name,
            actor_person_id=person.id,
            class_id=class_id,
            now=now,
            details={"channel": channel.value, "chat_id": chat_id},
        )


async def unlink(
    db: Database, person: Person, *, channel: Channel, chat_id: str, now: dt.datetime
) -> bool:
    """Unlink a group chat; the person must manage the class it was linked to."""
    cls = await linked_class(db, channel, chat_id)
    if cls is None:
        return False
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM group_chats WHERE channel = ? AND chat_id = ?", (channel, chat_id)
        )
        await audit.record(
            db,
            action="group.unlink",
            actor=person.display_name,
            actor_person_id=person.id,
            class_id=cls.id,
            now=now,
            details={"channel": channel.value, "chat_id": chat_id},
        )
    return True
