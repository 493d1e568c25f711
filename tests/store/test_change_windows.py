"""Change-notice windows: one open per class, keeping the version it started from."""

from __future__ import annotations

import datetime as dt

from bot.clock import FakeClock
from bot.store import change_windows
from bot.store.database import Database
from tests.helpers.sample import seed


async def test_a_window_keeps_its_first_base_until_closed(db: Database, clock: FakeClock) -> None:
    world = await seed(db, clock.now())
    base = world.cls.live_version_id
    opened = await change_windows.ensure_open(db, world.cls.id, base, clock.now())
    clock.advance(dt.timedelta(minutes=2))
    again = await change_windows.ensure_open(db, world.cls.id, None, clock.now())
    assert again == opened and again.base_version_id == base
    assert await change_windows.closing(db, clock.now() - dt.timedelta(minutes=5)) == []
    clock.advance(dt.timedelta(minutes=3))
    assert await change_windows.closing(db, clock.now() - dt.timedelta(minutes=5)) == [opened]
    assert await change_windows.close(db, opened.id, 2, clock.now())
    assert not await change_windows.close(db, opened.id, 2, clock.now())
    assert await change_windows.open_window(db, world.cls.id) is None
    newer = await change_windows.ensure_open(db, world.cls.id, None, clock.now())
    assert newer.id != opened.id
    (first, second) = await change_windows.history(db, world.cls.id)
    assert first.notices == 2 and first.closed_at is not None and second.closed_at is None
