"""Organiser programmes built blind (tests/helpers/programmes_blind.py): each is read into the
sample class exactly as the organiser means it, through the importer's real preview path."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.domain import Session
from bot.schedule import importer
from bot.schedule.importer import sample_path
from bot.schedule.problems import ScheduleProblems
from bot.schedule.programme import day_from, departure_in, header_field
from bot.store.database import Database
from tests.conftest import FakeClock
from tests.helpers.programmes_blind import BLIND, CODE, Meant

D, T = dt.date, dt.time
# day_from only reads the class's first and last day from the schedule it is given
_BASE: Any = SimpleNamespace(cls=SimpleNamespace(first_day=D(2024, 7, 15), last_day=D(2024, 7, 26)))


def mismatches(sessions: tuple[Session, ...] | list[Session], meant: list[Meant]) -> list[str]:
    """What differs between the sessions read and the ones the organiser means."""
    found = sorted(sessions, key=lambda s: (s.day, s.start))
    wrong: list[str] = []
    if len(found) != len(meant):
        wrong.append(f"{len(found)} sessions, meant {len(meant)}: {[dict(s.title) for s in found]}")
    for got, want in zip(found, meant, strict=False):
        titles = " ".join(got.title.values())
        checks = {
            "day": (got.day, want.day),
            "start": (got.start, want.start),
            "end": (got.end, want.end),
            "kind": (got.kind, want.kind),
            "lecturer": (got.lecturer, want.lecturer),
            "venue": (got.venue, want.venue),
            "departure": (got.departure, want.departure),
            "topic": (got.topic_number, want.topic),
        }
        for name, (a, b) in checks.items():
            if a != b:
                wrong.append(f"{want.day} {want.start} {name}: got {a!r}, meant {b!r}")
        if want.title.casefold() not in titles.casefold():
            wrong.append(f"{want.day} {want.start} title: got {titles!r}, meant …{want.title}…")
    return wrong


async def _sample(db: Database, clock: FakeClock) -> None:
    await importer.import_path(db, sample_path(), created_by="t", now=clock.now())


@pytest.mark.parametrize("name", sorted(BLIND))
async def test_blind_programme_reads_as_meant(name: str, db: Database, clock: FakeClock) -> None:
    make, meant = BLIND[name]
    await _sample(db, clock)
    found = await importer.preview(db, make(), f"{name}.xlsx", class_code=CODE)
    assert mismatches(found.schedule.sessions, meant) == []


# Each class of failure the blind workbooks found, pinned at its mechanism.


def test_lao_headers_match_however_the_words_are_spaced() -> None:
    assert header_field("ວັນ ເດືອນ ປີ") == "date"
    assert header_field("ວັນເດືອນປີ") == "date"
    assert header_field("ຜູ້ນຳສະເໜີ") == "lecturer"
    assert header_field("ຜູ້ ນຳ ສະ ເໜີ") == "lecturer"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Thứ 2 (15/7)", D(2024, 7, 15)),
        ("Thứ Ba (16/07/2024)", D(2024, 7, 16)),
        ("T4 (17/7)", D(2024, 7, 17)),
    ],
)
def test_weekday_with_the_date_in_brackets(text: str, day: dt.date) -> None:
    found = day_from(text, _BASE)
    assert found is not None and found.day == day


@pytest.mark.parametrize("text", ["Thứ 2 (15/7", "Thứ 2 15/7)", "Thứ 2 (15/7) hoãn"])
def test_unbalanced_or_trailing_brackets_are_not_dates(text: str) -> None:
    assert day_from(text, _BASE) is None


@pytest.mark.parametrize(
    ("text", "time", "place"),
    [
        ("Xe đón tại khách sạn lúc 13h15", T(13, 15), "khách sạn"),
        ("Xe xuất phát từ sảnh Hội trường A lúc 13h30", T(13, 30), "sảnh Hội trường A"),
        ("Đi bộ từ hội trường lúc 15h00", T(15), "hội trường"),
        ("Tập trung tại cổng chính lúc 6h45", T(6, 45), "cổng chính"),
        ("Xe xuất phát 13h30 tại sảnh Hội trường A", T(13, 30), "sảnh Hội trường A"),
    ],
)
def test_departure_with_the_place_before_the_time(text: str, time: dt.time, place: str) -> None:
    found = departure_in(text)
    assert found is not None and (found.time, found.place) == (time, place)


async def test_end_marker_row_ends_the_session_above(db: Database, clock: FakeClock) -> None:
    make, _meant = BLIND["lone_starts_hidden_first"]
    await _sample(db, clock)
    found = await importer.preview(db, make(), "p.xlsx", class_code=CODE)
    titles = [s.title.get("vi", "") for s in found.schedule.sessions]
    assert "Kết thúc" not in titles
    assert max(s.end for s in found.schedule.sessions) == T(17)


async def test_bad_bracketed_date_is_refused_with_its_place(db: Database, clock: FakeClock) -> None:
    wb = load_workbook(io.BytesIO(BLIND["thu_paren_buoi"][0]()))
    wb.active["D8"] = "Thứ 2 (15/7) hoãn"
    out = io.BytesIO()
    wb.save(out)
    await _sample(db, clock)
    with pytest.raises(ScheduleProblems) as caught:
        await importer.preview(db, out.getvalue(), "p.xlsx", class_code=CODE)
    places = {(p.sheet, p.row, p.column[:1]) for p in caught.value.problems}
    assert ("LICH", 8, "D") in places
