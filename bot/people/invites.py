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
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import Person, Role, TrainingClass
from bot.people import permissions
from bot.store import audit, classes
from bot.store.database import Database, parse_utc, utc_text

CODE_BYTES = 16
"""128 bits of randomness per code (22 URL-safe characters, fits Telegram's start parameter)."""

DEFAULT_DAYS = 14
DEFAULT_USES = 60


class InviteProblem(StrEnum):
    """Why a code does not let someone in."""

    UNKNOWN = "unknown"
    USED_UP = "used_up"
    EXPIRED = "expired"
    REVOKED = "revoked"


class InviteRejected(Exception):
    """The code cannot be redeemed; ``problem`` says why."""

    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Invite:
    """A stored invitation (without its code, which only its creator ever sees)."""

    id: int
    class_id: int
    role: Role
    max_uses: int
    uses: int
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    created_at: dt.datetime
    created_by: int | None

    def problem(self, now: dt.datetime) -> InviteProblem | None:
        """What stops this invite being used at ``now``, if anything."""
        if self.revoked_at is not None:
            return InviteProblem.REVOKED
        if now >= self.expires_at:
            return InviteProblem.EXPIRED
        if self.uses >= self.max_uses:
            return InviteProblem.USED_UP
        return None


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


_SELECT = (
    "SELECT id, class_id, role, max_uses, uses, expires_at, revoked_at, created_at, created_by "
    "FROM invites "
)


def _from_row(row: sqlite3.Row) -> Invite:
    return Invite(
        id=row["id"],
        class_id=row["class_id"],
        role=Role(row["role"]),
        max_uses=row["max_uses"],
        uses=row["uses"],
        expires_at=parse_utc(row["expires_at"]),
        revoked_at=parse_utc(row["revoked_at"]) if row["revoked_at"] else None,
        created_at=parse_utc(row["created_at"]),
        created_by=row["created_by"],
    )


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
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT INTO invites (code_hash, class_id, role, max_uses, expires_at, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                hash_code(code),
                class_id,
                role,
                uses,
                utc_text(expires),
                by.id if by else None,
                utc_text(now),
            ),
        )
        invite_id = int(cur.lastrowid or 0)
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


async def get(db: Database, invite_id: int) -> Invite | None:
    row = await db.fetchone(_SELECT + "WHERE id = ?", (invite_id,))
    return _from_row(row) if row else None


async def list_for_class(db: Database, class_id: int) -> list[Invite]:
    """A class's invites, newest first."""
    rows = await db.fetchall(_SELECT + "WHERE class_id = ? ORDER BY id DESC", (class_id,))
    return [_from_row(r) for r in rows]


async def revoke(
    db: Database, invite_id: int, *, now: dt.datetime, by: Person | None = None
) -> bool:
    """Stop an invite from working; False if it did not exist or was already revoked."""
    invite = await get(db, invite_id)
    if invite is None:
        return False
    if by is not None:
        await permissions.require(db, by, invite.class_id, permissions.MANAGERS)
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (utc_text(now), invite_id),
        )
        if cur.rowcount == 0:
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
    async with db.transaction() as conn:
        row = await db.fetchone(_SELECT + "WHERE code_hash = ?", (hash_code(code),))
        if row is None:
            raise InviteRejected(InviteProblem.UNKNOWN)
        invite = _from_row(row)
        member = await db.fetchone(
            "SELECT role FROM members WHERE class_id = ? AND person_id = ?",
            (invite.class_id, person.id),
        )
        problem = invite.problem(now)
        if problem is not None and member is None:
            raise InviteRejected(problem)
        already = member is not None
        role = invite.role
        if member is not None and problem is not None:
            role = Role(member[0])  # a stale link changes nothing for someone already in
        elif member is not None:
            current = Role(member[0])
            role = current if _RANK[current] >= _RANK[invite.role] else invite.role
            await conn.execute(
                "UPDATE members SET role = ? WHERE class_id = ? AND person_id = ?",
                (role, invite.class_id, person.id),
            )
        else:
            cur = await conn.execute(
                "UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses",
                (invite.id,),
            )
            if cur.rowcount == 0:
                raise InviteRejected(InviteProblem.USED_UP)
            await conn.execute(
                "INSERT INTO members (class_id, person_id, role, joined_at) VALUES (?, ?, ?, ?)",
                (invite.class_id, person.id, role, utc_text(now)),
            )
        await conn.execute(
            "UPDATE persons SET active_class_id = ? WHERE id = ?", (invite.class_id, person.id)
        )
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
