"""Results and evaluation questions from a sheet: upload → preview → Confirm or Cancel.

The same pattern as schedule uploads (:mod:`bot.schedule.uploads`): the file
is read and checked with nothing written, staged as the class's pending
sheet of its kind, and shown as a preview with Confirm / Cancel
(``sheet:ok:<id>``, ``sheet:no:<id>``). A file with problems is refused with
every problem listed. Confirm re-checks the role and the timeout and applies
the sheet in one transaction with an audit entry; a second Confirm (a double
tap) changes nothing. Only the class's organisers (admins) upload.
"""

from __future__ import annotations

import datetime as dt

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.domain import Person, Role, TrainingClass, pick
from bot.evaluation import sheets
from bot.evaluation.results import GRADE_NAMES
from bot.i18n import _, use_lang
from bot.people import permissions
from bot.people.permissions import ORGANISERS, Forbidden
from bot.replies import Block, Button, Reply
from bot.store import audit, classes, people
from bot.store import evaluation as store
from bot.store.database import Database
from bot.store.evaluation import Grade

TIMEOUT = dt.timedelta(minutes=15)
DETAIL_LINES = 40
KINDS = ("results", "evaluation")


def _problems(problems: list[str]) -> Reply:
    lines = problems[:DETAIL_LINES]
    if len(problems) > DETAIL_LINES:
        lines.append(_("… and {count} more.").format(count=len(problems) - DETAIL_LINES))
    return Reply(
        blocks=(
            Block(tuple(lines), _("The file has problems; nothing was changed:")),
            Block((_("Please correct the file and send it again."),)),
        )
    )


def _buttons(sheet_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (Button(_("Confirm"), f"sheet:ok:{sheet_id}"), Button(_("Cancel"), f"sheet:no:{sheet_id}")),
    )


async def stage(
    db: Database,
    person: Person,
    cls: TrainingClass,
    kind: str,
    data: bytes,
    filename: str,
    now: dt.datetime,
    lang: str,
) -> Reply:
    """Check an uploaded results or questions sheet and show its preview."""
    await permissions.require(db, person, cls.id, ORGANISERS)
    with use_lang(lang):
        if kind not in KINDS:
            raise ValueError(kind)
        try:
            if kind == "results":
                trainees = await people.class_members(db, cls.id, (Role.TRAINEE,))
                read = sheets.read_results(data, filename, trainees)
                problems = read.problems
            else:
                questions = sheets.read_questions(data, filename, cls.default_lang)
                problems = questions.problems
                if not problems and await store.answered_counts(db, cls.id):
                    problems = [
                        _(
                            "Trainees have already started answering the evaluation form; "
                            "its questions can no longer be replaced."
                        )
                    ]
        except sheets.SheetError as exc:
            return Reply.text(str(exc))
        if problems:
            return _problems(problems)
        sheet_id = await store.stage_sheet(
            db, kind, cls.id, person.id, filename, data, now, now + TIMEOUT
        )
        if kind == "results":
            return _results_preview(cls, read, sheet_id, lang)
        return _questions_preview(cls, questions, sheet_id, lang)


