"""Organisers' Telegram commands: the permission matrix, uploads end to end, export, template."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.clock import FakeClock
from bot.domain import Channel, Role
from bot.i18n import _, use_lang
from bot.replies import Reply
from bot.schedule import notices as change_notices
from bot.schedule import uploads
from bot.schedule.write import to_xlsx
from bot.store import Database, classes, people, versions
from bot.store.versions import save_version
from bot.telegram import jobs
from bot.telegram.context import BotApp, BotContext
from bot.telegram.handlers import admin
from tests.helpers.app import feed, started_app
from tests.helpers.sample import Seeded, guangzhou_schedule, revised, seed, vientiane_schedule
from tests.helpers.telegram import RecordingRequest, callback_update, message_update

T = dt.time
ADMIN, MANAGER, OTHER_MANAGER, TRAINEE, STRANGER = 701, 601, 801, 501, 901
LANGS = {ADMIN: "vi", MANAGER: "vi", OTHER_MANAGER: "vi", TRAINEE: "lo", STRANGER: "en"}
CODE = "VTE-HN-2024"


@dataclasses.dataclass
class World:
    seeded: Seeded
    trainee_id: int


async def build_world(db: Database, now: dt.datetime) -> World:
    """The Vientiane class (two versions), the Guangzhou class with its own manager (801)."""
    seeded = await seed(db, now)
    await save_version(db, revised(s4=T(9, 0)), created_by="cli", source_hash="v2", now=now)
    gz, _ = await save_version(db, guangzhou_schedule(), created_by="cli", source_hash="g", now=now)
    other, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=str(OTHER_MANAGER),
        chat_id=str(OTHER_MANAGER),
        display_name="Trần Văn Hùng",
        language_code="vi",
        now=now,
    )
    await people.set_lang(db, other.id, "vi")
    await people.add_member(db, gz.id, other.id, Role.MANAGER, now)
    await people.set_active_class(db, other.id, gz.id)
    return World(seeded, seeded.trainee.id)


@pytest.fixture
async def world(db: Database, clock: FakeClock) -> World:
    return await build_world(db, clock.now())


@pytest.fixture
async def app(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest, world: World
) -> AsyncIterator[BotApp]:
    async with started_app(db, clock, request_recorder) as application:
        yield application


async def state(db: Database) -> list[object]:
    """Everything a refused command must leave as it was."""
    out: list[object] = []
    for sql in (
        "SELECT class_id, number FROM schedule_versions ORDER BY id",
        "SELECT code, live_version_id FROM classes ORDER BY id",
        "SELECT class_id, person_id, role FROM members ORDER BY class_id, person_id",
        "SELECT id FROM persons WHERE is_admin = 1 ORDER BY id",
        "SELECT id, revoked_at FROM invites ORDER BY id",
        "SELECT id, state FROM pending_uploads ORDER BY id",
        "SELECT action FROM audit_log ORDER BY id",
    ):
        out.append([tuple(r) for r in await db.fetchall(sql)])
    return out


def refusal(user: int, allowed: set[int] | None = None) -> str:
    """The refusal ``user`` reads; it names the role needed (class managers for a managers'
    command, organisers for the rest), never organisers for what managers may do."""
    with use_lang(LANGS[user]):
        if allowed == MANAGERS:
            return Reply.text(_("Sorry, only the class managers can do that.")).plain()
        return admin.refused().plain()


async def say(app: BotApp, user: int, text: str) -> None:
    await feed(app, message_update(text, user_id=user, language_code=LANGS[user]))


def last_text(request: RecordingRequest, user: int) -> str:
    return request.messages(user)[-1].text


ORGANISERS_ONLY = {ADMIN}
MANAGERS = {ADMIN, MANAGER}
EVERYONE = {ADMIN, MANAGER, OTHER_MANAGER, TRAINEE, STRANGER}


def matrix() -> list[tuple[str, set[int]]]:
    return [
        ("/upload", ORGANISERS_ONLY),
        ("/newclass", ORGANISERS_ONLY),
        (f"/versions {CODE}", ORGANISERS_ONLY),
        (f"/rollback {CODE} 1", ORGANISERS_ONLY),
        (f"/audit {CODE}", ORGANISERS_ONLY),
        ("/audit all", ORGANISERS_ONLY),
        (f"/promote {CODE} {{trainee}}", ORGANISERS_ONLY),
        (f"/members {CODE}", MANAGERS),
        (f"/invite {CODE}", MANAGERS),
        (f"/invite {CODE} trainee 5 2", MANAGERS),
        (f"/remove {CODE} {{trainee}}", MANAGERS),
        (f"/export {CODE}", MANAGERS),
    ]


@pytest.mark.parametrize(("command", "allowed"), matrix())
@pytest.mark.parametrize("user", [ADMIN, MANAGER, OTHER_MANAGER, TRAINEE, STRANGER])
async def test_permission_matrix(
    app: BotApp,
    db: Database,
    request_recorder: RecordingRequest,
    world: World,
    command: str,
    allowed: set[int],
    user: int,
) -> None:
    before = await state(db)
    await say(app, user, command.format(trainee=world.trainee_id))
    answer = last_text(request_recorder, user)
    if user in allowed:
        assert answer not in (refusal(user), refusal(user, MANAGERS))
    else:
        assert answer == refusal(user, allowed)
        assert await state(db) == before


@pytest.mark.parametrize("user", [MANAGER, OTHER_MANAGER, TRAINEE, STRANGER])
async def test_buttons_check_the_role_too(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World, user: int
) -> None:
    await say(app, ADMIN, f"/invite {CODE} trainee 5 2")
    await say(app, ADMIN, f"/rollback {CODE} 1")
    (row,) = request_recorder.messages(ADMIN)[-1].buttons
    before = await state(db)
    cls_id = world.seeded.cls.id
    # Someone else's Confirm does nothing, even for a manager of the class.
    edits = len(request_recorder.sent("editMessageText"))
    await feed(app, callback_update(row[0][1], user_id=user, language_code=LANGS[user]))
    assert request_recorder.sent("answerCallbackQuery")[-1].params.get("show_alert")
    assert len(request_recorder.sent("editMessageText")) == edits  # the preview stays
    assert await state(db) == before
    if user == MANAGER:
        return
    for data in (
        "inv:rv:1",
        f"inv:new:{cls_id}:manager",
        f"exp:{cls_id}:xlsx",
        f"inv:list:{cls_id}",
    ):
        edits = len(request_recorder.sent("editMessageText"))
        await feed(app, callback_update(data, user_id=user, language_code=LANGS[user]))
        # Refused to the tapper alone (an alert); the message is left as it was.
        answer = request_recorder.sent("answerCallbackQuery")[-1].params
        assert answer.get("text") == refusal(user, MANAGERS), data  # all managers' buttons
        assert answer.get("show_alert") in (True, "true"), data
        assert len(request_recorder.sent("editMessageText")) == edits, data
    assert await state(db) == before
    assert not request_recorder.sent("sendDocument", user)


def document(file_id: str, name: str, size: int) -> dict[str, object]:
    return {
        "file_id": file_id,
        "file_unique_id": "u" + file_id,
        "file_name": name,
        "file_size": size,
    }


async def send_file(
    app: BotApp,
    request: RecordingRequest,
    user: int,
    name: str,
    data: bytes,
    command: str = "/upload",
) -> None:
    await say(app, user, command)
    request.serve_file("F" + name, data)
    update = message_update(
        "", user_id=user, language_code=LANGS[user], document=document("F" + name, name, len(data))
    )
    await feed(app, update)


async def test_upload_preview_confirm_then_one_notice_after_the_window(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synced: list[list[int]] = []
    real_resync = jobs.resync

    async def resync(context: BotContext, class_ids: list[int]) -> None:
        synced.append(list(class_ids))
        await real_resync(context, class_ids)

    monkeypatch.setattr(jobs, "resync", resync)
    await send_file(app, request_recorder, ADMIN, "v3.xlsx", to_xlsx(revised(s4=T(10, 0))))
    assert request_recorder.sent("getFile")
    preview = request_recorder.messages(ADMIN)[-1]
    assert "1 buổi đổi giờ — Anh/Chị xác nhận?" in preview.text
    ((ok, confirm), (_no, cancel)) = preview.buttons[0]
    assert ok == "✅ Xác nhận" and confirm.startswith("upl:ok:") and cancel.startswith("upl:no:")
    await feed(app, callback_update(confirm, user_id=ADMIN, language_code="vi"))
    done = request_recorder.sent("editMessageText", ADMIN)[-1]
    assert "phiên bản 3" in done.text
    cls = await classes.get_class(db, world.seeded.cls.id)
    assert cls is not None
    assert [v.number for v in await versions.list_versions(db, cls.id)] == [1, 2, 3]
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(f"change-notice:{cls.id}")
    assert synced == [[cls.id]]
    clock.advance(change_notices.DEFAULT_WINDOW)
    await jobs.due_check(BotContext.from_job(job, app))
    rows = await db.fetchall(
        "SELECT person_id FROM outbox WHERE kind = ? ORDER BY person_id", (change_notices.KIND,)
    )
    assert [r[0] for r in rows] == sorted([world.seeded.trainee.id, world.seeded.manager.id])


async def test_upload_cancel_changes_nothing(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    before = await state(db)
    await send_file(app, request_recorder, ADMIN, "v3.xlsx", to_xlsx(revised(s4=T(10, 0))))
    cancel = request_recorder.messages(ADMIN)[-1].buttons[0][1][1]
    await feed(app, callback_update(cancel, user_id=ADMIN, language_code="vi"))
    assert "Đã hủy" in request_recorder.sent("editMessageText", ADMIN)[-1].text
    after = await state(db)
    assert after[:5] == before[:5] and after[6] == before[6]


async def test_upload_timeout_then_confirm_changes_nothing(
    app: BotApp, db: Database, clock: FakeClock, request_recorder: RecordingRequest, world: World
) -> None:
    await send_file(app, request_recorder, ADMIN, "v3.xlsx", to_xlsx(revised(s4=T(10, 0))))
    confirm = request_recorder.messages(ADMIN)[-1].buttons[0][0][1]
    clock.advance(uploads.UPLOAD_TIMEOUT + dt.timedelta(minutes=1))
    await feed(app, callback_update(confirm, user_id=ADMIN, language_code="vi"))
    assert "15 phút" in request_recorder.sent("editMessageText", ADMIN)[-1].text
    assert len(await versions.list_versions(db, world.seeded.cls.id)) == 2


async def test_a_too_large_file_is_refused_before_downloading(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    before = await state(db)
    await say(app, ADMIN, "/upload")
    update = message_update(
        "", user_id=ADMIN, language_code="vi", document=document("BIG", "v3.xlsx", 9 * 2**20)
    )
    await feed(app, update)
    assert not request_recorder.sent("getFile")
    assert "quá lớn" in last_text(request_recorder, ADMIN)
    assert await state(db) == before


async def test_a_wrong_type_and_a_broken_workbook_are_refused(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    before = await state(db)
    await send_file(app, request_recorder, ADMIN, "photo.jpg", b"\xff\xd8\xff")
    assert "photo.jpg" in last_text(request_recorder, ADMIN)
    await send_file(app, request_recorder, ADMIN, "v3.xlsx", b"PK\x03\x04broken")
    assert "Tệp không được chấp nhận" in last_text(request_recorder, ADMIN)
    assert await state(db) == before


async def test_a_document_without_upload_is_left_alone(
    app: BotApp, request_recorder: RecordingRequest, world: World
) -> None:
    request_recorder.serve_file("F1", to_xlsx(revised(s4=T(10, 0))))
    update = message_update(
        "", user_id=ADMIN, language_code="vi", document=document("F1", "v3.xlsx", 100)
    )
    await feed(app, update)
    assert not request_recorder.sent("getFile")


async def test_newclass_from_a_workbook(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    schedule = dataclasses.replace(
        vientiane_schedule(), cls=dataclasses.replace(vientiane_schedule().cls, code="VTE-HN-2025")
    )
    await send_file(app, request_recorder, ADMIN, "new.xlsx", to_xlsx(schedule), "/newclass")
    confirm = request_recorder.messages(ADMIN)[-1].buttons[0][0][1]
    await feed(app, callback_update(confirm, user_id=ADMIN, language_code="vi"))
    assert await classes.get_class_by_code(db, "VTE-HN-2025") is not None


async def test_export_asks_the_format_and_sends_documents(
    app: BotApp, request_recorder: RecordingRequest, world: World
) -> None:
    await say(app, MANAGER, f"/export {CODE}")
    buttons = [data for _label, data in request_recorder.messages(MANAGER)[-1].buttons[0]]
    assert [b.rsplit(":", 1)[1] for b in buttons] == ["xlsx", "csv", "ics"]
    for data in buttons:
        await feed(app, callback_update(data, user_id=MANAGER, language_code="vi"))
    sent = request_recorder.sent("sendDocument", MANAGER)
    assert len(sent) == 3 and all("Lịch học hiện hành" in c.text for c in sent)


async def test_template_sends_the_blank_workbook_with_instructions(
    app: BotApp, request_recorder: RecordingRequest, world: World
) -> None:
    await say(app, TRAINEE, "/template")
    (doc,) = request_recorder.sent("sendDocument", TRAINEE)
    assert "/upload" in doc.text
    assert "ຄຳແນະນຳ" in request_recorder.sent("sendMessage", TRAINEE)[-1].text


async def test_a_captioned_file_needs_no_command_and_a_stale_upload_request_lapses(
    app: BotApp, clock: FakeClock, request_recorder: RecordingRequest, world: World
) -> None:
    request_recorder.serve_file("F2", to_xlsx(revised(s4=T(10, 0))))
    captioned = message_update(
        "/upload",
        user_id=ADMIN,
        language_code="vi",
        document=document("F2", "v3.xlsx", 100),
    )
    await feed(app, captioned)
    assert request_recorder.messages(ADMIN)[-1].buttons[0][0][1].startswith("upl:ok:")
    request_recorder.clear()
    await say(app, ADMIN, "/upload")
    clock.advance(uploads.UPLOAD_TIMEOUT + dt.timedelta(minutes=1))
    late = message_update(
        "", user_id=ADMIN, language_code="vi", document=document("F2", "v3.xlsx", 100)
    )
    await feed(app, late)
    assert not request_recorder.sent("getFile")


async def test_a_trainees_captioned_file_is_refused_without_downloading(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    before = await state(db)
    request_recorder.serve_file("F3", to_xlsx(revised(s4=T(10, 0))))
    captioned = message_update(
        "/upload", user_id=TRAINEE, language_code="lo", document=document("F3", "v3.xlsx", 100)
    )
    await feed(app, captioned)
    assert not request_recorder.sent("getFile")
    assert last_text(request_recorder, TRAINEE) == refusal(TRAINEE)
    assert await state(db) == before


@pytest.mark.parametrize("command", [f"/members {CODE}", f"/invite {CODE}", f"/audit {CODE}"])
async def test_organiser_lists_are_never_shown_in_a_class_group(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World, command: str
) -> None:
    before = await state(db)
    group = -100200300
    await feed(
        app,
        message_update(
            command, user_id=ADMIN, chat_id=group, chat_type="group", language_code="vi"
        ),
    )
    (answer,) = request_recorder.messages(group)
    assert answer.text == (
        "Kính đề nghị Anh/Chị dùng lệnh này trong cuộc trò chuyện riêng với tôi."
    )
    assert "Somphone" not in answer.text and "t.me" not in answer.text
    assert await state(db) == before


def _programme() -> bytes:
    from tests.helpers.programmes import book

    rows = [
        ["ຕາຕະລາງການຝຶກອົບຮົມ"],
        [],
        ["ວັນທີ", "ເວລາ", "ເນື້ອໃນ", "ຜູ້ບັນຍາຍ", "ສະຖານທີ່", "ໝາຍເຫດ"],
        ["ວັນຈັນ 15/7", "08:00-09:00", "ພິທີເປີດການຝຶກອົບຮົມ", None, "ຫ້ອງປະຊຸມ", None],
        [None, "14:00-17:00", "ທັດສະນະສຶກສາ ຫໍພິພິທະພັນ", None, None, "ລົດອອກ 13:30 ທີ່ ໂຖງໂຮງແຮມ"],
        ["ວັນພຸດ 17/7", "08:00-11:00", "ພິທີປິດການຝຶກອົບຮົມ", None, "ຫ້ອງປະຊຸມ", None],
    ]
    return book(rows, merges=["A4:A5"])


async def test_an_organisers_own_programme_is_uploaded_in_the_class_with_what_was_inferred(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    data = _programme()
    await send_file(app, request_recorder, ADMIN, "tatalang.xlsx", data)
    preview = request_recorder.messages(ADMIN)[-1]
    with use_lang("vi"):
        from bot.i18n import _

        heading = _("Read from the file, please check")
        year = _("Dates without a year take the class's year ({year}): rows {rows}.")
    import html

    text = html.unescape(preview.text)
    assert heading in text and year.format(year=2024, rows="4, 5, 6") in text
    confirm = preview.buttons[0][0][1]
    await feed(app, callback_update(confirm, user_id=ADMIN, language_code="vi"))
    assert "phiên bản 3" in request_recorder.sent("editMessageText", ADMIN)[-1].text
    cls = await classes.get_class(db, world.seeded.cls.id)
    assert cls is not None and cls.live_version_id is not None
    live = await versions.load_version(db, cls.live_version_id)
    visit = next(s for s in live.sessions if s.departure)
    assert (visit.departure, visit.meeting_point["lo"]) == (T(13, 30), "ໂຖງໂຮງແຮມ")
    await send_file(app, request_recorder, ADMIN, "tatalang.xlsx", data)
    with use_lang("vi"):
        same = _("This file is the same as the live schedule of {code}. Nothing to do.")
    assert last_text(request_recorder, ADMIN) == same.format(code=CODE)


async def test_an_empty_file_is_confirmed_only_by_a_cancel_all_button(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    empty = dataclasses.replace(vientiane_schedule(), sessions=())
    await send_file(app, request_recorder, ADMIN, "empty.xlsx", to_xlsx(empty))
    preview = request_recorder.messages(ADMIN)[-1]
    label, action = preview.buttons[0][0]
    assert label.startswith("⚠") and "5" in label and action.startswith("upl:ok:")


def _odd_programme(start: str = "08:00-11:00") -> bytes:
    from tests.helpers.programmes import book

    rows = [
        ["LỊCH HỌC"],
        ["Hôm", "Lúc", "Việc", "Ai", "Chỗ"],
        ["15/07/2024", start, "Chuyên đề 1: Xây dựng Đảng", "TS A", "Hội trường"],
        ["16/07/2024", "14:00-17:00", "Tham quan Bảo tàng", None, None],
    ]
    return book(rows)


async def test_unrecognised_columns_are_mapped_with_buttons_and_remembered_for_the_class(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    await send_file(app, request_recorder, ADMIN, "odd.xlsx", _odd_programme())
    asked = request_recorder.messages(ADMIN)[-1]
    labels = [b[0] for row in asked.buttons for b in row]
    assert labels == ["A (Hôm)", "B (Lúc)", "C (Việc)", "D (Ai)", "E (Chỗ)"]  # the date: required
    assert "row 2" in asked.text or "dòng 2" in asked.text

    async def tap(label: str) -> list[tuple[str, str]]:
        edits = request_recorder.sent("editMessageText", ADMIN)
        current = edits[-1] if edits else asked
        action = next(a for row in current.buttons for (lbl, a) in row if lbl.endswith(label))
        await feed(app, callback_update(action, user_id=ADMIN, language_code="vi"))
        latest = request_recorder.sent("editMessageText", ADMIN)[-1]
        return [b for row in latest.buttons for b in row]

    await tap("A (Hôm)")  # date
    await tap("B (Lúc)")  # time
    await tap("không có")  # part of the day: none
    after_content = await tap("C (Việc)")  # content
    assert any(a.endswith(".") for _, a in after_content)  # "preview now" from here on
    await tap("D (Ai)")  # lecturer
    await tap("E (Chỗ)")  # venue
    final = await tap("không có")  # notes: none → the preview
    assert final[0][1].startswith("upl:ok:")
    await feed(app, callback_update(final[0][1], user_id=ADMIN, language_code="vi"))
    assert "phiên bản 3" in request_recorder.sent("editMessageText", ADMIN)[-1].text
    # the next upload of that class is read with the remembered columns, straight to a preview
    await send_file(app, request_recorder, ADMIN, "odd2.xlsx", _odd_programme("08:30-11:00"))
    preview = request_recorder.messages(ADMIN)[-1]
    assert preview.buttons[0][0][1].startswith("upl:ok:") and "1 buổi đổi giờ" in preview.text


async def test_newclass_with_a_programme_asks_the_class_details_in_the_chat(
    app: BotApp, db: Database, request_recorder: RecordingRequest, world: World
) -> None:
    from tests.helpers.programmes import vi_merged_dates

    await send_file(app, request_recorder, ADMIN, "lich.xlsx", vi_merged_dates(), "/newclass")
    assert "VTE-HN-2024" in last_text(request_recorder, ADMIN)  # the code is asked first
    await say(app, ADMIN, "bad code!")
    assert "2" in last_text(request_recorder, ADMIN) and "40" in last_text(request_recorder, ADMIN)
    await say(app, ADMIN, "vte-hn-07")
    name_question = request_recorder.messages(ADMIN)[-1]
    suggested, action = name_question.buttons[0][0]
    assert suggested.startswith("Lớp bồi dưỡng cán bộ thành phố Viêng Chăn")
    await feed(app, callback_update(action, user_id=ADMIN, language_code="vi"))
    days = request_recorder.sent("editMessageText", ADMIN)[-1]
    assert days.buttons[0][0][0] == "15/07/2024 – 16/07/2024"
    await say(app, ADMIN, "15/07/2024 - 26/07/2024")
    zones = request_recorder.messages(ADMIN)[-1]
    await feed(app, callback_update(zones.buttons[0][0][1], user_id=ADMIN, language_code="vi"))
    langs = request_recorder.sent("editMessageText", ADMIN)[-1]
    assert langs.buttons[0][0][0] == "Tiếng Việt"  # guessed from the programme's script
    await feed(app, callback_update(langs.buttons[0][0][1], user_id=ADMIN, language_code="vi"))
    preview = request_recorder.sent("editMessageText", ADMIN)[-1]
    assert "VTE-HN-07" in preview.text and preview.buttons[0][0][1].startswith("upl:ok:")
    await feed(app, callback_update(preview.buttons[0][0][1], user_id=ADMIN, language_code="vi"))
    made = await classes.get_class_by_code(db, "VTE-HN-07")
    assert made is not None and made.timezone == "Asia/Ho_Chi_Minh"
    assert (made.first_day, made.last_day, made.default_lang) == (
        dt.date(2024, 7, 15),
        dt.date(2024, 7, 26),
        "vi",
    )
    assert len(await classes.sessions_on(db, made, dt.date(2024, 7, 15))) == 4
    # the questions are over: plain words reach the assistant again
    await say(app, ADMIN, "lịch hôm nay")
    assert "2 đến 40" not in last_text(request_recorder, ADMIN)
