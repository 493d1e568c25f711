"""Pending uploads: one open per class, closed once, expired by the clock."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from bot.clock import FakeClock
from bot.store import pending_uploads as store
from bot.store.database import Database
from bot.store.pending_uploads import UploadKind
from tests.helpers.sample import Seeded, seed


@pytest.fixture
async def world(db: Database, clock: FakeClock) -> Seeded:
    return await seed(db, clock.now())


async def add(db: Database, world: Seeded, now: dt.datetime, code: str = "VTE-HN-2024") -> int:
    return await store.insert(
        db,
        kind=UploadKind.UPLOAD,
        class_code=code,
        person_id=world.admin.id,
        now=now,
        expires_at=now + dt.timedelta(minutes=15),
        base_version_id=world.cls.live_version_id,
        filename="v2.xlsx",
        data=b"bytes",
        source_hash="h",
    )


async def test_one_pending_row_per_class(db: Database, clock: FakeClock, world: Seeded) -> None:
    first = await add(db, world, clock.now())
    with pytest.raises(sqlite3.IntegrityError):
        await add(db, world, clock.now(), code="vte-hn-2024")
    found = await store.open_for_class(db, "VTE-HN-2024")
    assert found is not None and found.id == first and found.data == b"bytes"
    assert await store.close(db, first, "applied", clock.now(), version_id=2)
    assert not await store.close(db, first, "cancelled", clock.now())
    closed = await store.get(db, first)
    assert closed is not None and closed.state == "applied" and closed.data is None
    assert await add(db, world, clock.now()) != first


async def test_due_to_expire_follows_the_clock(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    upload_id = await add(db, world, clock.now())
    assert await store.due_to_expire(db, clock.now()) == []
    clock.advance(dt.timedelta(minutes=15))
    (due,) = await store.due_to_expire(db, clock.now())
    assert due.id == upload_id and due.expired(clock.now())
