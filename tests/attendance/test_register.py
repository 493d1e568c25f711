"""The managers' register: live list, marks with reasons, corrections, settings; all audited."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import actions
from bot.actions import ActionContext
from bot.attendance import commands, register
from bot.clock import FakeClock
from bot.domain import Channel, Person, Role
from bot.people.permissions import Forbidden
from bot.store import attendance as store
from bot.store import audit, people
from bot.store.attendance import Status
from bot.store.database import Database
from tests.helpers.sample import Seeded

DAY = dt.date(2024, 7, 15)
OPEN = dt.datetime(2024, 7, 15, 2, 5, tzinfo=dt.UTC)  # 09:05 in Hanoi


def ctx(db: Database, person: Person, clock: FakeClock) -> ActionContext:
    return ActionContext(db=db, person=person, lang="en", now=clock.now(), channel=Channel.TELEGRAM)


async def second_trainee(db: Database, seeded: Seeded, now: dt.datetime) -> Person:
    person, _i, _c = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id="502",
        chat_id="502",
        display_name="Bounmy",
        language_code="lo",
        now=now,
    )
    await people.add_member(db, seeded.cls.id, person.id, Role.TRAINEE, now)
    await people.set_active_class(db, person.id, seeded.cls.id)
    return person


async def test_live_list_and_marks(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    clock.set(OPEN)
    other = await second_trainee(db, seeded, clock.now())
    view = await register.live_view(db, seeded.manager, seeded.cls, clock.now(), "en")
    text = view.plain()
    assert "Attendance: Topic 1" in text
    assert "Present 0 · excused 0 · absent 0 · not yet 2 (of 2)" in text
    assert "1. Bounmy" in text and "2. Somphone" in text
    marks = [b.action for row in view.buttons for b in row if b.action.startswith("att:mk:")]
    assert marks == [
        f"att:mk:{seeded.cls.id}:s2:2024-07-15:{other.id}:p",
        f"att:mk:{seeded.cls.id}:s2:2024-07-15:{seeded.trainee.id}:p",
    ]
    tapped = await actions.dispatch(ctx(db, seeded.manager, clock), marks[0])
    again = await actions.dispatch(ctx(db, seeded.manager, clock), marks[0])
    assert tapped.toast == "Marked present." and tapped.replace
    assert again.toast == "Nothing changed: the list already says so."
    out = await commands.run(
        db, seeded.manager, seeded.cls, "mark", "2 excused illness", clock.now(), "en"
    )
    text = out.replies[0].plain()
    assert text.startswith("Saved.")
    assert "2. Somphone — illness (marked by a manager)" in text
    records = await store.session_records(db, seeded.cls.id, "s2", DAY)
    assert records[seeded.trainee.id].status is Status.EXCUSED
    # A correction: the trainee was there after all.
    await commands.run(db, seeded.manager, seeded.cls, "mark", "2 present", clock.now(), "en")
    records = await store.session_records(db, seeded.cls.id, "s2", DAY)
    assert records[seeded.trainee.id].status is Status.PRESENT
    assert records[seeded.trainee.id].reason == ""
    marks_audited = [
        e for e in await audit.entries(db, seeded.cls.id) if e.action == "attendance.mark"
    ]
    assert [e.details["status"] for e in reversed(marks_audited)] == [
        "present",
        "excused",
        "present",
    ]
    assert marks_audited[0].details["before"] == "excused"


async def test_mark_validation_and_past_sessions(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(dt.datetime(2024, 7, 16, 4, 0, tzinfo=dt.UTC))  # 16/7 11:00
    run = commands.run
    no_reason = await run(db, seeded.manager, seeded.cls, "mark", "1 excused", clock.now(), "en")
    assert "Please add the reason" in no_reason.replies[0].plain()
    bad = await run(db, seeded.manager, seeded.cls, "mark", "9 absent", clock.now(), "en")
    assert bad.replies[0].plain() == "There is no trainee number 9 in the list (1–1)."
    nonsense = await run(db, seeded.manager, seeded.cls, "mark", "hello", clock.now(), "en")
    assert nonsense.replies[0].plain().startswith("Please write, for example")
    past = await run(db, seeded.manager, seeded.cls, "mark", "1 vắng 15/7 09:15", clock.now(), "en")
    assert "Attendance: Topic 1" in past.replies[0].plain()
    records = await store.session_records(db, seeded.cls.id, "s2", DAY)
    assert records[seeded.trainee.id].status is Status.ABSENT
    none = await run(
        db, seeded.manager, seeded.cls, "mark", "1 absent 15/7 13:30", clock.now(), "en"
    )
    assert none.replies[0].plain() == "There is no session with a sign-in at that day and time."


async def test_trainees_cannot_mark_or_see_the_list(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(OPEN)
    with pytest.raises(Forbidden):
        await register.live_view(db, seeded.trainee, seeded.cls, clock.now(), "en")
    out = await commands.run(db, seeded.trainee, seeded.cls, "mark", "1 present", clock.now(), "en")
    assert out.replies[0].plain() == "Sorry, only the class managers can do that."
    action = f"att:mk:{seeded.cls.id}:s2:2024-07-15:{seeded.trainee.id}:p"
    tapped = await actions.dispatch(ctx(db, seeded.trainee, clock), action)
    assert tapped.toast == "Only the class managers can do this."
    assert await store.class_records(db, seeded.cls.id) == []


async def test_settings_and_room_code_on_the_list(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(OPEN)
    run = commands.run
    out = await run(db, seeded.manager, seeded.cls, "signin", "code 5", clock.now(), "en")
    assert out.resync == seeded.cls.id
    assert "a room code that changes every 5 minutes" in out.replies[0].plain()
    same = await run(db, seeded.manager, seeded.cls, "signin", "code 5", clock.now(), "en")
    assert same.resync is None and "Nothing changed." in same.replies[0].plain()
    view = await register.live_view(db, seeded.manager, seeded.cls, clock.now(), "en")
    assert "Code to show in the room: " in view.plain()
    await run(db, seeded.manager, seeded.cls, "signin", "open 30", clock.now(), "en")
    added = await run(db, seeded.manager, seeded.cls, "signin", "add 15/7 08:00", clock.now(), "en")
    assert added.resync == seeded.cls.id
    settings = await store.settings(db, seeded.cls.id)
    assert settings.opens_min == 30 and settings.code_minutes == 5
    assert await store.extra_sessions(db, seeded.cls.id) == {("s1", DAY)}
    wrong = await run(db, seeded.manager, seeded.cls, "signin", "kinds dinner", clock.now(), "en")
    assert wrong.replies[0].plain().startswith("Session kinds:")
    trainee = await run(db, seeded.trainee, seeded.cls, "signin", "code off", clock.now(), "en")
    assert "Your attendance" in trainee.replies[0].plain()
    changes = [
        e for e in await audit.entries(db, seeded.cls.id) if e.action == "attendance.settings"
    ]
    assert len(changes) == 3


async def test_navigate_between_sessions(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    clock.set(OPEN)
    view = await register.live_view(db, seeded.manager, seeded.cls, clock.now(), "en")
    nav = [b.action for b in view.buttons[-1]]
    assert nav == [
        f"att:ls:{seeded.cls.id}:s2:2024-07-15",
        f"att:ls:{seeded.cls.id}:s4:2024-07-16",
    ]
    following = await actions.dispatch(ctx(db, seeded.manager, clock), nav[1])
    assert following.replace and "Attendance: Topic 2" in following.replies[0].plain()
    assert "Sign-in opens at 07:45." in following.replies[0].plain()
    refused = await actions.dispatch(ctx(db, seeded.trainee, clock), nav[1])
    assert refused.toast == "Only the class managers can do this."
