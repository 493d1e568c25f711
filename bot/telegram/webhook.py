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
import logging
from typing import TYPE_CHECKING, Any

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Update

from bot.webhooks import MAX_BODY as MAX_BODY
from bot.webhooks import GuardedJsonHandler

if TYPE_CHECKING:
    from bot.telegram.context import BotApp

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


class _UpdateHandler(GuardedJsonHandler):
    secret_header = SECRET_HEADER
    event = "webhook"

    def setup(self, **kwargs: Any) -> None:
        self.app: BotApp = kwargs["app"]

    async def handle(self, payload: Any) -> None:
        if not isinstance(payload, dict):
            self.send_error(400)
            return
        update = Update.de_json(payload, self.app.bot)
        if update is not None:
            await self.app.update_queue.put(update)
        self.set_status(200)
        self.finish()


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
