"""The class's contacts (hotlines, managers' phones, hospital, embassy) and per-session extras."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.store.database import Database


@dataclass(frozen=True, slots=True)
class Contact:
    """One line of the contacts card: what it is (a field name), a label, a number or address."""

    kind: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class SessionExtra:
    """What the workbook adds to a session: its interpreter and material links."""

    session_key: str
    interpreter: str = ""
    interpret_into: str | None = None
    lecture_lang: str | None = None
    links: tuple[str, ...] = field(default_factory=tuple)


async def contacts(db: Database, class_id: int) -> list[Contact]:
    row = await db.fetchone("SELECT data FROM class_contacts WHERE class_id = ?", (class_id,))
    if row is None:
        return []
    return [Contact(*item) for item in json.loads(row["data"])]


async def session_extras(db: Database, class_id: int) -> dict[str, SessionExtra]:
    """The class's session extras by session key."""
    rows = await db.fetchall(
        "SELECT session_key, interpreter, interpret_into, lecture_lang, links "
        "FROM session_extras WHERE class_id = ?",
        (class_id,),
    )
    return {
        r["session_key"]: SessionExtra(
            r["session_key"],
            r["interpreter"],
            r["interpret_into"],
            r["lecture_lang"],
            tuple(json.loads(r["links"])),
        )
        for r in rows
    }


async def replace(
    db: Database,
    class_id: int,
    found: list[Contact] | None,
    extras: list[SessionExtra] | None,
) -> None:
    """The workbook's contacts and session extras replace the class's (one transaction).

    ``None`` keeps what the class has (a workbook without a class sheet or without a
    sessions sheet, such as an organiser's own programme, says nothing about them).
    """
    async with db.transaction() as conn:
        if found is not None:
            data = json.dumps([[c.kind, c.label, c.value] for c in found], ensure_ascii=False)
            await conn.execute(
                "INSERT INTO class_contacts (class_id, data) VALUES (?, ?) "
                "ON CONFLICT (class_id) DO UPDATE SET data = excluded.data",
                (class_id, data),
            )
        if extras is None:
            return
        await conn.execute("DELETE FROM session_extras WHERE class_id = ?", (class_id,))
        await conn.executemany(
            "INSERT INTO session_extras (class_id, session_key, interpreter, interpret_into, "
            "lecture_lang, links) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    class_id,
                    e.session_key,
                    e.interpreter,
                    e.interpret_into,
                    e.lecture_lang,
                    json.dumps(list(e.links)),
                )
                for e in extras
            ],
        )
