"""A fake Telegram Bot API on 127.0.0.1 that counts every message and injects faults.

It runs a tornado server in its own thread, so a test (sync or async) or a
benchmark can start the real ``classbot run`` process with
``BOT_API_URL=<fake.url>`` and drive faults while it runs. It answers
``POST /bot<token>/<method>`` as Telegram does: ``{"ok": true, "result": …}``
or ``{"ok": false, "error_code": …, "description": …, "parameters": …}``.

Every message a send method *accepted* is counted per chat (:attr:`sent`);
that count is what "lost 0, duplicated 0" is measured on. Faults:

* :meth:`FakeBotApi.fail` — the next ``count`` sends (to chosen chats or any)
  answer an error: 429 with ``retry_after`` (a storm), 5xx, 403 …
* :meth:`FakeBotApi.block` — 403 "bot was blocked by the user" for chosen chats, for good.
* :meth:`FakeBotApi.stall` / :meth:`FakeBotApi.stall_after` — for ``seconds``
  (from now, or from the n-th accepted message), requests are held and never
  answered (the client times out); with ``accept=True`` the sends are counted
  first (Telegram took the message, the answer was lost).
* :meth:`FakeBotApi.hang_next` — the same for the next ``count`` sends only.
* :meth:`FakeBotApi.reset_next` — the next ``count`` sends get their connection
  closed without an answer, before or after the message is counted.
* :meth:`FakeBotApi.outage` — everything answers 502 (``mode="502"``) or the
  port refuses connections (``mode="refuse"``) until :meth:`FakeBotApi.restore`.
* Two ``getUpdates`` at once answer 409 Conflict, as Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

TOKEN = "123456789:FAKE-token-for-tests-SECRET"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Classbot",
    "username": "classbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
SENDS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendLocation",
        "sendVenue",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)
_HOLD = 60.0
"""How long a held request waits before the server gives up on it (the client left long before)."""


@dataclass
class Call:
    """One request the fake received."""

    at: float
    method: str
    params: dict[str, str]

    @property
    def chat_id(self) -> str:
        return self.params.get("chat_id", "")


@dataclass
class _Rule:
    """A fault for the next ``count`` sends (to ``chats``, or any chat when empty)."""

    kind: str  # "status", "hang", "reset"
    count: int
    chats: frozenset[str] = frozenset()
    status: int = 500
    description: str = ""
    retry_after: float | None = None
    accept: bool = False

    def matches(self, chat_id: str) -> bool:
        return self.count > 0 and (not self.chats or chat_id in self.chats)


@dataclass
class FakeBotApi:
    """A local stand-in for ``https://api.telegram.org``; a context manager (sync)."""

    token: str = TOKEN
    poll_wait: float = 0.5
    """Longest time a ``getUpdates`` call waits, whatever timeout the client asks for."""

    calls: list[Call] = field(default_factory=list)
    sent: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Chat id → texts of the messages accepted for it, in order."""
    sent_at: list[tuple[float, str, str]] = field(default_factory=list)
    """(monotonic time, chat id, text) of every accepted message."""
    updates: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0

    _rules: list[_Rule] = field(default_factory=list)
    _blocked: set[str] = field(default_factory=set)
    _stall_until: float = 0.0
    _stall_accept: bool = False
    _stall_trigger: tuple[int, float, bool] | None = None
    _method_failures: dict[str, list[int]] = field(default_factory=dict)
    _outage: str = ""
    _polling: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _server: tornado.httpserver.HTTPServer | None = None
    _ready: threading.Event = field(default_factory=threading.Event)

    # -- life -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give the bot (``BOT_API_URL``)."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FakeBotApi:
        self._thread = threading.Thread(target=self._serve, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake Bot API did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def _serve(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._listen()
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            if self._server is not None:
                self._server.stop()
            loop.close()

    def _listen(self) -> None:
        sockets = tornado.netutil.bind_sockets(self.port, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        app = tornado.web.Application(
            [(r"/bot([^/]+)/(\w+)", _Handler, {"api": self})], log_function=lambda _h: None
        )
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)

    def _in_loop(self, fn: Any) -> None:
        """Run ``fn`` (a coroutine function) on the server's loop and wait for it."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(fn(), self._loop).result(10)

    # -- faults -----------------------------------------------------------------------------

    def fail(
        self,
        status: int,
        count: int = 1,
        *,
        chats: tuple[str, ...] = (),
        retry_after: float | None = None,
        description: str = "",
    ) -> None:
        """The next ``count`` sends (to ``chats`` or any) answer ``status``."""
        with self._lock:
            self._rules.append(
                _Rule(
                    "status",
                    count,
                    frozenset(chats),
                    status=status,
                    retry_after=retry_after,
                    description=description,
                )
            )

    def fail_method(self, method: str, status: int, count: int = 1) -> None:
        """The next ``count`` calls of ``method`` (any method, e.g. ``deleteWebhook``) fail."""
        with self._lock:
            self._method_failures.setdefault(method, []).extend([status] * count)

    def block(self, *chats: str) -> None:
        """These chats blocked the bot: every send to them answers 403."""
        with self._lock:
            self._blocked.update(chats)

    def hang_next(self, count: int = 1, *, accept: bool) -> None:
        """The next ``count`` sends get no answer (counted first when ``accept``)."""
        with self._lock:
            self._rules.append(_Rule("hang", count, accept=accept))

    def reset_next(self, count: int = 1, *, accept: bool) -> None:
        """The next ``count`` sends get their connection closed (counted first when ``accept``)."""
        with self._lock:
            self._rules.append(_Rule("reset", count, accept=accept))

    def stall(self, seconds: float, *, accept: bool = False) -> None:
        """For ``seconds`` from now, no request is answered (sends counted when ``accept``)."""
        with self._lock:
            self._stall_until = time.monotonic() + seconds
            self._stall_accept = accept

    def stall_after(self, sends: int, seconds: float, *, accept: bool = False) -> None:
        """Stall for ``seconds`` from the moment the ``sends``-th message is accepted."""
        with self._lock:
            self._stall_trigger = (sends, seconds, accept)

    @property
    def stall_end(self) -> float:
        """When the last stall ended (or ends), on ``time.monotonic``."""
        return self._stall_until

    def outage(self, mode: str = "refuse") -> None:
        """Telegram is down: ``"502"`` answers Bad Gateway, ``"refuse"`` refuses connections."""
        self._outage = mode
        if mode == "refuse":

            async def close() -> None:
                if self._server is not None:
                    self._server.stop()
                    await self._server.close_all_connections()

            self._in_loop(close)

    def restore(self) -> None:
        """End an outage."""
        if self._outage == "refuse":

            async def reopen() -> None:
                self._listen()

            self._in_loop(reopen)
        self._outage = ""

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for ``getUpdates`` (``update_id`` is added)."""
        with self._lock:
            self.updates.append({"update_id": next(self._update_ids), **update})

    # -- counts -----------------------------------------------------------------------------

    def total(self) -> int:
        with self._lock:
            return sum(len(texts) for texts in self.sent.values())

    def duplicates(self) -> int:
        """Messages a chat received more than once (same text)."""
        with self._lock:
            return sum(len(texts) - len(set(texts)) for texts in self.sent.values())

    def methods(self, name: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == name]

    # -- answering (on the server's loop) ---------------------------------------------------

    def _take_rule(self, chat_id: str) -> _Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.matches(chat_id):
                    rule.count -= 1
                    return rule
        return None

    def _accept(self, method: str, params: dict[str, str]) -> dict[str, Any]:
        chat_id = params.get("chat_id", "")
        text = params.get("text") or params.get("caption") or method
        with self._lock:
            self.sent[chat_id].append(text)
            self.sent_at.append((time.monotonic(), chat_id, text))
            trigger = self._stall_trigger
            if trigger is not None and len(self.sent_at) >= trigger[0]:
                self._stall_trigger = None
                self._stall_until = time.monotonic() + trigger[1]
                self._stall_accept = trigger[2]
        try:
            chat = int(chat_id)
        except ValueError:
            chat = 0
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat, "type": "group" if chat < 0 else "private", "title": "Class"},
            "from": BOT_USER,
            "text": text,
        }


class _Handler(tornado.web.RequestHandler):
    api: FakeBotApi

    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    def check_xsrf_cookie(self) -> None:
        return None

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        api = self.api
        params = self._params()
        with api._lock:
            api.calls.append(Call(time.monotonic(), method, params))
        if token != api.token:
            return self._error(401, "Unauthorized")
        if api._outage == "502":
            return self._error(502, "Bad Gateway")
        with api._lock:
            failures = api._method_failures.get(method)
            status = failures.pop(0) if failures else None
        if status is not None:
            return self._error(status, "Bad Gateway" if status == 502 else "")
        stalled = time.monotonic() < api._stall_until
        if stalled:
            if method in SENDS and api._stall_accept:
                api._accept(method, params)
            return await self._hold()
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "getMe":
            return self._ok(BOT_USER)
        if method not in SENDS:
            return self._ok(True)
        chat_id = params.get("chat_id", "")
        if chat_id in api._blocked:
            return self._error(403, "Forbidden: bot was blocked by the user")
        rule = api._take_rule(chat_id)
        if rule is not None:
            if rule.kind == "status":
                return self._error(rule.status, rule.description, rule.retry_after)
            if rule.accept:
                api._accept(method, params)
            if rule.kind == "hang":
                return await self._hold()
            stream = self.request.connection.detach()  # type: ignore[union-attr]
            stream.close()
            return None
        return self._ok(api._accept(method, params))

    def _params(self) -> dict[str, str]:
        params = {k: self.get_body_argument(k) for k in self.request.body_arguments}
        if not params and self.request.body:
            try:
                params = {k: str(v) for k, v in json.loads(self.request.body).items()}
            except ValueError:
                params = {}
        return params

    def _ok(self, result: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ok": True, "result": result}))

    def _error(self, status: int, description: str, retry_after: float | None = None) -> None:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": status,
            "description": description or f"Error {status}",
        }
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
            body["description"] = f"Too Many Requests: retry after {retry_after:g}"
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    async def _hold(self) -> None:
        """Never answer (the client times out); give up after a minute."""
        await asyncio.sleep(_HOLD)
        with contextlib.suppress(Exception):  # the client left long ago
            self._error(504, "Gateway Timeout")

    async def _get_updates(self, params: dict[str, str]) -> None:
        api = self.api
        api._polling += 1  # a newer getUpdates ends the one in progress with 409, as Telegram does
        mine = api._polling
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), api.poll_wait)
        deadline = time.monotonic() + wait
        while True:
            if api._polling != mine:
                return self._error(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            with api._lock:
                ready = [u for u in api.updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return self._ok(ready)
            await asyncio.sleep(0.05)

    def on_connection_close(self) -> None:
        return None

    def log_exception(self, *args: Any) -> None:  # held requests whose client left
        return None
