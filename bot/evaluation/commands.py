"""Evaluation commands and typed answers, the same on Telegram and Zalo.

:func:`run` answers ``/ratings`` (managers), ``/evaluation`` (trainees: the
form; managers: who has not finished and the summary), ``/results`` (one's
own; managers: counts) and ``/closing`` (managers and organisers: the pack)
for the person's class. :func:`typed_answer` completes a lecture comment or a
free-text answer of the form. :data:`EVALUATION_WORDS` ask for the form.
"""

from __future__ import annotations

import datetime as dt

from bot.attendance.commands import Outcome, asking_for
from bot.domain import Person, TrainingClass
from bot.evaluation import closing, form, ratings, results
from bot.i18n import _, use_lang
from bot.people.permissions import Forbidden
from bot.replies import Reply
from bot.store import attendance as attendance_store
from bot.store.database import Database

_LECTURE = (
    r"(?:\s*(?:the|for|of|this|cho|về|ve|ການ)?\s*(?:bài giảng|bai giang|buổi học|buoi hoc|"
    r"chuyên đề|chuyen de|lecture|lesson|course|class|ບົດບັນຍາຍ|ການບັນຍາຍ|ບັນຍາຍ|ຫຼັກສູດ))?"
)
"""What is rated, after the word: "đánh giá bài giảng", "feedback for lecture", "ປະເມີນການບັນຍາຍ"."""
EVALUATION_WORDS = asking_for(
    r"(?:(?:give|send|gửi|gui)\s+)?(?:phiếu đánh giá|phieu danh gia|đánh giá|danh gia|ແບບປະເມີນ|"
    r"ໃບປະເມີນ|ການປະເມີນ|ປະເມີນ|evaluation form|evaluation|feedback)" + _LECTURE
)
"""Plain words asking for the evaluation form (vi, lo, en)."""

COMMANDS = ("ratings", "evaluation", "results", "closing")


def refusal() -> Reply:
    return Reply.text(_("Sorry, only the class managers can do that."))


async def run(
    db: Database,
    person: Person,
    cls: TrainingClass,
    command: str,
    now: dt.datetime,
    lang: str,
) -> Outcome:
    """One command for the person's class, in ``lang``."""
    with use_lang(lang):
        try:
            if command == "ratings":
                return Outcome([await ratings.summary_view(db, person, cls, lang)])
            if command == "evaluation":
                return Outcome([await form.start(db, person, cls, now, lang)])
            if command == "results":
                return Outcome([await results.results_view(db, person, cls, lang)])
            if command == "closing":
                return Outcome([await closing.closing_pack(db, person, cls, now, lang)])
        except Forbidden:
            return Outcome([refusal()])
    raise ValueError(command)


async def typed_answer(
    db: Database, person: Person, text: str, now: dt.datetime, lang: str
) -> list[Reply] | None:
    """A comment on a lecture or a free-text answer of the form, if one is awaited."""
    waiting = await attendance_store.awaited(db, person.id, now)
    if waiting is None:
        return None
    with use_lang(lang):
        if waiting.kind == ratings.COMMENT_KIND:
            reply = await ratings.save_comment(db, person, waiting.class_id, waiting.ref, text, now)
            return [reply]
        if waiting.kind == form.TEXT_KIND and waiting.ref.isdigit():
            reply = await form.give_answer(
                db, person, waiting.class_id, int(waiting.ref), None, text, now, lang
            )
            return [reply]
    return None
