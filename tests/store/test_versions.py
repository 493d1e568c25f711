"""Saving schedule versions: atomic, numbered, old versions kept, reloadable."""

from __future__ import annotations

import dataclasses

import pytest

from bot.clock import FakeClock
from bot.store import classes
from bot.store.database import Database
from bot.store.versions import list_versions, load_version, save_version
from tests.helpers.sample import vientiane_schedule


async def test_first_import_creates_class_and_version_one(db: Database, clock: FakeClock) -> None:
    cls, version = await save_version(
        db, vientiane_schedule(), created_by="tester", source_hash="h1", now=clock.now()
    )
    assert version.number == 1 and version.row_count == 5
    assert cls.live_version_id == version.id
    day = await classes.sessions_on(db, cls, vientiane_schedule().sessions[0].day)
    assert [s.key for s in day] == ["s1", "s2", "s3"]
    assert day[2].meeting_point["lo"] == "ໂຖງໂຮງແຮມ"
    assert [t.number for t in await classes.topics(db, cls)] == [1, 2]


async def test_reimport_makes_new_live_version_and_keeps_old(
    db: Database, clock: FakeClock
) -> None:
    schedule = vientiane_schedule()
    cls, v1 = await save_version(db, schedule, created_by="t", source_hash="h1", now=clock.now())
    shorter = dataclasses.replace(schedule, sessions=schedule.sessions[:2])
    cls, v2 = await save_version(db, shorter, created_by="t", source_hash="h2", now=clock.now())
    assert v2.number == 2 and cls.live_version_id == v2.id
    assert [v.number for v in await list_versions(db, cls.id)] == [1, 2]
    old = await load_version(db, v1.id)
    assert len(old.sessions) == 5 and old.cls.code == "VTE-HN-2024"


async def test_failed_import_changes_nothing(db: Database, clock: FakeClock) -> None:
    schedule = vientiane_schedule()
    cls, _ = await save_version(db, schedule, created_by="t", source_hash="h1", now=clock.now())
    dup = dataclasses.replace(schedule, sessions=(*schedule.sessions, schedule.sessions[0]))
    with pytest.raises(Exception, match="UNIQUE"):
        await save_version(db, dup, created_by="t", source_hash="h2", now=clock.now())
    after = await classes.get_class(db, cls.id)
    assert after is not None and after.live_version_id == cls.live_version_id
    assert len(await list_versions(db, cls.id)) == 1
