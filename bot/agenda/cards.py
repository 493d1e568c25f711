"""The building blocks of agenda answers: session lines, the venue-time label, departure cards.

Pure functions: domain objects and a language in, text or a
:class:`~bot.replies.Reply` out. Call them inside :func:`bot.i18n.use_lang`
(the public ones in :mod:`bot.agenda.views` do); the ``*_card`` functions set the
language themselves because reminders call them directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Literal

from babel import dates as babel_dates

from bot.domain import Localized, Session, SessionKind, Topic, TrainingClass, pick
from bot.i18n import (
    N_,
    _,
    babel_locale,
    current_lang,
    format_clock,
    format_day,
    format_day_short,
    use_lang,
)
from bot.replies import Block, Location, Reply
from bot.store.contacts import SessionExtra

INDENT = "   "
"""Detail lines under a session line."""

CEREMONY_MARK = "🎓 "
VISIT_MARK = "🚌 "

_GMT_HOURS = re.compile(r"([+-])0?(\d{1,2}):00\b")


def text_of(cls: TrainingClass, value: Localized, lang: str) -> str:
    """Schedule content in ``lang``, falling back to the class's default language."""
    return pick(value, lang, cls.default_lang)


# Babel re-parses the locale on every call (about 0.1 ms each); a day view formats a dozen
# dates and times, so the formatted pieces are memoised per language.


@functools.lru_cache(maxsize=8192)
def _clock(value: dt.time, lang: str) -> str:
    return format_clock(value, lang)


@functools.lru_cache(maxsize=8192)
def _day(day: dt.date, lang: str, short: bool) -> str:
    if short and lang == "vi":
        # As Vietnamese trainees write a day: "T4 17/7", "CN 21/7".
        weekday = "CN" if day.weekday() == 6 else f"T{day.weekday() + 2}"
        return f"{weekday} {day.day}/{day.month}"
    return format_day_short(day, lang) if short else format_day(day, lang)


@functools.lru_cache(maxsize=4096)
def _range(first: dt.date, last: dt.date, lang: str) -> str:
    if lang == "lo":
        # Babel's Lao interval is numeric ("15/07/2024 – 21/07/2024"); the day headers
        # spell the month out, and so does the week's: "15 – 21 ກໍລະກົດ 2024".
        months = babel_dates.get_month_names("wide", locale=babel_locale(lang))
        end = f"{last.day} {months[last.month]} {last.year}"
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day} – {end}"
        if first.year == last.year:
            return f"{first.day} {months[first.month]} – {end}"
        return f"{first.day} {months[first.month]} {first.year} – {end}"
    return babel_dates.format_interval(first, last, "yMMMd", locale=babel_locale(lang))


@functools.lru_cache(maxsize=4096)
def _zone(tz: str, day: dt.date, lang: str) -> tuple[str, str]:
    zone = babel_dates.get_timezone(tz)
    name = babel_dates.get_timezone_name(zone, "long", locale=babel_locale(lang))
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=zone)
    offset = babel_dates.get_timezone_gmt(noon, "long", locale=babel_locale(lang))
    return name.replace("\u200b", ""), _GMT_HOURS.sub(r"\1\2", offset)


def clock(value: dt.time) -> str:
    """A wall-clock time in the active language: '07:30'."""
    return _clock(value, current_lang())


def day_text(day: dt.date) -> str:
    """A full date in the active language: 'Thứ Hai, 15 tháng 7, 2024'."""
    return _day(day, current_lang(), False)


def short_day(day: dt.date) -> str:
    """A compact weekday and date for buttons: 'T2 15/7', 'Mon, Jul 15', 'ຈັນ 15 ກ.ລ.'."""
    return _day(day, current_lang(), True)


def date_range(first: dt.date, last: dt.date) -> str:
    """Two dates as the locale's interval: '15 – 26 thg 7, 2024', 'Jul 15 – 26, 2024'."""
    return _range(first, last, current_lang())


