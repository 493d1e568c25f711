"""Expected dates, durations and zone names, built with Babel the way the bot asks for them.

Weekday and month names, date patterns, durations and time-zone names come from CLDR, and
Babel releases reword them (2.19: Vietnamese "Th 2" → "Thứ 2", "1 giờ" → "1 tiếng"). Tests
build those parts here, with the same patterns as bot/i18n.py and bot/cards.py, and keep
exact literals only for our own wording, so they pass on any Babel the lock may move to.
"""

from __future__ import annotations

import datetime as dt
import re

from babel import dates as babel_dates

LOCALES = {"vi": "vi_VN", "lo": "lo_LA", "en": "en"}


def day(value: dt.date, lang: str) -> str:
    """The full date: 'Monday, July 15, 2024' (format_day, day_text)."""
    return babel_dates.format_date(value, "full", locale=LOCALES[lang])


def short_day(value: dt.date, lang: str) -> str:
    """The compact weekday and date of buttons and lists: 'Mon, Jul 15' (format_day_short)."""
    return babel_dates.format_skeleton("MMMEd", value, locale=LOCALES[lang])


def date_range(first: dt.date, last: dt.date, lang: str) -> str:
    """The locale's interval of two dates: 'Jul 15 – 19, 2024' (cards.date_range)."""
    return babel_dates.format_interval(first, last, "yMMMd", locale=LOCALES[lang])


def _unit(delta: dt.timedelta, unit: str, lang: str) -> str:
    return babel_dates.format_timedelta(
        delta, threshold=1e9, granularity=unit, format="long", locale=LOCALES[lang]
    )


def duration(lang: str, *, days: int = 0, hours: int = 0, minutes: int = 0) -> str:
    """A countdown such as '2 hours 15 minutes' (cards.format_duration).

    Each unit is Babel's; joining two with a space is our wording ("{hours} {minutes}",
    "{days} {hours}" in every catalog).
    """
    parts = [
        _unit(dt.timedelta(days=days), "day", lang) if days else "",
        _unit(dt.timedelta(hours=hours), "hour", lang) if hours else "",
        _unit(dt.timedelta(minutes=minutes), "minute", lang) if minutes else "",
    ]
    return " ".join(part for part in parts if part)


def delta(value: dt.timedelta, lang: str) -> str:
    """A rounded duration in words: '35 minutes' (i18n.format_delta)."""
    return babel_dates.format_timedelta(
        value, threshold=1.5, granularity="minute", locale=LOCALES[lang]
    )


def zone(tz: str, lang: str, on: dt.date = dt.date(2024, 7, 15)) -> str:
    """A venue's zone as labelled: 'Vietnam Time (GMT+7)' (cards.venue_time_label).

    The name and the offset are Babel's; "{zone} ({offset})" is our wording.
    """
    zoneinfo = babel_dates.get_timezone(tz)
    name = babel_dates.get_timezone_name(zoneinfo, "long", locale=LOCALES[lang])
    noon = dt.datetime.combine(on, dt.time(12), tzinfo=zoneinfo)
    offset = babel_dates.get_timezone_gmt(noon, "long", locale=LOCALES[lang])
    offset = re.sub(r"([+-])0?(\d{1,2}):00\b", r"\1\2", offset)
    return f"{name.replace(chr(0x200B), '')} ({offset})"


def instant(value: dt.datetime, tz: str, lang: str) -> str:
    """An aware instant as short date and time in the zone ``tz`` (i18n.format_instant)."""
    local = value.astimezone(babel_dates.get_timezone(tz))
    return babel_dates.format_datetime(local, "short", tzinfo=local.tzinfo, locale=LOCALES[lang])
