"""The pocket on Telegram, through the handlers down to the Bot API calls."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from bot.schedule.write import to_xlsx
from bot.telegram.context import BotApp
from tests.helpers.app import feed
from tests.helpers.pocket import ROSTER_HEAD, ROSTER_ROWS, roster_xlsx
from tests.helpers.sample import Seeded, revised
from tests.helpers.telegram import RecordingRequest, callback_update, message_update

TRAINEE, MANAGER, ADMIN = 501, 601, 701
LANGS = {TRAINEE: "lo", MANAGER: "vi"}


async def say(app: BotApp, user: int, text: str, **kw: object) -> None:
    await feed(app, message_update(text, user_id=user, language_code=LANGS[user], **kw))  # type: ignore[arg-type]


async def tap(app: BotApp, user: int, data: str) -> None:
    await feed(app, callback_update(data, user_id=user, language_code=LANGS[user]))


def document(file_id: str, name: str, size: int) -> dict[str, object]:
    return {
        "file_id": file_id,
        "file_unique_id": "u" + file_id,
        "file_name": name,
        "file_size": size,
    }


async def test_roster_upload_then_plain_words_answer_from_the_card(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await say(app, TRAINEE, "ຂ້ອຍນັ່ງລົດຄັນໃດ")
    assert "ຍັງບໍ່ມີບັດຂອງທ່ານ" in request_recorder.messages(TRAINEE)[-1].text

    await say(app, MANAGER, "/roster")
    assert "gửi tệp Excel của lớp có trang học viên" in request_recorder.messages(MANAGER)[-1].text
    data = roster_xlsx()
    request_recorder.serve_file("R1", data)
    await say(app, MANAGER, "", document=document("R1", "lop.xlsx", len(data)))
    preview = request_recorder.messages(MANAGER)[-1]
    assert "3 học viên; 1 người đã được ghép" in preview.text
    confirm = preview.buttons[0][0][1]
    assert confirm.startswith("pkr:ok:")
    await tap(app, MANAGER, confirm)
    assert "Xong: danh sách học viên (3 dòng)" in request_recorder.messages(MANAGER)[-1].text

    await say(app, TRAINEE, "ຂ້ອຍນັ່ງລົດຄັນໃດ")
    answer = request_recorder.messages(TRAINEE)[-1].text
    assert "ບ່ອນນັ່ງຂອງທ່ານ: ລົດຄັນທີ 1, ບ່ອນນັ່ງ 12." in answer
    await say(app, TRAINEE, "/me")
    assert "ຫ້ອງພັກ: 305" in request_recorder.messages(TRAINEE)[-1].text

    await say(app, MANAGER, "/roster")
    listing = request_recorder.messages(MANAGER)[-2].text
    assert "Somphone · phòng 305 · xe 1, ghế 12" in listing


async def test_a_trainee_cannot_upload_a_roster(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await say(app, TRAINEE, "/roster")
    data = roster_xlsx()
    request_recorder.serve_file("R2", data)
    await say(app, TRAINEE, "", document=document("R2", "lop.xlsx", len(data)))
    assert not any(
        "pkr:" in b[1] for m in request_recorder.messages(TRAINEE) for r in m.buttons for b in r
    )


async def test_the_week_offers_a_picture_sent_as_a_photo(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await say(app, TRAINEE, "/week")
    week = request_recorder.messages(TRAINEE)[-1]
    label, action = week.buttons[-1][0]
    assert label == "🖼 ເປັນຮູບ" and action == f"pkw:{seeded.cls.id}:2024-07-15"
    await tap(app, TRAINEE, action)
    photos = request_recorder.sent("sendPhoto", TRAINEE)
    assert len(photos) == 1 and seeded.cls.title("lo") in photos[0].text
    await say(app, TRAINEE, "week picture")
    assert len(request_recorder.sent("sendPhoto", TRAINEE)) == 2


async def test_contacts_and_materials_by_command(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await say(app, TRAINEE, "/contacts")
    assert "ຄະນະຈັດຕັ້ງຍັງບໍ່ທັນໄດ້ແຈ້ງເບີໂທ" in request_recorder.messages(TRAINEE)[-1].text
    pdf = {
        "message_id": 77,
        "date": 0,
        "chat": {"id": MANAGER, "type": "private"},
        "document": document("PDF1", "cd1.pdf", 1000),
    }
    await say(app, MANAGER, "/attach", reply_to=pdf)
    ask = request_recorder.messages(MANAGER)[-1]
    topic1 = next(b for row in ask.buttons for b in row if "Chuyên đề 1" in b[0])
    await tap(app, MANAGER, topic1[1])
    await say(app, TRAINEE, "ເອກະສານ")
    docs = request_recorder.sent("sendDocument", TRAINEE)
    assert docs and docs[-1].params["document"] == "PDF1"
    await say(app, MANAGER, "/attach")
    assert "/attach" in request_recorder.messages(MANAGER)[-1].text


def with_trainees_sheet(workbook: bytes) -> bytes:
    """The class workbook with a trainees sheet added, as organisers keep it."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.create_sheet("Học viên")
    sheet.append(ROSTER_HEAD)
    for row in ROSTER_ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_a_class_workbook_with_a_trainees_sheet_previews_the_list_after_confirm(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    data = with_trainees_sheet(to_xlsx(revised(s4=dt.time(10, 0))))
    await feed(app, message_update("/upload", user_id=ADMIN, language_code="vi"))
    request_recorder.serve_file("W1", data)
    await feed(
        app,
        message_update(
            "", user_id=ADMIN, language_code="vi", document=document("W1", "lop.xlsx", len(data))
        ),
    )
    confirm = request_recorder.messages(ADMIN)[-1].buttons[0][0][1]
    assert confirm.startswith("upl:ok:")
    await feed(app, callback_update(confirm, user_id=ADMIN, language_code="vi"))
    texts = [m.text for m in request_recorder.messages(ADMIN)]
    assert any("Nhắc lịch được cập nhật theo" in t for t in texts), texts
    preview = request_recorder.messages(ADMIN)[-1]
    assert "3 học viên" in preview.text and preview.buttons[0][0][1].startswith("pkr:ok:")


async def test_a_class_workbook_without_a_trainees_sheet_asks_nothing_more(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    data = to_xlsx(revised(s4=dt.time(10, 0)))
    await feed(app, message_update("/upload", user_id=ADMIN, language_code="vi"))
    request_recorder.serve_file("W2", data)
    await feed(
        app,
        message_update(
            "", user_id=ADMIN, language_code="vi", document=document("W2", "lop.xlsx", len(data))
        ),
    )
    confirm = request_recorder.messages(ADMIN)[-1].buttons[0][0][1]
    await feed(app, callback_update(confirm, user_id=ADMIN, language_code="vi"))
    assert not any(
        "pkr:" in b for m in request_recorder.messages(ADMIN) for r in m.buttons for _l, b in r
    )


async def test_the_last_command_says_what_the_next_file_is(
    app: BotApp, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await feed(app, message_update("/roster", user_id=ADMIN, language_code="vi"))
    await feed(app, message_update("/upload", user_id=ADMIN, language_code="vi"))
    data = to_xlsx(revised(s4=dt.time(10, 0)))
    request_recorder.serve_file("W3", data)
    await feed(
        app,
        message_update(
            "", user_id=ADMIN, language_code="vi", document=document("W3", "lop.xlsx", len(data))
        ),
    )
    last = request_recorder.messages(ADMIN)[-1]
    assert last.buttons[0][0][1].startswith("upl:ok:")  # the schedule's preview, nothing else
    assert "danh sách học viên" not in last.text.lower()
    await feed(app, message_update("/upload", user_id=ADMIN, language_code="vi"))
    await feed(app, message_update("/roster", user_id=ADMIN, language_code="vi"))
    roster = roster_xlsx()
    request_recorder.serve_file("R3", roster)
    await feed(
        app,
        message_update(
            "", user_id=ADMIN, language_code="vi", document=document("R3", "r.xlsx", len(roster))
        ),
    )
    assert request_recorder.messages(ADMIN)[-1].buttons[0][0][1].startswith("pkr:ok:")
