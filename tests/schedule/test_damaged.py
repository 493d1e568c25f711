"""No file can hurt a class: each damaged or hostile file is read correctly, or refused
with its sheet, row and column named in the reader's language, and nothing changes."""

from __future__ import annotations

import os
import time
import unicodedata

import pytest

from bot.replies import Reply
from bot.schedule import importer, worker
from bot.schedule import read as schedule_read
from bot.schedule.preview import PROBLEM_LINES, problems_reply
from bot.schedule.problems import Problem, ScheduleProblems
from bot.store import classes
from bot.store.database import Database
from bot.store.versions import list_versions
from tests.conftest import FakeClock
from tests.helpers import damaged
from tests.helpers.workbooks import make_xlsx, parts


async def _base(db: Database, clock: FakeClock) -> int:
    result = await importer.import_schedule(
        db, make_xlsx(), "base.xlsx", created_by="t", now=clock.now()
    )
    return result.cls.id


async def _refused(
    db: Database, clock: FakeClock, data: bytes, name: str = "x.xlsx"
) -> list[Problem]:
    """Import ``data`` into the base class: it must be refused and change nothing."""
    class_id = await _base(db, clock)
    before = len(await list_versions(db, class_id))
    with pytest.raises(ScheduleProblems) as refused:
        await importer.import_schedule(
            db, data, name, created_by="t", now=clock.now(), class_code="T-1"
        )
    assert len(await list_versions(db, class_id)) == before
    return list(refused.value.problems)


async def _read_as_base(db: Database, clock: FakeClock, data: bytes) -> importer.Preview:
    """``data`` must read as the base workbook does (no change at all)."""
    await _base(db, clock)
    found = await importer.preview(db, data, "x.xlsx")
    assert found.unchanged, found.diff
    return found


@pytest.mark.parametrize(
    "make", [damaged.stale_dimension, damaged.dimension_a1, damaged.dimension_whole_sheet]
)
async def test_the_real_cells_are_read_whatever_the_recorded_dimension(
    make,
    db: Database,
    clock: FakeClock,  # type: ignore[no-untyped-def]
) -> None:
    started = time.perf_counter()
    await _read_as_base(db, clock, make())
    assert time.perf_counter() - started < 30  # was 300 s for A1:XFD1048576


async def test_a_blank_rows_bomb_is_refused_without_reading_it_all(
    db: Database, clock: FakeClock
) -> None:
    found = await _refused(db, clock, damaged.blank_rows_bomb(200_000))
    assert found[0].sheet == "Sessions" and found[0].params["row"] == 5
    assert "empty rows" in found[0].text("en")


async def test_a_header_only_sessions_sheet_would_cancel_everything_and_is_refused(
    db: Database, clock: FakeClock
) -> None:
    found = await _refused(db, clock, damaged.header_only())
    assert found[0].params == {"n": 4, "code": "T-1"}
    assert "cancel all 4 sessions" in found[0].text("en")
    result = await importer.import_schedule(
        db, damaged.header_only(), "x.xlsx", created_by="t", now=clock.now(), cancel_all=True
    )
    assert result.schedule.sessions == () and len(result.diff.removed) == 4


async def test_a_hidden_row_is_not_imported_and_the_preview_says_so(
    db: Database, clock: FakeClock
) -> None:
    await _base(db, clock)
    found = await importer.preview(db, damaged.hidden_row(), "x.xlsx")
    assert [s.key for s in found.diff.removed] == ["t1"]
    assert [(n.sheet, n.params) for n in found.notes] == [("Sessions", {"rows": "3"})]
    assert found.notes[0].text("vi") != found.notes[0].text("en")


async def test_a_hidden_old_sheet_placed_first_is_never_used(
    db: Database, clock: FakeClock
) -> None:
    found = await _read_as_base(db, clock, damaged.hidden_old_sheet_first())
    assert [n.sheet for n in found.notes] == ["Sessions (old)"]


