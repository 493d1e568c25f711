"""Change notices: batched per window, future sessions only, each member in their language."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.clock import FakeClock
from bot.domain import Person, Schedule, SessionKind, localized
from bot.replies import Reply
from bot.schedule import notices as change_notices
from bot.schedule import uploads
from bot.schedule.diff import diff_schedules
from bot.schedule.write import to_xlsx
from bot.store import change_windows, classes
from bot.store.database import Database
from tests.helpers.cldr import short_day
from tests.helpers.sample import Seeded, revised, seed, vientiane_schedule

T = dt.time
WINDOW = change_notices.DEFAULT_WINDOW


async def apply(db: Database, who: Person, schedule: Schedule, now: dt.datetime) -> None:
    reply = await uploads.stage_file(db, who, to_xlsx(schedule), "v.xlsx", now=now, lang="en")
    upload_id = int(reply.buttons[0][0].action.removeprefix(uploads.CONFIRM))
    applied = await uploads.confirm(db, who, upload_id, now=now, lang="en")
    assert applied.class_id is not None, applied.reply.plain()


async def notices(db: Database) -> dict[int, tuple[str, Reply]]:
    """person id → (dedup key, reply) of every queued change notice."""
    rows = await db.fetchall(
        "SELECT person_id, dedup_key, payload FROM outbox WHERE kind = ? ORDER BY id",
        (change_notices.KIND,),
    )
    return {r[0]: (r[1], Reply.from_json(r[2])) for r in rows}


def with_venue(schedule: Schedule, key: str, venue: str) -> Schedule:
    sessions = tuple(
        dataclasses.replace(s, venue=venue) if s.key == key else s for s in schedule.sessions
    )
    return dataclasses.replace(schedule, sessions=sessions)


def with_extra(schedule: Schedule) -> Schedule:
    extra = dataclasses.replace(
        schedule.sessions[3],
        key="s6",
        start=T(14, 0),
        end=T(16, 0),
        kind=SessionKind.SELF_STUDY,
        title=localized({"vi": "Tự học", "lo": "ຮຽນດ້ວຍຕົນເອງ", "en": "Self-study"}),
        topic_number=None,
    )
    return dataclasses.replace(schedule, sessions=(*schedule.sessions, extra))


async def test_three_quick_uploads_make_one_notice_per_member_in_their_language(
    db: Database, clock: FakeClock
) -> None:
    world: Seeded = await seed(db, clock.now())
    v2 = revised(s4=T(9, 0))
    v3 = with_venue(v2, "s5", "Hội trường B")
    v4 = with_extra(v3)
    for schedule in (v2, v3, v4):
        await apply(db, world.admin, schedule, clock.now())
        clock.advance(dt.timedelta(minutes=1))
    assert await change_notices.flush_due(db, clock.now()) == 0  # the window is still open
    assert await notices(db) == {}
    clock.advance(WINDOW)
    queued = await change_notices.flush_due(db, clock.now())
    assert queued == 2  # the trainee and the manager (the global admin is not a member)
    found = await notices(db)
    (window,) = await change_windows.history(db, world.cls.id)
    key = f"change-notice:{world.cls.id}:{window.id}:{world.trainee.id}"
    assert found[world.trainee.id][0] == key
    lao = found[world.trainee.id][1].plain()
    assert "ການປ່ຽນແປງ" in lao or "ປ່ຽນ" in lao
    assert "ຫົວຂໍ້ 2" in lao and "Hội trường B" in lao and "ຮຽນດ້ວຍຕົນເອງ" in lao
    vietnamese = found[world.manager.id][1].plain()
    assert "Chuyên đề 2" in vietnamese and "Hội trường B" in vietnamese and "Tự học" in vietnamese
    assert "GMT+7" in vietnamese
    # Nothing more, however often the due-check runs.
    clock.advance(WINDOW)
    assert await change_notices.flush_due(db, clock.now()) == 0
    assert len(await notices(db)) == 2


async def test_each_line_says_what_moved_from_when_to_when(db: Database, clock: FakeClock) -> None:
    world = await seed(db, clock.now())
    await apply(db, world.admin, with_venue(revised(s4=T(9, 0)), "s5", "Hội trường B"), clock.now())
    clock.advance(WINDOW)
    await change_notices.flush_due(db, clock.now())
    text = (await notices(db))[world.manager.id][1].plain()
    tuesday = short_day(dt.date(2024, 7, 16), "vi")
    assert f"{tuesday} 08:00" in text and f"{tuesday} 09:00–10:00" in text
    assert "Hội trường A" in text and "Hội trường B" in text


async def test_past_sessions_edits_are_not_announced(db: Database, clock: FakeClock) -> None:
    world = await seed(db, clock.now())
    clock.set(dt.datetime(2024, 7, 15, 5, 0, tzinfo=dt.UTC))  # 12:00 in Hanoi, 15 July
    past_only = with_venue(vientiane_schedule(), "s2", "Phòng 204")  # s2 was this morning
    await apply(db, world.admin, past_only, clock.now())
    clock.advance(WINDOW)
    assert await change_notices.flush_due(db, clock.now()) == 0
    (window,) = await change_windows.history(db, world.cls.id)
    assert window.closed_at is not None and window.notices == 0

    mixed = with_venue(with_venue(past_only, "s1", "Phòng 1"), "s3", "Phòng 2")
    await apply(db, world.admin, mixed, clock.now())
    clock.advance(WINDOW)
    await change_notices.flush_due(db, clock.now())
    text = (await notices(db))[world.manager.id][1].plain()
    assert "Phòng 2" in text and "Phòng 1" not in text and "Phòng 204" not in text


async def test_a_batch_that_undoes_itself_sends_nothing(db: Database, clock: FakeClock) -> None:
    world = await seed(db, clock.now())
    await apply(db, world.admin, revised(s4=T(9, 0)), clock.now())
    await apply(db, world.admin, vientiane_schedule(), clock.now())
    clock.advance(WINDOW)
    assert await change_notices.flush_due(db, clock.now()) == 0


async def test_a_rollback_after_the_window_gets_its_own_notice(
    db: Database, clock: FakeClock
) -> None:
    world = await seed(db, clock.now())
    await apply(db, world.admin, revised(s4=T(9, 0)), clock.now())
    clock.advance(WINDOW)
    assert await change_notices.flush_due(db, clock.now()) == 2
    cls = await classes.get_class(db, world.cls.id)
    assert cls is not None
    reply = await uploads.stage_rollback(db, world.admin, cls, 1, now=clock.now(), lang="en")
    upload_id = int(reply.buttons[0][0].action.removeprefix(uploads.CONFIRM))
    await uploads.confirm(db, world.admin, upload_id, now=clock.now(), lang="en")
    clock.advance(WINDOW)
    assert await change_notices.flush_due(db, clock.now()) == 2
    rows = await db.fetchall(
        "SELECT dedup_key, payload FROM outbox WHERE kind = ? AND person_id = ? ORDER BY id",
        (change_notices.KIND, world.manager.id),
    )
    assert len(rows) == 2 and rows[0][0] != rows[1][0]
    tuesday = short_day(dt.date(2024, 7, 16), "vi")
    assert f"{tuesday} 09:00" in Reply.from_json(rows[1][1]).plain()  # moved back from 09:00


def test_future_diff_keeps_only_sessions_that_have_not_started() -> None:
    old = vientiane_schedule()
    new = with_venue(with_venue(revised(s2=T(10, 0)), "s1", "X"), "s4", "Y")
    noon = dt.datetime(2024, 7, 15, 5, 0, tzinfo=dt.UTC)
    ahead = change_notices.future_diff(diff_schedules(old, new), old.cls, noon)
    assert [c.new.key for c in ahead.changed] == ["s4"]
    assert ahead.moved == ()  # s2 moved from 09:15 to 10:00, both before noon
    lines = change_notices.notice_lines(old.cls, ahead, "en")
    tuesday = short_day(dt.date(2024, 7, 16), "en")
    assert lines == [f"New venue for Topic 2 ({tuesday} 08:00): Y (was: Hội trường A)"]


async def test_quiet_hours_hold_a_notice_unless_a_session_is_close(
    db: Database, clock: FakeClock
) -> None:
    world = await seed(db, clock.now())
    clock.set(dt.datetime(2024, 7, 15, 15, 30, tzinfo=dt.UTC))  # 22:30 in Hanoi, 15 July
    await apply(db, world.admin, with_venue(vientiane_schedule(), "s5", "Phòng 3"), clock.now())
    clock.advance(WINDOW)
    await change_notices.flush_due(db, clock.now())
    row = await db.fetchone(
        "SELECT not_before, urgent FROM outbox WHERE kind = ? AND person_id = ?",
        (change_notices.KIND, world.trainee.id),
    )
    assert row is not None and row[0].startswith("2024-07-15T23:00") and row[1] == 0  # 06:00
    await apply(db, world.admin, revised(s4=T(9, 0)), clock.now())  # tomorrow 08:00 → 09:00
    clock.advance(WINDOW)
    await change_notices.flush_due(db, clock.now())
    rows = await db.fetchall(
        "SELECT not_before, urgent FROM outbox WHERE kind = ? AND person_id = ? ORDER BY id",
        (change_notices.KIND, world.trainee.id),
    )
    assert rows[-1][1] == 1 and rows[-1][0].startswith("2024-07-15T15:40")
