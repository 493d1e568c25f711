"""Numbered choices remembered per chat survive a restart and are replaced by newer ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.domain import Channel
from bot.store import Database, choices

NOW = dt.datetime(2024, 7, 15, 1, 0, tzinfo=dt.UTC)


async def test_choices_are_replaced_and_picked_by_number(db: Database) -> None:
    await choices.remember(db, Channel.ZALO, "zu1", ["ack:1", "ack:2"], NOW)
    await choices.remember(db, Channel.ZALO, "zu1", ["lang:vi", "lang:lo", "lang:en"], NOW)
    await choices.remember(db, Channel.ZALO, "zu2", ["ack:9"], NOW)
    assert await choices.pick(db, Channel.ZALO, "zu1", 2) == "lang:lo"
    assert await choices.pick(db, Channel.ZALO, "zu1", 4) is None
    assert await choices.pick(db, Channel.ZALO, "zu1", 0) is None
    assert await choices.pick(db, Channel.TELEGRAM, "zu1", 1) is None
    await choices.forget(db, Channel.ZALO, "zu1")
    assert await choices.recall(db, Channel.ZALO, "zu1") == []
    assert await choices.recall(db, Channel.ZALO, "zu2") == ["ack:9"]


async def test_choices_survive_reopening_the_database(tmp_path: Path) -> None:
    first = await Database.open(tmp_path / "c.db")
    await choices.remember(first, Channel.ZALO, "zu1", ["checkin:1:s3"], NOW)
    await first.close()
    second = await Database.open(tmp_path / "c.db")
    try:
        assert await choices.pick(second, Channel.ZALO, "zu1", 1) == "checkin:1:s3"
    finally:
        await second.close()
