"""The guard every webhook we serve puts before reading a request's body.

Telegram and Zalo post updates with a secret header. :class:`GuardedJsonHandler`
checks the secret (in constant time) and the announced size as soon as the
headers are in, before a byte of the body is read, so an unauthenticated or
oversize request costs no memory; the channel's handler then gets the JSON.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

import tornado.web

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000
"""Bytes an update may have; both platforms' updates are a few kilobytes."""


@tornado.web.stream_request_body
class GuardedJsonHandler(tornado.web.RequestHandler):
    """A POST endpoint that reads its body only after the secret and the size check out.

    Subclasses set :attr:`secret_header` and :attr:`event` (the log's name for the
    endpoint), receive the secret through ``initialize`` and implement :meth:`handle`.
    """

    secret_header = ""
    event = "webhook"

    def initialize(self, secret: str, **kwargs: Any) -> None:
        self.secret = secret
        self.chunks: list[bytes] = []
        self.size = 0
        self.setup(**kwargs)

    def setup(self, **kwargs: Any) -> None:
        """The subclass's own ``initialize`` arguments."""

    def prepare(self) -> None:
        """Runs once the headers are in, before any of the body is read."""
        if self.request.method != "POST":
            self.send_error(405)
            return
        given = self.request.headers.get(self.secret_header, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("event=%s_refused reason=secret", self.event)
            self.send_error(403)
            return
        announced = self.request.headers.get("Content-Length")
        if announced is not None and (not announced.isdigit() or int(announced) > MAX_BODY):
            log.warning("event=%s_refused reason=size", self.event)
            self.send_error(413)
            return
        connection = self.request.connection
        if connection is not None:
            connection.set_max_body_size(MAX_BODY)  # type: ignore[attr-defined]

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:  # (tornado stops a longer body first; kept for clarity)
            raise tornado.web.HTTPError(413)
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            payload: Any = json.loads(b"".join(self.chunks) or b"null")
        except ValueError:
            self.send_error(400)
            return
        await self.handle(payload)

    async def handle(self, payload: Any) -> None:
        """Act on the decoded JSON body and finish the response."""
        raise NotImplementedError

    def log_exception(self, *args: Any) -> None:  # no request bodies or headers in the logs
        log.warning("event=%s_request_failed", self.event)
