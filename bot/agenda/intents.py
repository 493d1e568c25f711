"""Understanding a trainee's message: slash commands and plain words in vi, lo and en.

One parser for every channel (Zalo has no slash commands; Telegram has both); channels
call it through :func:`bot.agenda.assistant.understand`, which gives it the class's dates
and schedule. The words of each question are in :mod:`bot.agenda.phrases`; here they are
weighed: a weekday form before any date, a date inside the class before one outside it,
the visit or topic the question names (:mod:`bot.agenda.matching`), then what is asked
about it, courtesies last.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.agenda import phrases
from bot.agenda.matching import Found, ScheduleIndex, edit_distance
from bot.agenda.phrases import normalize as normalize  # re-exported: the one normalisation
from bot.domain import Session, SessionKind


class IntentKind(StrEnum):
    """What the person asked for."""

    TODAY = "today"
    TOMORROW = "tomorrow"
    DAY = "day"
    WEEK = "week"
    NEXT = "next"
    TOPICS = "topics"
    TOPIC = "topic"
    VISITS = "visits"
    BRING = "bring"
    MEETING = "meeting"
    OPENING = "opening"
    CLOSING = "closing"
    HELP = "help"
    LANG = "lang"
    MYCLASS = "myclass"
    CLASS = "class"
    COUNTDOWN = "countdown"
    RETURN = "return"
    LECTURERS = "lecturers"
    START = "start"
    WHERE = "where"
    SESSION = "session"
    SETLANG = "setlang"
    ABOUT = "about"
    GREETING = "greeting"
    THANKS = "thanks"
    ACK = "ack"
    BYE = "bye"


SMALL_TALK = frozenset({IntentKind.GREETING, IntentKind.THANKS, IntentKind.ACK, IntentKind.BYE})
"""Courtesies: answered briefly, whether or not the person has joined a class."""


@dataclass(frozen=True, slots=True)
class Intent:
    """A parsed request and its details.

    ``day``: the day for DAY, any day of the week for WEEK, and for BRING, MEETING and
    VISITS the day whose visits are asked about (None: the next or all upcoming ones).
    ``number``: the topic for TOPIC; for VISITS, how many of the upcoming visits (1 for
    "the next visit", None for all).
    ``session``: the session a question names by its place, title or lecturer ("đi Quảng
    Ninh cần mang gì": the Quảng Ninh trip's key), for BRING, MEETING, RETURN and SESSION.
    ``lang``: the language asked for by SETLANG ("answer in Vietnamese").
    """

    kind: IntentKind
    day: dt.date | None = None
    number: int | None = None
    unread: str | None = None
    """A command's argument that could not be read as a day ("/day 40/7"): say so."""
    session: str | None = None
    lang: str | None = None


COMMANDS: dict[str, IntentKind] = {
    "today": IntentKind.TODAY,
    "tomorrow": IntentKind.TOMORROW,
    "day": IntentKind.DAY,
    "week": IntentKind.WEEK,
    "next": IntentKind.NEXT,
    "topics": IntentKind.TOPICS,
    "topic": IntentKind.TOPIC,
    "visits": IntentKind.VISITS,
    "bring": IntentKind.BRING,
    "meeting": IntentKind.MEETING,
    "help": IntentKind.HELP,
    "lang": IntentKind.LANG,
    "language": IntentKind.LANG,
    "myclass": IntentKind.MYCLASS,
    "class": IntentKind.CLASS,
}
"""Slash commands (without '/') and what they ask."""

MAX_QUESTION = 300
"""Characters of a message that are parsed: a question is short; a pasted text is not one."""

Span = tuple[dt.date, dt.date]
"""A class's first and last day."""


def _pick(found: list[dt.date], today: dt.date, span: Span | None) -> dt.date | None:
    """Of the dates a question may mean, one inside the class if any, else the nearest today."""
    if not found:
        return None
    inside = [d for d in found if span and span[0] <= d <= span[1]]
    return min(inside or found, key=lambda d: abs((d - today).days))


def _nearest(
    today: dt.date, month: int, day: int, year: int | None, span: Span | None = None
) -> dt.date | None:
    """The date with that day and month (in ``year``, else in the class, else nearest today)."""
    years = [year] if year is not None else [today.year, today.year + 1, today.year - 1]
    found: list[dt.date] = []
    for y in years:
        try:
            found.append(dt.date(y, month, day))
        except ValueError:
            continue
    return _pick(found, today, span)


def _day_of_month(today: dt.date, day: int, span: Span | None) -> dt.date | None:
    """'ngày 20': the 20th of a month of the class, else of today's month."""
    months = {(today.year, today.month)}
    if span:
        cursor = span[0].replace(day=1)
        while cursor <= span[1]:
            months.add((cursor.year, cursor.month))
            cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    found: list[dt.date] = []
    for y, m in months:
        try:
            found.append(dt.date(y, m, day))
        except ValueError:
            continue
    return _pick(found, today, span)


def _explicit_date(text: str, lao: str, today: dt.date, span: Span | None) -> dt.date | None:
    if m := phrases.ISO_DATE.search(text):
        return _nearest(today, int(m[2]), int(m[3]), int(m[1]), span)
    if m := phrases.NUM_DATE.search(text):
        year = int(m[3]) if m[3] else None
        if year is not None and year < 100:
            year += 2000
        return _nearest(today, int(m[2]), int(m[1]), year, span)
    vi_month = re.search(r"\b(\d{1,2})\s+thang\s+(\d{1,2})\b", text)
    if vi_month:
        return _nearest(today, int(vi_month[2]), int(vi_month[1]), None, span)
    months, english, lao_months = phrases.month_patterns()
    if m := english.search(phrases.VI_MAY.sub("mấy", text)):
        return _nearest(today, months[m[2] or m[3]], int(m[1] or m[4]), None, span)
    if m := lao_months.search(lao):
        return _nearest(today, months[m[2]], int(m[1]), None, span)
    m = (
        phrases.DAY_OF_MONTH.search(text)
        or phrases.DAY_OF_MONTH_LAO.search(lao)
        or phrases.ORDINAL.search(text)
    )
    if m:
        return _day_of_month(today, int(m[1]), span)
    return None


def _weekday(text: str, lao: str) -> tuple[int, str] | None:
    """The weekday named and the text without it ("thứ 6" is never the 6th of a month)."""
    if m := phrases.VI_WEEKDAY.search(text):
        number = 6 if m[3] else phrases.VI_WEEKDAYS[m[1] or m[2]]
        return number, text[: m.start()] + " " + text[m.end() :]
    if m := phrases.EN_WEEKDAY.search(text):
        return phrases.EN_WEEKDAYS[m[0]], text
    for name, number in phrases.LAO_WEEKDAYS_LONGEST_FIRST:
        if name in lao:
            return number, text
    return None


_DAY_ARGUMENT = frozenset(
    {IntentKind.DAY, IntentKind.WEEK, IntentKind.BRING, IntentKind.MEETING, IntentKind.VISITS}
)
"""Commands that take a day: /day 15/7, /week 22/7, /bring saturday, /visits tomorrow."""


def _command(text: str, today: dt.date, raw: str, span: Span | None) -> Intent | None:
    """A slash command in normalised ``text``; ``raw`` is the message as written."""
    head, _sep, rest = text[1:].partition(" ")
    kind = COMMANDS.get(head.partition("@")[0])
    if kind is None:
        return None
    arg = rest.strip()
    if kind is IntentKind.TOPIC:
        m = re.match(r"(\d{1,3})\b", arg)
        return Intent(IntentKind.TOPIC, number=int(m[1])) if m else Intent(IntentKind.TOPICS)
    if kind in _DAY_ARGUMENT and arg:
        named = _named_day(arg, arg.replace(" ", ""), today, next_week=False, span=span)
        if named is None:
            return Intent(kind, unread=raw.strip().partition(" ")[2].strip())
        return Intent(kind, day=named[1])
    if kind is IntentKind.DAY:
        return Intent(IntentKind.TODAY)
    return Intent(kind)


def _upcoming(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def _named_day(
    norm: str, lao: str, today: dt.date, *, next_week: bool, span: Span | None = None
) -> tuple[IntentKind, dt.date] | None:
    """The day a question names, as (DAY, date), (TOMORROW, date) or (TODAY, date).

    A weekday form ("thứ 6", "t6", "cn": before any date, so that the 6 is no day of
    May), a date (inside the class when one fits), the day after tomorrow, yesterday;
    then tomorrow and today, unless it asks about next week.
    """
    weekday = _weekday(norm, lao)
    rest = weekday[1] if weekday else norm
    if (day := _explicit_date(rest, lao, today, span)) is not None:
        return IntentKind.DAY, day
    if weekday is not None:
        if next_week:
            monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
            return IntentKind.DAY, monday + dt.timedelta(days=weekday[0])
        upcoming = _upcoming(today, weekday[0])
        if upcoming == today and (
            phrases.NEXT_WEEKDAY.search(norm) or phrases.NEXT_WEEKDAY_LAO.search(lao)
        ):
            upcoming += dt.timedelta(days=7)  # "next Wednesday" on a Wednesday
        return IntentKind.DAY, upcoming
    if phrases.DAY_AFTER.search(norm) or "ມື້ຮື" in lao:
        return IntentKind.DAY, today + dt.timedelta(days=2)
    if phrases.YESTERDAY.search(norm) or "ມື້ວານ" in lao:
        return IntentKind.DAY, today - dt.timedelta(days=1)
    if next_week:
        return None
    if phrases.TOMORROW.search(norm) or "ມື້ອື່ນ" in lao:
        return IntentKind.TOMORROW, today + dt.timedelta(days=1)
    if phrases.TODAY.search(norm) or phrases.has(lao, phrases.TODAY_LAO):
        return IntentKind.TODAY, today
    return None


def _fix_typos(norm: str, extra: frozenset[str] = frozenset()) -> str:
    """Words one edit away from exactly one word the parser knows, put right ("lcih" → "lich")."""
    known = phrases.KNOWN | extra
    words = norm.split()
    changed = False
    for i, w in enumerate(words):
        w = phrases.SYNONYMS.get(w, w)
        words[i] = w
        if len(w) < 4 or not w.isascii() or not w.isalpha() or w in known:
            continue
        close = [k for k in known if len(k) >= 4 and edit_distance(w, k) <= 1]
        # Of several, the parser's own word, then the one sharing the longest start, then
        # the one of the same length; two words of the schedule alike are left alone.
        ranked = sorted(
            (-(k in phrases.KNOWN), -_common_start(w, k), abs(len(k) - len(w)), k) for k in close
        )
        if ranked and (len(ranked) == 1 or ranked[0][:3] != ranked[1][:3] or ranked[1][0]):
            words[i] = ranked[0][3]
            changed = True
    return " ".join(words) if changed or words != norm.split() else norm


def _common_start(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _matches(pattern: re.Pattern[str], lao_words: tuple[str, ...], norm: str, lao: str) -> bool:
    return bool(pattern.search(norm)) or phrases.has(lao, lao_words)


def _setlang(norm: str, lao: str) -> str | None:
    if m := phrases.SETLANG.search(norm):
        groups = m.groups()
        for index, code in enumerate(("vi", "lo", "en", "vi", "lo", "en")):
            if groups[index]:
                return code
    if phrases.has(lao, phrases.SETLANG_LAO_CUE):
        for code, words in phrases.SETLANG_LAO.items():
            if phrases.has(lao, words):
                return code
    return None


def _courtesy(norm: str, lao: str) -> IntentKind | None:
    if len(norm.split()) > phrases.COURTESY_ONLY:
        return None
    for pattern, words, kind in (
        (phrases.THANKS, phrases.THANKS_LAO, IntentKind.THANKS),
        (phrases.BYE, phrases.BYE_LAO, IntentKind.BYE),
        (phrases.GREETING, phrases.GREETING_LAO, IntentKind.GREETING),
    ):
        if _matches(pattern, words, norm, lao):
            return kind
    rest = lao
    for word in sorted(phrases.ACK_LAO, key=len, reverse=True):
        rest = rest.replace(word, "")
    if phrases.ACK.match(norm) or (rest != lao and not rest):
        return IntentKind.ACK
    return None


def _visit_key(
    found: Found | None,
    kind: IntentKind,
    today: dt.date,
    day: dt.date | None = None,
) -> str | None:
    """The session a question names, for ``kind``.

    Bring, meeting and return: a visit not yet past (on ``day`` if one is named); the
    return of a trip of several days is its last day's. Otherwise the first session not yet
    past, a visit before anything else sharing its words.
    """
    if found is None:
        return None
    sessions = found.sessions
    if kind in (IntentKind.BRING, IntentKind.MEETING, IntentKind.RETURN):
        sessions = [s for s in sessions if s.kind.needs_departure and s.day >= today]
        if day is not None:
            sessions = [s for s in sessions if s.day == day]
        if not sessions:
            return None
    if not sessions:
        return None
    ahead = [s for s in sessions if s.day >= today] or sessions
    if kind is IntentKind.RETURN:
        back = [s for s in ahead if s.return_time is not None] or ahead
        return back[-1].key
    visits = [s for s in ahead if s.kind.needs_departure]
    return (visits or ahead)[0].key


def _ceremony_key(index: ScheduleIndex | None, norm: str, lao: str, today: dt.date) -> str | None:
    """The ceremony a question names ("mặc gì hôm bế giảng"), not yet past, as a session key."""
    if index is None:
        return None
    for pattern, words, kind in (
        (phrases.CLOSING, phrases.CLOSING_LAO, SessionKind.CLOSING),
        (phrases.OPENING, phrases.OPENING_LAO, SessionKind.OPENING),
    ):
        if _matches(pattern, words, norm, lao):
            return next(
                (s.key for s in _all_sessions(index) if s.kind is kind and s.day >= today), None
            )
    return None


def _all_sessions(index: ScheduleIndex) -> list[Session]:
    """Every session of the class's schedule, in time order."""
    found = {s.key: s for e in index.entries for s in e.sessions}
    return sorted(found.values(), key=lambda s: (s.day, s.start))


def _trip_home(index: ScheduleIndex | None, today: dt.date) -> Session | None:
    """The trip that brings the class back ("hôm nào về lại Hà Nội"): the first one ahead,
    its last day's session (the one with the return time) when it has several."""
    if index is None:
        return None
    trips = [s for s in _all_sessions(index) if s.kind is SessionKind.TRIP and s.day >= today]
    back = [s for s in trips if s.return_time is not None]
    ahead = back or trips
    return ahead[0] if ahead else None


def _by_key(found: Found | None, index: ScheduleIndex | None, key: str) -> Session | None:
    sessions = found.sessions if found is not None else []
    if index is not None:
        sessions = sessions + _all_sessions(index)
    return next((s for s in sessions if s.key == key), None)


def parse(
    text: str,
    today: dt.date,
    *,
    span: Span | None = None,
    index: ScheduleIndex | None = None,
) -> Intent | None:
    """What ``text`` asks for, with dates relative to ``today`` (the class's local date).

    With the class's ``span`` (first and last day), a date that could be in several
    months or years is read as the one inside the class, when one fits. With its
    schedule ``index``, the places, titles and lecturers a question names resolve to
    their session or topic ("đi Quảng Ninh cần mang gì": the Quảng Ninh trip).
    Returns None when the text is not understood; the channel then answers with help.
    """
    norm = normalize(text[:MAX_QUESTION])
    if not norm:
        return None
    if norm.startswith("/"):
        return _command(norm, today, text[:MAX_QUESTION], span)
    norm = phrases.MENTION.sub("", norm).strip()  # "@classbot hôm nay" in a group
    norm = _fix_typos(norm, index.vocabulary if index else frozenset())
    found: Found | None = None
    topical = False
    if index is not None:
        bare = norm.replace(" ", "")
        for word in phrases.LAO_KEYWORDS:  # "#": never in the schedule's text (which uses "|")
            bare = bare.replace(word, "#")
        topical = _matches(phrases.TOPICAL, phrases.TOPICS_LAO, norm, norm.replace(" ", ""))
        found = index.find(phrases.flights(norm), bare, phrases.KNOWN, topical=topical)
        if found is not None and found.by_lecturer:  # "cô Mai" is no "mai" (tomorrow)
            norm = " ".join(norm.replace(found.by_lecturer, " ").split())
    lao = norm.replace(" ", "")
    short = len(norm.split()) <= 4
    if phrases.GREETING_FIRST.search(norm) and short:
        return Intent(IntentKind.GREETING)
    if short and _matches(phrases.BYE, phrases.BYE_LAO, norm, lao):  # "see you tomorrow"
        return Intent(IntentKind.BYE)
    if phrases.THANKS_FOR.search(norm):  # "thanks for your help" is no call for help
        return Intent(IntentKind.THANKS)
    if (m := phrases.TOPIC_N.search(norm)) or (m := phrases.TOPIC_N_LAO.search(lao)):
        return Intent(IntentKind.TOPIC, number=int(m[1]))
    if (code := _setlang(norm, lao)) is not None:
        return Intent(IntentKind.SETLANG, lang=code)
    next_week = _matches(phrases.NEXT_WEEK, phrases.NEXT_WEEK_LAO, norm, lao)
    named = _named_day(norm, lao, today, next_week=next_week, span=span)
    day = named[1] if named else None
    if _matches(phrases.COUNTDOWN, phrases.COUNTDOWN_LAO, norm, lao):
        return Intent(IntentKind.COUNTDOWN)
    # What to bring, where the bus leaves, when we return: for the visit named, or that
    # day's visit, else the next one.
    for pattern, words, kind in (
        (phrases.BRING, phrases.BRING_LAO, IntentKind.BRING),
        (phrases.MEETING, phrases.MEETING_LAO, IntentKind.MEETING),
    ):
        going = kind is IntentKind.MEETING and bool(phrases.MEETING_LAO_GO.search(lao))
        if going or _matches(pattern, words, norm, lao):
            key = _visit_key(found, kind, today, day)
            if key is None and (ceremony := _ceremony_key(index, norm, lao, today)) is not None:
                return Intent(kind, session=ceremony)  # what to wear to the closing ceremony
            return Intent(kind, day=day, session=key)
    if phrases.RETURN.search(norm) or phrases.RETURN_LAO.search(lao):
        key = _visit_key(found, IntentKind.RETURN, today, day)
        which_day = _matches(phrases.WHICH_DAY, phrases.WHICH_DAY_LAO, norm, lao)
        if key is None and day is None and which_day:
            home = _trip_home(index, today)  # "which day do we come back": the trip's
            key = home.key if home is not None else None
        back = _by_key(found, index, key) if key is not None else None
        home_trip = back is not None and back.kind is SessionKind.TRIP
        if which_day and home_trip and back is not None and back.return_time is None:
            return Intent(IntentKind.SESSION, session=key)  # the journey home itself
        return Intent(IntentKind.RETURN, day=day, session=key)
    if _matches(phrases.CLOSING, phrases.CLOSING_LAO, norm, lao) and named is None:
        return Intent(IntentKind.CLOSING)
    if _matches(phrases.OPENING, phrases.OPENING_LAO, norm, lao) and named is None:
        return Intent(IntentKind.OPENING)
    if found is not None:
        if (topic := found.topic) is not None:
            return Intent(IntentKind.TOPIC, number=topic.number)
        if (key := _visit_key(found, IntentKind.SESSION, today)) is not None:
            lecture = _by_key(found, index, key)
            if topical and lecture is not None and lecture.topic_number is not None:
                return Intent(IntentKind.TOPIC, number=lecture.topic_number)  # "which topic"
            return Intent(IntentKind.SESSION, session=key)
    if _matches(phrases.DAY_END, phrases.DAY_END_LAO, norm, lao):
        when = day or today
        return Intent(IntentKind.DAY, day=when) if when != today else Intent(IntentKind.TODAY)
    for pattern, words, kind in (
        (phrases.LECTURERS, phrases.LECTURERS_LAO, IntentKind.LECTURERS),
        (phrases.START, phrases.START_LAO, IntentKind.START),
        (phrases.WHERE, phrases.WHERE_LAO, IntentKind.WHERE),
    ):
        lao_who = kind is IntentKind.LECTURERS and bool(phrases.LECTURERS_LAO_WHO.search(lao))
        if lao_who or _matches(pattern, words, norm, lao):
            return Intent(kind, day=None if day == today else day)
    if _matches(phrases.GOING, phrases.GOING_LAO, norm, lao) or (
        named is not None and _matches(phrases.VISITS, phrases.VISITS_LAO, norm, lao)
    ):
        if named is None and _matches(phrases.NEXT, phrases.NEXT_LAO, norm, lao):
            return Intent(IntentKind.VISITS, number=1)
        return Intent(IntentKind.VISITS, day=day)
    if named is not None:
        kind, when = named
        return Intent(kind, day=when) if kind is IntentKind.DAY else Intent(kind)
    if next_week:
        return Intent(IntentKind.WEEK, day=today + dt.timedelta(days=7))
    if phrases.WEEK.search(norm) or phrases.has(lao.replace("ວັນອາທິດ", ""), phrases.WEEK_LAO):
        return Intent(IntentKind.WEEK)
    for pattern, words, kind in (
        (phrases.VISITS, phrases.VISITS_LAO, IntentKind.VISITS),
        (phrases.NEXT, phrases.NEXT_LAO, IntentKind.NEXT),
        (phrases.TOPICS, phrases.TOPICS_LAO, IntentKind.TOPICS),
        (phrases.CLASS, phrases.CLASS_LAO, IntentKind.CLASS),
        (phrases.MYCLASS, phrases.MYCLASS_LAO, IntentKind.MYCLASS),
        (phrases.LANG, phrases.LANG_LAO, IntentKind.LANG),
        (phrases.ABOUT, phrases.ABOUT_LAO, IntentKind.ABOUT),
        (phrases.HELP, phrases.HELP_LAO, IntentKind.HELP),
        (phrases.SCHEDULE, phrases.SCHEDULE_LAO, IntentKind.TODAY),
    ):
        if _matches(pattern, words, norm, lao):
            if kind is IntentKind.VISITS and (
                _matches(phrases.NEXT, phrases.NEXT_LAO, norm, lao)
                or _matches(phrases.WHEN, phrases.WHEN_LAO, norm, lao)
            ):
                return Intent(kind, number=1)  # "when is the next visit": that one only
            return Intent(kind)
    if (courtesy := _courtesy(norm, lao)) is not None:
        return Intent(courtesy)
    return None
