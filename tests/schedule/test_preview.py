"""The preview of a staged change: refusals before download, the summary line, the buttons."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.schedule import preview as upload_preview
from bot.schedule.diff import diff_schedules
from bot.schedule.problems import Problem, ScheduleProblems
from tests.helpers.cldr import short_day
from tests.helpers.sample import revised, vientiane_schedule

T = dt.time
MORNING = dt.datetime(2024, 7, 14, 23, 0, tzinfo=dt.UTC)  # 06:00 in Hanoi on the first day


def test_size_and_type_are_checked_before_downloading() -> None:
    too_big = upload_preview.check_document("v2.xlsx", 6 * 2**20, "en")
    assert too_big is not None and "too large (6.0 MB)" in too_big.plain()
    wrong = upload_preview.check_document("photo.jpg", 1000, "vi")
    assert wrong is not None and "photo.jpg" in wrong.plain()
    assert upload_preview.check_document(None, 1000, "en") is not None
    assert upload_preview.check_document("v2.xlsx", 1000, "en") is None
    assert upload_preview.check_document("v2.csv", None, "en") is None


def test_problems_are_listed_with_where_they_are() -> None:
    error = ScheduleProblems([Problem("Bad date.", sheet="Sessions", row=7, column="B")])
    reply = upload_preview.problems_reply(error, "en")
    assert reply.blocks[0].title == "The file was not accepted"
    assert reply.blocks[1].lines[0].startswith("Sessions, row 7, column B")


def test_the_summary_counts_moves_additions_cancellations_and_names_venue_changes() -> None:
    old = vientiane_schedule()
    moved = revised(s2=T(10, 0), s4=T(9, 0), s5=T(14, 0))
    sessions = tuple(
        dataclasses.replace(s, venue="Hội trường B") if s.key == "s3" else s
        for s in moved.sessions
        if s.key != "s1"
    )
    new = dataclasses.replace(moved, sessions=sessions)
    text = upload_preview.summary(old.cls, diff_schedules(old, new), "en")
    assert text == (
        "3 sessions moved, 1 session cancelled, and venue changed for "
        f"Visit: smart operations centre ({short_day(dt.date(2024, 7, 15), 'en')})"
    )
    assert upload_preview.summary(old.cls, diff_schedules(old, old), "en") == "no changes"


def test_the_preview_warns_about_past_sessions_and_carries_the_buttons() -> None:
    old = vientiane_schedule()
    diff = diff_schedules(old, revised(s1=T(7, 0), s4=T(9, 0)))
    noon = MORNING + dt.timedelta(hours=6)
    reply = upload_preview.preview_reply(7, "Preview", old.cls, diff, noon, "en")
    lines = reply.blocks[0].lines
    assert lines[0] == "2 sessions moved — Confirm?"
    assert lines[1].startswith("1 change concerns a session that has already begun")
    assert [b.action for b in reply.buttons[0]] == ["upl:ok:7", "upl:no:7"]
    early = upload_preview.preview_reply(
        7, "Preview", old.cls, diff, MORNING - dt.timedelta(hours=2), "en"
    )
    assert not any("already begun" in line for line in early.blocks[0].lines)
