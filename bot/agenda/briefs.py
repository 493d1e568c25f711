"""Answers to the point: the countdown, the start time, the return time, the lecturers, the room.

A trainee who asks "mấy giờ về" wants the return time, not an 11-line card with it on
line 8. Each answer here is the fact asked for, first and short, with the full view
(the day, or the visit's card) one button away: ``day:<class_id>:<date>`` or
``visit:<class_id>:<session key>``. This module registers the ``visit:`` action, and
answers courtesies ("xin chào", "ຂອບໃຈ", "thanks!") and requests for another language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from babel import Locale

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.agenda import views
from bot.agenda.cards import (
    bring_card,
    clock,
    day_text,
    departure_card,
    format_duration,
    meeting_card,
    session_lines,
    session_title,
    short_day,
    span,
    text_of,
    venue_time_label,
)
from bot.agenda.intents import IntentKind
from bot.domain import LANGS, Session, SessionKind, Topic, TrainingClass
from bot.i18n import LANG_NAMES, N_, _, babel_locale, current_lang, use_lang
from bot.people import permissions
from bot.replies import Block, Button, Reply
from bot.store import classes
from bot.store.database import Database

COURTESIES: Mapping[IntentKind, str] = {
    IntentKind.GREETING: N_(
        "Hello! I am the class assistant. You may ask me, for example, “what is on today”, "
        "“what time do we start” or “what should I bring”."
    ),
    IntentKind.THANKS: N_("You are most welcome. I am glad to be of help."),
    IntentKind.ACK: N_("Noted. I am here whenever you need me."),
    IntentKind.BYE: N_("Goodbye, and I wish you a pleasant day."),
}


def courtesy_reply(kind: IntentKind, lang: str) -> Reply:
    """A short, polite answer to a greeting, thanks, 'ok' or goodbye."""
    with use_lang(lang):
        return Reply.text(_(COURTESIES[kind]))


def language_offer(code: str, lang: str) -> Reply:
    """'Shall I answer in English from now on?' with a button that makes it so."""
    if code not in LANGS:
        code = lang
    with use_lang(lang):
        name = Locale.parse(babel_locale(lang)).languages.get(code, LANG_NAMES[code])
        if lang == "vi":  # "bằng tiếng Việt", mid-sentence
            name = name[:1].lower() + name[1:]
        text = _("Shall I answer in {language} from now on?").format(language=name)
        label = _("Yes: {language}").format(language=LANG_NAMES[code])
    return Reply(blocks=Reply.text(text).blocks, buttons=((Button(label, f"lang:{code}"),),))


def _day_button(cls: TrainingClass, day: dt.date) -> tuple[tuple[Button, ...], ...]:
    label = _("The whole day: {day}").format(day=short_day(day))
    return ((Button(label, f"day:{cls.id}:{day.isoformat()}"),),)


def _card_button(cls: TrainingClass, session: Session) -> tuple[tuple[Button, ...], ...]:
    return ((Button(_("The full card"), f"visit:{cls.id}:{session.key}"),),)


def _shown(sessions: Sequence[Session]) -> list[Session]:
    return [s for s in sessions if s.kind is not SessionKind.BREAK]


def _not_a_class_day(cls: TrainingClass, day: dt.date) -> Reply:
    """No sessions that day: says so, with the day (or the nearest class day) one tap away."""
    if cls.first_day <= day <= cls.last_day:
        note = _("No sessions are scheduled on this day; the class runs {dates}.")
        buttons = _day_button(cls, day)
    else:
        note = _("This day is outside the class dates; the class runs {dates}.")
        nearest = min(max(day, cls.first_day), cls.last_day)
        label = _("Nearest class day: {day}").format(day=short_day(nearest))
        buttons = ((Button(label, f"day:{cls.id}:{nearest.isoformat()}"),),)
    text = note.format(dates=views.class_dates(cls))
    return Reply(blocks=(Block((text,), day_text(day)),), buttons=buttons)


def countdown_reply(
    cls: TrainingClass, now: dt.datetime, sessions: Sequence[Session], topics: Mapping[int, Topic]
) -> Reply:
    """How long until the next session starts (for a visit: until its bus leaves)."""
    local = cls.local_now(now)
    upcoming = [s for s in _shown(sessions) if s.starts_at(cls.tz) > local]
    if not upcoming:
        return views.next_reply(cls, now, sessions, topics, current_lang())
    s = upcoming[0]
    topic = topics.get(s.topic_number) if s.topic_number is not None else None
    title = session_title(cls, s, topic, current_lang())
    leaves = s.departs_at(cls.tz)
    if leaves is not None and leaves > local:
        line = _("The bus for {title} leaves in {duration}, at {time}.").format(
            title=title,
            duration=format_duration(leaves - local),
            time=clock(s.departure or s.start),
        )
    else:
        line = _("{title} starts in {duration}, at {time}.").format(
            title=title, duration=format_duration(s.starts_at(cls.tz) - local), time=clock(s.start)
        )
    lines = [line]
    if s.day != local.date():
        lines.append(day_text(s.day))
    lines.append(venue_time_label(cls, s.day))
    return Reply(blocks=(Block(tuple(lines)),), buttons=_day_button(cls, s.day))


def start_reply(
    cls: TrainingClass, day: dt.date, sessions: Sequence[Session], topics: Mapping[int, Topic]
) -> Reply:
    """When the day's first session starts, and what and where it is."""
    todays = _shown([s for s in sessions if s.day == day])
    if not todays:
        return _not_a_class_day(cls, day)
    s = todays[0]
    topic = topics.get(s.topic_number) if s.topic_number is not None else None
    lines = [
        _("The first session starts at {time}: {title}.").format(
            time=clock(s.departure if s.kind.needs_departure and s.departure else s.start),
            title=session_title(cls, s, topic, current_lang()),
        )
    ]
    if s.kind.needs_departure and s.departure is not None:
        lines[0] = _("The bus leaves at {time} for {title}.").format(
            time=clock(s.departure), title=session_title(cls, s, topic, current_lang())
        )
    if s.venue:
        lines.append(_("Venue: {place}").format(place=s.venue))
    lines.append(venue_time_label(cls, day))
    return Reply(blocks=(Block(tuple(lines), day_text(day)),), buttons=_day_button(cls, day))


