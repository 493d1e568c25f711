"""Invitation codes: a class manager shares a link, whoever opens it joins with the link's role.

A code is 128 random bits (:func:`secrets.token_urlsafe`); only its SHA-256
hash is stored, so a copy of the database cannot be used to join. Each
invite has a use limit, an expiry and can be revoked. :func:`redeem` checks
all three and enrols the person in the same transaction that counts the use,
so two people racing for the last use cannot both get in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from bot.domain import Person, Role, TrainingClass
from bot.people import permissions
from bot.store import audit, classes, people
from bot.store import invites as store
from bot.store.database import Database
from bot.store.invites import Invite as Invite
from bot.store.invites import InviteProblem as InviteProblem

CODE_BYTES = 16
"""128 bits of randomness per code (22 URL-safe characters, fits Telegram's start parameter)."""

DEFAULT_DAYS = 14
DEFAULT_USES = 60


class InviteRejected(Exception):
    """The code cannot be redeemed; ``problem`` says why."""

    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class NewInvite:
    """A freshly made invite and its code (shown once)."""

    invite: Invite
    code: str

    def link(self, bot_username: str) -> str:
        return deep_link(bot_username, self.code)


@dataclass(frozen=True, slots=True)
class Joined:
    """The outcome of a redeemed code."""

    cls: TrainingClass
    role: Role
    already_member: bool


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def deep_link(bot_username: str, code: str) -> str:
    """The ``https://t.me/<bot>?start=<code>`` link that opens the bot and redeems the code."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}"


async def create(
    db: Database,
    class_id: int,
    role: Role,
    *,
    now: dt.datetime,
    by: Person | None = None,
    uses: int = DEFAULT_USES,
    days: float = DEFAULT_DAYS,
) -> NewInvite:
    """Make an invite; ``by`` (when a person asks, not the CLI) must manage the class.

    Only a global admin may hand out the admin role.
    """
    if uses < 1 or days <= 0:
        raise ValueError("an invite needs at least one use and a positive lifetime")
    if by is not None:
        await permissions.require(db, by, class_id, permissions.MANAGERS)
        if role is Role.ADMIN:
            permissions.require_admin(by)
    code = secrets.token_urlsafe(CODE_BYTES)
    expires = now + dt.timedelta(days=days)
    async with db.transaction():
        invite_id = await store.insert(
            db,
            code_hash=hash_code(code),
            class_id=class_id,
            role=role,
            max_uses=uses,
            expires_at=expires,
            created_by=by.id if by else None,
            now=now,
        )
        await audit.record(
            db,
            action="invite.create",
            actor=by.display_name if by else "cli",
            actor_person_id=by.id if by else None,
            class_id=class_id,
            now=now,
            details={"invite": invite_id, "role": role.value, "uses": uses, "days": days},
        )
    invite = await get(db, invite_id)
    assert invite is not None
    return NewInvite(invite, code)


get = store.get
list_for_class = store.list_for_class


async def revoke(
    db: Database, invite_id: int, *, now: dt.datetime, by: Person | None = None
) -> bool:
    """Stop an invite from working; False if it did not exist or was already revoked."""
    invite = await get(db, invite_id)
    if invite is None:
        return False
    if by is not None:
        await permissions.require(db, by, invite.class_id, permissions.MANAGERS)
    async with db.transaction():
        if not await store.revoke(db, invite_id, now):
            return False
        await audit.record(
            db,
            action="invite.revoke",
            actor=by.display_name if by else "cli",
            actor_person_id=by.id if by else None,
            class_id=invite.class_id,
            now=now,
            details={"invite": invite_id},
        )
    return True


_RANK = {Role.TRAINEE: 0, Role.MANAGER: 1, Role.ADMIN: 2}


async def redeem(db: Database, code: str, person: Person, *, now: dt.datetime) -> Joined:
    """Enrol ``person`` with the invite's role; raises :class:`InviteRejected` otherwise.

    Someone already in the class keeps their place without using up the
    invite (their role is raised if the invite's is higher). The redeemed
    class becomes the person's active class.
    """
    async with db.transaction():
        invite = await store.by_hash(db, hash_code(code))
        if invite is None:
            raise InviteRejected(InviteProblem.UNKNOWN)
        member = await people.get_membership(db, invite.class_id, person.id)
        problem = invite.problem(now)
        if problem is not None and member is None:
            raise InviteRejected(problem)
        already = member is not None
        role = invite.role
        if member is not None and problem is not None:
            role = member.role  # a stale link changes nothing for someone already in
        elif member is not None:
            current = member.role
            role = current if _RANK[current] >= _RANK[invite.role] else invite.role
            await people.add_member(db, invite.class_id, person.id, role, now)
        else:
            if not await store.count_use(db, invite.id):
                raise InviteRejected(InviteProblem.USED_UP)
            await people.add_member(db, invite.class_id, person.id, role, now)
        await people.set_active_class(db, person.id, invite.class_id)
        await audit.record(
            db,
            action="invite.redeem",
            actor=person.display_name,
            actor_person_id=person.id,
            class_id=invite.class_id,
            now=now,
            details={"invite": invite.id, "role": role.value, "already_member": already},
        )
    cls = await classes.get_class(db, invite.class_id)
    assert cls is not None
    return Joined(cls, role, already)
