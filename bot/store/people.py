"""Queries over persons, their channel identities and their class memberships."""

from __future__ import annotations

import datetime as dt
import sqlite3

from bot.domain import Channel, Identity, Member, Membership, Person, Role
from bot.store.classes import time_from, time_text
from bot.store.database import Database, parse_utc, utc_text

PERSON_COLUMNS = (
    "p.id, p.display_name, p.lang, p.active_class_id, p.is_admin, p.last_channel, p.remind, "
    "p.digest_time, p.quiet_start, p.quiet_end"
)


def person_from_row(row: sqlite3.Row) -> Person:
    return Person(
        id=row["id"],
        display_name=row["display_name"],
        lang=row["lang"],
        active_class_id=row["active_class_id"],
        is_admin=bool(row["is_admin"]),
        last_channel=Channel(row["last_channel"]) if row["last_channel"] else None,
        remind=bool(row["remind"]),
        digest_time=time_from(row["digest_time"]),
        quiet_start=dt.time.fromisoformat(row["quiet_start"]),
        quiet_end=dt.time.fromisoformat(row["quiet_end"]),
    )


def identity_from_row(row: sqlite3.Row) -> Identity:
    return Identity(
        channel=Channel(row["channel"]),
        external_id=row["external_id"],
        chat_id=row["chat_id"],
        person_id=row["person_id"],
        reachable=bool(row["reachable"]),
        language_code=row["language_code"],
    )


async def get_person(db: Database, person_id: int) -> Person | None:
    row = await db.fetchone(f"SELECT {PERSON_COLUMNS} FROM persons p WHERE p.id = ?", (person_id,))
    return person_from_row(row) if row else None


async def find_identity(db: Database, channel: Channel, external_id: str) -> Identity | None:
    row = await db.fetchone(
        "SELECT * FROM identities WHERE channel = ? AND external_id = ?", (channel, external_id)
    )
    return identity_from_row(row) if row else None


async def identities_of(db: Database, person_id: int) -> list[Identity]:
    rows = await db.fetchall(
        "SELECT * FROM identities WHERE person_id = ? ORDER BY last_seen_at DESC", (person_id,)
    )
    return [identity_from_row(r) for r in rows]


async def upsert_identity(
    db: Database,
    *,
    channel: Channel,
    external_id: str,
    chat_id: str,
    display_name: str,
    language_code: str | None,
    username: str = "",
    now: dt.datetime,
    is_admin: bool = False,
) -> tuple[Person, Identity, bool]:
    """Record that someone wrote to us; creates the person on first contact.

    Returns the person, the identity and whether the person is new. Writing
    to the bot also makes an identity reachable again (they unblocked us).
    """
    async with db.transaction() as conn:
        existing = await find_identity(db, channel, external_id)
        created = existing is None
        if existing is None:
            cur = await conn.execute(
                "INSERT INTO persons (display_name, is_admin, last_channel, created_at) "
                "VALUES (?, ?, ?, ?)",
                (display_name, int(is_admin), channel, utc_text(now)),
            )
            person_id = cur.lastrowid
            await conn.execute(
                "INSERT INTO identities (channel, external_id, person_id, chat_id, username, "
                "language_code, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (channel, external_id, person_id, chat_id, username, language_code, utc_text(now)),
            )
        else:
            person_id = existing.person_id
            await conn.execute(
                "UPDATE identities SET chat_id = ?, username = ?, language_code = ?, "
                "reachable = 1, unreachable_reason = '', last_seen_at = ? "
                "WHERE channel = ? AND external_id = ?",
                (chat_id, username, language_code, utc_text(now), channel, external_id),
            )
            await conn.execute(
                "UPDATE persons SET display_name = ?, last_channel = ?, "
                "is_admin = MAX(is_admin, ?) WHERE id = ?",
                (display_name, channel, int(is_admin), person_id),
            )
    person = await get_person(db, int(person_id or 0))
    identity = await find_identity(db, channel, external_id)
    assert person is not None and identity is not None
    return person, identity, created


async def set_lang(db: Database, person_id: int, lang: str) -> None:
    await db.execute("UPDATE persons SET lang = ? WHERE id = ?", (lang, person_id))


