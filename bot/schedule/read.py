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

import bisect
import csv
import io
import re
import time
import tomllib
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

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
from bot.schedule.values import clean_text, control_char

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CELL = 2_000
MAX_COLUMNS = 80
MAX_UNPACKED = 120 * 1024 * 1024
MAX_MEMBERS = 500
HEADER_SCAN = 10
"""A table's header is the first of its first rows naming at least two known columns."""
BLANK_RUN = 2_000
"""A sheet with more empty rows than this in a row is refused (a 'blank-rows bomb'):
reading stops there instead of walking millions of rows. Rows missing from the file
(a jump in the numbering, a stale or huge dimension) cost nothing and do not count."""
MAX_SECONDS = 20.0
"""Reading a file that takes longer than this is stopped and refused."""
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of an OLE2 file: a password-protected workbook, or an old .xls."""

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
    merged: dict[tuple[int, str], str] = field(default_factory=dict)
    """(row, field name) → the merged range that left the cell empty ("A5:C5")."""


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
    notes: list[Problem] = field(default_factory=list)
    """What the reader skipped or inferred (hidden rows, a year taken from the class ...),
    shown in the preview so that nothing is guessed silently."""
    layout: str = "template"
    """'template' (our columns) or 'programme' (the organiser's own layout)."""
    topics_found: dict[int, str] = field(default_factory=dict)
    """Topics a programme names in its content ("Chuyên đề 3: …"): number → title."""
    heading: list[str] = field(default_factory=list)
    """A programme's title block, the lines above its table (to suggest a class name)."""


def file_format(filename: str) -> str | None:
    """'xlsx', 'csv' or 'text' from the file name's extension."""
    match = re.search(r"\.[A-Za-z]+$", filename)
    return FORMATS.get(match.group(0).lower()) if match else None


ProgrammeReader = Callable[["SheetRows", Any, "_Collector"], "RawFile"]
"""Reads the first visible sheet of a workbook without a class sheet
(:func:`bot.schedule.programme.read_sheet_rows`, passed in: it builds on this module)."""


def read_file(
    data: bytes, filename: str, base: Any = None, programme: ProgrammeReader | None = None
) -> RawFile:
    """Read ``data`` in the format its name says; raises :class:`ScheduleProblems`.

    ``base`` is the stored schedule of the class the file is sent to (if known): an
    organiser's own programme (read by ``programme``) takes its year, language and
    topics from it.
    """
    if len(data) > MAX_BYTES:
        raise ScheduleProblems(
            [Problem(N_("The file is larger than {limit} MB."), {"limit": MAX_BYTES // 2**20})]
        )
    fmt = file_format(filename)
    if fmt == "xlsx":
        return read_xlsx(data, base, programme)
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


CONTROL = N_("The cell contains an invisible control character ({char}); please retype it.")
TOO_LONG = N_("The text is longer than {limit} characters.")


class _Collector:
    """Builds raw tables and gathers problems about cells and row counts."""

    def __init__(self, by_line: bool = False) -> None:
        self.problems: list[Problem] = []
        self.rows = 0
        self.by_line = by_line
        self.deadline = time.monotonic() + MAX_SECONDS

    def value(self, raw: Any, sheet: str, row: int, column: str) -> Any:
        """A cell's value as stored: text in NFC, trimmed, checked for length and control chars."""
        if raw.__class__ is str and len(raw) <= MAX_CELL and raw.isascii() and raw.isprintable():
            return raw.strip() or None  # the common case, quickly
        if isinstance(raw, str):
            raw = clean_text(raw)
            if len(raw) > MAX_CELL:
                self.problems.append(
                    Problem(TOO_LONG, {"limit": MAX_CELL}, sheet, row, column, self.by_line)
                )
                return raw[:MAX_CELL]
            if (char := control_char(raw)) is not None:
                self.problems.append(
                    Problem(CONTROL, {"char": char}, sheet, row, column, self.by_line)
                )
            return raw or None
        return raw

    def count(self, sheet: str) -> None:
        self.rows += 1
        if self.rows == MAX_ROWS + 1:
            self.problems.append(
                Problem(N_("The file has more than {limit} rows."), {"limit": MAX_ROWS}, sheet)
            )
            raise _TooMany
        if not self.rows % 500 and time.monotonic() > self.deadline:
            self.problems.append(
                Problem(
                    N_("Reading the file took too long (over {seconds} seconds); it was refused."),
                    {"seconds": int(MAX_SECONDS)},
                    sheet,
                )
            )
            raise _TooMany

    def finish(self) -> None:
        if self.problems:
            raise ScheduleProblems(self.problems)


class _TooMany(Exception):
    pass


def _blank(values: tuple[Any, ...] | list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def find_header(
    rows: list[tuple[int, list[Any]]],
    fields: dict[str, tuple[bool, frozenset[str]]],
    default_lang: str | None,
    scan: int = HEADER_SCAN,
) -> tuple[int, dict[int, str]]:
    """The index of the first row naming at least two known columns, and its column → field."""
    for index, (_, values) in enumerate(rows[:scan]):
        found = {
            i: name
            for i, v in enumerate(values)
            if isinstance(v, str) and (name := match_header(v, fields, default_lang))
        }
        if len(found) >= 2:
            return index, found
    return -1, {}


def duplicate_columns(
    sheet: str, header: list[Any], mapping: dict[int, str], number: int
) -> list[Problem]:
    """Two columns that give the same field: refused, never "the first one wins"."""
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for i, name in sorted(mapping.items()):
        if name in first:
            problems.append(
                Problem(
                    N_(
                        "Columns {first} and {second} both hold the same field; "
                        "keep only one of them."
                    ),
                    {
                        "first": column_label(first[name], header),
                        "second": column_label(i, header),
                    },
                    sheet,
                    number,
                )
            )
        else:
            first[name] = i
    return problems


def column_label(index: int, header: list[Any]) -> str:
    """'C (Ngày)': the column's letter and its header."""
    text = str(header[index]).strip() if index < len(header) and header[index] else ""
    letter = get_column_letter(index + 1)
    return f"{letter} ({' '.join(text.split())})" if text else letter


def _table(
    sheet: str,
    rows: list[tuple[int, list[Any]]],
    fields: dict[str, tuple[bool, frozenset[str]]],
    default_lang: str | None,
    out: _Collector,
    covered: dict[tuple[int, int], str] | None = None,
) -> RawTable:
    """Find the header among the first rows, then name the cells of the rows below it."""
    table = RawTable(sheet, filled=bool(rows))
    header_at, mapping = find_header(rows, fields, default_lang)
    if header_at < 0:
        return table
    header = rows[header_at][1]
    out.problems.extend(duplicate_columns(sheet, header, mapping, rows[header_at][0]))
    for i, name in mapping.items():
        if name not in table.columns:
            table.columns[name] = column_label(i, header)
    columns = [(i, name, column_label(i, header)) for i, name in sorted(mapping.items())]
    for number, values in rows[header_at + 1 :]:
        cells: dict[str, Cell] = {}
        width = len(values)
        for i, name, label in columns:
            if i >= width or (raw := values[i]) is None:
                if covered and (ref := covered.get((number, i))):
                    table.merged[(number, name)] = ref
                continue
            if isinstance(raw, str):
                raw = out.value(raw, sheet, number, label)
                if raw is None:
                    continue
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
    if data.startswith(OLE_MAGIC):
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        raise ScheduleProblems(
            [
                Problem(
                    N_(
                        "The workbook is password-protected. Remove the password in Excel "
                        "(File → Info → Protect Workbook → Encrypt with Password, clear it), "
                        "save, and send it again."
                    )
                    if encrypted
                    else N_(
                        "This is an old Excel file (.xls). Open it in Excel and save it as "
                        "an Excel Workbook (.xlsx), then send it again."
                    )
                )
            ]
        )
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


_T_TAG = f"{{{SHEET_MAIN_NS}}}t"
_R_TAG = f"{{{SHEET_MAIN_NS}}}r"


class _Parser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's streaming sheet parser with a quicker path for inline strings (the kind
    openpyxl itself writes): their text is read directly instead of through openpyxl's
    ``Text`` objects, which cost more than all the rest of a cell."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") != "inlineStr" or (child := element.find(INLINE_STRING)) is None:
            cell: dict[str, Any] = super().parse_cell(element)
            return cell
        plain = child.find(_T_TAG)
        if plain is not None:
            value = plain.text or ""
        else:
            value = "".join(r.findtext(_T_TAG) or "" for r in child.findall(_R_TAG))
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        style = element.get("s", 0)
        return {
            "row": row,
            "column": column,
            "value": value,
            "data_type": "s",
            "style_id": int(style) if style else 0,
        }


@dataclass(slots=True)
class SheetRows:
    """A sheet's non-empty visible rows, read from its real cells (not its recorded size)."""

    title: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    hidden: list[int] = field(default_factory=list)
    """Rows with content that Excel hides: never imported, named in the preview."""
    covered: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, column index) → merged range, for cells a merge left empty."""


def _hidden(attrs: dict[str, str] | None) -> bool:
    return bool(attrs) and str(attrs.get("hidden", "")).lower() in ("1", "true")  # type: ignore[union-attr]


def read_sheet(book: Any, ws: Any, out: _Collector) -> SheetRows:
    """Stream a sheet's rows as they are in the file.

    The recorded dimension (``<dimension ref="A1:AD30">``) is ignored: it may be
    stale, "A1", or "A1:XFD1048576". Rows are read one at a time; a run of more
    than :data:`BLANK_RUN` empty rows stops the reading and refuses the sheet, so a
    file of millions of empty rows costs milliseconds. Vertically merged cells are
    filled down from their first cell; cells a merge leaves empty are remembered.
    """
    sheet = SheetRows(ws.title)
    last = blanks = 0
    with ws._get_source() as src:  # openpyxl's streaming parser, without the dimension padding
        parser = _Parser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            if blanks > BLANK_RUN:
                raise ScheduleProblems(
                    [
                        Problem(
                            N_(
                                "More than {limit} empty rows follow row {row}; the rest of "
                                "the sheet was not read. Delete the empty rows and send the "
                                "file again."
                            ),
                            {"limit": BLANK_RUN, "row": last},
                            ws.title,
                        )
                    ]
                )
            values: list[Any] = []
            if cells:
                values = [None] * min(cells[-1]["column"], MAX_COLUMNS)
                for cell in cells:
                    value = cell["value"]
                    if value is not None and cell["column"] <= MAX_COLUMNS:
                        values[cell["column"] - 1] = value
                if _blank(values):
                    values = []
            if not values:
                blanks += 1  # gaps in the numbering cost nothing; only rows streamed count
                continue
            out.count(ws.title)
            last, blanks = number, 0
            if _hidden(parser.row_dimensions.get(str(number))):
                sheet.hidden.append(number)
                continue
            sheet.rows.append((number, values))
        merges = parser.merged_cells.mergeCell if parser.merged_cells else []
    _fill_merges(sheet, [m.ref for m in merges])
    return sheet


def _fill_merges(sheet: SheetRows, refs: list[str]) -> None:
    numbers = [n for n, _ in sheet.rows]
    by_number = dict(sheet.rows)
    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if min_col is None or min_row is None or min_col > MAX_COLUMNS:
            continue
        max_col = min(max_col or min_col, MAX_COLUMNS)
        top_values = by_number.get(min_row)
        top = top_values[min_col - 1] if top_values and len(top_values) >= min_col else None
        for number in numbers[bisect.bisect_left(numbers, min_row) :]:
            if number > (max_row or min_row):
                break
            values = by_number[number]
            for col in range(min_col, max_col + 1):
                if number == min_row and col == min_col:
                    continue
                if len(values) < col:
                    values.extend([None] * (col - len(values)))
                if values[col - 1] is not None:
                    continue
                if col == min_col and top is not None:
                    values[col - 1] = top
                else:
                    sheet.covered[(number, col - 1)] = ref


def _open_book(data: bytes) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types on broken files
        raise ScheduleProblems(
            [Problem(N_("The file is not a valid Excel workbook (.xlsx)."))]
        ) from None


def _read(book: Any, ws: Any, out: _Collector) -> SheetRows:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read_sheet(book, ws, out)
    except (ScheduleProblems, _TooMany):
        raise
    except Exception:  # a broken sheet part
        raise ScheduleProblems(
            [Problem(N_("The sheet cannot be read; the workbook may be damaged."), {}, ws.title)]
        ) from None


HIDDEN_ROWS = N_("Hidden rows were not imported: {rows}.")
HIDDEN_SHEET = N_("This sheet is hidden and was not read.")


def _sheet_notes(sheet: SheetRows) -> list[Problem]:
    if not sheet.hidden:
        return []
    shown = ", ".join(map(str, sheet.hidden[:20])) + (" …" if len(sheet.hidden) > 20 else "")
    return [Problem(HIDDEN_ROWS, {"rows": shown}, sheet.title)]


def read_xlsx(data: bytes, base: Any = None, programme: ProgrammeReader | None = None) -> RawFile:
    """Read a workbook: formulas give their cached values and are never evaluated.

    Our template (a class sheet, topics, sessions) is read by sheet name; any
    other workbook is read as the organiser's own programme from its first
    visible sheet (:mod:`bot.schedule.programme`), into ``base``'s class.
    Hidden sheets and hidden rows are never used; the preview names them.
    """
    _check_zip(data)
    out = _Collector()
    notes: list[Problem] = []
    book = _open_book(data)
    try:
        visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
        roles: dict[str, list[Any]] = {}
        for ws in visible:
            role = sheet_role(ws.title)
            if role is not None and role != "instructions":
                roles.setdefault(role, []).append(ws)
        for found in roles.values():
            if len(found) > 1:
                out.problems.append(
                    Problem(
                        N_(
                            'The sheets "{first}" and "{second}" hold the same part of the '
                            "schedule; keep only one of them."
                        ),
                        {"first": found[0].title, "second": found[1].title},
                        found[1].title,
                    )
                )
        for ws in book.worksheets:
            if ws.sheet_state == "visible":
                continue
            role = sheet_role(ws.title)
            if role in ("class", "topics", "sessions") and role not in roles:
                out.problems.append(
                    Problem(
                        N_(
                            "This sheet is hidden. Unhide it if it is the one to import, "
                            "or delete it; nothing is read from hidden sheets."
                        ),
                        {},
                        ws.title,
                    )
                )
            else:
                notes.append(Problem(HIDDEN_SHEET, {}, ws.title))
        out.finish()
        if "class" not in roles and programme is not None:
            if not visible:
                raise ScheduleProblems([Problem(N_("The workbook has no visible sheet."))])
            sheet = _read(book, visible[0], out)
            raw = programme(sheet, base, out)
            raw.notes[:0] = notes + _sheet_notes(sheet)
            out.finish()
            return raw
        sheets: dict[str, SheetRows] = {}
        for role in ("class", "topics", "sessions"):
            if role in roles:
                sheets[role] = _read(book, roles[role][0], out)
                notes.extend(_sheet_notes(sheets[role]))
    except _TooMany:
        out.finish()
        raise AssertionError("unreachable") from None
    finally:
        book.close()
    missing = [
        Problem(message)
        for role, message in (
            ("class", N_('The workbook has no sheet for the class (named "Class" or "Lớp").')),
            (
                "sessions",
                N_('The workbook has no sheet for the sessions (named "Sessions" or "Lịch học").'),
            ),
        )
        if role not in sheets
    ]
    if missing:
        raise ScheduleProblems(missing)
    class_sheet = sheets["class"]
    cls = _class_row(class_sheet.title, class_sheet.rows, out)
    lang_cell = cls.cells.get("default_lang")
    lang = lang_from(str(lang_cell.value)) if lang_cell else None
    topics = None
    if "topics" in sheets:
        t = sheets["topics"]
        topics = _table(t.title, t.rows, TOPIC_FIELDS, lang, out, t.covered)
    s_sheet = sheets["sessions"]
    sessions = _table(s_sheet.title, s_sheet.rows, SESSION_FIELDS, lang, out, s_sheet.covered)
    out.finish()
    return RawFile("xlsx", cls, class_sheet.title, topics, sessions, notes=notes)


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


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cells beginning so are formulas to a spreadsheet: written with a leading "'" in CSV
(OWASP's CSV-injection advice), which reading takes off again."""


def _unquote(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r" else value


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
            values = [_unquote(v) for v in values]
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
        if "field limit" in str(exc):
            problem = Problem(
                N_("A cell is far too long (over {limit} characters)."),
                {"limit": csv.field_size_limit()},
                "CSV",
                start,
            )
        elif "NUL" in str(exc):
            problem = Problem(CONTROL, {"char": "U+0000"}, "CSV", start)
        else:
            problem = Problem(
                N_("The CSV file cannot be read: {error}"), {"error": str(exc)}, "CSV", start
            )
        raise ScheduleProblems([problem]) from None
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
