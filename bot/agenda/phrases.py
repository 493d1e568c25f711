"""The words of each question, in Vietnamese, Lao and English, and the text they are found in.

Text is normalised first (Vietnamese diacritics stripped, đ→d, lower case, Lao
spellings unified, Lao digits to ASCII, symbols and punctuation dropped, spaces
collapsed), so "hôm nay" and "hom nay" mean the same. Latin phrases are matched on
word boundaries; Lao has no spaces between words, so Lao keywords are matched as
substrings of the text with its spaces removed. :mod:`bot.agenda.intents` decides
what a question asks from these; the vocabulary here also tells it which words it
knows (:func:`known_words`) and which Lao words to take out before matching the
schedule (:data:`LAO_KEYWORDS`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from babel import dates as babel_dates

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


def has(lao: str, words: tuple[str, ...]) -> bool:
    return any(w in lao for w in words)


# Specific numbers first: "chuyên đề 3", "topic 3", "ຫົວຂໍ້ທີ 3".
TOPIC_N = re.compile(
    r"\b(?:chuyen de|cd|topic|lecture|bai|subject)\s*(?:so|no\.?|number|#|thu)?\s*(\d{1,3})\b"
    r"(?!\s*(?:/|gio|h\b|phut))"
)
TOPIC_N_LAO = re.compile(r"(?:ຫົວຂໍ້(?:ບັນຍາຍ)?|ບົດ)(?:ທີ)?(\d{1,3})")

# "Answer in Vietnamese": the language asked for, confirmed by a button.
SETLANG = re.compile(
    r"\b(?:(?:tra loi|noi|dung|chuyen sang|doi sang|sang|bang|viet|chat|rep|reply|answer|ban|"
    r"respond|speak|talk|write|switch to|change to|use|in)\b(?: \S+){0,3}? "
    r"(?:(tieng viet|vietnamese)|(tieng lao|lao|laotian)|(tieng anh|english))\b|"
    r"(?:(tieng viet|vietnamese)|(tieng lao|lao|laotian)|(tieng anh|english)) "
    r"(?:duoc khong|dc ko|duoc ko|di|nhe|please|pls|plz))"
)
SETLANG_LAO = {
    "vi": _lao("ພາສາຫວຽດ", "ພາສາວຽດ"), "lo": _lao("ພາສາລາວ"), "en": _lao("ພາສາອັງກິດ"),
}  # fmt: skip
SETLANG_LAO_CUE = _lao("ຕອບ", "ເວົ້າ", "ຂໍ", "ໃຊ້", "ປ່ຽນເປັນ", "ເປັນພາສາ")

COUNTDOWN = _words(
    r"bao lau nua", r"bao lau thi", r"con bao lau", r"con may (?:phut|tieng|gio)",
    r"may (?:phut|tieng) nua", r"bao nhieu (?:phut|tieng) nua",
    r"how (?:long|much time|many (?:minutes|mins|hours)) (?:until|till|til|before|to|left)",
    r"how (?:long|much time) (?:is )?left", r"time left", r"countdown",
    r"time (?:until|till|before|to) (?:the )?(?:next|class|lecture|start)", r"how much longer",
)  # fmt: skip
COUNTDOWN_LAO = _lao("ອີກດົນ", "ອີກຈັກນາທີ", "ອີກຈັກຊົ່ວໂມງ", "ອີກຈັກໂມງ", "ຍັງເຫຼືອຈັກນາທີ")

BRING = _words(
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
    r"what (?:do|does|should|must|shall) (?:i|we) (?:need|take)",
    r"(?:should|do|must) (?:i|we) take",
    r"need to (?:bring|take)",
    r"need (?:my |a |an |the |any )?(?!help\b)\S+ (?:for|to go|on the trip)",
    r"(?:phai|nen|co can) mang",
)
BRING_LAO = _lao(
    "ເອົາຫຍັງ", "ນຳຫຍັງ", "ຕ້ອງເອົາ", "ຄວນເອົາ", "ກຽມຫຍັງ", "ນຸ່ງ", "ແຕ່ງກາຍ", "ຊຸດຫຍັງ",
    "ຕ້ອງກຽມ", "ກະກຽມຫຍັງ",
)  # fmt: skip

# Questions only: "tôi đã lên xe" / "I'm on the bus" / "ຂຶ້ນລົດແລ້ວ" are check-ins, not questions.
MEETING = _words(
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
    r"what time (?:(?:do|does|will|shall) )?we (?:go|head|set off|leave)",
    r"pick ?up",
    r"(?:bus|coach) (?:leave|leaves|leaving|depart|departs|on|time)",
    r"^bus",
)
MEETING_LAO_GO = re.compile(r"ໄປ(?!ຮອດ)(?:.{3,})?ຈັກໂມງ$")
"""'ໄປກວາງນິງຈັກໂມງ': when do we go there."""
MEETING_LAO = _lao(
    "ຈຸດນັດພົບ", "ນັດພົບ", "ລົດອອກ", "ລົດເມອອກ", "ຂຶ້ນລົດຢູ່ໃສ", "ຂຶ້ນລົດບ່ອນໃດ", "ຂຶ້ນລົດຈັກໂມງ",
    "ອອກເດີນທາງ", "ຈຸດລວມ", "ລວມຕົວ", "ອອກຈັກໂມງ", "ອອກຈາກໃສ", "ອອກຈາກບ່ອນໃດ",
    "ນັດກັນ", "ນັດໝາຍ",
)  # fmt: skip

# "When do we get back?": the return time of that visit.
RETURN = _words(
    r"(?:may gio|may h|bao gio|khi nao|luc nao|hom nao|ngay nao|gio|may gio thi) "
    r"(?:ve|quay ve|tro ve|quay lai|ve lai)",
    r"ve (?:luc|vao luc|khoang) may", r"(?:ve|quay ve) (?:khach san|truong|den noi) luc",
    r"return(?:s|ing)?(?: time)?",
    r"(?:get|come|be|are we|will we be) back", r"fly (?:home|back)",
)  # fmt: skip
RETURN_LAO = re.compile(r"ກັບ.{0,15}(?:ຈັກໂມງ|ມື້ໃດ|ວັນໃດ)|ກັບມາຮອດ|ກັບຄືນ|ກັບເມືອ|ຈັກໂມງ(?:ຈະ|ຈຶ່ງ)?(?:ກັບ|ເມືອ)")

LECTURERS = _words(
    r"giang vien", r"bao cao vien", r"giao vien", r"dien gia", r"thay nao", r"co nao",
    r"ai (?:day|giang|bao cao|len lop|trinh bay|dung lop|phu trach)", r"nguoi (?:day|giang)",
    r"who(?:'s| is| are| will be)? (?:lecturing|teaching|the lecturers?|the speakers?|speaking|"
    r"presenting|the teachers?|giving)",
    r"who (?:lectures?|teach(?:es)?|speaks?|presents?|gives?)", r"lecturers?", r"speakers?",
    r"teachers?", r"instructors?",
)  # fmt: skip
LECTURERS_LAO = _lao("ວິທະຍາກອນ", "ໃຜບັນຍາຍ", "ຜູ້ບັນຍາຍ", "ອາຈານແມ່ນໃຜ", "ໃຜສອນ", "ອາຈານຜູ້ສອນ")
LECTURERS_LAO_WHO = re.compile(r"(?:ອາຈານ|ຄູ|ຜູ້ສອນ).{0,20}ແມ່ນໃຜ")
"""'ອາຈານມື້ອື່ນແມ່ນໃຜ': the teacher, a day between, then 'who'."""

START = _words(
    r"may (?:gio|h) (?:thi )?(?:vao hoc|vao lop|bat dau|hoc|len lop|co mat)",
    r"(?:vao hoc|vao lop|bat dau|hoc) (?:luc |tu )?may (?:gio|h)", r"(?:da )?hoc chua",
    r"bat dau (?:luc nao|khi nao)", r"gio vao (?:hoc|lop)",
    r"what time (?:do|does|will|is|are|should) (?:we|you|i|class|classes|the class|it|"
    r"lectures?|the lecture|school|things|the day) (?:start|begin|starting|beginning|be there)",
    r"when (?:(?:do|does|will|is|shall) )?(?:we|class|classes|the class|it|lectures?|the lecture|"
    r"school|the day) (?:start|begin|starting)",
    r"what time (?:we|class|classes|the class|lectures?|the lecture|school) (?:start|begin)s?",
    r"what time (?:start|begin)s?", r"(?:start|begin)s? (?:at )?what (?:time|hour)",
    r"may (?:gio|h) (?:lop|lop minh|lop hoc|chung ta|minh) (?:bat dau|vao hoc|hoc)",
    r"start(?:ing)? time", r"first (?:session|lecture|class|lesson)",
    r"(?:class|classes|lessons?) starts?",
)  # fmt: skip
START_LAO = _lao(
    "ເລີ່ມຈັກໂມງ", "ເຂົ້າຮຽນຈັກໂມງ", "ເລີ່ມຮຽນຈັກໂມງ", "ຮຽນຈັກໂມງ", "ເລີ່ມຕອນໃດ", "ໄປຮອດຈັກໂມງ",
    "ຕ້ອງຮອດຈັກໂມງ", "ມາຮອດຈັກໂມງ", "ຈັກໂມງເຂົ້າຮຽນ", "ຈັກໂມງເລີ່ມ",
)  # fmt: skip

ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
NUM_DATE = re.compile(r"(?<![\d:])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?(?![\d:])")
DAY_OF_MONTH = re.compile(
    r"\b(?:ngay|the|on)\s+(\d{1,2})(?:th|st|nd|rd)?\b(?!\s*(?:gio|h\b|:|phut|tieng|nguoi))"
)
ORDINAL = re.compile(r"\b(\d{1,2})(?:th|st|nd|rd)\b")
DAY_OF_MONTH_LAO = re.compile(r"ວັນທີ(\d{1,2})(?!\d)")
# "mấy" without its marks is "may": "thứ 6 mấy giờ", "ngày 20 mấy giờ" are not in May.
VI_MAY = re.compile(r"\bmay(?=\s+(?:gio|h\b|phut|tieng|ngay|lan|buoi|nguoi|hom|gi\b|con|mon))")

NEXT_WEEK = _words(r"tuan (?:sau|toi)", r"next week")
NEXT_WEEK_LAO = _lao("ອາທິດໜ້າ", "ອາທິດຕໍ່ໄປ")

VI_WEEKDAYS = {
    "hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2,
    "nam": 3, "5": 3, "sau": 4, "6": 4, "bay": 5, "7": 5,
}  # fmt: skip
VI_WEEKDAY = re.compile(
    r"\b(?:thu\s*(hai|ba|tu|nam|sau|bay|[2-7])(?!\s*(?:/|\.\d|-\d))|t([2-7])|(chu nhat|cn))\b"
)
# No "mon", "sat", "sun", "thu": unaccented Vietnamese "môn", "sát", "thứ" would match.
EN_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
EN_WEEKDAY = _words(*EN_WEEKDAYS)
_LAO_WEEKDAYS = {
    "ວັນຈັນ": 0, "ວັນອັງຄານ": 1, "ອັງຄານ": 1, "ວັນພຸດ": 2, "ວັນພະຫັດ": 3, "ພະຫັດ": 3,
    "ວັນສຸກ": 4, "ວັນເສົາ": 5, "ເສົາ": 5, "ວັນອາທິດ": 6,
}  # fmt: skip

# "next Wednesday", "thứ tư tới", "ວັນພຸດໜ້າ": not today, when today is that day.
NEXT_WEEKDAY = re.compile(
    r"\bnext (?:" + "|".join(EN_WEEKDAYS) + r")\b|\b(?:thu \S+|t[2-7]|cn|chu nhat) toi\b"
)
NEXT_WEEKDAY_LAO = re.compile(
    r"(?:" + "|".join(w for w in _LAO_WEEKDAYS if w.startswith("ວັນ")) + r")ຫນ້າ"
)
LAO_WEEKDAYS_LONGEST_FIRST = sorted(_LAO_WEEKDAYS.items(), key=lambda kv: -len(kv[0]))

DAY_AFTER = _words(r"ngay (?:kia|mot)", r"mot", r"day after tomorrow")
YESTERDAY = _words(r"hom qua", r"hqua", r"homqua", r"hom wa", r"yesterday")
TOMORROW = _words(r"ngay mai", r"mai", r"tomorrow'?s?", r"tmrw?", r"tmr")
TODAY = _words(
    r"(?:hom|bua|sang|trua|chieu|toi) nay",
    r"hnay",
    r"^nay",
    r"today'?s?",
    r"tonight",
    r"this (?:morning|afternoon|evening)",
)

TODAY_LAO = _lao("ມື້ນີ້", "ຕອນເຊົ້ານີ້", "ຕອນບ່າຍນີ້", "ຕອນແລງນີ້", "ຄືນນີ້", "ແລງນີ້")

# "When is the closing ceremony?": the day of that ceremony.
OPENING = _words(r"khai giang", r"khai mac", r"opening(?: ceremony| session| day)?")
OPENING_LAO = _lao("ພິທີເປີດ", "ເປີດຫ້ອງ", "ເປີດການຝຶກອົບຮົມ")
CLOSING = _words(
    r"be giang", r"be mac", r"closing(?: ceremony| session| day)?", r"graduation",
    r"last day", r"ngay cuoi", r"(?:lop|lop hoc|khoa hoc|khoa) (?:\S+ )?ket thuc",
    r"ket thuc (?:khoa hoc|lop|ngay nao|khi nao|luc nao|hom nao)",
    r"(?:class|course|training) (?:ends?|finish(?:es)?)",
    r"when does (?:the )?(?:class|course) end",
)  # fmt: skip
CLOSING_LAO = _lao(
    "ພິທີປິດ", "ປິດຫ້ອງ", "ປິດການຝຶກອົບຮົມ", "ມື້ສຸດທ້າຍ", "ຈົບຫຼັກສູດ", "ສິ້ນສຸດການຝຶກອົບຮົມ",
    "ຈົບການຝຶກອົບຮົມ", "ປິດຊຸດ", "ປິດຫຼັກສູດ",
)  # fmt: skip

WEEK = _words(
    r"tuan(?: nay)?", r"(?:this )?week(?:ly)?", r"whole week", r"ca khoa", r"full schedule",
    r"whole schedule", r"toan bo lich",
)  # fmt: skip
WEEK_LAO = _lao("ອາທິດ", "ຕາຕະລາງທັງໝົດ")
VISITS = _words(
    r"khao sat", r"thuc te", r"tham quan", r"thuc dia", r"chuyen di", r"di tham",
    r"visits?", r"field ?trips?", r"trips?", r"excursions?", r"study tours?",
)  # fmt: skip
VISITS_LAO = _lao("ທັດສະນະ", "ລົງພື້ນທີ່", "ຢ້ຽມຢາມ", "ທັດສະນະຈອນ")
# "Where do we go tomorrow?": that day's visits.
GOING = _words(
    r"di (?:dau|nhung dau|tham gi|cho nao)",
    r"where (?:are|do|will|shall) we (?:go|going|visit|visiting|heading|head)",
    r"(?:go|going|goes) (?:anywhere|somewhere)",
)  # fmt: skip
GOING_LAO = _lao("ໄປໃສ", "ໄປບ່ອນໃດ")
NEXT = _words(
    r"tiep theo", r"sau day", r"sap toi", r"sap dien ra",
    r"(?:lan|dot|chuyen|khao sat)(?: \S+){0,3} toi",
    r"ke tiep", r"buoi (?:sau|toi|tiep)",
    r"bay gio", r"dang (?:hoc|dien ra)", r"next", r"coming up", r"now", r"right now",
    r"(?:co )?gi tiep", r"tiep (?:la|co) gi", r"after this", r"what'?s after", r"then what",
)  # fmt: skip
NEXT_LAO = _lao("ຕໍ່ໄປ", "ຖັດໄປ", "ຕອນນີ້", "ດຽວນີ້", "ເທື່ອໜ້າ", "ຄັ້ງໜ້າ")
# "Where do we study?": the session now or next, with its venue (a named day: that day's).
WHERE = _words(
    r"(?:hoc|lop|lop hoc|phong hoc|hoi truong|giang duong) (?:o|tai|la|nam o) (?:dau|cho nao)",
    r"(?:hoc|lop hoc) (?:o )?(?:phong|hoi truong) (?:nao|may|so may)",
    r"phong (?:nao|so may|hoc)", r"hoi truong nao",
    r"where (?:is|are|do we have) (?:the |our |my )?(?:class|classes|lecture|classroom|lesson)",
    r"where (?:do|will|shall) we (?:study|learn|have (?:class|the lecture))",
    r"where'?s? (?:is )?(?:the |our )?(?:today'?s |tomorrow'?s )?"
    r"(?:lecture|class|classroom|hall|room|lecture hall)\b",
    r"where(?: \S+){0,4} (?:held|take place|takes place)",
    r"(?:which|what) (?:room|hall|classroom|building)", r"classroom(?: number)?",
)  # fmt: skip
WHERE_LAO = _lao(
    "ຮຽນຢູ່ໃສ", "ຮຽນບ່ອນໃດ", "ຫ້ອງຮຽນຢູ່ໃສ", "ຫ້ອງປະຊຸມຢູ່ໃສ", "ຫ້ອງໃດ", "ຮຽນຢູ່ບ່ອນໃດ",
)  # fmt: skip
MENTION = re.compile(r"(?<!\S)@\w+")
TOPICS = _words(
    r"chuyen de", r"bai giang", r"noi dung hoc", r"topics?", r"lectures", r"syllabus",
    r"mon hoc",
)  # fmt: skip
TOPICS_LAO = _lao("ຫົວຂໍ້", "ບົດບັນຍາຍ")
TOPICAL = _words(r"chuyen de", r"bai(?: giang| hoc)?", r"topics?", r"lectures?", r"cd")
_FLIGHT = re.compile(r"\b(?:chuyen )?bay (?=ve|di|sang|tu)|\b(?=ve nuoc\b)")


def flights(norm: str) -> str:
    """'bay về' (fly back), 'về nước' (home) as the schedule's English says it: 'flight'."""
    return _FLIGHT.sub("flight ", norm)


