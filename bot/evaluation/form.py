"""The end-of-course evaluation form (phiếu đánh giá), answered question by question.

The default form asks content, lecturers, organisation, logistics and overall
(1–5 each) and one free-text question; an organiser can replace it with their
own questions from a sheet of the class workbook (:mod:`bot.evaluation.sheets`).
The form opens on the class's last day (the planner sends it then); a trainee
answers in the chat, one question at a time, and can stop and come back
(``/evaluation`` resumes at the first unanswered question). Actions (prefix
``ev:``): ``ev:<class>:<number>:<1-5>``, ``ev:<class>:<number>:skip`` (a text
question left blank) and ``ev:<class>:go`` (start or resume). Managers see
who has not finished (names, never answers) and a summary per question.
"""

from __future__ import annotations

import datetime as dt

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.domain import Person, Role, TrainingClass, localized, pick
from bot.i18n import N_, _, format_day_short, use_lang
from bot.people import permissions
from bot.people.permissions import MANAGERS
from bot.replies import Block, Button, Reply
from bot.store import attendance as attendance_store
from bot.store import audit, classes, people
from bot.store import evaluation as store
from bot.store.database import Database
from bot.store.evaluation import Answer, Question

TEXT_KIND = "eval"
"""The awaited typed answer: a free-text question of the form (ref: its number)."""

TEXT_WAIT = dt.timedelta(minutes=30)
"""How long the next text counts as the answer (then it is a question again; /evaluation
shows the question anew)."""
MSGID_LANG = "en"
"""A default question keeps its catalog message id under this key."""
MAX_TEXT = 2000

DEFAULT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("scale", N_("Content of the programme: how useful and relevant was it?")),
    ("scale", N_("Lecturers: how clear and knowledgeable were they?")),
    ("scale", N_("Organisation of the class: schedule, information, class management")),
    ("scale", N_("Logistics: accommodation, meals, transport")),
    ("scale", N_("Overall, how would you rate the class?")),
    ("text", N_("What would you suggest to the organisers for future classes?")),
)


def default_questions() -> list[Question]:
    """The default form; its text is a catalog message id, translated when shown."""
    return [
        Question(n, kind, localized({MSGID_LANG: text}))
        for n, (kind, text) in enumerate(DEFAULT_QUESTIONS, start=1)
    ]


async def form_questions(db: Database, cls: TrainingClass) -> tuple[list[Question], bool]:
    """The class's questions and whether they are the organiser's own."""
    own = await store.questions(db, cls.id)
    return (own, True) if own else (default_questions(), False)


def question_text(cls: TrainingClass, question: Question, custom: bool, lang: str) -> str:
    if custom:
        return pick(question.text, lang, cls.default_lang)
    return _(question.text[MSGID_LANG])


def opens_on(cls: TrainingClass) -> dt.date:
    return cls.last_day


def question_reply(
    cls: TrainingClass, questions: list[Question], custom: bool, question: Question, lang: str
) -> Reply:
    with use_lang(lang):
        heading = _("Evaluation, question {number} of {total}").format(
            number=question.number, total=len(questions)
        )
        text = question_text(cls, question, custom, lang)
        if question.kind == "scale":
            lines = (text, _("Tap 1 (poor) to 5 (excellent)."))
            buttons: tuple[tuple[Button, ...], ...] = (
                tuple(Button(str(n), f"ev:{cls.id}:{question.number}:{n}") for n in range(1, 6)),
            )
        else:
            lines = (text, _("Please type your answer, or skip this question."))
            buttons = ((Button(_("Skip"), f"ev:{cls.id}:{question.number}:skip"),),)
    return Reply(blocks=(Block(lines, heading),), buttons=buttons)


def invitation(cls: TrainingClass, lang: str) -> Reply:
    """What every trainee receives on the last day."""
    with use_lang(lang):
        return Reply(
            blocks=(
                Block(
                    (
                        _(
                            "Please take a few minutes to evaluate the class. The questions "
                            "come one at a time; you can stop and continue later with "
                            "/evaluation (on Zalo: write “evaluation”)."
                        ),
                    ),
                    _("Evaluation form: {name}").format(name=cls.title(lang)),
                ),
            ),
            buttons=((Button(_("Start the evaluation"), f"ev:{cls.id}:go"),),),
        )


def reminder(cls: TrainingClass, lang: str) -> Reply:
    """The one reminder to trainees who have not finished the form."""
    with use_lang(lang):
        return Reply(
            blocks=(
                Block(
                    (
                        _(
                            "You have not finished the evaluation form yet. It takes only a "
                            "few minutes; your answers so far are kept."
                        ),
                    ),
                    _("Evaluation form: {name}").format(name=cls.title(lang)),
                ),
            ),
            buttons=((Button(_("Continue the evaluation"), f"ev:{cls.id}:go"),),),
        )


async def next_step(
    db: Database, person: Person, cls: TrainingClass, now: dt.datetime, lang: str
) -> Reply:
    """The first unanswered question, or the thanks when the form is complete."""
    questions, custom = await form_questions(db, cls)
    given = await store.answers_of(db, cls.id, person.id)
    for question in questions:
        if question.number not in given:
            if question.kind == "text":
                await attendance_store.await_text(
                    db, person.id, TEXT_KIND, cls.id, str(question.number), now + TEXT_WAIT
                )
            return question_reply(cls, questions, custom, question, lang)
    with use_lang(lang):
        return Reply.text(
            _("Thank you: you have answered every question of the evaluation."),
        )