def venue_time_label(cls: TrainingClass, day: dt.date) -> str:
    """'Venue time: China Time (GMT+8)': what the times in an answer refer to (Babel names)."""
    name, offset = _zone(cls.timezone, day, current_lang())
    # TRANSLATORS: {zone} is Babel's zone name ("Giờ Trung Quốc"), {offset} e.g. "GMT+8".
    return _("Venue time: {zone} ({offset})").format(zone=name, offset=offset)


def span(session: Session) -> str:
    """'07:30–09:00'."""
    return f"{clock(session.start)}–{clock(session.end)}"


def session_title(cls: TrainingClass, session: Session, topic: Topic | None, lang: str) -> str:
    """The session's title, or 'Topic 3: <title>' for a lecture on a known topic."""
    if topic is not None:
        return _("Topic {number}: {title}").format(
            number=topic.number, title=text_of(cls, topic.title, lang)
        )
    return text_of(cls, session.title, lang)


def mark(kind: SessionKind) -> str:
    """A small sign in front of ceremonies and departures."""
    if kind in (SessionKind.OPENING, SessionKind.CLOSING):
        return CEREMONY_MARK
    if kind.needs_departure:
        return VISIT_MARK
    return ""


def departure_line(cls: TrainingClass, session: Session, lang: str) -> str | None:
    """'Departure 13:15 from the hotel lobby', or what part of it is known."""
    place = text_of(cls, session.meeting_point, lang)
    if session.departure is not None and place:
        return _("Departure {time} from {place}").format(time=clock(session.departure), place=place)
    if session.departure is not None:
        return _("Departure {time}").format(time=clock(session.departure))
    if place:
        return _("Meeting point: {place}").format(place=place)
    return None


COMPACT_TITLE = 64
"""Characters of a title in one-line lists (the week); the whole title is one tap away."""


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return cut + "…"


def session_lines(
    cls: TrainingClass,
    session: Session,
    topics: Mapping[int, Topic],
    lang: str,
    *,
    compact: bool = False,
) -> list[str]:
    """One session: the time span and title, then (unless compact) its details indented.

    The compact form (week view) is one line; a visit's carries its bus time, not its
    meeting point (the same for most visits, and in the day's view one tap away).
    """
    topic = topics.get(session.topic_number) if session.topic_number is not None else None
    title = session_title(cls, session, topic, lang)
    if compact:
        title = shorten(title, COMPACT_TITLE)
    lines = [f"{span(session)} · {mark(session.kind)}{title}"]
    if compact:
        if session.kind.needs_departure and session.departure is not None:
            bus = _("bus {time}").format(time=clock(session.departure))
            lines[0] += f" · {bus}"
        return lines
    departure = departure_line(cls, session, lang) if session.kind.needs_departure else None
    lecturer = session.lecturer or (topic.lecturer if topic else "")
    if lecturer:
        lines.append(INDENT + _("Lecturer: {name}").format(name=lecturer))
    if session.venue:
        lines.append(INDENT + _("Venue: {place}").format(place=session.venue))
    if departure:
        lines.append(INDENT + departure)
    return lines


def departure_card(cls: TrainingClass, session: Session, lang: str) -> Reply:
    """The full card of a field visit or trip (reminders send it as it is).

    Title, date, departure and return times, meeting point (also as a map
    location when the session has coordinates), transport, dress code, what
    to bring and notes, with the venue-time label.
    """
    with use_lang(lang):
        title = text_of(cls, session.title, lang)
        place = text_of(cls, session.meeting_point, lang)
        lines = [day_text(session.day), venue_time_label(cls, session.day)]
        if session.departure is not None:
            lines.append(_("Departure: {time}").format(time=clock(session.departure)))
        if place:
            lines.append(_("Meeting point: {place}").format(place=place))
        lines.append(_("Programme: {span}").format(span=span(session)))
        if session.venue:
            lines.append(_("Venue: {place}").format(place=session.venue))
        if session.return_time is not None:
            lines.append(_("Return: about {time}").format(time=clock(session.return_time)))
        for label, value in (
            (_("Transport: {value}"), session.transport),
            (_("Dress code: {value}"), session.dress_code),
            (_("Please bring: {value}"), session.bring),
            (_("Notes: {value}"), session.notes),
        ):
            text = text_of(cls, value, lang)
            if text:
                lines.append(label.format(value=text))
        location = None
        if session.latitude is not None and session.longitude is not None:
            location = Location(
                session.latitude, session.longitude, title=place or title, address=session.venue
            )
        return Reply(
            blocks=(Block(lines=tuple(lines), title=mark(session.kind) + title),),
            location=location,
        )