def _results_preview(
    cls: TrainingClass, read: sheets.ReadResults, sheet_id: int, lang: str
) -> Reply:
    counts = {grade: sum(1 for r in read.results if r.grade is grade) for grade in Grade}
    commended = sum(1 for r in read.results if r.commended)
    summary = [
        _(
            "Trainees: {count}. Excellent: {excellent}, good: {good}, pass: {passed}, "
            "not completed: {failed}. Commendations: {commended}."
        ).format(
            count=len(read.results),
            excellent=counts[Grade.EXCELLENT],
            good=counts[Grade.GOOD],
            passed=counts[Grade.PASS],
            failed=counts[Grade.NOT_COMPLETED],
            commended=commended,
        )
    ]
    lines = []
    for result in read.results[:DETAIL_LINES]:
        line = f"{read.names[result.person_id]}: {_(GRADE_NAMES[result.grade])}"
        if result.commended:
            line += " · " + _("commendation")
        lines.append(line)
    if len(read.results) > DETAIL_LINES:
        lines.append(_("… and {count} more.").format(count=len(read.results) - DETAIL_LINES))
    minutes = int(TIMEOUT.total_seconds() // 60)
    return Reply(
        blocks=(
            Block(tuple(summary), _("Results for {name}").format(name=cls.title(lang))),
            Block(tuple(lines)),
            Block(
                (
                    _("Confirm within {minutes} minutes, or nothing changes.").format(
                        minutes=minutes
                    ),
                )
            ),
        ),
        buttons=_buttons(sheet_id),
    )


def _questions_preview(
    cls: TrainingClass, read: sheets.ReadQuestions, sheet_id: int, lang: str
) -> Reply:
    kinds = {"scale": _("1–5"), "text": _("text")}
    lines = [
        f"{q.number}. {pick(q.text, lang, cls.default_lang)} ({kinds[q.kind]})"
        for q in read.questions
    ]
    return Reply(
        blocks=(
            Block(tuple(lines), _("Evaluation questions for {name}").format(name=cls.title(lang))),
            Block(
                (
                    _("Confirm within {minutes} minutes, or nothing changes.").format(
                        minutes=int(TIMEOUT.total_seconds() // 60)
                    ),
                )
            ),
        ),
        buttons=_buttons(sheet_id),
    )


async def confirm(
    db: Database, person: Person, sheet_id: int, now: dt.datetime, lang: str
) -> Reply:
    """Apply a staged sheet (role and timeout checked again); idempotent."""
    sheet = await store.pending_sheet(db, sheet_id)
    with use_lang(lang):
        if sheet is None:
            return Reply.text(_("This button is no longer active."))
        cls = await classes.get_class(db, sheet.class_id)
        if cls is None:
            return Reply.text(_("This button is no longer active."))
        await permissions.require(db, person, cls.id, ORGANISERS)
        if sheet.state != "pending":
            return Reply.text(_("This file was already dealt with. Nothing has changed."))
        if now >= sheet.expires_at:
            await store.close_sheet(db, sheet.id, "expired")
            return Reply.text(
                _("The preview expired, so nothing was changed. Please send the file again.")
            )
        if sheet.kind == "results":
            trainees = await people.class_members(db, cls.id, (Role.TRAINEE,))
            read = sheets.read_results(sheet.data, sheet.filename, trainees)
            if read.problems:
                await store.close_sheet(db, sheet.id, "cancelled")
                return _problems(read.problems)
            async with db.transaction():
                if not await store.close_sheet(db, sheet.id, "applied"):
                    return Reply.text(_("This file was already dealt with. Nothing has changed."))
                await store.replace_results(db, cls.id, read.results, now)
                await _audit(db, person, cls, now, "results.upload", len(read.results))
            return Reply.text(
                _(
                    "Saved: the results of {count} trainees. Each trainee can see their own "
                    "with /results."
                ).format(count=len(read.results))
            )
        questions = sheets.read_questions(sheet.data, sheet.filename, cls.default_lang)
        if questions.problems or await store.answered_counts(db, cls.id):
            await store.close_sheet(db, sheet.id, "cancelled")
            return _problems(questions.problems or [_("Trainees have already started answering.")])
        async with db.transaction():
            if not await store.close_sheet(db, sheet.id, "applied"):
                return Reply.text(_("This file was already dealt with. Nothing has changed."))
            await store.replace_questions(db, cls.id, questions.questions)
            await _audit(db, person, cls, now, "evaluation.questions", len(questions.questions))
        return Reply.text(
            _("Saved: the evaluation form now has {count} questions.").format(
                count=len(questions.questions)
            )
        )


async def cancel(db: Database, person: Person, sheet_id: int, lang: str) -> Reply:
    sheet = await store.pending_sheet(db, sheet_id)
    with use_lang(lang):
        if sheet is None:
            return Reply.text(_("This button is no longer active."))
        await permissions.require(db, person, sheet.class_id, ORGANISERS)
        await store.close_sheet(db, sheet.id, "cancelled")
        return Reply.text(_("Cancelled. Nothing was changed."))


async def _audit(
    db: Database, person: Person, cls: TrainingClass, now: dt.datetime, action: str, count: int
) -> None:
    await audit.record(
        db,
        action=action,
        actor=person.display_name,
        actor_person_id=person.id,
        class_id=cls.id,
        now=now,
        details={"rows": count},
    )


async def _on_sheet(ctx: ActionContext, rest: str) -> ActionResult:
    verb, _sep, number = rest.partition(":")
    if verb not in ("ok", "no") or not number.isdigit():
        return actions.expired()
    sheet = await store.pending_sheet(ctx.db, int(number))
    if sheet is None:
        return actions.expired()
    if sheet.person_id != ctx.person.id:  # only whoever sent the file confirms or cancels it
        return ActionResult(toast=_("Sorry, only the organisers of this class can do that."))
    try:
        if verb == "ok":
            reply = await confirm(ctx.db, ctx.person, int(number), ctx.now, ctx.lang)
        else:
            reply = await cancel(ctx.db, ctx.person, int(number), ctx.lang)
    except Forbidden:
        return ActionResult(toast=_("Sorry, only the organisers of this class can do that."))
    return ActionResult(replies=[reply], replace=True)


actions.register("sheet:", _on_sheet)