CLASS = _words(r"doi lop", r"chuyen lop", r"chon lop", r"switch class", r"change class")
CLASS_LAO = _lao("ປ່ຽນຫ້ອງ", "ເລືອກຫ້ອງ")
MYCLASS = _words(r"lop (?:cua )?(?:toi|em|minh)", r"thong tin lop", r"my class", r"class info")
MYCLASS_LAO = _lao("ຫ້ອງຂອງຂ້ອຍ", "ຂໍ້ມູນຫ້ອງ", "ຫ້ອງຮຽນຂອງຂ້ອຍ")
LANG = _words(r"ngon ngu", r"doi tieng", r"language", r"tieng (?:viet|lao|anh)", r"english")
LANG_LAO = _lao("ພາສາ")
# "What can you do?": a short answer, the full list of commands one tap away.
ABOUT = _words(
    r"what can (?:you|this bot|the bot|this thing|the assistant|this assistant) do",
    r"what do you do", r"what are you", r"who are you", r"what (?:you|this bot) can do",
    r"lam (?:duoc|dc) (?:gi|j|nhung gi)", r"co the (?:lam|giup) (?:gi|j|duoc gi)",
    r"lam gi duoc", r"giup (?:duoc )?(?:gi|j|nhung gi)", r"ban la ai", r"bot la gi",
)  # fmt: skip
ABOUT_LAO = _lao("ເຮັດຫຍັງໄດ້", "ຊ່ວຍຫຍັງໄດ້", "ເຈົ້າແມ່ນໃຜ")
HELP = _words(
    r"giup(?: do)?", r"tro giup", r"huong dan", r"cach dung", r"help", r"how do i",
    r"(?:ko|k|khong|chua) hieu", r"(?:don'?t|do not|didn'?t) (?:understand|get it)",
    r"confused",
    r"commands?", r"how (?:do i|to) use", r"how does (?:this|it) work",
    r"(?:dung|su dung) (?:bot )?(?:nhu )?(?:the nao|ntn|sao)", r"how (?:does|do) (?:this|it|i)",
)  # fmt: skip
HELP_LAO = _lao("ຊ່ວຍ", "ແນະນຳ", "ວິທີໃຊ້", "ໃຊ້ແນວໃດ", "ບໍ່ເຂົ້າໃຈ")
SCHEDULE = _words(
    r"lich(?: hoc| trinh)?", r"chuong trinh", r"co gi", r"co j", r"hoc gi", r"hoc j",
    r"schedule", r"agenda", r"programme", r"program", r"timetable", r"what'?s on",
    r"whats on", r"vao (?:lop|hoc)", r"plan", r"what (?:do|are) we (?:have|doing)",
    r"anything on", r"hoat dong", r"co hoc", r"hoc khong", r"an trua", r"nghi trua", r"an toi",
    r"lunch", r"dinner",
)  # fmt: skip
SCHEDULE_LAO = _lao(
    "ຕາຕະລາງ", "ມີຫຍັງ", "ໂປຣແກຣມ", "ແຜນການ", "ເຂົ້າຮຽນ", "ຮຽນຫຍັງ", "ມີຮຽນ", "ກິດຈະກຳ",
    "ເຂົ້າທ່ຽງ", "ພັກບໍ",
)  # fmt: skip

