"""The organiser's own programme: the table they already write, read into sessions.

Organisers keep the programme (*lịch học*) in Excel in their own shape: a title
block above the table, a signature block below it, headers in their words
("Ngày | Buổi | Thời gian | Nội dung | Báo cáo viên | Địa điểm | Ghi chú",
"ວັນທີ | ເວລາ | ເນື້ອໃນ | ຜູ້ບັນຍາຍ | ສະຖານທີ່ | ໝາຍເຫດ"), one date merged over
a day's rows or a full-width day row ("THỨ HAI, NGÀY 15/07/2024"), "Sáng" /
"Chiều" with or without times, a time range in one cell ("7h30-11h00"), the
kind in the content ("Chuyên đề 3: …", "Khảo sát thực tế …") and the bus in a
note ("Xe xuất phát 13h30 tại sảnh Hội trường A").

:func:`read_sheet_rows` finds the table wherever it starts on the sheet, reads
each row into the template's fields and leaves the judging to
:mod:`bot.schedule.check`. Such a file has no class details: it goes into an
existing class (``base``), whose year, language and topics it uses. Whatever is
inferred (a kind, a year, times from "Sáng", a departure from a note) becomes a
note shown in the preview.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.domain import Schedule, SessionKind
from bot.i18n import N_
from bot.schedule.columns import SESSION_FIELDS, fold, kind_from
from bot.schedule.problems import Msgid, Problem, ScheduleProblems
from bot.schedule.read import (
    Cell,
    RawFile,
    RawRow,
    RawTable,
    SheetRows,
    _Collector,
    _table,
    column_label,
    duplicate_columns,
    find_header,
    read_file,
)
from bot.schedule.values import as_date, as_text, as_time

HEADER_SCAN = 30
"""The table's header is looked for in the sheet's first rows (under the title block)."""

_ALIASES: dict[str, tuple[str, ...]] = {
    "skip": ("stt", "tt", "so tt", "so thu tu", "no", "ລຳດັບ", "ລດ"),
    "date": (
        "ngay",
        "ngay thang",
        "thu ngay",
        "ngay thang nam",
        "thoi gian ngay",
        "date",
        "day",
        "ວັນທີ",
        "ວັນ",
        "ວັນເດືອນປີ",
    ),
    "part": ("buoi", "buoi hoc", "ca", "ca hoc", "session", "part of day", "ພາກ", "ຕອນ"),
    "time": ("thoi gian", "gio", "gio hoc", "khung gio", "time", "hours", "ເວລາ"),
    "start": ("tu", "tu gio", "bat dau", "gio bat dau", "start", "from", "ເລີ່ມ"),
    "end": ("den", "den gio", "ket thuc", "gio ket thuc", "end", "to", "until", "ສິ້ນສຸດ", "ເຖິງ"),
    "content": (
        "noi dung",
        "chuong trinh",
        "hoat dong",
        "cong viec",
        "content",
        "contents",
        "activity",
        "activities",
        "programme",
        "program",
        "ເນື້ອໃນ",
        "ກິດຈະກຳ",
        "ລາຍການ",
    ),
    "lecturer": (
        "bao cao vien",
        "giang vien",
        "chu tri",
        "nguoi trinh bay",
        "nguoi thuc hien",
        "nguoi phu trach",
        "lecturer",
        "lecturers",
        "speaker",
        "speakers",
        "presenter",
        "chair",
        "ຜູ້ບັນຍາຍ",
        "ວິທະຍາກອນ",
        "ຜູ້ລາຍງານ",
        "ຜູ້ເປັນປະທານ",
        "ຜູ້ຮັບຜິດຊອບ",
        "ຜູ້ນຳສະເໜີ",
    ),
    "audience": (
        "thanh phan",
        "thanh phan tham du",
        "doi tuong",
        "participants",
        "attendees",
        "ຜູ້ເຂົ້າຮ່ວມ",
        "ອົງປະກອບ",
    ),
    "venue": (
        "dia diem",
        "noi hoc",
        "phong",
        "phong hoc",
        "hoi truong",
        "venue",
        "place",
        "location",
        "room",
        "ສະຖານທີ່",
        "ບ່ອນ",
    ),
    "notes": ("ghi chu", "luu y", "note", "notes", "remarks", "ໝາຍເຫດ"),
    "kind": ("hinh thuc", "loai", "loai hinh", "kind", "type", "ປະເພດ", "ຮູບແບບ"),
}
_BY_LENGTH: list[tuple[str, str]] = sorted(
    ((fold(alias), name) for name, aliases in _ALIASES.items() for alias in aliases),
    key=lambda pair: -len(pair[0]),
)
_LAO = re.compile(r"[\u0e80-\u0eff]")


def header_field(text: str, extra: dict[str, str] | None = None) -> str | None:
    """The programme field a header names, in vi, lo or en, with or without diacritics.

    "Nội dung học tập", "NOI DUNG", "Chủ trì / Báo cáo viên" and "ເນື້ອໃນ" are all
    recognised: a header matches an alias exactly, starts with it, or (for words of
    four letters or more) contains it as whole words. ``extra`` holds the headers an
    organiser mapped by hand for the class (folded text → field).
    """
    if extra and (whole := extra.get(fold(text))):
        return whole
    for part in re.split(r"[/|\n]", text):
        folded = fold(part)
        if not folded:
            continue
        if extra and folded in extra:
            return extra[folded]
        padded = f" {folded} "
        # Lao is written without spaces between words: "ວັນ ເດືອນ ປີ" is "ວັນເດືອນປີ".
        joined = folded.replace(" ", "") if _LAO.search(folded) else folded
        for alias, name in _BY_LENGTH:
            if folded == alias or joined == alias:
                return name
        for alias, name in _BY_LENGTH:
            if len(alias) < 4:
                continue
            if _LAO.search(alias):
                if alias in joined:
                    return name
            elif f" {alias} " in padded:
                return name
    return None


_PARTS: dict[str, str] = {
    fold(word): part
    for part, words in {
        "morning": ("sáng", "buổi sáng", "morning", "am", "ເຊົ້າ", "ຕອນເຊົ້າ", "ພາກເຊົ້າ"),
        "afternoon": ("chiều", "buổi chiều", "afternoon", "pm", "ບ່າຍ", "ຕອນບ່າຍ", "ພາກບ່າຍ"),
        "evening": ("tối", "buổi tối", "evening", "night", "ແລງ", "ຕອນແລງ", "ພາກແລງ"),
    }.items()
    for word in words
}
PART_HOURS: dict[str, tuple[dt.time, dt.time]] = {
    "morning": (dt.time(8, 0), dt.time(11, 30)),
    "afternoon": (dt.time(13, 30), dt.time(17, 0)),
    "evening": (dt.time(19, 0), dt.time(21, 0)),
}
"""The hours a part of the day stands for when the programme gives no times."""


def part_of_day(text: str) -> str | None:
    """'morning' for "Sáng", "BUỔI SÁNG", "ຕອນເຊົ້າ"; ``None`` for anything else."""
    folded = fold(text)
    if folded in _PARTS:
        return _PARTS[folded]
    words = folded.split()
    return _PARTS.get(words[0]) if len(words) <= 3 and words else None


_TIME_TEXT = r"\d{1,2}\s*(?:[:hg.]|giờ|gio)\s*\d{0,2}(?:\s*(?:phút|p\b|'))?"
_TIMES = re.compile(_TIME_TEXT, re.IGNORECASE)


def times_in(text: str) -> list[dt.time]:
    """Every time written in ``text`` ("7h30-11h00", "07h30 - 08h00", "08:00-11:30")."""
    found: list[dt.time] = []
    for match in _TIMES.finditer(text):
        value = as_time(re.sub(r"\s+", "", match.group(0)).rstrip("'p").removesuffix("phút"))
        if value is not None:
            found.append(value)
    return found


_WEEKDAYS = (
    r"thứ\s*(?:hai|ba|tư|năm|sáu|bảy|bẩy|2|3|4|5|6|7)|chủ\s*nhật|cn|t[2-7]"
    r"|ວັນ(?:ຈັນ|ອັງຄານ|ພຸດ|ພະຫັດ|ສຸກ|ເສົາ|ອາທິດ)"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
)
_DAY_TEXT = re.compile(
    rf"^\s*(?:(?:{_WEEKDAYS})\s*[,.\-–:]?\s*)?(\()?\s*(?:(?:ngày|ວັນທີ|date)\s*)?"
    r"(\d{1,2})\s*(?:[/.\-]|\s+tháng\s+)\s*(\d{1,2})"
    r"(?:\s*(?:[/.\-]|\s+năm\s+)\s*(\d{4}|\d{2}))?"
    r"\s*(?(1)\))"  # "Thứ 2 (15/7)": the date in brackets after the weekday
    rf"\s*[,.\-–:]?\s*(?:\(?(?:{_WEEKDAYS})\)?)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DayText:
    """A date read from a programme cell; ``year_given`` is false for "Thứ Hai, 15/7"."""

    day: dt.date
    year_given: bool


def day_from(value: Any, base: Schedule | None) -> DayText | None:
    """A date cell as organisers write it: a date, "Thứ Hai\\n15/07/2024", "THỨ HAI, NGÀY
    15/07/2024", "Thứ Hai, 15/7" (the year is the class's), "ວັນຈັນ 15/07/2024".

    Anything else in the cell ("15/07/2024 hoãn") makes it unreadable: a date is
    never taken from the start of a longer text.
    """
    if isinstance(value, (dt.datetime | dt.date, int | float)):
        day = as_date(value)
        return DayText(day, True) if day else None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if (day := as_date(text)) is not None:
        return DayText(day, True)
    match = _DAY_TEXT.match(text)
    if not match:
        return None
    d, m, y = int(match[2]), int(match[3]), match[4]
    try:
        if y:
            year = int(y) + (2000 if len(y) == 2 else 0)
            return DayText(dt.date(year, m, d), True)
        if base is None:
            return None
        first, last = base.cls.first_day, base.cls.last_day
        for year in (first.year, last.year, first.year + 1):
            candidate = dt.date(year, m, d)
            if first <= candidate <= last:
                return DayText(candidate, False)
        return DayText(dt.date(first.year, m, d), False)
    except ValueError:
        return None


_TOPIC = re.compile(
    r"^\s*(?:chuyên\s*đề|chuyen\s*de|cđ|cd|topic|ຫົວຂໍ້(?:ບັນຍາຍ)?|ບົດ)\s*(?:số|so|no\.?)?\s*"
    r"(\d{1,3})\s*[:.\-–)]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_KIND_PATTERNS: tuple[tuple[re.Pattern[str], SessionKind], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"khai\s*giảng|khai\s*mạc|opening|ພິທີເປີດ|ເປີດຝຶກອົບຮົມ|ເປີດຊຸດ", SessionKind.OPENING),
        (r"bế\s*giảng|bế\s*mạc|closing|ພິທີປິດ|ປິດຝຶກອົບຮົມ|ປິດຊຸດ", SessionKind.CLOSING),
        (r"nghiên\s*cứu\s*thực\s*tế|study\s*trip|ທັດສະນະຈອນ", SessionKind.TRIP),
        (
            r"khảo\s*sát|tham\s*quan|thực\s*tế\s*tại|field\s*visit|site\s*visit|visit\b"
            r"|ທັດສະນະສຶກສາ|ຢ້ຽມຢາມ|ລົງຢ້ຽມ",
            SessionKind.FIELD_VISIT,
        ),
        (r"tự\s*học|tự\s*nghiên\s*cứu|self[-\s]*study|ຮຽນດ້ວຍຕົນເອງ", SessionKind.SELF_STUDY),
        (
            r"nghỉ\s*trưa|nghỉ\s*giải\s*lao|giải\s*lao|ăn\s*trưa|ăn\s*tối|ăn\s*sáng|nghỉ"
            r"|lunch|break|dinner|ພັກທ່ຽງ|ພັກຜ່ອນ|ພັກສວຍ|ອາຫານທ່ຽງ|ອາຫານແລງ",
            SessionKind.BREAK,
        ),
    )
)


def kind_of(content: str) -> tuple[SessionKind, int | None, str]:
    """The kind the content names, the topic number and its title ("Chuyên đề 3: …")."""
    if match := _TOPIC.match(content):
        return SessionKind.LECTURE, int(match[1]), " ".join(match[2].split())
    for pattern, kind in _KIND_PATTERNS:
        if pattern.search(content):
            return kind, None, ""
    return SessionKind.LECTURE, None, ""


_DEPARTURE = re.compile(
    r"(?:\b(?:xe|ô\s*tô)\s+)?(?:xuất\s*phát|khởi\s*hành|đón|đi\s*bộ|tập\s*trung"
    r"|departure|departs?|leaves?)"
    r"|ລົດ\s*ອອກ(?:ເດີນທາງ)?|ອອກເດີນທາງ",
    re.IGNORECASE,
)
_PLACE = re.compile(r"^\s*(?:tại|ở|từ|from|at|ທີ່|ຈາກ|ຢູ່)\s*[:]?\s*(.+?)\s*[.;]?\s*$", re.I | re.S)
_END_MARK = re.compile(
    r"^\s*(?:kết\s*thúc|hết|tan\s*học|end|finish|close|ສິ້ນສຸດ|ເລີກ|ເລີກຮຽນ)"
    r"(?:\s+(?:ngày\s*học|buổi\s*học|of\s*(?:the\s*)?day|day|ການຮຽນ))?\s*[.!]?\s*$",
    re.IGNORECASE,
)
_PLACE_THEN_TIME = re.compile(
    rf"^\s*(?:tại|ở|từ|from|at|ທີ່|ຈາກ|ຢູ່)\s*:?\s*(.+?)\s*,?\s*(?:lúc|vào\s*lúc|at|ເວລາ)\s*({_TIME_TEXT})"
    r"\s*(?:ໂມງ|giờ)?\s*[.;]?\s*$",
    re.IGNORECASE,
)
_LECTURER_LINE = re.compile(
    r"^\s*(?:[-–•+*]\s*)?(?:báo\s*cáo\s*viên|bcv|giảng\s*viên|trình\s*bày|lecturer|speaker|ຜູ້ບັນຍາຍ|ວິທະຍາກອນ)"
    r"\s*[:\-–]\s*(.+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Departure:
    """A bus departure read from a note: its time and, if given, the meeting point."""

    time: dt.time
    place: str
    line: str


def departure_in(text: str) -> Departure | None:
    """ "Xe xuất phát 13h30 tại sảnh Hội trường A", "ລົດອອກ 13:30 ທີ່ ..." → time and place."""
    for line in re.split(r"[\n;]", text):
        match = _DEPARTURE.search(line)
        if not match:
            continue
        rest = line[match.end() :]
        rest = re.sub(r"^\s*(?:lúc|vào\s*lúc|at|ເວລາ|ໂມງ)?\s*", "", rest, flags=re.IGNORECASE)
        when = _TIMES.match(rest)
        if not when:
            # "Xe đón tại khách sạn lúc 13h15": the place first, then "lúc" and the time
            late = _PLACE_THEN_TIME.match(rest)
            if late and (value := times_in(late[2])):
                return Departure(value[0], late[1].strip(), line.strip())
            continue
        value = times_in(when.group(0))
        if not value:
            continue
        after = rest[when.end() :]
        after = re.sub(r"^\s*(?:ໂມງ|giờ)?", "", after)
        place = _PLACE.match(after)
        return Departure(value[0], place[1] if place else "", line.strip())
    return None


_SIGNATURE = re.compile(
    r"^(?:tm\.?|kt\.?|t\/?l\.?|q\.?)?\s*(?:trưởng\s*ban|phó\s*trưởng\s*ban|giám\s*đốc"
    r"|phó\s*giám\s*đốc|hiệu\s*trưởng|chánh\s*văn\s*phòng|người\s*lập(?:\s*biểu)?|nơi\s*nhận"
    r"|ban\s*tổ\s*chức\s*$|ຫົວໜ້າ|ຮອງຫົວໜ້າ|ຜູ້ອຳນວຍການ|ປະທານ|ຄະນະຈັດຕັ້ງ\s*$"
    r"|head\s+of|director|prepared\s+by)",
    re.IGNORECASE,
)

KIND_LABELS: dict[SessionKind, str] = {
    SessionKind.OPENING: N_("opening ceremony"),
    SessionKind.CLOSING: N_("closing ceremony"),
    SessionKind.LECTURE: N_("lecture"),
    SessionKind.FIELD_VISIT: N_("field visit"),
    SessionKind.TRIP: N_("study trip"),
    SessionKind.SELF_STUDY: N_("self-study"),
    SessionKind.BREAK: N_("break"),
    SessionKind.OTHER: N_("other"),
}

NOT_A_PROGRAMME = N_(
    "The first sheet has no programme table I recognise. Expected a header row such as "
    "“Ngày | Buổi | Thời gian | Nội dung | Báo cáo viên | Địa điểm | Ghi chú” (or "
    "“ວັນທີ | ເວລາ | ເນື້ອໃນ | ຜູ້ບັນຍາຍ | ສະຖານທີ່ | ໝາຍເຫດ”), or our template: /template "
    "gives a blank one."
)
NO_CLASS = N_(
    "This programme has no class details, so it goes into an existing class: send it with "
    "/upload in that class's chat, or on the command line: classbot import FILE --class CODE."
)
NO_TIME = N_(
    "No time for this row: write a time (07h30-11h00) or the part of the day (Sáng, Chiều)."
)
NO_DATE = N_("No date for this row: write it in the date column or in a day row above.")
BAD_DAY = N_('"{value}" is not a date (write it as 15/07/2024 or Thứ Hai, 15/7).')


@dataclass(slots=True)
class _Row:
    number: int
    day: dt.date
    part: str | None
    start: dt.time | None
    end: dt.time | None
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(slots=True)
class _Notes:
    kinds: dict[SessionKind, list[int]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    parts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    departures: list[int] = field(default_factory=list)
    visits_without_departure: list[int] = field(default_factory=list)


def _rows_text(rows: Iterable[int]) -> str:
    listed = list(rows)
    shown = ", ".join(map(str, listed[:15]))
    return shown + (" …" if len(listed) > 15 else "")


def _mapping(
    rows: list[tuple[int, list[Any]]], extra: dict[str, str] | None = None
) -> tuple[int, dict[int, str]]:
    """The header row's index and its column → field, or (-1, {}) if there is none."""
    for index, (_, values) in enumerate(rows[:HEADER_SCAN]):
        found = {
            i: name
            for i, v in enumerate(values)
            if isinstance(v, str) and (name := header_field(v, extra)) is not None
        }
        names = set(found.values())
        if "content" in names and names & {"date", "time", "start", "part"} and len(names) >= 3:
            if index + 1 < len(rows):
                below = {
                    i: name
                    for i, v in enumerate(rows[index + 1][1])
                    if isinstance(v, str) and (name := header_field(v, extra)) in ("start", "end")
                }
                if len(below) >= 2 and not times_in(" ".join(map(str, rows[index + 1][1]))):
                    found.update(below)
                    return index + 1, found
            return index, found
    return -1, {}


