"""What trainees see: the day, the week, the next session, topics and field visits.

Renderers (``*_reply``) are pure: class, sessions and topics in, a
:class:`~bot.replies.Reply` out, in the member's language with schedule
content falling back to the class's default. Loaders (``*_view``) add the
store queries: one indexed query for the sessions of the requested range plus
the class's topics, cached per schedule version (versions never change once
saved, and a new upload or a rollback changes ``live_version_id``). A day's
programme, the commonest question by far, is kept whole per version, day and
language (:func:`day_view`): every trainee of a class asking "what is on today"
gets the same reply, so only the first of them costs a query and a rendering.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

from bot import actions
from bot.agenda import cards
from bot.agenda.cards import (
    COMPACT_TITLE,
    bring_card,
    clock,
    date_range,
    day_text,
    departure_card,
    format_duration,
    meeting_card,
    session_lines,
    short_day,
    shorten,
    text_of,
    venue_time_label,
)
from bot.domain import Session, SessionKind, Topic, TrainingClass
from bot.i18n import _, use_lang
from bot.people import permissions
from bot.replies import Block, Button, Reply
from bot.store import classes
from bot.store import contacts as extras_store
from bot.store.contacts import SessionExtra
from bot.store.database import Database

__all__ = [
    "bring_view",
    "ceremony_view",
    "class_dates",
    "class_topics",
    "day_reply",
    "day_view",
    "departure_card",
    "ends_at",
    "meeting_view",
    "next_reply",
    "next_view",
    "no_visits",
    "topic_reply",
    "topic_view",
    "topics_reply",
    "topics_view",
    "upcoming_visits",
    "visits_asked",
    "visits_list",
    "visits_view",
    "week_reply",
    "week_view",
]

WEEK_SPLIT_CHARS = 3500
"""A week longer than this is sent as several messages (one day never splits)."""

_topic_cache: weakref.WeakKeyDictionary[Database, dict[int, Mapping[int, Topic]]] = (
    weakref.WeakKeyDictionary()
)

DAY_CACHE_SIZE = 4096
"""Day views kept per database (about 2 KB each); the oldest go first when it is full."""

_DayKey = tuple[int, int, str, dt.date, dt.date, str, dt.date, str]
_day_cache: weakref.WeakKeyDictionary[Database, dict[_DayKey, Reply]] = weakref.WeakKeyDictionary()


async def class_topics(db: Database, cls: TrainingClass) -> Mapping[int, Topic]:
    """The live version's topics by number (one query per version and database)."""
    version = cls.live_version_id
    if version is None:
        return MappingProxyType({})
    per_db = _topic_cache.setdefault(db, {})
    found = per_db.get(version)
    if found is None:
        rows = await classes.version_topics(db, version)
        found = per_db[version] = MappingProxyType({t.number: t for t in rows})
    return found


def class_dates(cls: TrainingClass) -> str:
    """The class's first to last day as a locale's date interval: '15 – 26 thg 7, 2024'."""
    return date_range(cls.first_day, cls.last_day)


def _by_number(topics: Iterable[Topic] | Mapping[int, Topic]) -> Mapping[int, Topic]:
    if isinstance(topics, Mapping):
        return topics
    return {t.number: t for t in topics}


def _nav(cls: TrainingClass, day: dt.date) -> tuple[tuple[Button, ...], ...]:
    """◀ ▶ buttons to the neighbouring days, kept within the class's dates."""
    prev = min(day - dt.timedelta(days=1), cls.last_day)
    nxt = max(day + dt.timedelta(days=1), cls.first_day)
    row: list[Button] = []
    if prev >= cls.first_day:
        row.append(Button(f"◀ {short_day(prev)}", f"day:{cls.id}:{prev.isoformat()}"))
    if nxt <= cls.last_day:
        row.append(Button(f"{short_day(nxt)} ▶", f"day:{cls.id}:{nxt.isoformat()}"))
    return (tuple(row),) if row else ()


