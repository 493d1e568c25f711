"""The organiser's round trip on the full Vientiane sample: preview, confirm, change notices.

Imports the sample workbook into a fresh SQLite file, enrols ``--members``
people (a third each reading vi, lo and en), then times, over ``--rounds``
rounds: staging a revised workbook (validation and diff, nothing written),
confirming it (new version in one transaction), and closing the notice
window (net diff, one notice per member rendered and queued in the outbox).
Targets: the preview answers within 2 s; notices for 1,000 members within 2 s.

    .venv/bin/python benchmarks/organiser_bench.py [--members 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bot.domain import Channel, Role, Schedule
from bot.schedule import importer, uploads
from bot.schedule import notices as change_notices
from bot.schedule.write import to_xlsx
from bot.store import Database, people

LANGS = ("vi", "lo", "en")


def revised(schedule: Schedule, minutes: int) -> Schedule:
    """Every field visit from the fourth day on starts ``minutes`` later; one venue changes."""
    fourth = schedule.cls.first_day + dt.timedelta(days=3)
    sessions = []
    for s in schedule.sessions:
        if s.day >= fourth and s.kind.needs_departure:
            start = dt.datetime.combine(s.day, s.start) + dt.timedelta(minutes=minutes)
            s = dataclasses.replace(s, start=start.time())
        if s.key == "topic-04":
            s = dataclasses.replace(s, venue=f"Hội trường {minutes}")
        sessions.append(s)
    return dataclasses.replace(schedule, sessions=tuple(sessions))


async def run(members: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        now = dt.datetime(2024, 7, 16, 3, 0, tzinfo=dt.UTC)
        path = importer.sample_path("vientiane-hanoi-2024.xlsx")
        base = await importer.import_path(db, path, created_by="bench", now=now)
        admin, _, _ = await people.upsert_identity(
            db,
            channel=Channel.TELEGRAM,
            external_id="0",
            chat_id="0",
            display_name="Organiser",
            language_code="en",
            now=now,
            is_admin=True,
        )
        for i in range(1, members + 1):
            person, _, _ = await people.upsert_identity(
                db,
                channel=Channel.TELEGRAM,
                external_id=str(i),
                chat_id=str(i),
                display_name=f"Member {i}",
                language_code=LANGS[i % 3],
                now=now,
            )
            await people.set_lang(db, person.id, LANGS[i % 3])
            await people.add_member(db, base.cls.id, person.id, Role.TRAINEE, now)
        stage_t, confirm_t, notice_t = [], [], []
        queued = 0
        for r in range(rounds):
            data = to_xlsx(revised(base.schedule, 15 * (r % 2 + 1)))
            t0 = time.perf_counter()
            reply = await uploads.stage_file(db, admin, data, "v.xlsx", now=now, lang="en")
            t1 = time.perf_counter()
            upload_id = int(reply.buttons[0][0].action.removeprefix(uploads.CONFIRM))
            await uploads.confirm(db, admin, upload_id, now=now, lang="en")
            t2 = time.perf_counter()
            now += change_notices.DEFAULT_WINDOW
            queued += await change_notices.flush_due(db, now)
            t3 = time.perf_counter()
            stage_t.append(t1 - t0)
            confirm_t.append(t2 - t1)
            notice_t.append(t3 - t2)
            now += dt.timedelta(minutes=1)
        await db.close()
    sessions = len(base.schedule.sessions)
    print(f"sample: {sessions} sessions, {len(path.read_bytes()) // 1024} KiB workbook")
    print(f"members: {members}, rounds: {rounds}, notices queued: {queued}")
    for label, values in (
        ("preview (validate + diff)", stage_t),
        ("confirm (new version)", confirm_t),
        ("notices (diff + render + queue)", notice_t),
    ):
        print(
            f"{label:32} median {statistics.median(values) * 1000:8.1f} ms"
            f"   max {max(values) * 1000:8.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.members, args.rounds))


if __name__ == "__main__":
    main()
