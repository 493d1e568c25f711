"""Understanding a trainee's message: slash commands and plain words in vi, lo and en.

One parser for every channel (Zalo has no slash commands; Telegram has both).
Text is normalised first (Vietnamese diacritics stripped, đ→d, lower case,
Lao spellings unified, Lao digits to ASCII, spaces collapsed), so "hôm nay"
and "hom nay" mean the same. Lao has no spaces between words, so Lao keywords
are matched as substrings of the text with its spaces removed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from babel import dates as babel_dates


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


@dataclass(frozen=True, slots=True)
class Intent:
    """A parsed request and its details.

    ``day``: the day for DAY, any day of the week for WEEK, and for BRING, MEETING and
    VISITS the day whose visits are asked about (None: the next or all upcoming ones).
    ``number``: the topic for TOPIC; for VISITS, how many of the upcoming visits (1 for
    "the next visit", None for all).
    """

    kind: IntentKind
    day: dt.date | None = None
    number: int | None = None
    unread: str | None = None
    """A command's argument that could not be read as a day ("/day 40/7"): say so."""


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

_LAO_SPELLINGS = {"\u0edc": "\u0eab\u0e99", "\u0edd": "\u0eab\u0ea1", "\u0ecd\u0eb2": "\u0eb3"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))
_PUNCTUATION = re.compile(r"[?!,;()\[\]\"“”«»…]+")


_LATIN_MARKS = re.compile(r"(?<=[\u0000-\u024f])[\u0300-\u036f]+")
_DIGITS = {ord(c): str(unicodedata.digit(c)) for c in "໐໑໒໓໔໕໖໗໘໙"}


def normalize(text: str) -> str:
    """Lower case, Latin diacritics stripped (đ→d), Lao spellings unified, spaces collapsed."""
    result = text.lower()
    if not result.isascii():
        result = unicodedata.normalize("NFD", result.translate(_INVISIBLE).translate(_DIGITS))
        result = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", result)).replace("đ", "d")
        for old, new in _LAO_SPELLINGS.items():
            result = result.replace(old, new)
        result = result.replace("’", "'")
    return " ".join(_PUNCTUATION.sub(" ", result).split())


