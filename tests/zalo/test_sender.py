"""The Zalo sender: renders in the recipient's language, splits, remembers numbered choices."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.announcements import publish as announcements
from bot.announcements import status as announcement_status
from bot.clock import FakeClock
from bot.domain import Channel, Role, localized
from bot.i18n import use_lang
from bot.outbox.sender import PartlySent, RetryAfter, Sender, TransientError, Unreachable
from bot.outbox.worker import DeliveryWorker
from bot.people import invites, linking
from bot.reminders import planning as reminders
from bot.replies import Block, Button, Reply
from bot.store import Database, choices, outbox, people
from bot.store.outbox import OutgoingMessage
from bot.zalo.client import ZaloClient
from bot.zalo.conversation import Conversation
from bot.zalo.sender import ZaloSender
from tests.helpers.sample import Seeded, seed
from tests.helpers.senders import FakeSender, clock_sleep
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update


@pytest.fixture
async def sender(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> AsyncIterator[ZaloSender]:
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        yield ZaloSender(client, db, clock)


async def _zalo_person(db: Database, clock: FakeClock, lang: str) -> None:
    person, _, _ = await people.upsert_identity(
        db,
        channel=Channel.ZALO,
        external_id="zu7",
        chat_id="zu7",
        display_name="Somphone",
        language_code=None,
        now=clock.now(),
    )
    await people.set_lang(db, person.id, lang)


async def test_sends_in_the_recipients_language_and_remembers_choices(
    sender: ZaloSender, zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    await _zalo_person(db, clock, "en")
    reply = Reply(blocks=Reply.text("Announcement").blocks, buttons=((Button("Got it", "ack:5"),),))
    message_id = await sender.send("zu7", reply)
    assert sender.channel is Channel.ZALO
    assert message_id == "m1"
    assert zalo_server.messages("zu7") == ["Announcement\n\n1. Got it\nReply 1 for “Got it”."]
    assert await choices.pick(db, Channel.ZALO, "zu7", 1) == "ack:5"


async def test_long_reply_goes_out_as_several_messages(
    sender: ZaloSender, zalo_server: FakeZaloServer
) -> None:
    lines = tuple(f"{i:03d} " + "x" * 95 for i in range(50))
    message_id = await sender.send("zu8", Reply(blocks=(Block(lines=lines),)))
    sent = zalo_server.sent("sendMessage", "zu8")
    assert len(sent) == 3 and all(len(c.text) <= 2000 for c in sent)
    assert message_id == "m3"


async def test_failures_surface_as_delivery_errors(
    sender: ZaloSender, zalo_server: FakeZaloServer
) -> None:
    zalo_server.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter):
        await sender.send("zu9", Reply.text("x"))
    zalo_server.fail_next("sendMessage", status=403)
    with pytest.raises(TransientError):  # one 403 is no evidence that the person left
        await sender.send("zu9", Reply.text("x"))


async def test_a_part_failing_after_others_is_partly_sent_and_resumes_with_skip(
    sender: ZaloSender, zalo_server: FakeZaloServer, db: Database
) -> None:
    lines = tuple(f"{i:03d} " + "x" * 95 for i in range(30))
    reply = Reply(blocks=(Block(lines=lines),), buttons=((Button("Got it", "ack:5"),),))
    zalo_server.fail_next("sendMessage", status=503, description="Service unavailable", after=1)
    with pytest.raises(PartlySent) as caught:
        await sender.send("zu8", reply)
    assert caught.value.done == 1 and isinstance(caught.value.cause, TransientError)
    assert await choices.pick(db, Channel.ZALO, "zu8", 1) is None  # not until the last part

    zalo_server.clear()
    await sender.send("zu8", reply, skip=1)
    (last,) = zalo_server.messages("zu8")
    assert last.startswith("0") and "1. Got it" in last
    assert await choices.pick(db, Channel.ZALO, "zu8", 1) == "ack:5"


# --- through the delivery worker, end to end ------------------------------------------


async def test_reply_in_two_parts_whose_second_is_flood_limited_arrives_once(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    await _zalo_person(db, clock, "en")
    person = await people.find_identity(db, Channel.ZALO, "zu7")
    assert person is not None
    lines = tuple(f"{i:03d} " + "x" * 95 for i in range(30))
    now = clock.now()
    message = OutgoingMessage(
        "two", "test", Reply(blocks=(Block(lines=lines),)), now, person_id=person.person_id
    )
    await outbox.enqueue(db, [message], now)
    zalo_server.fail_next("sendMessage", status=429, retry_after=5, after=1)
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        worker = _worker(db, clock, ZaloSender(client, db, clock))
        await worker.run_until_idle(until=now + dt.timedelta(minutes=1))

    first, refused, second = zalo_server.messages("zu7")
    assert first.startswith("000 ") and second == refused and second.startswith("0")
    assert first != second and worker.stats.retried == 1
    row = await outbox.by_key(db, "two")
    assert row is not None and row.state == "sent" and row.parts_done == 1
    assert row.parts_route == "zalo:zu7"
    assert clock.now() - now >= dt.timedelta(seconds=5)


HANOI_0630 = dt.datetime(2024, 7, 14, 23, 30, tzinfo=dt.UTC)
"""The Vientiane class's morning digest time on its opening day (06:30 in Hanoi)."""
HANOI_1245 = dt.datetime(2024, 7, 15, 5, 45, tzinfo=dt.UTC)
"""Thirty minutes before the field visit's 13:15 departure."""


