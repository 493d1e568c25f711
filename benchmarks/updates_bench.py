"""How fast the Telegram application answers, and how fast the agenda query is on a big store.

1. 5,000 ``/today`` updates through ``Application.process_update`` (identity
   upsert, locale, intent parsing, agenda query, HTML rendering, one
   ``sendMessage`` to a recording fake Bot API), and in the same run 5,000
   updates to a bare echo handler on the same fake request; prints both rates
   and their ratio (target: ours ≥ 0.6 of the bare echo).
   Also, as a floor: a one-handler application that only sends our exact answer
   (the same HTML and inline keyboard), which is what PTB alone costs for it.
2. The p99 time of the agenda query (one day's live sessions of a class) on a
   store holding 1,000 classes × 60 sessions (target ≤ 2 ms), and of the whole
   day view built on it.

Run: ``.venv/bin/python -m benchmarks.updates_bench [--updates N] [--classes N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.agenda import views as agenda
from bot.clock import FakeClock
from bot.config import Settings
from bot.domain import Channel, Role, Schedule, Session, SessionKind, TrainingClass, localized
from bot.schedule import importer
from bot.store import Database, classes, people
from bot.store.versions import save_version
from bot.telegram.app import build_application, running
from bot.telegram.context import settle
from tests.helpers.telegram import RecordingRequest, message_update

USERS = 50


def _updates(count: int, text: str) -> list[dict[str, object]]:
    return [
        # Each user keeps one client language, as real Telegram clients do (a language code
        # changing on every message would defeat the identity handler's one-minute throttle).
        message_update(
            text, user_id=10_000 + i % USERS, language_code=("vi", "lo", "en")[(i % USERS) % 3]
        )
        for i in range(count)
    ]


async def bench_ours(
    db: Database, clock: FakeClock, count: int
) -> tuple[float, float, int, dict[str, object]]:
    request = RecordingRequest()
    app = build_application(Settings(), db=db, request=request, clock=clock)
    async with running(app):
        data = _updates(count, "/today")
        updates = [Update.de_json(d, app.bot) for d in data]
        request.clear()
        start, cpu = time.perf_counter(), time.process_time()
        for update in updates:
            await app.process_update(update)
            await settle(app)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    sent = request.sent("sendMessage")
    return count / elapsed, count / cpu, len(sent), sent[0].params


async def bench_app_constant(
    db: Database, clock: FakeClock, count: int, params: dict[str, object]
) -> float:
    """Our whole application, its question handler swapped for one sending ``params``.

    Everything PTB and the application do around an answer (identity in group -1, the
    handler checks, the ``block=False`` task, ``Defaults``) with no answering at all:
    the most any change to the answer path could reach.
    """
    request = RecordingRequest()
    app = build_application(Settings(), db=db, request=request, clock=clock)
    markup = InlineKeyboardMarkup.de_json(params["reply_markup"], None)  # type: ignore[arg-type]

    async def constant(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id, str(params["text"]), reply_markup=markup
        )

    [question] = [
        h for h in app.handlers[0] if isinstance(h, CommandHandler) and "today" in h.commands
    ]
    question.callback = constant
    async with running(app):
        updates = [Update.de_json(d, app.bot) for d in _updates(count, "/today")]
        request.clear()
        start = time.perf_counter()
        for update in updates:
            await app.process_update(update)
            await settle(app)
        elapsed = time.perf_counter() - start
    assert len(request.sent("sendMessage")) == count
    return count / elapsed


async def bench_same_reply(count: int, params: dict[str, object]) -> tuple[float, int]:
    """A one-handler application sending ``params`` (our answer): PTB's own cost for it."""
    request = RecordingRequest()
    app = (
        ApplicationBuilder().token("0:bench").request(request).get_updates_request(request).build()
    )
    markup = InlineKeyboardMarkup.de_json(params["reply_markup"], None)  # type: ignore[arg-type]

    async def same(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id,
            str(params["text"]),
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_markup=markup,
        )

    app.add_handler(MessageHandler(filters.TEXT, same))
    async with app:
        updates = [Update.de_json(d, app.bot) for d in _updates(count, "/today")]
        request.clear()
        start = time.perf_counter()
        for update in updates:
            await app.process_update(update)
        elapsed = time.perf_counter() - start
    return count / elapsed, len(request.sent("sendMessage"))


