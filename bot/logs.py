"""Structured logs (one ``key=value`` line per event) that never contain a secret.

:class:`RedactSecrets` is the one redaction filter: it replaces every secret
registered with :func:`add_secrets` (the bot token, the webhook secrets, the
Zalo token) in the final text of each record, including exception tracebacks.
:func:`configure` puts it on the process's log handler and on the loggers of
the HTTP libraries (which log each request URL, and the Bot API's and Zalo's
URLs contain the token), and makes uncaught exceptions print through it too
(:func:`redacted_excepthook`), so no traceback the process prints shows a secret.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import TextIO

REDACTED = "[REDACTED]"
NOISY = ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater")


HTTP_LOGGERS = ("httpx", "httpcore")
MIN_SECRET = 6
"""Shorter values are not treated as secrets (they would redact ordinary words)."""

_secrets: set[str] = set()


def add_secrets(secrets: Iterable[str]) -> None:
    """Register values the process must never print (short or empty ones are ignored)."""
    _secrets.update(s for s in secrets if len(s) >= MIN_SECRET)
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced by :data:`REDACTED`."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    """Rewrite a record so that no registered secret (:func:`add_secrets`) appears in it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        _secrets.update(s for s in secrets if len(s) >= MIN_SECRET)

    @property
    def secrets(self) -> list[str]:
        return sorted(_secrets, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        return scrub(text)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self.scrub(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


class KeyValueFormatter(logging.Formatter):
    """``ts=… level=… logger=… msg="…"``; messages already written as ``key=value`` stay so."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = dt.datetime.fromtimestamp(record.created, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        message = record.getMessage()
        head = f"ts={stamp} level={record.levelname.lower()} logger={record.name}"
        if "=" in message.split(" ", 1)[0]:
            line = f"{head} {message}"
        else:
            line = f"{head} msg={_quote(message)}"
        if record.exc_text:
            line += " exc=" + _quote(record.exc_text)
        elif record.exc_info:
            line += " exc=" + _quote(self.formatException(record.exc_info))
        return line


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def configure(
    level: str = "INFO", secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """Send all logs, redacted and formatted, to ``stream`` (stderr); returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(KeyValueFormatter())
    handler.addFilter(RedactSecrets())
    add_secrets(secrets)
    sys.excepthook = redacted_excepthook
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "classbot", False):
            root.removeHandler(old)
    handler.classbot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    return handler


def redacted_excepthook(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """Print an uncaught exception's traceback with every secret redacted."""
    text = "".join(traceback.format_exception(kind, value, tb))
    sys.stderr.write(scrub(text))


def fail(message: str, *args: object) -> int:
    """Print a one-line start-up failure (redacted) on stderr; returns the exit status 1."""
    sys.stderr.write(scrub("classbot: " + (message % args if args else message)) + "\n")
    return 1
