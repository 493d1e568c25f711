"""How well trainees are understood: the corpus in tests/agenda/corpus, replayed per language.

Imports both sample classes into a fresh SQLite file, asks every corpus message through
:func:`bot.agenda.assistant.understand` (the one parser every channel uses) at the
corpus's fixed moment, compares the intent with the expected one, and has the assistant
answer it (an answer that fails counts as a miss). Prints the pass rate per language and
the misses.

    .venv/bin/python -m benchmarks.understanding [--quiet]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.agenda import assistant
from bot.agenda.intents import Intent, IntentKind
from bot.domain import TrainingClass
from bot.schedule import importer
from bot.store import Database

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "agenda" / "corpus"
SCHEDULES = ROOT / "schedules"
LANGS = ("vi", "lo", "en")

CLASSES = {
    "A": ("vientiane-hanoi-2024.toml", dt.datetime(2024, 7, 17, 7, 30)),
    "B": ("hanoi-guangzhou-2025.toml", dt.datetime(2025, 9, 20, 7, 30)),
}
"""Corpus class letter → sample schedule and the moment the questions are asked (local time)."""

DAY_LIKE = frozenset(
    {
        IntentKind.TODAY,
        IntentKind.DAY,
        IntentKind.WEEK,
        IntentKind.START,
        IntentKind.LECTURERS,
        IntentKind.WHERE,
    }
)
"""Answers about a day, where no day means today."""


@dataclass(frozen=True, slots=True)
class Case:
    lang: str
    cls: str
    text: str
    expected: str
    line: int
    source: str = "corpus"


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    got: str
    ok: bool


def corpus_files(lang: str, round_name: str | None = None) -> list[Path]:
    """The files of one language: the main corpus and every later round, or one round only."""
    if round_name is not None:
        return [CORPUS / "rounds" / round_name / f"{lang}.tsv"]
    return [CORPUS / f"{lang}.tsv", *sorted((CORPUS / "rounds").glob(f"*/{lang}.tsv"))]


def load(lang: str, round_name: str | None = None) -> list[Case]:
    """The corpus of one language (or of one round of it)."""
    cases: list[Case] = []
    for path in corpus_files(lang, round_name):
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            cls, text, expected = raw.split("\t")
            cases.append(Case(lang, cls, text, expected, number, path.parent.name))
    return cases


async def routed(db: Database, cls: TrainingClass, text: str) -> str | None:
    """What answers ``text`` before the parser, in the channels' order, in corpus notation.

    Attendance and evaluation words (issue 17), then the pocket (issue 18: card, contacts,
    materials, roster, picture); None when the message reaches the parser.
    """
    from bot.attendance.commands import PLAIN_WORDS
    from bot.evaluation.commands import EVALUATION_WORDS
    from bot.pocket.ask import understand as pocket_understand

    if PLAIN_WORDS.match(text):
        return "attendance"
    if EVALUATION_WORDS.match(text):
        return "evaluation"
    pocket = await pocket_understand(db, cls, text)
    if pocket is None:
        return None
    parts = ["pocket", pocket.ask.value]
    if pocket.focus is not None:
        parts.append(f"focus={pocket.focus}")
    if pocket.number is not None:
        parts.append(f"topic={pocket.number}")
    return " ".join(parts)


ROUTED = ("attendance", "evaluation", "pocket")
"""Expected answers that come from before the parser."""


def describe(intent: Intent | None, today: dt.date) -> str:
    """An intent in the corpus's notation, with today and tomorrow written as days."""
    if intent is None:
        return "none"
    kind, day = intent.kind, intent.day
    if kind is IntentKind.TOMORROW:
        kind, day = IntentKind.DAY, today + dt.timedelta(days=1)
    if kind is IntentKind.TODAY:
        kind = IntentKind.DAY
    if kind in DAY_LIKE and day is None:
        day = today
    if kind is IntentKind.WEEK and day is not None:
        day = day - dt.timedelta(days=day.weekday())
    parts = [kind.value]
    if day is not None:
        parts.append(f"day={day.isoformat()}")
    if intent.session is not None:
        parts.append(f"session={intent.session}")
    if intent.number is not None:
        parts.append(f"{'topic' if kind is IntentKind.TOPIC else 'number'}={intent.number}")
    if intent.lang is not None:
        parts.append(f"lang={intent.lang}")
    return " ".join(parts)


