"""Linking one person's accounts on two channels (Telegram and Zalo) with a one-time code.

On either channel, ``/link`` gives the person a short code valid for
:data:`CODE_TTL`; sending ``/link <code>`` from the other channel moves that
account onto the same person. If the account was a person of its own with no
other account, its class memberships (and language, if the target has none)
are carried over and the empty person is removed. Deliveries then go to the
channel the person used last and fall back to the other (the outbox worker).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import Channel, Person
from bot.i18n import N_, _
from bot.replies import Reply
from bot.store import audit, people
from bot.store import links as store
from bot.store.database import Database

CODE_TTL = dt.timedelta(minutes=15)
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Upper-case letters and digits without look-alikes (no I, L, O, 0, 1)."""
CODE_LENGTH = 8


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    SAME_CHANNEL = "same_channel"


PROBLEMS: dict[LinkProblem, str] = {
    LinkProblem.UNKNOWN: N_("This link code is not valid. Please check it and try again."),
    LinkProblem.EXPIRED: N_(
        "This link code has expired. Please write /link on your other account to get a new one."
    ),
    LinkProblem.USED: N_(
        "This link code has already been used. Please write /link on your other account "
        "to get a new one."
    ),
    LinkProblem.SAME_CHANNEL: N_(
        "That person already has an account on this messenger. Please contact your class manager."
    ),
}

CHANNEL_NAMES = {Channel.TELEGRAM: "Telegram", Channel.ZALO: "Zalo", Channel.TERMINAL: "terminal"}


class LinkRejected(Exception):
    """The code cannot link this account; ``problem`` says why."""

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Linked:
    person: Person
    already: bool
    """True when the account already belonged to that person."""


def normalize_code(code: str) -> str:
    """Upper case without spaces or dashes ('k7q4-2mzp' → 'K7Q42MZP')."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def display(code: str) -> str:
    """The code as shown to people: two groups of four ('K7Q4-2MZP')."""
    return f"{code[:4]}-{code[4:]}"


async def issue(db: Database, person: Person, now: dt.datetime) -> str:
    """A new one-time code for ``person`` (their earlier unused codes stop working)."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    await store.replace_code(db, person.id, _hash(code), now + CODE_TTL)
    return display(code)


async def redeem(
    db: Database, code: str, *, channel: Channel, external_id: str, now: dt.datetime
) -> Linked:
    """Attach the account (``channel``, ``external_id``) to the person who made ``code``."""
    stored = await store.code(db, _hash(code))
    if stored is None:
        raise LinkRejected(LinkProblem.UNKNOWN)
    if stored.used:
        raise LinkRejected(LinkProblem.USED)
    if stored.expires_at <= now:
        raise LinkRejected(LinkProblem.EXPIRED)
    target_id = stored.person_id
    identity = await people.find_identity(db, channel, external_id)
    if identity is None:
        raise LinkRejected(LinkProblem.UNKNOWN)
    if identity.person_id == target_id:
        person = await people.get_person(db, target_id)
        assert person is not None
        return Linked(person, already=True)
    if any(i.channel == channel for i in await people.identities_of(db, target_id)):
        raise LinkRejected(LinkProblem.SAME_CHANNEL)
    old_id = identity.person_id
    async with db.transaction():
        if not await store.use_code(db, _hash(code), now):
            raise LinkRejected(LinkProblem.USED)
        await store.move_identity(db, channel, external_id, old_id, target_id)
        await audit.record(
            db,
            action="identity.link",
            actor=channel.value,
            actor_person_id=target_id,
            now=now,
            details={"channel": channel.value, "merged_person": old_id},
        )
    person = await people.get_person(db, target_id)
    assert person is not None
    return Linked(person, already=False)


def other_channel(channel: Channel) -> Channel:
    return Channel.TELEGRAM if channel is Channel.ZALO else Channel.ZALO


async def link_command(
    db: Database,
    *,
    person: Person,
    channel: Channel,
    external_id: str,
    argument: str,
    now: dt.datetime,
) -> Reply:
    """``/link`` (make a code) or ``/link CODE`` (use one) from ``channel``, as a reply."""
    other = CHANNEL_NAMES[other_channel(channel)]
    if not argument.strip():
        code = await issue(db, person, now)
        text = _(
            "To receive my messages on {other} as well, write this to me on {other} "
            "within 15 minutes: /link {code}"
        )
        return Reply.text(text.format(other=other, code=code))
    try:
        await redeem(db, argument, channel=channel, external_id=external_id, now=now)
    except LinkRejected as exc:
        return Reply.text(_(PROBLEMS[exc.problem]))
    text = _(
        "Your {this} account is now linked with your {other} account. "
        "I will write to you where you last wrote to me."
    )
    return Reply.text(text.format(this=CHANNEL_NAMES[channel], other=other))
