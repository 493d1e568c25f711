"""The outbox table: every message the bot sends on its own is written here first.

:func:`enqueue` is idempotent: each message carries a ``dedup_key`` (for
example ``digest:<class>:<person>:<date>``) and a second enqueue of the same
key is ignored, so the outbox doubles as the sent-log that keeps reminders,
announcements and notices from ever being queued twice.

The rest are the delivery worker's queries (:mod:`bot.outbox.worker`): due
messages, the attempt recorded *before* a send, the result after, and the
start-up recovery of attempts that never got a result. States::

    pending ─► sending ─► sent | failed | unreachable
       ▲          │
       └──────────┘  (retry: the channel proved the message was not delivered)
    pending ─► expired (stale, never sent)
    sending ─► uncertain (found at start-up: the process died mid-send)

A reply sent as several channel messages records how many of them reached
which chat (``parts_done``, ``parts_route``) when a later one fails, so the
retry resumes there instead of sending the first ones again.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.domain import Channel
from bot.replies import Reply
from bot.store.database import Database, parse_utc, utc_text

FINAL_STATES = ("sent", "failed", "unreachable", "expired", "uncertain")
"""States a message never leaves."""

_listeners: weakref.WeakKeyDictionary[Database, list[Callable[[], None]]] = (
    weakref.WeakKeyDictionary()
)


def on_enqueue(db: Database, callback: Callable[[], None]) -> None:
    """Call ``callback`` after every :func:`enqueue` on ``db`` that added messages."""
    _listeners.setdefault(db, []).append(callback)


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
    # A broadcast or a digest shares one Reply (and one instant) among many recipients:
    # serialise each distinct one once.
    payloads: dict[int, str] = {}
    instants: dict[dt.datetime, str] = {}

    def payload(reply: Reply) -> str:
        text = payloads.get(id(reply))
        if text is None:
            text = payloads[id(reply)] = reply.to_json()
        return text

    def instant(value: dt.datetime) -> str:
        text = instants.get(value)
        if text is None:
            text = instants[value] = utc_text(value)
        return text

    rows = [
        (
            m.dedup_key,
            m.kind,
            m.class_id,
            m.person_id,
            m.channel,
            m.chat_id,
            m.announcement_id,
            payload(m.reply),
            int(m.urgent),
            instant(m.not_before),
            instant(m.expires_at) if m.expires_at else None,
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
        added = conn.total_changes - before
    if added:
        for callback in _listeners.get(db, ()):
            callback()
    return added


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """A stored outbox row the worker may deliver."""

    id: int
    dedup_key: str
    kind: str
    reply: Reply
    not_before: dt.datetime
    attempts: int
    class_id: int | None
    person_id: int | None
    channel: Channel | None
    chat_id: str | None
    announcement_id: int | None
    urgent: bool
    expires_at: dt.datetime | None
    state: str = "pending"
    parts_done: int = 0
    """Parts of a several-message reply already delivered to ``parts_route``."""
    parts_route: str | None = None
    """Where those parts went, ``"<channel>:<chat_id>"``."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One recipient's outcome for an announcement (or any message)."""

    message_id: int
    dedup_key: str
    person_id: int | None
    name: str
    state: str
    sent_channel: Channel | None
    last_error: str


def _message(row: sqlite3.Row) -> QueuedMessage:
    return QueuedMessage(
        id=row["id"],
        dedup_key=row["dedup_key"],
        kind=row["kind"],
        reply=Reply.from_json(row["payload"]),
        not_before=parse_utc(row["not_before"]),
        attempts=row["attempts"],
        class_id=row["class_id"],
        person_id=row["person_id"],
        channel=Channel(row["channel"]) if row["channel"] else None,
        chat_id=row["chat_id"],
        announcement_id=row["announcement_id"],
        urgent=bool(row["urgent"]),
        expires_at=parse_utc(row["expires_at"]) if row["expires_at"] else None,
        state=row["state"],
        parts_done=row["parts_done"],
        parts_route=row["parts_route"],
    )


