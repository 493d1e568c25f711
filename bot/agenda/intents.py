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

from bot.agenda.matching import Found, ScheduleIndex, edit_distance


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

_LAO_SPELLINGS = {
    "\u0edc": "\u0eab\u0e99",
    "\u0edd": "\u0eab\u0ea1",
    "\u0ecd\u0eb2": "\u0eb3",
    "ກີ່ໂມງ": "ຈັກໂມງ",  # "what time", as many write it
}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))
_PUNCTUATION = re.compile(r"[?!,;()\[\]\"“”«»…]+")


_DOTS = re.compile(r"(?<!\d)\.+|\.+(?!\d)")
"""Full stops and ellipses, but not the dot of a date ("15.7")."""
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
        result = "".join(" " if unicodedata.category(c) == "So" else c for c in result)
    result = _DOTS.sub(" ", _PUNCTUATION.sub(" ", result))
    return " ".join(result.split())


def _words(*patterns: str) -> re.Pattern[str]:
    """Latin phrases matched on word boundaries."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


def _lao(*words: str) -> tuple[str, ...]:
    return tuple(normalize(w).replace(" ", "") for w in words)


def _has(lao: str, words: tuple[str, ...]) -> bool:
    return any(w in lao for w in words)


# Specific numbers first: "chuyên đề 3", "topic 3", "ຫົວຂໍ້ທີ 3".
_TOPIC_N = re.compile(
    r"\b(?:chuyen de|cd|topic|lecture|bai)\s*(?:so|no\.?|number|#|thu)?\s*(\d{1,3})\b"
    r"(?!\s*(?:/|gio|h\b|phut))"
)
_TOPIC_N_LAO = re.compile(r"(?:ຫົວຂໍ້(?:ບັນຍາຍ)?|ບົດ)(?:ທີ)?(\d{1,3})")

# "Answer in Vietnamese": the language asked for, confirmed by a button.
_SETLANG = re.compile(
    r"\b(?:(?:tra loi|noi|dung|chuyen sang|doi sang|sang|bang|viet|chat|rep|reply|answer|ban|"
    r"respond|speak|talk|write|switch to|change to|use|in)\b(?: \S+){0,3}? "
    r"(?:(tieng viet|vietnamese)|(tieng lao|lao|laotian)|(tieng anh|english))\b|"
    r"(?:(tieng viet|vietnamese)|(tieng lao|lao|laotian)|(tieng anh|english)) "
    r"(?:duoc khong|dc ko|duoc ko|di|nhe|please|pls|plz))"
)
_SETLANG_LAO = {
    "vi": _lao("ພາສາຫວຽດ", "ພາສາວຽດ"), "lo": _lao("ພາສາລາວ"), "en": _lao("ພາສາອັງກິດ"),
}  # fmt: skip
_SETLANG_LAO_CUE = _lao("ຕອບ", "ເວົ້າ", "ຂໍ", "ໃຊ້", "ປ່ຽນເປັນ", "ເປັນພາສາ")

_COUNTDOWN = _words(
    r"bao lau nua", r"bao lau thi", r"con bao lau", r"con may (?:phut|tieng|gio)",
    r"may (?:phut|tieng) nua", r"bao nhieu (?:phut|tieng) nua",
    r"how (?:long|much time|many (?:minutes|mins|hours)) (?:until|till|til|before|to|left)",
    r"how (?:long|much time) (?:is )?left", r"time left", r"countdown",
    r"time (?:until|till|before|to) (?:the )?(?:next|class|lecture|start)", r"how much longer",
)  # fmt: skip
_COUNTDOWN_LAO = _lao("ອີກດົນ", "ອີກຈັກນາທີ", "ອີກຈັກຊົ່ວໂມງ", "ອີກຈັກໂມງ", "ຍັງເຫຼືອຈັກນາທີ")

_BRING = _words(
    r"mang (?:gi|theo|nhung gi|j)",
    r"can mang",
    r"chuan bi (?:gi|nhung gi|do|j)",
    r"mac (?:gi|j|the nao|ntn|trang phuc|do gi|ao)",
    r"trang phuc",
    r"bring",
    r"pack",
    r"wear",
    r"dress code",
    r"what to take",
    r"do i need (?:my|a|an|to bring|to take)",
    r"(?:phai|nen|co can) mang",
)
_BRING_LAO = _lao(
    "ເອົາຫຍັງ", "ນຳຫຍັງ", "ຕ້ອງເອົາ", "ຄວນເອົາ", "ກຽມຫຍັງ", "ນຸ່ງ", "ແຕ່ງກາຍ", "ຊຸດຫຍັງ",
    "ຕ້ອງກຽມ", "ກະກຽມຫຍັງ",
)  # fmt: skip

# Questions only: "tôi đã lên xe" / "I'm on the bus" / "ຂຶ້ນລົດແລ້ວ" are check-ins, not questions.
_MEETING = _words(
    r"diem (?:tap trung|hen|don|xuat phat)",
    r"(?:tap trung|don|len xe|gap nhau) (?:o|tai) (?:dau|cho nao)",
    r"may (?:gio|h) (?:thi )?(?:di|len xe|khoi hanh|xuat phat|xe chay|ra san bay|tap trung)",
    r"(?:di|tap trung|len xe|don|khoi hanh) (?:luc |vao luc |tu )?may (?:gio|h)",
    r"xuat phat",
    r"khoi hanh",
    r"xe (?:chay|don|do|o dau|dau)",
    r"meeting point",
    r"departure(?: time| point)?",
    r"where(?:'s)?(?: \S+){0,5} (?:meet|leave|depart|gather|bus|coach)",
    r"(?:what time|when)(?: \S+){0,4} (?:bus|coach|leave|leaves|depart|departs)",
    r"what time (?:do|does|will|shall) we (?:go|head|set off)",
    r"pick ?up",
    r"(?:bus|coach) (?:leave|leaves|leaving|depart|departs|on|time)",
    r"^bus",
)
_MEETING_LAO_GO = re.compile(r"ໄປ(?!ຮອດ)(?:.{3,})?ຈັກໂມງ$")
"""'ໄປກວາງນິງຈັກໂມງ': when do we go there."""
_MEETING_LAO = _lao(
    "ຈຸດນັດພົບ", "ນັດພົບ", "ລົດອອກ", "ລົດເມອອກ", "ຂຶ້ນລົດຢູ່ໃສ", "ຂຶ້ນລົດບ່ອນໃດ", "ຂຶ້ນລົດຈັກໂມງ",
    "ອອກເດີນທາງ", "ຈຸດລວມ", "ລວມຕົວ", "ອອກຈັກໂມງ",
)  # fmt: skip

# "When do we get back?": the return time of that visit.
_RETURN = _words(
    r"(?:may gio|may h|bao gio|khi nao|luc nao|gio|may gio thi) (?:ve|quay ve|tro ve|quay lai)",
    r"ve (?:luc|vao luc|khoang) may", r"(?:ve|quay ve) (?:khach san|truong|den noi) luc",
    r"return(?:s|ing)?(?: time)?",
    r"(?:get|come|be|are we|will we be) back",
)  # fmt: skip
_RETURN_LAO = re.compile(r"ກັບ.{0,15}(?:ຈັກໂມງ|ມື້ໃດ|ວັນໃດ)|ກັບມາຮອດ|ກັບຄືນ|ກັບເມືອ")

_LECTURERS = _words(
    r"giang vien", r"bao cao vien", r"giao vien", r"dien gia", r"thay nao", r"co nao",
    r"ai (?:day|giang|bao cao|len lop|trinh bay|dung lop|phu trach)", r"nguoi (?:day|giang)",
    r"who(?:'s| is| are| will be)? (?:lecturing|teaching|the lecturers?|the speakers?|speaking|"
    r"presenting|the teachers?|giving)",
    r"who (?:lectures|teaches|speaks|presents|gives)", r"lecturers?", r"speakers?",
    r"teachers?", r"instructors?",
)  # fmt: skip
_LECTURERS_LAO = _lao("ວິທະຍາກອນ", "ໃຜບັນຍາຍ", "ຜູ້ບັນຍາຍ", "ອາຈານແມ່ນໃຜ", "ໃຜສອນ", "ອາຈານຜູ້ສອນ")

_START = _words(
    r"may (?:gio|h) (?:thi )?(?:vao hoc|vao lop|bat dau|hoc|len lop|co mat)",
    r"(?:vao hoc|vao lop|bat dau|hoc) (?:luc |tu )?may (?:gio|h)", r"(?:da )?hoc chua",
    r"bat dau (?:luc nao|khi nao)", r"gio vao (?:hoc|lop)",
    r"what time (?:do|does|will|is|are|should) (?:we|you|i|class|classes|the class|it|"
    r"lectures?|the lecture|school|things|the day) (?:start|begin|starting|beginning|be there)",
    r"when (?:do|does|will|is) (?:we|class|classes|the class|it|lectures?|the lecture|school|"
    r"the day) (?:start|begin|starting)",
    r"start(?:ing)? time", r"first session", r"(?:class|classes|lessons?) starts?",
)  # fmt: skip
_START_LAO = _lao(
    "ເລີ່ມຈັກໂມງ", "ເຂົ້າຮຽນຈັກໂມງ", "ເລີ່ມຮຽນຈັກໂມງ", "ຮຽນຈັກໂມງ", "ເລີ່ມຕອນໃດ", "ໄປຮອດຈັກໂມງ",
    "ຕ້ອງຮອດຈັກໂມງ", "ມາຮອດຈັກໂມງ",
)  # fmt: skip

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUM_DATE = re.compile(r"(?<![\d:])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?(?![\d:])")
_DAY_OF_MONTH = re.compile(
    r"\b(?:ngay|the|on)\s+(\d{1,2})(?:th|st|nd|rd)?\b(?!\s*(?:gio|h\b|:|phut|tieng|nguoi))"
)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:th|st|nd|rd)\b")
_DAY_OF_MONTH_LAO = re.compile(r"ວັນທີ(\d{1,2})(?!\d)")
# "mấy" without its marks is "may": "thứ 6 mấy giờ", "ngày 20 mấy giờ" are not in May.
_VI_MAY = re.compile(r"\bmay(?=\s+(?:gio|h\b|phut|tieng|ngay|lan|buoi|nguoi|hom|gi\b|con|mon))")

_NEXT_WEEK = _words(r"tuan (?:sau|toi)", r"next week")
_NEXT_WEEK_LAO = _lao("ອາທິດໜ້າ", "ອາທິດຕໍ່ໄປ")

_VI_WEEKDAYS = {
    "hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2,
    "nam": 3, "5": 3, "sau": 4, "6": 4, "bay": 5, "7": 5,
}  # fmt: skip
_VI_WEEKDAY = re.compile(
    r"\b(?:thu\s*(hai|ba|tu|nam|sau|bay|[2-7])(?!\s*(?:/|\.\d|-\d))|t([2-7])|(chu nhat|cn))\b"
)
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

# "next Wednesday", "thứ tư tới", "ວັນພຸດໜ້າ": not today, when today is that day.
_NEXT_WEEKDAY = re.compile(
    r"\bnext (?:" + "|".join(_EN_WEEKDAYS) + r")\b|\b(?:thu \S+|t[2-7]|cn|chu nhat) toi\b"
)
_NEXT_WEEKDAY_LAO = re.compile(
    r"(?:" + "|".join(w for w in _LAO_WEEKDAYS if w.startswith("ວັນ")) + r")ຫນ້າ"
)
_LAO_WEEKDAYS_LONGEST_FIRST = sorted(_LAO_WEEKDAYS.items(), key=lambda kv: -len(kv[0]))

_DAY_AFTER = _words(r"ngay (?:kia|mot)", r"mot", r"day after tomorrow")
_YESTERDAY = _words(r"hom qua", r"yesterday")
_TOMORROW = _words(r"ngay mai", r"mai", r"tomorrow'?s?", r"tmrw?", r"tmr")
_TODAY = _words(
    r"(?:hom|bua|sang|trua|chieu|toi) nay",
    r"hnay",
    r"^nay",
    r"today'?s?",
    r"tonight",
    r"this (?:morning|afternoon|evening)",
)

_TODAY_LAO = _lao("ມື້ນີ້", "ຕອນເຊົ້ານີ້", "ຕອນບ່າຍນີ້", "ຕອນແລງນີ້", "ຄືນນີ້", "ແລງນີ້")

# "When is the closing ceremony?": the day of that ceremony.
_OPENING = _words(r"khai giang", r"khai mac", r"opening(?: ceremony| session| day)?")
_OPENING_LAO = _lao("ພິທີເປີດ", "ເປີດຫ້ອງ", "ເປີດການຝຶກອົບຮົມ")
_CLOSING = _words(
    r"be giang", r"be mac", r"closing(?: ceremony| session| day)?", r"graduation",
    r"last day", r"ngay cuoi", r"(?:lop|lop hoc|khoa hoc|khoa) (?:\S+ )?ket thuc",
    r"ket thuc (?:khoa hoc|lop|ngay nao|khi nao|luc nao|hom nao)",
    r"(?:class|course|training) (?:ends?|finish(?:es)?)",
    r"when does (?:the )?(?:class|course) end",
)  # fmt: skip
_CLOSING_LAO = _lao(
    "ພິທີປິດ", "ປິດຫ້ອງ", "ປິດການຝຶກອົບຮົມ", "ມື້ສຸດທ້າຍ", "ຈົບຫຼັກສູດ", "ສິ້ນສຸດການຝຶກອົບຮົມ",
    "ຈົບການຝຶກອົບຮົມ",
)  # fmt: skip

_WEEK = _words(
    r"tuan(?: nay)?", r"(?:this )?week(?:ly)?", r"whole week", r"ca khoa", r"full schedule",
    r"whole schedule", r"toan bo lich",
)  # fmt: skip
_WEEK_LAO = _lao("ອາທິດ", "ຕາຕະລາງທັງໝົດ")
_VISITS = _words(
    r"khao sat", r"thuc te", r"tham quan", r"thuc dia", r"chuyen di", r"di tham",
    r"visits?", r"field ?trips?", r"trips?", r"excursions?", r"study tours?",
)  # fmt: skip
_VISITS_LAO = _lao("ທັດສະນະ", "ລົງພື້ນທີ່", "ຢ້ຽມຢາມ", "ທັດສະນະຈອນ")
# "Where do we go tomorrow?": that day's visits.
_GOING = _words(
    r"di (?:dau|nhung dau|tham gi|cho nao)",
    r"where (?:are|do|will|shall) we (?:go|going|visit|visiting|heading|head)",
    r"(?:go|going|goes) (?:anywhere|somewhere)",
)  # fmt: skip
_GOING_LAO = _lao("ໄປໃສ", "ໄປບ່ອນໃດ")
_NEXT = _words(
    r"tiep theo", r"sap toi", r"sap dien ra", r"(?:lan|dot|chuyen|khao sat)(?: \S+){0,3} toi",
    r"ke tiep", r"buoi (?:sau|toi|tiep)",
    r"bay gio", r"dang (?:hoc|dien ra)", r"next", r"coming up", r"now", r"right now",
)  # fmt: skip
_NEXT_LAO = _lao("ຕໍ່ໄປ", "ຖັດໄປ", "ຕອນນີ້", "ດຽວນີ້", "ເທື່ອໜ້າ", "ຄັ້ງໜ້າ")
# "Where do we study?": the session now or next, with its venue (a named day: that day's).
_WHERE = _words(
    r"(?:hoc|lop|lop hoc|phong hoc|hoi truong|giang duong) (?:o|tai|la|nam o) (?:dau|cho nao)",
    r"(?:hoc|lop hoc) (?:o )?(?:phong|hoi truong) (?:nao|may|so may)",
    r"phong (?:nao|so may|hoc)", r"hoi truong nao",
    r"where (?:is|are|do we have) (?:the |our |my )?(?:class|classes|lecture|classroom|lesson)",
    r"where (?:do|will|shall) we (?:study|learn|have (?:class|the lecture))",
    r"where'?s? (?:is )?(?:the |our )?(?:lecture|class|classroom|hall|room|lecture hall)\b",
    r"(?:which|what) (?:room|hall|classroom|building)",
)  # fmt: skip
_WHERE_LAO = _lao(
    "ຮຽນຢູ່ໃສ", "ຮຽນບ່ອນໃດ", "ຫ້ອງຮຽນຢູ່ໃສ", "ຫ້ອງປະຊຸມຢູ່ໃສ", "ຫ້ອງໃດ", "ຮຽນຢູ່ບ່ອນໃດ",
)  # fmt: skip
_MENTION = re.compile(r"(?<!\S)@\w+")
_TOPICS = _words(
    r"chuyen de", r"bai giang", r"noi dung hoc", r"topics?", r"lectures", r"syllabus",
    r"mon hoc",
)  # fmt: skip
_TOPICS_LAO = _lao("ຫົວຂໍ້", "ບົດບັນຍາຍ")
_TOPICAL = _words(r"chuyen de", r"bai(?: giang| hoc)?", r"topics?", r"lectures?", r"cd")
_FLIGHT = re.compile(r"\b(?:chuyen )?bay (?=ve|di|sang|tu)|\b(?=ve nuoc\b)")


def _flights(norm: str) -> str:
    """'bay về' (fly back), 'về nước' (home) as the schedule's English says it: 'flight'."""
    return _FLIGHT.sub("flight ", norm)


