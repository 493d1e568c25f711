"""The audit log: who did what, when, in which class."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database, parse_utc, utc_text


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    action: str
    class_id: int | None
    details: dict[str, Any]
    actor_person_id: int | None = None


async def record(
    db: Database,
    *,
    action: str,
    actor: str,
    now: dt.datetime,
    actor_person_id: int | None = None,
    class_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an entry (joins the caller's transaction if there is one)."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO audit_log (at, actor_person_id, actor, class_id, action, details) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                utc_text(now),
                actor_person_id,
                actor,
                class_id,
                action,
                json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
            ),
        )


async def entries(db: Database, class_id: int | None = None, limit: int = 50) -> list[AuditEntry]:
    """The newest entries first, for one class or all."""
    where, params = ("WHERE class_id = ?", (class_id, limit)) if class_id else ("", (limit,))
    rows = await db.fetchall(
        f"SELECT at, actor, action, class_id, details, actor_person_id FROM audit_log {where} "
        "ORDER BY id DESC LIMIT ?",
        params,
    )
    return [AuditEntry(parse_utc(r[0]), r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]
