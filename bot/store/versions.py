"""Writing schedules: each import is a new version, made live in one transaction.

Old versions stay in the database with their topics and sessions, so a diff
between any two versions and a rollback to any of them are always possible.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from bot.domain import Schedule, ScheduleVersion, Session, Topic, TrainingClass
from bot.store.classes import (
    CLASS_COLUMNS,
    class_from_row,
    get_class,
    loc_json,
    time_text,
    version_sessions,
    version_topics,
)
from bot.store.database import Database, parse_utc, utc_text

VERSION_COLUMNS = (
    "id, class_id, number, created_by, created_at, source_name, source_hash, row_count, note"
)


def version_from_row(row: sqlite3.Row) -> ScheduleVersion:
    return ScheduleVersion(
        id=row["id"],
        class_id=row["class_id"],
        number=row["number"],
        created_by=row["created_by"],
        created_at=parse_utc(row["created_at"]),
        source_name=row["source_name"],
        source_hash=row["source_hash"],
        row_count=row["row_count"],
        note=row["note"],
    )


def _class_data(cls: TrainingClass) -> str:
    """The class header as stored with each version (so a rollback restores it too)."""
    return json.dumps(
        {
            "name": dict(cls.name),
            "organiser": cls.organiser,
            "venue": cls.venue,
            "timezone": cls.timezone,
            "first_day": cls.first_day.isoformat(),
            "last_day": cls.last_day.isoformat(),
            "default_lang": cls.default_lang,
            "reminder_time": time_text(cls.reminder_time),
            "evening_notice_time": time_text(cls.evening_notice_time),
            "departure_reminder_min": cls.departure_reminder_min,
            "rollcall_report_min": cls.rollcall_report_min,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _class_params(data: dict[str, Any]) -> tuple[Any, ...]:
    return (
        json.dumps(data["name"], ensure_ascii=False, sort_keys=True),
        data["organiser"],
        data["venue"],
        data["timezone"],
        data["first_day"],
        data["last_day"],
        data["default_lang"],
        data["reminder_time"],
        data["evening_notice_time"],
        data["departure_reminder_min"],
        data["rollcall_report_min"],
    )


def _session_row(version_id: int, s: Session) -> tuple[Any, ...]:
    return (
        version_id,
        s.key,
        s.day.isoformat(),
        time_text(s.start),
        time_text(s.end),
        s.kind.value,
        loc_json(s.title),
        s.topic_number,
        s.lecturer,
        s.venue,
        loc_json(s.meeting_point),
        time_text(s.departure),
        time_text(s.return_time),
        loc_json(s.transport),
        loc_json(s.dress_code),
        loc_json(s.bring),
        s.latitude,
        s.longitude,
        loc_json(s.notes),
    )


def _topic_row(version_id: int, t: Topic) -> tuple[Any, ...]:
    return (
        version_id,
        t.number,
        loc_json(t.block),
        loc_json(t.title),
        t.lecturer,
        loc_json(t.summary),
    )


async def save_version(
    db: Database,
    schedule: Schedule,
    *,
    created_by: str,
    source_hash: str,
    now: dt.datetime,
    source_name: str = "",
    created_by_person: int | None = None,
    note: str = "",
) -> tuple[TrainingClass, ScheduleVersion]:
    """Store ``schedule`` as the new live version of its class (created on first import).

    The class is matched by code. Everything happens in one transaction: the
    class header, the version row, its topics and sessions, the live pointer.
    """
    cls = schedule.cls
    data = json.loads(_class_data(cls))
    async with db.transaction() as conn:
        row = await db.fetchone("SELECT id FROM classes WHERE code = ? COLLATE NOCASE", (cls.code,))
        if row is None:
            cur = await conn.execute(
                "INSERT INTO classes (code, name, organiser, venue, timezone, first_day, last_day, "
                "default_lang, reminder_time, evening_notice_time, departure_reminder_min, "
                "rollcall_report_min, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (cls.code, *_class_params(data), utc_text(now)),
            )
            class_id = int(cur.lastrowid or 0)
        else:
            class_id = int(row[0])
            await conn.execute(
                "UPDATE classes SET name = ?, organiser = ?, venue = ?, timezone = ?, "
                "first_day = ?, last_day = ?, default_lang = ?, reminder_time = ?, "
                "evening_notice_time = ?, departure_reminder_min = ?, rollcall_report_min = ? "
                "WHERE id = ?",
                (*_class_params(data), class_id),
            )
        last = await db.fetchone(
            "SELECT COALESCE(MAX(number), 0) FROM schedule_versions WHERE class_id = ?", (class_id,)
        )
        number = int(last[0]) + 1 if last else 1
        cur = await conn.execute(
            "INSERT INTO schedule_versions (class_id, number, created_by, created_by_person, "
            "created_at, source_name, source_hash, row_count, class_data, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                class_id,
                number,
                created_by,
                created_by_person,
                utc_text(now),
                source_name,
                source_hash,
                len(schedule.sessions),
                _class_data(cls),
                note,
            ),
        )
        version_id = int(cur.lastrowid or 0)
        await conn.executemany(
            "INSERT INTO topics (version_id, number, block, title, lecturer, summary) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [_topic_row(version_id, t) for t in schedule.topics],
        )
        await conn.executemany(
            "INSERT INTO sessions (version_id, key, day, start, end, kind, title, topic_number, "
            "lecturer, venue, meeting_point, departure, return_time, transport, dress_code, bring, "
            "latitude, longitude, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_session_row(version_id, s) for s in schedule.sessions],
        )
        await conn.execute(
            "UPDATE classes SET live_version_id = ? WHERE id = ?", (version_id, class_id)
        )
    saved = await get_class(db, class_id)
    version = await get_version(db, version_id)
    assert saved is not None and version is not None
    return saved, version


async def get_version(db: Database, version_id: int) -> ScheduleVersion | None:
    row = await db.fetchone(
        f"SELECT {VERSION_COLUMNS} FROM schedule_versions WHERE id = ?", (version_id,)
    )
    return version_from_row(row) if row else None


async def version_by_number(db: Database, class_id: int, number: int) -> ScheduleVersion | None:
    row = await db.fetchone(
        f"SELECT {VERSION_COLUMNS} FROM schedule_versions WHERE class_id = ? AND number = ?",
        (class_id, number),
    )
    return version_from_row(row) if row else None


async def list_versions(db: Database, class_id: int) -> list[ScheduleVersion]:
    rows = await db.fetchall(
        f"SELECT {VERSION_COLUMNS} FROM schedule_versions WHERE class_id = ? ORDER BY number",
        (class_id,),
    )
    return [version_from_row(r) for r in rows]


async def load_version(db: Database, version_id: int) -> Schedule:
    """A stored version as a full :class:`Schedule` (class header as it was then)."""
    row = await db.fetchone(
        "SELECT class_id, class_data FROM schedule_versions WHERE id = ?", (version_id,)
    )
    if row is None:
        raise LookupError(f"no schedule version {version_id}")
    current = await db.fetchone(f"SELECT {CLASS_COLUMNS} FROM classes WHERE id = ?", (row[0],))
    assert current is not None
    # class_data holds the classes columns as they were then (see _class_data); the class's
    # identity (id, code, live pointer) is today's. One parser serves both shapes.
    data = json.loads(row[1])
    cls = class_from_row({**dict(current), **data, "name": json.dumps(data["name"])})
    topics = tuple(await version_topics(db, version_id))
    sessions = tuple(await version_sessions(db, version_id))
    return Schedule(cls=cls, topics=topics, sessions=sessions)
