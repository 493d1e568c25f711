"""The SQLite store: connection and migrations, and one query module per area."""

from bot.store.database import Database, parse_utc, utc_text

__all__ = ["Database", "parse_utc", "utc_text"]
