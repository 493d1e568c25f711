"""`classbot closing CODE` writes the closing pack and audits it."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from bot.cli import main as cli
from bot.store import Database, audit
from tests.helpers.sample import seed


def test_closing_writes_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "c.db"

    async def make() -> None:
        db = await Database.open(path)
        try:
            await seed(db, dt.datetime(2024, 7, 1, tzinfo=dt.UTC))
        finally:
            await db.close()

    asyncio.run(make())
    out = tmp_path / "pack.xlsx"
    argv = ["--db", str(path), "closing", "VTE-HN-2024", "-o", str(out), "--second-lang", "vi"]
    assert cli.main(argv) == 0
    book = load_workbook(out)
    assert "15-07" in book.sheetnames
    assert "/" in str(book["15-07"].cell(row=5, column=2).value)  # Lao / Vietnamese headings
    assert cli.main(["--db", str(path), "closing", "NOPE"]) == 1

    async def entries() -> list[str]:
        db = await Database.open(path)
        try:
            return [e.action for e in await audit.entries(db)]
        finally:
            await db.close()

    assert "closing.pack" in asyncio.run(entries())
