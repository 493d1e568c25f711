"""The Zalo sender: renders in the recipient's language, splits, remembers numbered choices."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.channels import RetryAfter, Unreachable
from bot.clock import FakeClock
from bot.domain import Channel
from bot.replies import Block, Button, Reply
from bot.store import Database, choices, people
from bot.zalo.client import ZaloClient
from bot.zalo.sender import ZaloSender
from tests.helpers.zalo_server import TOKEN, FakeZaloServer


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
    with pytest.raises(Unreachable):
        await sender.send("zu9", Reply.text("x"))
