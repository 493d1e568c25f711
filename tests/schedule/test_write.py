"""Writing schedules: every format reads back to the same schedule; the template; the samples."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bot.domain import Schedule
from bot.schedule.check import build_schedule
from bot.schedule.importer import SAMPLES, sample_path
from bot.schedule.problems import ScheduleProblems
from bot.schedule.read import read_file
from bot.schedule.write import (
    SHEET_INSTRUCTIONS,
    SHEET_SESSIONS,
    header,
    template_xlsx,
    to_csv,
    to_text,
    to_xlsx,
)
from tests.helpers.sample import guangzhou_schedule, vientiane_schedule


def _sample(name: str) -> Schedule:
    return build_schedule(read_file(sample_path(name).read_bytes(), name))


@pytest.mark.parametrize("make", [vientiane_schedule, guangzhou_schedule])
def test_xlsx_and_text_round_trip(make: object) -> None:
    schedule = make()  # type: ignore[operator]
    assert build_schedule(read_file(to_xlsx(schedule), "a.xlsx")) == schedule
    assert build_schedule(read_file(to_text(schedule).encode(), "a.toml")) == schedule


def test_csv_round_trip_takes_class_and_topics_from_the_stored_class() -> None:
    schedule = vientiane_schedule()
    data = to_csv(schedule)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    assert build_schedule(read_file(data, "a.csv"), schedule) == schedule


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip_through_every_format(name: str) -> None:
    schedule = _sample(name)
    assert build_schedule(read_file(to_xlsx(schedule), "a.xlsx")) == schedule
    assert build_schedule(read_file(to_csv(schedule), "a.csv"), schedule) == schedule
    assert to_text(schedule) == sample_path(name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SAMPLES)
def test_committed_workbooks_match_the_text_form(name: str) -> None:
    """schedules/*.xlsx are generated from the .toml; this keeps them from drifting apart."""
    workbook = name.replace(".toml", ".xlsx")
    assert _sample(workbook) == _sample(name)


def test_committed_csv_matches_the_text_form() -> None:
    schedule = _sample(SAMPLES[0])
    csv_path = sample_path(SAMPLES[0].replace(".toml", "-sessions.csv"))
    assert build_schedule(read_file(csv_path.read_bytes(), "s.csv"), schedule) == schedule


def test_the_samples_are_the_classes_described() -> None:
    vte, gz = _sample(SAMPLES[0]), _sample(SAMPLES[1])
    assert len(vte.cls.days()) == 12 and vte.cls.default_lang == "lo"
    assert len(vte.topics) == 10 and len({t.block["en"] for t in vte.topics}) == 2
    assert all(t.block.keys() == {"vi", "lo", "en"} for t in vte.topics)
    visits = [s for s in vte.sessions if s.kind == "field_visit"]
    trips = [s for s in vte.sessions if s.kind == "trip"]
    assert len(visits) == 8 and len(trips) == 2
    assert all(s.title.keys() == {"vi", "lo", "en"} for s in vte.sessions)
    assert {s.kind for s in vte.sessions} >= {"opening", "closing", "lecture"}
    assert gz.cls.timezone == "Asia/Shanghai" and gz.cls.default_lang == "vi"
    closing = next(s for s in gz.sessions if s.kind == "closing")
    assert closing.day.isoformat() == "2025-09-25"


def test_template_has_the_sheets_and_instructions_in_three_languages() -> None:
    data = template_xlsx()
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames[0] == SHEET_INSTRUCTIONS
    text = "\n".join(str(r[0]) for r in wb[SHEET_INSTRUCTIONS].iter_rows(values_only=True) if r[0])
    assert "HƯỚNG DẪN" in text and "ຄຳແນະນຳ" in text and "HOW TO FILL IN" in text
    first = next(wb[SHEET_SESSIONS].iter_rows(values_only=True))
    assert header("date", None) in first and header("title", "lo") in first
    wb.close()
    with pytest.raises(ScheduleProblems) as refused:
        build_schedule(read_file(data, "template.xlsx"))
    assert any(p.message == 'The class has no "{name}".' for p in refused.value.problems)


FORMULAS = ['=HYPERLINK("http://x","a")', "=1+1", "@SUM(A1:A2)", "+cmd|' /C calc'!A0", "-2+3"]


@pytest.mark.parametrize("title", FORMULAS)
def test_formula_like_text_is_written_as_text_and_reads_back_unchanged(title: str) -> None:
    from dataclasses import replace

    from bot.domain import localized

    schedule = vientiane_schedule()
    first = replace(schedule.sessions[0], title=localized({"lo": title, "vi": title}))
    changed = replace(schedule, sessions=(first, *schedule.sessions[1:]))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(changed)))
    cells = [c for row in book[SHEET_SESSIONS].iter_rows() for c in row if c.value == title]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a live formula
    assert build_schedule(read_file(to_xlsx(changed), "a.xlsx")) == changed
    data = to_csv(changed)
    import csv

    fields = [f for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for f in row]
    assert "'" + title in fields and title not in fields  # neutralised (OWASP)
    again = build_schedule(read_file(data, "a.csv"), changed)
    assert again.sessions == changed.sessions
