"""Start-up of the real ``classbot run``: one process per database, and a bad database fails fast.

A supervisor needs the process to exit at once, non-zero, saying what is
wrong, which file and what to do; and a second bot on the same database must
be refused before it cuts the first one's long polling.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.bot_process import BotProcess, prepare_db, wait_until
from tests.helpers.fake_bot_api import FakeBotApi


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


def classbot(
    db: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def run_for_exit(api: FakeBotApi, db: Path, tmp_path: Path) -> tuple[int | None, float, str]:
    """Start ``classbot run`` on ``db``; its exit code, how long it took, and its output."""
    bot = BotProcess(api, db, tmp_path / "second.log")
    began = time.monotonic()
    bot.start()
    code = bot.wait(15)  # the old code never exits: killed after 15 s, code None
    return code, time.monotonic() - began, bot.log()


def test_a_second_process_on_the_same_database_is_refused_at_once(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "classbot.db"
    prepare_db(db)
    with BotProcess(api, db, tmp_path / "first.log") as first:
        first.start()
        assert first.started(), first.log()
        assert first.proc is not None

        code, took, out = run_for_exit(api, db, tmp_path)

        assert code == 75, out
        assert took < 10
        assert str(db) in out and f"PID {first.proc.pid}" in out
        assert first.proc.poll() is None  # the first one runs on, undisturbed
        assert "event=started" not in out
        # Reading and backing up still work while the bot runs.
        assert classbot(db, "classes").returncode == 0
        backup = classbot(db, "backup", str(tmp_path / "copy.db"))
        assert backup.returncode == 0, backup.stderr
        assert classbot(tmp_path / "copy.db", "check").returncode == 0
        assert first.stop() == 0
    # Once it stopped, the database is free again.
    with BotProcess(api, db, tmp_path / "third.log") as third:
        third.start()
        assert third.started(), third.log()


def test_a_damaged_header_exits_65_within_two_seconds(api: FakeBotApi, tmp_path: Path) -> None:
    db = tmp_path / "classbot.db"
    db.write_bytes(b"this is not a database at all" * 200)

    code, took, out = run_for_exit(api, db, tmp_path)

    assert code == 65, out
    assert took < 4  # under 2 s after the interpreter has started; allow for a slow machine
    assert "damaged" in out and str(db) in out and "classbot backup" in out
    assert "Traceback" not in out


def test_a_missing_directory_exits_74_naming_it(api: FakeBotApi, tmp_path: Path) -> None:
    db = tmp_path / "nowhere" / "classbot.db"

    code, _took, out = run_for_exit(api, db, tmp_path)

    assert code == 74, out
    assert "does not exist" in out and str(db) in out and "Traceback" not in out


def damage_a_middle_page(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("CREATE INDEX filler_text ON filler (text)")
    conn.executemany(
        "INSERT INTO filler (text) VALUES (?)", [(f"row {i} " * 20,) for i in range(2000)]
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as handle:
        for page in range(pages // 2, pages // 2 + 3):
            handle.seek(page * size + 8)
            handle.write(b"\xff\x00\xee" * 300)


def test_damaged_pages_in_the_middle_are_found_at_start_up_and_by_check(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "classbot.db"
    prepare_db(db)
    damage_a_middle_page(db)

    code, _took, out = run_for_exit(api, db, tmp_path)
    assert code == 65, out
    assert "damaged" in out and "Traceback" not in out

    check = classbot(db, "check")
    assert check.returncode == 65
    assert "damaged" in check.stderr and str(db) in check.stderr


def test_check_says_ok_for_a_sound_database(tmp_path: Path) -> None:
    db = tmp_path / "classbot.db"
    prepare_db(db)
    done = classbot(db, "check")
    assert done.returncode == 0 and "ok" in done.stdout
    assert wait_until(lambda: True, 0)
