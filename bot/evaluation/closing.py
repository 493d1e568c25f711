"""The closing pack: one XLSX workbook with everything the organiser prints at the end.

Sheets, in the class's language (headings also in a second language when one
is given, e.g. the manager's own): a summary per trainee (half-days present,
excused, absent; result; commendation), an attendance sheet per day with a
column per half-day and a signature column (A4, repeated header row, fitted
to the page width), the rating summary per lecture with its comments, the
evaluation summary per question, and results and commendations. Every text
cell is written as text: a value starting with ``= + - @``, a tab or a
carriage return is never a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from bot.agenda import cards
from bot.attendance import counting
from bot.attendance.sessions import signin_sessions, window
from bot.domain import Person, Role, TrainingClass
from bot.evaluation import form, ratings
from bot.evaluation.results import GRADE_NAMES
from bot.i18n import N_, _, format_day, use_lang
from bot.people import permissions
from bot.people.permissions import MANAGERS
from bot.replies import Document, Reply
from bot.store import attendance as attendance_store
from bot.store import audit, classes, people
from bot.store import evaluation as store
from bot.store.database import Database

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

STATUS_TEXT = {
    "present": N_("present"),
    "excused": N_("excused"),
    "absent": N_("absent"),
    counting.PENDING: N_("not counted yet"),
}


def put(ws: Worksheet, row: int, column: int, value: Any, font: Font | None = None) -> None:
    """Write a cell; text is always text (formula-looking values are neutralised)."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(RISKY_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    if font is not None:
        cell.font = font


class Framed:
    """Gives cells the grid border, copying the first framed cell's style (hashing a Border
    for every one of thousands of cells is most of the cost of a big pack)."""

    def __init__(self) -> None:
        self._style: Any = None

    def apply(self, cell: Any) -> None:
        if self._style is None:
            cell.border = GRID
            self._style = cell._style
        else:
            cell._style = copy(self._style)


class Labels:
    """Headings in the pack's language, with the second language after a slash."""

    def __init__(self, lang: str, second: str | None) -> None:
        self.lang = lang
        self.second = second if second and second != lang else None

    def __call__(self, message: str) -> str:
        with use_lang(self.lang):
            first = _(message)
        if self.second is None:
            return first
        with use_lang(self.second):
            other = _(message)
        return first if other == first else f"{first} / {other}"


def _print_ready(ws: Worksheet, header_row: int, landscape: bool = False) -> None:
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


def _header(ws: Worksheet, row: int, values: Sequence[str], widths: Sequence[int]) -> None:
    for column, (value, width) in enumerate(zip(values, widths, strict=True), start=1):
        put(ws, row, column, value, BOLD)
        cell = ws.cell(row=row, column=column)
        cell.border = GRID
        cell.alignment = WRAP
        ws.column_dimensions[cell.column_letter].width = width


def _title(ws: Worksheet, lines: Sequence[str]) -> int:
    for row, line in enumerate(lines, start=1):
        put(ws, row, 1, line, TITLE if row == 1 else None)
    return len(lines) + 2


