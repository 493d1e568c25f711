"""An async client for the Zalo Bot Platform HTTP API.

The API looks like Telegram's (docs, "call-api"): ``POST
https://bot-api.zaloplatforms.com/bot<token>/<method>`` with a JSON body,
answered by ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code":
…, "description": …}``. Ids are strings, ``date`` is in milliseconds,
``getUpdates`` long-polls and returns one update (or error 408 when none came).

Failures are raised as the delivery errors of :mod:`bot.outbox.sender`. The
documentation's error-code page lists 403 among the *server-side* errors, next
to 5xx: the client treats both as transient (retried with back-off), never as
"the person blocked us" (that needs lasting evidence, see
:mod:`bot.zalo.sender`). A call whose request may have reached Zalo but whose
answer was lost (a read timeout, a dropped connection) raises
:class:`DeliveryUncertain`: the message may be in the chat, so it is never
sent again.

The token is part of every URL, so it is redacted from httpx's request log
and never appears in an exception message.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot import logs
from bot.outbox.sender import Rejected, RetryAfter, TransientError

DEFAULT_API_URL = "https://bot-api.zaloplatforms.com"
"""The host the current documentation gives (formerly ``bot-api.zapps.me``); see ZALO_API_URL."""

TEXT_LIMIT = 2000
"""sendMessage: "text … 1–2000 characters" (docs). Counted here in UTF-16 code units, as the
platform's Java/JavaScript peers count a string's length: an emoji such as 🚌 counts 2."""

POLL_TIMEOUT = 30
"""Seconds a ``getUpdates`` call waits for an update."""

NO_UPDATE = 408
"""The error code ``getUpdates`` answers with when the poll timed out empty."""

log = logging.getLogger(__name__)


def redact_in_logs(secret: str) -> None:
    """Make sure ``secret`` never reaches the logs (the one filter of :mod:`bot.logs`)."""
    logs.add_secrets([secret])


class DeliveryUncertain(TransientError):
    """The request may have reached Zalo but its answer was lost: never send it again."""


class PlatformError(TransientError):
    """Zalo answered with an error on its side (403, 408, 5xx): the same call may work later."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def utf16_len(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (a character outside the BMP counts 2)."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def error_for(method: str, status: int, body: dict[str, Any], retry_after: str | None) -> Exception:
    """The delivery error for a failed call (by ``error_code`` if given, else HTTP status)."""
    code = int(body.get("error_code") or status)
    description = str(body.get("description") or "")
    text = f"zalo {method}: {code} {description}".strip()
    if code == 429:
        params = body.get("parameters") or {}
        seconds = params.get("retry_after") if isinstance(params, dict) else None
        try:
            wait = float(seconds if seconds is not None else retry_after or 1)
        except ValueError:
            wait = 1.0
        return RetryAfter(max(wait, 0.0), text)
    # Docs, error codes: 408 "request timeout" and 403 / 5xx are errors on the platform's
    # side; the same request may succeed later. Retried with back-off, never "unreachable".
    if code >= 500 or code in (NO_UPDATE, 403):
        return PlatformError(code, text)
    return Rejected(text)


class ZaloClient:
    """One bot's connection to the Zalo Bot Platform."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_API_URL,
        *,
        timeout: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not token:
            raise ValueError("a Zalo bot token is required (ZALO_BOT_TOKEN)")
        self._token = token
        self.base_url = base_url.rstrip("/")
        redact_in_logs(token)
        self._timeout = timeout
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"ZaloClient({self.base_url!r})"

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Call ``method``; return its ``result`` or raise a :mod:`bot.outbox.sender` error."""
        status, body, retry_after = await self._post(method, params or {})
        if 200 <= status < 300 and body.get("ok") is True:
            return body.get("result")
        raise error_for(method, status if status >= 300 else 400, body, retry_after)

    async def _post(
        self, method: str, params: dict[str, Any], read_timeout: float | None = None
    ) -> tuple[int, dict[str, Any], str | None]:
        url = f"{self.base_url}/bot{self._token}/{method}"
        timeout = httpx.Timeout(self._timeout, read=read_timeout or self._timeout)
        try:
            response = await self._http.post(url, json=params, timeout=timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # Nothing reached Zalo: safe to try again.
            raise TransientError(f"zalo {method}: network error ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            # Sent, but the answer was lost (read timeout, dropped connection): fate unknown.
            raise DeliveryUncertain(
                f"zalo {method}: no answer ({type(exc).__name__}); it may have been delivered"
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            if response.is_success:
                raise TransientError(f"zalo {method}: unreadable answer")
            body = {}
        return response.status_code, body, response.headers.get("retry-after")

    async def get_me(self) -> dict[str, Any]:
        result = await self.call("getMe")
        return dict(result or {})

    async def get_update(self, wait: int = POLL_TIMEOUT) -> dict[str, Any] | None:
        """Long-poll up to ``wait`` seconds for the next update; ``None`` if none came."""
        status, body, retry_after = await self._post(
            "getUpdates", {"timeout": str(wait)}, read_timeout=wait + self._timeout
        )
        if 200 <= status < 300 and body.get("ok") is True:
            result = body.get("result")
            return dict(result) if isinstance(result, dict) and result else None
        if int(body.get("error_code") or status) == NO_UPDATE:
            return None
        raise error_for("getUpdates", status if status >= 300 else 400, body, retry_after)

    async def set_webhook(self, url: str, secret_token: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def send_message(self, chat_id: str, text: str) -> str:
        """Send plain text (at most :data:`TEXT_LIMIT` characters); returns the message id."""
        if utf16_len(text) > TEXT_LIMIT:
            raise Rejected(f"zalo sendMessage: text of {utf16_len(text)} UTF-16 units is too long")
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return _message_id(result)

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> str:
        params = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            params["caption"] = _clip(caption, TEXT_LIMIT)
        return _message_id(await self.call("sendPhoto", params))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


def _clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 units."""
    while utf16_len(text) > limit:
        text = text[: len(text) - max(1, (utf16_len(text) - limit) // 2)]
    return text


def _message_id(result: Any) -> str:
    if isinstance(result, dict):
        return str(result.get("message_id", ""))
    return ""


__all__ = [
    "DEFAULT_API_URL",
    "TEXT_LIMIT",
    "DeliveryUncertain",
    "PlatformError",
    "ZaloClient",
    "error_for",
    "redact_in_logs",
    "utf16_len",
]
