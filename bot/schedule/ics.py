"""A schedule as an iCalendar file (RFC 5545) that phones and Outlook import.

One ``VEVENT`` per session, its times given in the class's own time zone
(``DTSTART;TZID=Asia/Shanghai:…``) with a ``VTIMEZONE`` built from the IANA
data, so a phone shows the venue's time and converts it where it must; the
title, venue and meeting point in the class's default language. Text is
escaped and lines folded at 75 octets.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.domain import Schedule, Session, TrainingClass, pick

PRODID = "-//classbot//schedule export//EN"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets (continuations start with a space)."""
    pieces: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not pieces else 74
        if len((current + char).encode()) > limit:
            pieces.append(current)
            current = ""
        current += char
    pieces.append(current)
    return [pieces[0], *(" " + p for p in pieces[1:])]


def _local(day: dt.date, time: dt.time) -> str:
    return dt.datetime.combine(day, time).strftime("%Y%m%dT%H%M%S")


def _offset(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(tz: ZoneInfo, first: dt.date, last: dt.date) -> list[dt.datetime]:
    """UTC instants at which the zone's offset changes, from the year before to the year after."""
    start = dt.datetime(first.year - 1, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last.year + 1, 12, 31, tzinfo=dt.UTC)
    found: list[dt.datetime] = []
    day = start
    while day < end:
        nxt = day + dt.timedelta(days=1)
        if day.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
            low, high = day, nxt
            while high - low > dt.timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = mid
                else:
                    high = mid
            found.append(high.replace(second=0, microsecond=0))
        day = nxt
    return found


def _vtimezone(cls: TrainingClass) -> list[str]:
    """The zone's rules around the class's dates as explicit STANDARD/DAYLIGHT components."""
    tz = cls.tz
    start = dt.datetime(cls.first_day.year - 1, 1, 1, tzinfo=dt.UTC)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{cls.timezone}"]
    points = [start, *_transitions(tz, cls.first_day, cls.last_day)]
    for i, instant in enumerate(points):
        before = (instant - dt.timedelta(minutes=1)).astimezone(tz)
        after = instant.astimezone(tz)
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        offset_from = before.utcoffset() if i else after.utcoffset()
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{(instant + (offset_from or dt.timedelta())).strftime('%Y%m%dT%H%M%S')}",
            f"TZOFFSETFROM:{_offset(offset_from)}",
            f"TZOFFSETTO:{_offset(after.utcoffset())}",
            f"TZNAME:{after.tzname()}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def _event(cls: TrainingClass, s: Session, stamp: str) -> list[str]:
    lang = cls.default_lang
    where = s.venue or pick(s.meeting_point, lang, lang)
    notes = [pick(s.notes, lang, lang)]
    if s.lecturer:
        notes.insert(0, s.lecturer)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_escape(cls.code)}-{_escape(s.key)}@classbot",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={cls.timezone}:{_local(s.day, s.departure or s.start)}",
        f"DTEND;TZID={cls.timezone}:{_local(s.day, s.end)}",
        f"SUMMARY:{_escape(pick(s.title, lang, lang))}",
    ]
    if where:
        lines.append(f"LOCATION:{_escape(where)}")
    description = "\n".join(n for n in notes if n)
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    if s.latitude is not None and s.longitude is not None:
        lines.append(f"GEO:{s.latitude:.6f};{s.longitude:.6f}")
    lines.append("END:VEVENT")
    return lines


def to_ics(schedule: Schedule) -> bytes:
    """The schedule as an ``.ics`` file (UTF-8, CRLF line ends)."""
    cls = schedule.cls
    stamp = dt.datetime.combine(cls.first_day, dt.time(0), tzinfo=dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(cls.title(cls.default_lang))}",
        f"X-WR-TIMEZONE:{cls.timezone}",
        *_vtimezone(cls),
    ]
    for session in schedule.sessions:
        lines += _event(cls, session, stamp)
    lines.append("END:VCALENDAR")
    folded = [piece for line in lines for piece in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode()
