"""The one strict parser of button data (Telegram callback data, Zalo numbered choices).

Every button the bot emits has a fixed shape, listed in :data:`PATTERNS`:
literal words, bounded integers (ids), calendar dates within
:data:`FIRST_DAY` … :data:`LAST_DAY`, a choice from a fixed set, or a
short session key. :func:`parse` accepts exactly those shapes and returns
``None`` for anything else (unknown prefix, wrong number of fields, an
integer out of range, an impossible or far-off date, junk), so no handler
ever sees data it has to guard against: an unparsable tap is answered
"this button is no longer active" and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.domain import CLASS_ZONES, LANGS, Role

MAX_DATA_BYTES = 64
"""Telegram's limit for callback data; longer data was never emitted by us."""
MAX_ID = 2**31 - 1
"""Database ids (classes, people, invites, announcements, uploads) fit in 31 bits."""
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
"""The dates a button may carry (a class's day ± navigation stays well inside)."""

_INT = re.compile(r"[1-9][0-9]{0,9}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_KEY = re.compile(r"[^:\s][^:\x00-\x1f]{0,47}")

Value = int | str | dt.date


class Field:
    """One ``:``-separated part of button data."""

    def read(self, text: str) -> Value | None:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Word(Field):
    """A literal word (part of the pattern's name, not a value)."""

    word: str

    def read(self, text: str) -> Value | None:
        return text if text == self.word else None


@dataclass(frozen=True, slots=True)
class Id(Field):
    """A positive integer up to :data:`MAX_ID`."""

    def read(self, text: str) -> Value | None:
        if not _INT.fullmatch(text):
            return None
        value = int(text)
        return value if value <= MAX_ID else None


@dataclass(frozen=True, slots=True)
class Day(Field):
    """An ISO date between :data:`FIRST_DAY` and :data:`LAST_DAY`."""

    def read(self, text: str) -> Value | None:
        if not _DATE.fullmatch(text):
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
        return day if FIRST_DAY <= day <= LAST_DAY else None


@dataclass(frozen=True, slots=True)
class Choice(Field):
    """One of a fixed set of words."""

    options: tuple[str, ...]

    def read(self, text: str) -> Value | None:
        return text if text in self.options else None


@dataclass(frozen=True, slots=True)
class Key(Field):
    """A schedule session key (no ``:`` nor control characters, at most 48), or ``#<hash>``."""

    def read(self, text: str) -> Value | None:
        return text if _KEY.fullmatch(text) else None


@dataclass(frozen=True, slots=True)
class Answers(Field):
    """The column mapping's answers so far (issue 12): one letter per field (``a`` the first
    column), ``-`` for none, a final ``.`` for "preview now"; at most ``size``."""

    size: int

    def read(self, text: str) -> Value | None:
        if not 1 <= len(text) <= self.size or "." in text[:-1]:
            return None
        return text if all(c in "abcdefghijklmnopqrstuvwxyz-." for c in text) else None


ID, DAY, KEY = Id(), Day(), Key()
MAP_FIELDS = 7
""":data:`bot.schedule.mapping.FIELDS`' length (a test keeps them equal)."""
ROLES = tuple(r.value for r in Role)
AUDIENCES = ("class", "trainees", "managers")
""":class:`bot.announcements.publish.Audience` values (a test keeps them equal)."""
STARS = ("1", "2", "3", "4", "5")
"""A rating or a scale answer of the evaluation form."""
EXPORT_FORMATS = ("xlsx", "csv", "ics")
""":data:`bot.people.members.EXPORT_FORMATS` (a test keeps them equal)."""


@dataclass(frozen=True, slots=True)
class Pattern:
    """A button shape: its name (``prefix`` or ``prefix:word``) and its fields."""

    fields: tuple[Field, ...]

    @property
    def prefix(self) -> str:
        first = self.fields[0]
        assert isinstance(first, Word)
        return first.word

    @property
    def name(self) -> str:
        words = [f.word for f in self.fields if isinstance(f, Word)]
        return ":".join(words)


def _p(prefix: str, *fields: Field | str) -> Pattern:
    return Pattern((Word(prefix), *(Word(f) if isinstance(f, str) else f for f in fields)))


PATTERNS: tuple[Pattern, ...] = (
    # Everyone's buttons (routed by bot.actions).
    _p("day", ID, DAY),
    _p("lang", Choice(LANGS)),
    _p("class", ID),
    _p("ack", ID),
    _p("remind", Choice(("on", "off"))),
    _p("checkin", ID, KEY, DAY),
    _p("rollcall", ID, KEY, DAY),
    _p("mark", ID, KEY, DAY, ID),
    # Attendance and evaluation (issue 17; bot.attendance, bot.evaluation).
    _p("att", "in", ID, KEY, DAY),
    _p("att", "ls", ID, KEY, DAY),
    _p("att", "mk", ID, KEY, DAY, ID, "p"),
    _p("rate", ID, KEY, DAY, Choice(STARS)),
    _p("rate", "c", ID, KEY, DAY),
    _p("ev", ID, ID, Choice((*STARS, "skip"))),
    _p("ev", ID, "go"),
    _p("sheet", Choice(("ok", "no")), ID),
    # The assistant's short answers (bot.agenda.briefs, bot.agenda.assistant, issue 15).
    _p("visit", ID, KEY),
    _p("help", "all"),
    # Organisers' buttons (bot.handlers.admin).
    _p("upl", Choice(("ok", "no")), ID),
    _p("inv", "new", ID, Choice(ROLES)),
    _p("inv", "list", ID),
    _p("inv", "rv", ID),
    _p("exp", ID, Choice(EXPORT_FORMATS)),
    # An organiser's own programme (issue 12, bot.schedule.mapping, bot.schedule.newclass).
    _p("map", ID, Answers(MAP_FIELDS)),
    _p("ncl", Choice(("name", "dates", "cancel"))),
    _p("ncl", "tz", Choice(CLASS_ZONES)),
    _p("ncl", "lang", Choice(LANGS)),
    # The /broadcast conversation (bot.handlers.broadcast).
    _p("bcast", "class", ID),
    _p("bcast", "lang", Choice((*LANGS, "none"))),
    _p("bcast", "aud", Choice(AUDIENCES)),
    _p("bcast", Choice(("ack", "send", "cancel"))),
    # The pocket (bot.pocket.actions): the trainees list, matching, export, materials, picture.
    _p("pkr", Choice(("ok", "no")), ID),
    _p("pkm", ID),
    _p("pkm", ID, ID),
    _p("pkm", ID, ID, ID),
    _p("pkx", ID),
    _p("pka", ID, ID),
    _p("pkw", ID, DAY),
)


def prefixes() -> set[str]:
    """The prefixes (without ``:``) of every button shape."""
    return {p.prefix for p in PATTERNS}


@dataclass(frozen=True, slots=True)
class Parsed:
    """Button data that matched a pattern: the pattern's name and its values (words left out)."""

    name: str
    values: tuple[Value, ...]
    data: str

    @property
    def prefix(self) -> str:
        return self.name.split(":", 1)[0]

    @property
    def rest(self) -> str:
        """The data after the prefix and its ``:``."""
        return self.data.split(":", 1)[1]

    def number(self, index: int) -> int:
        value = self.values[index]
        assert isinstance(value, int)
        return value

    def word(self, index: int) -> str:
        value = self.values[index]
        assert isinstance(value, str)
        return value

    def date(self, index: int) -> dt.date:
        value = self.values[index]
        assert isinstance(value, dt.date)
        return value


def _match(pattern: Pattern, parts: list[str]) -> tuple[Value, ...] | None:
    if len(parts) != len(pattern.fields):
        return None
    values: list[Value] = []
    for field, text in zip(pattern.fields, parts, strict=True):
        value = field.read(text)
        if value is None:
            return None
        if not isinstance(field, Word):
            values.append(value)
    return tuple(values)


def parse(data: str | None) -> Parsed | None:
    """The button ``data`` stands for, or None when it is not one the bot emits."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_DATA_BYTES:
        return None
    parts = data.split(":")
    for pattern in PATTERNS:
        if pattern.prefix != parts[0]:
            continue
        values = _match(pattern, parts)
        if values is not None:
            return Parsed(pattern.name, values, data)
    return None