async def bench_echo(count: int) -> tuple[float, float, int]:
    request = RecordingRequest()
    app = (
        ApplicationBuilder().token("0:bench").request(request).get_updates_request(request).build()
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        updates = [Update.de_json(d, app.bot) for d in _updates(count, "/today")]
        request.clear()
        start, cpu = time.perf_counter(), time.process_time()
        for update in updates:
            await app.process_update(update)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return count / elapsed, count / cpu, len(request.sent("sendMessage"))


def _synthetic(number: int, first: dt.date) -> Schedule:
    """A 12-day class with 5 sessions a day (60 in all)."""
    cls = TrainingClass(
        id=0,
        code=f"BENCH-{number:04d}",
        name=localized({"vi": f"Lớp {number}", "en": f"Class {number}"}),
        timezone="Asia/Ho_Chi_Minh",
        first_day=first,
        last_day=first + dt.timedelta(days=11),
        default_lang="vi",
    )
    sessions = []
    for day_index in range(12):
        day = first + dt.timedelta(days=day_index)
        for slot, (start, end) in enumerate(((8, 9), (9, 11), (11, 12), (13, 15), (15, 17))):
            sessions.append(
                Session(
                    f"d{day_index}s{slot}",
                    day,
                    dt.time(start),
                    dt.time(end),
                    SessionKind.LECTURE,
                    localized({"vi": f"Buổi {slot}", "en": f"Session {slot}"}),
                    venue="Hội trường A",
                )
            )
    return Schedule(cls=cls, topics=(), sessions=tuple(sessions))


async def fill_store(db: Database, count: int, now: dt.datetime) -> list[TrainingClass]:
    made = []
    base = dt.date(2024, 1, 1)
    for number in range(count):
        first = base + dt.timedelta(days=(number * 3) % 700)
        cls, _version = await save_version(
            db, _synthetic(number, first), created_by="bench", source_hash=str(number), now=now
        )
        made.append(cls)
    return made


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def bench_sql(path: str, made: list[TrainingClass], rounds: int) -> tuple[float, float]:
    """p99 wall and CPU time of the query run directly with sqlite3 (no thread hop), in ms."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    samples: list[float] = []
    cpu: list[float] = []
    try:
        for i in range(rounds):
            cls = made[(i * 7919) % len(made)]
            day = (cls.first_day + dt.timedelta(days=i % 12)).isoformat()
            start, began = time.perf_counter(), time.thread_time()
            rows = conn.execute(
                f"SELECT {classes.SESSION_COLUMNS} FROM sessions WHERE version_id = ? "
                "AND day BETWEEN ? AND ? ORDER BY day, start, key",
                (cls.live_version_id, day, day),
            ).fetchall()
            samples.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - began)
            assert len(rows) == 5
    finally:
        conn.close()
    return p99(samples) * 1000, p99(cpu) * 1000


async def bench_agenda(db: Database, made: list[TrainingClass], rounds: int) -> dict[str, float]:
    query: list[float] = []
    view: list[float] = []
    warm: list[float] = []
    for i in range(rounds):
        cls = made[(i * 7919) % len(made)]
        day = cls.first_day + dt.timedelta(days=i % 12)
        start = time.perf_counter()
        found = await classes.sessions_on(db, cls, day)
        query.append(time.perf_counter() - start)
        assert len(found) == 5
        lang = ("vi", "lo", "en")[i % 3]
        agenda._day_cache.pop(db, None)  # the first ask of this day: query, topics, rendering
        start = time.perf_counter()
        await agenda.day_view(db, cls, day, lang)
        view.append(time.perf_counter() - start)
        start = time.perf_counter()
        await agenda.day_view(db, cls, day, lang)  # the class's other trainees: from memory
        warm.append(time.perf_counter() - start)
    return {
        "query_p50_ms": statistics.median(query) * 1000,
        "query_p99_ms": p99(query) * 1000,
        "view_p99_ms": p99(view) * 1000,
        "warm_p99_ms": p99(warm) * 1000,
    }


async def main(updates: int, class_count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        clock = FakeClock(dt.datetime(2024, 7, 15, 1, 0, tzinfo=dt.UTC))
        result = await importer.import_path(
            db, importer.sample_path(), created_by="bench", now=clock.now()
        )
        for i in range(USERS):
            person, _, _ = await people.upsert_identity(
                db,
                channel=Channel.TELEGRAM,
                external_id=str(10_000 + i),
                chat_id=str(10_000 + i),
                display_name=f"Trainee {i}",
                language_code="lo",
                now=clock.now(),
            )
            await people.add_member(db, result.cls.id, person.id, Role.TRAINEE, clock.now())
            await people.set_active_class(db, person.id, result.cls.id)
        ours, ours_cpu, sent_ours, answer = await bench_ours(db, clock, updates)
        echo, echo_cpu, sent_echo = await bench_echo(updates)
        same, sent_same = await bench_same_reply(updates, answer)
        assert sent_ours == sent_echo == sent_same == updates, (sent_ours, sent_echo, sent_same)
        print(f"/today through process_update: {ours:8.0f} updates/s ({updates} updates)")
        print(f"bare echo handler:             {echo:8.0f} updates/s ({updates} updates)")
        print(f"ratio ours / echo:             {ours / echo:8.2f}   (target >= 0.60)")
        print(
            f"floor: one handler sending our answer ({len(str(answer['text']))} characters of "
            f"HTML + keyboard): {same:.0f} updates/s, {same / echo:.2f} of echo; "
            f"ours is {ours / same:.2f} of it"
        )
        constant = await bench_app_constant(db, clock, updates, answer)
        print(
            f"our application answering with that reply precomputed (no store, no parsing): "
            f"{constant:.0f} updates/s, {constant / echo:.2f} of echo; ours is "
            f"{ours / constant:.2f} of it"
        )
        print(
            f"per CPU second (immune to other load): ours {ours_cpu:.0f}/s, echo {echo_cpu:.0f}/s, "
            f"ratio {ours_cpu / echo_cpu:.2f}"
        )

        made = await fill_store(db, class_count, clock.now())
        sessions = await db.fetchone("SELECT COUNT(*) FROM sessions")
        figures = await bench_agenda(db, made, 5000)
        print(
            f"agenda query on {class_count} classes ({sessions[0] if sessions else 0} sessions): "
            f"p50 {figures['query_p50_ms']:.3f} ms, p99 {figures['query_p99_ms']:.3f} ms "
            "(target <= 2 ms)"
        )
        print(
            f"whole day view: first ask (query + topics + rendering) p99 "
            f"{figures['view_p99_ms']:.3f} ms; asked again (kept per version) p99 "
            f"{figures['warm_p99_ms'] * 1000:.1f} µs"
        )
        sql_p99, sql_cpu_p99 = bench_sql(db.path, made, 5000)
        print(
            f"the same SQL through sqlite3 directly (no thread hop): p99 {sql_p99:.3f} ms wall, "
            f"{sql_cpu_p99:.3f} ms CPU"
        )
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--classes", type=int, default=1000)
    options = parser.parse_args()
    asyncio.run(main(options.updates, options.classes))
