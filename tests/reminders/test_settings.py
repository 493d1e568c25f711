"""/remind, /quiet and /settings: parsing, answers in the member's language, job re-sync."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import actions
from bot.actions import ActionContext
from bot.clock import FakeClock
from bot.domain import Channel
from bot.i18n import _, use_lang
from bot.people.permissions import Forbidden
from bot.reminders import settings as reminder_settings
from bot.reminders.settings import parse_clock, parse_quiet
from bot.store import audit, classes, people
from bot.store.database import Database
from bot.telegram.context import BotApp
from tests.helpers.app import feed
from tests.helpers.sample import Seeded
from tests.helpers.telegram import RecordingRequest, callback_update, message_update


def test_parsing_times_and_spans() -> None:
    assert parse_clock("6:30") == dt.time(6, 30)
    assert parse_clock("06h") == dt.time(6, 0)
    assert parse_clock("18.05") == dt.time(18, 5)
    assert parse_clock("25:00") is None and parse_clock("soon") is None
    assert parse_quiet("22:00-06:00") == (dt.time(22), dt.time(6))
    assert parse_quiet("21h – 5h30") == (dt.time(21), dt.time(5, 30))
    assert parse_quiet("22:00") is None


async def test_remind_off_on_and_own_time(db: Database, seeded: Seeded) -> None:
    off = await reminder_settings.remind_command(db, seeded.trainee, "off", "lo")
    assert off.resync == ()
    person = await people.get_person(db, seeded.trainee.id)
    assert person is not None and not person.remind
    with use_lang("lo"):
        assert _("Morning digest: off") in off.reply.plain()
        assert off.reply.buttons[0][0].action == "remind:on"
    own = await reminder_settings.remind_command(db, seeded.trainee, "6:00", "lo")
    assert own.resync == (seeded.cls.id,)
    person = await people.get_person(db, seeded.trainee.id)
    assert person is not None and person.remind and person.digest_time == dt.time(6, 0)
    back = await reminder_settings.remind_command(db, seeded.trainee, "default", "en")
    assert "Digest time: 06:30 (venue time)" in back.reply.plain()
    wrong = await reminder_settings.remind_command(db, seeded.trainee, "later", "en")
    assert wrong.reply.plain() == "Please write a time such as 06:00, or on, off or default."


async def test_quiet_hours(db: Database, seeded: Seeded) -> None:
    done = await reminder_settings.quiet_command(db, seeded.trainee, "21:00-05:30", "en")
    assert "Quiet hours: 21:00–05:30 (venue time)" in done.reply.plain()
    none = await reminder_settings.quiet_command(db, seeded.trainee, "off", "en")
    assert "Quiet hours: none" in none.reply.plain()
    bad = await reminder_settings.quiet_command(db, seeded.trainee, "all night", "en")
    assert bad.reply.plain() == "Please write quiet hours such as 22:00-06:00, or off."


async def test_remind_button(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    context = ActionContext(
        db=db, person=seeded.trainee, lang="en", now=clock.now(), channel=Channel.TELEGRAM
    )
    result = await actions.dispatch(context, "remind:off")
    assert result.replace and "Morning digest: off" in result.replies[0].plain()


async def test_class_settings_for_managers(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    with pytest.raises(Forbidden):
        await reminder_settings.class_settings_command(
            db, seeded.trainee, seeded.cls, "digest 06:00", clock.now(), "en"
        )
    done = await reminder_settings.class_settings_command(
        db, seeded.manager, seeded.cls, "departure 45", clock.now(), "en"
    )
    assert done.resync == (seeded.cls.id,)
    assert "Departure reminder: 45 min before departure" in done.reply.plain()
    await reminder_settings.class_settings_command(
        db, seeded.manager, seeded.cls, "evening 19:30", clock.now(), "en"
    )
    cls = await classes.get_class(db, seeded.cls.id)
    assert cls is not None
    assert (cls.departure_reminder_min, cls.evening_notice_time) == (45, dt.time(19, 30))
    assert [e.action for e in await audit.entries(db, cls.id)][:2] == ["reminders.settings"] * 2
    out_of_range = await reminder_settings.class_settings_command(
        db, seeded.manager, seeded.cls, "rollcall 0", clock.now(), "en"
    )
    assert out_of_range.resync == ()
    assert out_of_range.reply.plain() == "Please give a number of minutes from 1 to 240."


def job_names(app: BotApp) -> set[str]:
    assert app.job_queue is not None
    return {str(j.name) for j in app.job_queue.jobs()}


async def test_commands_on_telegram_resync_jobs(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    cid = seeded.cls.id
    assert f"digest:{cid}:2024-07-15" in job_names(app)  # derived at start-up
    await feed(app, message_update("/remind 06:00", user_id=501))
    (answer,) = request_recorder.messages(501)
    with use_lang("lo"):
        assert _("Your reminders") in answer.text
    assert f"digest:{cid}:2024-07-16@06:00" in job_names(app)
    request_recorder.clear()
    await feed(app, message_update("/settings departure 20", user_id=601))
    (settings,) = request_recorder.messages(601)
    assert "20" in settings.text
    assert app.job_queue is not None
    (depart,) = app.job_queue.get_jobs_by_name(f"depart:{cid}:s3")
    assert depart.data.when == dt.datetime(2024, 7, 15, 5, 55, tzinfo=dt.UTC)
    request_recorder.clear()
    await feed(app, message_update("/settings digest 05:00", user_id=501))
    (refusal,) = request_recorder.messages(501)
    assert "05:00" not in refusal.text
    request_recorder.clear()
    await feed(app, callback_update("remind:off", user_id=501))
    assert request_recorder.sent("editMessageText")
