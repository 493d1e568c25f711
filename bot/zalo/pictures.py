"""Pictures the bot made (the week's timetable), served over HTTP so Zalo can fetch them.

Zalo's ``sendPhoto`` takes a URL, not bytes. When the bot runs with a Zalo
webhook it already has a public HTTPS address; the same server then answers
``GET /zalo/pictures/<token>.png`` with a picture published here, and a reply
carrying a picture goes out as that link. Tokens are 128 random bits and live
for a day; the same picture keeps its token. Without a webhook (polling) no
host is active and the Zalo text says where to see the picture instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import time
from urllib.parse import urlparse

import tornado.web

from bot.replies import Reply

PATH = "/zalo/pictures/"
ROUTE = PATH + r"([A-Za-z0-9_-]{16,64})\.png"
LIFETIME = 24 * 3600.0
MAX_PICTURES = 64


class PictureHost:
    """Published pictures by token, and the public address they are served at."""

    def __init__(self, base_url: str) -> None:
        parsed = urlparse(base_url)
        self.base = f"{parsed.scheme}://{parsed.netloc}{PATH}"
        self._by_token: dict[str, tuple[bytes, float]] = {}
        self._by_hash: dict[str, str] = {}

    def publish(self, png: bytes, now: float | None = None) -> str:
        """The public URL of ``png`` (the same for the same picture while it lives)."""
        now = time.monotonic() if now is None else now
        digest = hashlib.sha256(png).hexdigest()
        token = self._by_hash.get(digest)
        if token is None or token not in self._by_token:
            token = secrets.token_urlsafe(16)
            self._by_hash[digest] = token
        self._by_token[token] = (png, now)
        self._prune(now)
        return f"{self.base}{token}.png"

    def get(self, token: str, now: float | None = None) -> bytes | None:
        now = time.monotonic() if now is None else now
        found = self._by_token.get(token)
        if found is None or now - found[1] > LIFETIME:
            return None
        return found[0]

    def _prune(self, now: float) -> None:
        for token, (_png, at) in list(self._by_token.items()):
            if now - at > LIFETIME:
                del self._by_token[token]
        while len(self._by_token) > MAX_PICTURES:
            del self._by_token[next(iter(self._by_token))]


_active: PictureHost | None = None


def activate(base_url: str | None) -> PictureHost | None:
    """Serve pictures under ``base_url``'s origin (None: stop serving)."""
    global _active
    _active = PictureHost(base_url) if base_url else None
    return _active


def active() -> PictureHost | None:
    return _active


def as_link(reply: Reply) -> Reply:
    """A reply whose picture is published becomes a reply with a photo link (Zalo's form)."""
    host = _active
    if reply.picture is None or host is None or reply.media is not None:
        return reply
    url = host.publish(reply.picture.content)
    return dataclasses.replace(reply, picture=None, media=("photo", url))


class PictureHandler(tornado.web.RequestHandler):
    """``GET /zalo/pictures/<token>.png``."""

    def get(self, token: str) -> None:
        host = _active
        png = host.get(token) if host is not None else None
        if png is None:
            self.send_error(404)
            return
        self.set_header("Content-Type", "image/png")
        self.set_header("Cache-Control", "private, max-age=86400")
        self.finish(png)
