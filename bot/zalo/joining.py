"""Newcomers on Zalo: the first contact, the language question and joining with a code.

Zalo sends no language hint, so until a person has chosen, the bot asks in all
three languages at once (numbered choices ``lang:vi``, ``lang:lo``, ``lang:en``).
"""

from __future__ import annotations

import datetime as dt
import re

from bot.agenda import assistant
from bot.domain import LANGS, Channel, Person
from bot.i18n import LANG_NAMES, N_, _, resolve_lang, use_lang
from bot.people import invites
from bot.people.permissions import ROLE_NAMES
from bot.replies import Block, Button, Reply
from bot.store.database import Database

_INVITE_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_INVITE_LINK = re.compile(r"[?&]start=([A-Za-z0-9_-]{16,64})")

INVITE_PROBLEMS: dict[invites.InviteProblem, str] = {
    invites.InviteProblem.UNKNOWN: N_(
        "This invitation code is not valid. Please check it with your class manager."
    ),
    invites.InviteProblem.USED_UP: N_(
        "This invitation code has already been used the maximum number of times. "
        "Please ask your class manager for a new code."
    ),
    invites.InviteProblem.EXPIRED: N_(
        "This invitation code has expired. Please ask your class manager for a new code."
    ),
    invites.InviteProblem.REVOKED: N_(
        "This invitation code has been withdrawn. Please ask your class manager for a new code."
    ),
    invites.InviteProblem.REMOVED: N_(
        "You were removed from this class, so this invitation no longer admits you. "
        "Please ask the class managers if you should rejoin."
    ),
}


def not_joined() -> Reply:
    return Reply.text(
        _(
            "You have not joined a class yet. Please send me the invitation code "
            "your class manager gave you."
        )
    )


def _welcome(joined: invites.Joined, lang: str) -> str:
    with use_lang(lang):
        role = _(ROLE_NAMES[joined.role])
        name = joined.cls.title(lang)
        if joined.already_member:
            text = _("You are already a member of {name}. Your role: {role}.")
        else:
            text = _("Welcome! You have joined {name}. Your role: {role}.")
        return text.format(name=name, role=role)


def _in_three_languages(joined: invites.Joined | None) -> Reply:
    blocks = []
    for code in LANGS:
        with use_lang(code):
            lines = []
            if joined is not None:
                lines.append(_welcome(joined, code))
            else:
                lines.append(
                    _(
                        "You have not joined a class yet. Please send me the invitation "
                        "code your class manager gave you."
                    )
                )
            lines.append(_("Which language should I use? Reply with its number."))
            blocks.append(Block(lines=tuple(lines), title=LANG_NAMES[code]))
    buttons = (tuple(Button(LANG_NAMES[code], f"lang:{code}") for code in LANGS),)
    return Reply(blocks=tuple(blocks), buttons=buttons)


def first_contact() -> Reply:
    """How to join and which language, in all three languages at once (numbered choices)."""
    return _in_three_languages(None)


async def join(db: Database, person: Person, code: str, now: dt.datetime) -> list[Reply]:
    """Redeem an invitation code: the welcome and the help, or, for someone whose language
    is not known yet, the welcome and the language question in all three languages."""
    try:
        joined = await invites.redeem(db, code, person, now=now)
    except invites.InviteRejected as exc:
        return [Reply.text(_(INVITE_PROBLEMS[exc.problem]))]
    if person.lang is None:
        return [_in_three_languages(joined)]
    lang = resolve_lang(person.lang, None, joined.cls.default_lang)
    return [
        Reply.text(_welcome(joined, lang)),
        assistant.help_reply(joined.role, lang, Channel.ZALO),
    ]


def invite_code(text: str) -> str | None:
    """The invitation code in ``/start CODE``, ``/join CODE``, a bare code or a pasted link."""
    link = _INVITE_LINK.search(text)
    if link is not None:
        return link[1]
    parts = text.split()
    if len(parts) == 2 and parts[0].lower() in ("/start", "/join", "start", "join"):
        return parts[1]
    if len(parts) == 1 and _INVITE_CODE.match(parts[0]) and _random_looking(parts[0]):
        return parts[0]
    return None


def _random_looking(token: str) -> bool:
    """Tell a 22-character random code from a long word someone typed.

    A code has a digit, ``-`` or ``_``, or a capital letter after the first
    character; a code with none of these is vanishingly rare (about 1 in
    10^8), while requiring a digit alone would turn away 1 code in 40.
    """
    return any(c.isdigit() or c in "-_" for c in token) or any(c.isupper() for c in token[1:])
