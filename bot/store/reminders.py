"""Queries for reminders and roll calls: digest slots, sent keys, check-ins, class settings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.domain import (
    EMPTY,
    Member,
    Role,
    Session,
    SessionKind,
    Topic,
    TrainingClass,
)
from bot.store.classes import (
    CLASS_COLUMNS,
    SESSION_COLUMNS,
    TOPIC_COLUMNS,
    class_from_row,
    session_from_row,
    time_text,
    topic_from_row,
)
from bot.store.database import Database, parse_utc, utc_text
from bot.store.people import PERSON_COLUMNS, person_from_row

_CHUNK = 500
"""Bound variables per ``IN (...)`` query (well under SQLite's limit)."""

_T = TypeVar("_T")


def _chunks(values: Sequence[_T]) -> Iterator[tuple[list[_T], str]]:
    """``values`` in parts of at most :data:`_CHUNK`, each with its ``?,?,…`` placeholders."""
    items = list(values)
    for i in range(0, len(items), _CHUNK):
        part = items[i : i + _CHUNK]
        yield part, ",".join("?" * len(part))


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A person on the bus for one departure; ``marked_by`` is set when a manager marked them."""

    person_id: int
    at: dt.datetime
    marked_by: int | None = None


async def running_classes(
    db: Database, since: dt.date, ids: Sequence[int] | None = None
) -> list[TrainingClass]:
    """Classes with a live schedule whose last day is ``since`` or later (of ``ids`` if given)."""
    sql = f"SELECT {CLASS_COLUMNS} FROM classes WHERE live_version_id IS NOT NULL AND last_day >= ?"
    if ids is None:
        rows = await db.fetchall(sql + " ORDER BY id", (since.isoformat(),))
        return [class_from_row(r) for r in rows]
    found = []
    for part, marks in _chunks(ids):
        rows = await db.fetchall(
            sql + f" AND id IN ({marks}) ORDER BY id", (since.isoformat(), *part)
        )
        found += [class_from_row(r) for r in rows]
    return found


async def live_session_times_from(
    db: Database, class_list: Sequence[TrainingClass], since: dt.date
) -> dict[int, list[Session]]:
    """Live sessions on or after ``since`` of each class, by class id: timing fields only.

    Text fields stay empty: planning needs none, and skipping their JSON makes
    deriving every job of hundreds of classes several times faster.
    """
    by_version = {c.live_version_id: c.id for c in class_list if c.live_version_id is not None}
    found: dict[int, list[Session]] = {c.id: [] for c in class_list}
    for part, marks in _chunks(list(by_version)):
        rows = await db.fetchall(
            "SELECT version_id, key, day, start, end, kind, departure FROM sessions "
            f"WHERE version_id IN ({marks}) AND day >= ? ORDER BY day, start, key",
            (*part, since.isoformat()),
        )
        for version_id, key, day, start, end, kind, departure in rows:
            found[by_version[version_id]].append(
                Session(
                    key=key,
                    day=dt.date.fromisoformat(day),
                    start=dt.time.fromisoformat(start),
                    end=dt.time.fromisoformat(end),
                    kind=SessionKind(kind),
                    title=EMPTY,
                    departure=dt.time.fromisoformat(departure) if departure else None,
                )
            )
    return found


async def custom_digest_slots(db: Database, class_ids: Sequence[int]) -> dict[int, set[dt.time]]:
    """The digest times members chose for themselves, per class (reminders on or off)."""
    found: dict[int, set[dt.time]] = defaultdict(set)
    for part, marks in _chunks(class_ids):
        rows = await db.fetchall(
            "SELECT DISTINCT m.class_id, p.digest_time FROM members m "
            "JOIN persons p ON p.id = m.person_id "
            f"WHERE m.class_id IN ({marks}) AND p.digest_time IS NOT NULL",
            part,
        )
        for row in rows:
            found[row[0]].add(dt.time.fromisoformat(row[1]))
    return found


async def existing_keys(db: Database, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` are already in the outbox (queued or sent)."""
    found: set[str] = set()
    for part, marks in _chunks(keys):
        rows = await db.fetchall(f"SELECT dedup_key FROM outbox WHERE dedup_key IN ({marks})", part)
        found.update(r[0] for r in rows)
    return found


async def add_checkin(
    db: Database,
    *,
    class_id: int,
    session_key: str,
    day: dt.date,
    person_id: int,
    now: dt.datetime,
    marked_by: int | None = None,
) -> bool:
    """Record a check-in; False if the person was already checked in (nothing changes)."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO checkins (class_id, session_key, day, person_id, at, marked_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (class_id, session_key, day.isoformat(), person_id, utc_text(now), marked_by),
        )
        return cur.rowcount > 0


async def checkins(
    db: Database, class_id: int, session_key: str, day: dt.date
) -> dict[int, CheckIn]:
    """Who has checked in for one departure, by person id."""
    rows = await db.fetchall(
        "SELECT person_id, at, marked_by FROM checkins "
        "WHERE class_id = ? AND session_key = ? AND day = ?",
        (class_id, session_key, day.isoformat()),
    )
    return {r[0]: CheckIn(r[0], parse_utc(r[1]), r[2]) for r in rows}


async def update_class_settings(
    db: Database,
    class_id: int,
    *,
    reminder_time: dt.time | None = None,
    evening_notice_time: dt.time | None = None,
    departure_reminder_min: int | None = None,
    rollcall_report_min: int | None = None,
) -> None:
    """Change a class's reminder settings (only the ones given)."""
    changes: list[tuple[str, object]] = []
    if reminder_time is not None:
        changes.append(("reminder_time", time_text(reminder_time)))
    if evening_notice_time is not None:
        changes.append(("evening_notice_time", time_text(evening_notice_time)))
    if departure_reminder_min is not None:
        changes.append(("departure_reminder_min", departure_reminder_min))
    if rollcall_report_min is not None:
        changes.append(("rollcall_report_min", rollcall_report_min))
    if not changes:
        return
    assignments = ", ".join(f"{column} = ?" for column, _value in changes)
    await db.execute(
        f"UPDATE classes SET {assignments} WHERE id = ?",
        (*(value for _column, value in changes), class_id),
    )


async def sessions_on_days(
    db: Database, wanted: Sequence[tuple[TrainingClass, dt.date]]
) -> dict[tuple[int, dt.date], list[Session]]:
    """Full live sessions of each (class, day) asked for, by (class id, day), in time order."""
    by_version: dict[int, int] = {}
    days: set[str] = set()
    pairs: set[tuple[int, str]] = set()
    for cls, day in wanted:
        if cls.live_version_id is None:
            continue
        by_version[cls.live_version_id] = cls.id
        days.add(day.isoformat())
        pairs.add((cls.live_version_id, day.isoformat()))
    found: dict[tuple[int, dt.date], list[Session]] = defaultdict(list)
    day_list = sorted(days)
    day_marks = ",".join("?" * len(day_list))
    for part, marks in _chunks(list(by_version)):
        rows = await db.fetchall(
            f"SELECT version_id, {SESSION_COLUMNS} FROM sessions WHERE version_id IN ({marks}) "
            f"AND day IN ({day_marks}) ORDER BY day, start, key",
            (*part, *day_list),
        )
        for row in rows:
            if (row["version_id"], row["day"]) in pairs:
                session = session_from_row(row)
                found[(by_version[row["version_id"]], session.day)].append(session)
    return found


async def members_of(db: Database, class_ids: Sequence[int]) -> dict[int, list[Member]]:
    """Every member of each class, by class id (as :func:`bot.store.people.class_members`)."""
    found: dict[int, list[Member]] = defaultdict(list)
    for part, marks in _chunks(class_ids):
        rows = await db.fetchall(
            f"SELECT m.class_id, {PERSON_COLUMNS}, m.role, "
            "COALESCE((SELECT MAX(i.reachable) FROM identities i WHERE i.person_id = p.id), 0) "
            "AS any_reachable FROM members m JOIN persons p ON p.id = m.person_id "
            f"WHERE m.class_id IN ({marks}) ORDER BY m.class_id, p.display_name, p.id",
            part,
        )
        for r in rows:
            member = Member(person_from_row(r), Role(r["role"]), bool(r["any_reachable"]))
            found[r["class_id"]].append(member)
    return found


async def topics_of(db: Database, version_ids: Sequence[int]) -> dict[int, dict[int, Topic]]:
    """The topics of each schedule version by number, by version id."""
    found: dict[int, dict[int, Topic]] = defaultdict(dict)
    for part, marks in _chunks(version_ids):
        rows = await db.fetchall(
            f"SELECT version_id, {TOPIC_COLUMNS} FROM topics "
            f"WHERE version_id IN ({marks}) ORDER BY version_id, number",
            part,
        )
        for row in rows:
            topic = topic_from_row(row)
            found[row["version_id"]][topic.number] = topic
    return found