# The end of the day ("mấy giờ xong", "ເລີກຮຽນຈັກໂມງ"): that day's programme.
DAY_END = _words(
    r"may (?:gio|h) (?:thi )?(?:xong|tan|ket thuc|nghi)", r"(?:xong|tan hoc|ket thuc) luc may",
    r"(?:finish|finishes|end|ends)(?: today| tomorrow)?", r"over for the day",
)  # fmt: skip
DAY_END_LAO = _lao("ເລີກ", "ສິ້ນສຸດຈັກໂມງ", "ແລ້ວຈັກໂມງ")
# "chào buổi tối" is a greeting, not "buổi tới" (the next session), which reads the same.
GREETING_FIRST = re.compile(r"^(?:xin )?chao buoi (?:sang|trua|chieu|toi)\b")
# "When is the next visit", "bao giờ đi khảo sát": the next one.
WHEN = _words(r"bao gio", r"bh", r"khi nao", r"luc nao", r"hom nao", r"ngay nao", r"when")
WHEN_LAO = _lao("ມື້ໃດ", "ວັນໃດ", "ເມື່ອໃດ", "ຕອນໃດ")
# "Hôm nào về lại Hà Nội": the day, not the hour (the trip home, not today's return time).
WHICH_DAY = _words(r"hom nao", r"ngay nao", r"(?:which|what) day", r"what date")
WHICH_DAY_LAO = _lao("ມື້ໃດ", "ວັນໃດ", "ວັນທີເທົ່າໃດ")

