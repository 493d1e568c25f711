"""Start-up checks of the database: the process lock, preflight, and no hang on a bad file."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.store.database import (
    EXIT_CORRUPT,
    EXIT_IN_USE,
    EXIT_UNUSABLE,
    Database,
    DatabaseProblem,
    ProcessLock,
    check_openable,
    preflight,
    problem_from,
)


async def test_open_closes_its_connection_when_a_pragma_fails(tmp_path: Path) -> None:
    path = tmp_path / "classbot.db"
    path.write_bytes(b"not a database, just text" * 100)
    before = set(threading.enumerate())

    with pytest.raises(sqlite3.DatabaseError):
        await Database.open(path)

    # The connection's thread ends: nothing keeps the process alive after the error.
    # (Threads other tests left behind may end meanwhile: only new ones count.)
    for _ in range(50):
        if not set(threading.enumerate()) - before:
            break
        await asyncio.sleep(0.02)
    assert not set(threading.enumerate()) - before


async def test_check_openable_names_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "classbot.db"
    path.write_bytes(b"not a database, just text" * 100)
    with pytest.raises(DatabaseProblem) as raised:
        await check_openable(path)
    assert raised.value.exit_code == EXIT_CORRUPT and "classbot backup" in raised.value.todo


def test_a_second_lock_on_the_same_database_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "classbot.db"
    first = ProcessLock(path).acquire()
    try:
        with pytest.raises(DatabaseProblem) as raised:
            ProcessLock(path).acquire()
        assert raised.value.exit_code == EXIT_IN_USE
        assert f"PID {os.getpid()}" in raised.value.what and raised.value.path == str(path)
    finally:
        first.release()
    ProcessLock(path).acquire().release()  # free again once released


def test_preflight_explains_a_missing_directory_and_a_read_only_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(DatabaseProblem) as missing:
        preflight(tmp_path / "nowhere" / "classbot.db")
    assert missing.value.exit_code == EXIT_UNUSABLE and "does not exist" in missing.value.what

    path = tmp_path / "classbot.db"
    path.write_bytes(b"")
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
    )
    with pytest.raises(DatabaseProblem) as read_only:
        preflight(path)
    assert read_only.value.exit_code == EXIT_UNUSABLE and "read-only" in read_only.value.what


def test_sqlite_errors_at_start_up_become_problems_a_person_can_act_on() -> None:
    ro = problem_from("x.db", sqlite3.OperationalError("attempt to write a readonly database"))
    bad = problem_from("x.db", sqlite3.DatabaseError("file is not a database"))
    assert (ro.exit_code, bad.exit_code) == (EXIT_UNUSABLE, EXIT_CORRUPT)
    assert "read-only" in ro.what and "damaged" in bad.what