async def test_a_hidden_sessions_sheet_is_named_not_used(db: Database, clock: FakeClock) -> None:
    found = await _refused(db, clock, damaged.only_sessions_sheet_hidden())
    assert found[0].sheet == "Sessions" and "hidden" in found[0].text("en")


async def test_a_second_sessions_sheet_is_refused_naming_both(
    db: Database, clock: FakeClock
) -> None:
    found = await _refused(db, clock, damaged.second_sessions_sheet())
    assert found[0].params == {"first": "Sessions", "second": "Lịch học"}


async def test_two_columns_for_one_field_are_refused_with_both_columns(
    db: Database, clock: FakeClock
) -> None:
    found = await _refused(db, clock, damaged.duplicate_columns())
    assert found[0].sheet == "Sessions" and found[0].row == 1
    assert found[0].params["first"] == "B (Date)" and found[0].params["second"].endswith("(Ngày)")


async def test_merged_cells_are_filled_down_or_explained(db: Database, clock: FakeClock) -> None:
    await _read_as_base(db, clock, damaged.merged_date_down())
    found = await _refused(db, clock, damaged.merged_across_required())
    assert found[0].row == 3 and found[0].column == "D (End)"
    assert "merged cells C3:D3" in found[0].text("en")


async def test_nfd_and_zero_width_text_is_the_same_text(db: Database, clock: FakeClock) -> None:
    cls, topics, sessions = parts()
    cls["Code"] = "T-\u200b1"
    for row in sessions:
        row["Title (vi)"] = unicodedata.normalize("NFD", row["Title (vi)"]) + "\u200b"
    sessions[0]["Title (lo)"] = "ພິທີເປີດ" + "ການຝຶກອົບຮົມ".replace("\u0eb3", "\u0ecd\u0eb2")
    await _base(db, clock)
    first = await importer.preview(db, make_xlsx(cls, topics, sessions), "nfd.xlsx")
    assert first.schedule.cls.code == "T-1" and not first.diff.moved
    assert [c.fields for c in first.diff.changed] == [("title",)]  # only the Lao text was new
    title = first.schedule.sessions[0].title["vi"]
    assert title == unicodedata.normalize("NFC", title) and "\u200b" not in title
    assert len(await classes.list_classes(db)) == 1


@pytest.mark.parametrize(
    ("where", "column", "value"),
    [
        ("session", "Topic", 10**20),
        ("session", "Topic", -2),
        ("topic", "Number", 10**20),
        ("class", "Departure reminder (minutes)", 10**20),
        ("class", "Departure reminder (minutes)", -30),
    ],
)
async def test_numbers_out_of_range_are_refused_not_stored(
    where: str, column: str, value: int, db: Database, clock: FakeClock
) -> None:
    cls, topics, sessions = parts()
    if where == "session":
        sessions[1][column] = value
    elif where == "topic":
        topics[0][column] = value
    else:
        cls[column] = value
    found = await _refused(db, clock, make_xlsx(cls, topics, sessions))
    assert any(p.message.startswith('"{value}" is out of range') for p in found)
    assert all(p.sheet for p in found)


@pytest.mark.parametrize("last", ["0001-01-01", "9999-12-31", "26/07/2204"])
async def test_years_far_from_now_are_refused(last: str, db: Database, clock: FakeClock) -> None:
    cls, topics, sessions = parts()
    cls["Last day"] = last
    found = await _refused(db, clock, make_xlsx(cls, topics, sessions))
    assert found[0].sheet == "Class" and found[0].row == 6


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Departure", "17:30", "The departure ({departure}) is not before the visit ends ({end})."),
        ("Return", "13:00", "The return ({back}) is not after the visit starts ({start})."),
    ],
)
async def test_departure_and_return_must_fit_the_visit(
    column: str, value: str, message: str, db: Database, clock: FakeClock
) -> None:
    cls, topics, sessions = parts()
    sessions[2][column] = value
    found = await _refused(db, clock, make_xlsx(cls, topics, sessions))
    assert [p.message for p in found] == [message] and found[0].row == 4


