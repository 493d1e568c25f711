"""The SQLite connection: pragmas, migrations, and serialised write transactions.

One :class:`Database` per process. Reads run on the shared connection at any
time; every write goes through :meth:`Database.transaction`, which holds an
``asyncio.Lock`` and wraps the block in ``BEGIN IMMEDIATE … COMMIT`` (rolled
back on any exception), so a multi-statement change is all or nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.schema import MIGRATIONS


class Database:
    """An open classbot database."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Open (creating if needed) and migrate the database at ``path`` (``:memory:`` too).

        The file, its ``-wal`` and ``-shm`` are readable by their owner only (0600): they
        hold names and Telegram and Zalo ids. SQLite gives the journal files the mode of
        the database file; existing files are tightened too.
        """
        on_disk = str(path) != ":memory:" and not str(path).startswith("file:")
        if on_disk:
            create_private(path)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = sqlite3.Row
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA busy_timeout = 5000")
        if str(path) != ":memory:":
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
        if on_disk:
            for suffix in ("-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.chmod(f"{path}{suffix}", PRIVATE)
        db = cls(conn, str(path))
        await db.migrate()
        return db

    async def close(self) -> None:
        await self.conn.close()

    async def migrate(self) -> int:
        """Apply pending migrations, each in its own transaction; returns the schema version."""
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        for number, statements in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            async with self.transaction():
                for statement in statements:
                    await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version = {number}")
            version = number
        return version

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Serialise a write transaction; nested use joins the outer transaction."""
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            # Re-entrant use from inside this task's own transaction.
            yield self.conn
            return
        async with self._write_lock:
            self._owner = task
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                yield self.conn
            except BaseException:
                await self._rollback()
                raise
            else:
                try:
                    await self.conn.execute("COMMIT")
                except BaseException:
                    await self._rollback()
                    raise
            finally:
                self._owner = None

    async def _rollback(self) -> None:
        """End this task's transaction whatever state it reached, even when cancelled.

        aiosqlite runs statements in order on its own thread, so a ROLLBACK
        queued here also ends a BEGIN (or COMMIT) whose await was cancelled
        but which still ran; it is shielded so a second cancellation cannot
        leave the shared connection inside a transaction for the next writer.
        """
        with contextlib.suppress(sqlite3.OperationalError):  # nothing was open
            await asyncio.shield(self.conn.execute("ROLLBACK"))

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """All rows of a query, in one hop to the database thread (not three)."""
        return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """The first row of a query meant to return at most a few rows (a key lookup)."""
        rows = await self.conn.execute_fetchall(sql, tuple(params))
        for row in rows:
            return row
        return None

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write statement in its own transaction; returns lastrowid."""
        async with self.transaction() as conn, conn.execute(sql, tuple(params)) as cur:
            return cur.lastrowid or 0

    async def backup(self, target: str | Path) -> None:
        """Write a consistent online copy of the database to ``target`` (mode 0600)."""
        create_private(target)
        dest = await aiosqlite.connect(str(target))
        try:
            await self.conn.backup(dest)
        finally:
            await dest.close()


PRIVATE = 0o600
"""The mode of every file holding people's data: the database, its journals, backups, exports."""


def create_private(path: str | Path) -> None:
    """Create ``path`` if missing, readable and writable by its owner only; tighten it if not."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE)
    os.close(fd)
    os.chmod(path, PRIVATE)


def write_private(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (replacing it) with mode 0600 from the first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    with os.fdopen(fd, "wb") as fh:
        os.chmod(path, PRIVATE)
        fh.write(data)


def utc_text(instant: dt.datetime) -> str:
    """An aware instant as sortable UTC ISO text (the store's timestamp format)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
