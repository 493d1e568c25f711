"""Reading dates, times and numbers the way organisers type them in Excel."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.schedule.values import as_date, as_float, as_int, as_text, as_time

D = dt.date
T = dt.time


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2024, 7, 15, 0, 0), D(2024, 7, 15)),
        (D(2024, 7, 15), D(2024, 7, 15)),
        (45488, D(2024, 7, 15)),
        (45488.0, D(2024, 7, 15)),
        ("15/07/2024", D(2024, 7, 15)),
        ("15/7/2024", D(2024, 7, 15)),
        ("15-7-2024", D(2024, 7, 15)),
        ("15.07.2024", D(2024, 7, 15)),
        ("2024-07-15", D(2024, 7, 15)),
        (" 2024-07-15 00:00:00 ", D(2024, 7, 15)),
        ("32/07/2024", None),
        ("07/15/2024", None),
        ("tomorrow", None),
        (True, None),
        (-3, None),
    ],
)
def test_dates(raw: object, expected: dt.date | None) -> None:
    assert as_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (T(7, 30), T(7, 30)),
        (T(7, 30, 59), T(7, 30)),
        (dt.datetime(1899, 12, 30, 13, 15), T(13, 15)),
        (0.3125, T(7, 30)),
        ("07:30", T(7, 30)),
        ("7:30", T(7, 30)),
        ("7h30", T(7, 30)),
        ("7H30", T(7, 30)),
        ("7h", T(7, 0)),
        ("7 giờ 30", T(7, 30)),
        ("13g45", T(13, 45)),
        ("07:30:00", T(7, 30)),
        ("24:00", None),
        ("7:75", None),
        ("7", None),
        ("noon", None),
        (1.5, None),
    ],
)
def test_times(raw: object, expected: dt.time | None) -> None:
    assert as_time(raw) == expected


def test_numbers_and_text() -> None:
    assert as_int(3.0) == 3 and as_int("12") == 12 and as_int(2.5) is None
    assert as_int("Chuyên đề 3") is None and as_int("Chuyên đề 3", trailing=True) == 3
    assert as_float("21,03") == 21.03 and as_float("north") is None and as_float(True) is None
    assert as_text(1.0) == "1" and as_text(None) == "" and as_text(" x ") == "x"
