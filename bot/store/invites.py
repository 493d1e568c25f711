"""Stored invitations: only a code's SHA-256 hash, its class, role, use limit and expiry."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import Role
from bot.store.database import Database, parse_utc, utc_text


class InviteProblem(StrEnum):
    """Why a code does not let someone in."""

    UNKNOWN = "unknown"
    USED_UP = "used_up"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REMOVED = "removed"
    """The person was removed from the class after this link was made (issue 14)."""


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


async def insert(
    db: Database,
    *,
    code_hash: str,
    class_id: int,
    role: Role,
    max_uses: int,
    expires_at: dt.datetime,
    created_by: int | None,
    now: dt.datetime,
) -> int:
    """Store a new invite; returns its id."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT INTO invites (code_hash, class_id, role, max_uses, expires_at, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code_hash, class_id, role, max_uses, utc_text(expires_at), created_by, utc_text(now)),
        )
        return int(cur.lastrowid or 0)


async def get(db: Database, invite_id: int) -> Invite | None:
    row = await db.fetchone(_SELECT + "WHERE id = ?", (invite_id,))
    return _from_row(row) if row else None


async def by_hash(db: Database, code_hash: str) -> Invite | None:
    row = await db.fetchone(_SELECT + "WHERE code_hash = ?", (code_hash,))
    return _from_row(row) if row else None


async def list_for_class(db: Database, class_id: int) -> list[Invite]:
    """A class's invites, newest first."""
    rows = await db.fetchall(_SELECT + "WHERE class_id = ? ORDER BY id DESC", (class_id,))
    return [_from_row(r) for r in rows]


async def revoke(db: Database, invite_id: int, now: dt.datetime) -> bool:
    """Mark an invite revoked; False if it was already revoked or does not exist."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (utc_text(now), invite_id),
        )
        return cur.rowcount > 0


async def count_use(db: Database, invite_id: int) -> bool:
    """Count one use; False when none is left (two racing for the last use: one wins)."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses", (invite_id,)
        )
        return cur.rowcount > 0
