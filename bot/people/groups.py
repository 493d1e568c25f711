"""Group chats linked to a class: the bot answers there for that class, when addressed."""

from __future__ import annotations

import datetime as dt

from bot.domain import Channel, Person, TrainingClass
from bot.people import permissions
from bot.store import audit, classes
from bot.store import groups as store
from bot.store.database import Database


async def linked_class(db: Database, channel: Channel, chat_id: str) -> TrainingClass | None:
    """The class a group chat is linked to, if any."""
    class_id = await store.class_id_of(db, channel, chat_id)
    return await classes.get_class(db, class_id) if class_id is not None else None


async def group_chats(db: Database, class_id: int) -> list[tuple[Channel, str]]:
    """The group chats linked to a class (for announcements)."""
    return await store.chats_of(db, class_id)


async def link(
    db: Database,
    person: Person,
    class_id: int,
    *,
    channel: Channel,
    chat_id: str,
    now: dt.datetime,
) -> None:
    """Link (or re-link) a group chat to a class; the person must manage the class.

    Moving a group linked to another class also needs a manager's role in that
    class (a manager of one class cannot take over another class's group), and
    both classes' audit logs record the move.
    """
    await permissions.require(db, person, class_id, permissions.MANAGERS)
    current = await linked_class(db, channel, chat_id)
    moved = current is not None and current.id != class_id
    if current is not None and moved:
        await permissions.require(db, person, current.id, permissions.MANAGERS)
    details: dict[str, object] = {"channel": channel.value, "chat_id": chat_id}
    if current is not None and moved:
        target = await classes.get_class(db, class_id)
        details |= {"from": current.code, "to": target.code if target else class_id}
    async with db.transaction():
        await store.link(db, channel, chat_id, class_id, person.id, now)
        for logged in ([current.id] if current is not None and moved else []) + [class_id]:
            await audit.record(
                db,
                action="group.relink" if moved else "group.link",
                actor=person.display_name,
                actor_person_id=person.id,
                class_id=logged,
                now=now,
                details=details,
            )


async def unlink(
    db: Database, person: Person, *, channel: Channel, chat_id: str, now: dt.datetime
) -> bool:
    """Unlink a group chat; the person must manage the class it was linked to."""
    cls = await linked_class(db, channel, chat_id)
    if cls is None:
        return False
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    async with db.transaction():
        await store.unlink(db, channel, chat_id)
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
