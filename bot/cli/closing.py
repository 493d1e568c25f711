"""``classbot closing CODE``: write a class's closing pack (XLSX) to a file.

The same workbook as ``/closing`` in the chat (:func:`bot.evaluation.closing.build`),
in the class's language with ``--second-lang`` headings; the run is audited.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.clock import SystemClock
from bot.domain import LANGS
from bot.evaluation import closing
from bot.store import audit, classes
from bot.store.database import Database


async def _write(args: argparse.Namespace) -> int:
    db = await Database.open(args.db)
    try:
        cls = await classes.get_class_by_code(db, args.cls)
        if cls is None:
            print(f"no class {args.cls}", file=sys.stderr)
            return 1
        now = SystemClock().now()
        data = await closing.build(db, cls, now, cls.default_lang, args.second_lang)
        target = Path(args.out or f"closing-{cls.code}.xlsx")
        await asyncio.to_thread(target.write_bytes, data)
        await audit.record(
            db,
            action="closing.pack",
            actor="command line",
            class_id=cls.id,
            now=now,
            details={"file": str(target)},
        )
        print(f"{target} ({len(data)} bytes)")
        return 0
    finally:
        await db.close()


def cmd_closing(args: argparse.Namespace) -> int:
    return asyncio.run(_write(args))


def add_command(sub: Any) -> None:
    """Register ``closing`` on the main parser's subparsers."""
    p = sub.add_parser("closing", help="write a class's closing pack (attendance, ratings, ...)")
    p.add_argument("cls", metavar="CLASS", help="class code")
    p.add_argument("-o", "--out", help="output file; default closing-CLASS.xlsx")
    p.add_argument("--second-lang", choices=LANGS, help="also head the sheets in this language")
    p.set_defaults(handler=cmd_closing)