def lecturers_reply(
    cls: TrainingClass, day: dt.date, sessions: Sequence[Session], topics: Mapping[int, Topic]
) -> Reply:
    """Who lectures on ``day``: one line per lecture, with its time."""
    todays = _shown([s for s in sessions if s.day == day])
    if not todays:
        return _not_a_class_day(cls, day)
    lines: list[str] = []
    for s in todays:
        topic = topics.get(s.topic_number) if s.topic_number is not None else None
        name = s.lecturer or (topic.lecturer if topic else "")
        if name:
            title = session_title(cls, s, topic, current_lang())
            lines.append(f"{clock(s.start)} · {name} — {title}")
    heading = _("Lecturers on {day}").format(day=day_text(day))
    if not lines:
        lines = [_("No lectures are scheduled on this day.")]
    return Reply(blocks=(Block(tuple(lines), heading),), buttons=_day_button(cls, day))


def where_reply(
    cls: TrainingClass,
    now: dt.datetime,
    day: dt.date | None,
    sessions: Sequence[Session],
    topics: Mapping[int, Topic],
) -> Reply:
    """Where the session now or next is held; with ``day``, where each of its sessions is."""
    local = cls.local_now(now)
    if day is None:
        ahead = [s for s in _shown(sessions) if views.ends_at(cls, s) > local]
        if not ahead:
            return views.next_reply(cls, now, sessions, topics, current_lang())
        chosen = ahead[:1]
        shown_day = ahead[0].day
    else:
        chosen = _shown([s for s in sessions if s.day == day])
        if not chosen:
            return _not_a_class_day(cls, day)
        shown_day = day
    lines: list[str] = []
    for s in chosen:
        topic = topics.get(s.topic_number) if s.topic_number is not None else None
        title = session_title(cls, s, topic, current_lang())
        place = s.venue or _("the venue has not been announced yet")
        lines.append(f"{span(s)} · {title}: {place}")
    lines.append(venue_time_label(cls, shown_day))
    heading = day_text(shown_day)
    return Reply(blocks=(Block(tuple(lines), heading),), buttons=_day_button(cls, shown_day))


