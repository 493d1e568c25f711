"""Uploaded schedule changes waiting for Confirm: one open per class (the per-class lock).

A row is ``pending`` from the preview until it is ``applied``, ``cancelled``,
``expired`` (its time ran out) or ``stale`` (the live version changed under
it). A partial unique index allows one ``pending`` row per class code, so two
uploads for one class can never both wait for a Confirm. The file's bytes
are kept in the row: a restart loses nothing and applies nothing by itself.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from bot.store.database import Database, parse_utc, utc_text


class UploadKind(StrEnum):
    """What confirming the row does."""

    UPLOAD = "upload"
    NEWCLASS = "newclass"
    ROLLBACK = "rollback"


@dataclass(frozen=True, slots=True)
class PendingUpload:
    """A staged change and where it stands."""

    id: int
    kind: UploadKind
    class_code: str
    person_id: int
    filename: str
    data: bytes | None
    source_hash: str
    rollback_number: int | None
    base_version_id: int | None
    state: str
    version_id: int | None
    created_at: dt.datetime
    expires_at: dt.datetime

    def expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at


_COLUMNS = (
    "id, kind, class_code, person_id, filename, data, source_hash, rollback_number, "
    "base_version_id, state, version_id, created_at, expires_at"
)


def _from_row(row: sqlite3.Row) -> PendingUpload:
    return PendingUpload(
        id=row["id"],
        kind=UploadKind(row["kind"]),
        class_code=row["class_code"],
        person_id=row["person_id"],
        filename=row["filename"],
        data=bytes(row["data"]) if row["data"] is not None else None,
        source_hash=row["source_hash"],
        rollback_number=row["rollback_number"],
        base_version_id=row["base_version_id"],
        state=row["state"],
        version_id=row["version_id"],
        created_at=parse_utc(row["created_at"]),
        expires_at=parse_utc(row["expires_at"]),
    )


async def get(db: Database, upload_id: int) -> PendingUpload | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM pending_uploads WHERE id = ?", (upload_id,))
    return _from_row(row) if row else None


async def open_for_class(db: Database, class_code: str) -> PendingUpload | None:
    """The class's pending row, if any (expired or not)."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM pending_uploads WHERE class_code = ? AND state = 'pending'",
        (class_code,),
    )
    return _from_row(row) if row else None


async def insert(
    db: Database,
    *,
    kind: UploadKind,
    class_code: str,
    person_id: int,
    now: dt.datetime,
    expires_at: dt.datetime,
    base_version_id: int | None,
    filename: str = "",
    data: bytes | None = None,
    source_hash: str = "",
    rollback_number: int | None = None,
) -> int:
    """Store a pending row (joins the caller's transaction); returns its id."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT INTO pending_uploads (kind, class_code, person_id, filename, data, "
            "source_hash, rollback_number, base_version_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind.value,
                class_code,
                person_id,
                filename,
                data,
                source_hash,
                rollback_number,
                base_version_id,
                utc_text(now),
                utc_text(expires_at),
            ),
        )
        return int(cur.lastrowid or 0)


async def close(
    db: Database, upload_id: int, state: str, now: dt.datetime, version_id: int | None = None
) -> bool:
    """Move a pending row to a final state; False if it was no longer pending."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE pending_uploads SET state = ?, version_id = ?, closed_at = ?, data = NULL "
            "WHERE id = ? AND state = 'pending'",
            (state, version_id, utc_text(now), upload_id),
        )
        return cur.rowcount == 1


async def due_to_expire(db: Database, now: dt.datetime) -> list[PendingUpload]:
    """Pending rows whose time has run out."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM pending_uploads WHERE state = 'pending' AND expires_at <= ? "
        "ORDER BY id",
        (utc_text(now),),
    )
    return [_from_row(r) for r in rows]


async def set_version(db: Database, upload_id: int, version_id: int) -> None:
    """Remember which schedule version a confirmed upload became."""
    await db.execute(
        "UPDATE pending_uploads SET version_id = ? WHERE id = ?", (version_id, upload_id)
    )
