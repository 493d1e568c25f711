"""What the schedule reader leaves aside: contact fields and per-session extras (issue 18).

The schedule reader (:mod:`bot.schedule.read`) ignores class fields and columns it
does not know. When a class workbook is imported or confirmed, this module reads
from the same file, with openpyxl, what the pocket needs, and stores it:

- contacts: class-sheet fields ("Hotline", "Điện thoại quản lý lớp", "Bệnh viện
  gần nhất", "Đại sứ quán", "Tổng Lãnh sự quán", "Số khẩn cấp"), the field name in
  column A and its value in B;
- session extras: the sessions sheet's "Interpreter" / "Phiên dịch", "Interpreted
  into" / "Dịch sang", "Lecture language" and "Materials" / "Tài liệu" (links)
  columns, matched to the sessions by their ID column, else by date and start.

Only an Excel workbook carries them; a CSV or text upload leaves them as they were.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl

from bot.domain import TrainingClass
from bot.schedule.columns import SESSION_FIELDS, fold, lang_from, match_header, sheet_role
from bot.schedule.read import HEADER_SCAN, MAX_CELL, MAX_ROWS
from bot.schedule.values import as_date, as_time
from bot.store import classes
from bot.store import contacts as store
from bot.store.contacts import Contact, SessionExtra
from bot.store.database import Database

log = logging.getLogger(__name__)

TRAINEE_SHEETS = frozenset(
    fold(n)
    for n in (
        "trainees",
        "roster",
        "học viên",
        "danh sách học viên",
        "danh sách",
        "ຜູ້ເຂົ້າຮ່ວມ",
        "ລາຍຊື່",
        "ລາຍຊື່ຜູ້ເຂົ້າຮ່ວມ",
    )
)
"""Sheet names of the trainees list (read first by :func:`rows_of_book`)."""


def _aliases(*names: str) -> frozenset[str]:
    return frozenset(fold(n) for n in names)


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
    "consulate": _aliases(
        "consulate",
        "consulate general",
        "lãnh sự quán",
        "tổng lãnh sự quán",
        "ສະຖານກົງສຸນ",
        "ສະຖານກົງສຸນໃຫຍ່",
    ),
    "emergency": _aliases(
        "emergency",
        "emergency numbers",
        "số khẩn cấp",
        "số điện thoại khẩn cấp",
        "cấp cứu",
        "ເບີໂທສຸກເສີນ",
    ),
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

_LINK = re.compile(r"https?://\S+")

OTHER_LECTURE_LANGS: dict[str, str] = {
    fold(word): code
    for code, words in {
        "zh": ("zh", "chinese", "tiếng trung", "tiếng hoa", "trung", "ພາສາຈີນ", "中文"),
    }.items()
    for word in words
}
"""Lecture languages the bot does not speak but a lecture may be given in (a Chinese
professor in Guangzhou): enough to know that every reader needs the interpreter."""


def lecture_lang_from(text: str) -> str | None:
    """A lecture language: one of ours ('Tiếng Việt' → 'vi') or another ('Chinese' → 'zh')."""
    return lang_from(text) or OTHER_LECTURE_LANGS.get(fold(text))


def field_of(header: Any, fields: dict[str, frozenset[str]]) -> str | None:
    """The field a header names (any of its "/"-separated parts), by the aliases given."""
    if not isinstance(header, str):
        return None
    for part in header.split("/"):
        folded = fold(part)
        for name, aliases in fields.items():
            if folded and folded in aliases:
                return name
    return None


def cell_text(value: Any) -> str:
    """A cell as stripped text ("12" for 12.0), cut at the cell limit."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[:MAX_CELL]


