"""Counting by half-day: the rule for a half-day with several sessions."""

from __future__ import annotations

import datetime as dt

from bot.attendance import counting
from bot.domain import Session, SessionKind, localized
from bot.store.attendance import Record, Status

DAY = dt.date(2024, 7, 15)
AT = dt.datetime(2024, 7, 15, tzinfo=dt.UTC)


def lecture(key: str, hour: int) -> Session:
    return Session(
        key,
        DAY,
        dt.time(hour, 0),
        dt.time(hour + 1, 0),
        SessionKind.LECTURE,
        localized({"en": key}),
    )


SESSIONS = [lecture("a", 8), lecture("b", 10), lecture("c", 14)]
ALL_CLOSED = {(s.key, DAY) for s in SESSIONS}


def rec(person: int, key: str, status: Status) -> Record:
    return Record(key, DAY, person, status, "", AT, None)


def test_a_half_day_is_present_only_when_every_session_is() -> None:
    records = [
        rec(1, "a", Status.PRESENT),
        rec(1, "b", Status.PRESENT),
        rec(1, "c", Status.PRESENT),
        rec(2, "a", Status.PRESENT),
        rec(2, "c", Status.EXCUSED),
        rec(3, "a", Status.PRESENT),
        rec(3, "b", Status.EXCUSED),
    ]
    counted = counting.count(SESSIONS, [1, 2, 3, 4], records, ALL_CLOSED)
    morning, afternoon = (DAY, "morning"), (DAY, "afternoon")
    assert counted.half_days == [morning, afternoon]
    assert counted.by_person[1] == {morning: "present", afternoon: "present"}
    # Missed b without a record once sign-in closed: the morning is absent.
    assert counted.by_person[2] == {morning: "absent", afternoon: "excused"}
    # Present at a, excused at b: the morning is excused, not present.
    assert counted.by_person[3][morning] == "excused"
    assert counted.by_person[4] == {morning: "absent", afternoon: "absent"}
    assert counted.tally(1) == counting.Tally(present=2)
    assert counted.tally(2).rate() == 0.0
    assert counted.per_half_day(morning) == counting.Tally(present=1, excused=1, absent=2)


def test_open_sessions_are_pending_not_absent() -> None:
    closed = {("a", DAY)}
    counted = counting.count(SESSIONS, [1], [rec(1, "a", Status.PRESENT)], closed)
    assert counted.by_person[1] == {(DAY, "morning"): "pending", (DAY, "afternoon"): "pending"}
    assert counted.tally(1).counted == 0 and counted.tally(1).rate() == 1.0
