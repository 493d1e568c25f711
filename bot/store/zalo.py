"""Zalo channel state kept in the database: handled updates, /broadcast drafts, failed sends."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database, parse_utc, utc_text


async def first_time_seen(db: Database, message_id: str, now: dt.datetime) -> bool:
    """Record ``message_id`` as handled; False when it was already (a redelivered update)."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO zalo_seen_updates (message_id, seen_at) VALUES (?, ?)",
            (message_id, utc_text(now)),
        )
        return cur.rowcount > 0


async def forget_seen_before(db: Database, before: dt.datetime) -> int:
    """Drop handled-update records older than ``before`` (Zalo stops re-posting long before)."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "DELETE FROM zalo_seen_updates WHERE seen_at < ?", (utc_text(before),)
        )
        return cur.rowcount


@dataclass(frozen=True, slots=True)
class Draft:
    """A /broadcast being composed in one Zalo chat: its step and what was given so far."""

    chat_id: str
    person_id: int
    step: str
    data: dict[str, Any]
    updated_at: dt.datetime


async def get_draft(db: Database, chat_id: str) -> Draft | None:
    row = await db.fetchone("SELECT * FROM zalo_drafts WHERE chat_id = ?", (chat_id,))
    if row is None:
        return None
    return Draft(
        chat_id=str(row["chat_id"]),
        person_id=int(row["person_id"]),
        step=str(row["step"]),
        data=dict(json.loads(row["data"])),
        updated_at=parse_utc(str(row["updated_at"])),
    )


async def save_draft(
    db: Database, chat_id: str, person_id: int, step: str, data: dict[str, Any], now: dt.datetime
) -> None:
    await db.execute(
        "INSERT INTO zalo_drafts (chat_id, person_id, step, data, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET "
        "person_id = excluded.person_id, step = excluded.step, data = excluded.data, "
        "updated_at = excluded.updated_at",
        (chat_id, person_id, step, json.dumps(data, ensure_ascii=False), utc_text(now)),
    )


async def drop_draft(db: Database, chat_id: str) -> None:
    await db.execute("DELETE FROM zalo_drafts WHERE chat_id = ?", (chat_id,))


@dataclass(frozen=True, slots=True)
class Failures:
    """Sends to one Zalo chat that failed since the last one that went through."""

    first_failed_at: dt.datetime
    last_failed_at: dt.datetime
    failures: int


async def record_failure(db: Database, chat_id: str, error: str, now: dt.datetime) -> Failures:
    """Count one more failed send to ``chat_id``; returns the running tally."""
    await db.execute(
        "INSERT INTO zalo_send_failures (chat_id, first_failed_at, last_failed_at, failures, "
        "last_error) VALUES (?, ?, ?, 1, ?) ON CONFLICT (chat_id) DO UPDATE SET "
        "last_failed_at = excluded.last_failed_at, failures = failures + 1, "
        "last_error = excluded.last_error",
        (chat_id, utc_text(now), utc_text(now), error[:300]),
    )
    row = await db.fetchone(
        "SELECT first_failed_at, last_failed_at, failures FROM zalo_send_failures "
        "WHERE chat_id = ?",
        (chat_id,),
    )
    assert row is not None
    return Failures(
        first_failed_at=parse_utc(str(row["first_failed_at"])),
        last_failed_at=parse_utc(str(row["last_failed_at"])),
        failures=int(row["failures"]),
    )


async def clear_failures(db: Database, chat_id: str) -> None:
    """A send went through (or the person wrote to us): the tally starts again."""
    await db.execute("DELETE FROM zalo_send_failures WHERE chat_id = ?", (chat_id,))
