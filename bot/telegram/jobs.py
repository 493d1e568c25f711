"""Reminder jobs on PTB's JobQueue, derived from the database (the channel-layer glue).

The database is the source of truth: :func:`sync_jobs` asks
:func:`bot.reminders.planning.plan_jobs` what should exist now and makes the job queue
match it by name: new jobs are added, jobs whose time moved are replaced,
jobs no longer planned are cancelled, and jobs whose time passed while the
bot was down but which are still useful run at once (catch-up). A job is
scheduled after a delay measured on the application's clock (``when - now``),
so the scheduler and an injected clock agree: with a FakeClock in tests, a job
due in 30 minutes of fake time stays pending instead of firing at once. Only
the next :data:`HORIZON` of jobs sits on the queue (a repeating re-sync moves
the window), which keeps start-up fast and memory flat for hundreds of classes. Call it at
start-up and after every schedule or settings change (:func:`resync` from a
handler). Each job's callback fires the reminder through the outbox with the
application's clock; the outbox wakes the delivery worker on enqueue.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.announcements import status as announcement_status
from bot.attendance import planning as class_jobs
from bot.attendance.planning import ClassJob
from bot.evaluation import planning as evaluation_jobs
from bot.reminders import planning as reminders
from bot.reminders.planning import JobKind, PlannedJob
from bot.schedule import notices as change_notices
from bot.schedule import uploads
from bot.store import change_windows

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.telegram.context import BotContext, BotData

    AnyApp = Application[Any, Any, Any, Any, BotData, Any]

log = logging.getLogger(__name__)

PREFIXES = tuple(f"{kind}:" for kind in JobKind) + class_jobs.PREFIXES + evaluation_jobs.PREFIXES
"""Job names this module owns (other jobs on the queue are left alone): reminders, sign-in
jobs (:mod:`bot.attendance.planning`), rating and evaluation jobs
(:mod:`bot.evaluation.planning`)."""

AnyJob = PlannedJob | ClassJob

HORIZON = dt.timedelta(hours=36)
"""Only jobs due within this window sit on the queue; the rest wait in the store."""

RESYNC_EVERY = dt.timedelta(hours=6)
"""How often the queue is re-derived, bringing jobs into the horizon."""

RESYNC_NAME = "reminders-resync"

DUE_CHECK_EVERY = dt.timedelta(seconds=60)
"""How often closed change windows, expired upload previews and due follow-ups are looked for."""

DUE_CHECK_NAME = "due-check"
NOTICE_PREFIX = "change-notice:"

GATHER_ROUNDS = 3
"""Event-loop rounds the first of simultaneous jobs waits for the others (no wall time)."""

JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None}
"""Run a late job however late: :func:`bot.reminders.planning.fire` itself drops what is stale."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one synchronisation did."""

    planned: int
    """Jobs within the horizon (on the queue or run at once)."""
    later: int
    """Jobs planned beyond the horizon (a later re-sync adds them)."""
    added: int
    kept: int
    cancelled: int
    catch_up: int


def owns(name: str | None) -> bool:
    """Whether a job name is a reminder job's."""
    return bool(name) and str(name).startswith(PREFIXES)


_gathering: weakref.WeakKeyDictionary[object, list[PlannedJob]] = weakref.WeakKeyDictionary()
"""Per application: jobs that started together, waiting for the first of them to fire all."""


async def run_reminder(context: BotContext) -> None:
    """The job callback: fire the planned reminder now (by the application's clock).

    Jobs due at the same moment (200 classes' digests at 06:30) start together;
    the first one yields to the event loop once so the others can join, then
    fires them all in one batch (:func:`bot.reminders.planning.fire_many`: a few queries
    and one outbox transaction instead of a round of each per class).
    """
    job = context.job
    if job is not None and isinstance(job.data, ClassJob):
        planner = evaluation_jobs if job.data.kind in evaluation_jobs.KINDS else class_jobs
        await planner.fire(context.store, job.data, context.now())
        return
    if job is None or not isinstance(job.data, PlannedJob):
        return
    batch = _gathering.setdefault(context.application, [])
    batch.append(job.data)
    if len(batch) > 1:
        return  # the first job of this batch fires this one too
    try:
        for _ in range(GATHER_ROUNDS):
            await asyncio.sleep(0)
    finally:
        _gathering.pop(context.application, None)
    await reminders.fire_many(context.store, batch, context.now())


