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
from bot.store.database import Database, parse_utc, utc_text

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


def looks_like_code(text: str) -> bool:
    code = normalize_code(text)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def display(code: str) -> str:
    """The code as shown to people: two groups of four ('K7Q4-2MZP')."""
    return f"{code[:4]}-{code[4:]}"


async def issue(db: Database, person: Person, now: dt.datetime) -> str:
    """A new one-time code for ``person`` (their earlier unused codes stop working)."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM link_codes WHERE person_id = ? AND used_at IS NULL", (person.id,)
        )
        await conn.execute(
            "INSERT INTO link_codes (code_hash, person_id, expires_at) VALUES (?, ?, ?)",
            (_hash(code), person.id, utc_text(now + CODE_TTL)),
        )
    return display(code)


async def redeem(
    db: Database, code: str, *, channel: Channel, external_id: str, now: dt.datetime
) -> Linked:
    """Attach the account (``channel``, ``external_id``) to the person who made ``code``."""
    row = await db.fetchone(
        "SELECT person_id, expires_at, used_at FROM link_codes WHERE code_hash = ?",
        (_hash(code),),
    )
    if row is None:
        raise LinkRejected(LinkProblem.UNKNOWN)
    if row["used_at"] is not None:
        raise LinkRejected(LinkProblem.USED)
    if parse_utc(row["expires_at"]) <= now:
        raise LinkRejected(LinkProblem.EXPIRED)
    target_id = int(row["person_id"])
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
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE link_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
            (utc_text(now), _hash(code)),
        )
        if cur.rowcount == 0:
            raise LinkRejected(LinkProblem.USED)
        await conn.execute(
            "UPDATE identities SET person_id = ? WHERE channel = ? AND external_id = ?",
            (target_id, channel, external_id),
        )
        left = await db.fetchone("SELECT COUNT(*) FROM identities WHERE person_id = ?", (old_id,))
        if left is not None and int(left[0]) == 0:
            await conn.execute(
                "INSERT OR IGNORE INTO members (class_id, person_id, role, joined_at) "
                "SELECT class_id, ?, role, joined_at FROM members WHERE person_id = ?",
                (target_id, old_id),
            )
            await conn.execute(
                "UPDATE persons SET "
                "lang = COALESCE(lang, (SELECT lang FROM persons WHERE id = ?)), "
                "active_class_id = COALESCE(active_class_id, "
                "(SELECT active_class_id FROM persons WHERE id = ?)) WHERE id = ?",
                (old_id, old_id, target_id),
            )
            await conn.execute("DELETE FROM persons WHERE id = ?", (old_id,))
        await conn.execute("UPDATE persons SET last_channel = ? WHERE id = ?", (channel, target_id))
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
