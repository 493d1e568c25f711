"""The class roster (who sleeps where, rides which bus) and rosters waiting for Confirm."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from bot.store.database import Database, parse_utc, utc_text


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One trainee's row of the roster; ``person_id`` once matched to a member."""

    row_no: int
    name: str
    unit: str = ""
    room: str = ""
    roommate: str = ""
    bus: str = ""
    seat: str = ""
    leader: str = ""
    lang: str | None = None
    phone: str = ""
    person_id: int | None = None
    invite_hash: str | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "id"}


@dataclass(frozen=True, slots=True)
class PendingRoster:
    """A previewed roster: its rows, who staged it, until when it may be confirmed."""

    id: int
    class_id: int
    person_id: int
    entries: tuple[RosterEntry, ...]
    state: str
    expires_at: dt.datetime


_COLUMNS = (
    "id, row_no, name, unit, room, roommate, bus, seat, leader, lang, phone, person_id, invite_hash"
)


def _entry(row: sqlite3.Row) -> RosterEntry:
    return RosterEntry(
        id=row["id"],
        row_no=row["row_no"],
        name=row["name"],
        unit=row["unit"],
        room=row["room"],
        roommate=row["roommate"],
        bus=row["bus"],
        seat=row["seat"],
        leader=row["leader"],
        lang=row["lang"],
        phone=row["phone"],
        person_id=row["person_id"],
        invite_hash=row["invite_hash"],
    )


async def entries(db: Database, class_id: int) -> list[RosterEntry]:
    """The class's roster in file order."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM roster WHERE class_id = ? ORDER BY row_no", (class_id,)
    )
    return [_entry(r) for r in rows]


async def seated(db: Database, class_id: int) -> dict[int, RosterEntry]:
    """Matched rows by member (the roll call groups the missing by their bus)."""
    return {e.person_id: e for e in await entries(db, class_id) if e.person_id is not None}


async def entry_of(db: Database, class_id: int, person_id: int) -> RosterEntry | None:
    """The roster row matched to ``person_id`` in the class, if any."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM roster WHERE class_id = ? AND person_id = ?",
        (class_id, person_id),
    )
    return _entry(row) if row else None


async def entry(db: Database, class_id: int, entry_id: int) -> RosterEntry | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM roster WHERE class_id = ? AND id = ?", (class_id, entry_id)
    )
    return _entry(row) if row else None


async def replace(db: Database, class_id: int, new: list[RosterEntry]) -> None:
    """Make ``new`` the class's roster (one transaction: all rows or none)."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM roster WHERE class_id = ?", (class_id,))
        await conn.executemany(
            "INSERT INTO roster (class_id, row_no, name, unit, room, roommate, bus, seat, "
            "leader, lang, phone, person_id, invite_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    class_id,
                    e.row_no,
                    e.name,
                    e.unit,
                    e.room,
                    e.roommate,
                    e.bus,
                    e.seat,
                    e.leader,
                    e.lang,
                    e.phone,
                    e.person_id,
                    e.invite_hash,
                )
                for e in new
            ],
        )


async def match(db: Database, class_id: int, entry_id: int, person_id: int) -> bool:
    """Tie a roster row nobody holds to a member (untying any other row of theirs).

    False, and nothing changed, if there is no such row or it is someone else's already
    (a stale picker or a forged button never hands one trainee's card to another).
    """
    async with db.transaction() as conn:
        cur = await conn.execute(
            "SELECT person_id FROM roster WHERE class_id = ? AND id = ?", (class_id, entry_id)
        )
        row = await cur.fetchone()
        if row is None or row[0] is not None:
            return False
        await conn.execute(
            "UPDATE roster SET person_id = NULL WHERE class_id = ? AND person_id = ?",
            (class_id, person_id),
        )
        cur = await conn.execute(
            "UPDATE roster SET person_id = ? WHERE class_id = ? AND id = ? AND person_id IS NULL",
            (person_id, class_id, entry_id),
        )
        return cur.rowcount > 0


async def set_invite(db: Database, entry_id: int, invite_hash: str) -> None:
    await db.execute("UPDATE roster SET invite_hash = ? WHERE id = ?", (invite_hash, entry_id))


async def claim(db: Database, invite_hash: str, person_id: int) -> RosterEntry | None:
    """The row whose own invite has ``invite_hash`` now belongs to ``person_id``.

    Only a row nobody holds yet, and only for a member of the row's class: a code that
    was used up or passed on cannot move someone else's card.
    """
    row = await db.fetchone(
        "SELECT r.class_id, r.id FROM roster r JOIN members m "
        "ON m.class_id = r.class_id AND m.person_id = ? "
        "WHERE r.invite_hash = ? AND (r.person_id IS NULL OR r.person_id = ?)",
        (person_id, invite_hash, person_id),
    )
    if row is None:
        return None
    await match(db, row["class_id"], row["id"], person_id)
    return await entry(db, row["class_id"], row["id"])


async def stage(
    db: Database,
    class_id: int,
    person_id: int,
    rows: list[RosterEntry],
    *,
    now: dt.datetime,
    expires: dt.datetime,
) -> int:
    """Keep a previewed roster until it is confirmed; earlier previews of the class close."""
    data = json.dumps([e.to_dict() for e in rows], ensure_ascii=False)
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE pending_rosters SET state = 'cancelled' WHERE class_id = ? "
            "AND state = 'pending'",
            (class_id,),
        )
        cur = await conn.execute(
            "INSERT INTO pending_rosters (class_id, person_id, rows, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (class_id, person_id, data, utc_text(now), utc_text(expires)),
        )
        return int(cur.lastrowid or 0)


async def pending(db: Database, pending_id: int) -> PendingRoster | None:
    row = await db.fetchone(
        "SELECT id, class_id, person_id, rows, state, expires_at FROM pending_rosters WHERE id = ?",
        (pending_id,),
    )
    if row is None:
        return None
    return PendingRoster(
        id=row["id"],
        class_id=row["class_id"],
        person_id=row["person_id"],
        entries=tuple(RosterEntry(**item) for item in json.loads(row["rows"])),
        state=row["state"],
        expires_at=parse_utc(row["expires_at"]),
    )


async def close(db: Database, pending_id: int, state: str) -> bool:
    """Close a waiting roster; False if it was no longer waiting."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE pending_rosters SET state = ? WHERE id = ? AND state = 'pending'",
            (state, pending_id),
        )
        return cur.rowcount > 0
