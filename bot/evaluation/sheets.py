"""Reading organisers' sheets: results and commendations, and their own evaluation questions.

Both come as a sheet of a workbook (.xlsx) or a CSV file, with a header row
in the organiser's words somewhere in the first rows (a title block above is
fine). :func:`read_results` matches each row to a trainee of the class by
name; :func:`read_questions` takes the questions sheet of the class workbook
(a sheet named like "Đánh giá", "Evaluation" or "ປະເມີນ"). Each returns the
rows it understood and the problems it found (sheet, row and what is wrong),
so the preview can refuse a file with problems and change nothing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from bot.domain import LANGS, Member, localized
from bot.i18n import _
from bot.store.evaluation import Grade, Question, Result

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 60 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL = 1000
HEADER_SCAN = 12
MAX_QUESTIONS = 40

_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")

NAME_HEADERS = (
    "ho va ten",
    "ho ten",
    "hoc vien",
    "name",
    "full name",
    "trainee",
    "ຊື່",
    "ຊື່ ແລະ ນາມສະກຸນ",
    "ຊື່ ແລະ ນາມສະກູນ",
)
GRADE_HEADERS = ("ket qua", "xep loai", "result", "grade", "ຜົນການຮຽນ", "ຜົນ", "ການຈັດອັນດັບ")
COMMEND_HEADERS = ("khen thuong", "commendation", "commended", "ຍ້ອງຍໍ", "ການຍ້ອງຍໍ")
REASON_HEADERS = ("ly do", "thanh tich", "reason", "ghi chu", "note", "ເຫດຜົນ", "ໝາຍເຫດ")
QUESTION_HEADERS = ("cau hoi", "noi dung", "question", "ຄຳຖາມ", "ເນື້ອໃນ")
KIND_HEADERS = ("loai", "kieu", "type", "kind", "ປະເພດ")
QUESTION_SHEETS = ("danh gia", "phieu danh gia", "evaluation", "ປະເມີນ", "ການປະເມີນ")

GRADE_WORDS: dict[str, Grade] = {
    "xuat sac": Grade.EXCELLENT,
    "excellent": Grade.EXCELLENT,
    "ດີເລີດ": Grade.EXCELLENT,
    "gioi": Grade.GOOD,
    "tot": Grade.GOOD,
    "kha": Grade.GOOD,
    "good": Grade.GOOD,
    "ດີ": Grade.GOOD,
    "dat": Grade.PASS,
    "trung binh": Grade.PASS,
    "pass": Grade.PASS,
    "passed": Grade.PASS,
    "ຜ່ານ": Grade.PASS,
    "khong dat": Grade.NOT_COMPLETED,
    "chua hoan thanh": Grade.NOT_COMPLETED,
    "khong hoan thanh": Grade.NOT_COMPLETED,
    "not completed": Grade.NOT_COMPLETED,
    "fail": Grade.NOT_COMPLETED,
    "failed": Grade.NOT_COMPLETED,
    "ບໍ່ຜ່ານ": Grade.NOT_COMPLETED,
    "ບໍ່ສຳເລັດ": Grade.NOT_COMPLETED,
}
YES_WORDS = {"x", "co", "yes", "y", "1", "true", "✓", "✔", "ມີ", "ໄດ້ຮັບ", "khen thuong"}
NO_WORDS = {"", "khong", "no", "n", "0", "false", "-", "ບໍ່", "ບໍ່ມີ"}
TEXT_KINDS = {"text", "tu luan", "y kien", "van ban", "free text", "ຂໍ້ຄວາມ", "ຄຳເຫັນ"}
SCALE_KINDS = {"", "scale", "1-5", "thang diem", "diem", "cham diem", "ຄະແນນ"}


class SheetError(Exception):
    """The file cannot be read at all (size, format, damage); the message is translated."""


@dataclass
class Rows:
    """A table's header row and the data rows below it, with sheet and row numbers."""

    sheet: str
    header: list[str]
    body: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class ReadResults:
    results: list[Result] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class ReadQuestions:
    questions: list[Question] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """Lower case, NFC, no Vietnamese diacritics (Lao kept), single spaces, no invisibles."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(
        c for c in decomposed if not unicodedata.combining(c) or "\u0e80" <= c <= "\u0eff"
    )
    return " ".join(unicodedata.normalize("NFC", kept).split())


def clean(value: Any) -> str:
    """A cell as tidy text (NFC, no invisible characters, numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", str(value)))
    return " ".join(text.split())[:MAX_CELL]


def kind_of(filename: str) -> str | None:
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if lower.endswith(".csv"):
        return "csv"
    return None


def _tables(data: bytes, filename: str) -> list[tuple[str, list[list[str]]]]:
    """Every visible sheet of the file as (name, rows of text)."""
    if len(data) > MAX_BYTES:
        raise SheetError(_("The file is too large. The limit is 5 MB. Nothing was changed."))
    kind = kind_of(filename)
    if kind == "csv":
        return [("CSV", _csv_rows(data))]
    if kind != "xlsx":
        raise SheetError(
            _("Please send an Excel workbook (.xlsx) or a CSV file. Nothing was changed.")
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                raise SheetError(_("The workbook is too large once unpacked. Nothing was changed."))
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SheetError:
        raise
    except Exception as exc:
        raise SheetError(
            _("The workbook could not be opened; is it damaged? Nothing was changed.")
        ) from exc
    try:
        out = []
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            rows: list[list[str]] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    break
                rows.append([clean(v) for v in values[:60]])
            out.append((str(sheet.title), rows))
        return out
    finally:
        book.close()


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    sample = text.splitlines()[:30]
    delimiter = max(",;\t", key=lambda d: sum(line.count(d) for line in sample))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [[clean(v) for v in row[:60]] for _n, row in zip(range(MAX_ROWS), reader, strict=False)]


def _find_header(sheet: str, rows: list[list[str]], needed: Iterable[str]) -> Rows | None:
    wanted = tuple(needed)
    for index, row in enumerate(rows[:HEADER_SCAN]):
        folded = [fold(c) for c in row]
        if any(cell in wanted for cell in folded):
            body = [
                (index + 2 + n, r) for n, r in enumerate(rows[index + 1 :]) if any(c for c in r)
            ]
            return Rows(sheet, folded, body)
    return None


def _column(header: list[str], names: Iterable[str]) -> int | None:
    options = tuple(names)
    for position, cell in enumerate(header):
        if cell in options:
            return position
    return None


def _cell(row: list[str], position: int | None) -> str:
    if position is None or position >= len(row):
        return ""
    return row[position]


def read_results(data: bytes, filename: str, trainees: list[Member]) -> ReadResults:
    """Results and commendations, each row matched to a trainee of the class by name."""
    out = ReadResults()
    table = None
    for sheet, rows in _tables(data, filename):
        table = _find_header(sheet, rows, NAME_HEADERS)
        if table is not None and _column(table.header, GRADE_HEADERS) is not None:
            break
        table = None
    if table is None:
        out.problems.append(
            _(
                "No table with a name column and a result column was found "
                "(headers such as “Họ và tên | Kết quả | Khen thưởng | Lý do”)."
            )
        )
        return out
    name_at = _column(table.header, NAME_HEADERS)
    grade_at = _column(table.header, GRADE_HEADERS)
    commend_at = _column(table.header, COMMEND_HEADERS)
    reason_at = _column(table.header, REASON_HEADERS)
    by_name: dict[str, list[Member]] = {}
    for member in trainees:
        by_name.setdefault(fold(member.person.display_name), []).append(member)
    seen: set[int] = set()
    for number, row in table.body:
        name = _cell(row, name_at)
        where = _("{sheet}, row {row}").format(sheet=table.sheet, row=number)
        if not name:
            continue
        matches = by_name.get(fold(name), [])
        grade = GRADE_WORDS.get(fold(_cell(row, grade_at)))
        commend_text = fold(_cell(row, commend_at))
        if len(matches) != 1:
            text = (
                _("{where}: “{name}” is not a trainee of this class.")
                if not matches
                else _("{where}: several trainees are called “{name}”.")
            )
            out.problems.append(text.format(where=where, name=name))
            continue
        person_id = matches[0].person.id
        if person_id in seen:
            out.problems.append(
                _("{where}: “{name}” appears twice.").format(where=where, name=name)
            )
            continue
        if grade is None:
            out.problems.append(
                _(
                    "{where}: the result “{value}” is not one of excellent, good, pass, "
                    "not completed (Xuất sắc, Khá/Giỏi, Đạt, Không đạt)."
                ).format(where=where, value=_cell(row, grade_at))
            )
            continue
        if commend_text not in YES_WORDS and commend_text not in NO_WORDS:
            out.problems.append(
                _(
                    "{where}: write the commendation as “x” / “có” / “yes” or leave it empty."
                ).format(where=where)
            )
            continue
        seen.add(person_id)
        out.names[person_id] = matches[0].person.display_name
        out.results.append(
            Result(person_id, grade, commend_text in YES_WORDS, _cell(row, reason_at))
        )
    if not out.results and not out.problems:
        out.problems.append(_("The table has no rows."))
    return out


_VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ")


def language_of(text: str, fallback: str) -> str:
    """Lao script → lo; Vietnamese letters or tone marks → vi; else ``fallback``."""
    if any("\u0e80" <= c <= "\u0eff" for c in text):
        return "lo"
    decomposed = unicodedata.normalize("NFD", text)
    if any(c in _VIETNAMESE for c in text) or any(unicodedata.combining(c) for c in decomposed):
        return "vi"
    return fallback


def _lang_of(header: str) -> str | None:
    if header in ("vi", "tieng viet", "vietnamese"):
        return "vi"
    if header in ("lo", "ພາສາລາວ", "lao", "tieng lao"):
        return "lo"
    if header in ("en", "english", "tieng anh"):
        return "en"
    return None


def read_questions(data: bytes, filename: str, default_lang: str) -> ReadQuestions:
    """The organiser's evaluation questions from the questions sheet (or a CSV)."""
    out = ReadQuestions()
    tables = _tables(data, filename)
    chosen = [
        (sheet, rows)
        for sheet, rows in tables
        if sheet == "CSV" or any(word in fold(sheet) for word in QUESTION_SHEETS)
    ]
    table = None
    for sheet, rows in chosen:
        headers = (*QUESTION_HEADERS, "vi", "lo", "en", "tieng viet", "english", "ພາສາລາວ")
        table = _find_header(sheet, rows, headers)
        if table is not None:
            break
    if table is None:
        out.problems.append(
            _(
                "No sheet of evaluation questions was found: name a sheet “Đánh giá” "
                "(or “Evaluation”, “ການປະເມີນ”) with a column “Câu hỏi” and optionally "
                "“Loại” (scale or text)."
            )
        )
        return out
    columns: dict[str, int] = {}
    for position, cell in enumerate(table.header):
        lang = _lang_of(cell)
        if lang is not None:
            columns.setdefault(lang, position)
    plain = _column(table.header, QUESTION_HEADERS)
    kind_at = _column(table.header, KIND_HEADERS)
    for number, row in table.body:
        texts = {lang: _cell(row, position) for lang, position in columns.items()}
        if plain is not None and _cell(row, plain):
            texts.setdefault(language_of(_cell(row, plain), default_lang), _cell(row, plain))
        if not any(texts.values()):
            continue
        where = _("{sheet}, row {row}").format(sheet=table.sheet, row=number)
        kind_text = fold(_cell(row, kind_at))
        if kind_text in TEXT_KINDS:
            kind = "text"
        elif kind_text in SCALE_KINDS:
            kind = "scale"
        else:
            out.problems.append(
                _("{where}: the type “{value}” is neither scale (1–5) nor text.").format(
                    where=where, value=_cell(row, kind_at)
                )
            )
            continue
        out.questions.append(
            Question(
                len(out.questions) + 1,
                kind,
                localized({k: v for k, v in texts.items() if k in LANGS}),
            )
        )
    if not out.questions and not out.problems:
        out.problems.append(_("The questions sheet has no questions."))
    if len(out.questions) > MAX_QUESTIONS:
        out.problems.append(
            _("The form has {count} questions; at most {max} are allowed.").format(
                count=len(out.questions), max=MAX_QUESTIONS
            )
        )
    return out
