"""An async client for the Zalo Bot Platform HTTP API.

The API looks like Telegram's: ``POST <base>/bot<token>/<method>`` with a JSON
body, answered by ``{"ok": true, "result": …}`` or ``{"ok": false,
"error_code": …, "description": …}``. Ids are strings, ``date`` is in
milliseconds, ``getUpdates`` long-polls and returns one update (or error 408
when none came). Failures are raised as the delivery errors of
:mod:`bot.outbox.sender` so the outbox can retry, back off or give up.

The token is part of every URL, so it is redacted from httpx's request log
and never appears in an exception message.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot.logs import RedactSecrets
from bot.outbox.sender import Rejected, RetryAfter, TransientError, Uncertain, Unreachable

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport errors raised before the request left: the message was not sent."""
_SENDS = frozenset({"sendMessage", "sendPhoto"})

DEFAULT_API_URL = "https://bot-api.zapps.me"
TEXT_LIMIT = 2000
"""Zalo refuses text messages longer than this many characters."""

POLL_TIMEOUT = 30
"""Seconds a ``getUpdates`` call waits for an update."""

NO_UPDATE = 408
"""The error code ``getUpdates`` answers with when the poll timed out empty."""

log = logging.getLogger(__name__)


def redact_in_logs(secret: str) -> None:
    """Make sure ``secret`` never reaches the logs of httpx or httpcore."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) and secret in f.secrets for f in logger.filters):
            logger.addFilter(RedactSecrets([secret]))


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
    if code >= 500 or code == NO_UPDATE:
        return TransientError(text)
    lowered = description.lower()
    if code == 403 or "block" in lowered or "not follow" in lowered:
        return Unreachable(text)
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
        except _NOT_SENT as exc:  # nothing left this machine: safe to retry
            raise TransientError(f"zalo {method}: cannot connect ({type(exc).__name__})") from None
        except httpx.TransportError as exc:  # timeouts included
            # A send whose request went out may have been delivered: never resend it.
            error = Uncertain if method in _SENDS else TransientError
            raise error(f"zalo {method}: no answer ({type(exc).__name__})") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            if response.is_success:
                error = Uncertain if method in _SENDS else TransientError
                raise error(f"zalo {method}: unreadable answer")
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
        if len(text) > TEXT_LIMIT:
            raise Rejected(f"zalo sendMessage: text of {len(text)} characters is too long")
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return _message_id(result)

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> str:
        params = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            params["caption"] = caption[:TEXT_LIMIT]
        return _message_id(await self.call("sendPhoto", params))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


def _message_id(result: Any) -> str:
    if isinstance(result, dict):
        return str(result.get("message_id", ""))
    return ""


__all__ = [
    "DEFAULT_API_URL",
    "TEXT_LIMIT",
    "ZaloClient",
    "error_for",
    "redact_in_logs",
]
