"""Receiving Zalo updates: a webhook endpoint (tornado) or a ``getUpdates`` polling loop.

The webhook is what the platform recommends in production (docs, "getUpdates":
polling is for development). It checks the ``X-Bot-Api-Secret-Token`` header
against ``ZALO_WEBHOOK_SECRET`` in constant time (a wrong or missing secret gets
403) and the announced ``Content-Length`` against :data:`MAX_BODY` (413) as soon
as the headers arrive, before any of the body is read, so an unauthenticated or
oversize request costs nothing; tornado cuts off a longer chunked body. It accepts
the update as documented, ``{"ok": true, "result": {…}}``, or bare
(``{"event_name": …, "message": …}``). It answers 200 **at once** and handles
the update afterwards (the docs name a slow endpoint as a cause of webhook
errors, and Zalo re-posts what it thinks failed); the handler keeps each chat's
messages in order. On stop, updates already accepted are finished first.

Without a webhook URL the bot long-polls ``getUpdates`` instead (for trials),
backing off on errors and handling each update in turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlparse, urlunparse

import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.outbox.sender import DeliveryError, RetryAfter, TransientError
from bot.webhooks import MAX_BODY as MAX_BODY
from bot.webhooks import GuardedJsonHandler
from bot.zalo import pictures
from bot.zalo.client import POLL_TIMEOUT, ZaloClient

log = logging.getLogger(__name__)

UpdateHandler = Callable[[dict[str, Any]], Awaitable[None]]
SECRET_HEADER = "X-Bot-Api-Secret-Token"  # noqa: S105 (a header name, not a secret)
WEBHOOK_PATH = "/zalo/webhook"
MAX_BACKOFF = 60.0


def unwrap(payload: Any) -> dict[str, Any] | None:
    """The update inside a webhook body (bare or ``{"ok":…, "result":…}``), if any."""
    if isinstance(payload, dict) and isinstance(payload.get("result"), dict):
        payload = payload["result"]
    if isinstance(payload, dict) and isinstance(payload.get("event_name"), str):
        return payload
    return None


async def _safely(handle: UpdateHandler, update: dict[str, Any]) -> None:
    """Run the handler; a failure is logged, never sent back to Zalo (it would retry)."""
    try:
        await handle(update)
    except Exception:
        log.exception("event=zalo_update_failed kind=%s", update.get("event_name"))


class _WebhookHandler(GuardedJsonHandler):
    """Zalo's updates: answered 200 at once, handled after (in order per chat)."""

    secret_header = SECRET_HEADER
    event = "zalo_webhook"

    def setup(self, **kwargs: Any) -> None:
        self.accept: Callable[[dict[str, Any]], None] = kwargs["accept"]

    async def handle(self, payload: Any) -> None:
        update = unwrap(payload)
        if update is not None:
            self.accept(update)  # handled after the answer: Zalo gets its 200 at once
        self.set_header("Content-Type", "application/json")
        self.finish(b'{"ok":true}')


class WebhookServer:
    """An HTTP endpoint Zalo posts updates to."""

    def __init__(
        self,
        handle: UpdateHandler,
        secret: str,
        *,
        host: str = "127.0.0.1",
        port: int = 8444,
        path: str = WEBHOOK_PATH,
    ) -> None:
        if not secret:
            raise ValueError("a Zalo webhook needs ZALO_WEBHOOK_SECRET")
        self.host = host
        self.port = port
        self.path = path
        self.handle = handle
        self._pending: set[asyncio.Task[None]] = set()
        app = tornado.web.Application(
            [
                (path, _WebhookHandler, {"accept": self.accept, "secret": secret}),
                (pictures.ROUTE, pictures.PictureHandler),  # the week as a picture (issue 18)
            ]
        )
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_BODY)

    def accept(self, update: dict[str, Any]) -> None:
        """Handle ``update`` in the background (tasks start in arrival order)."""
        task = asyncio.create_task(_safely(self.handle, update), name="classbot-zalo-update")
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self, limit: float = 30.0) -> None:
        """Wait (at most ``limit`` seconds) for the updates accepted so far to be handled."""
        if self._pending:
            await asyncio.wait(set(self._pending), timeout=limit)

    async def start(self) -> int:
        """Listen; returns the port (useful when ``port`` was 0)."""
        sockets = tornado.netutil.bind_sockets(self.port, self.host)
        self.port = int(sockets[0].getsockname()[1])
        self._server.add_sockets(sockets)
        log.info("event=zalo_webhook_listening host=%s port=%s", self.host, self.port)
        return self.port

    async def stop(self) -> None:
        self._server.stop()
        await self.drain()
        await asyncio.wait_for(self._server.close_all_connections(), 10)


def webhook_target(url: str) -> tuple[str, str]:
    """The URL to register with Zalo and the local path to listen on, which are the same path.

    ``https://host/some/path`` is registered as given and served at ``/some/path``;
    ``https://host`` (no path) is registered as ``https://host/zalo/webhook`` and served
    there, so Zalo never posts to a path nobody listens on.
    """
    parts = urlparse(url)
    path = parts.path
    if path in ("", "/"):
        path = WEBHOOK_PATH
        url = urlunparse(parts._replace(path=path))
    return url, path


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def poll(
    client: ZaloClient,
    handle: UpdateHandler,
    stop: asyncio.Event,
    *,
    wait: int = POLL_TIMEOUT,
    first_backoff: float = 1.0,
) -> None:
    """Long-poll ``getUpdates`` until ``stop`` is set, handling each update in turn.

    Errors pause the loop, doubling from ``first_backoff`` up to a minute; a
    flood limit waits as long as the platform asks.
    """
    backoff = first_backoff
    while not stop.is_set():
        try:
            update = await client.get_update(wait)
        except RetryAfter as exc:
            await _pause(stop, max(exc.seconds, first_backoff))
            continue
        except (TransientError, DeliveryError) as exc:
            log.warning("event=zalo_poll_failed error=%s retry_in=%.0fs", exc, backoff)
            await _pause(stop, backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
            continue
        backoff = first_backoff
        if update is not None:
            await _safely(handle, update)