def bring_card(cls: TrainingClass, session: Session, lang: str) -> Reply:
    """What to bring and wear for one visit, with when it leaves."""
    with use_lang(lang):
        lines = [day_text(session.day), venue_time_label(cls, session.day)]
        departure = departure_line(cls, session, lang)
        if departure:
            lines.append(departure)
        bring = text_of(cls, session.bring, lang)
        dress = text_of(cls, session.dress_code, lang)
        if bring:
            lines.append(_("Please bring: {value}").format(value=bring))
        if dress:
            lines.append(_("Dress code: {value}").format(value=dress))
        if not bring and not dress:
            lines.append(_("Nothing special to bring or wear is listed for this visit."))
        title = mark(session.kind) + text_of(cls, session.title, lang)
        return Reply(blocks=(Block(lines=tuple(lines), title=title),))


def meeting_card(cls: TrainingClass, session: Session, lang: str) -> Reply:
    """Where and when the bus leaves for one visit, with the map point when known."""
    full = departure_card(cls, session, lang)
    with use_lang(lang):
        place = text_of(cls, session.meeting_point, lang)
        lines = [day_text(session.day), venue_time_label(cls, session.day)]
        if session.departure is not None:
            lines.append(_("Departure: {time}").format(time=clock(session.departure)))
        lines.append(
            _("Meeting point: {place}").format(place=place)
            if place
            else _("The meeting point has not been announced yet.")
        )
        title = mark(session.kind) + text_of(cls, session.title, lang)
        return Reply(blocks=(Block(lines=tuple(lines), title=title),), location=full.location)


def _unit(delta: dt.timedelta, unit: Literal["day", "hour", "minute"]) -> str:
    """One duration in a single unit ('2 hours', '15 phút') by Babel."""
    return babel_dates.format_timedelta(
        delta, threshold=1e9, granularity=unit, format="long", locale=babel_locale()
    )


def format_duration(delta: dt.timedelta) -> str:
    """'2 hours 15 minutes', '3 days 4 hours', '5 minutes' (rounded up; active language)."""
    minutes = max(1, int(-(-delta.total_seconds() // 60)))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = _unit(dt.timedelta(days=days), "day")
        if hours:
            # TRANSLATORS: a duration such as "3 days 4 hours"; both parts come from Babel.
            text = _("{days} {hours}").format(
                days=text, hours=_unit(dt.timedelta(hours=hours), "hour")
            )
    elif hours:
        text = _unit(dt.timedelta(hours=hours), "hour")
        if mins:
            # TRANSLATORS: a duration such as "2 hours 15 minutes"; both parts come from Babel.
            text = _("{hours} {minutes}").format(
                hours=text, minutes=_unit(dt.timedelta(minutes=mins), "minute")
            )
    else:
        text = _unit(dt.timedelta(minutes=mins), "minute")
    return text


SPOKEN_NAMES: dict[str, str] = {"vi": N_("Vietnamese"), "lo": N_("Lao"), "en": N_("English")}
"""Language names in the reader's language ("tiếng Lào"), for interpreters and cards."""


def interpreter_line(cls: TrainingClass, extra: SessionExtra | None, lang: str) -> str | None:
    """'Interpreter: Ms Khamla (into Lao)', for readers whose language is not the lecture's."""
    if extra is None or not extra.interpreter:
        return None
    lecture = extra.lecture_lang or cls.default_lang
    if lang == lecture:
        return None
    into = extra.interpret_into
    if into is not None and into in SPOKEN_NAMES:
        language = _(SPOKEN_NAMES[into])
        return _("Interpreter: {name} (into {lang})").format(name=extra.interpreter, lang=language)
    return _("Interpreter: {name}").format(name=extra.interpreter)
