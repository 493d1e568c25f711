"""Lecture ratings, the evaluation form and its answers, results, and staged sheet uploads.

Ratings and answers are read back for managers without person ids
(:func:`rating_rows`, :func:`answer_rows`): anonymity starts at the query.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import Localized, localized
from bot.store.database import Database, parse_utc, utc_text


class Grade(StrEnum):
    """A trainee's result in the class."""

    EXCELLENT = "excellent"
    GOOD = "good"
    PASS = "pass"  # noqa: S105 (a grade, not a password)
    NOT_COMPLETED = "not_completed"


@dataclass(frozen=True, slots=True)
class Rating:
    stars: int
    comment: str


@dataclass(frozen=True, slots=True)
class RatingRow:
    """One anonymous rating of one session."""

    session_key: str
    day: dt.date
    stars: int
    comment: str


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the evaluation form: a 1–5 scale or free text."""

    number: int
    kind: str
    text: Localized


@dataclass(frozen=True, slots=True)
class Answer:
    number: int
    score: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Result:
    person_id: int
    grade: Grade
    commended: bool
    reason: str


@dataclass(frozen=True, slots=True)
class PendingSheet:
    id: int
    kind: str
    class_id: int
    person_id: int
    filename: str
    data: bytes
    state: str
    expires_at: dt.datetime


# Ratings ------------------------------------------------------------------------------


async def rate(
    db: Database,
    class_id: int,
    key: str,
    day: dt.date,
    person_id: int,
    stars: int,
    now: dt.datetime,
) -> int | None:
    """Set the person's stars for a session; the stars it had before (None: first rating)."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            "SELECT stars FROM lecture_ratings WHERE class_id = ? AND session_key = ? AND day = ? "
            "AND person_id = ?",
            (class_id, key, day.isoformat(), person_id),
        )
        before = next((int(r[0]) for r in rows), None)
        if before != stars:
            await conn.execute(
                "INSERT INTO lecture_ratings (class_id, session_key, day, person_id, stars, at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (class_id, session_key, day, person_id) "
                "DO UPDATE SET stars = excluded.stars, at = excluded.at",
                (class_id, key, day.isoformat(), person_id, stars, utc_text(now)),
            )
    return before


async def comment(
    db: Database, class_id: int, key: str, day: dt.date, person_id: int, text: str
) -> bool:
    """Attach a comment to the person's rating; False if they have not rated the session."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE lecture_ratings SET comment = ? WHERE class_id = ? AND session_key = ? "
            "AND day = ? AND person_id = ?",
            (text, class_id, key, day.isoformat(), person_id),
        )
        return cur.rowcount > 0


async def rating_of(
    db: Database, class_id: int, key: str, day: dt.date, person_id: int
) -> Rating | None:
    row = await db.fetchone(
        "SELECT stars, comment FROM lecture_ratings WHERE class_id = ? AND session_key = ? "
        "AND day = ? AND person_id = ?",
        (class_id, key, day.isoformat(), person_id),
    )
    return Rating(int(row[0]), row[1]) if row else None


async def rating_rows(db: Database, class_id: int) -> list[RatingRow]:
    """Every rating of the class, without who gave it, comments in no person's order."""
    rows = await db.fetchall(
        "SELECT session_key, day, stars, comment FROM lecture_ratings WHERE class_id = ? "
        "ORDER BY day, session_key, comment",
        (class_id,),
    )
    return [RatingRow(r[0], dt.date.fromisoformat(r[1]), int(r[2]), r[3]) for r in rows]


# The evaluation form --------------------------------------------------------------------


async def questions(db: Database, class_id: int) -> list[Question]:
    """The organiser's own questions (empty: the default form applies)."""
    rows = await db.fetchall(
        "SELECT number, kind, text FROM evaluation_questions WHERE class_id = ? ORDER BY number",
        (class_id,),
    )
    return [Question(r[0], r[1], localized(json.loads(r[2]))) for r in rows]


