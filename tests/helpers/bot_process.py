"""The real ``classbot run`` process for outside-in scenarios, and the outbox rows it delivers.

:class:`BotProcess` starts ``python -m bot run`` on a database with
``BOT_API_URL`` pointing at a :class:`~tests.helpers.fake_bot_api.FakeBotApi`,
keeps its log in a file, and can stop, kill (-9) and restart it. The helpers
below prepare a database (the sample class, outbox messages to explicit chats)
and read the outbox's states with plain ``sqlite3`` while the bot runs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.domain import Channel
from bot.replies import Reply
from bot.store import Database, outbox
from tests.helpers.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class BotProcess:
    """``classbot run`` as a child process."""

    def __init__(
        self, api: FakeBotApi, db_path: Path, log_path: Path, env: dict[str, str] | None = None
    ) -> None:
        self.api = api
        self.db_path = db_path
        self.log_path = log_path
        self.extra_env = dict(env or {})
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = None

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BOT_", "ZALO_", "WEBHOOK_", "CLASSBOT_"))
        }
        env.update(
            BOT_TOKEN=self.api.token,
            BOT_API_URL=self.api.url,
            CLASSBOT_DB=str(self.db_path),
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self, *args: str) -> BotProcess:
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *(args or ("run",))],
            cwd=self.log_path.parent,
            env=self.env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        return self

    def started(self, timeout: float = 20.0) -> bool:
        """Wait for the 'started' line in the log."""
        return wait_until(lambda: "event=started" in self.log(), timeout)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGINT (like Ctrl-C or systemd's stop), then wait; the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.wait(timeout)

    def kill(self) -> None:
        """SIGKILL: the process dies where it stands."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        self.wait(10)

    def wait(self, timeout: float) -> int | None:
        if self.proc is None:
            return None
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            code = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


def prepare_db(path: Path) -> None:
    """Create and migrate the database (the bot's own schema)."""

    async def go() -> None:
        db = await Database.open(path)
        await db.close()

    asyncio.run(go())


def chat_ids(count: int, first: int = 1001) -> list[str]:
    return [str(first + i) for i in range(count)]


def enqueue(
    path: Path,
    chats: list[str],
    *,
    prefix: str = "msg",
    due_in: float = 0.0,
    spacing: float = 0.0,
    urgent: bool = False,
) -> list[str]:
    """Queue one message per chat (texts ``<prefix>-<n>``), due ``due_in`` s from now."""

    async def go() -> list[str]:
        db = await Database.open(path)
        try:
            now = dt.datetime.now(dt.UTC)
            texts = [f"{prefix}-{i}" for i in range(len(chats))]
            await outbox.enqueue(
                db,
                [
                    outbox.OutgoingMessage(
                        dedup_key=f"test:{text}",
                        kind="announcement",
                        reply=Reply.text(text),
                        not_before=now + dt.timedelta(seconds=due_in + i * spacing),
                        channel=Channel.TELEGRAM,
                        chat_id=chat,
                        urgent=urgent,
                    )
                    for i, (chat, text) in enumerate(zip(chats, texts, strict=True))
                ],
                now,
            )
            return texts
        finally:
            await db.close()

    return asyncio.run(go())


def states(path: Path) -> Counter[str]:
    """How many outbox rows are in each state."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return Counter(row[0] for row in conn.execute("SELECT state FROM outbox"))
    finally:
        conn.close()


def rows(path: Path) -> list[tuple[str, str, str]]:
    """(dedup key, state, error) of every outbox row."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return [
            (r[0], r[1], r[2] or "")
            for r in conn.execute("SELECT dedup_key, state, last_error FROM outbox ORDER BY id")
        ]
    finally:
        conn.close()
