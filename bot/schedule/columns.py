"""The schedule file's vocabulary: sheets, columns and kinds, in Vietnamese, English and Lao.

Headers, sheet names and kind words are matched after :func:`fold` (lower case,
no diacritics, punctuation as spaces), so "Tiêu đề (vi)", "TIEU DE VI" and
"tiêu_đề [vi]" are the same column. A header may give several names separated
by "/" ("Ngày / Date"); any of them may match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.domain import LANGS, SessionKind

LOCALIZED = "localized"


def fold(text: str) -> str:
    """Lower case, without diacritics, punctuation collapsed to single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^\w]+", " ", bare.lower()).replace("_", " ").split())


def _aliases(*names: str) -> frozenset[str]:
    return frozenset(fold(n) for n in names)


# field name -> (localized?, accepted names). Field names double as the text form's keys.
CLASS_FIELDS: dict[str, tuple[bool, frozenset[str]]] = {
    "code": (False, _aliases("code", "class code", "mã lớp", "mã", "ký hiệu")),
    "name": (True, _aliases("name", "class name", "tên lớp", "tên")),
    "organiser": (False, _aliases("organiser", "organizer", "đơn vị tổ chức", "ban tổ chức")),
    "venue": (False, _aliases("venue", "địa điểm", "nơi học", "cơ sở đào tạo")),
    "timezone": (False, _aliases("timezone", "time zone", "múi giờ")),
    "first_day": (False, _aliases("first day", "ngày bắt đầu", "từ ngày", "ngày đầu")),
    "last_day": (False, _aliases("last day", "ngày kết thúc", "đến ngày", "ngày cuối")),
    "default_lang": (
        False,
        _aliases("default language", "default lang", "language", "ngôn ngữ mặc định", "ngôn ngữ"),
    ),
    "reminder_time": (
        False,
        _aliases(
            "morning reminder", "morning reminder time", "reminder time", "giờ nhắc buổi sáng"
        ),
    ),
    "evening_notice_time": (
        False,
        _aliases("evening notice", "evening notice time", "giờ thông báo buổi tối"),
    ),
    "departure_reminder_min": (
        False,
        _aliases(
            "departure reminder min",
            "departure reminder minutes",
            "departure reminder",
            "nhắc trước giờ xuất phát phút",
            "nhắc trước giờ xuất phát",
        ),
    ),
    "rollcall_report_min": (
        False,
        _aliases("rollcall report min", "roll call report minutes", "báo cáo điểm danh phút"),
    ),
}

TOPIC_FIELDS: dict[str, tuple[bool, frozenset[str]]] = {
    "number": (False, _aliases("number", "no", "topic", "số", "stt chuyên đề", "chuyên đề số")),
    "block": (True, _aliases("block", "part", "khối", "phần", "khối chuyên đề")),
    "title": (True, _aliases("title", "tiêu đề", "tên chuyên đề")),
    "lecturer": (False, _aliases("lecturer", "speaker", "báo cáo viên", "giảng viên")),
    "summary": (True, _aliases("summary", "tóm tắt", "nội dung chính")),
}

SESSION_FIELDS: dict[str, tuple[bool, frozenset[str]]] = {
    "id": (False, _aliases("id", "key", "mã", "mã buổi")),
    "date": (False, _aliases("date", "day", "ngày")),
    "start": (False, _aliases("start", "from", "bắt đầu", "giờ bắt đầu", "từ")),
    "end": (False, _aliases("end", "to", "kết thúc", "giờ kết thúc", "đến")),
    "kind": (False, _aliases("kind", "type", "loại", "hình thức", "loại hoạt động")),
    "title": (True, _aliases("title", "tiêu đề", "nội dung", "hoạt động")),
    "topic": (False, _aliases("topic", "topic number", "chuyên đề", "chuyên đề số")),
    "lecturer": (False, _aliases("lecturer", "speaker", "báo cáo viên", "giảng viên")),
    "venue": (False, _aliases("venue", "room", "place", "địa điểm", "phòng", "hội trường")),
    "meeting_point": (True, _aliases("meeting point", "điểm tập trung", "nơi tập trung")),
    "departure": (False, _aliases("departure", "departure time", "giờ xuất phát", "xuất phát")),
    "return_time": (False, _aliases("return", "return time", "giờ về", "giờ trở về")),
    "transport": (True, _aliases("transport", "phương tiện", "phương tiện di chuyển")),
    "dress_code": (True, _aliases("dress code", "dress", "trang phục")),
    "bring": (True, _aliases("bring", "what to bring", "mang theo", "cần mang theo")),
    "latitude": (False, _aliases("latitude", "lat", "vĩ độ")),
    "longitude": (False, _aliases("longitude", "lon", "lng", "kinh độ")),
    "notes": (True, _aliases("notes", "note", "ghi chú", "lưu ý")),
}

