"""Linking a person's Telegram and Zalo accounts with a one-time code."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.clock import FakeClock
from bot.domain import Channel, Role
from bot.people import invites, linking
from bot.store import Database, people
from bot.zalo.client import ZaloClient
from bot.zalo.conversation import Conversation
from tests.helpers.app import feed, started_app
from tests.helpers.sample import Seeded, seed
from tests.helpers.telegram import RecordingRequest, message_update
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update


async def _zalo_account(db: Database, clock: FakeClock, ext: str = "zu1") -> int:
    person, _, _ = await people.upsert_identity(
        db,
        channel=Channel.ZALO,
        external_id=ext,
        chat_id=ext,
        display_name="Somphone (Zalo)",
        language_code=None,
        now=clock.now(),
    )
    return person.id


async def test_a_code_moves_the_zalo_account_onto_the_telegram_person(
    db: Database, clock: FakeClock
) -> None:
    seeded = await seed(db, clock.now())
    zalo_person = await _zalo_account(db, clock)
    code = await linking.issue(db, seeded.trainee, clock.now())
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    linked = await linking.redeem(
        db, code.lower(), channel=Channel.ZALO, external_id="zu1", now=clock.now()
    )
    assert linked.person.id == seeded.trainee.id and not linked.already
    assert linked.person.last_channel is Channel.ZALO
    assert {i.channel for i in await people.identities_of(db, seeded.trainee.id)} == {
        Channel.TELEGRAM,
        Channel.ZALO,
    }
    assert await people.get_person(db, zalo_person) is None  # the empty person is gone
    with pytest.raises(linking.LinkRejected) as used:
        await linking.redeem(db, code, channel=Channel.ZALO, external_id="zu1", now=clock.now())
    assert used.value.problem is linking.LinkProblem.USED


async def test_memberships_of_the_linked_account_are_kept(db: Database, clock: FakeClock) -> None:
    seeded = await seed(db, clock.now())
    zalo_person = await _zalo_account(db, clock)
    await people.add_member(db, seeded.cls.id, zalo_person, Role.TRAINEE, clock.now())
    fresh = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id="999",
        chat_id="999",
        display_name="New on Telegram",
        language_code="vi",
        now=clock.now(),
    )
    code = await linking.issue(db, fresh[0], clock.now())
    await linking.redeem(db, code, channel=Channel.ZALO, external_id="zu1", now=clock.now())
    membership = await people.get_membership(db, seeded.cls.id, fresh[0].id)
    assert membership is not None and membership.role is Role.TRAINEE


async def test_expired_unknown_and_second_account_on_the_same_channel_are_refused(
    db: Database, clock: FakeClock
) -> None:
    seeded = await seed(db, clock.now())
    await _zalo_account(db, clock, "zu1")
    await _zalo_account(db, clock, "zu2")
    code = await linking.issue(db, seeded.trainee, clock.now())
    clock.advance(dt.timedelta(minutes=16))
    problems = []
    for attempt in (code, "ABCD-EFGH"):
        with pytest.raises(linking.LinkRejected) as caught:
            await linking.redeem(
                db, attempt, channel=Channel.ZALO, external_id="zu1", now=clock.now()
            )
        problems.append(caught.value.problem)
    assert problems == [linking.LinkProblem.EXPIRED, linking.LinkProblem.UNKNOWN]
    first = await linking.issue(db, seeded.trainee, clock.now())
    await linking.redeem(db, first, channel=Channel.ZALO, external_id="zu1", now=clock.now())
    second = await linking.issue(db, seeded.trainee, clock.now())
    with pytest.raises(linking.LinkRejected) as caught:
        await linking.redeem(db, second, channel=Channel.ZALO, external_id="zu2", now=clock.now())
    assert caught.value.problem is linking.LinkProblem.SAME_CHANNEL


async def test_link_from_telegram_then_use_the_code_on_zalo(
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    zalo_server: FakeZaloServer,
) -> None:
    seeded: Seeded = await seed(db, clock.now())
    async with started_app(db, clock, request_recorder) as app:
        await feed(app, message_update("/link", user_id=501, language_code="lo"))
    (made,) = request_recorder.messages(501)
    found = re.search(r"/link ([A-Z2-9]{4}-[A-Z2-9]{4})", made.text)
    assert found is not None and "Zalo" in made.text
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        talk = Conversation(db, client, clock)
        await talk.handle(text_update(f"/link {found[1]}", user_id="zu501"))
        (linked,) = zalo_server.messages("zu501")
        assert "Telegram" in linked
        zalo_server.clear()
        await talk.handle(text_update("ມື້ນີ້", user_id="zu501"))
    identity = await people.find_identity(db, Channel.ZALO, "zu501")
    assert identity is not None and identity.person_id == seeded.trainee.id
    # The trainee's class and Lao language carry over: the answer is today's Lao schedule.
    (today,) = zalo_server.messages("zu501")
    assert "ພິທີເປີດການຝຶກອົບຮົມ" in today


async def test_link_from_zalo_then_use_the_code_on_telegram(
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    zalo_server: FakeZaloServer,
) -> None:
    seeded = await seed(db, clock.now())
    code = (await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())).code
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        talk = Conversation(db, client, clock)
        await talk.handle(text_update(code, user_id="zu77"))
        zalo_server.clear()
        await talk.handle(text_update("/link", user_id="zu77"))
    (made,) = zalo_server.messages("zu77")
    found = re.search(r"/link ([A-Z2-9]{4}-[A-Z2-9]{4})", made)
    assert found is not None and "Telegram" in made
    async with started_app(db, clock, request_recorder) as app:
        await feed(app, message_update(f"/link {found[1]}", user_id=777, language_code="vi"))
    (linked,) = request_recorder.messages(777)
    assert "Zalo" in linked.text
    zalo_identity = await people.find_identity(db, Channel.ZALO, "zu77")
    telegram_identity = await people.find_identity(db, Channel.TELEGRAM, "777")
    assert zalo_identity is not None and telegram_identity is not None
    assert zalo_identity.person_id == telegram_identity.person_id
    membership = await people.get_membership(db, seeded.cls.id, telegram_identity.person_id)
    assert membership is not None