async def _join_on_zalo(
    db: Database, clock: FakeClock, zalo: FakeZaloServer, user: str = "zu501"
) -> tuple[Conversation, Seeded]:
    seeded = await seed(db, clock.now())
    code = (await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())).code
    client = ZaloClient(TOKEN, zalo.url, timeout=5)
    talk = Conversation(db, client, clock)
    await talk.handle(text_update(code, user_id=user))
    await talk.handle(text_update("3", user_id=user))  # English
    zalo.clear()
    return talk, seeded


def _worker(db: Database, clock: FakeClock, *senders: Sender) -> DeliveryWorker:
    return DeliveryWorker(db, list(senders), clock, sleep=clock_sleep(clock))


async def _sent_channel(db: Database, person_id: int) -> list[str]:
    rows = await db.fetchall(
        "SELECT sent_channel FROM outbox WHERE person_id = ? AND state = 'sent'", (person_id,)
    )
    return [r[0] for r in rows]


async def test_morning_digest_reaches_a_zalo_member(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    talk, _seeded = await _join_on_zalo(db, clock, zalo_server)
    clock.set(HANOI_0630)
    assert await reminders.fire_due(db, clock.now()) > 0
    worker = _worker(db, clock, ZaloSender(talk.client, db, clock))
    await worker.run_until_idle()
    await talk.client.close()
    sent = zalo_server.messages("zu501")
    digest = next(m for m in sent if "Opening ceremony" in m)
    assert "08:00" in digest and "<b>" not in digest
    identity = await people.find_identity(db, Channel.ZALO, "zu501")
    assert identity is not None
    assert set(await _sent_channel(db, identity.person_id)) == {"zalo"}


async def test_departure_reminder_then_check_in_by_replying_its_number(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    talk, seeded = await _join_on_zalo(db, clock, zalo_server)
    clock.set(HANOI_1245)
    await reminders.fire_due(db, clock.now())
    await _worker(db, clock, ZaloSender(talk.client, db, clock)).run_until_idle()
    reminder = next(m for m in zalo_server.messages("zu501") if "Reply 1 for" in m)
    assert "\n1. " in reminder and "13:15" in reminder
    zalo_server.clear()
    await talk.handle(text_update("1", user_id="zu501"))
    await talk.client.close()
    (answer,) = zalo_server.messages("zu501")
    assert "checked in" in answer
    row = await db.fetchone(
        "SELECT COUNT(*) FROM checkins WHERE class_id = ? AND session_key = 's3'",
        (seeded.cls.id,),
    )
    assert row is not None and row[0] == 1


async def test_blocked_on_telegram_the_message_goes_out_on_zalo(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    seeded = await seed(db, clock.now())
    code = await linking.issue(db, seeded.trainee, clock.now())
    await people.upsert_identity(
        db,
        channel=Channel.ZALO,
        external_id="zu501",
        chat_id="zu501",
        display_name="Somphone",
        language_code=None,
        now=clock.now(),
    )
    await linking.redeem(db, code, channel=Channel.ZALO, external_id="zu501", now=clock.now())
    await people.upsert_identity(  # then Somphone writes on Telegram: used last
        db,
        channel=Channel.TELEGRAM,
        external_id="501",
        chat_id="501",
        display_name="Somphone",
        language_code="lo",
        now=clock.now(),
    )
    await outbox.enqueue(
        db,
        [
            OutgoingMessage(
                "notice:1", "notice", Reply.text("ແຈ້ງການ"), clock.now(), person_id=seeded.trainee.id
            )
        ],
        clock.now(),
    )
    telegram = FakeSender(clock)
    telegram.fail("501", Unreachable("Forbidden: bot was blocked by the user"))
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        await _worker(db, clock, telegram, ZaloSender(client, db, clock)).run_until_idle()
    assert telegram.sent == [] and zalo_server.messages("zu501") == ["ແຈ້ງການ"]
    assert await _sent_channel(db, seeded.trainee.id) == ["zalo"]


async def test_zalo_flood_and_server_errors_are_retried_by_the_worker(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    talk, _seeded = await _join_on_zalo(db, clock, zalo_server)
    zalo_server.fail_next("sendMessage", status=429, description="Too many requests", retry_after=5)
    zalo_server.fail_next("sendMessage", status=503, description="Service unavailable")
    clock.set(HANOI_0630)
    await reminders.fire_due(db, clock.now())
    start = clock.now()
    worker = _worker(db, clock, ZaloSender(talk.client, db, clock))
    await worker.run_until_idle(until=start + dt.timedelta(minutes=10))
    await talk.client.close()
    queued = worker.stats.sent
    assert queued >= 1 and worker.stats.retried == 2 and worker.stats.failed == 0
    # Two refused attempts (429, then 503), then every message delivered once.
    assert len(zalo_server.sent("sendMessage", "zu501")) == queued + 2
    assert clock.now() - start >= dt.timedelta(seconds=5)


async def test_without_a_chosen_language_the_class_language_is_used(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    seeded = await seed(db, clock.now())  # the Vientiane class speaks Lao by default
    person, _, _ = await people.upsert_identity(
        db,
        channel=Channel.ZALO,
        external_id="zu3",
        chat_id="zu3",
        display_name="Bounmy",
        language_code=None,
        now=clock.now(),
    )
    await people.set_active_class(db, person.id, seeded.cls.id)
    reply = Reply(blocks=Reply.text("ແຈ້ງການ").blocks, buttons=((Button("ຮັບຊາບ", "ack:1"),),))
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        await ZaloSender(client, db, clock).send("zu3", reply)
    (text,) = zalo_server.messages("zu3")
    assert text.endswith("ກະລຸນາຕອບ 1 ເພື່ອເລືອກ “ຮັບຊາບ”.")


async def test_announcement_acknowledged_by_reply_and_fallback_shown_in_the_report(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    talk, seeded = await _join_on_zalo(db, clock, zalo_server, user="zu900")
    # Somphone (Telegram 501) links a Zalo account, then blocks the bot on Telegram.
    code = await linking.issue(db, seeded.trainee, clock.now())
    await talk.handle(text_update(f"/link {code}", user_id="zu501"))
    await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id="501",
        chat_id="501",
        display_name="Somphone",
        language_code="lo",
        now=clock.now(),
    )
    zalo_server.clear()
    body = localized({"vi": "Chiều nay xe xuất phát lúc 13:15", "en": "The bus leaves at 13:15"})
    draft = announcements.Draft(class_id=seeded.cls.id, body=body, needs_ack=True)
    ann, queued = await announcements.create(db, seeded.manager, draft, clock.now())
    assert queued == 2
    telegram = FakeSender(clock)
    telegram.fail("501", Unreachable("Forbidden: bot was blocked by the user"))
    await _worker(db, clock, telegram, ZaloSender(talk.client, db, clock)).run_until_idle()

    (notice,) = zalo_server.messages("zu900")
    assert "The bus leaves at 13:15" in notice and "1. ✅" in notice
    assert len(zalo_server.messages("zu501")) == 1  # Somphone's copy, on Zalo
    zalo_server.clear()
    await talk.handle(text_update("1", user_id="zu900"))
    await talk.client.close()
    assert zalo_server.messages("zu900") == ["Thank you. Your confirmation has been recorded."]

    report = await announcement_status.report(db, ann)
    assert len(report.acknowledged) == 1 and report.channels == {"Zalo": 2}
    with use_lang("en"):
        lines = announcement_status.report_lines(report)
    assert "Delivered by channel: Zalo 2" in lines
