"""Stored announcements and their acknowledgements (rows; :mod:`bot.announcements` maps them)."""

from __future__ import annotations

import datetime as dt
import json

from bot.domain import Localized
from bot.store.classes import loc_json
from bot.store.database import Database, utc_text

Row = dict[str, object]


async def insert(
    db: Database,
    *,
    class_id: int,
    sender_person_id: int,
    audience: str,
    body: Localized,
    media: tuple[str, str] | None,
    needs_ack: bool,
    ack_reminder_at: dt.datetime | None,
    now: dt.datetime,
) -> int:
    """Store an announcement; returns its id."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT INTO announcements (class_id, sender_person_id, audience, body, media, "
            "needs_ack, ack_reminder_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                class_id,
                sender_person_id,
                audience,
                loc_json(body),
                json.dumps(list(media)) if media else None,
                int(needs_ack),
                utc_text(ack_reminder_at) if ack_reminder_at else None,
                utc_text(now),
            ),
        )
        return int(cur.lastrowid or 0)


async def get(db: Database, announcement_id: int) -> Row | None:
    row = await db.fetchone("SELECT * FROM announcements WHERE id = ?", (announcement_id,))
    return dict(row) if row else None


async def recent(db: Database, class_id: int, limit: int) -> list[Row]:
    """A class's newest announcements first."""
    rows = await db.fetchall(
        "SELECT * FROM announcements WHERE class_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        (class_id, limit),
    )
    return [dict(r) for r in rows]


async def due_followups(db: Database, now: dt.datetime) -> list[Row]:
    """Announcements that asked for confirmation and whose one reminder is due."""
    rows = await db.fetchall(
        "SELECT * FROM announcements WHERE needs_ack = 1 AND ack_reminded_at IS NULL "
        "AND ack_reminder_at <= ?",
        (utc_text(now),),
    )
    return [dict(r) for r in rows]


async def mark_reminded(db: Database, announcement_id: int, now: dt.datetime) -> None:
    await db.execute(
        "UPDATE announcements SET ack_reminded_at = ? WHERE id = ?",
        (utc_text(now), announcement_id),
    )


async def add_ack(db: Database, announcement_id: int, person_id: int, now: dt.datetime) -> bool:
    """Record a confirmation; False if this person had confirmed already."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO acks (announcement_id, person_id, acked_at) VALUES (?, ?, ?)",
            (announcement_id, person_id, utc_text(now)),
        )
        return cur.rowcount == 1


async def ackers(db: Database, announcement_id: int) -> set[int]:
    """The ids of the people who confirmed an announcement."""
    rows = await db.fetchall(
        "SELECT person_id FROM acks WHERE announcement_id = ?", (announcement_id,)
    )
    return {int(r[0]) for r in rows}