async def set_active_class(db: Database, person_id: int, class_id: int | None) -> None:
    await db.execute("UPDATE persons SET active_class_id = ? WHERE id = ?", (class_id, person_id))


async def set_admin(db: Database, person_id: int, is_admin: bool) -> None:
    await db.execute("UPDATE persons SET is_admin = ? WHERE id = ?", (int(is_admin), person_id))


async def set_reminder_prefs(
    db: Database,
    person_id: int,
    *,
    remind: bool | None = None,
    digest_time: dt.time | None = None,
    clear_digest_time: bool = False,
    quiet: tuple[dt.time, dt.time] | None = None,
) -> None:
    async with db.transaction() as conn:
        if remind is not None:
            await conn.execute(
                "UPDATE persons SET remind = ? WHERE id = ?", (int(remind), person_id)
            )
        if digest_time is not None or clear_digest_time:
            await conn.execute(
                "UPDATE persons SET digest_time = ? WHERE id = ?",
                (time_text(digest_time), person_id),
            )
        if quiet is not None:
            await conn.execute(
                "UPDATE persons SET quiet_start = ?, quiet_end = ? WHERE id = ?",
                (time_text(quiet[0]), time_text(quiet[1]), person_id),
            )


async def mark_unreachable(db: Database, channel: Channel, chat_id: str, reason: str) -> None:
    """The channel told us this chat is gone (blocked, deactivated)."""
    await db.execute(
        "UPDATE identities SET reachable = 0, unreachable_reason = ? "
        "WHERE channel = ? AND chat_id = ?",
        (reason, channel, chat_id),
    )


async def add_member(
    db: Database, class_id: int, person_id: int, role: Role, now: dt.datetime
) -> Membership:
    """Enrol (or change the role of) a person in a class."""
    await db.execute(
        "INSERT INTO members (class_id, person_id, role, joined_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (class_id, person_id) DO UPDATE SET role = excluded.role",
        (class_id, person_id, role, utc_text(now)),
    )
    membership = await get_membership(db, class_id, person_id)
    assert membership is not None
    return membership


async def remove_member(db: Database, class_id: int, person_id: int) -> bool:
    async with db.transaction() as conn:
        cur = await conn.execute(
            "DELETE FROM members WHERE class_id = ? AND person_id = ?", (class_id, person_id)
        )
        await conn.execute(
            "UPDATE persons SET active_class_id = NULL WHERE id = ? AND active_class_id = ?",
            (person_id, class_id),
        )
        return cur.rowcount > 0


async def get_membership(db: Database, class_id: int, person_id: int) -> Membership | None:
    row = await db.fetchone(
        "SELECT class_id, person_id, role, joined_at FROM members "
        "WHERE class_id = ? AND person_id = ?",
        (class_id, person_id),
    )
    if row is None:
        return None
    return Membership(row[0], row[1], Role(row[2]), parse_utc(row[3]))


async def memberships_of(db: Database, person_id: int) -> list[Membership]:
    rows = await db.fetchall(
        "SELECT m.class_id, m.person_id, m.role, m.joined_at FROM members m "
        "JOIN classes c ON c.id = m.class_id WHERE m.person_id = ? ORDER BY c.first_day, c.code",
        (person_id,),
    )
    return [Membership(r[0], r[1], Role(r[2]), parse_utc(r[3])) for r in rows]


async def class_members(
    db: Database, class_id: int, roles: tuple[Role, ...] = tuple(Role)
) -> list[Member]:
    """Members of a class with the given roles; ``reachable`` if any identity is."""
    marks = ",".join("?" * len(roles))
    rows = await db.fetchall(
        f"SELECT {PERSON_COLUMNS}, m.role, "
        "COALESCE((SELECT MAX(i.reachable) FROM identities i WHERE i.person_id = p.id), 0) "
        "AS any_reachable "
        "FROM members m JOIN persons p ON p.id = m.person_id "
        f"WHERE m.class_id = ? AND m.role IN ({marks}) ORDER BY p.display_name, p.id",
        (class_id, *roles),
    )
    return [Member(person_from_row(r), Role(r["role"]), bool(r["any_reachable"])) for r in rows]