class NeedsMapping(ScheduleProblems):
    """A table whose columns were not recognised: the header row the bot found, for the
    organiser to map by hand (``columns``: (label, header text) per column)."""

    def __init__(
        self, problems: Iterable[Problem], row: int, columns: tuple[tuple[str, str], ...]
    ) -> None:
        super().__init__(problems)
        self.row = row
        self.columns = columns


def header_candidate(rows: list[tuple[int, list[Any]]]) -> tuple[int, tuple[tuple[str, str], ...]]:
    """The likeliest header row: the first one with the most text cells (at least three)."""
    best: tuple[int, list[Any]] | None = None
    count = 2
    for number, values in rows[:HEADER_SCAN]:
        texts = sum(1 for v in values if isinstance(v, str) and v.strip())
        if texts > count:
            best, count = (number, values), texts
    if best is None:
        return 0, ()
    number, values = best
    columns = tuple(
        (column_label(i, values), " ".join(v.split()))
        for i, v in enumerate(values)
        if isinstance(v, str) and v.strip()
    )
    return number, columns


def read_upload(
    data: bytes,
    filename: str,
    base: Schedule | None = None,
    headers: dict[str, str] | None = None,
) -> RawFile:
    """Read any file an organiser sends: our formats, or their own programme (a workbook
    without a class sheet), into ``base``'s class; ``headers`` are the class's own
    column names mapped by hand (folded header → field)."""

    def programme(sheet: SheetRows, base: Any, out: _Collector) -> RawFile:
        return read_sheet_rows(sheet, base, out, headers)

    return read_file(data, filename, base, programme)


