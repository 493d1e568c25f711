"""Reminders at scale: 200 classes × 50 members (10,000 members) in a temporary SQLite file.

1. Start-up: derive every reminder job from the store (``plan_jobs``; target
   ≤ 1.5 s), and the same plus creating them on a PTB JobQueue (``sync_jobs``).
2. One morning: fire every class's digest (each member's message rendered in
   their language and enqueued with its dedup key; target ≤ 1 s for all
   10,000), first as one job per class, then batched by instant
   (``fire_many``, as the job queue does for jobs due together) on the next
   ``--rounds`` mornings, best counted; then fire the last morning again (a
   restart: nothing new).
3. The process's peak memory (``ru_maxrss``).

Run: ``.venv/bin/python -m benchmarks.reminder_bench [--classes N] [--members N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

from bot.config import Settings
from bot.domain import Schedule, Session, SessionKind, Topic, TrainingClass, localized
from bot.reminders import messages as reminder_messages
from bot.reminders import planning as reminders
from bot.store import Database
from bot.store.database import utc_text
from bot.store.versions import save_version
from bot.telegram import jobs
from bot.telegram.app import build_application
from tests.helpers.telegram import RecordingRequest

FIRST_DAY = dt.date(2024, 7, 15)
DAYS = 12
ZONES = ("Asia/Ho_Chi_Minh", "Asia/Shanghai", "Asia/Vientiane")
LANGS = ("lo", "vi", "en")
T = dt.time


def _text(vi: str, lo: str, en: str) -> dict[str, str]:
    return {"vi": vi, "lo": lo, "en": en}


def class_schedule(number: int) -> Schedule:
    """Twelve days: two lectures each morning, a field visit every afternoon but the last."""
    cls = TrainingClass(
        id=0,
        code=f"BENCH-{number:04d}",
        name=localized(_text(f"Lớp {number}", f"ຫ້ອງ {number}", f"Class {number}")),
        timezone=ZONES[number % len(ZONES)],
        first_day=FIRST_DAY,
        last_day=FIRST_DAY + dt.timedelta(days=DAYS - 1),
        default_lang=LANGS[number % len(LANGS)],
    )
    topics = tuple(
        Topic(n, localized(_text(f"Chuyên đề {n}", f"ຫົວຂໍ້ {n}", f"Topic {n}")), lecturer="TS A")
        for n in range(1, 11)
    )
    sessions: list[Session] = []
    for i in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=i)
        first_kind = SessionKind.OPENING if i == 0 else SessionKind.LECTURE
        sessions.append(
            Session(
                f"d{i}a",
                day,
                T(8, 0),
                T(9, 45),
                first_kind,
                localized(_text("Bài giảng", "ບົດບັນຍາຍ", "Lecture")),
                topic_number=(i % 10) + 1,
                venue="Hội trường A",
            )
        )
        sessions.append(
            Session(
                f"d{i}b",
                day,
                T(10, 0),
                T(11, 30),
                SessionKind.LECTURE,
                localized(_text("Thảo luận", "ສົນທະນາ", "Discussion")),
                topic_number=((i + 5) % 10) + 1,
            )
        )
        if i < DAYS - 1:
            sessions.append(
                Session(
                    f"d{i}v",
                    day,
                    T(13, 30),
                    T(17, 0),
                    SessionKind.FIELD_VISIT,
                    localized(_text("Khảo sát", "ທັດສະນະສຶກສາ", "Field visit")),
                    meeting_point=localized(_text("Sảnh", "ໂຖງ", "Lobby")),
                    departure=T(13, 15),
                    transport=localized(_text("Xe 45 chỗ", "ລົດ 45 ບ່ອນ", "Coach")),
                    latitude=21.03,
                    longitude=105.85,
                )
            )
        else:
            sessions.append(
                Session(
                    f"d{i}c",
                    day,
                    T(15, 0),
                    T(16, 30),
                    SessionKind.CLOSING,
                    localized(_text("Bế giảng", "ພິທີປິດ", "Closing ceremony")),
                )
            )
    return Schedule(cls=cls, topics=topics, sessions=tuple(sessions))


async def build_store(db: Database, n_classes: int, n_members: int, now: dt.datetime) -> None:
    """The classes through the real import path; members in bulk."""
    class_ids = []
    for number in range(n_classes):
        cls, _version = await save_version(
            db, class_schedule(number), created_by="bench", source_hash=str(number), now=now
        )
        class_ids.append(cls.id)
    stamp = utc_text(now)
    async with db.transaction() as conn:
        total = n_classes * n_members
        await conn.executemany(
            "INSERT INTO persons (id, display_name, lang, last_channel, created_at) "
            "VALUES (?, ?, ?, 'telegram', ?)",
            [(p, f"Member {p}", LANGS[p % 3], stamp) for p in range(1, total + 1)],
        )
        await conn.executemany(
            "INSERT INTO identities (channel, external_id, person_id, chat_id, last_seen_at) "
            "VALUES ('telegram', ?, ?, ?, ?)",
            [(str(p), p, str(p), stamp) for p in range(1, total + 1)],
        )
        await conn.executemany(
            "INSERT INTO members (class_id, person_id, role, joined_at) VALUES (?, ?, ?, ?)",
            [
                (cid, c * n_members + m + 1, "manager" if m < 3 else "trainee", stamp)
                for c, cid in enumerate(class_ids)
                for m in range(n_members)
            ],
        )


class Timer:
    """Wall-clock and CPU seconds of a block (on a shared, loaded machine wall time mostly
    measures preemption; CPU time is the work done, by both threads of the process)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.3f} s ({self.cpu:.3f} s CPU)"