_CLASS = _words(r"doi lop", r"chuyen lop", r"chon lop", r"switch class", r"change class")
_CLASS_LAO = _lao("ປ່ຽນຫ້ອງ", "ເລືອກຫ້ອງ")
_MYCLASS = _words(r"lop (?:cua )?(?:toi|em|minh)", r"thong tin lop", r"my class", r"class info")
_MYCLASS_LAO = _lao("ຫ້ອງຂອງຂ້ອຍ", "ຂໍ້ມູນຫ້ອງ", "ຫ້ອງຮຽນຂອງຂ້ອຍ")
_LANG = _words(r"ngon ngu", r"doi tieng", r"language", r"tieng (?:viet|lao|anh)", r"english")
_LANG_LAO = _lao("ພາສາ")
# "What can you do?": a short answer, the full list of commands one tap away.
_ABOUT = _words(
    r"what can (?:you|this bot|the bot|this thing|the assistant|this assistant) do",
    r"what do you do", r"what are you", r"who are you",
    r"lam (?:duoc|dc) (?:gi|j|nhung gi)", r"co the (?:lam|giup) (?:gi|j|duoc gi)",
    r"lam gi duoc", r"giup (?:duoc )?(?:gi|j|nhung gi)", r"ban la ai", r"bot la gi",
)  # fmt: skip
_ABOUT_LAO = _lao("ເຮັດຫຍັງໄດ້", "ຊ່ວຍຫຍັງໄດ້", "ເຈົ້າແມ່ນໃຜ")
_HELP = _words(
    r"giup(?: do)?", r"tro giup", r"huong dan", r"cach dung", r"help", r"how do i",
    r"(?:ko|k|khong|chua) hieu", r"(?:don'?t|do not|didn'?t) (?:understand|get it)",
    r"confused",
    r"commands?", r"how (?:do i|to) use", r"how does (?:this|it) work",
    r"(?:dung|su dung) (?:bot )?(?:nhu )?(?:the nao|ntn|sao)", r"how (?:does|do) (?:this|it|i)",
)  # fmt: skip
_HELP_LAO = _lao("ຊ່ວຍ", "ແນະນຳ", "ວິທີໃຊ້", "ໃຊ້ແນວໃດ", "ບໍ່ເຂົ້າໃຈ")
_SCHEDULE = _words(
    r"lich(?: hoc| trinh)?", r"chuong trinh", r"co gi", r"co j", r"hoc gi", r"hoc j",
    r"schedule", r"agenda", r"programme", r"program", r"timetable", r"what'?s on",
    r"whats on", r"vao (?:lop|hoc)", r"plan", r"what (?:do|are) we (?:have|doing)",
    r"anything on", r"hoat dong", r"co hoc", r"hoc khong", r"an trua", r"nghi trua", r"an toi",
    r"lunch", r"dinner",
)  # fmt: skip
_SCHEDULE_LAO = _lao(
    "ຕາຕະລາງ", "ມີຫຍັງ", "ໂປຣແກຣມ", "ແຜນການ", "ເຂົ້າຮຽນ", "ຮຽນຫຍັງ", "ມີຮຽນ", "ກິດຈະກຳ",
    "ເຂົ້າທ່ຽງ", "ພັກບໍ",
)  # fmt: skip

