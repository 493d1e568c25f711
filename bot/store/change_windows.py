"""Change-notice windows: the version live when a class's batch of changes began.

The first confirmed change of a class opens a window that records the version
it replaced; later changes while the window is open leave it alone. When the
window closes, members hear about the difference between that version and
the one live then, once. At most one open window per class (partial unique
index).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from bot.store.database import Database, parse_utc, utc_text


@dataclass(frozen=True, slots=True)
class ChangeWindow:
    """One batch of changes to a class's schedule."""

    id: int
    class_id: int
    base_version_id: int | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    notices: int


def _from_row(row: sqlite3.Row) -> ChangeWindow:
    return ChangeWindow(
        id=row["id"],
        class_id=row["class_id"],
        base_version_id=row["base_version_id"],
        opened_at=parse_utc(row["opened_at"]),
        closed_at=parse_utc(row["closed_at"]) if row["closed_at"] else None,
        notices=row["notices"],
    )


_COLUMNS = "id, class_id, base_version_id, opened_at, closed_at, notices"


async def open_window(db: Database, class_id: int) -> ChangeWindow | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM change_windows WHERE class_id = ? AND closed_at IS NULL",
        (class_id,),
    )
    return _from_row(row) if row else None


async def ensure_open(
    db: Database, class_id: int, base_version_id: int | None, now: dt.datetime
) -> ChangeWindow:
    """The class's open window, opened now with ``base_version_id`` if there was none."""
    async with db.transaction() as conn:
        existing = await open_window(db, class_id)
        if existing is not None:
            return existing
        await conn.execute(
            "INSERT INTO change_windows (class_id, base_version_id, opened_at) VALUES (?, ?, ?)",
            (class_id, base_version_id, utc_text(now)),
        )
        made = await open_window(db, class_id)
        assert made is not None
        return made


async def closing(db: Database, opened_before: dt.datetime) -> list[ChangeWindow]:
    """Open windows opened at or before ``opened_before`` (their time is up)."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM change_windows WHERE closed_at IS NULL AND opened_at <= ? "
        "ORDER BY opened_at, id",
        (utc_text(opened_before),),
    )
    return [_from_row(r) for r in rows]


async def close(db: Database, window_id: int, notices: int, now: dt.datetime) -> bool:
    """Mark a window closed (joins the caller's transaction); False if it already was."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE change_windows SET closed_at = ?, notices = ? "
            "WHERE id = ? AND closed_at IS NULL",
            (utc_text(now), notices, window_id),
        )
        return cur.rowcount == 1


async def history(db: Database, class_id: int) -> list[ChangeWindow]:
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM change_windows WHERE class_id = ? ORDER BY id", (class_id,)
    )
    return [_from_row(r) for r in rows]


async def open_class_ids(db: Database) -> list[int]:
    """The classes with a change window still open."""
    rows = await db.fetchall("SELECT class_id FROM change_windows WHERE closed_at IS NULL")
    return [int(r[0]) for r in rows]
