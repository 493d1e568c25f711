"""Jobs of attendance and evaluation, derived from the store, and firing them into the outbox.

:func:`plan_jobs` returns, for every running class: a sign-in job per
session with a sign-in (when it opens, to trainees; urgent: it only lasts
until sign-in closes), a rating job per lecture (when it ends, to the
trainees present at it), the evaluation form on the last day (at the start
of that day's first session, else at :data:`EVALUATION_TIME`) and one
reminder :data:`EVALUATION_REMINDER_AFTER` later to those who have not
finished. Names are deterministic and every message has a dedup key per
(kind, class, person, session), so firing twice never sends twice. The
bot's job queue (:mod:`bot.telegram.jobs`) holds these jobs beside the
reminder jobs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.attendance import signin
from bot.attendance.sessions import Window, has_signin, window
from bot.domain import Member, Role, Session, TrainingClass
from bot.evaluation import form, ratings
from bot.reminders.planning import EARLY, member_lang, not_before
from bot.replies import Reply
from bot.store import attendance as attendance_store
from bot.store import classes, outbox
from bot.store import evaluation as evaluation_store
from bot.store import reminders as reminder_store
from bot.store.database import Database
from bot.store.outbox import OutgoingMessage

log = logging.getLogger(__name__)

EVALUATION_TIME = dt.time(8, 0)
EVALUATION_REMINDER_AFTER = dt.timedelta(hours=5)


class ClassJobKind(StrEnum):
    SIGNIN = "signin"
    RATE = "rate"
    EVALUATION = "evaluation"
    EVALUATION_REMINDER = "evaluation-reminder"

    @property
    def urgent(self) -> bool:
        return self is ClassJobKind.SIGNIN


@dataclass(frozen=True, slots=True)
class ClassJob:
    """One attendance or evaluation job: due at ``when``; stale from ``deadline`` (UTC)."""

    name: str
    kind: ClassJobKind
    class_id: int
    when: dt.datetime
    deadline: dt.datetime
    session_key: str | None = None
    day: dt.date | None = None

    def is_due(self, now: dt.datetime) -> bool:
        return self.when - EARLY <= now < self.deadline


PREFIXES = tuple(f"{kind}:" for kind in ClassJobKind)


def _end_of(day: dt.date, cls: TrainingClass) -> dt.datetime:
    local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=cls.tz)
    return local.astimezone(dt.UTC)


def plan_class(
    cls: TrainingClass,
    sessions: Sequence[Session],
    settings: attendance_store.SigninSettings,
    extra: set[tuple[str, dt.date]],
    now: dt.datetime,
) -> list[ClassJob]:
    """The jobs of one class that are not stale at ``now``."""
    jobs: list[ClassJob] = []
    class_end = ratings.class_end(cls)
    for s in sessions:
        tail = f"{cls.id}:{s.key}:{s.day.isoformat()}"
        if has_signin(s, settings, extra):
            span = window(cls, s, settings)
            jobs.append(
                ClassJob(
                    f"signin:{tail}",
                    ClassJobKind.SIGNIN,
                    cls.id,
                    span.opens,
                    span.closes,
                    s.key,
                    s.day,
                )
            )
            if ratings.is_rated(s):
                ends = dt.datetime.combine(s.day, s.end, tzinfo=cls.tz).astimezone(dt.UTC)
                jobs.append(
                    ClassJob(
                        f"rate:{tail}", ClassJobKind.RATE, cls.id, ends, class_end, s.key, s.day
                    )
                )
    last = [s for s in sessions if s.day == cls.last_day]
    first_start = min((s.start for s in last), default=EVALUATION_TIME)
    opens = dt.datetime.combine(cls.last_day, first_start, tzinfo=cls.tz).astimezone(dt.UTC)
    end = _end_of(cls.last_day, cls)
    jobs.append(
        ClassJob(
            f"evaluation:{cls.id}", ClassJobKind.EVALUATION, cls.id, opens, end, day=cls.last_day
        )
    )
    jobs.append(
        ClassJob(
            f"evaluation-reminder:{cls.id}",
            ClassJobKind.EVALUATION_REMINDER,
            cls.id,
            min(opens + EVALUATION_REMINDER_AFTER, end - dt.timedelta(minutes=1)),
            end,
            day=cls.last_day,
        )
    )
    return [j for j in jobs if j.deadline > now and j.when < j.deadline]


async def _class_plan(db: Database, cls: TrainingClass, now: dt.datetime) -> list[ClassJob]:
    settings = await attendance_store.settings(db, cls.id)
    extra = await attendance_store.extra_sessions(db, cls.id)
    sessions = await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
    return plan_class(cls, sessions, settings, extra, now)


async def plan_jobs(
    db: Database, now: dt.datetime, class_ids: Iterable[int] | None = None
) -> list[ClassJob]:
    """Every attendance and evaluation job that should exist at ``now``."""
    since = (now - dt.timedelta(days=1)).date()
    ids = None if class_ids is None else list(class_ids)
    jobs: list[ClassJob] = []
    for cls in await reminder_store.running_classes(db, since, ids):
        jobs += await _class_plan(db, cls, now)
    return jobs


def dedup_key(job: ClassJob, person_id: int) -> str:
    return f"{job.kind}:{job.class_id}:{person_id}:{job.session_key or ''}:{job.day}"


async def fire(db: Database, job: ClassJob, now: dt.datetime) -> int:
    """Re-plan the job from the store; if still planned and due, enqueue its messages."""
    cls = await classes.get_class(db, job.class_id)
    if cls is None:
        return 0
    fresh = {j.name: j for j in await _class_plan(db, cls, now)}.get(job.name)
    if fresh is None or not fresh.is_due(now):
        log.info("event=class_job_skipped job=%s", job.name)
        return 0
    members = await reminder_store.members_of(db, [cls.id])
    recipients = await _recipients(db, cls, fresh, members.get(cls.id, []))
    session = None
    if fresh.session_key is not None and fresh.day is not None:
        session = next(
            (
                s
                for s in await classes.sessions_on(db, cls, fresh.day)
                if s.key == fresh.session_key
            ),
            None,
        )
        if session is None:
            return 0
    keys = {m.person.id: dedup_key(fresh, m.person.id) for m in recipients}
    done = await reminder_store.existing_keys(db, list(keys.values()))
    rendered: dict[str, Reply] = {}
    messages = []
    for member in recipients:
        key = keys[member.person.id]
        if key in done:
            continue
        lang = member_lang(cls, member.person)
        if lang not in rendered:
            rendered[lang] = _render(cls, fresh, session, lang)
        messages.append(
            OutgoingMessage(
                dedup_key=key,
                kind=str(fresh.kind),
                reply=rendered[lang],
                not_before=not_before(cls, member.person, now, fresh.kind.urgent),
                class_id=cls.id,
                person_id=member.person.id,
                urgent=fresh.kind.urgent,
                expires_at=fresh.deadline,
            )
        )
    added = await outbox.enqueue(db, messages, now)
    log.info("event=class_job_fired job=%s queued=%d", fresh.name, added)
    return added


async def fire_due(db: Database, now: dt.datetime) -> int:
    total = 0
    for job in await plan_jobs(db, now):
        if job.is_due(now):
            total += await fire(db, job, now)
    return total


async def _recipients(
    db: Database, cls: TrainingClass, job: ClassJob, members: list[Member]
) -> list[Member]:
    trainees = [m for m in members if m.role is Role.TRAINEE]
    if job.kind is ClassJobKind.SIGNIN and job.session_key and job.day:
        records = await attendance_store.session_records(db, cls.id, job.session_key, job.day)
        return [m for m in trainees if m.person.id not in records]
    if job.kind is ClassJobKind.RATE and job.session_key and job.day:
        present = await attendance_store.present_ids(db, cls.id, job.session_key, job.day)
        return [m for m in trainees if m.person.id in present]
    if job.kind is ClassJobKind.EVALUATION_REMINDER:
        questions, _custom = await form.form_questions(db, cls)
        counts = await evaluation_store.answered_counts(db, cls.id)
        return [m for m in trainees if counts.get(m.person.id, 0) < len(questions)]
    return trainees


def _render(cls: TrainingClass, job: ClassJob, session: Session | None, lang: str) -> Reply:
    if job.kind is ClassJobKind.SIGNIN and session is not None:
        return signin.open_reply(cls, session, Window(job.when, job.deadline), lang)
    if job.kind is ClassJobKind.RATE and session is not None:
        return ratings.prompt_reply(cls, session, lang)
    if job.kind is ClassJobKind.EVALUATION_REMINDER:
        return form.reminder(cls, lang)
    return form.invitation(cls, lang)
