"""One-time codes that link a person's accounts on two channels, and merging two persons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain import Channel
from bot.store.database import Database, parse_utc, utc_text


@dataclass(frozen=True, slots=True)
class LinkCode:
    """A stored code (by its hash): whose it is, until when, and whether it was used."""

    person_id: int
    expires_at: dt.datetime
    used: bool


async def replace_code(
    db: Database, person_id: int, code_hash: str, expires_at: dt.datetime
) -> None:
    """Store a new code for ``person_id``; their earlier unused codes stop working."""
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM link_codes WHERE person_id = ? AND used_at IS NULL", (person_id,)
        )
        await conn.execute(
            "INSERT INTO link_codes (code_hash, person_id, expires_at) VALUES (?, ?, ?)",
            (code_hash, person_id, utc_text(expires_at)),
        )


async def code(db: Database, code_hash: str) -> LinkCode | None:
    row = await db.fetchone(
        "SELECT person_id, expires_at, used_at FROM link_codes WHERE code_hash = ?", (code_hash,)
    )
    if row is None:
        return None
    return LinkCode(int(row["person_id"]), parse_utc(row["expires_at"]), row["used_at"] is not None)


async def use_code(db: Database, code_hash: str, now: dt.datetime) -> bool:
    """Mark a code used; False if it was used already (two racing: one wins)."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE link_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
            (utc_text(now), code_hash),
        )
        return cur.rowcount > 0


async def move_identity(
    db: Database, channel: Channel, external_id: str, old_id: int, target_id: int
) -> None:
    """Attach an account to ``target_id``; merge ``old_id`` into it if it has no account left.

    A merged person's classes, language and active class carry over where the
    target has none; the target's last channel becomes ``channel``.
    """
    async with db.transaction() as conn:
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
