"""Whom to call: the organisers' hotline, the class managers, the hospital, the embassy
(or consulate), the local emergency numbers.

Numbers are written so every messenger makes them tappable: a local number
gets the venue country's calling code (from the class's time zone) and loses
its spaces ("024 3825 3531" → "+842438253531"); Telegram and Zalo both turn
such a number into a tap-to-call link.
"""

from __future__ import annotations

import re

from bot.domain import TrainingClass
from bot.i18n import N_, _, use_lang
from bot.replies import Block, Reply
from bot.store import contacts as store
from bot.store.contacts import Contact
from bot.store.database import Database

KIND_NAMES: dict[str, str] = {
    "hotline": N_("Organisers' hotline"),
    "managers": N_("Class managers"),
    "hospital": N_("Nearest hospital"),
    "embassy": N_("Embassy"),
    "consulate": N_("Consulate general"),
    "emergency": N_("Emergency numbers"),
}

CALLING_CODES: dict[str, str] = {
    "Asia/Ho_Chi_Minh": "84",
    "Asia/Saigon": "84",
    "Asia/Bangkok": "66",
    "Asia/Vientiane": "856",
    "Asia/Shanghai": "86",
    "Asia/Chongqing": "86",
    "Asia/Hong_Kong": "852",
    "Asia/Phnom_Penh": "855",
    "Asia/Singapore": "65",
    "Asia/Tokyo": "81",
    "Asia/Seoul": "82",
}
"""Country calling codes by the venue's time zone, for numbers written without one."""

_NUMBER = re.compile(r"(?<![\w+])(\+?\d[\d .\-()]{5,18}\d)(?!\w)")


def tel(number: str, timezone: str) -> str:
    """A number as one tappable token: '+84912345678'."""
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("+"):
        return digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    code = CALLING_CODES.get(timezone)
    if code and digits.startswith("0"):
        return f"+{code}{digits[1:]}"
    return digits


def tappable(text: str, timezone: str) -> str:
    """``text`` with every phone number in it written as :func:`tel` writes it."""
    return _NUMBER.sub(lambda m: tel(m.group(1), timezone), text)


def contact_lines(cls: TrainingClass, found: list[Contact]) -> tuple[str, ...]:
    """One line per contact, in the active language: '☎ Organisers' hotline: +84…'."""
    return tuple(
        f"☎ {_(KIND_NAMES.get(c.kind, c.kind))}: {tappable(c.value, cls.timezone)}" for c in found
    )


async def contacts_reply(db: Database, cls: TrainingClass, lang: str) -> Reply:
    """``/contacts``: the class's numbers to call, or where they would come from."""
    found = await store.contacts(db, cls.id)
    with use_lang(lang):
        title = _("Contacts and emergencies: {name}").format(name=cls.title(lang))
        if not found:
            text = _(
                "The organisers have not given contact numbers for this class yet. "
                "Please ask a class manager."
            )
            return Reply.text(text, title=title)
        return Reply(
            blocks=(
                Block(contact_lines(cls, found), title),
                Block((_("Tap a number to call it."),)),
            )
        )


async def welcome_blocks(db: Database, cls: TrainingClass, lang: str) -> tuple[Block, ...]:
    """The contacts block of the first day's welcome (none if the class has no contacts)."""
    found = await store.contacts(db, cls.id)
    if not found:
        return ()
    with use_lang(lang):
        return (Block(contact_lines(cls, found), _("Keep these numbers at hand")),)
