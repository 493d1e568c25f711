"""Reminder jobs derived from the store, and firing them into the outbox.

:func:`plan_jobs` reads the classes and their live schedules and returns the
jobs that should exist at ``now``: the morning digest of each day with
sessions (one job per digest time in use in the class), and for every field
visit or trip the evening-before card, the departure reminder (with the
"I'm on the bus" button) and the roll-call report to managers. Each job has
a deterministic name, the instant it is due and a deadline after which it
is stale. :func:`fire` renders each recipient's message in their language
and enqueues it with a dedup key per (kind, class, member, date or session),
so firing twice (a restart, a catch-up, a re-sync) never sends twice.

Policy: ``/remind off`` stops the morning digest only; visit cards,
departure reminders and roll calls are logistics and always go. Digests and
evening cards wait for the end of the member's quiet hours; departure
reminders and roll calls are urgent and do not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.agenda import contacts as agenda_contacts
from bot.domain import LANGS, Member, Person, Role, Session, Topic, TrainingClass
from bot.i18n import resolve_lang
from bot.reminders import messages, rollcall
from bot.replies import Reply
from bot.store import classes, outbox
from bot.store import reminders as store
from bot.store import roster as roster_store
from bot.store.database import Database
from bot.store.outbox import OutgoingMessage

log = logging.getLogger(__name__)


EARLY = dt.timedelta(seconds=30)
"""A job may run this much before its instant (clock skew) and still count as due."""

LATE_DIGEST = dt.timedelta(hours=1)
"""How long a digest chosen for after the first session stays worth sending."""

ROLLCALL_GRACE = dt.timedelta(minutes=15)
"""The missing list is still worth delivering this long after departure (late buses)."""


class JobKind(StrEnum):
    """What a reminder job sends."""

    DIGEST = "digest"
    VISIT_EVE = "visit-eve"
    DEPART = "depart"
    ROLLCALL = "rollcall"

    @property
    def urgent(self) -> bool:
        """Urgent messages ignore quiet hours."""
        return self in (JobKind.DEPART, JobKind.ROLLCALL)


@dataclass(frozen=True, slots=True)
class PlannedJob:
    """One reminder job: due at ``when``; stale from ``deadline`` on (both aware UTC)."""

    name: str
    kind: JobKind
    class_id: int
    day: dt.date
    when: dt.datetime
    deadline: dt.datetime
    session_key: str | None = None
    slot: dt.time | None = None
    """The digest time (venue time) a digest job serves."""

    def is_due(self, now: dt.datetime) -> bool:
        """Its time has come and it is not stale yet."""
        return self.when - EARLY <= now < self.deadline


def _at(day: dt.date, time: dt.time, cls: TrainingClass) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=cls.tz).astimezone(dt.UTC)


def plan_class(
    cls: TrainingClass, sessions: Iterable[Session], slots: Iterable[dt.time], now: dt.datetime
) -> list[PlannedJob]:
    """The jobs of one class that are not stale at ``now``."""
    by_day: dict[dt.date, list[Session]] = {}
    for session in sessions:
        by_day.setdefault(session.day, []).append(session)
    digest_slots = sorted({cls.reminder_time, *slots})
    jobs: list[PlannedJob] = []
    for day, day_sessions in sorted(by_day.items()):
        first = min(_at(day, s.start, cls) for s in day_sessions)
        for slot in digest_slots:
            when = _at(day, slot, cls)
            name = f"digest:{cls.id}:{day.isoformat()}"
            if slot != cls.reminder_time:
                name += f"@{slot.strftime('%H:%M')}"
            deadline = first if when < first else when + LATE_DIGEST
            jobs.append(PlannedJob(name, JobKind.DIGEST, cls.id, day, when, deadline, slot=slot))
        for s in day_sessions:
            if not s.kind.needs_departure:
                continue
            leaves = rollcall.departure_instant(cls, s)
            jobs += [
                PlannedJob(
                    f"visit-eve:{cls.id}:{s.key}:{day.isoformat()}",
                    JobKind.VISIT_EVE,
                    cls.id,
                    day,
                    _at(day - dt.timedelta(days=1), cls.evening_notice_time, cls),
                    leaves,
                    session_key=s.key,
                ),
                PlannedJob(
                    f"depart:{cls.id}:{s.key}",
                    JobKind.DEPART,
                    cls.id,
                    day,
                    leaves - dt.timedelta(minutes=cls.departure_reminder_min),
                    leaves,
                    session_key=s.key,
                ),
                PlannedJob(
                    f"rollcall:{cls.id}:{s.key}",
                    JobKind.ROLLCALL,
                    cls.id,
                    day,
                    leaves - dt.timedelta(minutes=cls.rollcall_report_min),
                    leaves,
                    session_key=s.key,
                ),
            ]
    return [j for j in jobs if j.deadline > now and j.when < j.deadline]


async def plan_jobs(
    db: Database, now: dt.datetime, class_ids: Iterable[int] | None = None
) -> list[PlannedJob]:
    """Every reminder job that should exist at ``now`` (optionally for some classes only)."""
    since = (now - dt.timedelta(days=1)).date()
    ids = None if class_ids is None else list(class_ids)
    running = await store.running_classes(db, since, ids)
    sessions = await store.live_session_times_from(db, running, since - dt.timedelta(days=1))
    slots = await store.custom_digest_slots(db, [c.id for c in running])
    jobs: list[PlannedJob] = []
    for cls in running:
        jobs += plan_class(cls, sessions[cls.id], slots.get(cls.id, ()), now)
    return jobs


def quiet_until(local: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime | None:
    """The end of the quiet period ``local`` falls in (same zone), or None if it is not quiet."""
    if start == end:
        return None
    time = local.time().replace(tzinfo=None)
    inside = start <= time < end if start < end else (time >= start or time < end)
    if not inside:
        return None
    until = dt.datetime.combine(local.date(), end, tzinfo=local.tzinfo)
    return until if until > local else until + dt.timedelta(days=1)


def not_before(cls: TrainingClass, person: Person, now: dt.datetime, urgent: bool) -> dt.datetime:
    """When a message to ``person`` may go: now, or the end of their quiet hours (venue time)."""
    if urgent:
        return now
    until = quiet_until(cls.local_now(now), person.quiet_start, person.quiet_end)
    return until.astimezone(dt.UTC) if until is not None else now


def member_lang(cls: TrainingClass, person: Person) -> str:
    """The member's chosen language, else the class's."""
    if person.lang in LANGS:
        return person.lang
    return resolve_lang(None, None, cls.default_lang)


def dedup_key(job: PlannedJob, person_id: int) -> str:
    """(kind, class, member, date or session): one message per member per reminder, ever."""
    head, tail = _key_parts(job)
    return f"{head}{person_id}{tail}"


def _key_parts(job: PlannedJob) -> tuple[str, str]:
    """What comes before and after the member id in the job's dedup keys."""
    if job.kind is JobKind.DIGEST:
        return f"digest:{job.class_id}:", f":{job.day.isoformat()}"
    return f"{job.kind}:{job.class_id}:", f":{job.session_key}:{job.day.isoformat()}"


