"""Zalo's errors as its documentation describes them: 403 and 5xx are the platform's own and are
retried; a member is given up only on failures that last; direct answers are retried after
429/408/403/5xx; a send whose answer was lost is never sent again."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.clock import FakeClock
from bot.domain import Channel
from bot.outbox.sender import Rejected, TransientError, Unreachable
from bot.outbox.worker import DeliveryWorker
from bot.replies import Reply
from bot.store import Database, outbox, people
from bot.store.outbox import OutgoingMessage
from bot.zalo.client import ZaloClient
from bot.zalo.conversation import Conversation
from bot.zalo.sender import UNREACHABLE_AFTER, UNREACHABLE_SPAN, ZaloSender
from tests.helpers.senders import clock_sleep
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update

USER = "zu77"


async def _known(db: Database, clock: FakeClock, user: str = USER) -> int:
    person, _identity, _new = await people.upsert_identity(
        db,
        channel=Channel.ZALO,
        external_id=user,
        chat_id=user,
        display_name="Phạm Minh",
        language_code=None,
        now=clock.now(),
    )
    await people.set_lang(db, person.id, "vi")
    return person.id


async def _reachable(db: Database, user: str = USER) -> bool:
    identity = await people.find_identity(db, Channel.ZALO, user)
    assert identity is not None
    return identity.reachable


async def test_one_403_does_not_silence_a_member_the_outbox_retries_it(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    person_id = await _known(db, clock)
    zalo_server.fail_next("sendMessage", chat_id=USER, status=403, description="Forbidden")
    await outbox.enqueue(
        db,
        [
            OutgoingMessage(
                "t:1", "notice", Reply.text("Họp lớp 16:00"), clock.now(), person_id=person_id
            )
        ],
        clock.now(),
    )
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        worker = DeliveryWorker(
            db, [ZaloSender(client, db, clock)], clock, sleep=clock_sleep(clock)
        )
        await worker.run_until_idle(until=clock.now() + dt.timedelta(minutes=5))
    assert zalo_server.delivered(USER) == ["Họp lớp 16:00"]
    assert await _reachable(db)


async def test_a_member_is_unreachable_only_after_failures_that_last(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    await _known(db, clock)
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        sender = ZaloSender(client, db, clock)
        zalo_server.fail_next("sendMessage", chat_id=USER, status=403, times=2 * UNREACHABLE_AFTER)
        for _ in range(UNREACHABLE_AFTER + 2):  # many 403s within minutes: still transient
            with pytest.raises(TransientError):
                await sender.send(USER, Reply.text("x"))
            clock.advance(dt.timedelta(minutes=1))
        clock.advance(UNREACHABLE_SPAN)  # a day later, it still fails: that is evidence
        with pytest.raises(Unreachable):
            await sender.send(USER, Reply.text("x"))


async def test_a_send_that_goes_through_starts_the_count_again(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    await _known(db, clock)
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        sender = ZaloSender(client, db, clock)
        for _ in range(UNREACHABLE_AFTER):
            zalo_server.fail_next("sendMessage", chat_id=USER, status=403)
            with pytest.raises(TransientError):
                await sender.send(USER, Reply.text("x"))
        await sender.send(USER, Reply.text("đã nhận"))  # the person can be reached after all
        clock.advance(UNREACHABLE_SPAN * 2)
        zalo_server.fail_next("sendMessage", chat_id=USER, status=403)
        with pytest.raises(TransientError):
            await sender.send(USER, Reply.text("x"))


@pytest.mark.parametrize(
    ("status", "retry_after"), [(429, 2), (408, None), (500, None), (502, None), (403, None)]
)
async def test_a_direct_answer_is_retried_and_arrives_once(
    zalo_server: FakeZaloServer,
    db: Database,
    clock: FakeClock,
    status: int,
    retry_after: int | None,
) -> None:
    await _known(db, clock)
    zalo_server.fail_next("sendMessage", chat_id=USER, status=status, retry_after=retry_after)
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        talk = Conversation(db, client, clock, sleep=clock_sleep(clock))
        await talk.handle(text_update("/lang", user_id=USER))
    (answer,) = zalo_server.delivered(USER)
    assert "2. ພາສາລາວ" in answer
    assert len(zalo_server.messages(USER)) == 2  # the failed attempt and the one that went out


async def test_an_answer_whose_fate_is_unknown_is_not_sent_twice(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    await _known(db, clock)
    zalo_server.slow_next("sendMessage", 1.5, chat_id=USER)  # delivered, answer too late
    async with ZaloClient(TOKEN, zalo_server.url, timeout=0.5) as client:
        talk = Conversation(db, client, clock, sleep=clock_sleep(clock))
        await talk.handle(text_update("/lang", user_id=USER))
    assert len(zalo_server.delivered(USER)) == 1
    assert len(zalo_server.messages(USER)) == 1  # no second attempt


async def test_the_outbox_does_not_resend_a_message_whose_fate_is_unknown(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    await _known(db, clock)
    zalo_server.slow_next("sendMessage", 1.5, chat_id=USER)
    async with ZaloClient(TOKEN, zalo_server.url, timeout=0.5) as client:
        with pytest.raises(Rejected):
            await ZaloSender(client, db, clock).send(USER, Reply.text("Thông báo"))
    assert zalo_server.delivered(USER) == ["Thông báo"]


async def test_a_refused_answer_is_not_retried(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    await _known(db, clock)
    zalo_server.fail_next("sendMessage", chat_id=USER, status=400, description="Bad Request")
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        await Conversation(db, client, clock, sleep=clock_sleep(clock)).handle(
            text_update("/lang", user_id=USER)
        )
    assert zalo_server.delivered(USER) == [] and len(zalo_server.messages(USER)) == 1
