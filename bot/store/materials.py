"""Documents a manager attached to a session or topic (a channel file id, or a link)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from bot.store.database import Database, utc_text


@dataclass(frozen=True, slots=True)
class Material:
    """An attached document; ``pending`` until the manager chose its session."""

    id: int
    class_id: int
    title: str
    file_id: str | None
    link: str | None
    session_key: str | None
    topic_number: int | None
    state: str


_COLUMNS = "id, class_id, title, file_id, link, session_key, topic_number, state"


def _material(row: sqlite3.Row) -> Material:
    return Material(
        id=row["id"],
        class_id=row["class_id"],
        title=row["title"],
        file_id=row["file_id"],
        link=row["link"],
        session_key=row["session_key"],
        topic_number=row["topic_number"],
        state=row["state"],
    )


async def add_pending(
    db: Database,
    class_id: int,
    *,
    title: str,
    file_id: str | None,
    link: str | None,
    by: int,
    now: dt.datetime,
) -> int:
    """A document waiting for the manager to choose its session."""
    return await db.execute(
        "INSERT INTO materials (class_id, title, file_id, link, added_by, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (class_id, title, file_id, link, by, utc_text(now)),
    )


async def get(db: Database, material_id: int) -> Material | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM materials WHERE id = ?", (material_id,))
    return _material(row) if row else None


async def attach(
    db: Database, material_id: int, session_key: str, topic_number: int | None
) -> bool:
    """Tie a waiting document to a session (and its topic); False if it was not waiting."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE materials SET session_key = ?, topic_number = ?, state = 'attached' "
            "WHERE id = ? AND state = 'pending'",
            (session_key, topic_number, material_id),
        )
        return cur.rowcount > 0


async def attached(db: Database, class_id: int) -> list[Material]:
    """The class's attached documents, oldest first."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM materials WHERE class_id = ? AND state = 'attached' ORDER BY id",
        (class_id,),
    )
    return [_material(r) for r in rows]
