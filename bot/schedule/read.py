"""Reading schedule files (XLSX, CSV, text form) into raw tables of named cells.

Nothing here judges the values: a reader only finds the sheets, matches the
headers to field names (see :mod:`bot.schedule.columns`), enforces the size
limits and remembers where every cell came from. :mod:`bot.schedule.check`
turns the raw tables into a :class:`~bot.domain.Schedule`.

Limits protect the bot from hostile or broken uploads: the file size, the
number of data rows, the length of a cell, and for workbooks the unpacked size
of the zip members, checked before openpyxl opens anything.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from bot.i18n import N_
from bot.schedule.columns import (
    CLASS_FIELDS,
    SESSION_FIELDS,
    TOPIC_FIELDS,
    lang_from,
    localized_fields,
    match_header,
    sheet_role,
)
from bot.schedule.problems import Problem, ScheduleProblems

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CELL = 2_000
MAX_COLUMNS = 80
MAX_UNPACKED = 120 * 1024 * 1024
MAX_MEMBERS = 500
HEADER_SCAN = 10
"""A table's header is the first of its first rows naming at least two known columns."""

FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".toml": "text", ".txt": "text"}


@dataclass(frozen=True, slots=True)
class Cell:
    """A value and where it was found."""

    value: Any
    row: int
    column: str


