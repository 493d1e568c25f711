"""What per-person sending caps need to know: how many announcements someone sent lately."""

from __future__ import annotations

import datetime as dt

from bot.store.database import Database, parse_utc, utc_text


async def announcements_since(
    db: Database, person_id: int, since: dt.datetime
) -> list[dt.datetime]:
    """When ``person_id`` created announcements (any class) at or after ``since``, oldest first."""
    rows = await db.fetchall(
        "SELECT created_at FROM announcements WHERE sender_person_id = ? AND created_at >= ? "
        "ORDER BY created_at",
        (person_id, utc_text(since)),
    )
    return [parse_utc(r[0]) for r in rows]