def day_reply(
    cls: TrainingClass,
    day: dt.date,
    sessions: Sequence[Session],
    topics: Iterable[Topic] | Mapping[int, Topic],
    lang: str,
    *,
    nav: bool = True,
) -> Reply:
    """One day's programme in the venue's local time.

    Args:
        cls: the class.
        day: the local date shown.
        sessions: that day's sessions in time order (others are ignored).
        topics: the class's topics, to name lectures by topic.
        lang: the reader's language.
        nav: add ◀ ▶ buttons (``day:<class_id>:<YYYY-MM-DD>``). The morning
            digest uses ``nav=False`` to send the same rendering.
    """
    with use_lang(lang):
        heading = _("Schedule for {date}").format(date=day_text(day))
        todays = [s for s in sessions if s.day == day] if _in_class(cls, day) else []
        buttons = _nav(cls, day) if nav else ()
        if not todays:
            if _in_class(cls, day):
                note = _("No sessions are scheduled on this day; the class runs {dates}.")
            else:
                note = _("This day is outside the class dates; the class runs {dates}.")
                nearest = min(max(day, cls.first_day), cls.last_day)
                if nav:  # the nearest class day, one tap away
                    label = _("Nearest class day: {day}").format(day=short_day(nearest))
                    buttons = ((Button(label, f"day:{cls.id}:{nearest.isoformat()}"),),)
            line = note.format(dates=class_dates(cls))
            return Reply(blocks=(Block((line,), heading),), buttons=buttons)
        numbered = _by_number(topics)
        blocks = [Block((venue_time_label(cls, day),), heading)]
        blocks += [Block(tuple(session_lines(cls, s, numbered, lang))) for s in todays]
        return Reply(blocks=tuple(blocks), buttons=buttons)


async def day_view(db: Database, cls: TrainingClass, day: dt.date, lang: str) -> Reply:
    """The day's programme with ◀ ▶ buttons: from memory, else two queries at most.

    The reply depends only on the live version's sessions and topics (which never
    change once saved) and on the class fields in the key (its dates, time zone and
    default language come with each version), so a kept reply is never stale.
    """
    version = cls.live_version_id
    if version is None:
        return day_reply(cls, day, [], {}, lang)
    key = (cls.id, version, cls.timezone, cls.first_day, cls.last_day, cls.default_lang, day, lang)
    per_db = _day_cache.setdefault(db, {})
    found = per_db.get(key)
    if found is None:
        sessions = await classes.sessions_on(db, cls, day) if _in_class(cls, day) else []
        topics = await class_topics(db, cls) if any(s.topic_number for s in sessions) else {}
        found = day_reply(cls, day, sessions, topics, lang)
        found = await annotate_day(db, cls, sessions, found, lang)
        if len(per_db) >= DAY_CACHE_SIZE:
            del per_db[next(iter(per_db))]
        per_db[key] = found
    return found


async def ceremony_view(db: Database, cls: TrainingClass, closing: bool, lang: str) -> Reply:
    """The day of the opening (or closing) ceremony; the first (last) day if none is listed."""
    kind = SessionKind.CLOSING if closing else SessionKind.OPENING
    sessions = await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
    days = [s.day for s in sessions if s.kind is kind]
    day = (
        (days[-1] if closing else days[0]) if days else (cls.last_day if closing else cls.first_day)
    )
    return await day_view(db, cls, day, lang)


def _in_class(cls: TrainingClass, day: dt.date) -> bool:
    return cls.first_day <= day <= cls.last_day


def week_reply(
    cls: TrainingClass,
    day: dt.date,
    sessions: Sequence[Session],
    topics: Iterable[Topic] | Mapping[int, Topic],
    lang: str,
) -> list[Reply]:
    """Monday to Sunday of ``day``'s week, compact, split into messages if very long."""
    with use_lang(lang):
        monday = day - dt.timedelta(days=day.weekday())
        sunday = monday + dt.timedelta(days=6)
        week = date_range(monday, sunday)
        heading = _("Week of {dates}").format(dates=week)
        days = [d for d in (monday + dt.timedelta(days=i) for i in range(7)) if _in_class(cls, d)]
        if not days:
            note = _("This week is outside the class dates; the class runs {dates}.")
            return [Reply.text(note.format(dates=class_dates(cls)), title=heading)]
        numbered = _by_number(topics)
        blocks = [Block((cls.title(lang), venue_time_label(cls, days[0])), heading)]
        for d in days:
            lines = [
                session_lines(cls, s, numbered, lang, compact=True)[0]
                for s in sessions
                if s.day == d and s.kind is not SessionKind.BREAK
            ]
            blocks.append(Block(tuple(lines or [_("No sessions.")]), day_text(d)))
        replies = _split(blocks)
        # The details of a day (venues, lecturers, meeting points) are one tap away.
        buttons = [Button(short_day(d), f"day:{cls.id}:{d.isoformat()}") for d in days]
        rows = tuple(tuple(buttons[i : i + 4]) for i in range(0, len(buttons), 4))
        last = replies[-1]
        replies[-1] = Reply(blocks=last.blocks, buttons=rows)
        return replies