async def main(n_classes: int, n_members: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        setup_now = dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
        started = time.perf_counter()
        await build_store(db, n_classes, n_members, setup_now)
        print(
            f"store: {n_classes} classes × {n_members} members = {n_classes * n_members:,} "
            f"members, built in {time.perf_counter() - started:.1f} s"
        )
        # Start-up on the evening before day 2: every job of days 2..12 is planned.
        boot = dt.datetime(2024, 7, 15, 12, 0, tzinfo=dt.UTC)
        with Timer() as took:
            planned = await reminders.plan_jobs(db, boot)
        print(f"start-up: {len(planned):,} jobs derived from the store in {took} (target ≤ 1.5 s)")
        app = build_application(Settings(), db=db, request=RecordingRequest())
        assert app.job_queue is not None
        app.job_queue.scheduler.start(paused=True)
        with Timer() as took:
            report = await jobs.sync_jobs(app, boot)
        print(
            f"start-up with the job queue: {report.added:,} jobs due within "
            f"{jobs.HORIZON.total_seconds() / 3600:.0f} h put on the queue "
            f"({report.later:,} later ones wait in the store), derivation included, in {took}"
        )
        app.job_queue.scheduler.shutdown(wait=False)

        # Warm up as a running bot is: Babel's locale data for each language is loaded once.
        for lang in LANGS:
            cls = class_schedule(0).cls
            reminder_messages.digest_reply(cls, FIRST_DAY, [], {}, lang)
        # One morning as the job queue runs it: one job per class, each at its own time.
        day = FIRST_DAY + dt.timedelta(days=1)
        digests = [j for j in planned if j.kind is reminders.JobKind.DIGEST and j.day == day]
        queued = 0
        with Timer() as took:
            for job in digests:
                queued += await reminders.fire(db, job, job.when)
        print(
            f"one morning, each class's job fired alone: {queued:,} digests rendered and "
            f"enqueued for {len(digests)} classes in {took}"
        )
        # The next mornings in batches: the jobs due at the same instant fired together.
        best: Timer | None = None
        for _round in range(rounds):
            day += dt.timedelta(days=1)
            digests = [j for j in planned if j.kind is reminders.JobKind.DIGEST and j.day == day]
            by_instant: dict[dt.datetime, list[reminders.PlannedJob]] = {}
            for job in digests:
                by_instant.setdefault(job.when, []).append(job)
            queued = 0
            with Timer() as took:
                for when, batch in sorted(by_instant.items()):
                    queued += await reminders.fire_many(db, batch, when)
            print(
                f"one morning ({day}), batched by instant ({len(by_instant)} batches): "
                f"{queued:,} digests rendered and enqueued in {took}"
            )
            best = took if best is None or took.cpu < best.cpu else best
        print(f"best of {rounds} batched mornings: {best} (target ≤ 1 s)")
        again = 0
        with Timer() as took:
            for when, batch in sorted(by_instant.items()):
                again += await reminders.fire_many(db, batch, when + dt.timedelta(minutes=5))
        print(f"the last morning fired again (a restart): {again} new messages in {took}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (ru_maxrss): {peak:.0f} MB")
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=200)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="batched mornings (best counts)")
    args = parser.parse_args()
    asyncio.run(main(args.classes, args.members, min(args.rounds, DAYS - 2)))
