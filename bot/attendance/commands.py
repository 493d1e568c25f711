"""Attendance and evaluation commands and typed answers, the same on Telegram and Zalo.

:func:`run` answers ``/attendance``, ``/signin``, ``/mark``, ``/ratings``,
``/evaluation``, ``/results`` and ``/closing`` for the class the person is in
(a refused role becomes a polite answer and changes nothing).
:func:`typed_answer` completes what a button asked for in words: the room
code of a sign-in, a comment on a lecture, a free-text answer of the form.
:data:`PLAIN_WORDS` are the words that ask for one's own record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.attendance import register, signin
from bot.attendance.sessions import parse_ref
from bot.domain import Person, Role, TrainingClass
from bot.evaluation import closing, form, ratings, results
from bot.i18n import _, use_lang
from bot.people import permissions
from bot.people.permissions import Forbidden
from bot.replies import Reply
from bot.store import attendance as store
from bot.store.database import Database

PLAIN_WORDS = re.compile(
    r"^\s*(điểm danh|diem danh|ລົງຊື່|ລົງທະບຽນ|attendance|my attendance|sign[- ]?in)\s*[?!.]*\s*$",
    re.IGNORECASE,
)
"""Plain words asking for one's attendance (vi, lo, en)."""

EVALUATION_WORDS = re.compile(
    r"^\s*(đánh giá|danh gia|phiếu đánh giá|ປະເມີນ|ການປະເມີນ|evaluation)\s*$", re.IGNORECASE
)

COMMANDS = ("attendance", "signin", "mark", "ratings", "evaluation", "results", "closing")


@dataclass(frozen=True, slots=True)
class Outcome:
    """The replies, and the class whose jobs must be re-derived (a settings change)."""

    replies: list[Reply]
    resync: int | None = None


def refusal(command: str) -> Reply:
    if command in ("results", "closing"):
        return Reply.text(_("Sorry, only the organisers and class managers can do that."))
    return Reply.text(_("Sorry, only the class managers can do that."))


async def run(
    db: Database,
    person: Person,
    cls: TrainingClass,
    command: str,
    arg: str,
    now: dt.datetime,
    lang: str,
) -> Outcome:
    """One command for the person's class, in ``lang``."""
    with use_lang(lang):
        try:
            return await _run(db, person, cls, command, arg.strip(), now, lang)
        except Forbidden:
            return Outcome([refusal(command)])


async def _run(
    db: Database,
    person: Person,
    cls: TrainingClass,
    command: str,
    arg: str,
    now: dt.datetime,
    lang: str,
) -> Outcome:
    role = await permissions.require(db, person, cls.id, permissions.EVERYONE)
    managing = role in permissions.MANAGERS
    if command == "attendance":
        if managing:
            return Outcome([await register.live_view(db, person, cls, now, lang)])
        return Outcome([await signin.my_record(db, person, cls, now, lang)])
    if command == "signin":
        if not managing:
            return Outcome([await signin.my_record(db, person, cls, now, lang)])
        outcome = await register.settings_command(db, person, cls, arg, now, lang)
        return Outcome([outcome.reply], cls.id if outcome.changed else None)
    if command == "mark":
        return Outcome([await register.mark_command(db, person, cls, arg, now, lang)])
    if command == "ratings":
        return Outcome([await ratings.summary_view(db, person, cls, lang)])
    if command == "evaluation":
        return Outcome([await form.start(db, person, cls, now, lang)])
    if command == "results":
        return Outcome([await results.results_view(db, person, cls, lang)])
    if command == "closing":
        return Outcome([await closing.closing_pack(db, person, cls, now, lang)])
    raise ValueError(command)


async def typed_answer(
    db: Database, person: Person, text: str, now: dt.datetime, lang: str
) -> list[Reply] | None:
    """Complete what the bot is waiting for from ``person``; None when it waits for nothing."""
    waiting = await store.awaited(db, person.id, now)
    if waiting is None:
        return None
    with use_lang(lang):
        if text.strip().lower() in ("/cancel", "cancel", "hủy", "huỷ", "huy", "ຍົກເລີກ"):
            await store.stop_awaiting(db, person.id)
            return [Reply.text(_("Cancelled."))]
        if waiting.kind == signin.CODE_KIND:
            parsed = parse_ref(waiting.ref)
            if parsed is None:
                await store.stop_awaiting(db, person.id)
                return None
            return [await signin.sign_in(db, person, *parsed, now, code=text)]
        if waiting.kind == ratings.COMMENT_KIND:
            return [
                await ratings.save_comment(db, person, waiting.class_id, waiting.ref, text, now)
            ]
        if waiting.kind == form.TEXT_KIND and waiting.ref.isdigit():
            return [
                await form.give_answer(
                    db, person, waiting.class_id, int(waiting.ref), None, text, now, lang
                )
            ]
    await store.stop_awaiting(db, person.id)
    return None


def is_trainee(role: Role | None) -> bool:
    return role is Role.TRAINEE