def _split(blocks: list[Block]) -> list[Reply]:
    """Pack blocks into replies of at most :data:`WEEK_SPLIT_CHARS` characters."""
    replies: list[Reply] = []
    current: list[Block] = []
    size = 0
    for block in blocks:
        length = len(Reply(blocks=(block,)).plain()) + 2
        if current and size + length > WEEK_SPLIT_CHARS:
            replies.append(Reply(blocks=tuple(current)))
            current, size = [], 0
        current.append(block)
        size += length
    replies.append(Reply(blocks=tuple(current)))
    return replies


async def week_view(db: Database, cls: TrainingClass, day: dt.date, lang: str) -> list[Reply]:
    """The week (Monday to Sunday) containing ``day``; one query for its sessions."""
    monday = day - dt.timedelta(days=day.weekday())
    first = max(monday, cls.first_day)
    last = min(monday + dt.timedelta(days=6), cls.last_day)
    sessions = await classes.sessions_between(db, cls, first, last) if first <= last else []
    topics = await class_topics(db, cls) if any(s.topic_number for s in sessions) else {}
    return week_reply(cls, day, sessions, topics, lang)


def ends_at(cls: TrainingClass, session: Session) -> dt.datetime:
    return dt.datetime.combine(session.day, session.end, tzinfo=cls.tz)


def next_reply(
    cls: TrainingClass,
    now: dt.datetime,
    sessions: Sequence[Session],
    topics: Iterable[Topic] | Mapping[int, Topic],
    lang: str,
) -> Reply:
    """What is on now (if anything) and the next session with a countdown."""
    with use_lang(lang):
        numbered = _by_number(topics)
        local = cls.local_now(now)
        shown = [s for s in sessions if s.kind is not SessionKind.BREAK]
        current = [s for s in shown if s.starts_at(cls.tz) <= local < ends_at(cls, s)]
        upcoming = [s for s in shown if s.starts_at(cls.tz) > local]
        blocks: list[Block] = []
        for s in current:
            lines = [
                *session_lines(cls, s, numbered, lang),
                _("Until {time}.").format(time=clock(s.end)),
            ]
            blocks.append(Block(tuple(lines), _("Now in progress")))
        if upcoming:
            s = upcoming[0]
            lines = [day_text(s.day), *session_lines(cls, s, numbered, lang)]
            leaves = s.departs_at(cls.tz)
            if leaves is not None and leaves > local:
                lines.append(
                    _("The bus leaves in {duration}.").format(
                        duration=format_duration(leaves - local)
                    )
                )
            else:
                lines.append(
                    _("Starts in {duration}.").format(
                        duration=format_duration(s.starts_at(cls.tz) - local)
                    )
                )
            blocks.append(Block(tuple(lines), _("Next session")))
        elif not current:
            if local.date() > cls.last_day:
                note = _("The class has ended; its last day was {date}.").format(
                    date=day_text(cls.last_day)
                )
            else:
                note = _("There are no more sessions in this class.")
            return Reply.text(note)
        blocks.append(Block((venue_time_label(cls, local.date()),)))
        return Reply(blocks=tuple(blocks))


async def next_view(db: Database, cls: TrainingClass, now: dt.datetime, lang: str) -> Reply:
    """The session in progress, if any, and the next one with how long until it."""
    today = cls.local_now(now).date()
    first = max(today, cls.first_day)
    sessions = (
        await classes.sessions_between(db, cls, first, cls.last_day)
        if first <= cls.last_day
        else []
    )
    topics = await class_topics(db, cls) if any(s.topic_number for s in sessions) else {}
    return next_reply(cls, now, sessions, topics, lang)


def topics_reply(cls: TrainingClass, topics: Iterable[Topic], lang: str) -> Reply:
    """The class's lecture topics, grouped by block."""
    with use_lang(lang):
        ordered = sorted(topics, key=lambda t: t.number)
        if not ordered:
            return Reply.text(_("No lecture topics have been published for this class yet."))
        groups: dict[str, list[str]] = {}
        for t in ordered:
            line = f"{t.number}. {text_of(cls, t.title, lang)}"
            block = text_of(cls, t.block, lang)
            groups.setdefault(block, []).append(f"{line} — {t.lecturer}" if t.lecturer else line)
        blocks = [Block((cls.title(lang),), _("Lecture topics"))]
        blocks += [Block(tuple(lines), block or None) for block, lines in groups.items()]
        hint = _("Send “topic {number}” or /topic {number} for the details of a topic.")
        blocks.append(Block((hint.format(number=ordered[0].number),)))
        return Reply(blocks=tuple(blocks))


async def topics_view(db: Database, cls: TrainingClass, lang: str) -> Reply:
    """The lecture topics by block."""
    return topics_reply(cls, (await class_topics(db, cls)).values(), lang)


