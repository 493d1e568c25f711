"""Versions, exports and the blank template, with their role checks."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from bot.clock import FakeClock
from bot.people.permissions import Forbidden
from bot.schedule import exports
from bot.store.database import Database
from bot.store.versions import save_version
from tests.helpers.sample import Seeded, revised, seed

T = dt.time


@pytest.fixture
async def world(db: Database, clock: FakeClock) -> Seeded:
    return await seed(db, clock.now())


async def test_versions_mark_the_live_one(db: Database, clock: FakeClock, world: Seeded) -> None:
    cls, _ = await save_version(
        db,
        revised(s4=T(9, 0)),
        created_by="Lan",
        source_hash="v2",
        now=clock.now(),
        source_name="lich-v2.xlsx",
    )
    reply = await exports.versions_view(db, world.admin, cls, "en")
    newest, oldest = reply.blocks[0].lines
    assert newest.startswith("v2 ·") and "Lan · lich-v2.xlsx · 5 sessions (live)" in newest
    assert oldest.startswith("v1 ·") and "(live)" not in oldest
    with pytest.raises(Forbidden):
        await exports.versions_view(db, world.manager, cls, "en")


async def test_export_in_three_formats(db: Database, clock: FakeClock, world: Seeded) -> None:
    picker = await exports.export_picker(db, world.manager, world.cls, "en")
    assert [b.action for b in picker.buttons[0]] == [
        f"exp:{world.cls.id}:xlsx",
        f"exp:{world.cls.id}:csv",
        f"exp:{world.cls.id}:ics",
    ]
    xlsx = await exports.export(db, world.manager, world.cls, "xlsx", "en")
    assert xlsx.document is not None and xlsx.document.filename == "VTE-HN-2024.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(xlsx.document.content))
    assert len(book.sheetnames) >= 3
    csv = await exports.export(db, world.manager, world.cls, "csv", "en")
    assert csv.document is not None and "Chuyên đề 2".encode() in csv.document.content
    ics = await exports.export(db, world.manager, world.cls, "ics", "en")
    assert ics.document is not None and ics.document.content.count(b"BEGIN:VEVENT") == 5
    with pytest.raises(Forbidden):
        await exports.export(db, world.trainee, world.cls, "csv", "en")


def test_template_is_the_blank_workbook_with_instructions_in_the_language() -> None:
    reply = exports.template_reply("lo")
    assert reply.document is not None and reply.document.filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(reply.document.content))
    assert len(book.sheetnames) >= 3
    assert reply.blocks[0].title and "ຕາຕະລາງ" in reply.blocks[0].title
