"""The closing pack: sheets, print setup, counts, anonymity, formulas neutralised."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from bot.clock import FakeClock
from bot.evaluation import closing, commands
from bot.people.permissions import Forbidden
from bot.store import attendance as attendance_store
from bot.store import evaluation as store
from bot.store import people
from bot.store.attendance import Status
from bot.store.database import Database
from bot.store.evaluation import Grade, Result
from tests.helpers.sample import Seeded

DAY1, DAY2 = dt.date(2024, 7, 15), dt.date(2024, 7, 16)
AFTER = dt.datetime(2024, 7, 17, 10, 0, tzinfo=dt.UTC)


async def fill(db: Database, seeded: Seeded) -> None:
    await people.set_active_class(db, seeded.trainee.id, seeded.cls.id)
    t = seeded.trainee.id
    await attendance_store.sign_in(db, seeded.cls.id, "s2", DAY1, t, AFTER)
    await attendance_store.mark(
        db,
        seeded.cls.id,
        "s4",
        DAY2,
        t,
        Status.EXCUSED,
        '=HYPERLINK("x")',
        AFTER,
        seeded.manager.id,
    )
    await store.rate(db, seeded.cls.id, "s2", DAY1, t, 4, AFTER)
    await store.comment(db, seeded.cls.id, "s2", DAY1, t, "@admin +1 -2")
    await store.answer(db, seeded.cls.id, t, 1, 5, "", AFTER)
    await store.answer(db, seeded.cls.id, t, 6, None, "=1+1", AFTER)
    await store.replace_results(
        db, seeded.cls.id, [Result(t, Grade.EXCELLENT, True, "Dẫn đầu")], AFTER
    )


async def test_the_pack(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    await fill(db, seeded)
    data = await closing.build(db, seeded.cls, AFTER, "vi", "lo")
    book = load_workbook(io.BytesIO(data))
    names = book.sheetnames
    assert names[1:3] == ["15-07", "16-07"]
    assert len(names) == 6
    day = book["15-07"]
    assert day.print_title_rows in ("$5:$5", "5:5")
    assert day.page_setup.fitToWidth == 1 and day.sheet_properties.pageSetUpPr.fitToPage
    header = [c.value for c in day[5]]
    assert header[0].startswith("STT") and "/" in header[1]  # Vietnamese / Lao
    assert header[-1].startswith("Chữ ký")
    assert [c.value for c in day[6]][:2] == [1, "Somphone"]
    assert day.cell(row=6, column=3).value.startswith("có mặt")
    second = book["16-07"]
    assert second.cell(row=6, column=3).value.startswith("có phép")
    summary = book[names[0]]
    row = [c.value for c in summary[6]]
    assert row[:6] == [1, "Somphone", 1, 1, 0, "50%"]
    whole = [c.value for c in summary[7]]
    assert whole[1].startswith("Toàn lớp") and whole[2:6] == [1, 1, 0, "50%"]
    totals = [[c.value for c in line] for line in day.iter_rows(min_row=7, max_row=9)]
    assert [t[1].split(" / ")[0] for t in totals] == ["Có mặt", "Có phép", "Vắng"]
    assert [t[2] for t in totals] == ["1/1", "0/1", "0/1"]
    # Formula-looking text stays text.
    everything = [
        c
        for ws in book.worksheets
        for line in ws.iter_rows()
        for c in line
        if isinstance(c.value, str) and c.value[:1] in "=+-@"
    ]
    assert {c.value for c in everything} >= {"@admin +1 -2", "=1+1"}
    assert all(c.data_type == "s" for c in everything)
    flat = " ".join(
        str(c.value) for ws in book.worksheets[3:5] for line in ws.iter_rows() for c in line
    )
    assert "Somphone" not in flat  # ratings and evaluation are anonymous


async def test_closing_through_the_command(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    clock.set(AFTER)
    out = await commands.run(db, seeded.manager, seeded.cls, "closing", clock.now(), "vi")
    doc = out.replies[0].document
    assert doc is not None and doc.filename == "closing-VTE-HN-2024.xlsx"
    assert load_workbook(io.BytesIO(doc.content)).sheetnames
    refused = await commands.run(db, seeded.trainee, seeded.cls, "closing", clock.now(), "en")
    assert refused.replies[0].document is None
    with pytest.raises(Forbidden):
        await closing.closing_pack(db, seeded.trainee, seeded.cls, clock.now(), "en")