async def fire(db: Database, job: PlannedJob, now: dt.datetime) -> int:
    """Render and enqueue the job's messages if it is still planned and due; returns how many."""
    return await fire_many(db, [job], now)


async def fire_due(db: Database, now: dt.datetime) -> int:
    """Fire every job that is due at ``now`` in one batch (start-up catch-up); returns messages."""
    return await fire_many(db, [j for j in await plan_jobs(db, now) if j.is_due(now)], now)


async def fire_many(db: Database, jobs: Sequence[PlannedJob], now: dt.datetime) -> int:
    """Fire several jobs with a handful of queries and one outbox transaction.

    Each job is first re-planned from the store's current state of its day: a
    job whose session moved, whose time changed or which went stale since it
    was scheduled does nothing. Each message is rendered once per (job,
    language) and shared by the members reading that language; members whose
    dedup key is already in the outbox are skipped before rendering.
    """
    if not jobs:
        return 0
    found = await classes.classes_by_ids(db, sorted({j.class_id for j in jobs}))
    by_id = {c.id: c for c in found}
    wanted = [(by_id[j.class_id], j.day) for j in jobs if j.class_id in by_id]
    day_sessions = await store.sessions_on_days(db, wanted)
    live: list[tuple[TrainingClass, PlannedJob, list[Session]]] = []
    for job in jobs:
        cls = by_id.get(job.class_id)
        sessions = day_sessions.get((job.class_id, job.day), [])
        fresh = _replan(cls, job, sessions, now) if cls is not None else None
        if cls is None or fresh is None:
            log.info("event=reminder_skipped job=%s reason=not_due", job.name)
            continue
        live.append((cls, fresh, sessions))
    if not live:
        return 0
    members = await store.members_of(db, sorted({cls.id for cls, _j, _s in live}))
    targets = [
        (f"{head}{m.person.id}{tail}", cls, job, sessions, m)
        for cls, job, sessions in live
        for head, tail in (_key_parts(job),)
        for m in _recipients(cls, job, members.get(cls.id, []))
    ]
    done = await store.existing_keys(db, [item[0] for item in targets])
    todo = [item for item in targets if item[0] not in done]
    versions = {c.live_version_id for _k, c, j, _s, _m in todo if j.kind is JobKind.DIGEST}
    topics = await store.topics_of(db, [v for v in versions if v is not None])
    rendered: dict[tuple[str, str], tuple[Reply, dt.datetime] | None] = {}
    # Members mostly share their quiet hours: one computation per (class, hours, urgency).
    waits: dict[tuple[int, dt.time, dt.time, bool], dt.datetime] = {}
    messages = []
    for key, cls, job, sessions, member in todo:
        person = member.person
        lang = member_lang(cls, person)
        if (job.name, lang) not in rendered:
            rendered[(job.name, lang)] = await _render(
                db, cls, job, sessions, members.get(cls.id, []), topics, lang
            )
        made = rendered[(job.name, lang)]
        if made is None:
            continue
        urgent = job.kind.urgent
        wait_key = (cls.id, person.quiet_start, person.quiet_end, urgent)
        if wait_key not in waits:
            waits[wait_key] = not_before(cls, person, now, urgent)
        messages.append(
            OutgoingMessage(
                dedup_key=key,
                kind=str(job.kind),
                reply=made[0],
                not_before=waits[wait_key],
                class_id=cls.id,
                person_id=person.id,
                urgent=urgent,
                expires_at=made[1],
            )
        )
    added = await outbox.enqueue(db, messages, now)
    log.info("event=reminders_fired jobs=%d queued=%d", len(live), added)
    return added


