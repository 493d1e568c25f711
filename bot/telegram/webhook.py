"""The Telegram webhook endpoint: our own small tornado server instead of PTB's.

PTB's webhook server reads the whole body before looking at the secret (tornado's
default limit is 100 MB) and compares the secret with ``!=``. This one streams
the body: the secret header (compared in constant time) and the announced size
are checked as soon as the headers arrive, before any of the body is read, and
tornado itself refuses a body longer than :data:`MAX_BODY` (chunked or not).
A valid update goes to the application's update queue, as PTB's would.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import TYPE_CHECKING, Any

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Update

if TYPE_CHECKING:
    from bot.telegram.context import BotApp

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
MAX_BODY = 1_000_000
"""Bytes an update may have; Telegram's updates are a few kilobytes."""


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, app: BotApp, secret: str) -> None:
        self.app = app
        self.secret = secret
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self) -> None:
        """Runs once the headers are in, before the body is read."""
        if self.request.method != "POST":
            self.send_error(405)
            return
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("event=webhook_refused reason=secret")
            self.send_error(403)
            return
        announced = self.request.headers.get("Content-Length")
        if announced is not None and (not announced.isdigit() or int(announced) > MAX_BODY):
            self.send_error(413)
            return
        connection = self.request.connection
        if connection is not None:
            connection.set_max_body_size(MAX_BODY)  # type: ignore[attr-defined]

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:  # (tornado stops it first; kept for clarity)
            raise tornado.web.HTTPError(413)
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            payload: Any = json.loads(b"".join(self.chunks) or b"null")
        except ValueError:
            self.send_error(400)
            return
        if not isinstance(payload, dict):
            self.send_error(400)
            return
        update = Update.de_json(payload, self.app.bot)
        if update is not None:
            await self.app.update_queue.put(update)
        self.set_status(200)
        self.finish()

    def log_exception(self, *args: Any) -> None:  # no request bodies or headers in the logs
        log.warning("event=webhook_request_failed")


class TelegramWebhook:
    """Listens for Telegram's POSTs on ``host:port/path`` and queues the updates."""

    def __init__(self, app: BotApp, *, host: str, port: int, path: str, secret: str) -> None:
        if not secret:
            raise ValueError("the webhook needs a secret token")
        self.host = host
        self.port = port
        self.path = "/" + path.strip("/")
        web = tornado.web.Application(
            [(self.path, _UpdateHandler, {"app": app, "secret": secret})], log_function=_quiet
        )
        self._server = tornado.httpserver.HTTPServer(web, max_body_size=MAX_BODY)

    async def start(self) -> int:
        """Listen; returns the port (useful when ``port`` was 0)."""
        sockets = tornado.netutil.bind_sockets(self.port, self.host)
        self.port = int(sockets[0].getsockname()[1])
        self._server.add_sockets(sockets)
        return self.port

    async def stop(self) -> None:
        self._server.stop()
        await asyncio.wait_for(self._server.close_all_connections(), 10)


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """No access log line per update."""
