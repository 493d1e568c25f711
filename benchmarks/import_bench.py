"""Import speed and memory: a generated 5,000-session workbook, validated and imported.

Prints the time to validate and import it into a fresh SQLite file, the peak
Python memory of doing so (tracemalloc, in a separate run because tracing slows
everything), and the time openpyxl alone needs to read the same file in
read-only mode. Target: our total at most 2x openpyxl's read.

    .venv/bin/python benchmarks/import_bench.py [--sessions 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import tempfile
import time
import tracemalloc
from pathlib import Path

import openpyxl

from bot.domain import Schedule, Session, SessionKind, Topic, TrainingClass, localized
from bot.schedule.importer import import_schedule, parse_schedule
from bot.schedule.write import to_xlsx
from bot.store import Database

PER_DAY = 10
KINDS = [SessionKind.LECTURE, SessionKind.LECTURE, SessionKind.BREAK, SessionKind.FIELD_VISIT]


def generated(count: int) -> Schedule:
    """A long class with ``count`` sessions, ten a day, every column filled in somewhere."""
    days = (count + PER_DAY - 1) // PER_DAY
    first = dt.date(2025, 1, 1)
    cls = TrainingClass(
        id=0,
        code="BENCH",
        name=localized({"vi": "Lớp đo tốc độ", "lo": "ຫ້ອງທົດສອບ", "en": "Benchmark class"}),
        timezone="Asia/Ho_Chi_Minh",
        first_day=first,
        last_day=first + dt.timedelta(days=days - 1),
        default_lang="vi",
        venue="Hội trường A",
    )
    topics = tuple(
        Topic(n, localized({"vi": f"Chuyên đề {n}", "lo": f"ຫົວຂໍ້ {n}", "en": f"Topic {n}"}))
        for n in range(1, 51)
    )
    sessions = []
    for i in range(count):
        day = first + dt.timedelta(days=i // PER_DAY)
        slot = i % PER_DAY
        start = dt.time(6 + slot, 0)
        kind = KINDS[i % len(KINDS)]
        visit = kind.needs_departure
        sessions.append(
            Session(
                key=f"s{i:05d}",
                day=day,
                start=start,
                end=dt.time(6 + slot, 50),
                kind=kind,
                title=localized(
                    {"vi": f"Buổi {i} - nội dung", "lo": f"ກິດຈະກຳ {i}", "en": f"Session {i}"}
                ),
                topic_number=(i % 50) + 1 if kind is SessionKind.LECTURE else None,
                lecturer="PGS.TS Nguyễn Văn A" if kind is SessionKind.LECTURE else "",
                venue="Hội trường A",
                meeting_point=localized({"vi": "Sảnh khách sạn", "lo": "ໂຖງໂຮງແຮມ"})
                if visit
                else localized(),
                departure=dt.time(5 + slot, 45) if visit else None,
                transport=localized({"vi": "Xe 45 chỗ"}) if visit else localized(),
                latitude=21.0285 if visit else None,
                longitude=105.8542 if visit else None,
                notes=localized({"vi": "Ghi chú ngắn"}),
            )
        )
    return Schedule(cls, topics, tuple(sessions))


def openpyxl_read(data: bytes) -> int:
    """What openpyxl alone costs: open read-only and iterate every row of every sheet."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = 0
    for ws in book.worksheets:
        for _ in ws.iter_rows(values_only=True):
            rows += 1
    book.close()
    return rows


async def ours(data: bytes, folder: Path, run: int) -> tuple[float, float, float]:
    """Wall seconds to validate only; wall and CPU seconds to validate and import (fresh file)."""
    db = await Database.open(folder / f"bench-{run}.db")
    try:
        t0 = time.perf_counter()
        await parse_schedule(db, data, "bench.xlsx")
        t1, c1 = time.perf_counter(), time.process_time()
        now = dt.datetime.now(dt.UTC)
        await import_schedule(db, data, "bench.xlsx", created_by="bench", now=now)
        t2, c2 = time.perf_counter(), time.process_time()
    finally:
        await db.close()
    return t1 - t0, t2 - t1, c2 - c1


def timed_read(data: bytes) -> tuple[float, float, int]:
    t0, c0 = time.perf_counter(), time.process_time()
    rows = openpyxl_read(data)
    return time.perf_counter() - t0, time.process_time() - c0, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    data = to_xlsx(generated(args.sessions))
    print(f"workbook: {args.sessions} sessions, {len(data) / 1024:.0f} KB")
    # Interleaved runs, best of each: the fairest comparison on a busy machine.
    reads: list[tuple[float, float, int]] = []
    runs: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for run in range(args.repeat):
            reads.append(timed_read(data))
            runs.append(asyncio.run(ours(data, folder, run)))
        tracemalloc.start()
        asyncio.run(ours(data, folder, args.repeat))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    read_wall = min(r[0] for r in reads)
    read_cpu = min(r[1] for r in reads)
    total_wall = min(r[1] for r in runs)
    total_cpu = min(r[2] for r in runs)
    print(f"openpyxl read alone ({reads[0][2]} rows, read-only): {read_wall:.2f} s")
    print(f"classbot validate only:                    {min(r[0] for r in runs):.2f} s")
    print(f"classbot validate + import (SQLite file):  {total_wall:.2f} s")
    print(f"peak Python memory, validate + import:     {peak / 2**20:.1f} MB")
    print(
        f"ratio ours / openpyxl read: {total_wall / read_wall:.2f}x wall, "
        f"{total_cpu / read_cpu:.2f}x CPU (target <= 2.00x; best of {args.repeat})"
    )


if __name__ == "__main__":
    main()
