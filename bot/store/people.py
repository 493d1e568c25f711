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
    is_admin: bool | None = None,
) -> tuple[Person, Identity, bool]:
    """Record that someone wrote to us; creates the person on first contact.

    Returns the person, the identity and whether the person is new. Writing
    to the bot also makes an identity reachable again (they unblocked us).
    ``is_admin``: whether this identity is in ``ADMIN_IDS`` now (None: not known
    on this channel, unchanged); a person is a global admin while configured so
    or explicitly promoted (:func:`set_admin`).
    """
    configured = None if is_admin is None else int(is_admin)
    async with db.transaction() as conn:
        existing = await find_identity(db, channel, external_id)
        created = existing is None
        if existing is None:
            cur = await conn.execute(
                "INSERT INTO persons (display_name, is_admin, admin_configured, last_channel, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (display_name, configured or 0, configured or 0, channel, utc_text(now)),
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
                "admin_configured = COALESCE(?, admin_configured) WHERE id = ?",
                (display_name, channel, configured, person_id),
            )
            await conn.execute(
                "UPDATE persons SET is_admin = MAX(admin_configured, admin_promoted) WHERE id = ?",
                (person_id,),
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
    """Promote to global admin, or revoke a promotion (``ADMIN_IDS`` stays in force)."""
    await db.execute(
        "UPDATE persons SET admin_promoted = ?, is_admin = MAX(admin_configured, ?) WHERE id = ?",
        (int(is_admin), int(is_admin), person_id),
    )


async def is_configured_admin(db: Database, person_id: int) -> bool:
    """Whether the person is a global admin because of ``ADMIN_IDS`` (not a promotion)."""
    row = await db.fetchone("SELECT admin_configured FROM persons WHERE id = ?", (person_id,))
    return bool(row and row[0])


async def sync_admins(db: Database, channel: Channel, external_ids: frozenset[int]) -> None:
    """At start-up: global admins are exactly ``ADMIN_IDS`` (on ``channel``) plus promotions."""
    ids = sorted(str(i) for i in external_ids)
    marks = ",".join("?" * len(ids)) or "NULL"
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE persons SET admin_configured = CASE WHEN id IN (SELECT person_id FROM "
            f"identities WHERE channel = ? AND external_id IN ({marks})) THEN 1 ELSE 0 END",
            (channel, *ids),
        )
        await conn.execute("UPDATE persons SET is_admin = MAX(admin_configured, admin_promoted)")


async def record_removal(
    db: Database, class_id: int, person_id: int, by: int | None, now: dt.datetime
) -> None:
    """Remember that the person was removed from the class: links existing now (ids up to
    the newest) stop admitting them."""
    await db.execute(
        "INSERT INTO removals (class_id, person_id, removed_at, removed_by, last_invite_id) "
        "VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM invites)) "
        "ON CONFLICT (class_id, person_id) DO UPDATE SET removed_at = excluded.removed_at, "
        "removed_by = excluded.removed_by, last_invite_id = excluded.last_invite_id",
        (class_id, person_id, utc_text(now), by),
    )


async def removal_mark(db: Database, class_id: int, person_id: int) -> int | None:
    """The newest invite id when the person was removed from the class (None: not removed)."""
    row = await db.fetchone(
        "SELECT last_invite_id FROM removals WHERE class_id = ? AND person_id = ?",
        (class_id, person_id),
    )
    return int(row[0]) if row else None


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


async def forget_removal(db: Database, class_id: int, person_id: int) -> None:
    """The person was admitted again: their removal no longer holds."""
    await db.execute(
        "DELETE FROM removals WHERE class_id = ? AND person_id = ?", (class_id, person_id)
    )