async def sync_jobs(
    app: AnyApp, now: dt.datetime | None = None, class_ids: Iterable[int] | None = None
) -> SyncReport:
    """Make the job queue hold exactly the planned reminder jobs (of ``class_ids``, or all)."""
    queue = app.job_queue
    db = app.bot_data.db
    if queue is None or db is None:
        raise RuntimeError("sync_jobs needs the job queue and an open database")
    now = now or app.bot_data.clock.now()
    wanted = None if class_ids is None else set(class_ids)
    every: list[AnyJob] = [
        *await reminders.plan_jobs(db, now, wanted),
        *await class_jobs.plan_jobs(db, now, wanted),
        *await evaluation_jobs.plan_jobs(db, now, wanted),
    ]
    planned = {j.name: j for j in every if j.when <= now + HORIZON}
    existing: dict[str, list[Any]] = {}
    for job in queue.jobs():
        data = job.data
        if not owns(job.name) or not isinstance(data, PlannedJob | ClassJob):
            continue
        if wanted is not None and data.class_id not in wanted:
            continue
        existing.setdefault(str(job.name), []).append(job)
    added = kept = cancelled = catch_up = 0
    for name, jobs in existing.items():
        target = planned.get(name)
        if target is not None and len(jobs) == 1 and jobs[0].data == target:
            kept += 1
            continue
        for job in jobs:
            job.schedule_removal()
            cancelled += 1
        if target is None:
            log.info("event=job_cancelled job=%s", name)
    for name, target in planned.items():
        same = existing.get(name)
        if same is not None and len(same) == 1 and same[0].data == target:
            continue
        late = target.when <= now
        if late:
            if not target.is_due(now):
                continue
            catch_up += 1
        queue.run_once(
            run_reminder,
            when=max(target.when - now, dt.timedelta(0)),
            data=target,
            name=name,
            job_kwargs=JOB_KWARGS,
        )
        added += 1
    if not queue.get_jobs_by_name(RESYNC_NAME):
        queue.run_repeating(
            _resync_job, interval=RESYNC_EVERY, first=RESYNC_EVERY, name=RESYNC_NAME
        )
    if not queue.get_jobs_by_name(DUE_CHECK_NAME):
        queue.run_repeating(
            due_check, interval=DUE_CHECK_EVERY, first=DUE_CHECK_EVERY, name=DUE_CHECK_NAME
        )
    await _sync_notice_jobs(app, now, wanted)
    report = SyncReport(len(planned), len(every) - len(planned), added, kept, cancelled, catch_up)
    log.info(
        "event=jobs_synced planned=%d later=%d added=%d kept=%d cancelled=%d catch_up=%d",
        report.planned,
        report.later,
        report.added,
        report.kept,
        report.cancelled,
        report.catch_up,
    )
    return report


def notice_window(app: AnyApp) -> dt.timedelta:
    """How long schedule changes are gathered into one notice (``CHANGE_NOTICE_MINUTES``)."""
    return dt.timedelta(minutes=app.bot_data.settings.change_notice_minutes)


async def _sync_notice_jobs(app: AnyApp, now: dt.datetime, wanted: set[int] | None) -> None:
    """One job at the close of each open change window (a notice is sent then, not later)."""
    queue, db = app.job_queue, app.bot_data.db
    assert queue is not None and db is not None
    for class_id in wanted if wanted is not None else await change_windows.open_class_ids(db):
        name = f"{NOTICE_PREFIX}{class_id}"
        window = await change_windows.open_window(db, class_id)
        if window is None or queue.get_jobs_by_name(name):
            continue
        delay = (window.opened_at + notice_window(app) - now).total_seconds()
        queue.run_once(due_check, when=max(delay, 0) + 1, name=name, data=class_id)


async def due_check(context: BotContext) -> None:
    """Send the notices of closed change windows, drop previews nobody confirmed in time,
    and send announcement follow-ups that are due."""
    db, now = context.store, context.now()
    await change_notices.flush_due(db, now, notice_window(context.application))
    await uploads.expire_due(db, now)
    await announcement_status.run_due_followups(db, now)


async def _resync_job(context: BotContext) -> None:
    """The periodic re-derivation (brings the next day's jobs into the horizon)."""
    await sync_jobs(context.application, context.now())


async def resync(context: BotContext, class_ids: Iterable[int] | None = None) -> None:
    """Re-derive reminder jobs after a change (a handler's one-liner); no-op without a queue."""
    if context.application.job_queue is None or context.bot_data.db is None:
        return
    await sync_jobs(context.application, context.now(), class_ids)