async def replace_questions(db: Database, class_id: int, items: list[Question]) -> None:
    """The class's questions become ``items``; answers to the old form are dropped."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM evaluation_questions WHERE class_id = ?", (class_id,))
        await conn.execute("DELETE FROM evaluation_answers WHERE class_id = ?", (class_id,))
        await conn.executemany(
            "INSERT INTO evaluation_questions (class_id, number, kind, text) VALUES (?, ?, ?, ?)",
            [
                (class_id, q.number, q.kind, json.dumps(dict(q.text), ensure_ascii=False))
                for q in items
            ],
        )


async def answer(
    db: Database,
    class_id: int,
    person_id: int,
    number: int,
    score: int | None,
    text: str,
    now: dt.datetime,
) -> None:
    await db.execute(
        "INSERT INTO evaluation_answers (class_id, person_id, number, score, text, at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (class_id, person_id, number) DO UPDATE SET "
        "score = excluded.score, text = excluded.text, at = excluded.at",
        (class_id, person_id, number, score, text, utc_text(now)),
    )


async def answers_of(db: Database, class_id: int, person_id: int) -> dict[int, Answer]:
    rows = await db.fetchall(
        "SELECT number, score, text FROM evaluation_answers WHERE class_id = ? AND person_id = ?",
        (class_id, person_id),
    )
    return {r[0]: Answer(r[0], r[1], r[2]) for r in rows}


async def answered_counts(db: Database, class_id: int) -> dict[int, int]:
    """How many questions each person has answered (who, never what)."""
    rows = await db.fetchall(
        "SELECT person_id, COUNT(*) FROM evaluation_answers WHERE class_id = ? GROUP BY person_id",
        (class_id,),
    )
    return {r[0]: int(r[1]) for r in rows}


async def answer_rows(db: Database, class_id: int) -> dict[int, list[Answer]]:
    """Every answer by question number, without who gave it."""
    rows = await db.fetchall(
        "SELECT number, score, text FROM evaluation_answers WHERE class_id = ? "
        "ORDER BY number, text",
        (class_id,),
    )
    found: dict[int, list[Answer]] = defaultdict(list)
    for r in rows:
        found[r[0]].append(Answer(r[0], r[1], r[2]))
    return found


# Results ----------------------------------------------------------------------------------


async def replace_results(
    db: Database, class_id: int, items: list[Result], now: dt.datetime
) -> None:
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM class_results WHERE class_id = ?", (class_id,))
        await conn.executemany(
            "INSERT INTO class_results (class_id, person_id, grade, commended, reason, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (class_id, r.person_id, r.grade.value, int(r.commended), r.reason, utc_text(now))
                for r in items
            ],
        )


async def result_of(db: Database, class_id: int, person_id: int) -> Result | None:
    row = await db.fetchone(
        "SELECT person_id, grade, commended, reason FROM class_results "
        "WHERE class_id = ? AND person_id = ?",
        (class_id, person_id),
    )
    return Result(row[0], Grade(row[1]), bool(row[2]), row[3]) if row else None


async def results(db: Database, class_id: int) -> dict[int, Result]:
    rows = await db.fetchall(
        "SELECT person_id, grade, commended, reason FROM class_results WHERE class_id = ?",
        (class_id,),
    )
    return {r[0]: Result(r[0], Grade(r[1]), bool(r[2]), r[3]) for r in rows}


# Staged sheets --------------------------------------------------------------------------


async def stage_sheet(
    db: Database,
    kind: str,
    class_id: int,
    person_id: int,
    filename: str,
    data: bytes,
    now: dt.datetime,
    expires_at: dt.datetime,
) -> int:
    """Store an uploaded sheet awaiting Confirm; an earlier one of the same kind is cancelled."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE pending_sheets SET state = 'cancelled' WHERE class_id = ? AND kind = ? "
            "AND state = 'pending'",
            (class_id, kind),
        )
        cur = await conn.execute(
            "INSERT INTO pending_sheets (kind, class_id, person_id, filename, data, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, class_id, person_id, filename, data, utc_text(now), utc_text(expires_at)),
        )
        return cur.lastrowid or 0


async def pending_sheet(db: Database, sheet_id: int) -> PendingSheet | None:
    row = await db.fetchone(
        "SELECT id, kind, class_id, person_id, filename, data, state, expires_at "
        "FROM pending_sheets WHERE id = ?",
        (sheet_id,),
    )
    if row is None:
        return None
    return PendingSheet(
        row[0], row[1], row[2], row[3], row[4], bytes(row[5]), row[6], parse_utc(row[7])
    )


async def close_sheet(db: Database, sheet_id: int, state: str) -> bool:
    """Move a pending sheet to ``state``; False if it was no longer pending (a double tap)."""
    async with db.transaction() as conn:
        cur = await conn.execute(
            "UPDATE pending_sheets SET state = ? WHERE id = ? AND state = 'pending'",
            (state, sheet_id),
        )
        return cur.rowcount > 0
