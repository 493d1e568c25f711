"""A whole class day and the last day through the Telegram handlers (fake Bot API).

Sign-in opens (a job → the outbox → the trainee's chat), the trainee taps, taps again,
asks for their record in Lao plain words; the manager sees the list and marks; the
lecture ends and the trainee rates it with a comment. On the last day the form comes,
is answered question by question; the organiser uploads results, the trainee sees theirs,
the manager gets the closing pack as a document.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from bot.clock import FakeClock
from bot.outbox.worker import DeliveryWorker
from bot.store import attendance as attendance_store
from bot.store import evaluation as evaluation_store
from bot.store.database import Database
from bot.telegram import jobs
from bot.telegram.context import BotApp
from bot.telegram.sender import TelegramSender
from tests.helpers.app import feed
from tests.helpers.class_jobs import fire, planned
from tests.helpers.sample import Seeded
from tests.helpers.senders import clock_sleep
from tests.helpers.telegram import RecordingRequest, callback_update, message_update

TRAINEE = {"user_id": 501, "first_name": "Somphone", "language_code": "lo"}
MANAGER = {"user_id": 601, "first_name": "Nguyễn Thị Lan", "language_code": "vi"}
ADMIN = {"user_id": 701, "first_name": "Admin", "language_code": "vi"}
DAY = dt.date(2024, 7, 15)


def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Hanoi wall-clock time on July ``day`` 2024, as UTC."""
    return dt.datetime(2024, 7, day, hour - 7, minute, tzinfo=dt.UTC)


async def run_job(db: Database, clock: FakeClock, app: BotApp, name: str) -> None:
    """Fire the planned job ``name`` at the clock's time and deliver the outbox."""
    jobs = await planned(db, clock.now())
    assert await fire(db, jobs[name], clock.now()) >= 1
    worker = DeliveryWorker(db, [TelegramSender(app.bot)], clock, sleep=clock_sleep(clock))
    await worker.run_until_idle()


def buttons(request: RecordingRequest, chat: int) -> list[str]:
    """The buttons of the last message to ``chat`` that has any (reminders come too)."""
    for call in reversed(request.messages(chat)):
        if call.buttons:
            return [data for row in call.buttons for _label, data in row]
    return []


def with_button(request: RecordingRequest, chat: int, prefix: str) -> str:
    """The text of the last message to ``chat`` with a button starting with ``prefix``."""
    for call in reversed(request.messages(chat)):
        if any(data.startswith(prefix) for row in call.buttons for _label, data in row):
            return call.text
    return ""


