"""Writing schedules out: the workbook, the sessions CSV, the text form, and the blank template.

Every format written here reads back (:mod:`bot.schedule.read`) to the same
schedule: the session keys go into the ID column, dates and times into real
Excel date and time cells, and headers carry both the Vietnamese and the
English name ("Ngày / Date") so either audience can fill them in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.domain import LANGS, Localized, Schedule, Session, Topic, TrainingClass
from bot.schedule.columns import CLASS_FIELDS, SESSION_FIELDS, TOPIC_FIELDS
from bot.schedule.instructions import INSTRUCTIONS

SHEET_CLASS = "Lớp học - Class"
SHEET_TOPICS = "Chuyên đề - Topics"
SHEET_SESSIONS = "Lịch học - Sessions"
SHEET_INSTRUCTIONS = "Hướng dẫn - Instructions"

VI_NAMES: dict[str, str] = {
    "code": "Mã lớp",
    "name": "Tên lớp",
    "organiser": "Đơn vị tổ chức",
    "venue": "Địa điểm",
    "timezone": "Múi giờ",
    "first_day": "Ngày bắt đầu",
    "last_day": "Ngày kết thúc",
    "default_lang": "Ngôn ngữ mặc định",
    "reminder_time": "Giờ nhắc buổi sáng",
    "evening_notice_time": "Giờ thông báo buổi tối",
    "departure_reminder_min": "Nhắc trước giờ xuất phát (phút)",
    "rollcall_report_min": "Báo cáo điểm danh (phút)",
    "number": "Số",
    "block": "Khối",
    "title": "Tiêu đề",
    "lecturer": "Báo cáo viên",
    "summary": "Tóm tắt",
    "id": "Mã",
    "date": "Ngày",
    "start": "Bắt đầu",
    "end": "Kết thúc",
    "kind": "Loại",
    "topic": "Chuyên đề",
    "meeting_point": "Điểm tập trung",
    "departure": "Giờ xuất phát",
    "return_time": "Giờ về",
    "transport": "Phương tiện",
    "dress_code": "Trang phục",
    "bring": "Mang theo",
    "latitude": "Vĩ độ",
    "longitude": "Kinh độ",
    "notes": "Ghi chú",
}
EN_NAMES: dict[str, str] = {
    "id": "ID",
    "first_day": "First day",
    "last_day": "Last day",
    "default_lang": "Default language",
    "reminder_time": "Morning reminder",
    "evening_notice_time": "Evening notice",
    "departure_reminder_min": "Departure reminder (minutes)",
    "rollcall_report_min": "Roll-call report (minutes)",
    "timezone": "Time zone",
    "meeting_point": "Meeting point",
    "dress_code": "Dress code",
    "return_time": "Return",
}

DATE_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "HH:MM"


def _columns(fields: dict[str, tuple[bool, frozenset[str]]]) -> list[tuple[str, str | None]]:
    """(field, language) for every column, localized fields once per language."""
    out: list[tuple[str, str | None]] = []
    for name, (is_localized, _) in fields.items():
        out.extend([(name, lang) for lang in LANGS] if is_localized else [(name, None)])
    return out


def header(name: str, lang: str | None) -> str:
    """A bilingual header: 'Tiêu đề (lo) / Title (lo)'."""
    en = EN_NAMES.get(name, name.replace("_", " ").capitalize())
    vi = VI_NAMES.get(name, en)
    suffix = f" ({lang})" if lang else ""
    return f"{vi}{suffix} / {en}{suffix}"


def _value(obj: Any, name: str, lang: str | None) -> Any:
    attr = {"date": "day", "topic": "topic_number", "id": "key"}.get(name, name)
    value = getattr(obj, attr)
    if lang is not None:
        text: Localized = value
        return text.get(lang)
    if isinstance(value, str) and hasattr(value, "value"):  # enums
        return str(value.value)
    return value if value != "" else None


def _class_rows(cls: TrainingClass) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for name, lang in _columns(CLASS_FIELDS):
        rows.append((header(name, lang), _value(cls, name, lang)))
    return rows


def _session_values(s: Session) -> list[Any]:
    return [_value(s, name, lang) for name, lang in _columns(SESSION_FIELDS)]


def _topic_values(t: Topic) -> list[Any]:
    return [_value(t, name, lang) for name, lang in _columns(TOPIC_FIELDS)]


def _style_header(ws: Any, count: int) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i in range(1, count + 1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = 18
    ws.freeze_panes = "A2"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell beginning so is a formula to a spreadsheet (OWASP, CSV injection)."""