_DUE_FAIRLY = """
SELECT * FROM (
    SELECT *, ROW_NUMBER() OVER (
        PARTITION BY urgent, chat_turn, class_id ORDER BY not_before, id
    ) AS class_turn
    FROM (
        SELECT *, ROW_NUMBER() OVER (
            PARTITION BY urgent, COALESCE('p' || person_id, channel || ':' || chat_id)
            ORDER BY not_before, id
        ) AS chat_turn
        FROM outbox WHERE state = 'pending' AND not_before <= ?
    )
)
ORDER BY urgent DESC, chat_turn, class_turn, not_before, id
LIMIT ?
"""


async def due(db: Database, now: dt.datetime, limit: int = 200) -> list[QueuedMessage]:
    """Pending messages whose time has come, served fairly: urgent first; within the same
    urgency, round-robin across recipients (every recipient's oldest message before anyone's
    second) and, within a round, across classes (each class's first recipient, then each
    class's second …), oldest first. A flood of one class's messages to a few chats held at
    1 message/s therefore never keeps another class's message out of the batch."""
    rows = await db.fetchall(_DUE_FAIRLY, (utc_text(now), limit))
    return [_message(r) for r in rows]


async def get(db: Database, message_id: int) -> QueuedMessage | None:
    row = await db.fetchone("SELECT * FROM outbox WHERE id = ?", (message_id,))
    return _message(row) if row else None


async def by_key(db: Database, dedup_key: str) -> QueuedMessage | None:
    row = await db.fetchone("SELECT * FROM outbox WHERE dedup_key = ?", (dedup_key,))
    return _message(row) if row else None


async def routes(db: Database, person_ids: Sequence[int]) -> dict[int, list[tuple[Channel, str]]]:
    """Each person's reachable (channel, chat id) pairs, the channel used last first."""
    if not person_ids:
        return {}
    marks = ",".join("?" * len(person_ids))
    rows = await db.fetchall(
        "SELECT i.person_id, i.channel, i.chat_id FROM identities i "
        "JOIN persons p ON p.id = i.person_id "
        f"WHERE i.person_id IN ({marks}) AND i.reachable = 1 "
        "ORDER BY i.person_id, i.channel = COALESCE(p.last_channel, '') DESC, "
        "i.last_seen_at DESC",
        list(person_ids),
    )
    found: dict[int, list[tuple[Channel, str]]] = {pid: [] for pid in person_ids}
    for r in rows:
        found[r[0]].append((Channel(r[1]), r[2]))
    return found


async def next_due_at(db: Database) -> dt.datetime | None:
    """When the earliest pending message becomes due (may be in the past)."""
    row = await db.fetchone("SELECT MIN(not_before) FROM outbox WHERE state = 'pending'")
    return parse_utc(row[0]) if row and row[0] else None


async def expire_stale(db: Database, now: dt.datetime) -> int:
    """Pending messages past their ``expires_at`` become 'expired' (never sent)."""
    stamp = utc_text(now)
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE outbox SET state = 'expired', updated_at = ? "
            "WHERE state = 'pending' AND expires_at IS NOT NULL AND expires_at <= ?",
            (stamp, stamp),
        )
        return cur.rowcount


@dataclass(frozen=True, slots=True)
class SentResult:
    """A send the channel accepted, waiting to be written."""

    message_id: int
    channel: Channel
    external_id: str
    at: dt.datetime


async def begin_attempt(
    db: Database, message_id: int, now: dt.datetime, sent: Sequence[SentResult] = ()
) -> bool:
    """Record an attempt (state 'sending', attempts + 1) and commit it before the send.

    ``sent`` results of earlier sends are written in the same transaction (one
    commit per message instead of two). Returns False when the message was no
    longer pending (no attempt recorded).
    """
    async with db.transaction() as conn:
        if sent:
            await _write_sent(conn, sent)
        cur = await conn.execute(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? "
            "WHERE id = ? AND state = 'pending'",
            (utc_text(now), message_id),
        )
        return cur.rowcount == 1


async def record_sent(db: Database, sent: Sequence[SentResult]) -> None:
    """Write results of accepted sends (state 'sent', the channel that delivered)."""
    if sent:
        async with db.transaction() as conn:
            await _write_sent(conn, sent)


