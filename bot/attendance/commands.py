"""Attendance commands and typed answers, the same on Telegram and Zalo.

:func:`run` answers ``/attendance``, ``/signin`` and ``/mark`` for the class
the person is in (a refused role becomes a polite answer and changes
nothing). :func:`typed_answer` completes what a tap asked for in words (the
room code of a sign-in) and cancels any awaited answer on "cancel"; the
evaluation's typed answers are :func:`bot.evaluation.commands.typed_answer`.
:data:`PLAIN_WORDS` are the words that ask for one's own record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.attendance import register, signin
from bot.attendance.sessions import parse_ref
from bot.domain import Person, TrainingClass
from bot.i18n import _, use_lang
from bot.people import permissions
from bot.people.permissions import Forbidden
from bot.replies import Reply
from bot.store import attendance as store
from bot.store.database import Database

_ASKING_BEFORE = (
    r"(?:(?:em|tôi|toi|mình|minh|cho|xin|muốn|muon|xem|kiểm tra|kiem tra|how|do|can|i|to|"
    r"where|is|are|my|the|check|ຂ້ອຍ|ຂໍ|ເບິ່ງ|ກວດ)\s*)*"
)
_ASKING_AFTER = (
    r"(?:\s*(?:của|cua|em|tôi|toi|mình|minh|ở đâu|o dau|thế nào|the nao|như thế nào|nhu the nao|"
    r"làm sao|lam sao|ntn|ạ|a|nhé|nhe|nha|ak|ad|record|please|pls|form|here|ແນວໃດ|ເຂົ້າຮຽນ|"
    r"ຢູ່ໃສ|ບ່ອນໃດ|ຂອງຂ້ອຍ|ແດ່|ເຈົ້າ|ເດີ|ໄດ້ບໍ|ບໍ))*\s*[?!.]*\s*$"
)


def asking_for(words: str) -> re.Pattern[str]:
    """``words`` (an alternation) alone or with only the words of asking around them.

    "điểm danh", "em muốn xem điểm danh của em", "how do I sign in", "ລົງຊື່ເຂົ້າຮຽນແນວໃດ";
    but not "điểm danh xe buýt lúc mấy giờ", which asks the agenda about a time.
    """
    return re.compile(rf"^\s*{_ASKING_BEFORE}(?:{words}){_ASKING_AFTER}", re.IGNORECASE)


PLAIN_WORDS = asking_for(
    r"(?:điểm danh|diem danh|ລົງຊື່|ລົງທະບຽນ|attendance|my attendance|sign[- ]?in|check[- ]?in)"
    r"(?:\s*(?:for|to)\s*(?:the\s*)?(?:class|lecture|session|lesson))?"
)
"""Plain words asking for one's attendance (vi, lo, en)."""

COMMANDS = ("attendance", "signin", "mark")


@dataclass(frozen=True, slots=True)
class Outcome:
    """The replies, and the class whose jobs must be re-derived (a settings change)."""

    replies: list[Reply]
    resync: int | None = None


def refusal() -> Reply:
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
            return Outcome([refusal()])


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
            if parsed is None or not any(c.isdigit() for c in text):
                # Not a code at all (a question, say): stop waiting and let it be answered.
                await store.stop_awaiting(db, person.id)
                return None
            return [await signin.sign_in(db, person, *parsed, now, code=text)]
    return None
