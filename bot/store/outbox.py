"""The outbox table: every message the bot sends on its own is written here first.

:func:`enqueue` is idempotent: each message carries a ``dedup_key`` (for
example ``digest:<class>:<person>:<date>``) and a second enqueue of the same
key is ignored, so the outbox doubles as the sent-log that keeps reminders,
announcements and notices from ever being queued twice. Delivery (claiming,
sending, recording the result) lives in the delivery worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import Channel
from bot.replies import Reply
from bot.store.database import Database, utc_text


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message to queue for one recipient.

    The recipient is either a person (``person_id``; the worker picks the
    channel they used last and falls back to their other channels) or an
    explicit chat (``channel`` + ``chat_id``, e.g. a class's group chat).
    """

    dedup_key: str
    kind: str
    reply: Reply
    not_before: dt.datetime
    class_id: int | None = None
    person_id: int | None = None
    channel: Channel | None = None
    chat_id: str | None = None
    announcement_id: int | None = None
    urgent: bool = False
    expires_at: dt.datetime | None = None


async def enqueue(db: Database, messages: Sequence[OutgoingMessage], now: dt.datetime) -> int:
    """Persist ``messages`` in one transaction; returns how many were new (not duplicates)."""
    if not messages:
        return 0
    stamp = utc_text(now)
    rows = [
        (
            m.dedup_key,
            m.kind,
            m.class_id,
            m.person_id,
            m.channel,
            m.chat_id,
            m.announcement_id,
            m.reply.to_json(),
            int(m.urgent),
            utc_text(m.not_before),
            utc_text(m.expires_at) if m.expires_at else None,
            stamp,
            stamp,
        )
        for m in messages
    ]
    async with db.transaction() as conn:
        before = conn.total_changes
        await conn.executemany(
            "INSERT OR IGNORE INTO outbox (dedup_key, kind, class_id, person_id, channel, chat_id, "
            "announcement_id, payload, urgent, not_before, expires_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return conn.total_changes - before


async def is_queued(db: Database, dedup_key: str) -> bool:
    row = await db.fetchone("SELECT 1 FROM outbox WHERE dedup_key = ?", (dedup_key,))
    return row is not None
