"""Validation: each rule refuses a file with one problem, located and explained; all at once."""

from __future__ import annotations

import datetime as dt

from bot.domain import SessionKind
from bot.schedule.check import build_schedule
from bot.schedule.read import read_file
from tests.helpers.workbooks import make_xlsx, messages, parts, problems_of


def _only(found: list, text: str) -> None:  # type: ignore[type-arg]
    assert len(found) == 1, [p.text("en") for p in found]
    assert text in found[0].message, found[0].message


def test_the_base_workbook_is_valid() -> None:
    schedule = build_schedule(read_file(make_xlsx(), "t.xlsx"))
    assert schedule.cls.code == "T-1" and schedule.cls.default_lang == "vi"
    assert [s.key for s in schedule.sessions] == ["open", "t1", "v1", "t2"]
    visit = schedule.sessions[2]
    assert visit.kind is SessionKind.FIELD_VISIT and visit.departure == dt.time(13, 30)
    assert visit.meeting_point["vi"] == "Sảnh khách sạn" and visit.latitude == 21.03
    assert schedule.sessions[1].topic_number == 1 and schedule.sessions[1].start == dt.time(9, 15)
    assert [t.title["lo"] for t in schedule.topics] == ["ການກໍ່ສ້າງພັກ", "ການຫັນເປັນດີຈີຕອນ"]


def test_vietnamese_headers_and_sheet_names_are_accepted() -> None:
    cls, topics, sessions = parts()
    vi = {
        "ID": "Mã",
        "Date": "Ngày",
        "Start": "Bắt đầu",
        "End": "Kết thúc",
        "Kind": "Loại",
        "Title (vi)": "Tiêu đề (vi)",
        "Title (lo)": "Tiêu đề (lo)",
        "Topic": "Chuyên đề",
        "Departure": "Giờ xuất phát",
        "Meeting point (vi)": "Điểm tập trung (vi)",
        "Latitude": "Vĩ độ",
        "Longitude": "Kinh độ",
    }
    renamed = [{vi[k]: v for k, v in row.items()} for row in sessions]
    data = make_xlsx(cls, topics, renamed, names=("Lớp", "Chuyên đề", "Lịch học"))
    assert len(build_schedule(read_file(data, "t.xlsx")).sessions) == 4


def test_missing_required_column() -> None:
    cls, topics, sessions = parts()
    for row in sessions:
        del row["Kind"]
    found = problems_of(make_xlsx(cls, topics, sessions))
    _only(found, 'The column "{name}" is missing. /template shows the expected columns.')
    assert found[0].params == {"name": "Loại / Kind"} and found[0].sheet == "Sessions"


def test_missing_required_value() -> None:
    cls, topics, sessions = parts()
    sessions[1]["End"] = None
    found = problems_of(make_xlsx(cls, topics, sessions))
    _only(found, "This value is required.")
    assert (found[0].row, found[0].column) == (3, "D (End)")


def test_bad_date() -> None:
    cls, topics, sessions = parts()
    sessions[1]["Date"] = "31/02/2024"
    found = problems_of(make_xlsx(cls, topics, sessions))
    _only(found, "is not a date")
    assert found[0].row == 3 and found[0].column == "B (Date)"
    assert found[0].text("en") == (
        'Sessions, row 3, column B (Date): "31/02/2024" is not a date '
        "(write it as 15/07/2024 or 2024-07-15)."
    )


def test_bad_time() -> None:
    cls, topics, sessions = parts()
    sessions[0]["Start"] = "8 giờ sáng"
    _only(problems_of(make_xlsx(cls, topics, sessions)), "is not a time")


def test_end_before_start() -> None:
    cls, topics, sessions = parts()
    sessions[3]["End"] = dt.time(7, 0)
    _only(problems_of(make_xlsx(cls, topics, sessions)), "ends ({end}) before it starts")


def test_overlapping_sessions() -> None:
    cls, topics, sessions = parts()
    sessions[1]["Start"] = "08:30"
    found = problems_of(make_xlsx(cls, topics, sessions))
    _only(found, "overlaps the one in row {row}")
    assert found[0].row == 3 and found[0].params["row"] == 2


def test_a_long_session_overlapping_a_later_one_is_found() -> None:
    cls, topics, sessions = parts()
    sessions[0]["End"] = "12:00"  # covers t1 (9:15-11:30)
    sessions.append({**sessions[1], "ID": "t1b", "Start": "11:35", "End": "11:50"})
    found = problems_of(make_xlsx(cls, topics, sessions))
    assert messages(found).count("This session overlaps the one in row {row} ({start}–{end}).") == 2


def test_date_outside_the_class_days() -> None:
    cls, topics, sessions = parts()
    sessions[3]["Date"] = dt.date(2024, 7, 18)
    _only(problems_of(make_xlsx(cls, topics, sessions)), "outside the class's days")


def test_unknown_kind() -> None:
    cls, topics, sessions = parts()
    sessions[3]["Kind"] = "Picnic"
    found = problems_of(make_xlsx(cls, topics, sessions))
    _only(found, "Unknown kind")
    assert found[0].params == {"value": "Picnic"}