SESSION_REQUIRED = ("date", "start", "end", "kind")
TOPIC_REQUIRED = ("number",)

SHEET_ALIASES: dict[str, frozenset[str]] = {
    "class": _aliases("class", "lớp", "lớp học", "thông tin lớp"),
    "topics": _aliases("topics", "topic", "chuyên đề", "các chuyên đề"),
    "sessions": _aliases("sessions", "schedule", "lịch", "lịch học", "chương trình"),
    "instructions": _aliases("instructions", "hướng dẫn", "readme"),
}

_LANG_WORDS: dict[str, str] = {
    fold(word): lang
    for lang, words in {
        "vi": ("vi", "viet", "tiếng việt", "vietnamese"),
        "lo": ("lo", "lao", "lào", "tiếng lào"),
        "en": ("en", "english", "anh", "tiếng anh"),
    }.items()
    for word in words
}

KIND_WORDS: dict[str, SessionKind] = {
    fold(word): kind
    for kind, words in {
        SessionKind.OPENING: (
            "opening",
            "opening ceremony",
            "khai giảng",
            "lễ khai giảng",
            "khai mạc",
            "ພິທີເປີດ",
        ),
        SessionKind.CLOSING: (
            "closing",
            "closing ceremony",
            "bế giảng",
            "lễ bế giảng",
            "bế mạc",
            "ພິທີປິດ",
        ),
        SessionKind.LECTURE: (
            "lecture",
            "class",
            "bài giảng",
            "chuyên đề",
            "lên lớp",
            "giảng",
            "ບັນຍາຍ",
            "ຫົວຂໍ້ບັນຍາຍ",
        ),
        SessionKind.FIELD_VISIT: (
            "field visit",
            "field_visit",
            "visit",
            "khảo sát thực tế",
            "khảo sát",
            "tham quan",
            "ທັດສະນະສຶກສາ",
        ),
        SessionKind.TRIP: ("trip", "study trip", "đi thực tế", "chuyến đi", "ທັດສະນະຈອນ"),
        SessionKind.SELF_STUDY: (
            "self study",
            "self_study",
            "tự học",
            "tự nghiên cứu",
            "ຮຽນດ້ວຍຕົນເອງ",
        ),
        SessionKind.BREAK: (
            "break",
            "meal",
            "lunch",
            "dinner",
            "nghỉ",
            "nghỉ giải lao",
            "ăn trưa",
            "ăn tối",
            "ăn sáng",
            "ພັກ",
            "ອາຫານທ່ຽງ",
        ),
        SessionKind.OTHER: ("other", "khác", "ອື່ນໆ"),
    }.items()
    for word in words
}


def lang_from(text: str) -> str | None:
    """Our language code for 'lo', 'Lao', 'Tiếng Lào', 'English' ..."""
    return _LANG_WORDS.get(fold(text))


def kind_from(text: str) -> SessionKind | None:
    """The session kind a word names, in any of our languages."""
    return KIND_WORDS.get(fold(text))


def sheet_role(name: str) -> str | None:
    """Which part of the workbook a sheet named ``name`` holds ("class", "topics", ...)."""
    for part in re.split(r"[-/()|]", name):
        folded = fold(part)
        for role, aliases in SHEET_ALIASES.items():
            if folded in aliases:
                return role
    return None


def match_header(
    header: str, fields: dict[str, tuple[bool, frozenset[str]]], default_lang: str | None
) -> str | None:
    """The field a column header names: ``date``, or ``title_lo`` for a localized one.

    A localized header without a language ("Tiêu đề") counts for ``default_lang``.
    """
    for part in header.split("/"):
        folded = fold(part)
        if not folded:
            continue
        for name, (is_localized, aliases) in fields.items():
            if folded in aliases or folded == fold(name):
                if is_localized:
                    return f"{name}_{default_lang}" if default_lang else None
                return name
            if is_localized:
                lang = _split_lang(folded, aliases | {fold(name)})
                if lang:
                    return f"{name}_{lang}"
    return None


def _split_lang(folded: str, aliases: Iterable[str]) -> str | None:
    for alias in aliases:
        if folded.startswith(alias + " ") and (lang := _LANG_WORDS.get(folded[len(alias) + 1 :])):
            return lang
    return None


def localized_fields(fields: dict[str, tuple[bool, frozenset[str]]]) -> list[str]:
    """Every column name a table may have: ``date``, ``title_vi``, ``title_lo`` ..."""
    out: list[str] = []
    for name, (is_localized, _) in fields.items():
        out.extend([f"{name}_{lang}" for lang in LANGS] if is_localized else [name])
    return out
