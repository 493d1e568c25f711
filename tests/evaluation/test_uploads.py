"""Results and evaluation questions from a sheet: preview, confirm once, own result only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from bot import actions
from bot.actions import ActionContext
from bot.clock import FakeClock
from bot.domain import Channel, Person, Role
from bot.evaluation import commands, form, uploads
from bot.people.permissions import Forbidden
from bot.store import audit, people
from bot.store import evaluation as store
from bot.store.database import Database
from bot.store.evaluation import Grade
from tests.helpers.sample import Seeded


def ctx(db: Database, person: Person, clock: FakeClock) -> ActionContext:
    return ActionContext(db=db, person=person, lang="en", now=clock.now(), channel=Channel.TELEGRAM)


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    first = True
    for name, rows in sheets.items():
        ws = book.active if first else book.create_sheet()
        assert ws is not None
        ws.title = name
        first = False
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def add_trainee(
    db: Database, seeded: Seeded, name: str, ext: str, now: dt.datetime
) -> Person:
    person, _i, _c = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=ext,
        chat_id=ext,
        display_name=name,
        language_code="vi",
        now=now,
    )
    await people.add_member(db, seeded.cls.id, person.id, Role.TRAINEE, now)
    return person


RESULTS_CSV = (
    "KẾT QUẢ HỌC TẬP\n\nSTT;Họ và tên;Kết quả;Khen thưởng;Lý do\n"
    "1;somphone;Xuất sắc;x;=Dẫn đầu lớp\n2;Nguyễn  Văn Nam;Khá;;\n"
).encode()


async def test_results_preview_confirm_once(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    nam = await add_trainee(db, seeded, "Nguyễn Văn Nam", "503", clock.now())
    preview = await uploads.stage(
        db, seeded.admin, seeded.cls, "results", RESULTS_CSV, "ket-qua.csv", clock.now(), "en"
    )
    text = preview.plain()
    assert "Trainees: 2. Excellent: 1, good: 1, pass: 0, not completed: 0." in text
    assert "Commendations: 1." in text
    ok = preview.buttons[0][0].action
    assert ok.startswith("sheet:ok:")
    assert await store.results(db, seeded.cls.id) == {}
    done = await actions.dispatch(ctx(db, seeded.admin, clock), ok)
    twice = await actions.dispatch(ctx(db, seeded.admin, clock), ok)
    assert done.replies[0].plain().startswith("Saved: the results of 2 trainees.")
    assert twice.replies[0].plain() == "This file was already dealt with. Nothing has changed."
    found = await store.results(db, seeded.cls.id)
    assert found[seeded.trainee.id].grade is Grade.EXCELLENT and found[seeded.trainee.id].commended
    assert found[seeded.trainee.id].reason == "=Dẫn đầu lớp"
    assert found[nam.id].grade is Grade.GOOD and not found[nam.id].commended
    assert [e.action for e in await audit.entries(db, seeded.cls.id)][:1] == ["results.upload"]
    own = await commands.run(db, seeded.trainee, seeded.cls, "results", clock.now(), "en")
    text = own.replies[0].plain()
    assert "Your result: excellent" in text and "Reason: =Dẫn đầu lớp" in text
    assert "Nguyễn Văn Nam" not in text
    counts = await commands.run(db, seeded.manager, seeded.cls, "results", clock.now(), "en")
    assert "Somphone" not in counts.replies[0].plain()
    assert "Commendations: 1" in counts.replies[0].plain()


async def test_results_with_problems_change_nothing(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    data = workbook(
        {"Kết quả": [["Họ và tên", "Xếp loại"], ["Somphone", "Tuyệt vời"], ["Ai Đó", "Đạt"]]}
    )
    reply = await uploads.stage(
        db, seeded.admin, seeded.cls, "results", data, "kq.xlsx", clock.now(), "en"
    )
    text = reply.plain()
    assert "Kết quả, row 2: the result “Tuyệt vời” is not one of" in text
    assert "Kết quả, row 3: “Ai Đó” is not a trainee of this class." in text
    assert reply.buttons == ()
    damaged = await uploads.stage(
        db, seeded.admin, seeded.cls, "results", b"not a zip", "kq.xlsx", clock.now(), "en"
    )
    assert "could not be opened" in damaged.plain()
    with pytest.raises(Forbidden):
        await uploads.stage(
            db, seeded.manager, seeded.cls, "results", RESULTS_CSV, "k.csv", clock.now(), "en"
        )
    assert await store.results(db, seeded.cls.id) == {}


async def test_own_evaluation_questions_from_the_workbook(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    data = workbook(
        {
            "Lịch học": [["Ngày", "Nội dung"]],
            "Phiếu đánh giá": [
                ["PHIẾU ĐÁNH GIÁ"],
                ["STT", "Tiếng Việt", "ພາສາລາວ", "Loại"],
                [1, "Nội dung chuyên đề", "ເນື້ອໃນຫົວຂໍ້", "thang điểm"],
                [2, "Góp ý khác", "ຄຳເຫັນອື່ນ", "tự luận"],
            ],
        }
    )
    preview = await uploads.stage(
        db, seeded.admin, seeded.cls, "evaluation", data, "lop.xlsx", clock.now(), "vi"
    )
    assert "1. Nội dung chuyên đề (1–5)" in preview.plain()
    ok = preview.buttons[0][0].action
    done = await actions.dispatch(ctx(db, seeded.admin, clock), ok)
    assert done.replies[0].plain() == "Saved: the evaluation form now has 2 questions."
    questions, custom = await form.form_questions(db, seeded.cls)
    assert custom and [q.kind for q in questions] == ["scale", "text"]
    clock.set(dt.datetime(2024, 7, 17, 2, 0, tzinfo=dt.UTC))
    first = await form.start(db, seeded.trainee, seeded.cls, clock.now(), "lo")
    assert "ເນື້ອໃນຫົວຂໍ້" in first.plain()
    # Once answering has begun, the questions can no longer be replaced.
    await form.give_answer(db, seeded.trainee, seeded.cls.id, 1, 4, "", clock.now(), "en")
    refused = await uploads.stage(
        db, seeded.admin, seeded.cls, "evaluation", data, "lop.xlsx", clock.now(), "en"
    )
    assert "can no longer be replaced" in refused.plain()


async def test_cancel_and_expiry_change_nothing(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    one = "Họ và tên,Kết quả\nSomphone,Đạt\n".encode()
    first = await uploads.stage(
        db, seeded.admin, seeded.cls, "results", one, "k.csv", clock.now(), "en"
    )
    ok, cancel = (b.action for b in first.buttons[0])
    cancelled = await actions.dispatch(ctx(db, seeded.admin, clock), cancel)
    assert cancelled.replies[0].plain() == "Cancelled. Nothing was changed."
    late = await actions.dispatch(ctx(db, seeded.admin, clock), ok)
    assert late.replies[0].plain() == "This file was already dealt with. Nothing has changed."
    second = await uploads.stage(
        db, seeded.admin, seeded.cls, "results", one, "k.csv", clock.now(), "en"
    )
    clock.advance(dt.timedelta(minutes=16))
    expired = await actions.dispatch(ctx(db, seeded.admin, clock), second.buttons[0][0].action)
    assert expired.replies[0].plain().startswith("The preview expired")
    assert await store.results(db, seeded.cls.id) == {}


def test_question_language_follows_the_text() -> None:
    from bot.evaluation import sheets

    data = "Câu hỏi,Loại\nBố trí phòng học,\nຄຳເຫັນອື່ນ,text\nAnything else,text\n".encode()
    read = sheets.read_questions(data, "q.csv", "en")
    assert [dict(q.text) for q in read.questions] == [
        {"vi": "Bố trí phòng học"},
        {"lo": "ຄຳເຫັນອື່ນ"},
        {"en": "Anything else"},
    ]