def topic_reply(
    cls: TrainingClass,
    number: int,
    topics: Mapping[int, Topic],
    sessions: Sequence[Session],
    lang: str,
) -> Reply:
    """One topic: title, lecturer, summary and when it is on the schedule."""
    with use_lang(lang):
        topic = topics.get(number)
        if topic is None:
            if not topics:
                return Reply.text(_("No lecture topics have been published for this class yet."))
            note = _("There is no topic {number}; this class has topics {first} to {last}.")
            return Reply.text(note.format(number=number, first=min(topics), last=max(topics)))
        lines: list[str] = []
        if topic.lecturer:
            lines.append(_("Lecturer: {name}").format(name=topic.lecturer))
        if block := text_of(cls, topic.block, lang):
            lines.append(_("Part: {block}").format(block=block))
        summary = text_of(cls, topic.summary, lang)
        if summary:
            lines.append(summary)
        title = _("Topic {number}: {title}").format(
            number=number, title=text_of(cls, topic.title, lang)
        )
        on = [s for s in sessions if s.topic_number == number]
        when = [
            f"{day_text(s.day)}, {clock(s.start)}–{clock(s.end)}"
            + (f" · {s.venue}" if s.venue else "")
            for s in on
        ] or [_("Not on the schedule yet.")]
        blocks = [Block(tuple(lines), title), Block(tuple(when), _("When"))]
        if on:
            blocks.append(Block((venue_time_label(cls, on[0].day),)))
        return Reply(blocks=tuple(blocks))


async def topic_view(db: Database, cls: TrainingClass, number: int, lang: str) -> Reply:
    """Topic ``number`` in detail, or a note of which topics exist."""
    topics = await class_topics(db, cls)
    sessions: list[Session] = []
    if number in topics:
        sessions = [
            s
            for s in await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
            if s.topic_number == number
        ]
    return topic_reply(cls, number, topics, sessions, lang)


async def upcoming_visits(db: Database, cls: TrainingClass, now: dt.datetime) -> list[Session]:
    """Field visits and trips not yet over, in time order."""
    local = cls.local_now(now)
    first = max(local.date(), cls.first_day)
    if first > cls.last_day:
        return []
    sessions = await classes.sessions_between(db, cls, first, cls.last_day)
    return [s for s in sessions if s.kind.needs_departure and ends_at(cls, s) > local]


def no_visits(lang: str) -> Reply:
    with use_lang(lang):
        return Reply.text(_("No field visits or trips are coming up."))


async def visits_view(
    db: Database,
    cls: TrainingClass,
    now: dt.datetime,
    lang: str,
    *,
    limit: int | None = None,
    day: dt.date | None = None,
) -> list[Reply]:
    """One departure card per upcoming field visit or trip (the first ``limit`` of them).

    With ``day``: the cards of that day's visits (if none: a note and the next one).
    """
    if day is not None:
        return await _visit_cards(db, cls, now, lang, day, departure_card)
    visits = (await upcoming_visits(db, cls, now))[:limit]
    if not visits:
        return [no_visits(lang)]
    if len(visits) == 1:
        return [departure_card(cls, visits[0], lang)]
    return [visits_list(cls, visits, lang)]


def visits_list(cls: TrainingClass, visits: Sequence[Session], lang: str) -> Reply:
    """Upcoming visits, one line each (day, bus time, title); each full card one tap away."""
    with use_lang(lang):
        lines: list[str] = []
        buttons: list[Button] = []
        for s in visits:
            leaves = s.departure or s.start
            title = shorten(text_of(cls, s.title, lang), COMPACT_TITLE)
            lines.append(f"{short_day(s.day)} · {clock(leaves)} · {title}")
            buttons.append(Button(f"🚌 {short_day(s.day)}", f"visit:{cls.id}:{s.key}"))
        rows = tuple(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3))
        blocks = (
            Block(tuple(lines), _("Field visits and trips")),
            Block((_("Times are bus departures."), venue_time_label(cls, visits[0].day))),
        )
        return Reply(blocks=blocks, buttons=rows)


def _next_departure(cls: TrainingClass, visits: Sequence[Session], now: dt.datetime) -> Session:
    """The first visit whose bus has not left yet, else the one under way."""
    local = cls.local_now(now)
    for s in visits:
        if (s.departs_at(cls.tz) or s.starts_at(cls.tz)) > local:
            return s
    return visits[0]