# The end of the day ("mấy giờ xong", "ເລີກຮຽນຈັກໂມງ"): that day's programme.
_DAY_END = _words(
    r"may (?:gio|h) (?:thi )?(?:xong|tan|ket thuc|nghi)", r"(?:xong|tan hoc|ket thuc) luc may",
    r"(?:finish|finishes|end|ends)(?: today| tomorrow)?", r"over for the day",
)  # fmt: skip
_DAY_END_LAO = _lao("ເລີກ", "ສິ້ນສຸດຈັກໂມງ", "ແລ້ວຈັກໂມງ")
# "chào buổi tối" is a greeting, not "buổi tới" (the next session), which reads the same.
_GREETING_FIRST = re.compile(r"^(?:xin )?chao buoi (?:sang|trua|chieu|toi)\b")
# "When is the next visit", "bao giờ đi khảo sát": the next one.
_WHEN = _words(r"bao gio", r"bh", r"khi nao", r"luc nao", r"hom nao", r"ngay nao", r"when")
_WHEN_LAO = _lao("ມື້ໃດ", "ວັນໃດ", "ເມື່ອໃດ", "ຕອນໃດ")

# Courtesies, matched only when nothing else is asked ("cảm ơn, mai học gì" is a question).
_THANKS = _words(
    r"cam on", r"cam ta", r"thanks?", r"thank you", r"thx", r"tks", r"ty", r"many thanks",
    r"cheers", r"appreciated?",
)  # fmt: skip
_THANKS_LAO = _lao("ຂອບໃຈ", "ຂອບໃຈຫຼາຍ")
_THANKS_FOR = re.compile(
    r"^(?:ok |okay |alright )?(?:thanks?|thank you|cam on)(?: \S+){0,3} "
    r"(?:for (?:your |the |all )?help(?:ing)?|vi da giup|da giup do)"
)
_GREETING = _words(
    r"xin chao", r"chao(?! mung)", r"alo", r"a lo", r"hello", r"hi", r"hey", r"hiya",
    r"(?:bot|ad|admin|anh|chi|em) oi",
    r"good (?:morning|afternoon|evening|day)", r"greetings",
)  # fmt: skip
_GREETING_LAO = _lao("ສະບາຍດີ")
_BYE = _words(
    r"tam biet", r"bye", r"goodbye", r"good night", r"chuc ngu ngon", r"hen gap lai",
    r"see you",
)  # fmt: skip
_BYE_LAO = _lao("ລາກ່ອນ", "ພົບກັນໃໝ່", "ນອນຫຼັບຝັນດີ")
# "ok", "dạ em hiểu rồi", "ໂອເຄເຈົ້າ": only when nothing but such words is written ("tôi đã
# lên xe", "I'm on the bus" are check-ins).
_ACK = re.compile(
    r"^(?:(?:ok(?:e|ay|ie)?|vang|da|duoc|dc|roi|hieu|ro|got it|great|noted|understood|fine|"
    r"alright|good|perfect|roger|tot|tuyet|a|ak|nhe|nha|em|anh|chi|ban|bot|oi|thanks?|"
    r"thank you|cam on|very|sure|cool|yes|yep|vay|the|a)\s*)+$"
)
_ACK_LAO = _lao("ໂອເຄ", "ໄດ້ເຈົ້າ", "ຮັບຊາບ", "ເຂົ້າໃຈແລ້ວ", "ແມ່ນແລ້ວ", "ເຈົ້າ", "ໄດ້", "ແລ້ວ", "ຂອບໃຈ")
_COURTESY_ONLY = 6
"""A courtesy is a short message: more words than this and it asks something."""