async def build(
    db: Database,
    cls: TrainingClass,
    now: dt.datetime,
    lang: str | None = None,
    second: str | None = None,
) -> bytes:
    """The closing pack of ``cls`` as XLSX bytes."""
    lang = lang or cls.default_lang
    label = Labels(lang, second)
    trainees = await people.class_members(db, cls.id, (Role.TRAINEE,))
    settings = await attendance_store.settings(db, cls.id)
    signed = await signin_sessions(db, cls)
    records = await attendance_store.class_records(db, cls.id)
    closed = {(s.key, s.day) for s in signed if window(cls, s, settings).closes <= now}
    counted = counting.count(signed, [m.person.id for m in trainees], records, closed)
    results = await store.results(db, cls.id)
    all_sessions = await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
    rating_summary = ratings.summarise(all_sessions, await store.rating_rows(db, cls.id))
    questions, custom = await form.form_questions(db, cls)
    answers = await store.answer_rows(db, cls.id)

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _sheet_name(label(N_("Summary")))
    name = cls.title(lang)
    with use_lang(lang):
        dates = (
            f"{format_day(cls.first_day, fmt='short')} – {format_day(cls.last_day, fmt='short')}"
        )
    row = _title(summary, [name, f"{cls.code} · {dates}", cls.organiser or cls.venue])
    _header(
        summary,
        row,
        [
            label(N_("No.")),
            label(N_("Full name")),
            label(N_("Half-days present")),
            label(N_("Excused")),
            label(N_("Absent")),
            label(N_("Attendance")),
            label(N_("Result")),
            label(N_("Commendation")),
        ],
        [6, 32, 12, 10, 10, 12, 16, 14],
    )
    for number, member in enumerate(trainees, start=1):
        tally = counted.tally(member.person.id)
        result = results.get(member.person.id)
        values: list[Any] = [
            number,
            member.person.display_name,
            tally.present,
            tally.excused,
            tally.absent,
            f"{tally.rate() * 100:.0f}%",
            label(GRADE_NAMES[result.grade]) if result else "",
            label(N_("yes")) if result and result.commended else "",
        ]
        for column, value in enumerate(values, start=1):
            put(summary, row + number, column, value)
    whole = counting.Tally(
        *(
            sum(getattr(counted.tally(m.person.id), part) for m in trainees)
            for part in ("present", "excused", "absent", "pending")
        )
    )
    class_row = row + len(trainees) + 1
    totals: list[Any] = [
        "",
        label(N_("Whole class")),
        whole.present,
        whole.excused,
        whole.absent,
        f"{whole.rate() * 100:.0f}%",
    ]
    for column, value in enumerate(totals, start=1):
        put(summary, class_row, column, value, BOLD)
    _print_ready(summary, row, landscape=True)

    framed = Framed()
    for day in sorted({half[0] for half in counted.half_days}):
        parts = [half for half in counted.half_days if half[0] == day]
        with use_lang(lang):
            day_text = format_day(day)
        ws = book.create_sheet(_sheet_name(day.strftime("%d-%m")))
        top = _title(ws, [label(N_("Attendance sheet")), name, day_text])
        part_names = [
            label(N_("Morning")) if p[1] == "morning" else label(N_("Afternoon")) for p in parts
        ]
        _header(
            ws,
            top,
            [label(N_("No.")), label(N_("Full name")), *part_names, label(N_("Signature"))],
            [6, 34, *([14] * len(parts)), 24],
        )
        for number, member in enumerate(trainees, start=1):
            statuses = counted.by_person.get(member.person.id, {})
            values = [number, member.person.display_name]
            values += [label(STATUS_TEXT[statuses.get(p, counting.PENDING)]) for p in parts]
            values.append("")
            for column, value in enumerate(values, start=1):
                put(ws, top + number, column, value)
                framed.apply(ws.cell(row=top + number, column=column))
            ws.row_dimensions[top + number].height = 24
        below = top + len(trainees) + 1
        for offset, (status, text) in enumerate(
            (("present", N_("Present")), ("excused", N_("Excused")), ("absent", N_("Absent")))
        ):
            put(ws, below + offset, 2, label(text), BOLD)
            for column, half in enumerate(parts, start=3):
                tally = counted.per_half_day(half)
                put(ws, below + offset, column, f"{getattr(tally, status)}/{len(trainees)}")
        _print_ready(ws, top)

    ws = book.create_sheet(_sheet_name(label(N_("Lecture ratings"))))
    top = _title(ws, [label(N_("Lecture ratings")), name, label(N_("Anonymous: no names."))])
    _header(
        ws,
        top,
        [
            label(N_("Day")),
            label(N_("Time")),
            label(N_("Lecture")),
            label(N_("Lecturer")),
            label(N_("Ratings")),
            label(N_("Average")),
            "1",
            "2",
            "3",
            "4",
            "5",
        ],
        [12, 12, 40, 24, 10, 10, 6, 6, 6, 6, 6],
    )
    line = top
    comments: list[tuple[str, str]] = []
    for session, count, average, spread, said in rating_summary:
        line += 1
        title = cards.text_of(cls, session.title, lang)
        values = [
            session.day.strftime("%d/%m/%Y"),
            cards.span(session),
            title,
            session.lecturer,
            count,
            round(average, 2) if count else "",
            *spread,
        ]
        for column, value in enumerate(values, start=1):
            put(ws, line, column, value)
        comments += [(title, c) for c in said]
    if comments:
        line += 2
        put(ws, line, 1, label(N_("Comments")), BOLD)
        for title, text in comments:
            line += 1
            put(ws, line, 3, title)
            put(ws, line, 4, text)
    _print_ready(ws, top, landscape=True)

    ws = book.create_sheet(_sheet_name(label(N_("Evaluation"))))
    top = _title(ws, [label(N_("Evaluation summary")), name])
    _header(
        ws,
        top,
        [
            label(N_("No.")),
            label(N_("Question")),
            label(N_("Answers")),
            label(N_("Average")),
            "1",
            "2",
            "3",
            "4",
            "5",
        ],
        [6, 60, 10, 10, 6, 6, 6, 6, 6],
    )
    line = top
    texts: list[tuple[int, str]] = []
    for question in questions:
        line += 1
        given = answers.get(question.number, [])
        with use_lang(lang):
            text = form.question_text(cls, question, custom, lang)
        if question.kind == "scale":
            count, average, spread = form.summarise_question(question, given)
            values = [question.number, text, count, round(average, 2) if count else "", *spread]
        else:
            written = [a.text for a in given if a.text]
            values = [question.number, text, len(written)]
            texts += [(question.number, t) for t in written]
        for column, value in enumerate(values, start=1):
            put(ws, line, column, value)
    if texts:
        line += 2
        put(ws, line, 1, label(N_("Written answers")), BOLD)
        for number, text in texts:
            line += 1
            put(ws, line, 1, number)
            put(ws, line, 2, text)
    _print_ready(ws, top)

    ws = book.create_sheet(_sheet_name(label(N_("Results"))))
    top = _title(ws, [label(N_("Results and commendations")), name])
    _header(
        ws,
        top,
        [
            label(N_("No.")),
            label(N_("Full name")),
            label(N_("Result")),
            label(N_("Commendation")),
            label(N_("Reason")),
        ],
        [6, 34, 16, 14, 40],
    )
    for number, member in enumerate(trainees, start=1):
        result = results.get(member.person.id)
        values = [
            number,
            member.person.display_name,
            label(GRADE_NAMES[result.grade]) if result else "",
            label(N_("yes")) if result and result.commended else "",
            result.reason if result else "",
        ]
        for column, value in enumerate(values, start=1):
            put(ws, top + number, column, value)
    _print_ready(ws, top)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(text: str) -> str:
    """A valid, unique-enough sheet title (31 characters, none of []:*?/\\)."""
    for bad in "[]:*?/\\":
        text = text.replace(bad, "-")
    return text[:31]


async def closing_pack(
    db: Database, person: Person, cls: TrainingClass, now: dt.datetime, lang: str
) -> Reply:
    """``/closing``: the pack as a document (managers and organisers), audited."""
    await permissions.require(db, person, cls.id, MANAGERS)
    data = await build(db, cls, now, cls.default_lang, lang)
    await audit.record(
        db,
        action="closing.pack",
        actor=person.display_name,
        actor_person_id=person.id,
        class_id=cls.id,
        now=now,
    )
    with use_lang(lang):
        caption = _("Closing pack: {name}").format(name=cls.title(lang))
    return Reply(document=Document(f"closing-{cls.code}.xlsx", data, caption))