def _replan(
    cls: TrainingClass, job: PlannedJob, sessions: list[Session], now: dt.datetime
) -> PlannedJob | None:
    """The job as the store plans it now, if it is due; None if it moved, changed or is stale."""
    slots = (job.slot,) if job.slot is not None else ()
    fresh = {j.name: j for j in plan_class(cls, sessions, slots, now)}.get(job.name)
    return fresh if fresh is not None and fresh.is_due(now) else None


def _recipients(cls: TrainingClass, job: PlannedJob, members: list[Member]) -> list[Member]:
    if job.kind is JobKind.DIGEST:
        return [
            m
            for m in members
            if m.person.remind and (m.person.digest_time or cls.reminder_time) == job.slot
        ]
    if job.kind is JobKind.ROLLCALL:
        return [m for m in members if m.role in (Role.MANAGER, Role.ADMIN)]
    if job.kind is JobKind.DEPART:
        return [m for m in members if m.role is Role.TRAINEE]
    return members


async def _render(
    db: Database,
    cls: TrainingClass,
    job: PlannedJob,
    sessions: list[Session],
    members: list[Member],
    topics: Mapping[int, Mapping[int, Topic]],
    lang: str,
) -> tuple[Reply, dt.datetime] | None:
    """One job's message in one language, and when it expires."""
    if job.kind is JobKind.DIGEST:
        by_number = topics.get(cls.live_version_id or 0, {})
        reply = messages.digest_reply(cls, job.day, sessions, by_number, lang)
        if job.day == cls.first_day:  # issue 18: the welcome carries the contacts
            extra = await agenda_contacts.welcome_blocks(db, cls, lang)
            reply = dataclasses.replace(reply, blocks=(*reply.blocks, *extra))
        return reply, job.deadline
    session = next((s for s in sessions if s.key == job.session_key), None)
    if session is None:
        return None
    leaves = rollcall.departure_instant(cls, session)
    if job.kind is JobKind.VISIT_EVE:
        return messages.evening_reply(cls, session, lang), leaves
    if job.kind is JobKind.DEPART:
        return messages.departure_reminder(cls, session, lang), leaves
    present = await store.checkins(db, cls.id, session.key, session.day)
    trainees = [m for m in members if m.role is Role.TRAINEE]
    seats = await roster_store.seated(db, cls.id)  # issue 18: missing grouped by bus
    reply = rollcall.rollcall_reply(cls, session, trainees, present, lang, seats)
    return reply, leaves + ROLLCALL_GRACE
