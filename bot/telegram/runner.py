"""Running the real bot: long polling by default, a webhook when ``WEBHOOK_URL`` is set.

The webhook is served by :mod:`bot.telegram.webhook` (body limit before reading,
constant-time secret check), not PTB's server. A start-up failure (Telegram
rejects the token, ``BOT_API_URL`` answers 404) is one redacted line on stderr
and exit status 1, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken, TelegramError

from bot import logs
from bot.config import Settings
from bot.telegram.app import build_application, running
from bot.telegram.context import BotApp
from bot.telegram.webhook import MAX_BODY, TelegramWebhook

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookOptions:
    """Where the webhook listens and what Telegram must send with every request."""

    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str
    generated_secret: bool

    def kwargs(self) -> dict[str, Any]:
        """Arguments for ``Application.run_webhook`` / ``Updater.start_webhook``."""
        return {
            "listen": self.listen,
            "port": self.port,
            "url_path": self.url_path,
            "webhook_url": self.webhook_url,
            "secret_token": self.secret_token,
        }


def webhook_options(settings: Settings) -> WebhookOptions:
    """The webhook set-up; a random secret token when ``WEBHOOK_SECRET`` is not set."""
    secret = settings.webhook_secret
    generated = not secret
    if generated:
        secret = secrets.token_urlsafe(32)  # letters, digits, '_' and '-': what Telegram allows
    return WebhookOptions(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlparse(settings.webhook_url).path.strip("/"),
        webhook_url=settings.webhook_url,
        secret_token=secret,
        generated_secret=generated,
    )


def secrets_of(settings: Settings) -> list[str]:
    """Everything the logs must never show."""
    return [
        settings.bot_token,
        settings.webhook_secret,
        settings.zalo_bot_token,
        settings.zalo_webhook_secret,
    ]


def startup_problem(settings: Settings, exc: TelegramError) -> str:
    """One line saying why the bot could not start (never the token: it is redacted too)."""
    cause = str(exc.__cause__ or exc)
    if isinstance(exc, InvalidToken):
        if "not found" in cause.lower() and settings.bot_api_url:
            return "BOT_API_URL answered 404 (Not Found): check the server's address and path"
        if "not found" in cause.lower():
            return "Telegram rejected the token (404 Not Found: is BOT_TOKEN complete?)"
        return "Telegram rejected the token (401 Unauthorized): check BOT_TOKEN"
    return f"could not start: {type(exc).__name__}: {cause}"


async def serve_webhook(app: BotApp, options: WebhookOptions) -> None:
    """Run the application behind our own webhook server until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with running(app):
        server = TelegramWebhook(
            app,
            host=options.listen,
            port=options.port,
            path=options.url_path,
            secret=options.secret_token,
        )
        await server.start()
        try:
            await app.bot.set_webhook(
                options.webhook_url,
                secret_token=options.secret_token,
                allowed_updates=Update.ALL_TYPES,
            )
            await stop.wait()
        finally:
            await server.stop()


class _StartupReported(logging.Filter):
    """Drop PTB's own traceback of a rejected token: :func:`run_bot` says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Invalid token" not in str(record.msg)


def run_bot(settings: Settings) -> int:
    """Run the Telegram bot until interrupted (blocking); 1 with a one-line reason if it
    cannot start (a rejected token, a wrong ``BOT_API_URL``)."""
    options = webhook_options(settings) if settings.webhook_url else None
    logs.configure(
        settings.log_level, [*secrets_of(settings), *([options.secret_token] if options else [])]
    )
    logging.getLogger("telegram.ext").addFilter(_StartupReported())
    try:
        app = build_application(settings)
        if options is not None:
            if options.generated_secret:
                log.warning("event=webhook_secret_generated note=%s", "set WEBHOOK_SECRET")
            log.info(
                "event=webhook listen=%s port=%s path=/%s max_body=%d",
                options.listen,
                options.port,
                options.url_path,
                MAX_BODY,
            )
            asyncio.run(serve_webhook(app, options))
        else:
            log.info("event=polling")
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except TelegramError as exc:
        return logs.fail(startup_problem(settings, exc))
    return 0