_TYPO_ALSO = "lich hoc hom nay ngay mai tuan sau tomorrow today schedule week visit bring"
_SYNONYMS = {
    "fly": "flight", "flying": "flight", "plane": "flight", "flights": "flight",
    "airport": "flight", "tommorow": "tomorrow", "tomorow": "tomorrow", "tommorrow": "tomorrow",
    "2moro": "tomorrow", "2morrow": "tomorrow", "tmrw": "tomorrow", "2day": "today",
    "tdy": "today", "shedule": "schedule", "wats": "what's", "whats": "what's",
}  # fmt: skip


def _vocabulary() -> frozenset[str]:
    """The Latin words the patterns above use (a typo is put right only towards one of them)."""
    words: set[str] = set(_TYPO_ALSO.split())
    for value in globals().values():
        if isinstance(value, re.Pattern) and value.pattern.isascii():
            for word, optional in re.findall(r"([a-z]{2,})(\??)", value.pattern):
                words.add(word)
                if optional:  # "lecturers?": "lecturer" too
                    words.add(word[:-1])
    return frozenset(words)


def _lao_keywords() -> tuple[str, ...]:
    """Every Lao keyword of the patterns above, longest first (taken out before matching)."""
    found: set[str] = {"ແດ່", "ເຈົ້າ", "ຕ້ອງ", "ໄປ", "ວັນໃດ", "ມື້ໃດ", "ຈັກໂມງ", "ຮຽນ", "ເລື່ອງ"}
    for value in globals().values():
        strings = isinstance(value, tuple) and all(isinstance(v, str) for v in value)
        if strings and any(not v.isascii() for v in value):
            found.update(value)
    return tuple(sorted(found, key=len, reverse=True))


