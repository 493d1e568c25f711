"""Sign-in: the window, once per session, the room code, the trainee's own record."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import actions
from bot.actions import ActionContext
from bot.attendance import commands, sessions, signin
from bot.clock import FakeClock
from bot.domain import Channel, Person
from bot.store import attendance as store
from bot.store import audit
from bot.store.attendance import SigninSettings, Status
from bot.store.database import Database
from tests.helpers.sample import Seeded

DAY = dt.date(2024, 7, 15)
OPEN = dt.datetime(2024, 7, 15, 2, 5, tzinfo=dt.UTC)  # 09:05 in Hanoi; s2 starts 09:15


def ctx(db: Database, person: Person, clock: FakeClock, lang: str = "en") -> ActionContext:
    return ActionContext(db=db, person=person, lang=lang, now=clock.now(), channel=Channel.TELEGRAM)


def tap(seeded: Seeded, key: str = "s2", day: dt.date = DAY) -> str:
    return f"att:in:{seeded.cls.id}:{key}:{day.isoformat()}"


async def test_sign_in_once_and_audited(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    clock.set(OPEN)
    first = await actions.dispatch(ctx(db, seeded.trainee, clock), tap(seeded))
    second = await actions.dispatch(ctx(db, seeded.trainee, clock), tap(seeded))
    assert "you are signed in for Topic 1 (09:05)" in first.replies[0].plain()
    assert second.replies[0].plain() == (
        "You are already signed in (at 09:05). Nothing has changed."
    )
    records = await store.session_records(db, seeded.cls.id, "s2", DAY)
    assert [(r.person_id, r.status) for r in records.values()] == [
        (seeded.trainee.id, Status.PRESENT)
    ]
    entries = [e for e in await audit.entries(db, seeded.cls.id) if e.action.startswith("att")]
    assert len(entries) == 1 and entries[0].details == {"session": "s2", "day": "2024-07-15"}


async def test_before_opening_and_after_closing(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(dt.datetime(2024, 7, 15, 1, 30, tzinfo=dt.UTC))  # 08:30
    early = await actions.dispatch(ctx(db, seeded.trainee, clock), tap(seeded))
    assert early.replies[0].plain() == "Sign-in for Topic 1 opens at 09:00."
    clock.set(dt.datetime(2024, 7, 15, 2, 45, tzinfo=dt.UTC))  # 09:45: closed
    late = await actions.dispatch(ctx(db, seeded.trainee, clock), tap(seeded))
    assert late.replies[0].plain().startswith("Sign-in for Topic 1 closed at 09:45.")
    assert "ask a class manager to correct your record" in late.replies[0].plain()
    assert await store.session_records(db, seeded.cls.id, "s2", DAY) == {}


async def test_only_trainees_of_the_class_and_real_sessions(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(OPEN)
    manager = await actions.dispatch(ctx(db, seeded.manager, clock), tap(seeded))
    assert manager.replies == [] and manager.toast is not None
    assert manager.toast.startswith("Sign-in is for trainees")
    opening = await actions.dispatch(ctx(db, seeded.trainee, clock), tap(seeded, "s1"))
    assert opening.replies == [] and opening.toast == "This button is no longer active."
    bad = await actions.dispatch(ctx(db, seeded.trainee, clock), "att:in:x:s2:nope")
    assert bad.toast == "This button is no longer active."
    assert await store.class_records(db, seeded.cls.id) == []


async def test_room_code(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    await store.save_settings(
        db, seeded.cls.id, SigninSettings(code_minutes=5, code_secret="secret")
    )
    clock.set(OPEN)
    asked = await actions.dispatch(ctx(db, seeded.trainee, clock), tap(seeded))
    assert asked.replies[0].plain() == "Please type the 4-digit code shown in the room."
    assert await store.session_records(db, seeded.cls.id, "s2", DAY) == {}
    wrong = await commands.typed_answer(db, seeded.trainee, "0000x", clock.now(), "en")
    assert wrong is not None
    assert wrong[0].plain() == "That code is not the one shown in the room. Please type it again."
    settings = await store.settings(db, seeded.cls.id)
    found = await sessions.resolve(db, seeded.cls.id, "s2", DAY)
    assert found is not None
    earlier = sessions.room_code(settings, seeded.cls.id, found[1], clock.now())
    clock.advance(dt.timedelta(minutes=5))  # the code changed; the one just read still works
    right = await commands.typed_answer(db, seeded.trainee, earlier, clock.now(), "en")
    assert right is not None and "you are signed in" in right[0].plain()
    assert await store.awaited(db, seeded.trainee.id, clock.now()) is None
    clock.advance(dt.timedelta(minutes=10))  # two codes later, the old one is refused
    assert not sessions.code_matches(settings, seeded.cls.id, found[1], earlier, clock.now())


async def test_own_record_in_words_and_half_days(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(OPEN)
    await actions.dispatch(ctx(db, seeded.trainee, clock), tap(seeded))
    clock.set(dt.datetime(2024, 7, 16, 1, 0, tzinfo=dt.UTC))  # 16/7 08:00: s4's sign-in open
    reply = await signin.my_record(db, seeded.trainee, seeded.cls, clock.now(), "en")
    text = reply.plain()
    assert "✅ Mon, 7/15 09:15 Topic 1: present" in text or "Topic 1: present" in text
    assert "Topic 2: sign-in open now" in text
    assert "Half-days: 1 present, 0 excused, 0 absent (of 1 counted so far)." in text
    labels = [b.action for row in reply.buttons for b in row]
    assert labels == [f"att:in:{seeded.cls.id}:s4:2024-07-16"]
    for words in ("điểm danh", "ລົງຊື່", "Attendance", "diem danh?"):
        assert commands.PLAIN_WORDS.match(words), words
    assert not commands.PLAIN_WORDS.match("điểm danh xe buýt lúc mấy giờ")


@pytest.mark.parametrize("lang", ["vi", "lo"])
async def test_answers_in_the_readers_language(
    db: Database, clock: FakeClock, seeded: Seeded, lang: str
) -> None:
    clock.set(OPEN)
    result = await actions.dispatch(ctx(db, seeded.trainee, clock, lang), tap(seeded))
    english = "Thank you, Somphone: you are signed in"
    assert english not in result.replies[0].plain()
    assert "Somphone" in result.replies[0].plain()


async def test_a_question_instead_of_the_code_is_not_taken_for_one(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    await store.save_settings(
        db, seeded.cls.id, SigninSettings(code_minutes=5, code_secret="secret")
    )
    clock.set(OPEN)
    await actions.dispatch(ctx(db, seeded.trainee, clock), tap(seeded))
    assert (
        await commands.typed_answer(db, seeded.trainee, "lịch hôm nay", clock.now(), "en") is None
    )
    assert await store.awaited(db, seeded.trainee.id, clock.now()) is None
