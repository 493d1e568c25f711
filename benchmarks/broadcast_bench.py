"""One announcement to 1,000 members through the real worker and Telegram sender.

A fake Bot API server on 127.0.0.1 (asyncio streams, HTTP/1.1 keep-alive)
enforces 30 messages/s over any 1-second window (429 with ``retry_after``
beyond), answers 5% of sends with an injected 429 and blocks 2% of the
members (403). The bot is a real PTB ``Bot`` whose ``base_url`` points at
the server. Printed: throughput as a ratio of 30 msg/s (accepted sends —
delivered or refused with 403 — per second, from the first send to the
last), lost and duplicated copies; then the same run with the worker killed
(its task cancelled mid-flight, its database connection dropped) halfway and
a new worker started on the same database file. Run:
``.venv/bin/python -m benchmarks.broadcast_bench`` (about 80 seconds).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import json
import multiprocessing
import multiprocessing.queues
import random
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
from telegram import Bot
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.announcements import publish as announcements
from bot.clock import SystemClock
from bot.domain import Role, localized
from bot.outbox.worker import DeliveryWorker
from bot.store import Database, people
from bot.store.database import utc_text
from bot.telegram.sender import TelegramSender

MEMBERS = 1000
LIMIT = 30
TOKEN = "123456:bench"  # the fake server's token, not a secret
DEADLINE = 240.0
"""Seconds after which a run gives up (the benchmark always ends by itself)."""


@dataclass
class FakeBotApi:
    """The fake Bot API: the 30/s limit, injected 429s, blocked chats, a delivery log."""

    blocked: set[str]
    flood_share: float = 0.05
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    accepted: collections.deque[float] = field(default_factory=collections.deque)
    delivered: collections.Counter[str] = field(default_factory=collections.Counter)
    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    first: float | None = None
    last: float = 0.0
    next_id: int = 1

    def answer(self, method: str, params: dict[str, str]) -> tuple[int, dict[str, object]]:
        if method == "stats":
            stats = {
                "counts": dict(self.counts),
                "delivered": dict(self.delivered),
                "elapsed": self.last - (self.first or self.last),
            }
            return 200, stats
        if method == "getMe":
            me = {"id": 1, "is_bot": True, "first_name": "bench", "username": "bench_bot"}
            return 200, {"ok": True, "result": me}
        if method != "sendMessage":
            return 200, {"ok": True, "result": True}
        now = time.monotonic()
        self.first = now if self.first is None else self.first
        self.last = now
        chat = params.get("chat_id", "")
        while self.accepted and now - self.accepted[0] >= 1.0:
            self.accepted.popleft()
        if len(self.accepted) >= LIMIT:
            self.counts["429 over the limit"] += 1
            return 429, _flood(1)
        if self.rng.random() < self.flood_share:
            self.counts["429 injected"] += 1
            return 429, _flood(1)
        self.accepted.append(now)
        if chat in self.blocked:
            self.counts["403"] += 1
            body = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"}
            return 403, body
        self.counts["200"] += 1
        self.delivered[chat] += 1
        self.next_id += 1
        message = {
            "message_id": self.next_id,
            "date": int(time.time()),
            "chat": {"id": int(chat), "type": "private"},
            "text": params.get("text", ""),
        }
        return 200, {"ok": True, "result": message}

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                _verb, path, _version = line.decode().split(" ", 2)
                headers: dict[str, str] = {}
                while (raw := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = raw.decode().partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                status, payload = self.answer(path.rsplit("/", 1)[-1], params)
                data = json.dumps(payload).encode()
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


def _flood(seconds: int) -> dict[str, object]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds},
    }


async def make_class(path: Path) -> tuple[int, list[str]]:
    """A class of 1,000 trainees (vi/lo/en) and one manager; returns (manager id, chat ids)."""
    db = await Database.open(path)
    now = dt.datetime.now(dt.UTC)
    stamp = utc_text(now)
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT INTO classes (code, name, timezone, first_day, last_day, default_lang, "
            "created_at) VALUES ('BENCH', '{\"vi\": \"Lớp thử\"}', 'Asia/Ho_Chi_Minh', "
            "'2024-07-15', '2024-07-26', 'vi', ?)",
            (stamp,),
        )
        class_id = cur.lastrowid
        chats: list[str] = []
        for n in range(MEMBERS + 1):
            chat = str(100000 + n)
            lang = ("vi", "lo", "en")[n % 3]
            cur = await conn.execute(
                "INSERT INTO persons (display_name, lang, last_channel, created_at) "
                "VALUES (?, ?, 'telegram', ?)",
                (f"Member {n}", lang, stamp),
            )
            person_id = cur.lastrowid
            await conn.execute(
                "INSERT INTO identities (channel, external_id, person_id, chat_id, last_seen_at) "
                "VALUES ('telegram', ?, ?, ?, ?)",
                (chat, person_id, chat, stamp),
            )
            role = Role.MANAGER if n == 0 else Role.TRAINEE
            await conn.execute(
                "INSERT INTO members (class_id, person_id, role, joined_at) VALUES (?, ?, ?, ?)",
                (class_id, person_id, role, stamp),
            )
            if n:
                chats.append(chat)
    manager = await people.get_person(db, 1)
    assert manager is not None and class_id is not None
    draft = announcements.Draft(
        class_id,
        localized(
            {
                "vi": "Chiều nay xe xuất phát lúc 13h15 tại sảnh khách sạn.",
                "lo": "ບ່າຍມື້ນີ້ ລົດອອກເດີນທາງເວລາ 13:15 ທີ່ໂຖງໂຮງແຮມ.",
            }
        ),
        needs_ack=True,
    )
    await announcements.create(db, manager, draft, now)
    await db.close()
    return manager.id, chats


def serve(blocked: list[str], ports: multiprocessing.queues.Queue[int]) -> None:
    """The fake Bot API's process: serve until terminated."""

    async def run() -> None:
        api = FakeBotApi(set(blocked))
        server = await asyncio.start_server(api.handle, "127.0.0.1", 0)
        ports.put(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(run())


async def stats(client: httpx.AsyncClient) -> dict[str, Any]:
    answer = (await client.post("/stats")).json()
    return dict(answer)


async def run_once(kill_at: int | None) -> None:
    """One broadcast; with ``kill_at``, kill the worker after that many deliveries and restart."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        _manager, chats = await make_class(path)
        blocked = set(random.Random(3).sample(chats, MEMBERS * 2 // 100))
        spawn = multiprocessing.get_context("spawn")
        ports: multiprocessing.queues.Queue[int] = spawn.Queue()
        server = spawn.Process(target=serve, args=(sorted(blocked), ports), daemon=True)
        server.start()
        base = f"http://127.0.0.1:{ports.get(timeout=30)}"
        client = httpx.AsyncClient(base_url=f"{base}/bot{TOKEN}")
        # Like the application's bot (ApplicationBuilder pools 256 connections); a bare Bot's
        # pool of 1 would serialise the worker's concurrent sends.
        request = HTTPXRequest(connection_pool_size=16)
        bot = Bot(TOKEN, base_url=f"{base}/bot", request=request)
        await bot.initialize()
        uncertain: list[int] = []
        try:
            db = await Database.open(path)
            worker = DeliveryWorker(db, [TelegramSender(bot)], SystemClock())
            until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=DEADLINE)
            task = asyncio.create_task(worker.run_until_idle(until=until))
            if kill_at is not None:
                for _ in range(int(DEADLINE * 20)):
                    if task.done() or sum((await stats(client))["delivered"].values()) >= kill_at:
                        break
                    await asyncio.sleep(0.05)
                task.cancel()  # the process dies: no clean shutdown, no result for the send
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                with contextlib.suppress(Exception):
                    await db.close()
                db = await Database.open(path)  # a new process on the same file
                worker = DeliveryWorker(db, [TelegramSender(bot)], SystemClock())
                uncertain = await worker.recover()
                task = asyncio.create_task(worker.run_until_idle(until=until))
            await asyncio.wait_for(task, DEADLINE)
            states = {
                r[0]: r[1]
                for r in await db.fetchall("SELECT state, COUNT(*) FROM outbox GROUP BY state")
            }
            unsure = [
                r[0]
                for r in await db.fetchall(
                    "SELECT i.chat_id FROM outbox o JOIN identities i ON i.person_id = o.person_id "
                    "WHERE o.state = 'uncertain'"
                )
            ]
            await db.close()
            final = await stats(client)
        finally:
            await bot.shutdown()
            await client.aclose()
            server.terminate()
            server.join(10)
    counts: dict[str, int] = final["counts"]
    delivered: dict[str, int] = final["delivered"]
    elapsed: float = final["elapsed"]
    reachable = [c for c in chats if c not in blocked]
    lost = sum(1 for c in reachable if delivered.get(c, 0) == 0)
    duplicated = sum(n - 1 for n in delivered.values() if n > 1)
    accepted = counts.get("200", 0) + counts.get("403", 0)
    ratio = accepted / elapsed / LIMIT if elapsed else 0.0
    label = "killed halfway and restarted" if kill_at else "one worker"
    print(f"--- {MEMBERS} members, {label} ---")
    print(f"throughput: {accepted / elapsed:.2f} msg/s = {ratio:.3f} of {LIMIT} msg/s")
    print(f"elapsed {elapsed:.1f}s; server answers: {dict(sorted(counts.items()))}")
    print(f"delivered {sum(delivered.values())} to {len(reachable)} reachable members")
    reported = states.get("unreachable", 0)
    print(f"lost = {lost}, duplicated = {duplicated}, blocked reported = {reported}")
    if kill_at:
        got = sum(1 for c in unsure if delivered.get(c, 0))
        print(f"uncertain after restart = {len(uncertain)} (of which reached the server: {got})")
    print(f"outbox states: {dict(sorted(states.items()))}")


async def main() -> None:
    warnings.simplefilter("ignore", PTBDeprecationWarning)  # PTB's own RetryAfter notice
    await run_once(None)
    await run_once(MEMBERS // 2)


if __name__ == "__main__":
    asyncio.run(main())