# Courtesies, matched only when nothing else is asked ("cảm ơn, mai học gì" is a question).
THANKS = _words(
    r"cam on", r"cam ta", r"thanks?", r"thank you", r"thx", r"tks", r"ty", r"many thanks",
    r"cheers", r"appreciated?",
)  # fmt: skip
THANKS_LAO = _lao("ຂອບໃຈ", "ຂອບໃຈຫຼາຍ")
THANKS_FOR = re.compile(
    r"^(?:ok |okay |alright )?(?:thanks?|thank you|cam on)(?: \S+){0,3} "
    r"(?:for (?:your |the |all )?help(?:ing)?|vi da giup|da giup do)"
)
GREETING = _words(
    r"xin chao", r"chao(?! mung)", r"alo", r"a lo", r"hello", r"hi", r"hey", r"hiya",
    r"(?:bot|ad|admin|anh|chi|em) oi",
    r"good (?:morning|afternoon|evening|day)", r"greetings",
)  # fmt: skip
GREETING_LAO = _lao("ສະບາຍດີ")
BYE = _words(
    r"tam biet", r"bye", r"goodbye", r"good night", r"chuc ngu ngon", r"hen gap lai",
    r"see you",
)  # fmt: skip
BYE_LAO = _lao("ລາກ່ອນ", "ພົບກັນໃໝ່", "ນອນຫຼັບຝັນດີ")
# "ok", "dạ em hiểu rồi", "ໂອເຄເຈົ້າ": only when nothing but such words is written ("tôi đã
# lên xe", "I'm on the bus" are check-ins).
ACK = re.compile(
    r"^(?:(?:ok(?:e|ay|ie)?|vang|da|duoc|dc|roi|hieu|ro|got it|great|noted|understood|fine|"
    r"alright|good|perfect|roger|tot|tuyet|a|ak|nhe|nha|em|anh|chi|ban|bot|oi|thanks?|"
    r"thank you|cam on|very|sure|cool|yes|yep|vay|the|a)\s*)+$"
)
ACK_LAO = _lao(
    "ໂອເຄ", "ໄດ້ເຈົ້າ", "ຮັບຊາບ", "ເຂົ້າໃຈແລ້ວ", "ແມ່ນແລ້ວ", "ເຈົ້າ", "ໄດ້", "ແລ້ວ", "ຂອບໃຈ", "ໄດ້ເລີຍ", "ເລີຍ"
)
COURTESY_ONLY = 6
"""A courtesy is a short message: more words than this and it asks something."""

_TYPO_ALSO = "lich hoc hom nay ngay mai tuan sau tomorrow today schedule week visit bring"
SYNONYMS = {
    "fly": "flight", "flying": "flight", "plane": "flight", "flights": "flight",
    "airport": "flight", "tommorow": "tomorrow", "tomorow": "tomorrow", "tommorrow": "tomorrow",
    "2moro": "tomorrow", "2morrow": "tomorrow", "tmrw": "tomorrow", "2day": "today",
    "metro": "railway", "subway": "railway",
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
def month_patterns() -> tuple[dict[str, int], re.Pattern[str], re.Pattern[str]]:
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


KNOWN = _vocabulary()
LAO_KEYWORDS = _lao_keywords()


def known_words() -> frozenset[str]:
    """The Latin words the parser itself understands (its patterns' vocabulary)."""
    return KNOWN
