"""Joining by deep link, the language picker, switching class, /help and /myclass on Telegram."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.agenda import assistant
from bot.clock import FakeClock
from bot.domain import Channel, Role
from bot.people import invites
from bot.store import Database, people
from bot.store.versions import save_version
from bot.telegram.context import BotApp
from bot.telegram.render import render_text
from tests.helpers.app import feed
from tests.helpers.sample import Seeded, guangzhou_schedule
from tests.helpers.telegram import RecordingRequest, callback_update, message_update

NEWCOMER = 900


async def membership_role(db: Database, seeded: Seeded, ext: int) -> Role | None:
    identity = await people.find_identity(db, Channel.TELEGRAM, str(ext))
    if identity is None:
        return None
    found = await people.get_membership(db, seeded.cls.id, identity.person_id)
    return found.role if found else None


async def test_joining_by_deep_link_then_choosing_lao(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    new = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())
    await feed(app, message_update(f"/start {new.code}", user_id=NEWCOMER, language_code="lo"))
    welcome, picker = request_recorder.messages(NEWCOMER)
    assert welcome.text == (
        "ຍິນດີຕ້ອນຮັບ! ທ່ານໄດ້ເຂົ້າຮ່ວມ ຫ້ອງຝຶກອົບຮົມພະນັກງານນະຄອນຫຼວງວຽງຈັນ ຢູ່ຮ່າໂນ້ຍ ແລ້ວ. ບົດບາດ: ຜູ້ເຂົ້າຮ່ວມຝຶກອົບຮົມ."
    )
    assert picker.text == "ກະລຸນາເລືອກພາສາທີ່ທ່ານຕ້ອງການໃຊ້."
    assert picker.buttons == [
        [("Tiếng Việt", "lang:vi"), ("✓ ພາສາລາວ", "lang:lo"), ("English", "lang:en")]
    ]
    assert await membership_role(db, seeded, NEWCOMER) is Role.TRAINEE

    request_recorder.clear()
    await feed(app, callback_update("lang:lo", user_id=NEWCOMER, message_id=1001))
    edit, help_message = request_recorder.messages(NEWCOMER)
    assert (edit.method, edit.params["message_id"]) == ("editMessageText", 1001)
    assert edit.text == "ນັບແຕ່ນີ້ໄປ ຂ້າພະເຈົ້າຈະຕອບທ່ານເປັນພາສາລາວ."
    assert edit.buttons == []
    assert help_message.text == render_text(assistant.help_reply(Role.TRAINEE, "lo"))[0]
    identity = await people.find_identity(db, Channel.TELEGRAM, str(NEWCOMER))
    assert identity is not None
    person = await people.get_person(db, identity.person_id)
    assert person is not None and person.lang == "lo"


@pytest.mark.parametrize("language_code", ["vi", "en-US", None])
async def test_the_picker_is_preselected_from_telegrams_language(
    app: BotApp, request_recorder: RecordingRequest, language_code: str | None
) -> None:
    await feed(app, message_update("/start", user_id=NEWCOMER, language_code=language_code))
    [picker] = request_recorder.messages(NEWCOMER)
    ticked = [label for row in picker.buttons for label, _ in row if label.startswith("✓")]
    expected = {"vi": "✓ Tiếng Việt", "en-US": "✓ English", None: "✓ Tiếng Việt"}
    assert ticked == [expected[language_code]]


EXPECTED_PROBLEMS = {
    "wrong": "This invitation code is not valid. Please check the link with your class manager.",
    "used_up": (
        "This invitation link has already been used the maximum number of times. "
        "Please ask your class manager for a new link."
    ),
    "expired": "This invitation link has expired. Please ask your class manager for a new link.",
    "revoked": (
        "This invitation link has been withdrawn. Please ask your class manager for a new link."
    ),
}


@pytest.mark.parametrize("case", sorted(EXPECTED_PROBLEMS))
async def test_a_bad_code_gets_a_clear_answer_and_no_enrolment(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
    case: str,
) -> None:
    new = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now(), uses=1, days=1)
    code = new.code
    if case == "wrong":
        code = code[:-2] + ("AA" if not code.endswith("AA") else "BB")
    elif case == "used_up":
        await invites.redeem(db, new.code, seeded.trainee, now=clock.now())  # already a member
        await feed(app, message_update(f"/start {new.code}", user_id=555, language_code="en"))
        request_recorder.clear()
    elif case == "expired":
        clock.advance(dt.timedelta(days=1, seconds=1))
    elif case == "revoked":
        await invites.revoke(db, new.invite.id, now=clock.now())
    await feed(app, message_update(f"/start {code}", user_id=NEWCOMER, language_code="en"))
    calls = request_recorder.messages(NEWCOMER)
    assert calls[0].text == EXPECTED_PROBLEMS[case]
    assert calls[1].text == "Please choose the language you would like me to use."
    assert await membership_role(db, seeded, NEWCOMER) is None


async def test_a_member_starting_again_gets_help_for_their_role(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update("/start", user_id=601, language_code="vi"))
    [call] = request_recorder.messages(601)
    assert call.text == render_text(assistant.help_reply(Role.MANAGER, "vi"))[0]


@pytest.mark.parametrize(
    ("user_id", "role", "lang"), [(501, Role.TRAINEE, "lo"), (601, Role.MANAGER, "vi")]
)
async def test_help_and_myclass_follow_the_role(
    app: BotApp,
    request_recorder: RecordingRequest,
    seeded: Seeded,
    user_id: int,
    role: Role,
    lang: str,
) -> None:
    await feed(app, message_update("/help", user_id=user_id))
    await feed(app, message_update("/myclass", user_id=user_id))
    help_call, myclass_call = request_recorder.messages(user_id)
    assert help_call.text == "\n".join(render_text(assistant.help_reply(role, lang)))
    assert myclass_call.text == render_text(assistant.myclass_reply(seeded.cls, role, lang))[0]


async def test_lang_command_and_plain_words_show_the_picker_with_the_current_ticked(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update("/lang", user_id=501))
    await feed(app, message_update("change language", user_id=501))
    first, second = request_recorder.messages(501)
    assert first.buttons == second.buttons
    assert first.buttons[0][1] == ("✓ ພາສາລາວ", "lang:lo")


async def test_switching_to_english_answers_in_english_from_then_on(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, callback_update("lang:en", user_id=501, message_id=9))
    edit = request_recorder.sent("editMessageText", 501)[0]
    assert edit.text == "I will write to you in English from now on."
    request_recorder.clear()
    await feed(app, message_update("/today", user_id=501, language_code="lo"))
    assert request_recorder.messages(501)[0].text.startswith("<b>Schedule")


async def test_a_member_of_two_classes_switches_the_active_one(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    gz, _ = await save_version(
        db, guangzhou_schedule(), created_by="test", source_hash="gz", now=clock.now()
    )
    await people.add_member(db, gz.id, seeded.manager.id, Role.TRAINEE, clock.now())
    await feed(app, message_update("/class", user_id=601))
    [picker] = request_recorder.messages(601)
    assert picker.text == "Anh/Chị muốn tra cứu thông tin của lớp nào?"
    assert picker.buttons == [
        [("✓ Lớp bồi dưỡng cán bộ Viêng Chăn tại Hà Nội", f"class:{seeded.cls.id}")],
        [("Lớp cán bộ Hà Nội tại Quảng Châu", f"class:{gz.id}")],
    ]
    request_recorder.clear()
    await feed(app, callback_update(f"class:{gz.id}", user_id=601, message_id=3))
    [edit] = request_recorder.messages(601)
    assert edit.text == "Từ nay tôi sẽ trả lời về lớp: Lớp cán bộ Hà Nội tại Quảng Châu"
    request_recorder.clear()
    await feed(app, message_update("/myclass", user_id=601))
    assert "HN-GZ-2025" in request_recorder.messages(601)[0].text
    # Someone not in that class cannot switch to it with a forged button.
    request_recorder.clear()
    await feed(app, callback_update(f"class:{gz.id}", user_id=501, message_id=3))
    assert request_recorder.messages(501) == []


async def test_a_member_of_one_class_is_told_so(
    app: BotApp, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update("/class", user_id=501, language_code="lo"))
    [call] = request_recorder.messages(501)
    assert call.text == ("ທ່ານເປັນສະມາຊິກຂອງຫ້ອງຝຶກອົບຮົມດຽວ: ຫ້ອງຝຶກອົບຮົມພະນັກງານນະຄອນຫຼວງວຽງຈັນ ຢູ່ຮ່າໂນ້ຍ")


async def test_a_manager_who_joins_gets_the_managers_menu_in_their_language(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    new = await invites.create(db, seeded.cls.id, Role.MANAGER, now=clock.now())
    await feed(app, message_update(f"/start {new.code}", user_id=NEWCOMER, language_code="vi"))
    [menu] = request_recorder.sent("setMyCommands")
    assert menu.params["scope"] == {"type": "chat", "chat_id": NEWCOMER}
    assert [(c["command"], c["description"]) for c in menu.params["commands"]] == (
        assistant.commands_for(Role.MANAGER, "vi")
    )
    request_recorder.clear()
    await feed(app, callback_update("lang:en", user_id=NEWCOMER, message_id=4))
    [menu] = request_recorder.sent("setMyCommands")
    assert [(c["command"], c["description"]) for c in menu.params["commands"]] == (
        assistant.commands_for(Role.MANAGER, "en")
    )


async def test_trainees_keep_the_default_menu(
    app: BotApp, db: Database, clock: FakeClock, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    new = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())
    await feed(app, message_update(f"/start {new.code}", user_id=NEWCOMER, language_code="vi"))
    await feed(app, callback_update("lang:en", user_id=NEWCOMER, message_id=4))
    assert request_recorder.sent("setMyCommands") == []
