"""A schedule as an iCalendar file (RFC 5545) that phones and Outlook import.

One ``VEVENT`` per session, its instants in UTC (``…Z``) so every calendar
shows them at the right local time; the title, venue and meeting point in
the class's default language. Text is escaped and lines folded at 75 octets.
"""

from __future__ import annotations

import datetime as dt

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


def _utc(day: dt.date, time: dt.time, cls: TrainingClass) -> str:
    instant = dt.datetime.combine(day, time, tzinfo=cls.tz).astimezone(dt.UTC)
    return instant.strftime("%Y%m%dT%H%M%SZ")


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
        f"DTSTART:{_utc(s.day, s.departure or s.start, cls)}",
        f"DTEND:{_utc(s.day, s.end, cls)}",
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
    ]
    for session in schedule.sessions:
        lines += _event(cls, session, stamp)
    lines.append("END:VCALENDAR")
    folded = [piece for line in lines for piece in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode()