@functools.cache
def _month_patterns() -> tuple[dict[str, int], re.Pattern[str], re.Pattern[str]]:
    """English and Lao month names (wide and abbreviated, from Babel) and their patterns.

    Returns the names (normalised) to month numbers, the English pattern ("15 July",
    "July 15") and the Lao one ("15ກໍລະກົດ", matched on the unspaced text).
    """
    names: dict[str, int] = {"sept": 9}
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
    if m := _ISO_DATE.search(text):
        return _nearest(today, int(m[2]), int(m[3]), int(m[1]), span)
    if m := _NUM_DATE.search(text):
        year = int(m[3]) if m[3] else None
        if year is not None and year < 100:
            year += 2000
        return _nearest(today, int(m[2]), int(m[1]), year, span)
    vi_month = re.search(r"\b(\d{1,2})\s+thang\s+(\d{1,2})\b", text)
    if vi_month:
        return _nearest(today, int(vi_month[2]), int(vi_month[1]), None, span)
    months, english, lao_months = _month_patterns()
    if m := english.search(_VI_MAY.sub("mấy", text)):
        return _nearest(today, months[m[2] or m[3]], int(m[1] or m[4]), None, span)
    if m := lao_months.search(lao):
        return _nearest(today, months[m[2]], int(m[1]), None, span)
    m = _DAY_OF_MONTH.search(text) or _DAY_OF_MONTH_LAO.search(lao) or _ORDINAL.search(text)
    if m:
        return _day_of_month(today, int(m[1]), span)
    return None


