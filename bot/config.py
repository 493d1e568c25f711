"""Settings from the environment (and a ``.env`` file in the working directory)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv


def _ints(raw: str) -> frozenset[int]:
    return frozenset(int(x) for x in raw.replace(";", ",").split(",") if x.strip())


def _flag(raw: str | None) -> bool:
    return (raw or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    db_path: str = "classbot.db"
    bot_token: str = field(default="", repr=False)
    bot_api_url: str = ""
    bot_username: str = "classbot"
    webhook_url: str = ""
    webhook_secret: str = field(default="", repr=False)
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    admin_ids: frozenset[int] = frozenset()
    change_notice_minutes: float = 5.0
    """Schedule changes confirmed within this many minutes make one notice to members."""
    ack_reminder_minutes: float = 30.0
    """Minutes after an announcement that asks for confirmation before non-confirmers are
    reminded once."""
    announcements_per_hour: int = 20
    """How many announcements one person may send per hour (0: no cap)."""
    paid_broadcast: bool = False
    zalo_bot_token: str = field(default="", repr=False)
    zalo_api_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_secret: str = field(default="", repr=False)
    zalo_webhook_url: str = ""
    zalo_webhook_port: int = 8444
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
        """Read settings; a ``.env`` file fills in what the environment lacks."""
        if env is None:
            load_dotenv(dotenv or Path.cwd() / ".env", override=False)
            env = dict(os.environ)
        return cls(
            db_path=env.get("CLASSBOT_DB", "classbot.db"),
            bot_token=env.get("BOT_TOKEN", ""),
            bot_api_url=env.get("BOT_API_URL", ""),
            bot_username=env.get("BOT_USERNAME", "classbot").lstrip("@"),
            webhook_url=env.get("WEBHOOK_URL", ""),
            webhook_secret=env.get("WEBHOOK_SECRET", ""),
            webhook_listen=env.get("WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=int(env.get("WEBHOOK_PORT", "8443")),
            admin_ids=_ints(env.get("ADMIN_IDS", "")),
            change_notice_minutes=float(env.get("CHANGE_NOTICE_MINUTES", "5")),
            ack_reminder_minutes=float(env.get("ACK_REMINDER_MINUTES", "30")),
            announcements_per_hour=int(env.get("ANNOUNCEMENTS_PER_HOUR", "20")),
            paid_broadcast=_flag(env.get("PAID_BROADCAST")),
            zalo_bot_token=env.get("ZALO_BOT_TOKEN", ""),
            zalo_api_url=env.get("ZALO_API_URL", "https://bot-api.zaloplatforms.com"),
            zalo_webhook_secret=env.get("ZALO_WEBHOOK_SECRET", ""),
            zalo_webhook_url=env.get("ZALO_WEBHOOK_URL", ""),
            zalo_webhook_port=int(env.get("ZALO_WEBHOOK_PORT", "8444")),
            log_level=env.get("LOG_LEVEL", "INFO"),
        )