def rows_of_book(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    """Every visible sheet's non-blank rows (number, values), trainee sheets first."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets: list[tuple[str, list[tuple[int, list[Any]]]]] = []
        for ws in book.worksheets:
            sheets.append((ws.title, list(_filled_rows(ws))))
    finally:
        book.close()
    sheets.sort(key=lambda s: fold(s[0]) not in TRAINEE_SHEETS)
    return sheets


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


def read_extras(data: bytes) -> tuple[list[Contact] | None, list[ExtraRow] | None]:
    """The contact fields of the class sheet and the extras of the sessions sheet.

    ``None`` when the workbook has no such sheet: an organiser's own programme
    (issue 12) is one sheet of sessions uploaded into an existing class, and must
    leave the class's contacts and session extras as they were. Only those two
    sheets are read, and the sessions sheet past its header only when the header
    has an extras column (reading a 5,000-session sheet twice doubled an import).
    """
    found: list[Contact] | None = None
    extras: list[ExtraRow] | None = None
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for ws in book.worksheets:
            role = sheet_role(ws.title)
            if role == "class":
                found = _contacts(list(_filled_rows(ws)))
            elif role == "sessions":
                rows = _filled_rows(ws)
                head = list(itertools.islice(rows, HEADER_SCAN))
                wanted = any(field_of(v, EXTRA_FIELDS) for _n, values in head for v in values)
                extras = _extras([*head, *rows]) if wanted else []
    finally:
        book.close()
    return found, extras


def _filled_rows(ws: Any) -> Iterator[tuple[int, list[Any]]]:
    """A sheet's non-blank rows (number, values), as :func:`rows_of_book` reads them."""
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            return
        if values and any(v is not None and str(v).strip() for v in values):
            yield number, list(values[:80])


def _contacts(rows: list[tuple[int, list[Any]]]) -> list[Contact]:
    out: list[Contact] = []
    for _n, values in rows:
        if len(values) < 2 or not isinstance(values[0], str):
            continue
        kind = field_of(values[0], CONTACT_FIELDS)
        value = cell_text(values[1])
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
            name = field_of(v, EXTRA_FIELDS)
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

        interpreter = cell_text(get("interpreter", columns)).lstrip("=")
        into = lang_from(cell_text(get("interpret_into", columns)))
        lecture = lecture_lang_from(cell_text(get("lecture_lang", columns)))
        links = tuple(_LINK.findall(cell_text(get("materials", columns))))
        if not (interpreter or links):
            continue
        out.append(
            ExtraRow(
                key=cell_text(get("id", known)),
                day=as_date(get("date", known)),
                start=as_time(get("start", known)),
                interpreter=interpreter,
                interpret_into=into,
                lecture_lang=lecture,
                links=links,
            )
        )
    return out


async def record_workbook(db: Database, cls: TrainingClass, data: bytes, filename: str) -> None:
    """Store the workbook's contacts and session extras for the class's live version."""
    if not filename.lower().endswith((".xlsx", ".xlsm")) or cls.live_version_id is None:
        return
    try:  # openpyxl reads off the event loop (issue 12: no file makes everyone wait)
        found, rows = await asyncio.to_thread(read_extras, data)
    except Exception:  # the schedule itself was read; a broken extra must not undo that
        log.exception("event=workbook_extras_unreadable class=%s", cls.code)
        return
    if found is None and rows is None:
        return  # an organiser's programme: no class sheet, no sessions sheet
    if not rows:  # no extras column: no need to load the version's sessions to match
        await store.replace(db, cls.id, found, None if rows is None else [])
        return
    sessions = await classes.version_sessions(db, cls.live_version_id)
    by_key = {s.key: s for s in sessions}
    by_time = {(s.day, s.start): s for s in sessions}
    extras: dict[str, SessionExtra] = {}
    for row in rows:
        session = by_key.get(row.key) if row.key else None
        if session is None and row.day is not None and row.start is not None:
            session = by_time.get((row.day, row.start))
        if session is None:
            continue
        extras[session.key] = SessionExtra(
            session.key, row.interpreter, row.interpret_into, row.lecture_lang, row.links
        )
    await store.replace(db, cls.id, found, list(extras.values()))