def expected_intent(expected: str) -> Intent:
    """The corpus's notation as an intent."""
    kind_text, *fields = expected.split()
    values = dict(f.split("=", 1) for f in fields)
    number = values.get("topic") or values.get("number")
    return Intent(
        IntentKind(kind_text),
        day=dt.date.fromisoformat(values["day"]) if "day" in values else None,
        number=int(number) if number else None,
        session=values.get("session"),
        lang=values.get("lang"),
    )


async def _classes(db: Database) -> dict[str, tuple[TrainingClass, dt.datetime]]:
    found: dict[str, tuple[TrainingClass, dt.datetime]] = {}
    for letter, (name, local) in CLASSES.items():
        result = await importer.import_path(
            db, SCHEDULES / name, created_by="benchmark", now=dt.datetime.now(dt.UTC)
        )
        cls = result.cls
        found[letter] = (cls, local.replace(tzinfo=cls.tz).astimezone(dt.UTC))
    return found


async def evaluate(
    langs: tuple[str, ...] = LANGS, round_name: str | None = None
) -> dict[str, list[Outcome]]:
    """Every corpus message of ``langs`` asked and answered; the outcome of each."""
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "understanding.db")
        try:
            sample = await _classes(db)
            results: dict[str, list[Outcome]] = {}
            for lang in langs:
                outcomes: list[Outcome] = []
                for case in load(lang, round_name):
                    cls, now = sample[case.cls]
                    today = cls.local_now(now).date()
                    before = await routed(db, cls, case.text)
                    if before is not None or case.expected.split()[0] in ROUTED:
                        got = before or "parser"
                        outcomes.append(Outcome(case, got, got == case.expected))
                        continue
                    intent = await assistant.understand(db, cls, case.text, now)
                    got = describe(intent, today)
                    want = describe(expected_intent(case.expected), today)
                    ok = got == want
                    if ok and intent is not None and intent.kind not in assistant.CHANNEL_KINDS:
                        try:
                            replies = await assistant.answer(db, cls, intent, lang=lang, now=now)
                            ok = bool(replies) and all(r.plain() for r in replies)
                        except Exception as exc:  # a crash is a wrong answer, and shown
                            got = f"{got} (answer failed: {exc!r})"
                            ok = False
                    outcomes.append(Outcome(case, got, ok))
                results[lang] = outcomes
            return results
        finally:
            await db.close()


def rates(results: dict[str, list[Outcome]]) -> dict[str, float]:
    """The share of each language's messages answered right."""
    return {
        lang: sum(o.ok for o in outcomes) / len(outcomes) if outcomes else 0.0
        for lang, outcomes in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quiet", action="store_true", help="the rates only, not the misses")
    parser.add_argument(
        "--round", metavar="NAME", help="one round only (tests/agenda/corpus/rounds/NAME)"
    )
    args = parser.parse_args()
    results = asyncio.run(evaluate(round_name=args.round))
    if not args.quiet:
        for outcomes in results.values():
            for o in outcomes:
                if not o.ok:
                    c = o.case
                    where = f"{c.source}/{c.lang}:{c.line} [{c.cls}] {c.text!r}"
                    print(f"MISS {where}: want {c.expected}, got {o.got}")
    total = sum(len(o) for o in results.values())
    passed = sum(o.ok for outcomes in results.values() for o in outcomes)
    for lang, rate in rates(results).items():
        count = len(results[lang])
        ok = sum(o.ok for o in results[lang])
        print(f"pass rate {lang}: {rate:.1%} ({ok}/{count})")
    print(f"pass rate all: {passed / total:.1%} ({passed}/{total})")


if __name__ == "__main__":
    main()
