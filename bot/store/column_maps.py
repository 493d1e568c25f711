"""Column mappings organisers chose for their programmes, remembered per class (issue 12).

When the bot cannot tell which column of an organiser's programme holds what,
the organiser shows it with buttons; each answer is kept as "this header's
text (folded) means this field" for the class, so its next upload is read
without asking again.
"""

from __future__ import annotations

import datetime as dt

from bot.store.database import Database, utc_text


async def headers_for(db: Database, class_id: int) -> dict[str, str]:
    """Folded header text → field name, as chosen for the class."""
    rows = await db.fetchall(
        "SELECT header, field FROM column_maps WHERE class_id = ? ORDER BY header", (class_id,)
    )
    return {row["header"]: row["field"] for row in rows}


async def remember(db: Database, class_id: int, pairs: dict[str, str], now: dt.datetime) -> None:
    """Keep (or replace) the meaning of each header for the class, in one transaction."""
    async with db.transaction() as conn:
        for header, field in pairs.items():
            await conn.execute(
                "INSERT INTO column_maps (class_id, header, field, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (class_id, header) "
                "DO UPDATE SET field = excluded.field, updated_at = excluded.updated_at",
                (class_id, header, field, utc_text(now)),
            )
