"""Attendance: the sign-in settings of each class, the register, and awaited typed answers."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from bot.store.database import Database, parse_utc, utc_text

DEFAULT_KINDS: frozenset[str] = frozenset({"lecture"})


class Status(StrEnum):
    """A trainee's attendance at one session."""

    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


@dataclass(frozen=True, slots=True)
class SigninSettings:
    """When sign-in opens and closes around a session's start, and the room code."""

    opens_min: int = 15
    closes_min: int = 30
    code_minutes: int = 0
    """0: no room code; else the code shown in the room changes every this many minutes."""
    code_secret: str = ""
    kinds: frozenset[str] = DEFAULT_KINDS
    """Session kinds that have a sign-in (lectures by default)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One row of the register."""

    session_key: str
    day: dt.date
    person_id: int
    status: Status
    reason: str
    at: dt.datetime
    marked_by: int | None


@dataclass(frozen=True, slots=True)
class Awaited:
    """A typed answer the bot waits for from a person (a room code, a comment, …)."""

    kind: str
    class_id: int
    ref: str
    expires_at: dt.datetime


async def settings(db: Database, class_id: int) -> SigninSettings:
    row = await db.fetchone(
        "SELECT opens_min, closes_min, code_minutes, code_secret, kinds "
        "FROM attendance_settings WHERE class_id = ?",
        (class_id,),
    )
    if row is None:
        return SigninSettings()
    kinds = frozenset(k for k in str(row[4]).split(",") if k)
    return SigninSettings(int(row[0]), int(row[1]), int(row[2]), str(row[3]), kinds)


async def save_settings(db: Database, class_id: int, value: SigninSettings) -> None:
    await db.execute(
        "INSERT INTO attendance_settings (class_id, opens_min, closes_min, code_minutes, "
        "code_secret, kinds) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (class_id) DO UPDATE SET "
        "opens_min = excluded.opens_min, closes_min = excluded.closes_min, "
        "code_minutes = excluded.code_minutes, code_secret = excluded.code_secret, "
        "kinds = excluded.kinds",
        (
            class_id,
            value.opens_min,
            value.closes_min,
            value.code_minutes,
            value.code_secret,
            ",".join(sorted(value.kinds)),
        ),
    )


async def extra_sessions(db: Database, class_id: int) -> set[tuple[str, dt.date]]:
    """Sessions the organiser marked for sign-in beyond the class's kinds."""
    rows = await db.fetchall(
        "SELECT session_key, day FROM signin_extra WHERE class_id = ?", (class_id,)
    )
    return {(r[0], dt.date.fromisoformat(r[1])) for r in rows}


async def set_extra(db: Database, class_id: int, key: str, day: dt.date, on: bool) -> bool:
    """Mark (or unmark) one session for sign-in; False when nothing changed."""
    async with db.transaction() as conn:
        if on:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO signin_extra (class_id, session_key, day) VALUES (?, ?, ?)",
                (class_id, key, day.isoformat()),
            )
        else:
            cur = await conn.execute(
                "DELETE FROM signin_extra WHERE class_id = ? AND session_key = ? AND day = ?",
                (class_id, key, day.isoformat()),
            )
        return cur.rowcount > 0


def _record(r: sqlite3.Row) -> Record:
    return Record(
        r[0], dt.date.fromisoformat(r[1]), r[2], Status(r[3]), r[4], parse_utc(r[5]), r[6]
    )


_COLUMNS = "session_key, day, person_id, status, reason, at, marked_by"


async def sign_in(
    db: Database, class_id: int, key: str, day: dt.date, person_id: int, now: dt.datetime
) -> Record | None:
    """Record the person present if nothing is recorded yet; else the existing record."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO attendance (class_id, session_key, day, person_id, status, at) "
            "VALUES (?, ?, ?, ?, 'present', ?)",
            (class_id, key, day.isoformat(), person_id, utc_text(now)),
        )
        if cur.rowcount > 0:
            return None
        rows = await conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM attendance WHERE class_id = ? AND session_key = ? "
            "AND day = ? AND person_id = ?",
            (class_id, key, day.isoformat(), person_id),
        )
    return next((_record(r) for r in rows), None)


async def mark(
    db: Database,
    class_id: int,
    key: str,
    day: dt.date,
    person_id: int,
    status: Status,
    reason: str,
    now: dt.datetime,
    marked_by: int,
) -> Record | None:
    """Set a trainee's status (a manager's mark or correction); the record it replaced."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM attendance WHERE class_id = ? AND session_key = ? "
            "AND day = ? AND person_id = ?",
            (class_id, key, day.isoformat(), person_id),
        )
        before = next((_record(r) for r in rows), None)
        await conn.execute(
            "INSERT INTO attendance (class_id, session_key, day, person_id, status, reason, at, "
            "marked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (class_id, session_key, day, person_id) DO UPDATE SET "
            "status = excluded.status, reason = excluded.reason, at = excluded.at, "
            "marked_by = excluded.marked_by",
            (
                class_id,
                key,
                day.isoformat(),
                person_id,
                status.value,
                reason,
                utc_text(now),
                marked_by,
            ),
        )
    return before


async def record_of(
    db: Database, class_id: int, key: str, day: dt.date, person_id: int
) -> Record | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM attendance WHERE class_id = ? AND session_key = ? AND day = ? "
        "AND person_id = ?",
        (class_id, key, day.isoformat(), person_id),
    )
    return _record(row) if row else None


async def session_records(db: Database, class_id: int, key: str, day: dt.date) -> dict[int, Record]:
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM attendance WHERE class_id = ? AND session_key = ? AND day = ?",
        (class_id, key, day.isoformat()),
    )
    return {r[2]: _record(r) for r in rows}


async def person_records(db: Database, class_id: int, person_id: int) -> list[Record]:
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM attendance WHERE class_id = ? AND person_id = ? "
        "ORDER BY day, session_key",
        (class_id, person_id),
    )
    return [_record(r) for r in rows]


async def class_records(db: Database, class_id: int) -> list[Record]:
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM attendance WHERE class_id = ? ORDER BY day, session_key",
        (class_id,),
    )
    return [_record(r) for r in rows]


async def present_ids(db: Database, class_id: int, key: str, day: dt.date) -> set[int]:
    rows = await db.fetchall(
        "SELECT person_id FROM attendance WHERE class_id = ? AND session_key = ? AND day = ? "
        "AND status = 'present'",
        (class_id, key, day.isoformat()),
    )
    return {r[0] for r in rows}


async def await_text(
    db: Database, person_id: int, kind: str, class_id: int, ref: str, expires_at: dt.datetime
) -> None:
    """Wait for a typed answer from the person (replaces what was awaited before)."""
    await db.execute(
        "INSERT INTO awaited_texts (person_id, kind, class_id, ref, expires_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET kind = excluded.kind, "
        "class_id = excluded.class_id, ref = excluded.ref, expires_at = excluded.expires_at",
        (person_id, kind, class_id, ref, utc_text(expires_at)),
    )


async def awaited(db: Database, person_id: int, now: dt.datetime) -> Awaited | None:
    """What the bot waits for from the person, if anything still fresh."""
    row = await db.fetchone(
        "SELECT kind, class_id, ref, expires_at FROM awaited_texts WHERE person_id = ?",
        (person_id,),
    )
    if row is None:
        return None
    found = Awaited(row[0], row[1], row[2], parse_utc(row[3]))
    return found if found.expires_at > now else None


async def stop_awaiting(db: Database, person_id: int) -> None:
    await db.execute("DELETE FROM awaited_texts WHERE person_id = ?", (person_id,))
