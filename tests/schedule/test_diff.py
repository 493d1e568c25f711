"""The diff between two versions: added, removed, moved, changed fields; and its wording."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.domain import Schedule, Session, localized
from bot.schedule.diff import diff_schedules, render_diff
from tests.helpers.cldr import short_day
from tests.helpers.sample import vientiane_schedule


def _with(schedule: Schedule, *sessions: Session) -> Schedule:
    return dataclasses.replace(schedule, sessions=tuple(sessions))


def test_first_import_adds_everything() -> None:
    new = vientiane_schedule()
    diff = diff_schedules(None, new)
    assert diff.added == new.sessions and diff.topics_added == (1, 2)


def test_same_schedule_is_empty() -> None:
    assert diff_schedules(vientiane_schedule(), vientiane_schedule()).empty


def test_added_removed_moved_and_changed() -> None:
    old = vientiane_schedule()
    s1, s2, s3, s4, _s5 = old.sessions
    moved = dataclasses.replace(s4, start=dt.time(9, 0), end=dt.time(11, 0))
    changed = dataclasses.replace(
        s3, departure=dt.time(13, 0), dress_code=localized({"vi": "Áo dài"})
    )
    extra = dataclasses.replace(s2, key="s9", day=dt.date(2024, 7, 17), start=dt.time(8, 0))
    new = _with(old, s1, s2, changed, moved, extra)
    diff = diff_schedules(old, new)
    assert [s.key for s in diff.added] == ["s9"]
    assert [s.key for s in diff.removed] == ["s5"]
    assert [(c.old.start, c.new.start) for c in diff.moved] == [(dt.time(8, 0), dt.time(9, 0))]
    assert diff.moved[0].fields == ()
    assert [c.new.key for c in diff.changed] == ["s3"]
    assert diff.changed[0].fields == ("departure", "dress_code")
    assert diff.session_count == 4
    assert diff.days() == [dt.date(2024, 7, 15), dt.date(2024, 7, 16), dt.date(2024, 7, 17)]


def test_moved_with_other_changes_lists_them() -> None:
    old = vientiane_schedule()
    s4 = old.sessions[3]
    new_s4 = dataclasses.replace(s4, day=dt.date(2024, 7, 17), venue="Hội trường B")
    diff = diff_schedules(old, _with(old, *old.sessions[:3], new_s4, old.sessions[4]))
    assert len(diff.moved) == 1 and diff.moved[0].fields == ("venue",) and not diff.changed


def test_renamed_session_without_id_at_the_same_slot_is_a_change() -> None:
    old = vientiane_schedule()
    s2 = old.sessions[1]
    renamed = dataclasses.replace(s2, key="lecture-abc", title=localized({"lo": "ໃໝ່"}))
    diff = diff_schedules(old, _with(old, old.sessions[0], renamed, *old.sessions[2:]))
    assert not diff.added and not diff.removed
    assert [c.fields for c in diff.changed] == [("title",)]


def test_class_and_topic_changes() -> None:
    old = vientiane_schedule()
    cls = dataclasses.replace(old.cls, venue="Khách sạn", reminder_time=dt.time(6, 0))
    topic = dataclasses.replace(old.topics[0], lecturer="TS Khác")
    new = dataclasses.replace(old, cls=cls, topics=(topic,))
    diff = diff_schedules(old, new)
    assert diff.class_fields == ("venue", "reminder_time")
    assert diff.topics_changed == (1,) and diff.topics_removed == (2,)


def test_render_in_each_language() -> None:
    old = vientiane_schedule()
    s1, s2, s3, s4, _s5 = old.sessions
    moved = dataclasses.replace(s4, start=dt.time(9, 0), end=dt.time(11, 0))
    changed = dataclasses.replace(s3, departure=dt.time(13, 0))
    diff = diff_schedules(old, _with(old, s1, s2, changed, moved))
    en = render_diff(diff, "en", "lo")
    assert en[0].startswith("Cancelled: ") and "Closing ceremony" in en[0]
    tuesday = short_day(dt.date(2024, 7, 16), "en")
    assert en[1] == f"Moved: Topic 2, from {tuesday} 08:00–11:30 to {tuesday} 09:00–11:00"
    assert en[2].startswith("Changed: ") and en[2].endswith(": departure time")
    vi = render_diff(diff, "vi", "lo")
    assert vi[0].startswith("Hủy: ") and vi[2].endswith("giờ xuất phát")
    lo = render_diff(diff, "lo", "lo")
    assert lo[1].startswith("ເລື່ອນເວລາ: ຫົວຂໍ້ 2") and lo[2].endswith("ເວລາອອກເດີນທາງ")


def test_render_limit_summarises_the_rest() -> None:
    new = vientiane_schedule()
    lines = render_diff(diff_schedules(None, new), "en", "vi", limit=3)
    assert len(lines) == 3 and lines[-1] == "…and 4 more changes"