def read_sheet_rows(
    sheet: SheetRows,
    base: Schedule | None,
    out: _Collector,
    headers: dict[str, str] | None = None,
) -> RawFile:
    """Read the first visible sheet of a workbook without a class sheet.

    Our template's sessions columns are read as a sessions-only file (like a CSV);
    otherwise the organiser's layout. Either way the class comes from ``base``.
    """
    template_at, template = find_header(sheet.rows, SESSION_FIELDS, None, HEADER_SCAN)
    names = set(template.values())
    if template_at >= 0 and {"date", "start", "end", "kind"} <= names:
        lang = base.cls.default_lang if base else None
        table = _table(sheet.title, sheet.rows, SESSION_FIELDS, lang, out, sheet.covered)
        return RawFile("xlsx", None, sheet.title, None, table, partial=True)
    header_at, mapping = _mapping(sheet.rows, headers)
    if header_at < 0:
        row, columns = header_candidate(sheet.rows)
        problem = Problem(NOT_A_PROGRAMME, {}, sheet.title)
        if columns:
            raise NeedsMapping([problem], row, columns)
        raise ScheduleProblems([problem])
    if base is None:
        raise ScheduleProblems([Problem(NO_CLASS, {}, sheet.title)])
    number, header = sheet.rows[header_at][0], sheet.rows[header_at][1]
    if header_at > 0 and sheet.rows[header_at - 1][0] == number - 1:
        upper = sheet.rows[header_at - 1][1]
        header = [
            (upper[i] if i < len(upper) else None)
            if (i >= len(header) or header[i] is None)
            else header[i]
            for i in range(max(len(header), len(upper)))
        ]
    kept = {i: n for i, n in mapping.items() if n not in ("skip", "audience")}
    out.problems.extend(duplicate_columns(sheet.title, header, kept, number))
    out.finish()
    raw = _Reader(sheet, base, out, header, kept).read(header_at)
    raw.heading = [
        " ".join(as_text(v).split()) for _, values in sheet.rows[:header_at] for v in values if v
    ]
    return raw