def test_unknown_topic() -> None:
    cls, topics, sessions = parts()
    sessions[3]["Topic"] = 7
    _only(problems_of(make_xlsx(cls, topics, sessions)), "There is no topic number {number}.")


def test_field_visit_without_departure() -> None:
    cls, topics, sessions = parts()
    sessions[2]["Departure"] = None
    _only(problems_of(make_xlsx(cls, topics, sessions)), "needs a departure time")


def test_trip_without_meeting_point() -> None:
    cls, topics, sessions = parts()
    sessions[2]["Kind"] = "Đi thực tế"
    sessions[2]["Meeting point (vi)"] = None
    _only(problems_of(make_xlsx(cls, topics, sessions)), "needs a meeting point")


def test_title_missing_in_the_default_language() -> None:
    cls, topics, sessions = parts()
    cls["Default language"] = "lo"
    found = problems_of(make_xlsx(cls, topics, sessions))
    # three sessions lack a Lao title; the topics have one
    assert (
        messages(found).count("The title in the class's default language ({lang}) is missing.") == 3
    )
    assert {p.row for p in found} == {3, 4, 5}


def test_unknown_time_zone() -> None:
    cls, topics, sessions = parts()
    cls["Time zone"] = "Asia/Hanoi"
    found = problems_of(make_xlsx(cls, topics, sessions))
    _only(found, "Unknown time zone")
    assert found[0].sheet == "Class" and found[0].row == 4


def test_duplicate_topic_numbers() -> None:
    cls, topics, sessions = parts()
    topics[1]["Number"] = 1
    sessions[3]["Topic"] = 1
    found = problems_of(make_xlsx(cls, topics, sessions))
    _only(found, "Topic number {number} is used twice")
    assert found[0].sheet == "Topics" and found[0].row == 3 and found[0].params["row"] == 2


def test_duplicate_session_ids() -> None:
    cls, topics, sessions = parts()
    sessions[3]["ID"] = "t1"
    found = problems_of(make_xlsx(cls, topics, sessions))
    _only(found, 'The ID "{value}" is used twice')


def test_class_fields_are_required_and_checked() -> None:
    cls, topics, sessions = parts()
    del cls["Code"]
    cls["Default language"] = "fr"
    cls["Last day"] = "2024-07-01"
    found = messages(problems_of(make_xlsx(cls, topics, sessions)))
    assert 'The class has no "{name}".' in found
    assert 'Unknown language "{value}" (use vi, lo or en).' in found
    assert "The last day is before the first day." in found


def test_every_problem_is_reported_at_once_in_each_language() -> None:
    cls, topics, sessions = parts()
    sessions[0]["Date"] = "hôm nay"
    sessions[1]["Kind"] = "Tiệc"
    sessions[2]["Departure"] = None
    sessions[3]["Topic"] = 9
    found = problems_of(make_xlsx(cls, topics, sessions))
    assert [p.row for p in found] == [2, 3, 4, 5]
    vi = found[0].text("vi")
    lo = found[0].text("lo")
    assert vi.startswith("Trang Sessions, dòng 2, cột B (Date):") and "không phải là ngày" in vi
    assert lo.startswith("ແຜ່ນ Sessions, ແຖວ 2") and "ບໍ່ແມ່ນວັນທີ" in lo


def test_keys_without_an_id_column_survive_a_move() -> None:
    cls, topics, sessions = parts()
    for row in sessions:
        del row["ID"]
    first = build_schedule(read_file(make_xlsx(cls, topics, sessions), "t.xlsx"))
    sessions[3]["Date"] = dt.date(2024, 7, 16)
    moved = build_schedule(read_file(make_xlsx(cls, topics, sessions), "t.xlsx"))
    assert {s.key for s in first.sessions} == {s.key for s in moved.sessions}


def test_repeated_titles_without_id_get_distinct_keys() -> None:
    cls, topics, _sessions = parts()
    lunch = {"Kind": "Ăn trưa", "Title (vi)": "Ăn trưa", "Start": "11:30", "End": "13:00"}
    rows = [{**lunch, "Date": f"{d}/07/2024"} for d in (15, 16, 17)]
    keys = [
        s.key for s in build_schedule(read_file(make_xlsx(cls, topics, rows), "t.xlsx")).sessions
    ]
    assert len(set(keys)) == 3 and all(k.startswith("break-") for k in keys)


def test_default_language_may_be_written_as_a_word() -> None:
    cls, topics, sessions = parts()
    cls["Default language"] = "Tiếng Việt"
    schedule = build_schedule(read_file(make_xlsx(cls, topics, sessions), "t.xlsx"))
    assert schedule.cls.default_lang == "vi"


def test_topics_sheet_without_recognisable_headers_is_a_problem() -> None:
    cls, _, sessions = parts()
    for row in sessions:
        row.pop("Topic", None)
    topics = [{"Chủ đề": 1, "Diễn giải": "Xây dựng Đảng"}]
    found = problems_of(make_xlsx(cls, topics, sessions))
    assert {p.params["name"] for p in found} == {"Số / Number", "Tiêu đề / Title"}
    assert all(p.sheet == "Topics" for p in found)
