"""The Telegram sender: rendering through the Bot API and typed delivery errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot
from telegram import error as tg

from bot.agenda.cards import departure_card
from bot.clock import FakeClock
from bot.domain import Channel
from bot.outbox.sender import (
    PartlySent,
    Rejected,
    RetryAfter,
    TransientError,
    Uncertain,
    Unreachable,
)
from bot.outbox.worker import DeliveryWorker
from bot.replies import Block, Button, Reply
from bot.store import Database, outbox, people
from bot.telegram.sender import TelegramSender, delivery_error
from tests.helpers.sample import seed, vientiane_schedule
from tests.helpers.senders import clock_sleep
from tests.helpers.telegram import RecordingRequest


@pytest.fixture
async def bot(request_recorder: RecordingRequest) -> AsyncIterator[Bot]:
    bot = Bot("123:offline", request=request_recorder, get_updates_request=request_recorder)
    await bot.initialize()
    try:
        yield bot
    finally:
        await bot.shutdown()


HELLO = Reply(
    blocks=(Reply.text("<b>not bold</b> & co", title="Notice").blocks[0],),
    buttons=((Button("✅ Received", "ack:7"),),),
)


async def test_sends_escaped_html_with_buttons(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    message_id = await TelegramSender(bot).send("501", HELLO)

    (call,) = request_recorder.sent("sendMessage")
    assert call.chat_id == "501" and message_id.isdigit()
    assert call.text == "<b>Notice</b>\n&lt;b&gt;not bold&lt;/b&gt; &amp; co"
    assert call.buttons == [[("✅ Received", "ack:7")]]
    assert "allow_paid_broadcast" not in call.params


async def test_paid_broadcast_flag_is_sent_when_enabled(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    await TelegramSender(bot, paid=True).send(
        "501", Reply(blocks=HELLO.blocks, media=("photo", "P1"))
    )
    (call,) = request_recorder.sent("sendPhoto")
    assert call.params["allow_paid_broadcast"] is True


# PTB's own RetryAfter warns (v22.2) about its int/timedelta change; that is not ours to fix.
PTB_RETRY_AFTER_WARNING = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)


@PTB_RETRY_AFTER_WARNING
@pytest.mark.parametrize(
    ("status", "description", "retry_after", "expected"),
    [
        (429, "Too Many Requests: retry after 7", 7, RetryAfter),
        (403, "Forbidden: bot was blocked by the user", None, Unreachable),
        (403, "Forbidden: user is deactivated", None, Unreachable),
        (400, "Bad Request: chat not found", None, Unreachable),
        (400, "Bad Request: can't parse entities", None, Rejected),
        (502, "Bad Gateway", None, TransientError),
        (500, "Internal Server Error", None, TransientError),
    ],
)
async def test_bot_api_errors_become_typed_delivery_errors(
    bot: Bot,
    request_recorder: RecordingRequest,
    status: int,
    description: str,
    retry_after: int | None,
    expected: type[Exception],
) -> None:
    request_recorder.fail_next(
        "sendMessage", status=status, description=description, retry_after=retry_after
    )
    with pytest.raises(expected) as caught:
        await TelegramSender(bot).send("501", HELLO)
    if isinstance(caught.value, RetryAfter):
        assert caught.value.seconds == 7


@PTB_RETRY_AFTER_WARNING
async def test_worker_over_the_bot_api_retries_429_and_reports_403(
    db: Database, clock: FakeClock, bot: Bot, request_recorder: RecordingRequest
) -> None:
    persons = []
    for ext in ("501", "502", "503"):
        person, _, _ = await people.upsert_identity(
            db,
            channel=Channel.TELEGRAM,
            external_id=ext,
            chat_id=ext,
            display_name=ext,
            language_code="lo",
            now=clock.now(),
        )
        persons.append(person)
    now = clock.now()
    await outbox.enqueue(
        db,
        [outbox.OutgoingMessage(f"t:{p.id}", "test", HELLO, now, person_id=p.id) for p in persons],
        now,
    )
    request_recorder.fail_next("sendMessage", chat_id=501, status=429, retry_after=3)
    request_recorder.fail_next("sendMessage", chat_id=502)  # 403 blocked
    worker = DeliveryWorker(db, [TelegramSender(bot)], clock, sleep=clock_sleep(clock))

    await worker.run_until_idle(until=now + dt.timedelta(minutes=1))

    assert len(request_recorder.sent("sendMessage", 501)) == 2  # the 429, then the copy
    assert len(request_recorder.sent("sendMessage", 503)) == 1
    assert await outbox.state_counts(db) == {"sent": 2, "unreachable": 1}
    blocked = await people.find_identity(db, Channel.TELEGRAM, "502")
    assert blocked is not None and not blocked.reachable
    assert clock.now() - now >= dt.timedelta(seconds=3)


LONG = Reply(blocks=(Block(lines=tuple(f"{i:03d} " + "x" * 95 for i in range(100))),))
"""About 10,000 characters: three messages of at most 4,096."""


async def test_a_part_failing_after_others_is_partly_sent_and_resumes_with_skip(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    request_recorder.fail_next("sendMessage", status=502, description="Bad Gateway", after=2)
    with pytest.raises(PartlySent) as caught:
        await TelegramSender(bot).send("501", LONG)
    assert caught.value.done == 2 and isinstance(caught.value.cause, TransientError)
    first, second, third = (c.text for c in request_recorder.sent("sendMessage"))
    assert first.startswith("000 ") and len({first, second, third}) == 3

    request_recorder.clear()
    message_id = await TelegramSender(bot).send("501", LONG, skip=2)
    (resent,) = request_recorder.sent("sendMessage")
    assert resent.text == third and resent.text.endswith("099 " + "x" * 95)
    assert message_id.isdigit()


async def test_a_first_part_failing_on_a_resumed_send_is_the_bare_error(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    request_recorder.fail_next("sendMessage", status=502, description="Bad Gateway")
    with pytest.raises(TransientError):
        await TelegramSender(bot).send("501", LONG, skip=1)
    assert await TelegramSender(bot).send("501", LONG, skip=3) == ""  # nothing left to send


@PTB_RETRY_AFTER_WARNING
async def test_departure_card_whose_venue_hits_a_flood_limit_is_not_sent_twice(
    db: Database, clock: FakeClock, bot: Bot, request_recorder: RecordingRequest
) -> None:
    seeded = await seed(db, clock.now())
    visit = next(s for s in vientiane_schedule().sessions if s.latitude is not None)
    card = departure_card(seeded.cls, visit, "lo")
    assert card.location is not None  # text, then the meeting point as a venue
    now = clock.now()
    await outbox.enqueue(
        db,
        [outbox.OutgoingMessage("dep:s3", "reminder", card, now, person_id=seeded.trainee.id)],
        now,
    )
    request_recorder.fail_next(
        "sendVenue", status=429, description="Too Many Requests: retry after 5", retry_after=5
    )
    worker = DeliveryWorker(db, [TelegramSender(bot)], clock, sleep=clock_sleep(clock))

    await worker.run_until_idle(until=now + dt.timedelta(minutes=1))

    assert len(request_recorder.sent("sendMessage", 501)) == 1
    assert len(request_recorder.sent("sendVenue", 501)) == 2  # the 429, then the venue once
    assert await outbox.state_counts(db) == {"sent": 1}
    assert clock.now() - now >= dt.timedelta(seconds=5)


async def test_long_reply_whose_third_part_fails_is_completed_by_the_worker(
    db: Database, clock: FakeClock, bot: Bot, request_recorder: RecordingRequest
) -> None:
    person, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id="501",
        chat_id="501",
        display_name="501",
        language_code="lo",
        now=clock.now(),
    )
    now = clock.now()
    await outbox.enqueue(
        db, [outbox.OutgoingMessage("long", "test", LONG, now, person_id=person.id)], now
    )
    request_recorder.fail_next("sendMessage", status=502, description="Bad Gateway", after=2)
    worker = DeliveryWorker(db, [TelegramSender(bot)], clock, sleep=clock_sleep(clock))

    await worker.run_until_idle(until=now + dt.timedelta(minutes=1))

    texts = [c.text for c in request_recorder.sent("sendMessage", 501)]
    assert len(texts) == 4 and texts[2] == texts[3]  # the third part: refused, then sent
    assert len(set(texts)) == 3
    row = await outbox.by_key(db, "long")
    assert row is not None and row.state == "sent" and row.parts_done == 2


def _network(exc: BaseException, cls: type[tg.NetworkError] = tg.NetworkError) -> tg.NetworkError:
    """A PTB error raised ``from`` an httpx error, as PTB's HTTPXRequest does."""
    error = cls("Timed out") if cls is tg.TimedOut else cls(f"httpx.{type(exc).__name__}: x")
    error.__cause__ = exc
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_network(httpx.ConnectError("refused")), TransientError),
        (_network(httpx.ConnectTimeout("slow"), tg.TimedOut), TransientError),
        (_network(httpx.PoolTimeout("full"), tg.TimedOut), TransientError),
        (tg.NetworkError("Bad Gateway"), TransientError),  # an answer: Telegram did not take it
        (tg.NetworkError("Internal Server Error (500)"), TransientError),
        (_network(httpx.ReadTimeout("no answer"), tg.TimedOut), Uncertain),
        (_network(httpx.RemoteProtocolError("Server disconnected")), Uncertain),
        (_network(httpx.ReadError("reset")), Uncertain),
        (_network(httpx.WriteTimeout("half sent"), tg.TimedOut), Uncertain),
    ],
    ids=[
        "connect-error",
        "connect-timeout",
        "pool-timeout",
        "502",
        "500",
        "read-timeout",
        "reset-after-write",
        "read-error",
        "write-timeout",
    ],
)
def test_only_a_send_proven_not_to_have_left_is_retryable(
    error: tg.TelegramError, expected: type[Exception]
) -> None:
    found = delivery_error(error)
    assert type(found) is expected