def _weekday(text: str, lao: str) -> tuple[int, str] | None:
    """The weekday named and the text without it ("thứ 6" is never the 6th of a month)."""
    if m := _VI_WEEKDAY.search(text):
        number = 6 if m[3] else _VI_WEEKDAYS[m[1] or m[2]]
        return number, text[: m.start()] + " " + text[m.end() :]
    if m := _EN_WEEKDAY.search(text):
        return _EN_WEEKDAYS[m[0]], text
    for name, number in _LAO_WEEKDAYS_LONGEST_FIRST:
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
        if upcoming == today and (_NEXT_WEEKDAY.search(norm) or _NEXT_WEEKDAY_LAO.search(lao)):
            upcoming += dt.timedelta(days=7)  # "next Wednesday" on a Wednesday
        return IntentKind.DAY, upcoming
    if _DAY_AFTER.search(norm) or "ມື້ຮື" in lao:
        return IntentKind.DAY, today + dt.timedelta(days=2)
    if _YESTERDAY.search(norm) or "ມື້ວານ" in lao:
        return IntentKind.DAY, today - dt.timedelta(days=1)
    if next_week:
        return None
    if _TOMORROW.search(norm) or "ມື້ອື່ນ" in lao:
        return IntentKind.TOMORROW, today + dt.timedelta(days=1)
    if _TODAY.search(norm) or _has(lao, _TODAY_LAO):
        return IntentKind.TODAY, today
    return None


