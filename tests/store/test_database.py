"""The connection layer: migrations, pragmas, atomic transactions, backups."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.store import Database, classes, parse_utc, utc_text
from bot.store.schema import MIGRATIONS


async def test_migrations_set_user_version_and_pragmas(db: Database) -> None:
    row = await db.fetchone("PRAGMA user_version")
    assert row is not None and row[0] == len(MIGRATIONS)
    fk = await db.fetchone("PRAGMA foreign_keys")
    assert fk is not None and fk[0] == 1
    mode = await db.fetchone("PRAGMA journal_mode")
    assert mode is not None and mode[0] == "wal"


async def test_reopen_does_not_reapply_migrations(tmp_path: Path) -> None:
    first = await Database.open(tmp_path / "x.db")
    await first.execute(
        "INSERT INTO persons (display_name, created_at) VALUES ('A', '2024-01-01T00:00:00.000000Z')"
    )
    await first.close()
    second = await Database.open(tmp_path / "x.db")
    rows = await second.fetchall("SELECT display_name FROM persons")
    assert [r[0] for r in rows] == ["A"]
    await second.close()


async def test_transaction_rolls_back_everything_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO persons (display_name, created_at) VALUES ('A', 'x')")
            raise RuntimeError("boom")
    assert await db.fetchall("SELECT * FROM persons") == []


async def test_transactions_are_serialised_and_reentrant(db: Database) -> None:
    order: list[str] = []

    async def writer(name: str) -> None:
        async with db.transaction() as conn:
            order.append(f"{name}-in")
            await asyncio.sleep(0)
            async with db.transaction():  # joins the outer transaction
                await conn.execute(
                    "INSERT INTO persons (display_name, created_at) VALUES (?, 'x')", (name,)
                )
            order.append(f"{name}-out")

    await asyncio.gather(writer("a"), writer("b"))
    assert order in (["a-in", "a-out", "b-in", "b-out"], ["b-in", "b-out", "a-in", "a-out"])
    assert len(await db.fetchall("SELECT * FROM persons")) == 2


async def test_backup_is_a_consistent_copy(db: Database, tmp_path: Path) -> None:
    await db.execute("INSERT INTO persons (display_name, created_at) VALUES ('A', 'x')")
    await db.backup(tmp_path / "copy.db")
    copy = await Database.open(tmp_path / "copy.db")
    assert [r[0] for r in await copy.fetchall("SELECT display_name FROM persons")] == ["A"]
    await copy.close()


def test_utc_text_round_trip_and_rejects_naive() -> None:
    instant = dt.datetime(2024, 7, 15, 6, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert parse_utc(utc_text(instant)) == instant
    with pytest.raises(ValueError):
        utc_text(dt.datetime(2024, 7, 15))


async def test_a_writer_cancelled_mid_begin_leaves_no_transaction_open(db: Database) -> None:
    async def writer() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO persons (display_name, created_at) VALUES ('A', 'x')")

    task = asyncio.create_task(writer())
    await asyncio.sleep(0)  # the task now waits for BEGIN on the database thread
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO persons (display_name, created_at) VALUES ('B', 'x')")
    assert [r[0] for r in await db.fetchall("SELECT display_name FROM persons")] == ["B"]
    assert not db.conn.in_transaction


async def test_a_writer_cancelled_inside_its_block_rolls_back(db: Database) -> None:
    started = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO persons (display_name, created_at) VALUES ('A', 'x')")
            started.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(writer())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await db.fetchall("SELECT * FROM persons") == []
    assert not db.conn.in_transaction


async def test_plain_topic_blocks_become_text_in_the_versions_default_language(
    tmp_path: Path,
) -> None:
    """A database written before blocks were localized keeps them, in the class's language."""
    path = tmp_path / "old.db"
    before = MIGRATIONS.index(next(m for m in MIGRATIONS if "UPDATE topics SET block" in m[0]))
    conn = sqlite3.connect(path)
    for statements in MIGRATIONS[:before]:
        for statement in statements:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {before}")
    now = "2024-07-01T00:00:00.000000Z"
    conn.execute(
        "INSERT INTO classes (id, code, name, timezone, first_day, last_day, default_lang, "
        "created_at) VALUES (1, 'C', '{}', 'Asia/Ho_Chi_Minh', '2024-07-15', '2024-07-17', "
        "'lo', ?)",
        (now,),
    )
    conn.execute(
        "INSERT INTO schedule_versions (id, class_id, number, created_by, created_at, "
        "source_hash, row_count, class_data) VALUES (1, 1, 1, 't', ?, 'h', 0, ?)",
        (now, '{"default_lang": "lo"}'),
    )
    conn.executemany(
        "INSERT INTO topics (version_id, number, block, title) VALUES (1, ?, ?, '{}')",
        [(1, "ທັກສະ"), (2, "")],
    )
    conn.commit()
    conn.close()
    db = await Database.open(path)
    try:
        topics = await classes.version_topics(db, 1)
        assert [dict(t.block) for t in topics] == [{"lo": "ທັກສະ"}, {}]
        again = await db.migrate()  # already applied: nothing changes
        assert again == len(MIGRATIONS)
        assert [dict(t.block) for t in await classes.version_topics(db, 1)] == [
            {"lo": "ທັກສະ"},
            {},
        ]
    finally:
        await db.close()


async def test_the_database_and_its_wal_and_shm_are_created_owner_only(tmp_path: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        db = await Database.open(tmp_path / "people.db")
        await db.execute(
            "INSERT INTO persons (display_name, created_at) "
            "VALUES ('A', '2024-01-01T00:00:00.000000Z')"
        )
        modes = {
            name: oct(os.stat(tmp_path / name).st_mode & 0o777) for name in os.listdir(tmp_path)
        }
        await db.backup(tmp_path / "backup.db")
        backup_mode = oct((tmp_path / "backup.db").stat().st_mode & 0o777)
        await db.close()
    finally:
        os.umask(old)
    assert modes == {"people.db": "0o600", "people.db-shm": "0o600", "people.db-wal": "0o600"}
    assert backup_mode == "0o600"


async def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    import os

    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    db = await Database.open(path)
    await db.close()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
