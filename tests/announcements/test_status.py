"""After an announcement: the Received button, the one follow-up and summary, the reports."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import actions
from bot.announcements import publish as announcements
from bot.announcements import status as announcement_status
from bot.clock import FakeClock
from bot.domain import Channel
from bot.i18n import use_lang
from bot.outbox.sender import Unreachable
from bot.outbox.worker import DeliveryWorker
from bot.store import Database
from tests.helpers.announcements import draft, enrol
from tests.helpers.sample import Seeded, seed
from tests.helpers.senders import FakeSender, clock_sleep


@pytest.fixture
async def seeded(db: Database, clock: FakeClock) -> Seeded:
    """The sample class with three trainees: Somphone (lo), Bounmy (lo), John (en)."""
    s = await seed(db, clock.now())
    await enrol(db, s, "502", "Bounmy", "lo", clock.now())
    await enrol(db, s, "503", "John", "en", clock.now())
    return s


async def test_ack_is_idempotent_and_only_for_recipients(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    ann, _ = await announcements.create(
        db, seeded.manager, draft(seeded, needs_ack=True), clock.now()
    )
    assert await announcement_status.ack(db, seeded.trainee, ann.id, clock.now()) is True
    assert await announcement_status.ack(db, seeded.trainee, ann.id, clock.now()) is False
    assert await announcement_status.ack(db, seeded.manager, ann.id, clock.now()) is None
    ctx = actions.ActionContext(db, seeded.trainee, "vi", clock.now(), Channel.TELEGRAM)
    result = await actions.dispatch(ctx, f"ack:{ann.id}")
    assert result.toast == "Anh/Chị đã xác nhận thông báo này rồi."
    assert (await actions.dispatch(ctx, "ack:nonsense")).toast == actions.expired().toast


async def test_delivery_follow_up_and_summary(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    sender = FakeSender(clock)
    sender.fail("502", Unreachable("blocked"))
    worker = DeliveryWorker(db, [sender], clock, sleep=clock_sleep(clock))
    ann, _ = await announcements.create(
        db, seeded.manager, draft(seeded, needs_ack=True), clock.now()
    )
    await worker.run_until_idle()
    await announcement_status.ack(db, seeded.trainee, ann.id, clock.now())

    rep = await announcement_status.report(db, ann)
    assert (rep.sent, rep.unreachable, rep.acknowledged) == (
        ["John", "Somphone"],
        ["Bounmy"],
        ["Somphone"],
    )
    assert rep.not_acknowledged == ["John"]
    with use_lang("en"):
        lines = announcement_status.report_lines(rep)
    assert lines[0] == "2 sent · 1 read-confirmed"
    assert "1 could not be reached (blocked the bot or left): Bounmy" in lines
    assert "1 not yet confirmed: John" in lines

    clock.advance(dt.timedelta(minutes=29))
    assert await announcement_status.run_due_followups(db, clock.now()) == 0
    clock.advance(dt.timedelta(minutes=1))
    assert await announcement_status.run_due_followups(db, clock.now()) == 2  # John + the summary
    assert await announcement_status.run_due_followups(db, clock.now()) == 0  # only one reminder
    sender.sent.clear()
    await worker.run_until_idle()

    assert sorted(m.chat_id for m in sender.sent) == ["503", "601"]
    reminder = next(m for m in sender.sent if m.chat_id == "503")
    assert reminder.reply.plain().startswith("Reminder: please confirm")
    assert reminder.reply.buttons[0][0].action == f"ack:{ann.id}"
    summary = next(m for m in sender.sent if m.chat_id == "601").reply.plain()
    assert "2 đã gửi" in summary and "John" in summary and "Bounmy" in summary
    rep = await announcement_status.report(db, ann)
    assert rep.sent == ["John", "Somphone"]  # reminders do not count as new deliveries


async def test_class_report_lists_recent_announcements(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    empty = await announcement_status.report_for(db, seeded.manager, seeded.cls.id, "en")
    assert "No announcements yet." in empty.plain()
    await announcements.create(db, seeded.manager, draft(seeded), clock.now())
    text = (await announcement_status.class_report(db, seeded.cls.id, "en")).plain()
    assert "Whole class: Chiều nay xe xuất phát" in text
    assert "0 sent" in text and "3 still being sent: Bounmy, John, Somphone" in text