@dataclass(slots=True)
class RawRow:
    """One record: field name → cell."""

    row: int
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(slots=True)
class RawTable:
    """A sheet's records and which columns it had."""

    sheet: str
    rows: list[RawRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    """Field name → the column's label (for problems about a missing value)."""
    filled: bool = False
    """The sheet had content (so a missing header is a problem, not an empty sheet)."""


@dataclass(slots=True)
class RawFile:
    """Everything read from one file, before validation."""

    format: str
    cls: RawRow | None
    class_sheet: str
    topics: RawTable | None
    sessions: RawTable | None
    by_line: bool = False
    partial: bool = False
    """A CSV holds sessions only: the class and topics may come from the stored class."""


def file_format(filename: str) -> str | None:
    """'xlsx', 'csv' or 'text' from the file name's extension."""
    match = re.search(r"\.[A-Za-z]+$", filename)
    return FORMATS.get(match.group(0).lower()) if match else None


def read_file(data: bytes, filename: str) -> RawFile:
    """Read ``data`` in the format its name says; raises :class:`ScheduleProblems`."""
    if len(data) > MAX_BYTES:
        raise ScheduleProblems(
            [Problem(N_("The file is larger than {limit} MB."), {"limit": MAX_BYTES // 2**20})]
        )
    fmt = file_format(filename)
    if fmt == "xlsx":
        return read_xlsx(data)
    if fmt == "csv":
        return read_csv(data)
    if fmt == "text":
        return read_text(data)
    raise ScheduleProblems(
        [
            Problem(
                N_(
                    "Unknown file type {name}: send an Excel workbook (.xlsx), a CSV file "
                    "or a text (.toml) file."
                ),
                {"name": filename},
            )
        ]
    )


class _Collector:
    """Builds raw tables and gathers problems about cells and row counts."""

    def __init__(self, by_line: bool = False) -> None:
        self.problems: list[Problem] = []
        self.rows = 0
        self.by_line = by_line

    def value(self, raw: Any, sheet: str, row: int, column: str) -> Any:
        if isinstance(raw, str):
            raw = raw.strip()
            if len(raw) > MAX_CELL:
                self.problems.append(
                    Problem(
                        N_("The text is longer than {limit} characters."),
                        {"limit": MAX_CELL},
                        sheet,
                        row,
                        column,
                        self.by_line,
                    )
                )
                return raw[:MAX_CELL]
            return raw or None
        return raw

    def count(self, sheet: str) -> None:
        self.rows += 1
        if self.rows == MAX_ROWS + 1:
            self.problems.append(
                Problem(N_("The file has more than {limit} rows."), {"limit": MAX_ROWS}, sheet)
            )
            raise _TooMany

    def finish(self) -> None:
        if self.problems:
            raise ScheduleProblems(self.problems)


class _TooMany(Exception):
    pass


def _blank(values: tuple[Any, ...] | list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _table(
    sheet: str,
    rows: list[tuple[int, list[Any]]],
    fields: dict[str, tuple[bool, frozenset[str]]],
    default_lang: str | None,
    out: _Collector,
) -> RawTable:
    """Find the header among the first rows, then name the cells of the rows below it."""
    table = RawTable(sheet, filled=bool(rows))
    header_at = -1
    mapping: dict[int, str] = {}
    for index, (_, values) in enumerate(rows[:HEADER_SCAN]):
        found = {
            i: name
            for i, v in enumerate(values)
            if isinstance(v, str) and (name := match_header(v, fields, default_lang))
        }
        if len(found) >= 2:
            header_at, mapping = index, found
            break
    if header_at < 0:
        return table
    header = rows[header_at][1]
    for i, name in mapping.items():
        if name not in table.columns:
            table.columns[name] = f"{get_column_letter(i + 1)} ({str(header[i]).strip()})"
    # first column for each field, with its label (a repeated header counts once)
    columns = [(i, name, table.columns[name]) for i, name in sorted(mapping.items())]
    columns = [c for k, c in enumerate(columns) if c[1] not in {n for _, n, _ in columns[:k]}]
    for number, values in rows[header_at + 1 :]:
        cells: dict[str, Cell] = {}
        width = len(values)
        for i, name, label in columns:
            if i >= width or (raw := values[i]) is None:
                continue
            if isinstance(raw, str):
                raw = raw.strip()
                if not raw:
                    continue
                if len(raw) > MAX_CELL:
                    raw = out.value(raw, sheet, number, label)
            cells[name] = Cell(raw, number, label)
        if cells:
            table.rows.append(RawRow(number, cells))
    return table


def _class_row(sheet: str, rows: list[tuple[int, list[Any]]], out: _Collector) -> RawRow:
    """The class sheet: a field name in the first column, its value in the second."""
    pairs = [(n, v[0], v[1] if len(v) > 1 else None) for n, v in rows if isinstance(v[0], str)]
    lang = next(
        (
            str(val).strip()
            for _, key, val in pairs
            if match_header(key, CLASS_FIELDS, None) == "default_lang" and val
        ),
        None,
    )
    record = RawRow(0)
    for number, key, raw in pairs:
        name = match_header(key, CLASS_FIELDS, lang)
        if name is None or name in record.cells:
            continue
        label = f"B ({key.strip()})"
        value = out.value(raw, sheet, number, label)
        if value is not None:
            record.cells[name] = Cell(value, number, label)
    return record


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ScheduleProblems(
            [Problem(N_("The file is not a valid Excel workbook (.xlsx)."))]
        ) from None
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
        raise ScheduleProblems(
            [
                Problem(
                    N_("The workbook unpacks to more than {limit} MB; it was refused."),
                    {"limit": MAX_UNPACKED // 2**20},
                )
            ]
        )


def read_xlsx(data: bytes) -> RawFile:
    """Read a workbook: formulas give their cached values and are never evaluated."""
    _check_zip(data)
    out = _Collector()
    sheets: dict[str, tuple[str, list[tuple[int, list[Any]]]]] = {}
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for ws in book.worksheets:
                role = sheet_role(ws.title)
                if role is None or role == "instructions" or role in sheets:
                    continue
                rows: list[tuple[int, list[Any]]] = []
                # no max_col: openpyxl would pad every row to it; the unpacked-size
                # check already bounds how wide a sheet can be
                for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    if values and not _blank(values):
                        out.count(ws.title)
                        rows.append((number, list(values[:MAX_COLUMNS])))
                sheets[role] = (ws.title, rows)
        finally:
            book.close()
    except _TooMany:
        out.finish()
    except Exception:  # openpyxl raises many types on broken files
        raise ScheduleProblems(
            [Problem(N_("The file is not a valid Excel workbook (.xlsx)."))]
        ) from None
    problems: list[Problem] = []
    for role, label in (
        ("class", N_('The workbook has no sheet for the class (named "Class" or "Lớp").')),
        (
            "sessions",
            N_('The workbook has no sheet for the sessions (named "Sessions" or "Lịch học").'),
        ),
    ):
        if role not in sheets:
            problems.append(Problem(label))
    if problems:
        raise ScheduleProblems(problems)
    class_name, class_rows = sheets["class"]
    cls = _class_row(class_name, class_rows, out)
    lang_cell = cls.cells.get("default_lang")
    lang = lang_from(str(lang_cell.value)) if lang_cell else None
    topics = _table(*sheets["topics"], TOPIC_FIELDS, lang, out) if "topics" in sheets else None
    sessions = _table(*sheets["sessions"], SESSION_FIELDS, lang, out)
    out.finish()
    return RawFile("xlsx", cls, class_name, topics, sessions)


def _decode(data: bytes, kind: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = (
            N_('The CSV file is not UTF-8 text; in Excel, save it as "CSV UTF-8".')
            if kind == "csv"
            else N_("The text file is not UTF-8 text.")
        )
        raise ScheduleProblems([Problem(message)]) from None


def read_csv(data: bytes) -> RawFile:
    """Sessions as CSV (',' or ';'), optionally after '# field: value' lines about the class."""
    text = _decode(data, "csv")
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    out = _Collector()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    meta: list[tuple[int, list[Any]]] = []
    rows: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for values in reader:
            number, start = start, reader.line_num + 1
            if _blank(values):
                continue
            if not rows and values[0].lstrip().startswith("#"):
                line = delimiter.join(values).rstrip(delimiter + " ").lstrip()[1:]
                key, _, val = line.partition(":")
                meta.append((number, [key.strip(), val.strip()]))
                continue
            out.count("CSV")
            rows.append((number, values[:MAX_COLUMNS]))
    except _TooMany:
        out.finish()
    except csv.Error as exc:
        raise ScheduleProblems(
            [Problem(N_("The CSV file cannot be read: {error}"), {"error": str(exc)}, "CSV")]
        ) from None
    cls = _class_row("CSV", meta, out) if meta else None
    lang_cell = cls.cells.get("default_lang") if cls else None
    lang = lang_from(str(lang_cell.value)) if lang_cell else None
    sessions = _table("CSV", rows, SESSION_FIELDS, lang, out)
    out.finish()
    return RawFile("csv", cls, "CSV", None, sessions, partial=True)


def _flatten(item: dict[str, Any], localized: set[str], lang: str | None) -> dict[str, Any]:
    """``title.lo = …`` → ``title_lo``; a plain ``title = …`` is in the default ``lang``."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            for code, text in value.items():
                flat[f"{key}_{code}"] = text
        elif key in localized and lang is not None:
            flat[f"{key}_{lang}"] = value
        else:
            flat[key] = value
    return flat


def _record(
    section: str,
    item: Any,
    line: int,
    fields: dict[str, tuple[bool, frozenset[str]]],
    out: _Collector,
    lang: str | None = None,
) -> RawRow:
    record = RawRow(line)
    if not isinstance(item, dict):
        return record
    known = set(localized_fields(fields))
    localized = {name for name, (is_localized, _) in fields.items() if is_localized}
    for key, raw in _flatten(item, localized, lang).items():
        if key not in known:
            out.problems.append(
                Problem(N_('Unknown field "{name}".'), {"name": key}, section, line, key, True)
            )
            continue
        value = out.value(raw, section, line, key)
        if value is not None:
            record.cells[key] = Cell(value, line, key)
    return record


def _header_lines(text: str, section: str, array: bool) -> list[int]:
    pattern = rf"^\s*\[\[\s*{section}\s*\]\]" if array else rf"^\s*\[\s*{section}\s*\]"
    return [i for i, ln in enumerate(text.splitlines(), start=1) if re.match(pattern, ln)]


def read_text(data: bytes) -> RawFile:
    """The text form: TOML with a [class] table and [[topics]] / [[sessions]] arrays."""
    text = _decode(data, "text")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleProblems(
            [Problem(N_("The text file is not valid TOML: {error}"), {"error": str(exc)})]
        ) from None
    out = _Collector(by_line=True)
    class_line = (_header_lines(text, "class", False) or [0])[0]
    cls = _record("class", doc.get("class", {}), class_line, CLASS_FIELDS, out)
    for cell_name, cell in list(cls.cells.items()):
        cls.cells[cell_name] = Cell(cell.value, class_line, cell_name)
    lang_cell = cls.cells.get("default_lang")
    lang = lang_from(str(lang_cell.value)) if lang_cell else None
    tables: dict[str, RawTable] = {}
    try:
        for section, fields in (("topics", TOPIC_FIELDS), ("sessions", SESSION_FIELDS)):
            items = doc.get(section, [])
            lines = _header_lines(text, section, True)
            table = RawTable(section, columns={n: n for n in localized_fields(fields)})
            for index, item in enumerate(items if isinstance(items, list) else []):
                out.count(section)
                line = lines[index] if index < len(lines) else 0
                table.rows.append(_record(section, item, line, fields, out, lang))
            tables[section] = table
    except _TooMany:
        pass
    for key in doc:
        if key not in ("class", "topics", "sessions"):
            out.problems.append(Problem(N_("Unknown section [{name}]."), {"name": key}))
    out.finish()
    return RawFile("text", cls, "class", tables.get("topics"), tables.get("sessions"), by_line=True)