def _fix_typos(norm: str, extra: frozenset[str] = frozenset()) -> str:
    """Words one edit away from exactly one word the parser knows, put right ("lcih" → "lich")."""
    known = _KNOWN | extra
    words = norm.split()
    changed = False
    for i, w in enumerate(words):
        w = _SYNONYMS.get(w, w)
        words[i] = w
        if len(w) < 4 or not w.isascii() or not w.isalpha() or w in known:
            continue
        close = [k for k in known if len(k) >= 4 and edit_distance(w, k) <= 1]
        # Of several, the parser's own word, then the one sharing the longest start, then
        # the one of the same length; two words of the schedule alike are left alone.
        ranked = sorted(
            (-(k in _KNOWN), -_common_start(w, k), abs(len(k) - len(w)), k) for k in close
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
    return bool(pattern.search(norm)) or _has(lao, lao_words)


def _setlang(norm: str, lao: str) -> str | None:
    if m := _SETLANG.search(norm):
        groups = m.groups()
        for index, code in enumerate(("vi", "lo", "en", "vi", "lo", "en")):
            if groups[index]:
                return code
    if _has(lao, _SETLANG_LAO_CUE):
        for code, words in _SETLANG_LAO.items():
            if _has(lao, words):
                return code
    return None


def _courtesy(norm: str, lao: str) -> IntentKind | None:
    if len(norm.split()) > _COURTESY_ONLY:
        return None
    for pattern, words, kind in (
        (_THANKS, _THANKS_LAO, IntentKind.THANKS),
        (_BYE, _BYE_LAO, IntentKind.BYE),
        (_GREETING, _GREETING_LAO, IntentKind.GREETING),
    ):
        if _matches(pattern, words, norm, lao):
            return kind
    rest = lao
    for word in sorted(_ACK_LAO, key=len, reverse=True):
        rest = rest.replace(word, "")
    if _ACK.match(norm) or (rest != lao and not rest):
        return IntentKind.ACK
    return None


def _visit_key(
    found: Found | None, kind: IntentKind, today: dt.date, day: dt.date | None = None
) -> str | None:
    """The session a question names, for ``kind``.

    Bring, meeting and return: a visit not yet past (on ``day`` if one is named); the
    return of a trip of several days is its last day's. Otherwise the first session
    not yet past, a visit before anything else sharing its words.
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
    norm = _MENTION.sub("", norm).strip()  # "@classbot hôm nay" in a group
    norm = _fix_typos(norm, index.vocabulary if index else frozenset())
    found: Found | None = None
    if index is not None:
        bare = norm.replace(" ", "")
        for word in _LAO_KEYWORDS:  # "#": never in the schedule's text (which uses "|")
            bare = bare.replace(word, "#")
        topical = _matches(_TOPICAL, _TOPICS_LAO, norm, norm.replace(" ", ""))
        found = index.find(_flights(norm), bare, _KNOWN, topical=topical)
        if found is not None and found.by_lecturer:  # "cô Mai" is no "mai" (tomorrow)
            norm = " ".join(norm.replace(found.by_lecturer, " ").split())
    lao = norm.replace(" ", "")
    short = len(norm.split()) <= 4
    if _GREETING_FIRST.search(norm) and short:
        return Intent(IntentKind.GREETING)
    if short and _matches(_BYE, _BYE_LAO, norm, lao):  # "see you tomorrow"
        return Intent(IntentKind.BYE)
    if _THANKS_FOR.search(norm):  # "thanks for your help" is no call for help
        return Intent(IntentKind.THANKS)
    if (m := _TOPIC_N.search(norm)) or (m := _TOPIC_N_LAO.search(lao)):
        return Intent(IntentKind.TOPIC, number=int(m[1]))
    if (code := _setlang(norm, lao)) is not None:
        return Intent(IntentKind.SETLANG, lang=code)
    next_week = _matches(_NEXT_WEEK, _NEXT_WEEK_LAO, norm, lao)
    named = _named_day(norm, lao, today, next_week=next_week, span=span)
    day = named[1] if named else None
    if _matches(_COUNTDOWN, _COUNTDOWN_LAO, norm, lao):
        return Intent(IntentKind.COUNTDOWN)
    # What to bring, where the bus leaves, when we return: for the visit named, or that
    # day's visit, else the next one.
    for pattern, words, kind in (
        (_BRING, _BRING_LAO, IntentKind.BRING),
        (_MEETING, _MEETING_LAO, IntentKind.MEETING),
    ):
        going = kind is IntentKind.MEETING and bool(_MEETING_LAO_GO.search(lao))
        if going or _matches(pattern, words, norm, lao):
            return Intent(kind, day=day, session=_visit_key(found, kind, today, day))
    if _RETURN.search(norm) or _RETURN_LAO.search(lao):
        key = _visit_key(found, IntentKind.RETURN, today, day)
        return Intent(IntentKind.RETURN, day=day, session=key)
    if _matches(_CLOSING, _CLOSING_LAO, norm, lao) and named is None:
        return Intent(IntentKind.CLOSING)
    if _matches(_OPENING, _OPENING_LAO, norm, lao) and named is None:
        return Intent(IntentKind.OPENING)
    if found is not None:
        if (topic := found.topic) is not None:
            return Intent(IntentKind.TOPIC, number=topic.number)
        if (key := _visit_key(found, IntentKind.SESSION, today)) is not None:
            return Intent(IntentKind.SESSION, session=key)
    if _matches(_DAY_END, _DAY_END_LAO, norm, lao):
        when = day or today
        return Intent(IntentKind.DAY, day=when) if when != today else Intent(IntentKind.TODAY)
    for pattern, words, kind in (
        (_LECTURERS, _LECTURERS_LAO, IntentKind.LECTURERS),
        (_START, _START_LAO, IntentKind.START),
        (_WHERE, _WHERE_LAO, IntentKind.WHERE),
    ):
        if _matches(pattern, words, norm, lao):
            return Intent(kind, day=None if day == today else day)
    if _matches(_GOING, _GOING_LAO, norm, lao) or (
        named is not None and _matches(_VISITS, _VISITS_LAO, norm, lao)
    ):
        if named is None and _matches(_NEXT, _NEXT_LAO, norm, lao):
            return Intent(IntentKind.VISITS, number=1)
        return Intent(IntentKind.VISITS, day=day)
    if named is not None:
        kind, when = named
        return Intent(kind, day=when) if kind is IntentKind.DAY else Intent(kind)
    if next_week:
        return Intent(IntentKind.WEEK, day=today + dt.timedelta(days=7))
    if _WEEK.search(norm) or _has(lao.replace("ວັນອາທິດ", ""), _WEEK_LAO):
        return Intent(IntentKind.WEEK)
    for pattern, words, kind in (
        (_VISITS, _VISITS_LAO, IntentKind.VISITS),
        (_NEXT, _NEXT_LAO, IntentKind.NEXT),
        (_TOPICS, _TOPICS_LAO, IntentKind.TOPICS),
        (_CLASS, _CLASS_LAO, IntentKind.CLASS),
        (_MYCLASS, _MYCLASS_LAO, IntentKind.MYCLASS),
        (_LANG, _LANG_LAO, IntentKind.LANG),
        (_ABOUT, _ABOUT_LAO, IntentKind.ABOUT),
        (_HELP, _HELP_LAO, IntentKind.HELP),
        (_SCHEDULE, _SCHEDULE_LAO, IntentKind.TODAY),
    ):
        if _matches(pattern, words, norm, lao):
            if kind is IntentKind.VISITS and (
                _matches(_NEXT, _NEXT_LAO, norm, lao) or _matches(_WHEN, _WHEN_LAO, norm, lao)
            ):
                return Intent(kind, number=1)  # "when is the next visit": that one only
            return Intent(kind)
    if (courtesy := _courtesy(norm, lao)) is not None:
        return Intent(courtesy)
    return None


_KNOWN = _vocabulary()
_LAO_KEYWORDS = _lao_keywords()


def known_words() -> frozenset[str]:
    """The Latin words the parser itself understands (its patterns' vocabulary)."""
    return _KNOWN
