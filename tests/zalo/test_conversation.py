"""Talking to the bot on Zalo: first contact, joining by code, plain-word questions, choices."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.agenda import assistant
from bot.clock import FakeClock
from bot.domain import Channel, Role
from bot.people import invites
from bot.store import Database, choices, people
from bot.zalo.client import ZaloClient
from bot.zalo.conversation import Conversation, parse_update
from bot.zalo.joining import invite_code
from tests.helpers.sample import Seeded
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update

USER = "zu501"


@pytest.fixture
async def talk(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> AsyncIterator[Conversation]:
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        yield Conversation(db, client, clock)


async def _code(db: Database, seeded: Seeded, clock: FakeClock, role: Role = Role.TRAINEE) -> str:
    made = await invites.create(db, seeded.cls.id, role, now=clock.now())
    return made.code


async def _say(talk: Conversation, zalo: FakeZaloServer, text: str, **kw: str) -> list[str]:
    before = len(zalo.messages(USER))
    await talk.handle(text_update(text, user_id=USER, **kw))
    return zalo.messages(USER)[before:]


async def test_first_contact_without_a_class_asks_for_the_code_and_the_language(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database
) -> None:
    (answer,) = await _say(talk, zalo_server, "xin chào")
    # Zalo sends no language hint: the note and the question come in all three languages.
    assert "mã mời" in answer  # "send me the invitation code", in Vietnamese
    assert "ລະຫັດເຊີນ" in answer  # in Lao
    assert "invitation code" in answer and "Reply with its number" in answer  # in English
    assert "1. Tiếng Việt\n2. ພາສາລາວ\n3. English" in answer
    # No footer in one language under the three: the message ends with the choices.
    assert answer.endswith("3. English")
    assert await choices.recall(db, Channel.ZALO, USER) == ["lang:vi", "lang:lo", "lang:en"]
    identity = await people.find_identity(db, Channel.ZALO, USER)
    assert identity is not None and identity.chat_id == USER


async def test_join_with_a_code_then_choose_english_then_ask_in_plain_words(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded
) -> None:
    code = await _code(db, seeded, talk.clock)  # type: ignore[arg-type]
    (joined,) = await _say(talk, zalo_server, code)
    # The language is not known yet: the welcome and the question come in all three
    # languages (not in the class's default language, Lao, alone), in one message.
    assert seeded.cls.title("lo") in joined and seeded.cls.title("vi") in joined
    assert seeded.cls.title("en") in joined and "3. English" in joined
    chosen = await _say(talk, zalo_server, "3")
    assert chosen[0] == "I will write to you in English from now on."
    today = await _say(talk, zalo_server, "lịch hôm nay")
    assert "Opening ceremony" in today[0] and "08:00" in today[0]
    tomorrow = await _say(talk, zalo_server, "lich ngay mai")
    assert "Topic 2" in tomorrow[0]
    identity = await people.find_identity(db, Channel.ZALO, USER)
    assert identity is not None
    membership = await people.get_membership(db, seeded.cls.id, identity.person_id)
    assert membership is not None and membership.role is Role.TRAINEE


async def test_start_command_and_pasted_link_join_too(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded
) -> None:
    code = await _code(db, seeded, talk.clock)  # type: ignore[arg-type]
    answer = await _say(talk, zalo_server, f"/start {code}")
    assert seeded.cls.title("lo") in answer[0]
    again = await _say(talk, zalo_server, f"https://t.me/classbot?start={code}")
    assert seeded.cls.title("lo") in again[0]
    assert invite_code("lịch hôm nay") is None
    assert invite_code("join abc") == "abc"


def test_every_random_code_is_recognised_and_long_words_are_not() -> None:
    import secrets

    from bot.people.invites import CODE_BYTES

    # Codes without a digit (about 1 in 40) used to be taken for plain words.
    assert invite_code("qKxWbTzRfpLmNvHsGdJcYa") == "qKxWbTzRfpLmNvHsGdJcYa"
    for _ in range(2000):
        code = secrets.token_urlsafe(CODE_BYTES)
        assert invite_code(code) == code
    for word in ("internationalization", "Internationalization", "kinhtevimoquangdong"):
        assert invite_code(word) is None


async def test_a_wrong_code_is_refused_politely(
    talk: Conversation, zalo_server: FakeZaloServer, seeded: Seeded
) -> None:
    answer = await _say(talk, zalo_server, "/start Zz9notARealCode12345")
    assert answer == [
        "Mã mời này không hợp lệ. Kính đề nghị Anh/Chị kiểm tra lại với cán bộ quản lý lớp."
    ]


async def test_numbers_without_open_choices_and_unknown_words_get_help(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded
) -> None:
    code = await _code(db, seeded, talk.clock)  # type: ignore[arg-type]
    await _say(talk, zalo_server, code)
    await _say(talk, zalo_server, "3")  # English
    nothing = await _say(talk, zalo_server, "7")
    assert nothing[0] == "There is no choice numbered 7 at the moment."
    puzzled = await _say(talk, zalo_server, "blah blah")
    assert puzzled[0].startswith("Sorry, I did not understand.")


@pytest.mark.parametrize(
    "event_name",
    ["message.sticker.received", "message.image.received", "message.unsupported.received"],
)
async def test_non_text_messages_get_a_short_help_answer(
    talk: Conversation, zalo_server: FakeZaloServer, event_name: str
) -> None:
    answer = await _say(talk, zalo_server, "", event_name=event_name)
    assert len(answer) == 1 and "lịch hôm nay" in answer[0]


async def test_group_messages_and_updates_without_sender_are_ignored(
    talk: Conversation, zalo_server: FakeZaloServer
) -> None:
    await talk.handle(text_update("lịch hôm nay", chat_type="GROUP"))
    await talk.handle({"event_name": "message.unsupported.received"})
    assert zalo_server.calls == []
    assert parse_update({"message": {"from": {"id": "x", "is_bot": True}}}) is None


async def test_choosing_a_language_before_joining_asks_for_the_code_in_that_language(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database
) -> None:
    await _say(talk, zalo_server, "xin chào")
    chosen = await _say(talk, zalo_server, "2")  # ພາສາລາວ
    assert len(chosen) == 2
    assert "ລະຫັດເຊີນ" in chosen[1]  # "send me the invitation code", in Lao
    identity = await people.find_identity(db, Channel.ZALO, USER)
    assert identity is not None
    person = await people.get_person(db, identity.person_id)
    assert person is not None and person.lang == "lo"


async def test_a_redelivered_message_is_answered_once(
    talk: Conversation, zalo_server: FakeZaloServer
) -> None:
    update = text_update("xin chào", user_id=USER)
    await talk.handle(update)
    await talk.handle(update)
    assert len(zalo_server.messages(USER)) == 1  # the first-contact answer, once


async def test_a_message_seen_before_a_restart_is_not_answered_again(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock
) -> None:
    update = text_update("xin chào", user_id=USER)
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        await Conversation(db, client, clock).handle(update)
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:  # a new process
        await Conversation(db, client, clock).handle(update)
    assert len(zalo_server.messages(USER)) == 1


async def test_a_failing_service_gets_an_apology_not_silence(
    talk: Conversation,
    zalo_server: FakeZaloServer,
    db: Database,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = await _code(db, seeded, talk.clock)  # type: ignore[arg-type]
    await _say(talk, zalo_server, code)
    await _say(talk, zalo_server, "3")

    async def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(assistant, "understand", broken)
    answer = await _say(talk, zalo_server, "lịch hôm nay")
    assert answer == ["Sorry, something went wrong on my side. Please try again in a moment."]


async def test_remind_and_quiet_work_on_zalo_and_resync_the_jobs(
    zalo_server: FakeZaloServer, db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    resynced: list[tuple[int, ...]] = []

    async def resync(class_ids: tuple[int, ...]) -> None:
        resynced.append(class_ids)

    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        talk = Conversation(db, client, clock, resync)
        not_yet = await _say(talk, zalo_server, "/remind 06:00")
        assert "mã mời" in not_yet[0]
        await _say(talk, zalo_server, await _code(db, seeded, clock))
        await _say(talk, zalo_server, "3")
        await _say(talk, zalo_server, "/remind 05:45")
        await _say(talk, zalo_server, "/quiet 21:00-05:00")
    identity = await people.find_identity(db, Channel.ZALO, USER)
    assert identity is not None
    person = await people.get_person(db, identity.person_id)
    assert person is not None
    assert (person.digest_time, person.quiet_start) == (dt.time(5, 45), dt.time(21, 0))
    assert resynced == [(seeded.cls.id,)]


async def test_telegram_only_commands_are_named_as_such(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded
) -> None:
    await _say(talk, zalo_server, await _code(db, seeded, talk.clock))  # type: ignore[arg-type]
    await _say(talk, zalo_server, "3")
    answer = await _say(talk, zalo_server, "/announce Xe xuất phát lúc 13:15")
    assert answer == [
        "The command /announce is only available on Telegram. "
        "Write “help” to see what I can do here."
    ]


async def test_a_member_who_skipped_the_language_question_still_gets_answers(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded
) -> None:
    await _say(talk, zalo_server, await _code(db, seeded, talk.clock))  # type: ignore[arg-type]
    answer = await _say(talk, zalo_server, "ມື້ນີ້")  # no language chosen: the class's Lao
    assert len(answer) == 1 and "ພິທີເປີດການຝຶກອົບຮົມ" in answer[0]


async def test_content_zalo_withholds_gets_a_kind_neutral_answer(
    talk: Conversation, zalo_server: FakeZaloServer
) -> None:
    (answer,) = await _say(talk, zalo_server, "", event_name="message.unsupported.received")
    assert "cảm ơn" in answer.lower()
    assert "chỉ đọc được" not in answer  # not "I can only read text"


async def test_joining_with_a_code_first_asks_the_language_in_all_three_languages(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded
) -> None:
    code = await _code(db, seeded, talk.clock)  # type: ignore[arg-type]
    (question,) = await _say(talk, zalo_server, code)
    assert "ຍິນດີຕ້ອນຮັບ" in question and "Welcome!" in question  # the welcome, likewise
    assert question.index("ຍິນດີຕ້ອນຮັບ") < question.index("ກະລຸນາຕອບດ້ວຍເລກ")
    assert "Reply with its number" in question  # English
    assert "trả lời bằng số" in question  # Vietnamese
    assert "ກະລຸນາຕອບດ້ວຍເລກ" in question  # Lao
    assert "1. Tiếng Việt\n2. ພາສາລາວ\n3. English" in question
    assert question.endswith("3. English")  # not a footer in the class's language only


async def test_one_chats_messages_are_answered_in_the_order_they_came(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded
) -> None:
    code = await _code(db, seeded, talk.clock)  # type: ignore[arg-type]
    await _say(talk, zalo_server, code)
    await _say(talk, zalo_server, "3")
    zalo_server.clear()
    # Handled concurrently (as the webhook does), answered in order.
    await asyncio.gather(
        talk.handle(text_update("/lang", user_id=USER)),
        talk.handle(text_update("/myclass", user_id=USER)),
    )
    first, second = zalo_server.delivered(USER)
    assert "1. Tiếng Việt" in first and "English" in first
    assert "Tiếng Việt" not in second


async def test_zalo_understands_through_the_same_parser_as_telegram(
    talk: Conversation, zalo_server: FakeZaloServer, db: Database, seeded: Seeded
) -> None:
    """Courtesies, pointed answers, "mấy" without marks and a language request, on Zalo."""
    code = await _code(db, seeded, talk.clock)  # type: ignore[arg-type]
    await _say(talk, zalo_server, code)
    await _say(talk, zalo_server, "1")  # Vietnamese
    [hello] = await _say(talk, zalo_server, "xin chào")
    assert hello.startswith("Xin chào Anh/Chị!")
    [thanks] = await _say(talk, zalo_server, "cảm ơn ạ")
    assert "hỗ trợ" in thanks
    # Monday 15 July, 06:00 in Hanoi: "thứ 2" is today, not the 2nd of a month.
    [start] = await _say(talk, zalo_server, "thu 2 may gio vao hoc")
    assert "Buổi đầu tiên bắt đầu lúc 08:00" in start
    [back] = await _say(talk, zalo_server, "mấy giờ về")
    assert back.splitlines()[1].startswith("Trở về từ") and "17:30" in back
    [offer] = await _say(talk, zalo_server, "can you answer in English")
    assert "1. Đồng ý: English" in offer
    [done, *_rest] = await _say(talk, zalo_server, "1")
    assert done == "I will write to you in English from now on."


@pytest.mark.parametrize("lang", ["vi", "lo", "en"])
def test_every_example_the_zalo_hints_quote_is_understood(lang: str) -> None:
    """The hints tell people what to write (“help”, “lịch hôm nay”…): each quoted example,
    in each language, must be something the bot understands, and the word for help is the
    reader's own where the parser knows it (Lao readers were told to type “help”)."""
    import datetime as dt
    import re

    from bot.agenda import intents
    from bot.i18n import use_lang
    from bot.zalo import conversation

    with use_lang(lang):
        texts = [
            conversation.hint().plain(),
            conversation.unsupported().plain(),
            conversation.withheld().plain(),
        ]
    quoted = [q for text in texts for q in re.findall(r"“([^”]+)”", text)]
    assert quoted
    for example in quoted:
        assert intents.parse(example, dt.date(2024, 7, 15)) is not None, example
    if lang == "lo":
        assert "help" not in " ".join(quoted)
