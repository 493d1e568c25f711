"""Attendance and evaluation on Zalo: plain words, number replies, typed answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.clock import FakeClock
from bot.domain import Role
from bot.evaluation import ratings
from bot.people import invites
from bot.store import Database, classes
from bot.store import attendance as attendance_store
from bot.store import evaluation as evaluation_store
from bot.zalo.client import ZaloClient
from bot.zalo.conversation import Conversation
from bot.zalo.sender import send_reply
from tests.helpers.sample import Seeded
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update

USER = "zu777"


@pytest.fixture
async def talk(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> AsyncIterator[Conversation]:
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        yield Conversation(db, client, clock)


async def say(talk: Conversation, zalo: FakeZaloServer, text: str) -> str:
    before = len(zalo.messages(USER))
    await talk.handle(text_update(text, user_id=USER, name="Trần Văn Hùng"))
    return "\n".join(zalo.messages(USER)[before:])


async def test_sign_in_rate_and_evaluate_on_zalo(
    talk: Conversation,
    zalo_server: FakeZaloServer,
    db: Database,
    clock: FakeClock,
    seeded: Seeded,
) -> None:
    made = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())
    await say(talk, zalo_server, made.code)
    await say(talk, zalo_server, "3")  # English
    clock.set(dt.datetime(2024, 7, 15, 2, 5, tzinfo=dt.UTC))  # 09:05, sign-in open
    record = await say(talk, zalo_server, "điểm danh")
    assert "Topic 1: sign-in open now" in record and "Reply 1 for" in record
    signed = await say(talk, zalo_server, "1")
    assert "you are signed in for Topic 1" in signed
    again = await say(talk, zalo_server, "/attendance")
    assert "✅" in again

    clock.set(dt.datetime(2024, 7, 15, 4, 40, tzinfo=dt.UTC))  # 11:40
    person_id = (await attendance_store.class_records(db, seeded.cls.id))[0].person_id
    session = next(
        s for s in await classes.sessions_on(db, seeded.cls, dt.date(2024, 7, 15)) if s.key == "s2"
    )
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        await send_reply(
            client, db, USER, ratings.prompt_reply(seeded.cls, session, "en"), "en", clock.now()
        )
    assert "Thank you: ★★★★★" in await say(talk, zalo_server, "5")
    assert "Please type your comment" in await say(talk, zalo_server, "1")
    assert "your comment is saved" in await say(talk, zalo_server, "Rất hay")
    rows = await evaluation_store.rating_rows(db, seeded.cls.id)
    assert [(r.stars, r.comment) for r in rows] == [(5, "Rất hay")]

    clock.set(dt.datetime(2024, 7, 17, 8, 0, tzinfo=dt.UTC))  # the last day
    first = await say(talk, zalo_server, "đánh giá")
    assert "question 1 of 6" in first and "Reply with a number from 1 to 5" in first
    for _n in range(5):
        await say(talk, zalo_server, "4")
    done = await say(talk, zalo_server, "Tổ chức chu đáo")
    assert "answered every question" in done
    answers = await evaluation_store.answers_of(db, seeded.cls.id, person_id)
    assert [a.score for a in answers.values()][:5] == [4] * 5
    assert answers[6].text == "Tổ chức chu đáo"


async def test_a_class_code_first_and_a_refusal(
    talk: Conversation,
    zalo_server: FakeZaloServer,
    db: Database,
    clock: FakeClock,
    seeded: Seeded,
) -> None:
    made = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())
    await say(talk, zalo_server, made.code)
    await say(talk, zalo_server, "3")  # English
    refused = await say(talk, zalo_server, "/mark VTE-HN-2024 1 absent")
    assert refused == "Sorry, only the class managers can do that."
    own = await say(talk, zalo_server, "/attendance VTE-HN-2024")
    assert own.startswith("■ Your attendance")
