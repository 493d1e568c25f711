"""Shared fixtures: a fresh database, a movable clock, the recording Bot API, the sample class
seeded with a trainee, a manager and an admin, and an application started on all of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.store import Database
from bot.telegram.context import BotApp
from tests.helpers.app import started_app
from tests.helpers.sample import Seeded, seed
from tests.helpers.telegram import RecordingRequest
from tests.helpers.zalo_server import FakeZaloServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.db")
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def clock() -> FakeClock:
    """Monday 15 July 2024, 06:00 in Hanoi (the Vientiane class's opening day)."""
    return FakeClock(dt.datetime(2024, 7, 14, 23, 0, tzinfo=dt.UTC))


@pytest.fixture
def request_recorder() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    """A fake Zalo Bot Platform on 127.0.0.1 (random port), stopped after the test."""
    async with FakeZaloServer() as server:
        yield server


@pytest.fixture
async def seeded(db: Database, clock: FakeClock) -> Seeded:
    return await seed(db, clock.now())


@pytest.fixture
async def app(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest, seeded: Seeded
) -> AsyncIterator[BotApp]:
    async with started_app(db, clock, request_recorder) as application:
        yield application


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the slow fault scenarios")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow fault scenario: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
