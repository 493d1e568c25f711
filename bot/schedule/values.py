"""Turning cell values into dates, times and numbers, as organisers type them in Excel.

Each parser returns ``None`` when the value cannot be read; the caller reports
where. Excel stores dates as day serials from 1899-12-30 and times as
fractions of a day; text dates are day-first (15/07/2024, 15-7-2024) or ISO
(2024-07-15); text times are 07:30, 7:30, 7h30, 7h, 7g30 or 7 giờ 30.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)

_ISO_DATE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
"""An ISO date, perhaps with a time of day (as Excel writes a date cell); nothing else after it."""
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TIME = re.compile(
    r"^(\d{1,2})\s*(?::|h|g|giờ|\.)\s*(\d{2})?\s*(?:phút|p|')?(?::(\d{2}))?$|^(\d{1,2})\s*(?:h|g|giờ)$",
    re.IGNORECASE,
)
_TRAILING_NUMBER = re.compile(r"(\d+)\s*$")


INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
"""Zero-width characters and the soft hyphen, pasted from the web or a PDF: never meant."""
_LAO_AM = ("\u0ecd\u0eb2", "\u0eb3")
"""Lao ຳ typed as ໍ + າ (macOS): NFC does not compose it, so it is done by hand."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean_text(text: str) -> str:
    """Text as stored and compared: NFC, no zero-width characters, no outer spaces."""
    if text.isascii():
        return text.strip()
    if _INVISIBLE_RE.search(text):
        text = _INVISIBLE_RE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _LAO_AM[0] in text:
        text = text.replace(*_LAO_AM)
    return text.strip()


def control_char(text: str) -> str | None:
    """The first control character in ``text`` (a NUL byte, say), as U+XXXX, or ``None``."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group(0)):04X}" if found else None


def as_text(value: Any) -> str:
    """A cell as text (numbers without a spurious '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_date(value: Any) -> dt.date | None:
    """A date from an Excel date cell, a day serial, or text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1 <= value < 2_958_466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _ISO_DATE.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY_DATE.match(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def as_time(value: Any) -> dt.time | None:
    """A wall-clock time from an Excel time cell, a day fraction, or text."""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not 0 <= value < 1:
            return None
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60) if minutes < 24 * 60 else None
    if not isinstance(value, str):
        return None
    m = _TIME.match(value.strip())
    if not m:
        return None
    hour = int(m[1] or m[4])
    minute = int(m[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def as_int(value: Any, *, trailing: bool = False) -> int | None:
    """A whole number; with ``trailing``, also the number ending a text ('Chuyên đề 3')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        if trailing and (m := _TRAILING_NUMBER.search(text)):
            return int(m[1])
    return None


def as_float(value: Any) -> float | None:
    """A decimal number; a comma as decimal separator is accepted in text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None
