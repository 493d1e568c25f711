"""Sign-in jobs, derived from the store, and the firing of class jobs into the outbox.

:func:`plan_jobs` returns a sign-in job per session with a sign-in of every
running class: due when sign-in opens, to the trainees not yet recorded,
urgent (it only lasts until sign-in closes, so quiet hours do not hold it).
:class:`ClassJob` and :func:`enqueue` are shared with the rating and
evaluation jobs (:mod:`bot.evaluation.planning`): names are deterministic and
every message has a dedup key per (kind, class, person, session), so firing
twice (a restart, a re-sync) never sends twice. The bot's job queue
(:mod:`bot.telegram.jobs`) holds these jobs beside the reminder jobs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.attendance import signin
from bot.attendance.sessions import Window, has_signin, window
from bot.domain import Member, Role, Session, TrainingClass
from bot.reminders.planning import EARLY, member_lang, not_before
from bot.replies import Reply
from bot.store import attendance as attendance_store
from bot.store import classes, outbox
from bot.store import reminders as reminder_store
from bot.store.database import Database
from bot.store.outbox import OutgoingMessage

log = logging.getLogger(__name__)

SIGNIN = "signin"
KINDS = (SIGNIN,)
PREFIXES = tuple(f"{kind}:" for kind in KINDS)


@dataclass(frozen=True, slots=True)
class ClassJob:
    """A job of a class's attendance or evaluation: due at ``when``; stale from ``deadline``."""

    name: str
    kind: str
    class_id: int
    when: dt.datetime
    deadline: dt.datetime
    session_key: str | None = None
    day: dt.date | None = None
    urgent: bool = False

    def is_due(self, now: dt.datetime) -> bool:
        return self.when - EARLY <= now < self.deadline


def plan_class(
    cls: TrainingClass,
    sessions: Sequence[Session],
    settings: attendance_store.SigninSettings,
    extra: set[tuple[str, dt.date]],
    now: dt.datetime,
) -> list[ClassJob]:
    """The sign-in jobs of one class that are not stale at ``now``."""
    jobs = []
    for s in sessions:
        if not has_signin(s, settings, extra):
            continue
        span = window(cls, s, settings)
        name = f"{SIGNIN}:{cls.id}:{s.key}:{s.day.isoformat()}"
        jobs.append(
            ClassJob(name, SIGNIN, cls.id, span.opens, span.closes, s.key, s.day, urgent=True)
        )
    return [j for j in jobs if j.deadline > now and j.when < j.deadline]


async def class_plan(db: Database, cls: TrainingClass, now: dt.datetime) -> list[ClassJob]:
    settings = await attendance_store.settings(db, cls.id)
    extra = await attendance_store.extra_sessions(db, cls.id)
    sessions = await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
    return plan_class(cls, sessions, settings, extra, now)


async def running(
    db: Database, now: dt.datetime, class_ids: Iterable[int] | None
) -> list[TrainingClass]:
    since = (now - dt.timedelta(days=1)).date()
    ids = None if class_ids is None else list(class_ids)
    return await reminder_store.running_classes(db, since, ids)


async def plan_jobs(
    db: Database, now: dt.datetime, class_ids: Iterable[int] | None = None
) -> list[ClassJob]:
    """Every sign-in job that should exist at ``now``."""
    jobs: list[ClassJob] = []
    for cls in await running(db, now, class_ids):
        jobs += await class_plan(db, cls, now)
    return jobs


def dedup_key(job: ClassJob, person_id: int) -> str:
    return f"{job.kind}:{job.class_id}:{person_id}:{job.session_key or ''}:{job.day}"


async def session_of(db: Database, cls: TrainingClass, job: ClassJob) -> Session | None:
    if job.session_key is None or job.day is None:
        return None
    found = await classes.sessions_on(db, cls, job.day)
    return next((s for s in found if s.key == job.session_key), None)


async def enqueue(
    db: Database,
    cls: TrainingClass,
    job: ClassJob,
    recipients: Sequence[Member],
    render: Callable[[str], Reply],
    now: dt.datetime,
) -> int:
    """Queue ``render(lang)`` for each recipient not reached by this job yet."""
    keys = {m.person.id: dedup_key(job, m.person.id) for m in recipients}
    done = await reminder_store.existing_keys(db, list(keys.values()))
    rendered: dict[str, Reply] = {}
    messages = []
    for member in recipients:
        key = keys[member.person.id]
        if key in done:
            continue
        lang = member_lang(cls, member.person)
        if lang not in rendered:
            rendered[lang] = render(lang)
        messages.append(
            OutgoingMessage(
                dedup_key=key,
                kind=job.kind,
                reply=rendered[lang],
                not_before=not_before(cls, member.person, now, job.urgent),
                class_id=cls.id,
                person_id=member.person.id,
                urgent=job.urgent,
                expires_at=job.deadline,
            )
        )
    added = await outbox.enqueue(db, messages, now)
    log.info("event=class_job_fired job=%s queued=%d", job.name, added)
    return added


async def trainees(db: Database, cls: TrainingClass) -> list[Member]:
    members = await reminder_store.members_of(db, [cls.id])
    return [m for m in members.get(cls.id, []) if m.role is Role.TRAINEE]


async def fire(db: Database, job: ClassJob, now: dt.datetime) -> int:
    """Re-plan the sign-in job from the store; if still planned and due, enqueue it."""
    cls = await classes.get_class(db, job.class_id)
    if cls is None:
        return 0
    fresh = {j.name: j for j in await class_plan(db, cls, now)}.get(job.name)
    session = await session_of(db, cls, fresh) if fresh is not None else None
    if fresh is None or session is None or not fresh.is_due(now):
        log.info("event=class_job_skipped job=%s", job.name)
        return 0
    records = await attendance_store.session_records(db, cls.id, session.key, session.day)
    recipients = [m for m in await trainees(db, cls) if m.person.id not in records]
    span = Window(fresh.when, fresh.deadline)
    return await enqueue(
        db, cls, fresh, recipients, lambda lang: signin.open_reply(cls, session, span, lang), now
    )
