"""Who is writing, in as few round trips as possible (this runs for every incoming update).

Each function is one query through ``execute_fetchall`` (one hop to the
database thread instead of three), joining what :mod:`bot.store.people` and
:mod:`bot.store.classes` would fetch in several steps. Given ``now``, results
are also kept in memory while nothing has been written through this process's
connection (its ``total_changes`` is unchanged: any write anywhere invalidates
them) and for at most :data:`TTL`, which bounds how long a change made by
another process (the command line) goes unseen.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import Any

from bot.domain import Channel, Person, Role, TrainingClass
from bot.store.classes import CLASS_COLUMNS, class_from_row
from bot.store.database import Database
from bot.store.people import PERSON_COLUMNS, person_from_row

TTL = dt.timedelta(seconds=10)

_cache: weakref.WeakKeyDictionary[Database, dict[tuple[Any, ...], tuple[int, dt.datetime, Any]]] = (
    weakref.WeakKeyDictionary()
)


def _cached(db: Database, key: tuple[Any, ...], now: dt.datetime | None) -> Any:
    if now is None:
        return None
    entry = _cache.get(db, {}).get(key)
    if entry is None:
        return None
    changes, at, value = entry
    if changes != db.conn.total_changes or not at <= now < at + TTL:
        return None
    return value


def _keep(db: Database, key: tuple[Any, ...], now: dt.datetime | None, value: Any) -> None:
    if now is not None:
        per_db = _cache.setdefault(db, {})
        if len(per_db) > 10_000:
            per_db.clear()
        per_db[key] = (db.conn.total_changes, now, value)


@dataclass(frozen=True, slots=True)
class Sender:
    """The person behind a channel identity, with their active class's default language."""

    person: Person
    class_lang: str | None
    reachable: bool = True
    """False once a channel reported this identity gone (blocked us): writing again revives it."""


async def sender(
    db: Database, channel: Channel, external_id: str, now: dt.datetime | None = None
) -> Sender | None:
    """The person who owns ``external_id`` on ``channel``, if we know them."""
    key = ("sender", channel, external_id)
    found: Sender | None = _cached(db, key, now)
    if found is not None:
        return found
    rows = await db.conn.execute_fetchall(
        f"SELECT {PERSON_COLUMNS}, c.default_lang AS class_lang, i.reachable FROM identities i "
        "JOIN persons p ON p.id = i.person_id "
        "LEFT JOIN classes c ON c.id = p.active_class_id "
        "WHERE i.channel = ? AND i.external_id = ?",
        (channel, external_id),
    )
    for row in rows:
        found = Sender(person_from_row(row), row["class_lang"], bool(row["reachable"]))
        _keep(db, key, now, found)
        return found
    return None


async def classes_with_roles(
    db: Database, person_id: int, now: dt.datetime | None = None
) -> list[tuple[TrainingClass, Role]]:
    """The classes a person belongs to and their role in each, oldest class first."""
    key = ("classes", person_id)
    found: list[tuple[TrainingClass, Role]] | None = _cached(db, key, now)
    if found is not None:
        return list(found)
    rows = await db.conn.execute_fetchall(
        f"SELECT {CLASS_COLUMNS}, m.role AS member_role FROM members m "
        "JOIN classes c ON c.id = m.class_id WHERE m.person_id = ? ORDER BY c.first_day, c.code",
        (person_id,),
    )
    found = [(class_from_row(r), Role(r["member_role"])) for r in rows]
    _keep(db, key, now, tuple(found))
    return found
