"""Attendance counted as organisers count it: by half-day (morning, afternoon).

The rule for a half-day (stated in the README): a half-day counts as
*present* when the trainee was present at every sign-in session of it; as
*excused* when every session of it they were not present at is excused; as
*absent* otherwise (an absence, or no record once sign-in has closed). A
half-day whose sign-in has not closed yet for some session and is not
already decided is *pending* and is not counted. Sessions before noon are
the morning, the others the afternoon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from bot.attendance.sessions import half_day
from bot.domain import Session
from bot.store.attendance import Record, Status

PENDING = "pending"

HalfDay = tuple[dt.date, str]
"""(day, 'morning' | 'afternoon')."""


@dataclass(frozen=True, slots=True)
class Tally:
    """Counted half-days of one trainee (or summed over a class)."""

    present: int = 0
    excused: int = 0
    absent: int = 0
    pending: int = 0

    @property
    def counted(self) -> int:
        return self.present + self.excused + self.absent

    def rate(self) -> float:
        """Present half-days as a share of the counted ones (1.0 when none is counted yet)."""
        return self.present / self.counted if self.counted else 1.0


@dataclass(frozen=True, slots=True)
class Counted:
    """The half-day statuses of every trainee of a class."""

    half_days: list[HalfDay]
    by_person: dict[int, dict[HalfDay, str]] = field(default_factory=dict)

    def tally(self, person_id: int) -> Tally:
        statuses = list(self.by_person.get(person_id, {}).values())
        return Tally(
            statuses.count(Status.PRESENT.value),
            statuses.count(Status.EXCUSED.value),
            statuses.count(Status.ABSENT.value),
            statuses.count(PENDING),
        )

    def per_half_day(self, half: HalfDay) -> Tally:
        statuses = [days[half] for days in self.by_person.values() if half in days]
        return Tally(
            statuses.count(Status.PRESENT.value),
            statuses.count(Status.EXCUSED.value),
            statuses.count(Status.ABSENT.value),
            statuses.count(PENDING),
        )


def group_half_days(sessions: Iterable[Session]) -> dict[HalfDay, list[Session]]:
    found: dict[HalfDay, list[Session]] = {}
    for session in sorted(sessions, key=lambda s: (s.day, s.start, s.key)):
        found.setdefault((session.day, half_day(session)), []).append(session)
    return found


def half_day_status(
    sessions: list[Session], records: Mapping[tuple[str, dt.date], Record], closed: Collection[str]
) -> str:
    """One trainee's status for one half-day (``closed``: keys whose sign-in has closed)."""
    statuses: list[str] = []
    for session in sessions:
        record = records.get((session.key, session.day))
        if record is not None:
            statuses.append(record.status.value)
        elif session.key in closed:
            statuses.append(Status.ABSENT.value)
        else:
            statuses.append(PENDING)
    if Status.ABSENT.value in statuses:
        return Status.ABSENT.value
    if PENDING in statuses:
        return PENDING
    if all(s == Status.PRESENT.value for s in statuses):
        return Status.PRESENT.value
    return Status.EXCUSED.value


def count(
    sessions: Iterable[Session],
    person_ids: Iterable[int],
    records: Iterable[Record],
    closed: Collection[tuple[str, dt.date]],
) -> Counted:
    """Every trainee's status for every half-day that has sign-in sessions."""
    groups = group_half_days(sessions)
    mine: dict[int, dict[tuple[str, dt.date], Record]] = {}
    for record in records:
        mine.setdefault(record.person_id, {})[(record.session_key, record.day)] = record
    counted = Counted(list(groups))
    for person_id in person_ids:
        own = mine.get(person_id, {})
        counted.by_person[person_id] = {
            half: half_day_status(group, own, {s.key for s in group if (s.key, s.day) in closed})
            for half, group in groups.items()
        }
    return counted
