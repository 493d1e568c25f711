"""The closing pack of a big class, and 445 trainees signing in within one minute.

A class of 445 trainees over 12 days with 24 lectures (morning and afternoon), on a
database file: attendance at every session (about 93% present, some excused, some
absent), a rating for most lectures with some comments, the evaluation form answered
by almost everyone, results with 22 commendations. Printed:

- ``closing pack seconds <s>``: building the whole XLSX workbook
  (:func:`bot.evaluation.closing.build`), target ≤ 3;
- ``sign-in of 445 within one minute: p99 ms <n>``: each trainee taps "Sign in" for the
  last lecture at a random moment of one minute (``--window`` seconds, default 60) through
  the channel-neutral action router, as a Telegram tap or a Zalo number reply does; the
  latency of each tap (role check, window, insert and audit) at the 99th percentile,
  target ≤ 50.

Run: ``.venv/bin/python -m benchmarks.closing_bench`` (about 70 seconds; ``--window 10``
for a quicker, harsher run).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot import actions
from bot.actions import ActionContext
from bot.domain import Channel, Role, Schedule, Session, SessionKind, Topic, TrainingClass
from bot.domain import localized as loc
from bot.evaluation import closing
from bot.store import Database, people
from bot.store.database import utc_text
from bot.store.versions import save_version

TRAINEES = 445
DAYS = 12
FIRST = dt.date(2023, 10, 23)
TZ = "Asia/Ho_Chi_Minh"


def schedule() -> Schedule:
    cls = TrainingClass(
        id=0,
        code="HN-445-2023",
        name=loc({"vi": "Lớp bồi dưỡng cán bộ diện quy hoạch", "en": "Cadre pool class"}),
        timezone=TZ,
        first_day=FIRST,
        last_day=FIRST + dt.timedelta(days=DAYS - 1),
        default_lang="vi",
    )
    topics = tuple(
        Topic(n, loc({"vi": f"Chuyên đề {n}", "en": f"Topic {n}"}), lecturer=f"TS Giảng viên {n}")
        for n in range(1, 2 * DAYS + 1)
    )
    sessions = []
    for d in range(DAYS):
        day = FIRST + dt.timedelta(days=d)
        for half, (start, end) in enumerate(
            ((dt.time(8), dt.time(11)), (dt.time(14), dt.time(17)))
        ):
            n = 2 * d + half + 1
            sessions.append(
                Session(
                    f"t{n}",
                    day,
                    start,
                    end,
                    SessionKind.LECTURE,
                    loc({"vi": f"Chuyên đề {n}", "en": f"Topic {n}"}),
                    topic_number=n,
                    lecturer=f"TS Giảng viên {n}",
                    venue="Hội trường A",
                )
            )
    return Schedule(cls=cls, topics=topics, sessions=tuple(sessions))


async def populate(db: Database) -> tuple[TrainingClass, list[int], list[Session]]:
    rng = random.Random(17)
    made = schedule()
    now = dt.datetime(2023, 10, 1, tzinfo=dt.UTC)
    cls, _version = await save_version(db, made, created_by="bench", source_hash="b", now=now)
    ids = []
    for n in range(TRAINEES):
        person, _i, _c = await people.upsert_identity(
            db,
            channel=Channel.TELEGRAM,
            external_id=str(10_000 + n),
            chat_id=str(10_000 + n),
            display_name=f"Học viên {n:03d}",
            language_code="vi",
            now=now,
        )
        ids.append(person.id)
    stamp = utc_text(now)
    sessions = list(made.sessions)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO members (class_id, person_id, role, joined_at) VALUES (?, ?, ?, ?)",
            [(cls.id, pid, Role.TRAINEE.value, stamp) for pid in ids],
        )
        attendance, ratings, answers = [], [], []
        for s in sessions[:-1]:  # the last lecture is signed in during the benchmark
            for pid in ids:
                roll = rng.random()
                status = "present" if roll < 0.93 else "excused" if roll < 0.97 else "absent"
                reason = "công tác" if status == "excused" else ""
                attendance.append((cls.id, s.key, s.day.isoformat(), pid, status, reason, stamp))
                if status == "present" and rng.random() < 0.8:
                    comment = "=Rất bổ ích" if rng.random() < 0.05 else ""
                    ratings.append(
                        (cls.id, s.key, s.day.isoformat(), pid, rng.randint(3, 5), comment, stamp)
                    )
        for pid in ids[: TRAINEES - 9]:
            for number in range(1, 6):
                answers.append((cls.id, pid, number, rng.randint(3, 5), "", stamp))
            answers.append(
                (cls.id, pid, 6, None, "Tổ chức chu đáo" if rng.random() < 0.3 else "", stamp)
            )
        await conn.executemany(
            "INSERT INTO attendance (class_id, session_key, day, person_id, status, reason, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            attendance,
        )
        await conn.executemany(
            "INSERT INTO lecture_ratings (class_id, session_key, day, person_id, stars, comment, "
            "at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ratings,
        )
        await conn.executemany(
            "INSERT INTO evaluation_answers (class_id, person_id, number, score, text, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            answers,
        )
        grades = ["excellent"] * 262 + ["good"] * 175 + ["pass"] * 8
        await conn.executemany(
            "INSERT INTO class_results (class_id, person_id, grade, commended, reason, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    cls.id,
                    pid,
                    grades[i],
                    int(i < 22),
                    "Thành tích xuất sắc" if i < 22 else "",
                    stamp,
                )
                for i, pid in enumerate(ids)
            ],
        )
    return cls, ids, sessions


async def sign_in_minute(
    db: Database, cls: TrainingClass, ids: list[int], last: Session, window: float
) -> list[float]:
    """Every trainee taps once at a random moment of ``window`` seconds; latencies in ms."""
    rng = random.Random(5)
    opens = dt.datetime.combine(last.day, last.start, tzinfo=cls.tz).astimezone(dt.UTC)
    base = opens - dt.timedelta(minutes=5)
    persons = [await people.get_person(db, pid) for pid in ids]
    action = f"att:in:{cls.id}:{last.key}:{last.day.isoformat()}"
    latencies: list[float] = []
    actions.load_modules()
    started = time.perf_counter()

    async def one(offset: float, index: int) -> None:
        await asyncio.sleep(max(0.0, started + offset - time.perf_counter()))
        person = persons[index]
        assert person is not None
        ctx = ActionContext(
            db=db,
            person=person,
            lang="vi",
            channel=Channel.TELEGRAM,
            now=base + dt.timedelta(seconds=offset),
        )
        t0 = time.perf_counter()
        result = await actions.dispatch(ctx, action)
        latencies.append((time.perf_counter() - t0) * 1000)
        assert result.replies, result

    await asyncio.gather(*(one(rng.uniform(0, window), i) for i in range(len(persons))))
    return latencies


async def main(window: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        try:
            cls, ids, sessions = await populate(db)
            after = dt.datetime.combine(cls.last_day, dt.time(20), tzinfo=cls.tz)
            t0 = time.perf_counter()
            data = await closing.build(db, cls, after.astimezone(dt.UTC), "vi", "lo")
            seconds = time.perf_counter() - t0
            print(f"closing pack bytes {len(data)}")
            print(f"closing pack seconds {seconds:.2f}")
            latencies = await sign_in_minute(db, cls, ids, sessions[-1], window)
            rows = await db.fetchone(
                "SELECT COUNT(*) FROM attendance WHERE session_key = ?", (sessions[-1].key,)
            )
            assert rows is not None and rows[0] == TRAINEES, rows
            p99 = statistics.quantiles(latencies, n=100)[98]
            print(f"sign-in median ms {statistics.median(latencies):.1f}")
            print(f"sign-in of 445 within one minute: p99 ms {p99:.1f}")
        finally:
            await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=60.0, help="seconds the taps spread over")
    asyncio.run(main(parser.parse_args().window))
