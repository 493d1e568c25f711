"""What the pocket reads from workbooks: the trainees sheet, contact fields, session extras.

The schedule reader (:mod:`bot.schedule.read`) ignores columns and class fields
it does not know; this module reads the ones the pocket needs from the same
files with openpyxl, so the two never step on each other:

- a roster: the trainees sheet of the class workbook ("Trainees", "Học viên",
  "ຜູ້ເຂົ້າຮ່ວມ"), or any sheet or CSV whose header names a trainee's name and
  at least one other roster column; validated like a schedule (sheet, row and
  column in every problem; nothing is kept when there is one);
- contacts: class-sheet fields ("Hotline", "Điện thoại quản lý lớp", "Bệnh viện
  gần nhất", "Đại sứ quán"), a field name in column A and its value in B;
- session extras: the sessions sheet's "Interpreter" / "Phiên dịch",
  "Interpreted into" / "Dịch sang", "Lecture language" and "Materials" / "Tài liệu"
  columns, matched to sessions by their ID column, else by date and start time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from bot.i18n import N_
from bot.schedule.columns import SESSION_FIELDS, fold, lang_from, match_header, sheet_role
from bot.schedule.problems import Problem, ScheduleProblems
from bot.schedule.read import HEADER_SCAN, MAX_BYTES, MAX_CELL, MAX_ROWS
from bot.schedule.values import as_date, as_time
from bot.store.contacts import Contact
from bot.store.roster import RosterEntry


def _aliases(*names: str) -> frozenset[str]:
    return frozenset(fold(n) for n in names)


TRAINEE_SHEETS = _aliases(
    "trainees",
    "roster",
    "học viên",
    "danh sách học viên",
    "danh sách",
    "ຜູ້ເຂົ້າຮ່ວມ",
    "ລາຍຊື່",
    "ລາຍຊື່ຜູ້ເຂົ້າຮ່ວມ",
)

ROSTER_FIELDS: dict[str, frozenset[str]] = {
    "name": _aliases("name", "full name", "họ và tên", "họ tên", "tên", "ຊື່", "ຊື່ ແລະ ນາມສະກຸນ"),
    "unit": _aliases(
        "delegation",
        "unit",
        "đơn vị",
        "đoàn",
        "cơ quan",
        "chức vụ đơn vị",
        "ພາກສ່ວນ",
        "ຫົວໜ່ວຍ",
        "ອົງການ",
    ),
    "room": _aliases("room", "hotel room", "phòng", "số phòng", "phòng khách sạn", "ຫ້ອງພັກ"),
    "roommate": _aliases("roommate", "room mate", "ở cùng phòng", "bạn cùng phòng", "ຜູ້ພັກຮ່ວມຫ້ອງ"),
    "bus": _aliases("bus", "xe", "xe số", "số xe", "ລົດ", "ລົດຄັນ", "ລົດຄັນທີ"),
    "seat": _aliases("seat", "ghế", "số ghế", "chỗ ngồi", "ບ່ອນນັ່ງ"),
    "leader": _aliases(
        "group leader", "leader", "trưởng nhóm", "nhóm trưởng", "tổ trưởng", "ຫົວໜ້າກຸ່ມ"
    ),
    "lang": _aliases("language", "ngôn ngữ", "ພາສາ"),
    "phone": _aliases("phone", "telephone", "điện thoại", "số điện thoại", "sđt", "ເບີໂທ"),
}
"""Roster column → accepted headers (compared after :func:`fold`)."""

CONTACT_FIELDS: dict[str, frozenset[str]] = {
    "hotline": _aliases(
        "hotline",
        "organisers hotline",
        "organizer hotline",
        "đường dây nóng",
        "điện thoại ban tổ chức",
        "số điện thoại ban tổ chức",
        "ສາຍດ່ວນ",
    ),
    "managers": _aliases(
        "managers phones",
        "class managers",
        "class managers phones",
        "điện thoại quản lý lớp",
        "cán bộ quản lý lớp",
        "ເບີໂທຄະນະຄຸ້ມຄອງຫ້ອງ",
    ),
    "hospital": _aliases(
        "hospital",
        "nearest hospital",
        "bệnh viện",
        "bệnh viện gần nhất",
        "ໂຮງໝໍ",
        "ໂຮງໝໍໃກ້ທີ່ສຸດ",
    ),
    "embassy": _aliases("embassy", "đại sứ quán", "sứ quán", "ສະຖານທູດ"),
}
"""Class-sheet contact fields, in the order the contacts card lists them."""

EXTRA_FIELDS: dict[str, frozenset[str]] = {
    "interpreter": _aliases("interpreter", "phiên dịch", "người phiên dịch", "ນາຍພາສາ"),
    "interpret_into": _aliases(
        "interpreted into", "interpretation into", "dịch sang", "ngôn ngữ dịch", "ແປເປັນພາສາ"
    ),
    "lecture_lang": _aliases(
        "lecture language", "ngôn ngữ giảng", "ngôn ngữ bài giảng", "ພາສາບັນຍາຍ"
    ),
    "materials": _aliases("materials", "material", "tài liệu", "link tài liệu", "ເອກະສານ"),
}

_PHONE = re.compile(r"^\+?[\d\s().\-]{6,24}$")
_LINK = re.compile(r"https?://\S+")
BAD_PHONE = N_('"{value}" is not a phone number (write it as +84 912 345 678).')
BAD_LANG = N_('"{value}" is not a language (write vi, lo or en).')
MISSING_NAME = N_("This row has no name.")
SEAT_TAKEN = N_("Seat {seat} of bus {bus} is also given to row {row}.")
NO_TABLE = N_(
    "No trainees table found: the sheet needs a header row with a “Name” / “Họ và tên” "
    "column and at least one of room, bus, seat, group leader, language or phone."
)
NOT_READABLE = N_("The file is not a valid Excel workbook (.xlsx) or CSV file.")
TOO_BIG = N_("The file is larger than {limit} MB.")


def _field(header: Any, fields: dict[str, frozenset[str]]) -> str | None:
    if not isinstance(header, str):
        return None
    for part in header.split("/"):
        folded = fold(part)
        for name, aliases in fields.items():
            if folded and folded in aliases:
                return name
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[:MAX_CELL]


def _rows_of_book(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    """Every visible sheet's non-blank rows (number, values), trainee sheets first."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets: list[tuple[str, list[tuple[int, list[Any]]]]] = []
        for ws in book.worksheets:
            rows: list[tuple[int, list[Any]]] = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    break
                if values and any(v is not None and str(v).strip() for v in values):
                    rows.append((number, list(values[:80])))
            sheets.append((ws.title, rows))
    finally:
        book.close()
    sheets.sort(key=lambda s: fold(s[0]) not in TRAINEE_SHEETS)
    return sheets


