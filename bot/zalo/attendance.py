"""Zalo's way into attendance and evaluation: the same commands and typed answers as Telegram.

:func:`respond` is called by :mod:`bot.zalo.conversation` for every text that is not a
numbered choice, an invitation code or a settings command. It answers what the bot is
waiting for (a room code, a comment, a free-text answer of the evaluation form), the
commands ``/attendance``, ``/signin``, ``/mark``, ``/ratings``, ``/evaluation``,
``/results``, ``/closing`` and the plain words "điểm danh", "ລົງຊື່", "attendance",
"đánh giá", "evaluation"; anything else returns None and goes on to the assistant.
Buttons (sign in, ratings, the form's scale) arrive as numbered choices through
:func:`bot.actions.dispatch` like every other choice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable

from bot.attendance import commands
from bot.domain import Person, TrainingClass
from bot.evaluation import commands as evaluation_commands
from bot.i18n import _, use_lang
from bot.people import preferences
from bot.replies import Reply
from bot.store import classes
from bot.store.database import Database

_COMMAND = re.compile(
    rf"^/({'|'.join(commands.COMMANDS + evaluation_commands.COMMANDS)})(?:@\w+)?(?:\s+(.*))?$",
    re.IGNORECASE | re.DOTALL,
)

Resync = Callable[[tuple[int, ...]], Awaitable[None]]


async def respond(
    db: Database,
    person: Person,
    text: str,
    lang: str,
    now: dt.datetime,
    resync: Resync | None = None,
) -> list[Reply] | None:
    """The answer if the text is about attendance or evaluation, else None."""
    typed = await commands.typed_answer(db, person, text, now, lang)
    if typed is None:
        typed = await evaluation_commands.typed_answer(db, person, text, now, lang)
    if typed is not None:
        return typed
    command = _COMMAND.match(text.strip())
    if command is not None:
        name, arg = command[1].lower(), command[2] or ""
    elif commands.PLAIN_WORDS.match(text):
        name, arg = "attendance", ""
    elif evaluation_commands.EVALUATION_WORDS.match(text):
        name, arg = "evaluation", ""
    else:
        return None
    first, _sep, rest = arg.strip().partition(" ")
    named = await classes.get_class_by_code(db, first) if first else None
    cls: TrainingClass | None
    if named is not None:  # "/mark VTE-HN-2024 3 absent", as on Telegram
        cls, arg = named, rest
    else:
        found = await preferences.active_class(db, person)
        cls = found[0] if found is not None else None
    if cls is None:
        with use_lang(lang):
            return [
                Reply.text(
                    _(
                        "You have not joined a class yet. Please send me the invitation code "
                        "your class manager gave you."
                    )
                )
            ]
    if name in evaluation_commands.COMMANDS:
        outcome = await evaluation_commands.run(db, person, cls, name, now, lang)
    else:
        outcome = await commands.run(db, person, cls, name, arg, now, lang)
    if outcome.resync is not None and resync is not None:
        await resync((outcome.resync,))
    return outcome.replies
