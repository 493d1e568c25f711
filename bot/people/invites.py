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
    """Make an invite; ``by`` (when a person asks, not the CLI) must be allowed to give ``role``.

    A link gives what its maker could give with ``/promote``: managers make
    trainee links, a class's admins manager links, global admins admin links.
    """
    if uses < 1 or days <= 0:
        raise ValueError("an invite needs at least one use and a positive lifetime")
    if by is not None:
        await require_may_invite(db, by, class_id, role)
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


async def require_may_invite(db: Database, person: Person, class_id: int, role: Role) -> None:
    """Raise :class:`~bot.people.permissions.Forbidden` unless ``person`` may give ``role``."""
    access = await permissions.resolve(db, person, class_id)
    if role not in access.grantable:
        raise permissions.Forbidden(person.id, class_id, permissions.MANAGERS)


get = store.get
list_for_class = store.list_for_class


async def revoke(
    db: Database, invite_id: int, *, now: dt.datetime, by: Person | None = None
) -> bool:
    """Stop an invite from working; False if it did not exist or was already revoked."""
    invite = await get(db, invite_id)
    if invite is None:
        return False
    if by is not None:  # a link only by someone who could have made it
        await require_may_invite(db, by, invite.class_id, invite.role)
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


async def redeem(db: Database, code: str, person: Person, *, now: dt.datetime) -> Joined:
    """Enrol ``person`` with the invite's role; raises :class:`InviteRejected` otherwise.

    A link enrols; it never changes a member's role (role changes are
    promotions, with ``/promote``'s rules): someone already in the class keeps
    their role and uses nothing up. Someone removed from the class is not
    admitted by a link made before their removal: only a new link, made by
    someone allowed to invite, lets them back. The redeemed class becomes the
    person's active class.
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
        if member is not None:
            role = member.role  # a link changes nothing for someone already in
        else:
            mark = await people.removal_mark(db, invite.class_id, person.id)
            if mark is not None and invite.id <= mark:
                raise InviteRejected(InviteProblem.REMOVED)
            if not await store.count_use(db, invite.id):
                raise InviteRejected(InviteProblem.USED_UP)
            await people.add_member(db, invite.class_id, person.id, role, now)
            await people.forget_removal(db, invite.class_id, person.id)
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