async def _write_sent(conn: aiosqlite.Connection, sent: Sequence[SentResult]) -> None:
    await conn.executemany(
        "UPDATE outbox SET state = 'sent', sent_channel = ?, sent_message_id = ?, "
        "last_error = '', sent_at = ?, updated_at = ? WHERE id = ?",
        [(r.channel, r.external_id, utc_text(r.at), utc_text(r.at), r.message_id) for r in sent],
    )


async def mark_sent(
    db: Database, message_id: int, channel: Channel, external_id: str, now: dt.datetime
) -> None:
    """The channel accepted the message: record which channel delivered it."""
    stamp = utc_text(now)
    await db.execute(
        "UPDATE outbox SET state = 'sent', sent_channel = ?, sent_message_id = ?, "
        "last_error = '', sent_at = ?, updated_at = ? WHERE id = ?",
        (channel, external_id, stamp, stamp, message_id),
    )


async def mark_final(
    db: Database, message_id: int, state: str, error: str, now: dt.datetime
) -> None:
    """End a message as 'failed', 'unreachable', 'expired' or 'uncertain'."""
    if state not in FINAL_STATES or state == "sent":
        raise ValueError(f"not a final failure state: {state!r}")
    await db.execute(
        "UPDATE outbox SET state = ?, last_error = ?, updated_at = ? WHERE id = ?",
        (state, error[:500], utc_text(now), message_id),
    )


async def reschedule(
    db: Database, message_id: int, not_before: dt.datetime, error: str, now: dt.datetime
) -> None:
    """Back to 'pending' after a send the channel proved undelivered (429, network, blocked)."""
    await db.execute(
        "UPDATE outbox SET state = 'pending', not_before = ?, last_error = ?, updated_at = ? "
        "WHERE id = ?",
        (utc_text(not_before), error[:500], utc_text(now), message_id),
    )


async def record_parts(
    db: Database, message_id: int, done: int, route: str, now: dt.datetime
) -> None:
    """Commit that ``done`` parts of the message reached ``route`` (``"<channel>:<chat_id>"``).

    Written when a part fails after others went out, before the retry is
    scheduled: a later attempt to the same route skips those parts.
    """
    await db.execute(
        "UPDATE outbox SET parts_done = ?, parts_route = ?, updated_at = ? WHERE id = ?",
        (done, route, utc_text(now), message_id),
    )


async def recover(db: Database, now: dt.datetime) -> list[int]:
    """At start-up: attempts left in 'sending' (the process died mid-send) become 'uncertain'.

    The message may or may not have reached the recipient; resending could
    deliver it twice, so it is not resent (at most once) but reported.
    """
    async with db.transaction() as conn:
        async with conn.execute("SELECT id FROM outbox WHERE state = 'sending'") as cur:
            ids = [int(r[0]) for r in await cur.fetchall()]
        if ids:
            await conn.execute(
                "UPDATE outbox SET state = 'uncertain', "
                "last_error = 'interrupted during sending; not resent', updated_at = ? "
                "WHERE state = 'sending'",
                (utc_text(now),),
            )
    return ids


async def deliveries(db: Database, announcement_id: int) -> list[Delivery]:
    """Every recipient's outcome for one announcement, by name."""
    rows = await db.fetchall(
        "SELECT o.id, o.dedup_key, o.person_id, COALESCE(p.display_name, o.chat_id, '') AS name, "
        "o.state, o.sent_channel, o.last_error FROM outbox o "
        "LEFT JOIN persons p ON p.id = o.person_id "
        "WHERE o.announcement_id = ? AND o.kind = 'announcement' ORDER BY name, o.id",
        (announcement_id,),
    )
    return [
        Delivery(
            message_id=r["id"],
            dedup_key=r["dedup_key"],
            person_id=r["person_id"],
            name=r["name"],
            state=r["state"],
            sent_channel=Channel(r["sent_channel"]) if r["sent_channel"] else None,
            last_error=r["last_error"],
        )
        for r in rows
    ]


async def state_counts(db: Database, kind: str | None = None) -> dict[str, int]:
    """How many messages are in each state (of one kind, or all)."""
    where, params = ("WHERE kind = ?", (kind,)) if kind else ("", ())
    rows = await db.fetchall(
        f"SELECT state, COUNT(*) FROM outbox {where} GROUP BY state ORDER BY state", params
    )
    return {r[0]: int(r[1]) for r in rows}
