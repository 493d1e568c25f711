"""A fake Zalo Bot Platform on 127.0.0.1 for tests, written from the platform's documentation.

Sources (bot.zaloplatforms.com/docs, also docs.zaloplatforms.com/docs/BOT), what each says:

* **call-api**: every method is ``POST https://bot-api.zaloplatforms.com/bot<TOKEN>/<method>``
  with a JSON body; the answer is ``{"ok": true, "result": …}`` or ``{"ok": false,
  "error_code": …, "description": …}``.
* **getUpdates** (long polling, "for development"; a webhook is for production): ``timeout``
  in seconds, sent as a string; the result is ONE update object; when nothing came within
  the timeout the answer is error 408.
* **setWebhook**: ``url`` (HTTPS) and ``secret_token`` (8–256 characters); result
  ``{"url", "updated_at"}`` (ms). **deleteWebhook** / **getWebhookInfo** likewise.
* **webhook**: Zalo POSTs each update to the registered URL with the header
  ``X-Bot-Api-Secret-Token: <secret_token>`` and the body ``{"ok": true, "result":
  <update>}``; an update is ``{"event_name", "message"}`` with event names
  ``message.text.received``, ``message.image.received``, ``message.sticker.received``,
  ``message.unsupported.received`` (content Zalo withholds, e.g. from a protected user);
  ``message`` has ``from {id, display_name, is_bot}``, ``chat {id, chat_type: PRIVATE|GROUP}``,
  ``message_id`` (string), ``date`` (ms) and ``text`` / ``photo`` + ``caption`` / ``sticker``.
  A slow endpoint is a documented cause of webhook errors: answer at once.
* **sendMessage**: ``chat_id``, ``text`` of 1–2000 characters (this fake counts UTF-16 code
  units, as the platform's Java/JavaScript peers do; 🚌 counts 2); result ``{"message_id",
  "date"}``. **sendPhoto**: ``chat_id``, ``photo`` (a URL), optional ``caption``.
* **error-code**: 400 bad request, 401 unauthorized (token), 403 forbidden and 5xx are
  errors on the platform's side, 404 not found, 408 request timeout, 429 too many requests
  (quota). The fake injects any of them per method and chat with
  :meth:`FakeZaloServer.fail_next`, and a send that goes through but whose answer comes
  too late (:meth:`FakeZaloServer.slow_next`) to test "delivered, answer lost".
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
    delay: float = 0.0
    """With status 200: do the call, then wait this long before answering (answer lost)."""


def utf16_units(text: str) -> int:
    """A string's length as the platform counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class FakeZaloServer:
    """A local stand-in for ``https://bot-api.zaloplatforms.com`` (an async context manager)."""

    token: str = TOKEN
    poll_wait: float = 0.2
    """Longest time a ``getUpdates`` call waits, whatever timeout the client asks for."""

    calls: list[ZaloCall] = field(default_factory=list)
    accepted: list[ZaloCall] = field(default_factory=list)
    """Sends the platform carried out (whether or not the bot got the answer)."""
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

    def slow_next(self, method: str, seconds: float, *, chat_id: str = "*") -> None:
        """The next call of ``method`` is carried out but answered only after ``seconds``."""
        self._failures[(method, chat_id)].append(_Failure(200, "", delay=seconds))

    def delivered(self, chat_id: str | None = None) -> list[str]:
        """Texts the platform actually delivered to ``chat_id`` (or anyone), in order."""
        return [c.text for c in self.accepted if chat_id is None or c.chat_id == chat_id]

    async def post_webhook(
        self, url: str, update: dict[str, Any], *, secret: str | None = None
    ) -> tuple[int, float]:
        """POST ``update`` to a webhook as the platform does; returns (HTTP status, seconds)."""
        import httpx

        headers = {"X-Bot-Api-Secret-Token": self.webhook.get("secret_token", "")}
        if secret is not None:
            headers["X-Bot-Api-Secret-Token"] = secret
        started = time.monotonic()
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.post(url, json={"ok": True, "result": update}, headers=headers)
        return response.status_code, time.monotonic() - started

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
        self.accepted.clear()

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
        if failure is not None and failure.status == 200:
            status, body = await self._answer_ok(call, method, params)
            await asyncio.sleep(failure.delay)
            return status, body
        if failure is not None:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, body
        return await self._answer_ok(call, method, params)

    async def _answer_ok(
        self, call: ZaloCall, method: str, params: dict[str, Any]
    ) -> tuple[int, Any]:
        problem = _invalid(method, params)
        if problem is not None:
            return 400, {"ok": False, "error_code": 400, "description": problem}
        result = await self._result(method, params)
        if result is None:
            return 408, {"ok": False, "error_code": 408, "description": "Request timeout"}
        if result is False:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if method in SENDS:
            self.accepted.append(call)
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
        if method == "getWebhookInfo":
            return {"url": self.webhook.get("url", ""), "updated_at": int(time.time() * 1000)}
        if method in SENDS:
            return {"message_id": f"m{next(self._ids)}", "date": int(time.time() * 1000)}
        return method == "sendChatAction"


def _invalid(method: str, params: dict[str, Any]) -> str | None:
    """The documented parameter rules; the description of the 400 a breach gets."""
    if method in SENDS and not str(params.get("chat_id") or ""):
        return "Bad Request: chat_id is required"
    if method == "sendMessage" and not 1 <= utf16_units(str(params.get("text") or "")) <= 2000:
        return "Bad Request: text must be 1-2000 characters"
    if method == "sendPhoto" and not str(params.get("photo") or ""):
        return "Bad Request: photo is required"
    if method == "setWebhook":
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        if not url.startswith("https://"):
            return "Bad Request: url must be HTTPS"
        if not 8 <= len(secret) <= 256:
            return "Bad Request: secret_token must be 8-256 characters"
    return None


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
        message["url"] = "https://example.invalid/st1.png"
    # message.unsupported.received: the platform withholds the content (no text, no media).
    return {"event_name": event_name, "message": message}
