"""Trainees' questions, by command and in plain words, in vi, lo and en, down to the Bot API calls.

The expected calls are built from what the assistant answers for the same
question, rendered by the Telegram renderer: so these tests pin the wiring
(chat, method, text, buttons, locations, edits), while the wording of the
answers themselves is tested with the agenda.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any

import pytest
from telegram import Update

from bot.agenda import assistant
from bot.agenda import views as agenda
from bot.clock import FakeClock
from bot.i18n import use_lang
from bot.replies import Reply
from bot.store import Database, people
from bot.store.versions import save_version
from bot.telegram.context import BotApp, settle
from bot.telegram.render import keyboard, render_text
from tests.helpers.app import feed
from tests.helpers.cldr import day, short_day
from tests.helpers.sample import Seeded, vientiane_schedule
from tests.helpers.telegram import (
    BOT_ID,
    BOT_USERNAME,
    RecordingRequest,
    callback_update,
    message_update,
)

TRAINEE = 501
MANAGER = 601
GROUP = -100123


def expected_calls(replies: list[Reply]) -> list[tuple[str, str, list[list[tuple[str, str]]]]]:
    """(method, text, buttons) of what the renderer sends for ``replies``."""
    out: list[tuple[str, str, list[list[tuple[str, str]]]]] = []
    for reply in replies:
        parts = render_text(reply)
        markup = keyboard(reply)
        buttons = (
            [[(b.text, str(b.callback_data)) for b in row] for row in markup.inline_keyboard]
            if markup
            else []
        )
        for index, text in enumerate(parts):
            out.append(("sendMessage", text, buttons if index == len(parts) - 1 else []))
        if reply.location is not None:
            loc = reply.location
            out.append(("sendVenue" if loc.title else "sendLocation", "", []))
    return out


def recorded(request: RecordingRequest, chat_id: int) -> list[tuple[str, str, Any]]:
    return [(c.method, c.text, c.buttons) for c in request.messages(chat_id)]


async def answer_for(
    db: Database, seeded: Seeded, clock: FakeClock, text: str, lang: str
) -> list[Reply]:
    intent = await assistant.understand(db, seeded.cls, text, clock.now())
    assert intent is not None, text
    with use_lang(lang):
        return await assistant.answer(db, seeded.cls, intent, lang=lang, now=clock.now())


QUESTIONS = {
    "vi": [
        "/today",
        "/tomorrow",
        "/week",
        "/next",
        "/topics",
        "/topic 2",
        "/visits",
        "/bring",
        "/meeting",
        "/day 16/7",
        "hôm nay có gì",
        "hom nay",
        "lich ngay mai",
        "tuần này",
        "chuyên đề 1",
        "mang theo gì",
        "thứ tư",
        "xin chào",
        "cảm ơn ạ",
        "thu 2 may gio vao hoc",
        "mấy giờ về",
        "giảng viên hôm nay là ai",
        "học ở phòng nào ạ",
        "còn bao lâu nữa thì vào học",
        "bot làm được gì",
    ],
    "lo": [
        "/today",
        "/tomorrow",
        "/week",
        "/next",
        "/topics",
        "/topic 1",
        "/visits",
        "ມື້ນີ້ມີຫຍັງ?",
        "ມື້ອື່ນ",
        "ຕາຕະລາງອາທິດນີ້",
        "ຫົວຂໍ້ 2",
        "ທັດສະນະສຶກສາ",
        "ສະບາຍດີ",
        "ຂອບໃຈຫຼາຍໆເຈົ້າ",
        "ອີກຈັກນາທີຈະເລີ່ມຮຽນ",
        "ຕ້ອງນຸ່ງຊຸດຫຍັງໄປ",
    ],
    "en": [
        "/today",
        "/tomorrow",
        "/week",
        "/next",
        "/topics",
        "/topic 2",
        "/visits",
        "what's on today",
        "What is on tomorrow?",
        "this week",
        "topic 1",
        "what should I bring",
        "where does the bus leave",
        "Wednesday",
        "hi",
        "thanks!",
        "who lectures today",
        "what time do we start",
        "when do we get back",
        "can you answer in Vietnamese",
    ],
}


@pytest.mark.parametrize(
    ("lang", "text"), [(lang, text) for lang, texts in QUESTIONS.items() for text in texts]
)
async def test_every_question_is_answered_in_the_members_language(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
    lang: str,
    text: str,
) -> None:
    await people.set_lang(db, seeded.trainee.id, lang)
    await feed(app, message_update(text, user_id=TRAINEE, language_code="fr"))
    expected = expected_calls(await answer_for(db, seeded, clock, text, lang))
    assert expected
    assert recorded(request_recorder, TRAINEE) == expected


async def test_today_in_lao_shows_the_days_programme_with_navigation(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update("/today", user_id=TRAINEE))
    [call] = request_recorder.messages(TRAINEE)
    assert call.method == "sendMessage"
    assert call.text.startswith(f"<b>ຕາຕະລາງ {day(dt.date(2024, 7, 15), 'lo')}</b>")
    assert "09:15–11:30" in call.text and "PGS.TS Nguyễn Văn A" in call.text
    assert "13:15" in call.text  # the field visit's departure time
    assert call.buttons == [[(f"{short_day(dt.date(2024, 7, 16), 'lo')} ▶", "day:1:2024-07-16")]]
    assert call.params["parse_mode"] == "HTML"


async def test_visits_send_the_meeting_point_as_a_location(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update("/visits", user_id=TRAINEE, language_code="en"))
    methods = [c.method for c in request_recorder.messages(TRAINEE)]
    assert methods == ["sendMessage", "sendVenue"]
    venue = request_recorder.sent("sendVenue", TRAINEE)[0].params
    assert (venue["latitude"], venue["longitude"], venue["title"]) == (
        21.0285,
        105.8542,
        "ໂຖງໂຮງແຮມ",
    )


async def test_arrows_edit_the_day_in_place(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    await feed(app, callback_update("day:1:2024-07-16", user_id=MANAGER, message_id=77))
    [answered] = request_recorder.sent("answerCallbackQuery")
    assert "text" not in answered.params
    [edit] = request_recorder.messages(MANAGER)
    assert edit.method == "editMessageText" and edit.params["message_id"] == 77
    [(_method, text, buttons)] = expected_calls(
        await answer_for(db, seeded, clock, "/day 16/7", "vi")
    )
    assert (edit.text, edit.buttons) == (text, buttons)


async def test_a_forged_day_button_for_another_class_changes_nothing(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, callback_update("day:99:2024-07-16", user_id=TRAINEE, language_code="en"))
    assert request_recorder.messages(TRAINEE) == []
    [answered] = request_recorder.sent("answerCallbackQuery")
    assert answered.params["text"] == "ປຸ່ມນີ້ບໍ່ສາມາດໃຊ້ໄດ້ແລ້ວ."


HINTS = {
    "vi": "Xin lỗi, tôi chưa hiểu câu hỏi.",
    "lo": "ຂໍອະໄພ, ຂ້າພະເຈົ້າບໍ່ເຂົ້າໃຈຄຳຖາມ.",
    "en": "Sorry, I did not understand.",
}


@pytest.mark.parametrize("lang", ["vi", "lo", "en"])
async def test_words_not_understood_get_a_hint_with_examples(
    app: BotApp, db: Database, request_recorder: RecordingRequest, seeded: Seeded, lang: str
) -> None:
    await people.set_lang(db, seeded.trainee.id, lang)
    await feed(app, message_update("qwerty zxcv", user_id=TRAINEE))
    [call] = request_recorder.messages(TRAINEE)
    assert call.text.startswith(HINTS[lang])
    assert "/help" in call.text


UNKNOWN = {
    "vi": "Tôi không biết lệnh /foo. Kính mời bấm /help để xem các lệnh hiện có.",
    "lo": "ຂ້າພະເຈົ້າບໍ່ຮູ້ຈັກຄຳສັ່ງ /foo. ກະລຸນາກົດ /help ເພື່ອເບິ່ງສິ່ງທີ່ຂ້າພະເຈົ້າສາມາດເຮັດໄດ້.",
    "en": "I do not know the command /foo. Tap /help to see what I can do.",
}


@pytest.mark.parametrize("lang", ["vi", "lo", "en"])
async def test_an_unknown_command_points_at_help(
    app: BotApp, db: Database, request_recorder: RecordingRequest, seeded: Seeded, lang: str
) -> None:
    await people.set_lang(db, seeded.trainee.id, lang)
    await feed(app, message_update("/foo bar", user_id=TRAINEE))
    assert recorded(request_recorder, TRAINEE) == [("sendMessage", UNKNOWN[lang], [])]


NOT_JOINED = {
    "vi": "Anh/Chị chưa tham gia lớp nào.",
    "lo": "ທ່ານຍັງບໍ່ທັນໄດ້ເຂົ້າຮ່ວມຫ້ອງຝຶກອົບຮົມໃດເທື່ອ.",
    "en": "You have not joined a class yet.",
}


@pytest.mark.parametrize(("code", "lang"), [("vi-VN", "vi"), ("lo", "lo"), ("en-GB", "en")])
@pytest.mark.parametrize("text", ["/today", "what's on tomorrow", "/visits"])
async def test_a_stranger_is_told_how_to_join_in_their_language(
    app: BotApp, request_recorder: RecordingRequest, code: str, lang: str, text: str
) -> None:
    await feed(app, message_update(text, user_id=4242, language_code=code))
    [call] = request_recorder.messages(4242)
    assert call.text.startswith(NOT_JOINED[lang])


async def test_a_day_outside_the_class_gets_a_helpful_answer(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update("/day 20/7", user_id=TRAINEE))
    [call] = request_recorder.messages(TRAINEE)
    assert "15 – 17 ກໍລະກົດ 2024" in call.text
    # The nearest class day, one tap away.
    assert [action for _label, action in call.buttons[0]] == ["day:1:2024-07-17"]


async def test_today_uses_the_class_local_date(
    app: BotApp, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    assert clock.now().date().day == 14  # 23:00 UTC on the 14th is already the 15th in Hanoi
    await feed(app, message_update("/today", user_id=TRAINEE))
    assert day(dt.date(2024, 7, 15), "lo") in request_recorder.messages(TRAINEE)[0].text


# ---- groups ---------------------------------------------------------------------------------


async def link_group(app: BotApp) -> None:
    await feed(
        app, message_update("/linkgroup", user_id=MANAGER, chat_id=GROUP, chat_type="supergroup")
    )


async def test_a_manager_links_the_group_and_the_bot_answers_there_when_addressed(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await link_group(app)
    [linked] = request_recorder.messages(GROUP)
    assert linked.text.startswith("Nhóm này đã được liên kết với Lớp bồi dưỡng cán bộ Viêng Chăn")
    request_recorder.clear()

    # Not addressed: plain talk in the group is left alone.
    await feed(app, message_update("hôm nay có gì", user_id=4242, chat_id=GROUP, chat_type="group"))
    assert request_recorder.messages(GROUP) == []

    # A command, a mention, a reply to the bot: answered for the linked class, even to a guest.
    await feed(app, message_update("/today", user_id=4242, chat_id=GROUP, chat_type="group"))
    await feed(
        app,
        message_update(
            f"@{BOT_USERNAME} hôm nay có gì", user_id=4242, chat_id=GROUP, chat_type="group"
        ),
    )
    bot_message = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": GROUP, "type": "group"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "classbot"},
        "text": "…",
    }
    await feed(
        app,
        message_update(
            "ngày mai", user_id=4242, chat_id=GROUP, chat_type="group", reply_to=bot_message
        ),
    )
    calls = request_recorder.messages(GROUP)
    assert len(calls) == 3
    assert calls[0].text == calls[1].text  # the command and the mention ask the same
    assert day(dt.date(2024, 7, 16), "lo") in calls[2].text  # the guest wrote with a Lao Telegram
    assert all("reply_parameters" in c.params for c in calls)  # answers thread under the question


async def test_a_trainee_cannot_link_a_group(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update("/linkgroup", user_id=TRAINEE, chat_id=GROUP, chat_type="group"))
    [call] = request_recorder.messages(GROUP)
    assert call.text == "ຂໍອະໄພ, ສະເພາະຄະນະຄຸ້ມຄອງຫ້ອງເທົ່ານັ້ນທີ່ສາມາດດຳເນີນການນີ້ໄດ້."
    request_recorder.clear()
    await feed(app, message_update("/today", user_id=TRAINEE, chat_id=GROUP, chat_type="group"))
    [hint] = request_recorder.messages(GROUP)
    assert hint.text.startswith("ກຸ່ມນີ້ຍັງບໍ່ທັນໄດ້ເຊື່ອມຕໍ່")


async def test_an_unknown_command_in_a_group_is_ignored_unless_addressed(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await link_group(app)
    request_recorder.clear()
    await feed(
        app, message_update("/other_bots_command", user_id=4242, chat_id=GROUP, chat_type="group")
    )
    assert request_recorder.messages(GROUP) == []


async def test_a_day_without_sessions_gets_a_helpful_answer(
    app: BotApp, db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    schedule = vientiane_schedule()
    without_tuesday = dataclasses.replace(
        schedule, sessions=tuple(s for s in schedule.sessions if s.day != dt.date(2024, 7, 16))
    )
    await save_version(db, without_tuesday, created_by="test", source_hash="v2", now=clock.now())
    await feed(app, message_update("what's on tomorrow", user_id=TRAINEE, language_code="en"))
    [call] = request_recorder.messages(TRAINEE)
    assert call.text.startswith(f"<b>ຕາຕະລາງ {day(dt.date(2024, 7, 16), 'lo')}</b>")
    assert call.text.splitlines()[1].startswith("ວັນດັ່ງກ່າວບໍ່ມີກິດຈະກຳຕາມຕາຕະລາງ")  # "no sessions"
    assert [label for label, _ in call.buttons[0]] == [
        f"◀ {short_day(dt.date(2024, 7, 15), 'lo')}",
        f"{short_day(dt.date(2024, 7, 17), 'lo')} ▶",
    ]


async def test_quick_questions_are_answered_in_the_order_asked(
    app: BotApp, request_recorder: RecordingRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow first answer: the second question waits for it instead of overtaking it."""
    real = agenda.day_view
    tomorrow_answered = asyncio.Event()

    async def slow_today(db: Database, cls: Any, day: dt.date, lang: str) -> Reply:
        if day == dt.date(2024, 7, 15):
            # Yield to the event loop until /tomorrow has been answered, or for a bounded
            # number of turns (it never will be while the chat's questions take turns).
            for _ in range(20_000):
                if tomorrow_answered.is_set():
                    break
                await asyncio.sleep(0)
        reply = await real(db, cls, day, lang)
        if day == dt.date(2024, 7, 16):
            tomorrow_answered.set()
        return reply

    monkeypatch.setattr(agenda, "day_view", slow_today)
    updates = [message_update(text, user_id=TRAINEE) for text in ("/today", "/tomorrow")]
    for data in updates:  # as the update loop does: no waiting for the answers in between
        await app.process_update(Update.de_json(data, app.bot))
    await settle(app)
    texts = [c.text for c in request_recorder.sent("sendMessage", TRAINEE)]
    assert [t.splitlines()[0] for t in texts] == [
        f"<b>ຕາຕະລາງ {day(dt.date(2024, 7, 15), 'lo')}</b>",
        f"<b>ຕາຕະລາງ {day(dt.date(2024, 7, 16), 'lo')}</b>",
    ]
    assert app.bot_data.chat_turns == {}  # nothing kept for a chat once answered
