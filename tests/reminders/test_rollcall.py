"""Roll call: idempotent check-in, the live list, marking present (managers only, audited)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot import actions
from bot.actions import ActionContext
from bot.clock import FakeClock
from bot.domain import Channel, Person, Schedule
from bot.i18n import _, use_lang
from bot.people.permissions import Forbidden
from bot.reminders import messages as reminder_messages
from bot.reminders import rollcall
from bot.store import audit, classes
from bot.store import reminders as store
from bot.store.database import Database
from bot.store.versions import save_version
from bot.telegram.context import BotApp
from tests.helpers.app import feed
from tests.helpers.sample import Seeded, seed, vientiane_schedule
from tests.helpers.telegram import RecordingRequest, callback_update, message_update

DAY = dt.date(2024, 7, 15)
BEFORE_BUS = dt.datetime(2024, 7, 15, 6, 0, tzinfo=dt.UTC)  # 13:00 in Hanoi, bus at 13:15


@pytest.fixture
async def seeded(db: Database, clock: FakeClock) -> Seeded:
    s = await seed(db, clock.now())
    clock.set(BEFORE_BUS)
    return s


def ctx(db: Database, person: Person, clock: FakeClock, lang: str) -> ActionContext:
    return ActionContext(db=db, person=person, lang=lang, now=clock.now(), channel=Channel.TELEGRAM)


async def test_check_in_is_idempotent(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    action = f"checkin:{seeded.cls.id}:s3:{DAY.isoformat()}"
    first = await actions.dispatch(ctx(db, seeded.trainee, clock, "lo"), action)
    second = await actions.dispatch(ctx(db, seeded.trainee, clock, "lo"), action)
    with use_lang("lo"):
        assert first.toast == _("Thank you, {name}: you are checked in. Have a good trip!").format(
            name="Somphone"
        )
        assert second.toast == _("You are already checked in. Have a good trip!")
    assert first.toast != second.toast
    assert list(await store.checkins(db, seeded.cls.id, "s3", DAY)) == [seeded.trainee.id]


async def test_check_in_for_unknown_or_past_departure(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    unknown = await actions.dispatch(
        ctx(db, seeded.trainee, clock, "en"), f"checkin:{seeded.cls.id}:s1:{DAY.isoformat()}"
    )
    assert unknown.toast == "This departure is no longer in the schedule."
    clock.set(dt.datetime(2024, 7, 16, 2, 0, tzinfo=dt.UTC))
    late = await actions.dispatch(
        ctx(db, seeded.trainee, clock, "en"), f"checkin:{seeded.cls.id}:s3:{DAY.isoformat()}"
    )
    assert late.toast == "This departure has already passed."
    bad = await actions.dispatch(ctx(db, seeded.trainee, clock, "en"), "checkin:x:s3:nope")
    assert bad.toast == "This button is no longer active."
    assert await store.checkins(db, seeded.cls.id, "s3", DAY) == {}


async def test_live_list_for_managers_only(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    view = await rollcall.rollcall_view(db, seeded.manager, seeded.cls, clock.now(), "en")
    text = view.plain()
    assert "On the bus: 0 of 1" in text and "• Somphone" in text
    labels = [b.label for row in view.buttons for b in row]
    assert labels == ["Mark present: Somphone", "Refresh"]
    with pytest.raises(Forbidden):
        await rollcall.rollcall_view(db, seeded.trainee, seeded.cls, clock.now(), "en")
    await store.add_checkin(
        db,
        class_id=seeded.cls.id,
        session_key="s3",
        day=DAY,
        person_id=seeded.trainee.id,
        now=clock.now(),
    )
    after = await rollcall.rollcall_view(db, seeded.manager, seeded.cls, clock.now(), "en")
    assert "Everyone has checked in." in after.plain()
    assert "On the bus: 1 of 1" in after.plain()


async def test_a_class_without_trainees_is_not_told_everyone_checked_in(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    await db.execute(
        "DELETE FROM members WHERE class_id = ? AND person_id = ?",
        (seeded.cls.id, seeded.trainee.id),
    )
    for lang in ("vi", "lo", "en"):
        view = await rollcall.rollcall_view(db, seeded.manager, seeded.cls, clock.now(), lang)
        with use_lang(lang):
            assert _("Everyone has checked in.") not in view.plain()
            assert _("No trainee has joined this class yet.") in view.plain()


async def test_no_departure_left(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    clock.set(dt.datetime(2024, 7, 15, 8, 0, tzinfo=dt.UTC))  # 15:00: the bus left 1h45 ago
    view = await rollcall.rollcall_view(db, seeded.admin, seeded.cls, clock.now(), "en")
    assert view.plain() == "There is no upcoming departure in this class."


async def test_marking_present_is_for_managers_and_audited(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    action = f"mark:{seeded.cls.id}:s3:{DAY.isoformat()}:{seeded.trainee.id}"
    refused = await actions.dispatch(ctx(db, seeded.trainee, clock, "en"), action)
    assert refused.toast == "Only the class managers can do this." and not refused.replies
    assert await store.checkins(db, seeded.cls.id, "s3", DAY) == {}
    done = await actions.dispatch(ctx(db, seeded.manager, clock, "en"), action)
    assert done.replace and done.toast == "Marked present."
    assert "Somphone (marked by a manager)" in done.replies[0].plain()
    marked = (await store.checkins(db, seeded.cls.id, "s3", DAY))[seeded.trainee.id]
    assert marked.marked_by == seeded.manager.id
    (entry,) = [e for e in await audit.entries(db, seeded.cls.id) if e.action == "rollcall.mark"]
    assert entry.actor_person_id == seeded.manager.id
    assert entry.details == {"day": "2024-07-15", "person_id": seeded.trainee.id, "session": "s3"}
    await actions.dispatch(ctx(db, seeded.manager, clock, "en"), action)  # again: no new entry
    assert len([e for e in await audit.entries(db) if e.action == "rollcall.mark"]) == 1


async def test_rollcall_command_on_telegram(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await feed(app, message_update("/rollcall", user_id=601, first_name="Nguyễn Thị Lan"))
    (answer,) = request_recorder.messages(601)
    assert "Somphone" in answer.text
    assert answer.buttons[0] == [
        ("Xác nhận có mặt: Somphone", f"mark:{seeded.cls.id}:s3:2024-07-15:{seeded.trainee.id}")
    ]
    await feed(app, message_update("/rollcall", user_id=501))
    (refusal,) = request_recorder.messages(501)
    assert "Somphone" not in refusal.text and not refusal.buttons


async def test_bus_button_on_telegram(
    app: BotApp, db: Database, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await feed(app, callback_update(f"checkin:{seeded.cls.id}:s3:2024-07-15", user_id=501))
    (answer,) = request_recorder.sent("answerCallbackQuery")
    with use_lang("lo"):
        expected = _("Thank you, {name}: you are checked in. Have a good trip!")
    assert answer.params["text"] == expected.format(name="Somphone")
    assert seeded.trainee.id in await store.checkins(db, seeded.cls.id, "s3", DAY)


async def test_long_or_odd_session_keys_fit_in_callback_data(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    key = "field:visit:" + "x" * 60
    base = vientiane_schedule()
    sessions = tuple(dataclasses.replace(x, key=key) if x.key == "s3" else x for x in base.sessions)
    await save_version(
        db,
        Schedule(base.cls, base.topics, sessions),
        created_by="t",
        source_hash="k",
        now=clock.now(),
    )
    cls = await classes.get_class(db, seeded.cls.id)
    assert cls is not None
    (visit,) = [x for x in await classes.sessions_on(db, cls, DAY) if x.key == key]
    (row,) = reminder_messages.departure_reminder(cls, visit, "en").buttons
    assert len(row[0].action.encode()) <= 64
    result = await actions.dispatch(ctx(db, seeded.trainee, clock, "en"), row[0].action)
    assert result.toast is not None and "checked in" in result.toast
    assert seeded.trainee.id in await store.checkins(db, cls.id, key, DAY)
    view = await rollcall.rollcall_view(db, seeded.manager, cls, clock.now(), "en")
    assert all(len(b.action.encode()) <= 64 for line in view.buttons for b in line)
    assert "Everyone has checked in." in view.plain()