async def start(
    db: Database, person: Person, cls: TrainingClass, now: dt.datetime, lang: str
) -> Reply:
    """``/evaluation`` for a trainee: start or resume the form (from the last day on)."""
    role = await permissions.require(db, person, cls.id, permissions.EVERYONE)
    with use_lang(lang):
        if role is not Role.TRAINEE:
            return await status_view(db, person, cls, lang)
        if cls.local_now(now).date() < opens_on(cls):
            return Reply.text(
                _("The evaluation form opens on the last day of the class ({day}).").format(
                    day=format_day_short(opens_on(cls))
                )
            )
    return await next_step(db, person, cls, now, lang)


async def give_answer(
    db: Database,
    person: Person,
    class_id: int,
    number: int,
    score: int | None,
    text: str,
    now: dt.datetime,
    lang: str,
) -> Reply:
    """Store one answer (validated) and show the next question."""
    cls_role = await permissions.role_in(db, person, class_id)
    cls = await classes.get_class(db, class_id)
    if cls is None or cls_role is not Role.TRAINEE:
        with use_lang(lang):
            return Reply.text(_("This evaluation form is not for you."))
    if cls.local_now(now).date() < opens_on(cls):
        return await start(db, person, cls, now, lang)
    questions, _custom = await form_questions(db, cls)
    question = next((q for q in questions if q.number == number), None)
    with use_lang(lang):
        if question is None:
            return Reply.text(_("This question is no longer in the form."))
        if question.kind == "scale" and (score is None or not 1 <= score <= 5):
            return Reply.text(_("Please choose from 1 to 5."))
    cleaned = " ".join(text.split())[:MAX_TEXT] if question.kind == "text" else ""
    await store.answer(
        db, class_id, person.id, number, score if question.kind == "scale" else None, cleaned, now
    )
    if question.kind == "text":
        await attendance_store.stop_awaiting(db, person.id)
    return await next_step(db, person, cls, now, lang)


async def _on_answer(ctx: ActionContext, rest: str) -> ActionResult:
    parts = rest.split(":")
    if len(parts) == 2 and parts[0].isdigit() and parts[1] == "go":
        cls = await classes.get_class(ctx.db, int(parts[0]))
        if cls is None or await permissions.role_in(ctx.db, ctx.person, cls.id) is None:
            return actions.expired()
        return ActionResult(replies=[await start(ctx.db, ctx.person, cls, ctx.now, ctx.lang)])
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return actions.expired()
    role = await permissions.role_in(ctx.db, ctx.person, int(parts[0]))
    if role is None:
        return actions.expired()
    if role is not Role.TRAINEE:
        return ActionResult(toast=_("This evaluation form is not for you."))
    if parts[2] == "skip":
        score, text = None, ""
    elif parts[2].isdigit():
        score, text = int(parts[2]), ""
    else:
        return actions.expired()
    reply = await give_answer(
        ctx.db, ctx.person, int(parts[0]), int(parts[1]), score, text, ctx.now, ctx.lang
    )
    return ActionResult(replies=[reply], replace=True)


actions.register("ev:", _on_answer)


# Managers -------------------------------------------------------------------------------


async def not_finished(db: Database, cls: TrainingClass) -> list[Person]:
    """Trainees who have not answered every question (names only, never answers)."""
    questions, _custom = await form_questions(db, cls)
    counts = await store.answered_counts(db, cls.id)
    members = await people.class_members(db, cls.id, (Role.TRAINEE,))
    return [m.person for m in members if counts.get(m.person.id, 0) < len(questions)]


async def status_view(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """Managers: how many finished, who has not (names), and the summary per question."""
    await permissions.require(db, person, cls.id, MANAGERS)
    missing = await not_finished(db, cls)
    total = len(await people.class_members(db, cls.id, (Role.TRAINEE,)))
    questions, custom = await form_questions(db, cls)
    answers = await store.answer_rows(db, cls.id)
    with use_lang(lang):
        head = Block(
            (
                _("{done} of {total} trainees have completed the form.").format(
                    done=total - len(missing), total=total
                ),
            ),
            _("Evaluation: {name}").format(name=cls.title(lang)),
        )
        blocks = [head]
        if missing:
            blocks.append(
                Block(
                    tuple(f"• {p.display_name}" for p in missing),
                    _("Not completed yet ({count})").format(count=len(missing)),
                )
            )
        blocks += summary_blocks(cls, questions, custom, answers, lang)
    return Reply(blocks=tuple(blocks))


def summarise_question(question: Question, given: list[Answer]) -> tuple[int, float, list[int]]:
    """(answers, average, counts of 1..5) of a scale question."""
    scores = [a.score for a in given if a.score is not None]
    spread = [scores.count(n) for n in range(1, 6)]
    return len(scores), (sum(scores) / len(scores) if scores else 0.0), spread


def summary_blocks(
    cls: TrainingClass,
    questions: list[Question],
    custom: bool,
    answers: dict[int, list[Answer]],
    lang: str,
) -> list[Block]:
    blocks = []
    for question in questions:
        given = answers.get(question.number, [])
        title = f"{question.number}. {question_text(cls, question, custom, lang)}"
        if question.kind == "scale":
            count, average, spread = summarise_question(question, given)
            lines = [
                _("Answers: {count}, average {average}").format(
                    count=count, average=f"{average:.1f}"
                ),
                "  ".join(f"{n}: {spread[n - 1]}" for n in range(1, 6)),
            ]
        else:
            texts = [a.text for a in given if a.text]
            lines = [f"“{t}”" for t in texts] or [_("No answers yet.")]
        blocks.append(Block(tuple(lines), title))
    return blocks


async def record_replaced(
    db: Database, person: Person, cls: TrainingClass, now: dt.datetime, count: int
) -> None:
    await audit.record(
        db,
        action="evaluation.questions",
        actor=person.display_name,
        actor_person_id=person.id,
        class_id=cls.id,
        now=now,
        details={"questions": count},
    )
