"""The pocket on Zalo: a row's own code matches the trainee, plain words answer from the card,
the week's picture goes out as a link the bot's webhook server serves."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.clock import FakeClock
from bot.pocket import roster
from bot.store import Database
from bot.store import roster as store
from bot.store.roster import RosterEntry
from bot.zalo import pictures
from bot.zalo.client import ZaloClient
from bot.zalo.conversation import Conversation
from bot.zalo.server import WebhookServer
from tests.helpers.sample import Seeded
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update

USER = "zu777"


@pytest.fixture
async def talk(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> AsyncIterator[Conversation]:
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        yield Conversation(db, client, clock)
    pictures.activate(None)


async def say(talk: Conversation, zalo: FakeZaloServer, text: str) -> list[str]:
    before = len(zalo.messages(USER))
    await talk.handle(text_update(text, user_id=USER, name="Khamla"))
    return zalo.messages(USER)[before:]


async def joined_by_row_code(
    talk: Conversation, zalo: FakeZaloServer, db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    await store.replace(
        db,
        seeded.cls.id,
        [RosterEntry(1, "Khamla", room="305", bus="1", seat="12", leader="Bounmy", lang="lo")],
    )
    links = await roster.invite_links(db, seeded.manager, seeded.cls, now=clock.now(), lang="en")
    code = links.blocks[1].lines[0].rsplit(": ", 1)[1]
    await say(talk, zalo, code)
    await say(talk, zalo, "2")  # ພາສາລາວ


async def test_a_rows_code_matches_the_trainee_who_sends_it(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    await joined_by_row_code(talk, zalo_server, db, seeded, clock)
    answer = await say(talk, zalo_server, "ຂ້ອຍນັ່ງລົດຄັນໃດ")
    assert "ບ່ອນນັ່ງຂອງທ່ານ: ລົດຄັນທີ 1, ບ່ອນນັ່ງ 12." in answer[0]
    contacts = await say(talk, zalo_server, "ເບີໂທສຸກເສີນ")
    assert "ຄະນະຈັດຕັ້ງຍັງບໍ່ທັນໄດ້ແຈ້ງເບີໂທ" in contacts[0]


async def test_the_week_picture_is_a_photo_link_served_by_the_webhook_server(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    await joined_by_row_code(talk, zalo_server, db, seeded, clock)
    without = await say(talk, zalo_server, "week picture")
    assert "Telegram" in without[0] and not zalo_server.sent("sendPhoto", USER)

    server = WebhookServer(talk.handle, "s" * 16, port=0)
    port = await server.start()
    try:
        pictures.activate(f"http://127.0.0.1:{port}/zalo/webhook")
        await say(talk, zalo_server, "week picture")
        photo = zalo_server.sent("sendPhoto", USER)[-1]
        url = photo.params["photo"]
        assert url.startswith(f"http://127.0.0.1:{port}/zalo/pictures/") and url.endswith(".png")
        async with httpx.AsyncClient(timeout=5) as http:
            got = await http.get(url)
            assert got.status_code == 200 and got.content.startswith(b"\x89PNG")
            assert got.headers["content-type"] == "image/png"
            wrong = await http.get(f"http://127.0.0.1:{port}/zalo/pictures/{'x' * 22}.png")
            assert wrong.status_code == 404
        await say(talk, zalo_server, "week picture")
        assert zalo_server.sent("sendPhoto", USER)[-1].params["photo"] == url  # same picture
    finally:
        await server.stop()
