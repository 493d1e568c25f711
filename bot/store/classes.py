"""Queries over classes and the live version of their schedules."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain import Localized, Session, SessionKind, Topic, TrainingClass, localized
from bot.store.database import Database


def loc_json(text: Localized) -> str:
    """Localized text as the store's JSON form."""
    return json.dumps(dict(text), ensure_ascii=False, sort_keys=True)


def loc_from(raw: str | None) -> Localized:
    return localized(json.loads(raw)) if raw else localized()


def time_text(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def time_from(raw: str | None) -> dt.time | None:
    return dt.time.fromisoformat(raw) if raw else None


CLASS_COLUMNS = (
    "id, code, name, organiser, venue, timezone, first_day, last_day, default_lang, "
    "reminder_time, evening_notice_time, departure_reminder_min, rollcall_report_min, "
    "live_version_id"
)

TOPIC_COLUMNS = "number, block, title, lecturer, summary"
"""The columns :func:`topic_from_row` reads."""

SESSION_COLUMNS = (
    "id, key, day, start, end, kind, title, topic_number, lecturer, venue, meeting_point, "
    "departure, return_time, transport, dress_code, bring, latitude, longitude, notes"
)


def class_from_row(row: sqlite3.Row | Mapping[str, Any]) -> TrainingClass:
    """A class from a ``classes`` row (or a mapping with the same keys)."""
    return TrainingClass(
        id=row["id"],
        code=row["code"],
        name=loc_from(row["name"]),
        organiser=row["organiser"],
        venue=row["venue"],
        timezone=row["timezone"],
        first_day=dt.date.fromisoformat(row["first_day"]),
        last_day=dt.date.fromisoformat(row["last_day"]),
        default_lang=row["default_lang"],
        reminder_time=dt.time.fromisoformat(row["reminder_time"]),
        evening_notice_time=dt.time.fromisoformat(row["evening_notice_time"]),
        departure_reminder_min=row["departure_reminder_min"],
        rollcall_report_min=row["rollcall_report_min"],
        live_version_id=row["live_version_id"],
    )


def session_from_row(row: sqlite3.Row) -> Session:
    return Session(
        id=row["id"],
        key=row["key"],
        day=dt.date.fromisoformat(row["day"]),
        start=dt.time.fromisoformat(row["start"]),
        end=dt.time.fromisoformat(row["end"]),
        kind=SessionKind(row["kind"]),
        title=loc_from(row["title"]),
        topic_number=row["topic_number"],
        lecturer=row["lecturer"],
        venue=row["venue"],
        meeting_point=loc_from(row["meeting_point"]),
        departure=time_from(row["departure"]),
        return_time=time_from(row["return_time"]),
        transport=loc_from(row["transport"]),
        dress_code=loc_from(row["dress_code"]),
        bring=loc_from(row["bring"]),
        latitude=row["latitude"],
        longitude=row["longitude"],
        notes=loc_from(row["notes"]),
    )


def topic_from_row(row: sqlite3.Row) -> Topic:
    return Topic(
        number=row["number"],
        block=loc_from(row["block"]),
        title=loc_from(row["title"]),
        lecturer=row["lecturer"],
        summary=loc_from(row["summary"]),
    )


async def get_class(db: Database, class_id: int) -> TrainingClass | None:
    row = await db.fetchone(f"SELECT {CLASS_COLUMNS} FROM classes WHERE id = ?", (class_id,))
    return class_from_row(row) if row else None


async def get_class_by_code(db: Database, code: str) -> TrainingClass | None:
    row = await db.fetchone(
        f"SELECT {CLASS_COLUMNS} FROM classes WHERE code = ? COLLATE NOCASE", (code,)
    )
    return class_from_row(row) if row else None


async def list_classes(db: Database) -> list[TrainingClass]:
    rows = await db.fetchall(f"SELECT {CLASS_COLUMNS} FROM classes ORDER BY first_day, code")
    return [class_from_row(r) for r in rows]


async def sessions_between(
    db: Database, cls: TrainingClass, first: dt.date, last: dt.date
) -> list[Session]:
    """Live sessions from ``first`` to ``last`` inclusive, in time order."""
    if cls.live_version_id is None:
        return []
    rows = await db.fetchall(
        f"SELECT {SESSION_COLUMNS} FROM sessions WHERE version_id = ? AND day BETWEEN ? AND ? "
        "ORDER BY day, start, key",
        (cls.live_version_id, first.isoformat(), last.isoformat()),
    )
    return [session_from_row(r) for r in rows]


async def sessions_on(db: Database, cls: TrainingClass, day: dt.date) -> list[Session]:
    return await sessions_between(db, cls, day, day)


async def version_sessions(db: Database, version_id: int) -> list[Session]:
    rows = await db.fetchall(
        f"SELECT {SESSION_COLUMNS} FROM sessions WHERE version_id = ? ORDER BY day, start, key",
        (version_id,),
    )
    return [session_from_row(r) for r in rows]


async def version_topics(db: Database, version_id: int) -> list[Topic]:
    rows = await db.fetchall(
        f"SELECT {TOPIC_COLUMNS} FROM topics WHERE version_id = ? ORDER BY number",
        (version_id,),
    )
    return [topic_from_row(r) for r in rows]


async def topics(db: Database, cls: TrainingClass) -> list[Topic]:
    if cls.live_version_id is None:
        return []
    return await version_topics(db, cls.live_version_id)


async def topic(db: Database, cls: TrainingClass, number: int) -> Topic | None:
    if cls.live_version_id is None:
        return None
    row = await db.fetchone(
        f"SELECT {TOPIC_COLUMNS} FROM topics WHERE version_id = ? AND number = ?",
        (cls.live_version_id, number),
    )
    return topic_from_row(row) if row else None


async def classes_by_ids(db: Database, ids: Sequence[int]) -> list[TrainingClass]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(
        f"SELECT {CLASS_COLUMNS} FROM classes WHERE id IN ({marks}) ORDER BY first_day, code", ids
    )
    return [class_from_row(r) for r in rows]
