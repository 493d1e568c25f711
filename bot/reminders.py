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

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot import agenda, cards, rollcall
from bot.domain import Member, Person, Role, Session, SessionKind, Topic, TrainingClass
from bot.i18n import _, format_clock, resolve_lang, use_lang
from bot.replies import Block, Button, Location, Reply
from bot.store import classes, outbox, people
from bot.store import reminders as store
from bot.store.database import Database
from bot.store.outbox import OutgoingMessage

log = logging.getLogger(__name__)

_RenderFn = Callable[[str], Reply]
"""Renders one reminder in one language (called once per language per firing)."""

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
    sessions = await store.live_sessions_from(db, running, since - dt.timedelta(days=1))
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
    return resolve_lang(person.lang, None, cls.default_lang)


def dedup_key(job: PlannedJob, person_id: int) -> str:
    """(kind, class, member, date or session): one message per member per reminder, ever."""
    if job.kind is JobKind.DIGEST:
        return f"digest:{job.class_id}:{person_id}:{job.day.isoformat()}"
    return f"{job.kind}:{job.class_id}:{person_id}:{job.session_key}:{job.day.isoformat()}"


async def fire(db: Database, job: PlannedJob, now: dt.datetime) -> int:
    """Render and enqueue the job's messages if it is still planned and due; returns how many."""
    cls = await classes.get_class(db, job.class_id)
    if cls is None:
        return 0
    fresh = {j.name: j for j in await plan_jobs(db, now, [cls.id])}.get(job.name)
    if fresh is None or not fresh.is_due(now):
        log.info("event=reminder_skipped job=%s reason=not_due", job.name)
        return 0
    sessions = await classes.sessions_on(db, cls, fresh.day)
    members = await people.class_members(db, cls.id)
    recipients = _recipients(cls, fresh, members)
    done = await store.existing_keys(db, [dedup_key(fresh, m.person.id) for m in recipients])
    todo = [m for m in recipients if dedup_key(fresh, m.person.id) not in done]
    if not todo:
        return 0
    if fresh.kind is JobKind.DIGEST:
        topics = await agenda.class_topics(db, cls)
        render = _digest_renderer(cls, fresh.day, sessions, topics)
        expires = fresh.deadline
    else:
        session = next((s for s in sessions if s.key == fresh.session_key), None)
        if session is None:
            return 0
        render, expires = await _session_renderer(db, cls, fresh, session, members)
    rendered: dict[str, Reply] = {}
    messages = []
    for member in todo:
        lang = member_lang(cls, member.person)
        if lang not in rendered:
            rendered[lang] = render(lang)
        messages.append(
            OutgoingMessage(
                dedup_key=dedup_key(fresh, member.person.id),
                kind=str(fresh.kind),
                reply=rendered[lang],
                not_before=not_before(cls, member.person, now, fresh.kind.urgent),
                class_id=cls.id,
                person_id=member.person.id,
                urgent=fresh.kind.urgent,
                expires_at=expires,
            )
        )
    added = await outbox.enqueue(db, messages, now)
    log.info("event=reminder_fired job=%s queued=%d", fresh.name, added)
    return added


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


async def fire_due(db: Database, now: dt.datetime) -> int:
    """Fire every job that is due at ``now`` (catch-up without a job queue); returns messages."""
    total = 0
    for job in await plan_jobs(db, now):
        if job.is_due(now):
            total += await fire(db, job, now)
    return total


def _digest_renderer(
    cls: TrainingClass, day: dt.date, sessions: list[Session], topics: Mapping[int, Topic]
) -> _RenderFn:
    def render(lang: str) -> Reply:
        return digest_reply(cls, day, sessions, topics, lang)

    return render


async def _session_renderer(
    db: Database, cls: TrainingClass, job: PlannedJob, session: Session, members: list[Member]
) -> tuple[_RenderFn, dt.datetime]:
    leaves = rollcall.departure_instant(cls, session)
    if job.kind is JobKind.VISIT_EVE:
        return (lambda lang: evening_reply(cls, session, lang)), leaves
    if job.kind is JobKind.DEPART:
        return (lambda lang: departure_reminder(cls, session, lang)), leaves
    present = await store.checkins(db, cls.id, session.key, session.day)
    trainees = [m for m in members if m.role is Role.TRAINEE]
    return (
        lambda lang: rollcall.rollcall_reply(cls, session, trainees, present, lang),
        leaves + ROLLCALL_GRACE,
    )


def digest_reply(
    cls: TrainingClass,
    day: dt.date,
    sessions: list[Session],
    topics: Mapping[int, Topic],
    lang: str,
) -> Reply:
    """The morning digest: a greeting (welcome / closing day) above the day's programme."""
    with use_lang(lang):
        name = cls.title(lang)
        if day == cls.first_day:
            lines = [
                _("Welcome to {class_name}! Here is today's programme.").format(class_name=name)
            ]
        elif day == cls.last_day:
            lines = [
                _("Good morning! Today is the last day of {class_name}.").format(class_name=name)
            ]
        else:
            lines = [_("Good morning! Here is today's programme.")]
        if day == cls.last_day:
            closing = next((s for s in sessions if s.kind is SessionKind.CLOSING), None)
            lines.append(
                _("The closing ceremony is at {time}.").format(time=format_clock(closing.start))
                if closing
                else _("The class closes today with the closing ceremony.")
            )
        body = agenda.day_reply(cls, day, sessions, topics, lang, nav=False)
    return Reply(
        blocks=(Block(lines=tuple(lines)), *body.blocks),
        buttons=body.buttons,
        location=body.location,
    )


def evening_reply(cls: TrainingClass, session: Session, lang: str) -> Reply:
    """The evening-before card of a field visit or trip."""
    card = cards.departure_card(cls, session, lang)
    with use_lang(lang):
        head = (
            _("Tomorrow: study trip. Please read the departure details below.")
            if session.kind is SessionKind.TRIP
            else _("Tomorrow: field visit. Please read the departure details below.")
        )
    return Reply(
        blocks=(Block(lines=(head,)), *card.blocks), buttons=card.buttons, location=card.location
    )


def checkin_action(cls: TrainingClass, session: Session) -> str:
    """The callback data of the "I'm on the bus" button."""
    return f"checkin:{cls.id}:{session.key}:{session.day.isoformat()}"


def departure_reminder(cls: TrainingClass, session: Session, lang: str) -> Reply:
    """The reminder before departure, with the "I'm on the bus" button."""
    with use_lang(lang):
        title = cards.text_of(cls, session.title, lang)
        place = cards.text_of(cls, session.meeting_point, lang)
        clock = format_clock(session.departure or session.start)
        lines = [
            _("The bus leaves at {time} from {place}.").format(time=clock, place=place)
            if place
            else _("The bus leaves at {time}.").format(time=clock),
            cards.venue_time_label(cls, session.day),
            _("When you are on the bus, please tap the button below."),
        ]
        button = Button(_("I'm on the bus"), checkin_action(cls, session))
        heading = _("Departure soon: {title}").format(title=title)
    location = None
    if session.latitude is not None and session.longitude is not None:
        location = Location(session.latitude, session.longitude, title=place or title)
    return Reply(
        blocks=(Block(lines=tuple(lines), title=heading),), buttons=((button,),), location=location
    )
