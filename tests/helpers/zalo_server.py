"""A fake Zalo Bot Platform on 127.0.0.1 for tests, written from the API's documented shapes.

It answers ``POST /bot<token>/<method>`` like the platform: ``{"ok": true,
"result": …}`` or ``{"ok": false, "error_code": …, "description": …}``. It
records every call, queues updates for ``getUpdates`` (which long-polls for a
short, bounded time and answers error 408 when nothing came), remembers the
webhook set with ``setWebhook`` and injects failures (429, 5xx, 403) per
method and chat with :meth:`FakeZaloServer.fail_next`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

TOKEN = "1234567890:test-zalo-token-SECRET"
BOT_ID = "b0t1d"
SENDS = ("sendMessage", "sendPhoto")


@dataclass
class ZaloCall:
    """One recorded API call."""

    method: str
    params: dict[str, Any]
    token: str

    @property
    def chat_id(self) -> str:
        return str(self.params.get("chat_id", ""))

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None = None


@dataclass
class FakeZaloServer:
    """A local stand-in for ``https://bot-api.zapps.me``; use as an async context manager."""

    token: str = TOKEN
    poll_wait: float = 0.2
    """Longest time a ``getUpdates`` call waits, whatever timeout the client asks for."""

    calls: list[ZaloCall] = field(default_factory=list)
    webhook: dict[str, str] = field(default_factory=dict)
    updates: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    _failures: dict[tuple[str, str], deque[_Failure | None]] = field(
        default_factory=lambda: defaultdict(deque)
    )
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _server: tornado.httpserver.HTTPServer | None = None
    _called: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0

    @property
    def url(self) -> str:
        """The base URL to give the client (``ZALO_API_URL``)."""
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> FakeZaloServer:
        app = tornado.web.Application(
            [(r"/bot([^/]+)/(\w+)", _ApiHandler, {"fake": self})],
            log_function=_quiet,  # the platform's own access log is not the bot's log
        )
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.stop()
            await asyncio.wait_for(self._server.close_all_connections(), 5)

    # --- test controls -------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        chat_id: str = "*",
        status: int = 403,
        description: str = "Forbidden: user blocked the bot",
        retry_after: int | None = None,
        times: int = 1,
        after: int = 0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (to ``chat_id``, or any) fail.

        With ``after``, that many calls succeed first (e.g. the second part of a split reply).
        """
        queue = self._failures[(method, chat_id)]
        queue.extend([None] * after)
        for _ in range(times):
            queue.append(_Failure(status, description, retry_after))

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for the next ``getUpdates``."""
        self.updates.put_nowait(update)

    def sent(self, method: str | None = None, chat_id: str | None = None) -> list[ZaloCall]:
        return [
            c
            for c in self.calls
            if (method is None or c.method == method) and (chat_id is None or c.chat_id == chat_id)
        ]

    def messages(self, chat_id: str | None = None) -> list[str]:
        """Texts sent to ``chat_id`` (or anyone) with sendMessage/sendPhoto, in order."""
        return [
            c.text
            for c in self.calls
            if c.method in SENDS and (chat_id is None or c.chat_id == chat_id)
        ]

    def clear(self) -> None:
        self.calls.clear()

    async def wait_until(self, condition: Callable[[], bool], limit: float = 5.0) -> None:
        """Wait (at most ``limit`` seconds) until ``condition()`` holds, checked after each call."""
        async with asyncio.timeout(limit):
            while True:
                self._called.clear()
                if condition():
                    return
                await self._called.wait()

    # --- the API ---------------------------------------------------------------

    def _take_failure(self, method: str, chat_id: str) -> _Failure | None:
        for key in ((method, chat_id), (method, "*")):
            queue = self._failures.get(key)
            if queue:
                return queue.popleft()  # None: a call let through before the failures
        return None

    async def answer(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        call = ZaloCall(method, params, token)
        self.calls.append(call)
        self._called.set()
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        failure = self._take_failure(method, call.chat_id)
        if failure is not None:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, body
        result = await self._result(method, params)
        if result is None:
            return 200, {"ok": False, "error_code": 408, "description": "Request timeout"}
        if result is False:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        return 200, {"ok": True, "result": result}

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": BOT_ID, "account_name": "bot.classbot", "account_type": "BASIC"}
        if method == "getUpdates":
            wait = min(float(params.get("timeout") or 0), self.poll_wait)
            try:
                return await asyncio.wait_for(self.updates.get(), wait)
            except TimeoutError:
                return None
        if method == "setWebhook":
            self.webhook = {"url": str(params["url"]), "secret_token": str(params["secret_token"])}
            return {"url": self.webhook["url"], "updated_at": int(time.time() * 1000)}
        if method == "deleteWebhook":
            self.webhook = {}
            return {"url": "", "updated_at": int(time.time() * 1000)}
        if method in ("sendMessage", "sendPhoto"):
            text = str(params.get("text") or params.get("caption") or "")
            if method == "sendMessage" and not 1 <= len(text) <= 2000:
                return False
            return {"message_id": f"m{next(self._ids)}", "date": int(time.time() * 1000)}
        return method == "sendChatAction"


class _ApiHandler(tornado.web.RequestHandler):
    def initialize(self, fake: FakeZaloServer) -> None:
        self.fake = fake

    async def post(self, token: str, method: str) -> None:
        try:
            params = json.loads(self.request.body or b"{}")
        except ValueError:
            params = {}
        status, body = await self.fake.answer(token, method, params)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)


def _quiet(handler: tornado.web.RequestHandler) -> None:
    return None


_ids = itertools.count(1)


def text_update(
    text: str,
    *,
    user_id: str = "zu501",
    name: str = "Nguyễn Văn Hùng",
    event_name: str = "message.text.received",
    chat_type: str = "PRIVATE",
) -> dict[str, Any]:
    """An incoming message as the platform delivers it (ids are strings, date in ms)."""
    message: dict[str, Any] = {
        "from": {"id": user_id, "display_name": name, "is_bot": False},
        "chat": {"id": user_id, "chat_type": chat_type},
        "message_id": f"in{next(_ids)}",
        "date": int(time.time() * 1000),
    }
    if event_name == "message.text.received":
        message["text"] = text
    elif event_name == "message.image.received":
        message["photo"] = "https://example.invalid/p.jpg"
        message["caption"] = text
    elif event_name == "message.sticker.received":
        message["sticker"] = "st1"
    return {"event_name": event_name, "message": message}
