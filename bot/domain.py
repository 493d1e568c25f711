"""Domain objects: classes, people, topics, sessions and schedule versions.

Plain frozen dataclasses with no I/O. Times of a session are wall-clock times
local to the class's IANA time zone; instants (created_at, sent_at) are aware
UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

LANGS: tuple[str, ...] = ("vi", "lo", "en")
"""Languages the bot speaks, in the order they are offered."""

CLASS_ZONES: tuple[str, ...] = (
    "Asia/Ho_Chi_Minh",
    "Asia/Vientiane",
    "Asia/Shanghai",
    "Asia/Bangkok",
)
"""The time zones offered (as buttons) to a new class read from an organiser's programme."""


class Role(StrEnum):
    """A person's role in one class."""

    ADMIN = "admin"
    MANAGER = "manager"
    TRAINEE = "trainee"


class SessionKind(StrEnum):
    """What kind of slot a session is."""

    OPENING = "opening"
    CLOSING = "closing"
    LECTURE = "lecture"
    FIELD_VISIT = "field_visit"
    TRIP = "trip"
    SELF_STUDY = "self_study"
    BREAK = "break"
    OTHER = "other"

    @property
    def needs_departure(self) -> bool:
        """Field visits and trips leave from a meeting point at a set time."""
        return self in (SessionKind.FIELD_VISIT, SessionKind.TRIP)


class Channel(StrEnum):
    """A messenger a person is reached on."""

    TELEGRAM = "telegram"
    ZALO = "zalo"
    TERMINAL = "terminal"


Localized = Mapping[str, str]
"""Text per language code; may lack languages (see :func:`pick`)."""

EMPTY: Localized = MappingProxyType({})


def localized(values: Mapping[str, str | None] | None = None) -> Localized:
    """An immutable language → text map without empty entries."""
    if not values:
        return EMPTY
    return MappingProxyType({k: v.strip() for k, v in values.items() if v and v.strip()})


def pick(text: Localized, lang: str, fallback: str) -> str:
    """The text in ``lang``, else in ``fallback``, else in any language, else ''."""
    if lang in text:
        return text[lang]
    if fallback in text:
        return text[fallback]
    for code in LANGS:
        if code in text:
            return text[code]
    return next(iter(text.values()), "")


@dataclass(frozen=True, slots=True)
class TrainingClass:
    """One training class and its settings."""

    id: int
    code: str
    name: Localized
    timezone: str
    first_day: dt.date
    last_day: dt.date
    default_lang: str
    organiser: str = ""
    venue: str = ""
    reminder_time: dt.time = dt.time(6, 30)
    evening_notice_time: dt.time = dt.time(20, 0)
    departure_reminder_min: int = 30
    rollcall_report_min: int = 10
    live_version_id: int | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def title(self, lang: str) -> str:
        return pick(self.name, lang, self.default_lang) or self.code

    def days(self) -> list[dt.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(max(count, 0))]

    def local_now(self, now_utc: dt.datetime) -> dt.datetime:
        return now_utc.astimezone(self.tz)


@dataclass(frozen=True, slots=True)
class Topic:
    """A numbered lecture topic (chuyên đề) of a class."""

    number: int
    title: Localized
    block: Localized = field(default_factory=localized)
    """The part of the programme the topic belongs to ("Leadership skills"), per language."""
    lecturer: str = ""
    summary: Localized = field(default_factory=localized)


@dataclass(frozen=True, slots=True)
class Session:
    """One slot of the schedule, in the class's local time."""

    key: str
    day: dt.date
    start: dt.time
    end: dt.time
    kind: SessionKind
    title: Localized
    topic_number: int | None = None
    lecturer: str = ""
    venue: str = ""
    meeting_point: Localized = field(default_factory=localized)
    departure: dt.time | None = None
    return_time: dt.time | None = None
    transport: Localized = field(default_factory=localized)
    dress_code: Localized = field(default_factory=localized)
    bring: Localized = field(default_factory=localized)
    latitude: float | None = None
    longitude: float | None = None
    notes: Localized = field(default_factory=localized)
    id: int | None = field(default=None, compare=False)

    def starts_at(self, tz: ZoneInfo) -> dt.datetime:
        """The aware start instant in the class's time zone."""
        return dt.datetime.combine(self.day, self.start, tzinfo=tz)

    def departs_at(self, tz: ZoneInfo) -> dt.datetime | None:
        if self.departure is None:
            return None
        return dt.datetime.combine(self.day, self.departure, tzinfo=tz)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A class's full content as read from a file or a stored version."""

    cls: TrainingClass
    topics: tuple[Topic, ...]
    sessions: tuple[Session, ...]


@dataclass(frozen=True, slots=True)
class ScheduleVersion:
    """One imported version of a class's schedule."""

    id: int
    class_id: int
    number: int
    created_by: str
    created_at: dt.datetime
    source_name: str
    source_hash: str
    row_count: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class Identity:
    """A person's account on one channel."""

    channel: Channel
    external_id: str
    chat_id: str
    person_id: int
    reachable: bool = True
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A human being, possibly reachable on several channels."""

    id: int
    display_name: str
    lang: str | None = None
    active_class_id: int | None = None
    is_admin: bool = False
    last_channel: Channel | None = None
    remind: bool = True
    digest_time: dt.time | None = None
    quiet_start: dt.time = dt.time(22, 0)
    quiet_end: dt.time = dt.time(6, 0)


@dataclass(frozen=True, slots=True)
class Membership:
    """A person's role in a class."""

    class_id: int
    person_id: int
    role: Role
    joined_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Member:
    """A person together with their role in one class (for lists and audiences)."""

    person: Person
    role: Role
    reachable: bool