def _words(*patterns: str) -> re.Pattern[str]:
    """Latin phrases matched on word boundaries."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


def _lao(*words: str) -> tuple[str, ...]:
    return tuple(normalize(w).replace(" ", "") for w in words)


def _has(lao: str, words: tuple[str, ...]) -> bool:
    return any(w in lao for w in words)


# Specific numbers first: "chuyên đề 3", "topic 3", "ຫົວຂໍ້ທີ 3".
_TOPIC_N = re.compile(
    r"\b(?:chuyen de|cd|topic|lecture)\s*(?:so|no\.?|number|#|thu)?\s*(\d{1,3})\b"
)
_TOPIC_N_LAO = re.compile(r"(?:ຫົວຂໍ້(?:ບັນຍາຍ)?|ບົດ)(?:ທີ)?(\d{1,3})")

_BRING = _words(
    r"mang (?:gi|theo|nhung gi)",
    r"can mang",
    r"chuan bi (?:gi|nhung gi|do)",
    r"mac (?:gi|the nao|trang phuc)",
    r"trang phuc",
    r"bring",
    r"pack",
    r"wear",
    r"dress code",
)
_BRING_LAO = _lao("ເອົາຫຍັງ", "ນຳຫຍັງ", "ຕ້ອງເອົາ", "ຄວນເອົາ", "ກຽມຫຍັງ", "ນຸ່ງຫຍັງ", "ແຕ່ງກາຍ")

# Questions only: "tôi đã lên xe" / "I'm on the bus" / "ຂຶ້ນລົດແລ້ວ" are check-ins, not questions.
_MEETING = _words(
    r"diem (?:tap trung|hen|don|xuat phat)",
    r"(?:tap trung|don|len xe) (?:o|tai) dau",
    r"may gio (?:di|len xe|khoi hanh|xuat phat)",
    r"xuat phat",
    r"khoi hanh",
    r"xe (?:chay|don|do|o dau|dau)",
    r"meeting point",
    r"departure (?:time|point)",
    r"pick ?up (?:point|time)",
    r"where(?: \S+){0,4} (?:meet|leave|depart|gather|bus|coach)",
    r"(?:what time|when)(?: \S+){0,4} (?:bus|coach|leave|leaves|depart|departs)",
    r"(?:bus|coach) (?:leave|leaves|leaving|depart|departs)",
)
_MEETING_LAO = _lao(
    "ຈຸດນັດພົບ", "ນັດພົບ", "ລົດອອກ", "ລົດເມອອກ", "ຂຶ້ນລົດຢູ່ໃສ", "ຂຶ້ນລົດບ່ອນໃດ", "ຂຶ້ນລົດຈັກໂມງ",
    "ອອກເດີນທາງ", "ຈຸດລວມ", "ລວມຕົວ",
)  # fmt: skip

# "When do we get back?": the full card of the visit, which has the return time.
_RETURN = _words(
    r"(?:may gio|bao gio|khi nao|luc nao|gio) (?:ve|quay ve|tro ve)",
    r"return(?:s|ing)?(?: time)?",
    r"(?:get|come|be) back",
)  # fmt: skip
_RETURN_LAO = _lao("ກັບຈັກໂມງ", "ກັບມາຈັກໂມງ", "ກັບຄືນຈັກໂມງ", "ກັບເມືອຈັກໂມງ", "ກັບມາຮອດ")

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUM_DATE = re.compile(r"(?<![\d:])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?(?![\d:])")
_DAY_OF_MONTH = re.compile(r"\b(?:ngay|the)\s+(\d{1,2})(?:th|st|nd|rd)?\b(?!\s*(?:gio|h\b|:))")
_DAY_OF_MONTH_LAO = re.compile(r"ວັນທີ(\d{1,2})(?!\d)")

_NEXT_WEEK = _words(r"tuan (?:sau|toi)", r"next week")
_NEXT_WEEK_LAO = _lao("ອາທິດໜ້າ", "ອາທິດຕໍ່ໄປ")

_VI_WEEKDAYS = {
    "hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2,
    "nam": 3, "5": 3, "sau": 4, "6": 4, "bay": 5, "7": 5,
}  # fmt: skip
_VI_WEEKDAY = re.compile(r"\b(?:thu\s*(hai|ba|tu|nam|sau|bay|[2-7])|t([2-7])|(chu nhat|cn))\b")
# No "mon", "sat", "sun", "thu": unaccented Vietnamese "môn", "sát", "thứ" would match.
_EN_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_EN_WEEKDAY = _words(*_EN_WEEKDAYS)
_LAO_WEEKDAYS = {
    "ວັນຈັນ": 0, "ວັນອັງຄານ": 1, "ອັງຄານ": 1, "ວັນພຸດ": 2, "ວັນພະຫັດ": 3, "ພະຫັດ": 3,
    "ວັນສຸກ": 4, "ວັນເສົາ": 5, "ເສົາ": 5, "ວັນອາທິດ": 6,
}  # fmt: skip

_LAO_WEEKDAYS_LONGEST_FIRST = sorted(_LAO_WEEKDAYS.items(), key=lambda kv: -len(kv[0]))

_DAY_AFTER = _words(r"ngay (?:kia|mot)", r"day after tomorrow")
_YESTERDAY = _words(r"hom qua", r"yesterday")
_TOMORROW = _words(r"ngay mai", r"mai", r"tomorrow'?s?", r"tmrw?")
_TODAY = _words(
    r"(?:hom|bua|sang|trua|chieu|toi) nay",
    r"today'?s?",
    r"tonight",
    r"this (?:morning|afternoon|evening)",
)

# "When is the closing ceremony?": the day of that ceremony.
_OPENING = _words(r"khai giang", r"khai mac", r"opening(?: ceremony| session| day)?")
_OPENING_LAO = _lao("ພິທີເປີດ", "ເປີດຫ້ອງ", "ເປີດການຝຶກອົບຮົມ")
_CLOSING = _words(
    r"be giang", r"be mac", r"closing(?: ceremony| session| day)?", r"graduation",
    r"last day", r"ngay cuoi",
)  # fmt: skip
_CLOSING_LAO = _lao("ພິທີປິດ", "ປິດຫ້ອງ", "ປິດການຝຶກອົບຮົມ", "ມື້ສຸດທ້າຍ")

_WEEK = _words(r"tuan(?: nay)?", r"(?:this )?week(?:ly)?", r"whole week")
_WEEK_LAO = _lao("ອາທິດ")
_VISITS = _words(
    r"khao sat", r"thuc te", r"tham quan", r"thuc dia", r"chuyen di", r"di tham",
    r"visits?", r"field ?trips?", r"trips?", r"excursions?", r"study tours?",
)  # fmt: skip
_VISITS_LAO = _lao("ທັດສະນະ", "ລົງພື້ນທີ່", "ຢ້ຽມຢາມ", "ທັດສະນະຈອນ")
_NEXT = _words(
    r"tiep theo", r"sap toi", r"sap dien ra", r"ke tiep", r"buoi (?:sau|toi|tiep)",
    r"bay gio", r"dang (?:hoc|dien ra)", r"next", r"coming up", r"now", r"right now",
)  # fmt: skip
_NEXT_LAO = _lao("ຕໍ່ໄປ", "ຖັດໄປ", "ຕອນນີ້", "ດຽວນີ້")
# "Where do we study?": the session now or next, with its venue.
_WHERE = _words(
    r"(?:hoc|lop|lop hoc|phong hoc|hoi truong|giang duong) (?:o|tai|la|nam o) (?:dau|cho nao)",
    r"(?:hoc|lop hoc) (?:phong|hoi truong) nao",
    r"where (?:is|are|do we have) (?:the |our |my )?(?:class|classes|lecture|classroom|lesson)",
    r"which (?:room|hall|classroom)",
)  # fmt: skip
_WHERE_LAO = _lao("ຮຽນຢູ່ໃສ", "ຮຽນບ່ອນໃດ", "ຫ້ອງຮຽນຢູ່ໃສ", "ຫ້ອງປະຊຸມຢູ່ໃສ", "ຫ້ອງໃດ")
_MENTION = re.compile(r"(?<!\S)@\w+")
_TOPICS = _words(r"chuyen de", r"bai giang", r"noi dung hoc", r"topics?", r"lectures", r"syllabus")
_TOPICS_LAO = _lao("ຫົວຂໍ້", "ບົດບັນຍາຍ")
_CLASS = _words(r"doi lop", r"chuyen lop", r"chon lop", r"switch class", r"change class")
_CLASS_LAO = _lao("ປ່ຽນຫ້ອງ", "ເລືອກຫ້ອງ")
_MYCLASS = _words(r"lop (?:cua )?(?:toi|em|minh)", r"thong tin lop", r"my class", r"class info")
_MYCLASS_LAO = _lao("ຫ້ອງຂອງຂ້ອຍ", "ຂໍ້ມູນຫ້ອງ", "ຫ້ອງຮຽນຂອງຂ້ອຍ")
_LANG = _words(r"ngon ngu", r"doi tieng", r"language", r"tieng (?:viet|lao|anh)", r"english")
_LANG_LAO = _lao("ພາສາ")
_HELP = _words(
    r"giup(?: do)?", r"tro giup", r"huong dan", r"cach dung", r"help", r"how do i",
    r"what can you do", r"commands?",
)  # fmt: skip
_HELP_LAO = _lao("ຊ່ວຍ", "ແນະນຳ", "ວິທີໃຊ້")
_SCHEDULE = _words(
    r"lich(?: hoc| trinh)?", r"chuong trinh", r"co gi", r"hoc gi", r"schedule", r"agenda",
    r"programme", r"program", r"timetable", r"what'?s on", r"vao (?:lop|hoc)",
    r"(?:class|classes|lessons?) starts?",
)  # fmt: skip
_SCHEDULE_LAO = _lao("ຕາຕະລາງ", "ມີຫຍັງ", "ໂປຣແກຣມ", "ແຜນການ", "ເຂົ້າຮຽນ", "ຮຽນຫຍັງ")


@functools.cache
def _month_patterns() -> tuple[dict[str, int], re.Pattern[str], re.Pattern[str]]:
    """English and Lao month names (wide and abbreviated, from Babel) and their patterns.

    Returns the names (normalised) to month numbers, the English pattern ("15 July",
    "July 15") and the Lao one ("15ກໍລະກົດ", matched on the unspaced text).
    """
    names: dict[str, int] = {}
    for locale in ("en", "lo_LA"):
        for width in ("wide", "abbreviated"):
            for number, name in babel_dates.get_month_names(width, locale=locale).items():
                key = normalize(name).replace(" ", "").rstrip(".")
                if len(key) >= 3:
                    names[key] = number
    by_length = sorted(names, key=len, reverse=True)
    english = "|".join(n for n in by_length if n.isascii())
    lao = "|".join(re.escape(n) for n in by_length if not n.isascii())
    return (
        names,
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s*({english})\b|\b({english})\.?\s*(\d{{1,2}})\b"
        ),
        re.compile(rf"(\d{{1,2}})({lao})"),
    )


def _nearest(today: dt.date, month: int, day: int, year: int | None) -> dt.date | None:
    """The date with that day and month (in ``year``, else the year nearest ``today``)."""
    years = [year] if year is not None else [today.year, today.year + 1, today.year - 1]
    found: list[dt.date] = []
    for y in years:
        try:
            found.append(dt.date(y, month, day))
        except ValueError:
            continue
    return min(found, key=lambda d: abs((d - today).days)) if found else None


def _explicit_date(text: str, lao: str, today: dt.date) -> dt.date | None:
    if m := _ISO_DATE.search(text):
        return _nearest(today, int(m[2]), int(m[3]), int(m[1]))
    if m := _NUM_DATE.search(text):
        year = int(m[3]) if m[3] else None
        if year is not None and year < 100:
            year += 2000
        return _nearest(today, int(m[2]), int(m[1]), year)
    vi_month = re.search(r"\b(\d{1,2})\s+thang\s+(\d{1,2})\b", text)
    if vi_month:
        return _nearest(today, int(vi_month[2]), int(vi_month[1]), None)
    months, english, lao_months = _month_patterns()
    if m := english.search(text):
        return _nearest(today, months[m[2] or m[3]], int(m[1] or m[4]), None)
    if m := lao_months.search(lao):
        return _nearest(today, months[m[2]], int(m[1]), None)
    m = _DAY_OF_MONTH.search(text) or _DAY_OF_MONTH_LAO.search(lao)
    if m:
        return _nearest(today, today.month, int(m[1]), today.year)
    return None


def _weekday(text: str, lao: str) -> int | None:
    if m := _VI_WEEKDAY.search(text):
        if m[3]:
            return 6
        return _VI_WEEKDAYS[m[1] or m[2]]
    if m := _EN_WEEKDAY.search(text):
        return _EN_WEEKDAYS[m[0]]
    for name, number in _LAO_WEEKDAYS_LONGEST_FIRST:
        if name in lao:
            return number
    return None


_DAY_ARGUMENT = frozenset(
    {IntentKind.DAY, IntentKind.WEEK, IntentKind.BRING, IntentKind.MEETING, IntentKind.VISITS}
)
"""Commands that take a day: /day 15/7, /week 22/7, /bring saturday, /visits tomorrow."""


def _command(text: str, today: dt.date, raw: str) -> Intent | None:
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
        named = _named_day(arg, arg.replace(" ", ""), today, next_week=False)
        if named is None:
            return Intent(kind, unread=raw.strip().partition(" ")[2].strip())
        return Intent(kind, day=named[1])
    if kind is IntentKind.DAY:
        return Intent(IntentKind.TODAY)
    return Intent(kind)


def _upcoming(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def _named_day(
    norm: str, lao: str, today: dt.date, *, next_week: bool
) -> tuple[IntentKind, dt.date] | None:
    """The day a question names, as (DAY, date), (TOMORROW, date) or (TODAY, date).

    A date, a weekday (of next week when it says so), the day after tomorrow,
    yesterday; then tomorrow and today, unless it asks about next week.
    """
    if (day := _explicit_date(norm, lao, today)) is not None:
        return IntentKind.DAY, day
    if (weekday := _weekday(norm, lao)) is not None:
        if next_week:
            monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
            return IntentKind.DAY, monday + dt.timedelta(days=weekday)
        return IntentKind.DAY, _upcoming(today, weekday)
    if _DAY_AFTER.search(norm) or "ມື້ຮື" in lao:
        return IntentKind.DAY, today + dt.timedelta(days=2)
    if _YESTERDAY.search(norm) or "ມື້ວານ" in lao:
        return IntentKind.DAY, today - dt.timedelta(days=1)
    if next_week:
        return None
    if _TOMORROW.search(norm) or "ມື້ອື່ນ" in lao:
        return IntentKind.TOMORROW, today + dt.timedelta(days=1)
    if _TODAY.search(norm) or "ມື້ນີ້" in lao:
        return IntentKind.TODAY, today
    return None


def parse(text: str, today: dt.date) -> Intent | None:
    """What ``text`` asks for, with dates relative to ``today`` (the class's local date).

    Returns None when the text is not understood; the channel then answers with help.
    """
    norm = normalize(text[:MAX_QUESTION])
    if not norm:
        return None
    if norm.startswith("/"):
        return _command(norm, today, text[:MAX_QUESTION])
    norm = _MENTION.sub("", norm).strip()  # "@classbot hôm nay" in a group
    lao = norm.replace(" ", "")
    if (m := _TOPIC_N.search(norm)) or (m := _TOPIC_N_LAO.search(lao)):
        return Intent(IntentKind.TOPIC, number=int(m[1]))
    next_week = bool(_NEXT_WEEK.search(norm)) or _has(lao, _NEXT_WEEK_LAO)
    named = _named_day(norm, lao, today, next_week=next_week)
    # "What to bring tomorrow", "where does the bus leave on 20/7": that day's visit.
    if _BRING.search(norm) or _has(lao, _BRING_LAO):
        return Intent(IntentKind.BRING, day=named[1] if named else None)
    if _MEETING.search(norm) or _has(lao, _MEETING_LAO):
        return Intent(IntentKind.MEETING, day=named[1] if named else None)
    if _RETURN.search(norm) or _has(lao, _RETURN_LAO):
        # That day's visits, else the next one.
        return (
            Intent(IntentKind.VISITS, day=named[1])
            if named
            else Intent(IntentKind.VISITS, number=1)
        )
    if named is not None:
        kind, day = named
        return Intent(kind, day=day) if kind is IntentKind.DAY else Intent(kind)
    if next_week:
        return Intent(IntentKind.WEEK, day=today + dt.timedelta(days=7))
    if _CLOSING.search(norm) or _has(lao, _CLOSING_LAO):
        return Intent(IntentKind.CLOSING)
    if _OPENING.search(norm) or _has(lao, _OPENING_LAO):
        return Intent(IntentKind.OPENING)
    if _WEEK.search(norm) or _has(lao.replace("ວັນອາທິດ", ""), _WEEK_LAO):
        return Intent(IntentKind.WEEK)
    for pattern, words, kind in (
        (_VISITS, _VISITS_LAO, IntentKind.VISITS),
        (_NEXT, _NEXT_LAO, IntentKind.NEXT),
        (_WHERE, _WHERE_LAO, IntentKind.NEXT),
        (_TOPICS, _TOPICS_LAO, IntentKind.TOPICS),
        (_CLASS, _CLASS_LAO, IntentKind.CLASS),
        (_MYCLASS, _MYCLASS_LAO, IntentKind.MYCLASS),
        (_LANG, _LANG_LAO, IntentKind.LANG),
        (_SCHEDULE, _SCHEDULE_LAO, IntentKind.TODAY),
        (_HELP, _HELP_LAO, IntentKind.HELP),
    ):
        if pattern.search(norm) or _has(lao, words):
            if kind is IntentKind.VISITS and (_NEXT.search(norm) or _has(lao, _NEXT_LAO)):
                return Intent(kind, number=1)  # "when is the next visit": that one only
            return Intent(kind)
    return None