class _Reader:
    def __init__(
        self,
        sheet: SheetRows,
        base: Schedule,
        out: _Collector,
        header: list[Any],
        mapping: dict[int, str],
    ) -> None:
        self.sheet, self.base, self.out = sheet, base, out
        self.lang = base.cls.default_lang
        self.columns = {name: i for i, name in mapping.items()}
        self.labels = {name: column_label(i, header) for i, name in mapping.items()}
        self.notes = _Notes()
        self.topics: dict[int, str] = {}

    def cell(self, values: list[Any], number: int, name: str) -> Cell | None:
        index = self.columns.get(name)
        if index is None or index >= len(values) or values[index] is None:
            return None
        raw = values[index]
        if isinstance(raw, str):
            raw = self.out.value(raw, self.sheet.title, number, self.labels[name])
            if raw is None:
                return None
        return Cell(raw, number, self.labels[name])

    def text_lang(self, text: str) -> str:
        """The language a programme's text is in: Lao by its script, else Vietnamese (or
        English for plain ASCII in an English class)."""
        if _LAO.search(text):
            return "lo"
        if text.isascii() and self.lang == "en":
            return "en"
        return "vi"

    def problem(self, message: str, params: dict[str, object], cell: Cell | None, row: int) -> None:
        column = cell.column if cell else ""
        self.out.problems.append(Problem(message, params, self.sheet.title, row, column))

    def read(self, header_at: int) -> RawFile:
        rows: list[_Row] = []
        day: dt.date | None = None
        part: str | None = None
        for number, values in self.sheet.rows[header_at + 1 :]:
            texts = [as_text(v) for v in values if v is not None and as_text(v)]
            if not texts:
                continue
            if _SIGNATURE.match(fold_keep_case(texts[0])) and rows:
                break
            distinct = list(dict.fromkeys(texts))
            if len(distinct) == 1:
                found = day_from(distinct[0], self.base)
                if found is not None:
                    day, part = self._day(found, number), None
                    continue
                if (alone := part_of_day(distinct[0])) is not None:
                    part = alone
                    continue
            date_cell = self.cell(values, number, "date")
            if date_cell is not None:
                found = day_from(date_cell.value, self.base)
                if found is None:
                    self.problem(BAD_DAY, {"value": as_text(date_cell.value)}, date_cell, number)
                    continue
                if found.day != day:
                    part = None
                day = self._day(found, number)
            part_cell = self.cell(values, number, "part")
            time_cell = self.cell(values, number, "time")
            if part_cell is not None:
                part = part_of_day(as_text(part_cell.value)) or part
            elif time_cell is not None and (p := part_of_day(as_text(time_cell.value))):
                part = p
            content = self.cell(values, number, "content")
            if content is None:
                continue
            if day is None:
                self.problem(NO_DATE, {}, content, number)
                continue
            known = len(self.out.problems)
            start, end = self._times(values, number, time_cell)
            if len(self.out.problems) > known:
                continue
            if start is None and part is None:
                self.problem(NO_TIME, {}, time_cell or content, number)
                continue
            if (
                start is not None
                and end is None
                and _END_MARK.match(as_text(content.value))
                and rows
                and rows[-1].day == day
                and rows[-1].end is None
                and rows[-1].start is not None
                and rows[-1].start < start
            ):
                # "17h | Kết thúc": the time the session above ends, not a session of its own
                rows[-1].end = start
                continue
            row = _Row(number, day, part, start, end)
            self._fill(row, values, content)
            rows.append(row)
        self._settle_times(rows)
        self.out.finish()
        return self._raw(rows)

    def _day(self, found: DayText, number: int) -> dt.date:
        if not found.year_given:
            self.notes.years.append(number)
        return found.day

    def _times(
        self, values: list[Any], number: int, time_cell: Cell | None
    ) -> tuple[dt.time | None, dt.time | None]:
        start_cell = self.cell(values, number, "start")
        end_cell = self.cell(values, number, "end")
        if start_cell is not None:
            start = as_time(start_cell.value) or next(
                iter(times_in(as_text(start_cell.value))), None
            )
            end = None
            if end_cell is not None:
                end = as_time(end_cell.value) or next(iter(times_in(as_text(end_cell.value))), None)
            if start is None:
                self.problem(
                    N_('"{value}" is not a time (write it as 07:30 or 7h30).'),
                    {"value": as_text(start_cell.value)},
                    start_cell,
                    number,
                )
            return start, end
        if time_cell is None:
            return None, None
        direct = as_time(time_cell.value)
        if direct is not None:
            return direct, None
        found = times_in(as_text(time_cell.value))
        if not found:
            if part_of_day(as_text(time_cell.value)) is None:
                self.problem(
                    N_('"{value}" is not a time (write it as 07:30 or 7h30).'),
                    {"value": as_text(time_cell.value)},
                    time_cell,
                    number,
                )
            return None, None
        return found[0], (found[1] if len(found) > 1 else None)

    def _fill(self, row: _Row, values: list[Any], content: Cell) -> None:
        number, cells = row.number, row.cells
        text = as_text(content.value)
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        notes_cell = self.cell(values, number, "notes")
        notes_text = as_text(notes_cell.value) if notes_cell else ""
        departure = departure_in(notes_text) or departure_in(text)
        title_lines: list[str] = []
        lecturer = ""
        for line in lines:
            if departure is not None and line == departure.line:
                continue
            if (match := _LECTURER_LINE.match(line)) and title_lines:
                lecturer = match[1].strip()
                continue
            title_lines.append(line)
        title = " ".join(" ".join(title_lines).split()) or " ".join(text.split())
        kind_cell = self.cell(values, number, "kind")
        kind, topic, topic_title = kind_of(title)
        if kind_cell is not None and (named := kind_from(as_text(kind_cell.value))) is not None:
            kind = named
            cells["kind"] = Cell(kind.value, number, kind_cell.column)
        else:
            self.notes.kinds.setdefault(kind, []).append(number)
            cells["kind"] = Cell(kind.value, number, content.column)
        cells[f"title_{self.text_lang(title)}"] = Cell(title, number, content.column)
        if topic is not None:
            cells["topic"] = Cell(topic, number, content.column)
            if topic_title and topic not in self.topics:
                self.topics[topic] = topic_title
        lecturer_cell = self.cell(values, number, "lecturer")
        if lecturer_cell is not None:
            cells["lecturer"] = lecturer_cell
        elif lecturer:
            cells["lecturer"] = Cell(lecturer, number, content.column)
        venue = self.cell(values, number, "venue")
        if venue is not None:
            cells["venue"] = venue
        if departure is not None:
            where = notes_cell if (notes_cell and departure.line in notes_text) else content
            cells["departure"] = Cell(departure.time, number, where.column)
            if departure.place:
                place_lang = self.text_lang(departure.place)
                cells[f"meeting_point_{place_lang}"] = Cell(departure.place, number, where.column)
            self.notes.departures.append(number)
            rest = notes_text.replace(departure.line, "").strip(" ;\n")
            if rest:
                cells[f"notes_{self.text_lang(rest)}"] = Cell(rest, number, where.column)
        elif notes_cell is not None:
            cells[f"notes_{self.text_lang(notes_text)}"] = notes_cell
        if kind.needs_departure and departure is None:
            self.notes.visits_without_departure.append(number)

    def _settle_times(self, rows: list[_Row]) -> None:
        """Times not written: from the part of the day, or up to the next session."""
        index = 0
        while index < len(rows):
            row = rows[index]
            if row.start is None and row.part is not None:
                group = [row]
                while (
                    index + len(group) < len(rows)
                    and (nxt := rows[index + len(group)]).start is None
                    and nxt.day == row.day
                    and nxt.part == row.part
                ):
                    group.append(nxt)
                begin, finish = PART_HOURS[row.part]
                span = (_minutes(finish) - _minutes(begin)) // len(group)
                for k, member in enumerate(group):
                    member.start = _time(_minutes(begin) + k * span)
                    member.end = _time(_minutes(begin) + (k + 1) * span)
                    self.notes.parts.append(member.number)
                index += len(group)
                continue
            if row.start is not None and row.end is None:
                following = rows[index + 1] if index + 1 < len(rows) else None
                if (
                    following
                    and following.day == row.day
                    and following.start
                    and (following.start > row.start)
                ):
                    row.end = following.start
                elif row.part is not None and PART_HOURS[row.part][1] > row.start:
                    row.end = PART_HOURS[row.part][1]
                else:
                    row.end = _time(min(_minutes(row.start) + 60, 23 * 60 + 59))
                self.notes.ends.append(row.number)
            index += 1

    def _raw(self, rows: list[_Row]) -> RawFile:
        title = self.sheet.title
        table = RawTable(title, filled=True)
        table.columns = {
            "date": self.labels.get("date", ""),
            "start": self.labels.get("time", self.labels.get("start", "")),
            "end": self.labels.get("time", self.labels.get("end", "")),
            "kind": self.labels.get("content", ""),
            f"title_{self.lang}": self.labels.get("content", ""),
        }
        for row in rows:
            assert row.start is not None and row.end is not None
            when = self.labels.get("time", self.labels.get("start", self.labels.get("part", "")))
            row.cells["date"] = Cell(row.day, row.number, self.labels.get("date", ""))
            row.cells["start"] = Cell(row.start, row.number, when)
            row.cells["end"] = Cell(row.end, row.number, self.labels.get("end", when))
            table.rows.append(RawRow(row.number, row.cells))
        raw = RawFile("xlsx", None, title, None, table, partial=True, layout="programme")
        raw.topics_found = dict(self.topics)
        raw.notes.extend(self._notes())
        return raw

    def _notes(self) -> list[Problem]:
        sheet, n = self.sheet.title, self.notes
        notes: list[Problem] = []
        for kind, numbers in n.kinds.items():
            notes.append(
                Problem(
                    N_("Read from the content as {kind}: rows {rows}."),
                    {"kind": Msgid(KIND_LABELS[kind]), "rows": _rows_text(numbers)},
                    sheet,
                )
            )
        if n.years:
            notes.append(
                Problem(
                    N_("Dates without a year take the class's year ({year}): rows {rows}."),
                    {"year": self.base.cls.first_day.year, "rows": _rows_text(n.years)},
                    sheet,
                )
            )
        if n.parts:
            notes.append(
                Problem(
                    N_(
                        "No times written: morning taken as 08:00–11:30, afternoon "
                        "13:30–17:00, evening 19:00–21:00: rows {rows}."
                    ),
                    {"rows": _rows_text(n.parts)},
                    sheet,
                )
            )
        if n.ends:
            notes.append(
                Problem(
                    N_("No end time written; it runs to the next session: rows {rows}."),
                    {"rows": _rows_text(n.ends)},
                    sheet,
                )
            )
        if n.departures:
            notes.append(
                Problem(
                    N_("Bus departure time and meeting point read from the note: rows {rows}."),
                    {"rows": _rows_text(n.departures)},
                    sheet,
                )
            )
        if n.visits_without_departure:
            notes.append(
                Problem(
                    N_(
                        "Field visits without a departure note (no departure reminder will "
                        'be sent; add a note such as "Xe xuất phát 13h30 tại …"): rows {rows}.'
                    ),
                    {"rows": _rows_text(n.visits_without_departure)},
                    sheet,
                )
            )
        return notes


def fold_keep_case(text: str) -> str:
    """The text with spaces collapsed (signature words are matched case-insensitively)."""
    return " ".join(text.split())


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)
