"""Stickers, photos, voice notes, places, contacts and stray documents get a short help."""

from __future__ import annotations

from typing import Any

import pytest

from bot.i18n import _, use_lang
from bot.telegram.context import BotApp
from tests.helpers.app import feed
from tests.helpers.sample import Seeded
from tests.helpers.telegram import RecordingRequest, message_update

TRAINEE = 501
MANAGER = 601

KINDS: dict[str, Any] = {
    "sticker": {
        "file_id": "STK",
        "file_unique_id": "uSTK",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    },
    "voice": {"file_id": "VOI", "file_unique_id": "uVOI", "duration": 3},
    "location": {"latitude": 21.0285, "longitude": 105.8542},
    "contact": {"phone_number": "+8562055555555", "first_name": "Khamla"},
    "photo": [{"file_id": "PH", "file_unique_id": "uPH", "width": 90, "height": 90}],
    "document": {"file_id": "DOC", "file_unique_id": "uDOC", "file_name": "notes.pdf"},
}


def with_(kind: str, user_id: int, **kw: Any) -> dict[str, Any]:
    update = message_update("", user_id=user_id, language_code=None, **kw)
    update["message"][kind] = KINDS[kind]
    return update


def help_text(lang: str) -> str:
    with use_lang(lang):
        return _(
            "I can only read text messages. Please write your question, for example "
            "“What is on today?” or “next visit”, or tap /help."
        )


@pytest.mark.parametrize("kind", list(KINDS))
async def test_a_trainee_gets_one_short_help_in_their_language(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded, kind: str
) -> None:
    await feed(app, with_(kind, TRAINEE))

    (answer,) = request_recorder.sent("sendMessage", TRAINEE)
    assert help_text("lo") in answer.text
    with use_lang("lo"):
        assert "/broadcast" not in answer.text


@pytest.mark.parametrize("kind", ["photo", "document"])
async def test_a_manager_sending_a_file_is_told_how_to_announce_it(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded, kind: str
) -> None:
    await feed(app, with_(kind, MANAGER))

    (answer,) = request_recorder.sent("sendMessage", MANAGER)
    assert help_text("vi") in answer.text and "/broadcast" in answer.text


async def test_in_a_group_only_when_addressed(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    group = -100200300
    await feed(app, with_("sticker", TRAINEE, chat_id=group, chat_type="supergroup"))
    assert request_recorder.sent("sendMessage", group) == []

    bot_message = {
        "message_id": 7,
        "date": 0,
        "chat": {"id": group, "type": "supergroup", "title": "Class group"},
        "from": {"id": app.bot.id, "is_bot": True, "first_name": "Classbot"},
        "text": "Good morning",
    }
    await feed(
        app, with_("sticker", TRAINEE, chat_id=group, chat_type="supergroup", reply_to=bot_message)
    )
    assert len(request_recorder.sent("sendMessage", group)) == 1
