"""Reading the trainees list (the roster) from a workbook or a CSV.

The trainees sheet of the class workbook ("Trainees", "Học viên", "ຜູ້ເຂົ້າຮ່ວມ"),
or any sheet or CSV whose header names a trainee's name and at least one other
roster column. Validated like a schedule: every problem names its sheet, row and
column, and nothing is kept when there is one.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from bot.i18n import N_
from bot.schedule.columns import fold, lang_from
from bot.schedule.extras import TRAINEE_SHEETS, cell_text, field_of, rows_of_book
from bot.schedule.problems import Problem, ScheduleProblems
from bot.schedule.read import HEADER_SCAN, MAX_BYTES, MAX_ROWS
from bot.store.roster import RosterEntry


def _aliases(*names: str) -> frozenset[str]:
    return frozenset(fold(n) for n in names)


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

_PHONE = re.compile(r"^\+?[\d\s().\-]{6,24}$")
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
            name = field_of(v, fields)
            if name and name not in found:
                found[name] = i
        if len(found) >= 2 and (need is None or need in found):
            return index, found, values
    return None


def has_trainees_sheet(data: bytes) -> bool:
    """Whether a workbook has a sheet named as a trainees list ("Học viên", "Trainees" …)."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # not a workbook: no trainees sheet
        return False
    try:
        return any(fold(name) in TRAINEE_SHEETS for name in book.sheetnames)
    finally:
        book.close()


def read_roster(data: bytes, filename: str) -> list[RosterEntry]:
    """The roster in a workbook or CSV; raises :class:`ScheduleProblems` with every problem."""
    if len(data) > MAX_BYTES:
        raise ScheduleProblems([Problem(TOO_BIG, {"limit": MAX_BYTES // 2**20})])
    try:
        sheets = _rows_of_csv(data) if filename.lower().endswith(".csv") else rows_of_book(data)
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
        return f"{get_column_letter(i + 1)} ({cell_text(head[i])})"

    problems: list[Problem] = []
    out: list[RosterEntry] = []
    seats: dict[tuple[str, str], int] = {}
    for number, values in rows[at + 1 :]:
        cell = {
            name: cell_text(values[i]) if i < len(values) else "" for name, i in columns.items()
        }
        if not any(cell.values()):
            continue
        if not cell.get("name"):
            problems.append(Problem(MISSING_NAME, {}, sheet, number, label("name")))
            continue
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
