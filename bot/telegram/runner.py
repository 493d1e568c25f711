"""Running the real bot: long polling by default, a webhook when ``WEBHOOK_URL`` is set."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from telegram import Update

from bot import logs
from bot.clock import ShiftedClock, clock_from_env
from bot.config import Settings
from bot.telegram.app import build_application

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


def run_bot(settings: Settings) -> int:
    """Run the Telegram bot until interrupted (blocking)."""
    clock = clock_from_env()
    app = build_application(settings, clock=clock)
    options = webhook_options(settings) if settings.webhook_url else None
    extra = [options.secret_token] if options else []
    logs.configure(settings.log_level, [*secrets_of(settings), *extra])
    if isinstance(clock, ShiftedClock):
        log.warning("event=clock_shifted now=%s note=%s", clock.now().isoformat(), "CLASSBOT_NOW")
    if options is not None:
        if options.generated_secret:
            log.warning("event=webhook_secret_generated note=%s", "set WEBHOOK_SECRET to keep one")
        log.info(
            "event=webhook listen=%s port=%s path=/%s",
            options.listen,
            options.port,
            options.url_path,
        )
        app.run_webhook(**options.kwargs(), allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    else:
        log.info("event=polling")
        # Telegram down while we start (deleting the webhook): keep trying, do not exit.
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    return 0