def return_reply(cls: TrainingClass, visits: Sequence[Session]) -> Reply:
    """When each visit gets back, one line each, with its full card one tap away."""
    lines: list[str] = []
    for s in visits:
        title = text_of(cls, s.title, current_lang())
        if s.return_time is not None:
            lines.append(
                _("Back from {title} at about {time}.").format(
                    title=title, time=clock(s.return_time)
                )
            )
        else:
            lines.append(
                _(
                    "The return time from {title} has not been announced yet; it ends at {time}."
                ).format(title=title, time=clock(s.end))
            )
    lines.append(venue_time_label(cls, visits[0].day))
    heading = day_text(visits[0].day)
    return Reply(blocks=(Block(tuple(lines), heading),), buttons=_card_button(cls, visits[0]))


def session_reply(cls: TrainingClass, session: Session, topics: Mapping[int, Topic]) -> Reply:
    """One session named in a question: a visit's full card, else its line with the details."""
    if session.kind.needs_departure:
        return departure_card(cls, session, current_lang())
    lines = [day_text(session.day), *session_lines(cls, session, topics, current_lang())]
    lines.append(venue_time_label(cls, session.day))
    return Reply(blocks=(Block(tuple(lines)),), buttons=_day_button(cls, session.day))


async def _all_sessions(db: Database, cls: TrainingClass) -> list[Session]:
    return await classes.sessions_between(db, cls, cls.first_day, cls.last_day)


async def _session(db: Database, cls: TrainingClass, key: str) -> Session | None:
    return next((s for s in await _all_sessions(db, cls) if s.key == key), None)


async def countdown_view(db: Database, cls: TrainingClass, now: dt.datetime, lang: str) -> Reply:
    """The countdown to the next session (or its bus)."""
    sessions = await _all_sessions(db, cls)
    with use_lang(lang):
        return countdown_reply(cls, now, sessions, await views.class_topics(db, cls))


async def day_brief(
    db: Database, cls: TrainingClass, kind: IntentKind, day: dt.date, lang: str
) -> Reply:
    """START or LECTURERS for ``day``."""
    sessions = (
        await classes.sessions_on(db, cls, day) if cls.first_day <= day <= cls.last_day else []
    )
    topics = await views.class_topics(db, cls)
    with use_lang(lang):
        if kind is IntentKind.START:
            return start_reply(cls, day, sessions, topics)
        return lecturers_reply(cls, day, sessions, topics)


async def where_view(
    db: Database, cls: TrainingClass, now: dt.datetime, lang: str, day: dt.date | None
) -> Reply:
    """Where the next session is held, or each session of ``day``."""
    sessions = await _all_sessions(db, cls)
    with use_lang(lang):
        return where_reply(cls, now, day, sessions, await views.class_topics(db, cls))


async def return_view(
    db: Database,
    cls: TrainingClass,
    now: dt.datetime,
    lang: str,
    day: dt.date | None,
    key: str | None,
) -> list[Reply]:
    """When the visit named (else that day's, else the next) gets back."""
    named = await _session(db, cls, key) if key else None
    if named is not None:
        visits, note = [named], None
    else:
        visits, note = await views.visits_asked(db, cls, now, lang, day)
    if not visits:
        return [note] if note else [views.no_visits(lang)]
    if all(s.return_time is None for s in visits):  # a flight home: its card says it all
        return ([note] if note else []) + [departure_card(cls, s, lang) for s in visits]
    with use_lang(lang):
        return ([note] if note else []) + [return_reply(cls, visits)]


async def session_view(
    db: Database, cls: TrainingClass, kind: IntentKind, key: str, lang: str
) -> list[Reply] | None:
    """The card a question about one session asks for (None if it is no longer scheduled)."""
    session = await _session(db, cls, key)
    if session is None:
        return None
    if kind is IntentKind.BRING:
        return [bring_card(cls, session, lang)]
    if kind is IntentKind.MEETING:
        return [meeting_card(cls, session, lang)]
    with use_lang(lang):
        return [session_reply(cls, session, await views.class_topics(db, cls))]


async def _visit(ctx: ActionContext, rest: str) -> ActionResult:
    """``visit:<class_id>:<session key>``: that session's full card."""
    class_text, _sep, key = rest.partition(":")
    try:
        class_id = int(class_text)
    except ValueError:
        return actions.expired()
    cls = await classes.get_class(ctx.db, class_id)
    if cls is None:
        return actions.expired()
    if (
        ctx.group_class_id != class_id
        and await permissions.role_in(ctx.db, ctx.person, class_id) is None
    ):
        return actions.expired()
    session = await _session(ctx.db, cls, key)
    if session is None:
        return actions.expired()
    return ActionResult(replies=[departure_card(cls, session, ctx.lang)])


actions.register("visit:", _visit)