def _rows_of_csv(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    text = data.decode("utf-8-sig", errors="replace")
    dialect = ";" if text.count(";") > text.count(",") else ","
    rows = [
        (n, list(values))
        for n, values in enumerate(csv.reader(io.StringIO(text), delimiter=dialect), start=1)
        if any(v.strip() for v in values)
    ]
    return [("CSV", rows[:MAX_ROWS])]


def _header(
    rows: list[tuple[int, list[Any]]], fields: dict[str, frozenset[str]], need: str | None
) -> tuple[int, dict[str, int], list[Any]] | None:
    """The header among the first rows: its index, field → column index, its cells."""
    for index, (_n, values) in enumerate(rows[:HEADER_SCAN]):
        found: dict[str, int] = {}
        for i, v in enumerate(values):
            name = _field(v, fields)
            if name and name not in found:
                found[name] = i
        if len(found) >= 2 and (need is None or need in found):
            return index, found, values
    return None


def read_roster(data: bytes, filename: str) -> list[RosterEntry]:
    """The roster in a workbook or CSV; raises :class:`ScheduleProblems` with every problem."""
    if len(data) > MAX_BYTES:
        raise ScheduleProblems([Problem(TOO_BIG, {"limit": MAX_BYTES // 2**20})])
    try:
        sheets = _rows_of_csv(data) if filename.lower().endswith(".csv") else _rows_of_book(data)
    except Exception:  # openpyxl raises many types on broken files
        raise ScheduleProblems([Problem(NOT_READABLE)]) from None
    for sheet, rows in sheets:
        found = _header(rows, ROSTER_FIELDS, "name")
        if found is not None:
            return _roster_rows(sheet, rows, *found)
    raise ScheduleProblems([Problem(NO_TABLE)])


def _roster_rows(
    sheet: str, rows: list[tuple[int, list[Any]]], at: int, columns: dict[str, int], head: list[Any]
) -> list[RosterEntry]:
    def label(name: str) -> str:
        i = columns[name]
        return f"{get_column_letter(i + 1)} ({_text(head[i])})"

    problems: list[Problem] = []
    out: list[RosterEntry] = []
    seats: dict[tuple[str, str], int] = {}
    for number, values in rows[at + 1 :]:
        cell = {name: _text(values[i]) if i < len(values) else "" for name, i in columns.items()}
        if not any(cell.values()):
            continue
        if not cell.get("name"):
            problems.append(Problem(MISSING_NAME, {}, sheet, number, label("name")))
            continue
        if cell.get("name", "").startswith("=") or any(v.startswith("=") for v in cell.values()):
            cell = {k: v.lstrip("=") for k, v in cell.items()}
        phone = cell.get("phone", "")
        if phone and not _PHONE.match(phone):
            problems.append(Problem(BAD_PHONE, {"value": phone}, sheet, number, label("phone")))
        lang: str | None = None
        if cell.get("lang"):
            lang = lang_from(cell["lang"])
            if lang is None:
                problems.append(
                    Problem(BAD_LANG, {"value": cell["lang"]}, sheet, number, label("lang"))
                )
        bus, seat = cell.get("bus", ""), cell.get("seat", "")
        if bus and seat:
            first = seats.setdefault((fold(bus), fold(seat)), number)
            if first != number:
                problems.append(
                    Problem(
                        SEAT_TAKEN,
                        {"seat": seat, "bus": bus, "row": first},
                        sheet,
                        number,
                        label("seat"),
                    )
                )
        out.append(
            RosterEntry(
                row_no=number,
                name=cell["name"],
                unit=cell.get("unit", ""),
                room=cell.get("room", ""),
                roommate=cell.get("roommate", ""),
                bus=bus,
                seat=seat,
                leader=cell.get("leader", ""),
                lang=lang,
                phone=phone,
            )
        )
    if problems:
        raise ScheduleProblems(problems)
    if not out:
        raise ScheduleProblems([Problem(NO_TABLE)])
    return out


@dataclass(frozen=True, slots=True)
class ExtraRow:
    """A sessions-sheet row's extras, and how to find its session."""

    key: str
    day: dt.date | None
    start: dt.time | None
    interpreter: str
    interpret_into: str | None
    lecture_lang: str | None
    links: tuple[str, ...]


def read_extras(data: bytes) -> tuple[list[Contact], list[ExtraRow]]:
    """The contact fields of the class sheet and the extras of the sessions sheet."""
    sheets = _rows_of_book(data)
    found: list[Contact] = []
    extras: list[ExtraRow] = []
    for sheet, rows in sheets:
        role = sheet_role(sheet)
        if role == "class":
            found = _contacts(rows)
        elif role == "sessions":
            extras = _extras(rows)
    return found, extras


def _contacts(rows: list[tuple[int, list[Any]]]) -> list[Contact]:
    out: list[Contact] = []
    for _n, values in rows:
        if len(values) < 2 or not isinstance(values[0], str):
            continue
        kind = _field(values[0], CONTACT_FIELDS)
        value = _text(values[1])
        if kind and value:
            for part in re.split(r"\s*[;\n]\s*", value):
                if part:
                    out.append(Contact(kind, values[0].strip(), part.lstrip("=")))
    order = list(CONTACT_FIELDS)
    return sorted(out, key=lambda c: order.index(c.kind))


def _extras(rows: list[tuple[int, list[Any]]]) -> list[ExtraRow]:
    """Rows with an interpreter or material links, keyed by ID or by date and start."""
    for index, (_n, head) in enumerate(rows[:HEADER_SCAN]):  # noqa: B007 (used below)
        columns: dict[str, int] = {}
        for i, v in enumerate(head):
            name = _field(v, EXTRA_FIELDS)
            if name is not None:
                columns.setdefault(name, i)
        if columns:
            break
    else:
        return []
    known: dict[str, int] = {}
    for i, v in enumerate(head):
        name = match_header(v, SESSION_FIELDS, None) if isinstance(v, str) else None
        if name in ("id", "date", "start"):
            known.setdefault(name, i)
    out: list[ExtraRow] = []
    for _n, values in rows[index + 1 :]:

        def get(name: str, table: dict[str, int], row: list[Any] = values) -> Any:
            i = table.get(name)
            return row[i] if i is not None and i < len(row) else None

        interpreter = _text(get("interpreter", columns)).lstrip("=")
        into = lang_from(_text(get("interpret_into", columns)))
        lecture = lang_from(_text(get("lecture_lang", columns)))
        links = tuple(_LINK.findall(_text(get("materials", columns))))
        if not (interpreter or links):
            continue
        out.append(
            ExtraRow(
                key=_text(get("id", known)),
                day=as_date(get("date", known)),
                start=as_time(get("start", known)),
                interpreter=interpreter,
                interpret_into=into,
                lecture_lang=lecture,
                links=links,
            )
        )
    return out