async def visits_asked(
    db: Database, cls: TrainingClass, now: dt.datetime, lang: str, day: dt.date | None
) -> tuple[list[Session], Reply | None]:
    """The visits a bring or meeting question is about, and a note to put before them.

    Without ``day``: the next departure. With it: that day's visits; when there are
    none, a note saying so and the first visit after that day.
    """
    if day is not None and cls.first_day <= day <= cls.last_day:
        on_day = [s for s in await classes.sessions_on(db, cls, day) if s.kind.needs_departure]
        if on_day:
            return on_day, None
    if day is None:
        visits = await upcoming_visits(db, cls, now)
        return ([_next_departure(cls, visits, now)] if visits else []), None
    later = [s for s in await upcoming_visits(db, cls, now) if s.day > day]
    with use_lang(lang):
        if later:
            note = _("There is no field visit or trip on {date}. The next one:")
        else:
            note = _("There is no field visit or trip on {date}, and none after it.")
        return later[:1], Reply.text(note.format(date=day_text(day)))


async def _visit_cards(
    db: Database,
    cls: TrainingClass,
    now: dt.datetime,
    lang: str,
    day: dt.date | None,
    card: Callable[[TrainingClass, Session, str], Reply],
) -> list[Reply]:
    """``card`` of each visit a question is about (see :func:`_visits_asked`)."""
    visits, note = await visits_asked(db, cls, now, lang, day)
    if not visits and note is None:
        return [no_visits(lang)]
    return ([note] if note else []) + [card(cls, s, lang) for s in visits]


async def bring_view(
    db: Database, cls: TrainingClass, now: dt.datetime, lang: str, day: dt.date | None = None
) -> list[Reply]:
    """What to bring and wear for the next field visit, or for the visits of ``day``."""
    return await _visit_cards(db, cls, now, lang, day, bring_card)


async def meeting_view(
    db: Database, cls: TrainingClass, now: dt.datetime, lang: str, day: dt.date | None = None
) -> list[Reply]:
    """Where and when the bus leaves for the next field visit, or for the visits of ``day``."""
    return await _visit_cards(db, cls, now, lang, day, meeting_card)


async def _day(ctx: actions.ActionContext, rest: str) -> actions.ActionResult:
    """``day:<class_id>:<YYYY-MM-DD>``: show that day of the class in place."""
    class_text, _sep, day_text = rest.partition(":")
    try:
        class_id = int(class_text)
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        return actions.expired()
    cls = await classes.get_class(ctx.db, class_id)
    if cls is None:
        return actions.expired()
    in_group = ctx.group_class_id == class_id
    if not in_group and await permissions.role_in(ctx.db, ctx.person, class_id) is None:
        return actions.expired()
    reply = await day_view(ctx.db, cls, day, ctx.lang)
    return actions.ActionResult(replies=[reply], replace=True)


actions.register("day:", _day)


async def annotate_day(
    db: Database, cls: TrainingClass, sessions: list[Session], reply: Reply, lang: str
) -> Reply:
    """The day view with each session's interpreter line, for readers who need it.

    The day view has one block per session after its heading block, in order.
    """
    extras = await extras_store.session_extras(db, cls.id)
    if not extras or len(reply.blocks) != len(sessions) + 1:
        return reply
    return _with_interpreters(cls, sessions, reply, extras, lang)


def _with_interpreters(
    cls: TrainingClass,
    sessions: list[Session],
    reply: Reply,
    extras: Mapping[str, SessionExtra],
    lang: str,
) -> Reply:
    blocks = [reply.blocks[0]]
    changed = False
    with use_lang(lang):
        for session, block in zip(sessions, reply.blocks[1:], strict=True):
            line = cards.interpreter_line(cls, extras.get(session.key), lang)
            if line:
                changed = True
                block = Block((*block.lines, cards.INDENT + line), block.title)
            blocks.append(block)
    if not changed:
        return reply
    return Reply(
        blocks=tuple(blocks), buttons=reply.buttons, location=reply.location, media=reply.media
    )


def picture_button(cls: TrainingClass, day: dt.date, lang: str) -> Button:
    monday = day - dt.timedelta(days=day.weekday())
    with use_lang(lang):
        return Button(_("🖼 Picture"), f"pkw:{cls.id}:{monday.isoformat()}")


def offer_picture(cls: TrainingClass, day: dt.date, replies: list[Reply], lang: str) -> list[Reply]:
    """The week's replies with the picture button under the last one (after the days)."""
    monday = day - dt.timedelta(days=day.weekday())
    if not replies or monday > cls.last_day or monday + dt.timedelta(days=6) < cls.first_day:
        return replies
    last = replies[-1]
    button = picture_button(cls, day, lang)
    return [
        *replies[:-1],
        Reply(
            blocks=last.blocks,
            buttons=(*last.buttons, (button,)),
            location=last.location,
            document=last.document,
            media=last.media,
        ),
    ]
