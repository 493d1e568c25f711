"""The schedule as an iCalendar file: UTC instants, escaping, folding."""

from __future__ import annotations

import dataclasses

from bot.calendar_file import to_ics
from bot.domain import localized
from tests.helpers.sample import guangzhou_schedule, vientiane_schedule


def unfold(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")


def test_one_event_per_session_at_the_venue_time_in_utc() -> None:
    lines = unfold(to_ics(vientiane_schedule()))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert lines.count("BEGIN:VEVENT") == 5
    assert "DTSTART:20240715T010000Z" in lines  # 08:00 in Hanoi (UTC+7)
    assert "UID:VTE-HN-2024-s1@classbot" in lines
    assert "SUMMARY:ພິທີເປີດການຝຶກອົບຮົມ" in lines  # the class's default language (Lao)
    assert "DTSTART:20240715T061500Z" in lines  # the visit starts at its 13:15 departure
    assert "GEO:21.028500;105.854200" in lines


def test_guangzhou_times_are_utc_plus_8() -> None:
    lines = unfold(to_ics(guangzhou_schedule()))
    assert "DTSTART:20250919T010000Z" in lines  # 09:00 in Guangzhou


def test_text_is_escaped_and_long_lines_folded() -> None:
    base = vientiane_schedule()
    long_title = "Chuyên đề; phần 1, " + "rất dài " * 20
    first = dataclasses.replace(base.sessions[0], title=localized({"lo": long_title}))
    data = to_ics(dataclasses.replace(base, sessions=(first,)))
    assert all(len(line.encode()) <= 75 for line in data.decode().split("\r\n"))
    assert (
        "SUMMARY:Chuyên đề\\; phần 1\\, rất dài"
        in unfold(data)[next(i for i, x in enumerate(unfold(data)) if x.startswith("SUMMARY"))]
    )