def _as_text(ws: Any, row: int, values: list[Any]) -> None:
    """Text that looks like a formula stays text: openpyxl would write "=…" as a formula."""
    for i, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell = ws.cell(row=row, column=i)
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True


def _fill_table(
    ws: Any, fields: dict[str, tuple[bool, frozenset[str]]], rows: Iterable[list[Any]]
) -> None:
    cols = _columns(fields)
    ws.append([header(n, lang) for n, lang in cols])
    _style_header(ws, len(cols))
    for values in rows:
        ws.append(values)
        row = ws.max_row
        _as_text(ws, row, values)
        for i, value in enumerate(values, start=1):
            if isinstance(value, dt.date):
                ws.cell(row=row, column=i).number_format = DATE_FORMAT
            elif isinstance(value, dt.time):
                ws.cell(row=row, column=i).number_format = TIME_FORMAT


def _instructions(wb: Workbook) -> None:
    ws = wb.create_sheet(SHEET_INSTRUCTIONS, 0)
    ws.column_dimensions["A"].width = 110
    for lang in ("vi", "lo", "en"):
        for i, line in enumerate(INSTRUCTIONS[lang]):
            ws.append([line])
            if i == 0:
                ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=13)
        ws.append([])


def workbook(schedule: Schedule | None, *, instructions: bool = False) -> Workbook:
    """The workbook for ``schedule``; ``None`` gives the blank template."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_CLASS
    ws.append(["Mục / Field", "Giá trị / Value"])
    _style_header(ws, 2)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 50
    if schedule is not None:
        for label, value in _class_rows(schedule.cls):
            ws.append([label, value])
            _as_text(ws, ws.max_row, [label, value])
            if isinstance(value, dt.date):
                ws.cell(row=ws.max_row, column=2).number_format = DATE_FORMAT
            elif isinstance(value, dt.time):
                ws.cell(row=ws.max_row, column=2).number_format = TIME_FORMAT
    else:
        for name, lang in _columns(CLASS_FIELDS):
            ws.append([header(name, lang), None])
    _fill_table(
        wb.create_sheet(SHEET_TOPICS),
        TOPIC_FIELDS,
        (_topic_values(t) for t in schedule.topics) if schedule else (),
    )
    _fill_table(
        wb.create_sheet(SHEET_SESSIONS),
        SESSION_FIELDS,
        (_session_values(s) for s in schedule.sessions) if schedule else (),
    )
    if instructions:
        _instructions(wb)
    return wb


def to_xlsx(schedule: Schedule) -> bytes:
    buf = io.BytesIO()
    workbook(schedule).save(buf)
    return buf.getvalue()


def template_xlsx() -> bytes:
    """A blank workbook with the three sheets and an instructions sheet in vi, lo and en."""
    buf = io.BytesIO()
    workbook(None, instructions=True).save(buf)
    return buf.getvalue()


def _csv_cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading "'"."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return str(value)


def to_csv(schedule: Schedule) -> bytes:
    """The sessions as CSV (UTF-8 with BOM, so Excel opens it right), after a '# code:' line."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f"# {header('code', None)}: {schedule.cls.code}"])
    cols = _columns(SESSION_FIELDS)
    writer.writerow([header(n, lang) for n, lang in cols])
    for s in schedule.sessions:
        writer.writerow([_csv_cell(v) for v in _session_values(s)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return json.dumps(value.strftime("%H:%M"))
    return json.dumps(str(value), ensure_ascii=False)


def _toml_lines(obj: Any, fields: dict[str, tuple[bool, frozenset[str]]]) -> list[str]:
    lines: list[str] = []
    for name, lang in _columns(fields):
        value = _value(obj, name, lang)
        if value is None:
            continue
        key = f"{name}.{lang}" if lang else name
        lines.append(f"{key} = {_toml(value)}")
    return lines


def to_text(schedule: Schedule) -> str:
    """The readable, diffable text form (TOML): [class], then [[topics]] and [[sessions]]."""
    cls = schedule.cls
    out = [
        f"# {cls.title('en')} ({cls.code})",
        "# classbot schedule, text form: import with `classbot import FILE`.",
        "# Times are local to the class's time zone. Keep each session's id when you edit it.",
        "",
        "[class]",
        *_toml_lines(cls, CLASS_FIELDS),
    ]
    for t in schedule.topics:
        out += ["", "[[topics]]", *_toml_lines(t, TOPIC_FIELDS)]
    for s in schedule.sessions:
        out += ["", "[[sessions]]", *_toml_lines(s, SESSION_FIELDS)]
    return "\n".join(out) + "\n"
