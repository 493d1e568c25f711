"""The schedule as an iCalendar file: venue-time events with VTIMEZONE, escaping, folding."""

from __future__ import annotations

import dataclasses

from bot.domain import localized
from bot.schedule.ics import to_ics
from tests.helpers.sample import guangzhou_schedule, vientiane_schedule


def unfold(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")


def test_one_event_per_session_at_the_venue_time() -> None:
    lines = unfold(to_ics(vientiane_schedule()))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert lines.count("BEGIN:VEVENT") == 5
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20240715T080000" in lines
    assert "UID:VTE-HN-2024-s1@classbot" in lines
    assert "SUMMARY:ພິທີເປີດການຝຶກອົບຮົມ" in lines  # the class's default language (Lao)
    # The visit starts at its 13:15 departure.
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20240715T131500" in lines
    assert "GEO:21.028500;105.854200" in lines


def _vtimezone(lines: list[str]) -> list[str]:
    return lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]


def test_the_class_time_zone_is_defined_once_before_the_events() -> None:
    lines = unfold(to_ics(guangzhou_schedule()))
    zone = _vtimezone(lines)
    assert zone[1] == "TZID:Asia/Shanghai"
    assert "TZOFFSETTO:+0800" in zone and "BEGIN:DAYLIGHT" not in zone
    assert lines.index("END:VTIMEZONE") < lines.index("BEGIN:VEVENT")
    assert "DTSTART;TZID=Asia/Shanghai:20250919T090000" in lines  # 09:00 in Guangzhou


def test_a_zone_with_summer_time_gets_its_transitions() -> None:
    base = vientiane_schedule()
    cls = dataclasses.replace(base.cls, timezone="Europe/Berlin")
    zone = _vtimezone(unfold(to_ics(dataclasses.replace(base, cls=cls))))
    # 2024: summer time from 31 March 02:00 (+0100 -> +0200) to 27 October 03:00 (back to +0100).
    daylight = zone.index("DTSTART:20240331T020000")
    assert zone[daylight - 1] == "BEGIN:DAYLIGHT"
    assert zone[daylight + 1 : daylight + 3] == ["TZOFFSETFROM:+0100", "TZOFFSETTO:+0200"]
    standard = zone.index("DTSTART:20241027T030000")
    assert zone[standard - 1] == "BEGIN:STANDARD"
    assert zone[standard + 1 : standard + 3] == ["TZOFFSETFROM:+0200", "TZOFFSETTO:+0100"]


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