async def test_a_class_day(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    cid = seeded.cls.id
    report = await jobs.sync_jobs(app, clock.now())
    assert report.planned >= 1
    assert app.job_queue is not None
    assert app.job_queue.get_jobs_by_name(f"signin:{cid}:s2:2024-07-15")
    clock.set(utc(15, 9, 0))
    await run_job(db, clock, app, f"signin:{cid}:s2:2024-07-15")
    invitation = with_button(request_recorder, 501, "att:in:")
    assert "ຫົວຂໍ້ 1" in invitation  # the session's title in Lao
    tap = buttons(request_recorder, 501)
    assert tap == [f"att:in:{cid}:s2:2024-07-15"]
    # Firing again (a restart, a re-sync) sends nothing twice.
    again = await planned(db, clock.now())
    assert await fire(db, again[f"signin:{cid}:s2:2024-07-15"], clock.now()) == 0

    request_recorder.clear()
    await feed(app, callback_update(tap[0], **TRAINEE))
    await feed(app, callback_update(tap[0], **TRAINEE))
    answers = [m.text for m in request_recorder.messages(501)]
    assert len(answers) == 2 and answers[0] != answers[1]
    assert "Somphone" in answers[0]
    assert len(await attendance_store.class_records(db, cid)) == 1

    request_recorder.clear()
    await feed(app, message_update("ລົງຊື່", **TRAINEE))
    (record,) = request_recorder.messages(501)
    assert "✅" in record.text

    request_recorder.clear()
    await feed(app, message_update("/attendance", **MANAGER))
    (listing,) = request_recorder.messages(601)
    assert "1. Somphone" in listing.text
    await feed(app, message_update("/mark 1 vắng", **MANAGER))
    assert "Somphone" in request_recorder.messages(601)[-1].text
    records = await attendance_store.session_records(db, cid, "s2", DAY)
    assert records[seeded.trainee.id].status.value == "absent"
    await feed(app, message_update("/mark 1 co", **MANAGER))  # corrected: present after all

    # The lecture ends at 11:30: the trainee who attended is asked for a rating.
    clock.set(utc(15, 11, 31))
    request_recorder.clear()
    await run_job(db, clock, app, f"rate:{cid}:s2:2024-07-15")
    stars = buttons(request_recorder, 501)
    assert stars[:5] == [f"rate:{cid}:s2:2024-07-15:{n}" for n in range(1, 6)]
    await feed(app, callback_update(stars[4], **TRAINEE))
    await feed(app, callback_update(stars[5], **TRAINEE))
    await feed(app, message_update("ຜູ້ບັນຍາຍອະທິບາຍຊັດເຈນ", **TRAINEE))
    rows = await evaluation_store.rating_rows(db, cid)
    assert [(r.stars, r.comment) for r in rows] == [(5, "ຜູ້ບັນຍາຍອະທິບາຍຊັດເຈນ")]
    # Without an awaited answer, a plain question still reaches the assistant.
    request_recorder.clear()
    await feed(app, message_update("ມື້ນີ້ມີຫຍັງ", **TRAINEE))
    assert "09:15–11:30" in request_recorder.messages(501)[-1].text  # today's programme

    request_recorder.clear()
    await feed(app, message_update("/ratings", **MANAGER))
    summary = request_recorder.messages(601)[-1].text
    assert "ຜູ້ບັນຍາຍອະທິບາຍຊັດເຈນ" in summary and "Somphone" not in summary


async def test_the_last_day(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    cid = seeded.cls.id
    clock.set(utc(17, 15, 0))  # the closing ceremony, the last day's first session
    await run_job(db, clock, app, f"evaluation:{cid}")
    start = buttons(request_recorder, 501)
    assert start == [f"ev:{cid}:go"]
    await feed(app, callback_update(start[0], **TRAINEE))
    for number in range(1, 6):
        choice = buttons(request_recorder, 501)
        assert choice[0] == f"ev:{cid}:{number}:1"
        await feed(app, callback_update(choice[3], **TRAINEE))
        if number == 3:  # the manager checks who has not finished, meanwhile
            await feed(app, message_update("/evaluation", **MANAGER))
            assert "Somphone" in request_recorder.messages(601)[-1].text
    assert buttons(request_recorder, 501) == [f"ev:{cid}:6:skip"]
    await feed(app, message_update("ຂອບໃຈຫຼາຍໆ", **TRAINEE))
    assert len(await evaluation_store.answers_of(db, cid, seeded.trainee.id)) == 6

    # The one reminder goes only to those who have not finished: nobody here.
    clock.set(utc(17, 20, 5))
    later = await planned(db, clock.now())
    assert await fire(db, later[f"evaluation-reminder:{cid}"], clock.now()) == 0

    request_recorder.clear()
    await feed(app, message_update("/results", **ADMIN))
    csv = "Họ và tên,Kết quả,Khen thưởng,Lý do\nSomphone,Xuất sắc,x,Dẫn đầu lớp\n".encode()
    request_recorder.serve_file("RES", csv)
    doc = {"file_id": "RES", "file_unique_id": "uRES", "file_name": "kq.csv", "file_size": 80}
    await feed(app, message_update("", document=doc, **ADMIN))
    confirm = buttons(request_recorder, 701)
    assert confirm[0].startswith("sheet:ok:")
    await feed(app, callback_update(confirm[0], **ADMIN))
    await feed(app, callback_update(confirm[0], **ADMIN))  # a double tap changes nothing
    assert len(await evaluation_store.results(db, cid)) == 1

    request_recorder.clear()
    await feed(app, message_update("/results", **TRAINEE))
    assert "Dẫn đầu lớp" in request_recorder.messages(501)[-1].text

    request_recorder.clear()
    await feed(app, message_update("/closing", **MANAGER))
    (sent,) = request_recorder.sent("sendDocument", 601)
    assert sent.params["caption"]
    await feed(app, message_update("/closing", **TRAINEE))
    assert not request_recorder.sent("sendDocument", 501)


async def test_closing_pack_bytes_open(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    from bot.evaluation import closing

    data = await closing.build(db, seeded.cls, clock.now())
    assert load_workbook(io.BytesIO(data)).sheetnames


async def test_only_in_a_private_chat(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    group = -100123
    await feed(app, message_update("/linkgroup", chat_id=group, chat_type="group", **MANAGER))
    request_recorder.clear()
    for text in ("/attendance", "/closing", "/results"):
        await feed(app, message_update(text, chat_id=group, chat_type="group", **MANAGER))
    texts = [m.text for m in request_recorder.messages(group)]
    assert len(texts) == 3 and len(set(texts)) == 1  # the pointer to the private chat
    assert "Somphone" not in texts[0]
    assert not request_recorder.sent("sendDocument")
    request_recorder.clear()
    await feed(app, message_update("điểm danh", chat_id=group, chat_type="group", **TRAINEE))
    assert request_recorder.messages(group) == []  # people talking among themselves


async def test_own_questions_after_evalform(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    await feed(app, message_update("/evalform", **MANAGER))
    assert "Bố trí" not in request_recorder.messages(601)[-1].text
    assert request_recorder.messages(601)[-1].text  # refused: managers are not organisers
    await feed(app, message_update("/evalform", **ADMIN))
    sheet = "Câu hỏi,Loại\nBố trí phòng học,thang điểm\nGóp ý,tự luận\n".encode()
    request_recorder.serve_file("Q", sheet)
    doc = {"file_id": "Q", "file_unique_id": "uQ", "file_name": "q.csv", "file_size": 60}
    await feed(app, message_update("", document=doc, **ADMIN))
    assert "Bố trí phòng học" in request_recorder.messages(701)[-1].text
    await feed(app, callback_update(buttons(request_recorder, 701)[0], **ADMIN))
    questions = await evaluation_store.questions(db, seeded.cls.id)
    assert [q.kind for q in questions] == ["scale", "text"]
    assert dict(questions[0].text) == {"vi": "Bố trí phòng học"}
