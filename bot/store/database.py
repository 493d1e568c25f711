"""The SQLite connection: pragmas, migrations, and serialised write transactions.

One :class:`Database` per process. Reads run on the shared connection at any
time; every write goes through :meth:`Database.transaction`, which holds an
``asyncio.Lock`` and wraps the block in ``BEGIN IMMEDIATE … COMMIT`` (rolled
back on any exception), so a multi-statement change is all or nothing.

Before a long-running process uses a database it takes :class:`ProcessLock`
(an exclusive ``fcntl`` lock on ``<database>.lock``, held for the process's
life: one bot per database) and runs :func:`preflight` and
``Database.open(..., check=True)``, which turn a missing directory, a
read-only file, a damaged header or a failing ``PRAGMA quick_check`` into a
:class:`DatabaseProblem` saying what is wrong, which file, and what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import errno
import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.schema import MIGRATIONS

EXIT_CORRUPT = 65
"""Exit code (EX_DATAERR): the database is damaged; restore it from a backup."""
EXIT_UNUSABLE = 74
"""Exit code (EX_IOERR): the database cannot be opened or written (path, permissions)."""
EXIT_IN_USE = 75
"""Exit code (EX_TEMPFAIL): another process is running on this database."""

_HEADER = b"SQLite format 3\x00"
_RESTORE = (
    "Stop the bot, copy the last good backup (made with `classbot backup FILE`) over {path}, "
    "and start it again."
)


class DatabaseProblem(Exception):
    """The database cannot be used: ``what`` is wrong with ``path``, ``todo`` says what to do."""

    def __init__(self, path: str | Path, what: str, todo: str, exit_code: int) -> None:
        self.path = str(path)
        self.what = what
        self.todo = todo
        self.exit_code = exit_code
        super().__init__(f"{what}: {self.path}. {todo}")


def preflight(path: str | Path) -> None:
    """Cheap checks before opening ``path`` for a long run; raises :class:`DatabaseProblem`."""
    if str(path) == ":memory:":
        return
    file = Path(path)
    folder = file.parent
    if not folder.is_dir():
        raise DatabaseProblem(
            file,
            "the database's directory does not exist",
            f"Create {folder} or set CLASSBOT_DB / --db to the right file.",
            EXIT_UNUSABLE,
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseProblem(
            file,
            "the database's directory is read-only (SQLite writes its journal beside the file)",
            f"Give the bot's user write access to {folder}.",
            EXIT_UNUSABLE,
        )
    if not file.exists():
        return
    if not os.access(file, os.R_OK | os.W_OK):
        raise DatabaseProblem(
            file,
            "the database file is read-only",
            f"Give the bot's user read and write access to {file}.",
            EXIT_UNUSABLE,
        )
    with file.open("rb") as handle:
        head = handle.read(len(_HEADER))
    if head and head != _HEADER:
        raise DatabaseProblem(
            file,
            "the database file is damaged (its header is not SQLite's)",
            _RESTORE.format(path=file),
            EXIT_CORRUPT,
        )


def is_disk_full(exc: BaseException) -> bool:
    """SQLite could not write because the disk (or the database's size limit) is full."""
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower()


def problem_from(path: str | Path, exc: sqlite3.Error) -> DatabaseProblem:
    """The :class:`DatabaseProblem` an SQLite error at start-up means."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return DatabaseProblem(
            path,
            "the database is read-only",
            f"Give the bot's user write access to {path} and its directory.",
            EXIT_UNUSABLE,
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseProblem(
            path, f"the database is damaged ({exc})", _RESTORE.format(path=path), EXIT_CORRUPT
        )
    return DatabaseProblem(
        path,
        f"the database cannot be opened ({exc})",
        "Check the path, the disk and the file's permissions.",
        EXIT_UNUSABLE,
    )


class ProcessLock:
    """An exclusive OS lock on ``<database>.lock``, held until :meth:`release` or exit.

    The file holds the holder's PID, so a second process can say who has it.
    The kernel drops the lock when the process dies, however it dies.
    """

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> ProcessLock:
        """Take the lock or raise :class:`DatabaseProblem` naming the process that holds it."""
        if self.db_path == ":memory:" or self._fd is not None:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DatabaseProblem(
                self.db_path,
                f"cannot create the lock file {self.path} ({exc.strerror})",
                "Give the bot's user write access to the database's directory.",
                EXIT_UNUSABLE,
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            raise DatabaseProblem(
                self.db_path,
                f"another classbot process (PID {holder}) is already running on this database",
                "Stop that process first, or give this one its own database with --db. "
                "Read-only commands and `classbot backup` work while it runs.",
                EXIT_IN_USE,
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None


class Database:
    """An open classbot database."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @classmethod
    async def open(cls, path: str | Path, *, check: bool = False) -> Database:
        """Open (creating if needed) and migrate the database at ``path`` (``:memory:`` too).

        The file, its ``-wal`` and ``-shm`` are readable by their owner only (0600): they
        hold names and Telegram and Zalo ids. SQLite gives the journal files the mode of
        the database file; existing files are tightened too.

        With ``check``, ``PRAGMA quick_check`` must pass first (else
        :class:`DatabaseProblem`). Whatever fails, the connection is closed
        (its thread would otherwise keep the process alive).
        """
        on_disk = str(path) != ":memory:" and not str(path).startswith("file:")
        if on_disk:
            create_private(path)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        try:
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
            if check:
                found = await db.integrity_problems(quick=True)
                if found:
                    raise DatabaseProblem(
                        path,
                        "the database is damaged (quick_check: " + "; ".join(found[:3]) + ")",
                        _RESTORE.format(path=path),
                        EXIT_CORRUPT,
                    )
            await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def integrity_problems(self, *, quick: bool = False) -> list[str]:
        """What ``PRAGMA quick_check`` (or the full ``integrity_check``) finds; [] when sound."""
        pragma = "quick_check" if quick else "integrity_check"
        rows = await self.conn.execute_fetchall(f"PRAGMA {pragma}")
        found = [str(row[0]) for row in rows]
        return [] if found == ["ok"] else found

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


async def check_openable(path: str | Path) -> None:
    """Open ``path`` as the bot will (quick check, migrations), then close it.

    Raises :class:`DatabaseProblem` saying what is wrong.
    """
    try:
        db = await Database.open(path, check=True)
    except sqlite3.Error as exc:
        raise problem_from(path, exc) from None
    except OSError as exc:  # creating or tightening the file (permissions)
        raise DatabaseProblem(
            path,
            f"the database cannot be opened ({exc.strerror})",
            f"Give the bot's user read and write access to {path} and its directory.",
            EXIT_UNUSABLE,
        ) from None
    await db.close()


async def integrity(path: str | Path) -> list[str]:
    """What the full ``PRAGMA integrity_check`` of ``path`` finds; [] when sound."""
    try:
        db = await Database.open(path)
    except sqlite3.Error as exc:
        raise problem_from(path, exc) from None
    try:
        return await db.integrity_problems()
    except sqlite3.DatabaseError as exc:  # too damaged for the check itself to finish
        return [str(exc)]
    finally:
        await db.close()


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