@pytest.mark.parametrize("zone", ["localtime", "Factory", "Etc/GMT+7", "posixrules"])
async def test_time_zones_must_be_a_place(zone: str, db: Database, clock: FakeClock) -> None:
    cls, topics, sessions = parts()
    cls["Time zone"] = zone
    found = await _refused(db, clock, make_xlsx(cls, topics, sessions))
    assert found[0].message.startswith("Unknown time zone") and found[0].row == 4


async def test_trailing_text_after_a_date_is_not_a_date(db: Database, clock: FakeClock) -> None:
    cls, topics, sessions = parts()
    sessions[2]["Date"] = "2024-07-16 hoãn"
    found = await _refused(db, clock, make_xlsx(cls, topics, sessions))
    assert found[0].row == 4 and found[0].column == "B (Date)"


async def test_a_nul_byte_is_refused_in_csv_and_text(db: Database, clock: FakeClock) -> None:
    csv = "# code: T-1\r\nID,Date,Start,End,Kind,Title (vi)\r\n"
    csv += "t\x001,16/07/2024,8:00,9:00,lecture,A\r\n"
    found = await _refused(db, clock, csv.encode(), "s.csv")
    assert found[0].row == 3 and "U+0000" in found[0].text("en")


async def test_a_huge_csv_field_names_its_row(db: Database, clock: FakeClock) -> None:
    body = "# code: T-1\r\nID,Date,Start,End,Kind,Title (vi)\r\n"
    body += 'a,16/07/2024,8:00,9:00,lecture,"' + "x" * 200_000 + '"\r\n'
    found = await _refused(db, clock, body.encode(), "s.csv")
    assert found[0].row == 3 and "field limit" not in found[0].text("vi")
    assert found[0].text("vi") != found[0].text("en")


@pytest.mark.parametrize(
    ("make", "word"), [(damaged.encrypted, "password"), (damaged.old_xls, ".xls")]
)
async def test_an_encrypted_workbook_is_called_so(
    make,
    word: str,
    db: Database,
    clock: FakeClock,  # type: ignore[no-untyped-def]
) -> None:
    found = await _refused(db, clock, make())
    assert word in found[0].text("en")


def test_the_problem_list_is_capped_and_sent_whole_as_a_file() -> None:
    many = ScheduleProblems(
        Problem("This value is required.", {}, "Sessions", row, "C (Start)") for row in range(500)
    )
    reply: Reply = problems_reply(many, "vi")
    lines = reply.blocks[1].lines
    assert len(lines) == PROBLEM_LINES + 1 and "470" in lines[-1]
    assert reply.document is not None
    assert reply.document.content.decode().count("\n") == 500


async def test_parsing_runs_in_a_worker_process_bounded_in_time(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await importer.preview(db, make_xlsx(), "x.xlsx")
    pool = worker._pool
    assert pool is not None
    pids = [p.pid for p in pool._processes.values()]  # type: ignore[attr-defined]
    assert pids and os.getpid() not in pids
    monkeypatch.setattr(worker, "TIME_LIMIT", 0.0)
    with pytest.raises(ScheduleProblems) as refused:
        await importer.preview(db, make_xlsx(), "x.xlsx")
    assert refused.value.problems[0].message.startswith("Reading the file took too long")
    assert worker._pool is not pool  # the stuck worker was killed; the next file gets a new one
    monkeypatch.undo()
    assert (await importer.preview(db, make_xlsx(), "x.xlsx")).unchanged is False


async def test_reading_is_bounded_in_time_in_a_thread_too(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "_use_threads", True)
    monkeypatch.setattr(schedule_read, "MAX_SECONDS", -1.0)
    cls, topics, sessions = parts()
    sessions = [dict(sessions[1], ID=f"s{i}") for i in range(600)]
    found = await _refused(db, clock, make_xlsx(cls, topics, sessions))
    assert found[0].message.startswith("Reading the file took too long")
