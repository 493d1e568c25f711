"""Rating and evaluation jobs, derived from the store.

For every running class: a rating job per lecture with a sign-in, due when
it ends, to the trainees recorded present at it (quiet hours respected); the
evaluation form on the last day, at the start of that day's first session
(else :data:`EVALUATION_TIME`), to every trainee; and one reminder
:data:`EVALUATION_REMINDER_AFTER` later, to those who have not finished.
Messages are queued through :func:`bot.attendance.planning.enqueue` (never
twice).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from bot.attendance import planning as attendance_planning
from bot.attendance.planning import ClassJob
from bot.attendance.sessions import has_signin
from bot.domain import Session, TrainingClass
from bot.evaluation import form, ratings
from bot.store import attendance as attendance_store
from bot.store import classes
from bot.store import evaluation as evaluation_store
from bot.store.database import Database

log = logging.getLogger(__name__)

RATE = "rate"
EVALUATION = "evaluation"
EVALUATION_REMINDER = "evaluation-reminder"
KINDS = (RATE, EVALUATION, EVALUATION_REMINDER)
PREFIXES = tuple(f"{kind}:" for kind in KINDS)

EVALUATION_TIME = dt.time(8, 0)
EVALUATION_REMINDER_AFTER = dt.timedelta(hours=5)


def plan_class(
    cls: TrainingClass,
    sessions: Sequence[Session],
    settings: attendance_store.SigninSettings,
    extra: set[tuple[str, dt.date]],
    now: dt.datetime,
) -> list[ClassJob]:
    """The rating and evaluation jobs of one class that are not stale at ``now``."""
    class_end = ratings.class_end(cls)
    jobs = []
    for s in sessions:
        if has_signin(s, settings, extra) and ratings.is_rated(s):
            ends = dt.datetime.combine(s.day, s.end, tzinfo=cls.tz).astimezone(dt.UTC)
            name = f"{RATE}:{cls.id}:{s.key}:{s.day.isoformat()}"
            jobs.append(ClassJob(name, RATE, cls.id, ends, class_end, s.key, s.day))
    last = [s for s in sessions if s.day == cls.last_day]
    first_start = min((s.start for s in last), default=EVALUATION_TIME)
    opens = dt.datetime.combine(cls.last_day, first_start, tzinfo=cls.tz).astimezone(dt.UTC)
    reminder = min(opens + EVALUATION_REMINDER_AFTER, class_end - dt.timedelta(minutes=1))
    last_day = cls.last_day
    jobs += [
        ClassJob(f"{EVALUATION}:{cls.id}", EVALUATION, cls.id, opens, class_end, day=last_day),
        ClassJob(
            f"{EVALUATION_REMINDER}:{cls.id}",
            EVALUATION_REMINDER,
            cls.id,
            reminder,
            class_end,
            day=last_day,
        ),
    ]
    return [j for j in jobs if j.deadline > now and j.when < j.deadline]


async def class_plan(db: Database, cls: TrainingClass, now: dt.datetime) -> list[ClassJob]:
    settings = await attendance_store.settings(db, cls.id)
    extra = await attendance_store.extra_sessions(db, cls.id)
    sessions = await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
    return plan_class(cls, sessions, settings, extra, now)


async def plan_jobs(
    db: Database, now: dt.datetime, class_ids: Iterable[int] | None = None
) -> list[ClassJob]:
    """Every rating and evaluation job that should exist at ``now``."""
    jobs: list[ClassJob] = []
    for cls in await attendance_planning.running(db, now, class_ids):
        jobs += await class_plan(db, cls, now)
    return jobs


async def fire(db: Database, job: ClassJob, now: dt.datetime) -> int:
    """Re-plan the job from the store; if still planned and due, enqueue its messages."""
    cls = await classes.get_class(db, job.class_id)
    if cls is None:
        return 0
    fresh = {j.name: j for j in await class_plan(db, cls, now)}.get(job.name)
    if fresh is None or not fresh.is_due(now):
        log.info("event=class_job_skipped job=%s", job.name)
        return 0
    trainees = await attendance_planning.trainees(db, cls)
    if fresh.kind == RATE:
        session = await attendance_planning.session_of(db, cls, fresh)
        if session is None:
            return 0
        present = await attendance_store.present_ids(db, cls.id, session.key, session.day)
        attended = [m for m in trainees if m.person.id in present]
        return await attendance_planning.enqueue(
            db, cls, fresh, attended, lambda lang: ratings.prompt_reply(cls, session, lang), now
        )
    if fresh.kind == EVALUATION_REMINDER:
        questions, _custom = await form.form_questions(db, cls)
        counts = await evaluation_store.answered_counts(db, cls.id)
        unfinished = [m for m in trainees if counts.get(m.person.id, 0) < len(questions)]
        return await attendance_planning.enqueue(
            db, cls, fresh, unfinished, lambda lang: form.reminder(cls, lang), now
        )
    return await attendance_planning.enqueue(
        db, cls, fresh, trainees, lambda lang: form.invitation(cls, lang), now
    )
