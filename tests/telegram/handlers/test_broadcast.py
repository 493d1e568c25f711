"""/broadcast and /report on Telegram: the conversation, refusals, cancel, timeout, ack button."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import pytest

from bot.announcements import publish as announcements
from bot.announcements import status as announcement_status
from bot.clock import FakeClock
from bot.outbox.worker import DeliveryWorker
from bot.store import Database, outbox
from bot.telegram.context import BotApp
from bot.telegram.sender import TelegramSender
from tests.helpers.app import feed, started_app
from tests.helpers.sample import Seeded
from tests.helpers.senders import clock_sleep
from tests.helpers.telegram import RecordingRequest, callback_update, message_update

MANAGER = {"user_id": 601, "first_name": "Nguyễn Thị Lan", "language_code": "vi"}
TRAINEE = {"user_id": 501, "first_name": "Somphone", "language_code": "lo"}
VI = "Chiều nay xe xuất phát lúc 13h15 tại sảnh khách sạn"
LO = "ບ່າຍມື້ນີ້ ລົດອອກເດີນທາງເວລາ 13:15 ທີ່ໂຖງໂຮງແຮມ"


async def last_text(request: RecordingRequest, chat: int) -> str:
    return request.messages(chat)[-1].text


async def compose(app: BotApp, request: RecordingRequest, *, ack: bool = True) -> None:
    """Manager: text, Lao version, trainees, (ack toggled off if asked), up to the preview."""
    await feed(app, message_update(f"/broadcast {VI}", **MANAGER))
    offer = request.messages(601)[-1]
    assert offer.buttons[-1] == [("Không, tiếp tục", "bcast:lang:none")]
    assert ("Thêm bản bằng ພາສາລາວ", "bcast:lang:lo") in [row[0] for row in offer.buttons]
    await feed(app, callback_update("bcast:lang:lo", **MANAGER))
    assert await last_text(request, 601) == "Kính đề nghị Anh/Chị viết bản bằng ພາສາລາວ."
    await feed(app, message_update(LO, **MANAGER))
    audience = request.messages(601)[-1]
    assert [row[0][1] for row in audience.buttons] == [
        "bcast:aud:class",
        "bcast:aud:trainees",
        "bcast:aud:managers",
    ]
    await feed(app, callback_update("bcast:aud:trainees", **MANAGER))
    if not ack:
        await feed(app, callback_update("bcast:ack", **MANAGER))


async def test_manager_broadcasts_in_two_languages_and_trainee_confirms(
    app: BotApp, db: Database, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await compose(app, request_recorder)
    preview = request_recorder.messages(601)[-1]
    assert "Xem trước thông báo" in preview.text and "Chỉ học viên (1 người)" in preview.text
    assert VI in preview.text and LO in preview.text
    assert preview.buttons[0] == [("☑ Đề nghị xác nhận đã nhận", "bcast:ack")]

    await feed(app, callback_update("bcast:send", **MANAGER))
    assert (await last_text(request_recorder, 601)).startswith("Đã gửi tới 1 người.")
    (ann,) = await announcements.recent(db, seeded.cls.id)
    assert ann.needs_ack and dict(ann.body) == {"vi": VI, "lo": LO}
    queued = await outbox.by_key(db, f"ann:{ann.id}:{seeded.trainee.id}")
    assert queued is not None and LO in queued.reply.plain() and VI not in queued.reply.plain()

    request_recorder.clear()
    await feed(app, callback_update(f"ack:{ann.id}", **TRAINEE))
    (answer,) = request_recorder.sent("answerCallbackQuery")
    assert answer.params["text"] == "ຂໍຂອບໃຈ. ການຢືນຢັນຂອງທ່ານໄດ້ຖືກບັນທຶກໄວ້ແລ້ວ."
    rep = await announcement_status.report(db, ann)
    assert rep.acknowledged == ["Somphone"]


async def test_ack_toggle_off_sends_without_button(
    app: BotApp, db: Database, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await compose(app, request_recorder, ack=False)
    assert request_recorder.messages(601)[-1].buttons[0] == [
        ("☐ Đề nghị xác nhận đã nhận", "bcast:ack")
    ]
    await feed(app, callback_update("bcast:send", **MANAGER))
    (ann,) = await announcements.recent(db, seeded.cls.id)
    queued = await outbox.by_key(db, f"ann:{ann.id}:{seeded.trainee.id}")
    assert not ann.needs_ack and queued is not None and queued.reply.buttons == ()


async def test_trainee_cannot_broadcast(
    app: BotApp, db: Database, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update(f"/broadcast {VI}", **TRAINEE))
    assert (await last_text(request_recorder, 501)).startswith("ຂໍອະໄພ")
    await feed(app, message_update("/report", **TRAINEE))
    assert "ຂໍອະໄພ" in await last_text(request_recorder, 501)
    assert await outbox.state_counts(db, "announcement") == {}


@pytest.mark.parametrize("how", ["command", "button"])
async def test_cancel_sends_nothing(
    app: BotApp, db: Database, request_recorder: RecordingRequest, how: str
) -> None:
    await compose(app, request_recorder)
    if how == "command":
        await feed(app, message_update("/cancel", **MANAGER))
    else:
        await feed(app, callback_update("bcast:cancel", **MANAGER))
    assert await last_text(request_recorder, 601) == "Đã hủy. Không có gì được gửi đi."
    assert await outbox.state_counts(db, "announcement") == {}
    await feed(app, callback_update("bcast:send", **MANAGER))  # a stale preview button
    assert await outbox.state_counts(db, "announcement") == {}


async def test_conversation_times_out_cleanly(
    app: BotApp, db: Database, request_recorder: RecordingRequest
) -> None:
    await feed(app, message_update("/broadcast", **MANAGER))
    assert await last_text(request_recorder, 601) == "Kính đề nghị Anh/Chị viết nội dung thông báo."
    assert app.job_queue is not None
    (job,) = [j for j in app.job_queue.jobs() if "timeout" in j.callback.__name__]
    await job.run(app)  # the 10 minutes are up
    assert (await last_text(request_recorder, 601)).startswith("Thông báo chưa được gửi")
    await feed(app, message_update(VI, **MANAGER))  # no longer part of a broadcast
    assert await outbox.state_counts(db, "announcement") == {}


def photo_message(caption: str) -> dict[str, Any]:
    return {
        "message_id": 77,
        "date": int(time.time()),
        "chat": {"id": 601, "type": "private"},
        "from": {"id": 601, "is_bot": False, "first_name": "Lan"},
        "caption": caption,
        "photo": [
            {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
            {"file_id": "BIGPHOTO", "file_unique_id": "b", "width": 900, "height": 900},
        ],
    }


async def test_reply_to_a_photo_broadcasts_the_photo_with_its_caption(
    app: BotApp, db: Database, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    await feed(app, message_update("/broadcast", reply_to=photo_message(VI), **MANAGER))
    await feed(app, callback_update("bcast:lang:none", **MANAGER))
    await feed(app, callback_update("bcast:aud:class", **MANAGER))
    preview = request_recorder.messages(601)[-1]
    assert preview.method == "sendPhoto" and preview.params["photo"] == "BIGPHOTO"
    await feed(app, callback_update("bcast:send", **MANAGER))
    (ann,) = await announcements.recent(db, seeded.cls.id)
    queued = await outbox.by_key(db, f"ann:{ann.id}:{seeded.trainee.id}")
    assert queued is not None and queued.reply.media == ("photo", "BIGPHOTO")
    assert VI in queued.reply.plain()  # Somphone reads Lao: no Lao version, so he gets Vietnamese


async def test_report_after_delivery_names_who_confirmed(
    app: BotApp,
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    seeded: Seeded,
) -> None:
    await compose(app, request_recorder)
    await feed(app, callback_update("bcast:send", **MANAGER))
    worker = DeliveryWorker(db, [TelegramSender(app.bot)], clock, sleep=clock_sleep(clock))
    await worker.run_until_idle()
    (delivered,) = [m for m in request_recorder.messages(501) if LO in m.text]
    assert delivered.buttons[0][0][0] == "✅ ໄດ້ຮັບແລ້ວ"

    await feed(app, message_update("/report", **MANAGER))
    report = await last_text(request_recorder, 601)
    assert "1 đã gửi · 0 đã xác nhận đọc" in report
    assert "1 người chưa xác nhận: Somphone" in report


async def test_the_app_runs_the_delivery_worker_with_a_real_token(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    async with started_app(db, clock, request_recorder, bot_token="123:token") as app:
        assert app.bot_data.delivery is not None
        draft = announcements.Draft(seeded.cls.id, {"vi": VI})
        await announcements.create(db, seeded.manager, draft, clock.now())
        for _ in range(1000):  # the worker runs in the background, on the app's clock
            if any(VI in m.text for m in request_recorder.messages(501)):
                break
            clock.advance(dt.timedelta(milliseconds=50))
            await asyncio.sleep(0.005)
        assert any(VI in m.text for m in request_recorder.messages(501))
    assert app.bot_data.delivery is None


async def test_the_follow_up_delay_comes_from_the_settings(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    async with started_app(db, clock, request_recorder, ack_reminder_minutes=5) as app:
        await compose(app, request_recorder)
        await feed(app, callback_update("bcast:send", **MANAGER))
    (ann,) = await announcements.recent(db, seeded.cls.id)
    assert ann.ack_reminder_at == clock.now() + dt.timedelta(minutes=5)


async def test_report_is_not_shown_in_a_group(
    app: BotApp, db: Database, clock: FakeClock, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    draft = announcements.Draft(seeded.cls.id, {"vi": VI})
    await announcements.create(db, seeded.manager, draft, clock.now())
    await feed(app, message_update("/report", chat_id=-1001, chat_type="group", **MANAGER))
    assert not any("Somphone" in m.text for m in request_recorder.messages(-1001))


async def test_a_manager_of_several_other_classes_is_asked_which(
    app: BotApp, db: Database, clock: FakeClock, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    import dataclasses

    from bot.domain import Role
    from bot.store import people
    from bot.store.versions import save_version
    from tests.helpers.sample import guangzhou_schedule

    made = []
    for code in ("HN-GZ-2025", "HN-GZ-2025B"):
        base = guangzhou_schedule()
        schedule = dataclasses.replace(base, cls=dataclasses.replace(base.cls, code=code))
        cls, _ = await save_version(db, schedule, created_by="t", source_hash=code, now=clock.now())
        await people.add_member(db, cls.id, seeded.trainee.id, Role.MANAGER, clock.now())
        made.append(cls)
    # Someone to receive it (an announcement to nobody is refused).
    await people.add_member(db, made[1].id, seeded.manager.id, Role.TRAINEE, clock.now())
    await feed(app, message_update(f"/broadcast {VI}", **TRAINEE))  # a trainee in his active class
    question = request_recorder.messages(501)[-1]
    assert [row[0][1] for row in question.buttons] == [f"bcast:class:{c.id}" for c in made]
    await feed(app, callback_update(f"bcast:class:{made[1].id}", **TRAINEE))
    await feed(app, callback_update("bcast:lang:none", **TRAINEE))
    await feed(app, callback_update("bcast:aud:class", **TRAINEE))
    await feed(app, callback_update("bcast:send", **TRAINEE))
    assert len(await announcements.recent(db, made[1].id)) == 1
    assert await announcements.recent(db, seeded.cls.id) == []


async def test_an_announcement_to_nobody_is_refused_on_telegram(
    app: BotApp, db: Database, request_recorder: RecordingRequest, seeded: Seeded
) -> None:
    """Lan is the only manager: 'class managers only' would reach nobody but her."""
    await feed(app, message_update(f"/broadcast {VI}", **MANAGER))
    await feed(app, callback_update("bcast:lang:none", **MANAGER))
    await feed(app, callback_update("bcast:aud:managers", **MANAGER))
    await feed(app, callback_update("bcast:send", **MANAGER))
    answer = request_recorder.messages(601)[-1].text
    assert answer == announcements.no_recipients_reply("vi").plain()
    assert await announcements.recent(db, seeded.cls.id) == []
