"""The organiser's own programme, imported into an existing class through the usual preview."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import SessionKind
from bot.schedule import importer
from bot.schedule.problems import ScheduleProblems
from bot.schedule.programme import day_from, departure_in, header_field, kind_of, times_in
from bot.store import classes
from bot.store.database import Database
from bot.store.versions import list_versions
from tests.conftest import FakeClock
from tests.helpers.programmes import CODE, PROGRAMMES, book, class_workbook

D, T = dt.date, dt.time


async def _class(db: Database, clock: FakeClock, lang: str = "vi") -> None:
    await importer.import_schedule(
        db, class_workbook(lang), "class.xlsx", created_by="t", now=clock.now()
    )


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
async def test_organiser_programme_reads_into_the_class(
    name: str, db: Database, clock: FakeClock
) -> None:
    make, expected = PROGRAMMES[name]
    await _class(db, clock, expected.lang)
    data = make()
    found = await importer.preview(db, data, f"{name}.xlsx", class_code=CODE)
    sessions = found.schedule.sessions
    assert len(sessions) == expected.sessions, [s.title for s in sessions]
    assert Counter(s.kind.value for s in sessions) == expected.kinds
    first = sessions[0]
    assert (first.day, first.start, first.end) == expected.first
    numbers = {t.number for t in found.schedule.topics}
    assert set(expected.topics) <= numbers
    assert {s.topic_number for s in sessions if s.topic_number} >= set(expected.topics)
    departures = {
        (s.departure, next(iter(s.meeting_point.values()), "")) for s in sessions if s.departure
    }
    assert departures == set(expected.departures)
    notes = [n.message for n in found.notes]
    for message in expected.notes:
        assert message in notes
    if any(s.kind is not SessionKind.OTHER for s in sessions):
        assert any(n.message.startswith("Read from the content as {kind}") for n in found.notes)
    assert all(any(s.title.values()) for s in sessions)
    # the same file again: stable keys, nothing to change
    await importer.import_schedule(
        db, data, f"{name}.xlsx", created_by="t", now=clock.now(), class_code=CODE
    )
    again = await importer.preview(db, data, f"{name}.xlsx", class_code=CODE)
    assert again.unchanged


async def test_a_programme_without_a_class_is_refused_with_the_way_to_send_it(
    db: Database,
) -> None:
    make, _ = PROGRAMMES["vi_merged_dates"]
    with pytest.raises(ScheduleProblems) as refused:
        await importer.preview(db, make(), "p.xlsx")
    assert "--class CODE" in refused.value.problems[0].message
    assert await classes.list_classes(db) == []


async def test_a_moved_lecture_in_a_programme_shows_as_moved(
    db: Database, clock: FakeClock
) -> None:
    await _class(db, clock)
    rows = [
        ["Ngày", "Thời gian", "Nội dung", "Báo cáo viên"],
        ["15/07/2024", "8h00-11h00", "Chuyên đề 1: Xây dựng Đảng", "TS A"],
        ["16/07/2024", "8h00-11h00", "Chuyên đề 2: Chuyển đổi số", "TS B"],
    ]
    await importer.import_schedule(
        db, book(rows), "a.xlsx", created_by="t", now=clock.now(), class_code=CODE
    )
    rows[2][0] = "17/07/2024"
    found = await importer.preview(db, book(rows), "b.xlsx", class_code=CODE)
    assert len(found.diff.moved) == 1 and not found.diff.added and not found.diff.removed


async def test_a_bad_cell_in_a_programme_is_named_and_nothing_changes(
    db: Database, clock: FakeClock
) -> None:
    await _class(db, clock)
    cls = await classes.get_class_by_code(db, CODE)
    assert cls is not None
    rows = [
        ["LỊCH HỌC"],
        ["Ngày", "Thời gian", "Nội dung"],
        ["15/07/2024 hoãn", "8h00-11h00", "Chuyên đề 1"],
        ["16/07/2024", "25h00-26h00", "Chuyên đề 2"],
    ]
    with pytest.raises(ScheduleProblems) as refused:
        await importer.import_schedule(
            db, book(rows), "p.xlsx", created_by="t", now=clock.now(), class_code=CODE
        )
    found = refused.value.problems
    assert [(p.sheet, p.row, p.column) for p in found] == [
        ("Lịch học", 3, "A (Ngày)"),
        ("Lịch học", 4, "B (Thời gian)"),
    ]
    assert len(await list_versions(db, cls.id)) == 1


def test_header_words_are_matched_without_diacritics_and_in_other_phrasings() -> None:
    for text, name in [
        ("Nội dung", "content"),
        ("NOI DUNG HOC TAP", "content"),
        ("Nội dung công việc", "content"),
        ("Chủ trì / Báo cáo viên", "lecturer"),
        ("Giảng viên", "lecturer"),
        ("Thời gian", "time"),
        ("THOI GIAN", "time"),
        ("Ngày, tháng", "date"),
        ("Thứ, ngày", "date"),
        ("Địa điểm", "venue"),
        ("Dia diem to chuc", "venue"),
        ("Ghi chú", "notes"),
        ("ວັນທີ", "date"),
        ("ເວລາ", "time"),
        ("ເນື້ອໃນ", "content"),
        ("ຜູ້ບັນຍາຍ", "lecturer"),
        ("ສະຖານທີ່", "venue"),
        ("ໝາຍເຫດ", "notes"),
        ("Remarks", "notes"),
        ("Speaker", "lecturer"),
    ]:
        assert header_field(text) == name, text


def test_time_ranges_as_organisers_write_them() -> None:
    assert times_in("7h30-11h00") == [T(7, 30), T(11, 0)]
    assert times_in("07h30 - 08h00") == [T(7, 30), T(8, 0)]
    assert times_in("08:00-11:30") == [T(8, 0), T(11, 30)]
    assert times_in("Sáng: 8h - 11h30") == [T(8, 0), T(11, 30)]
    assert times_in("Chiều") == []


def test_kinds_read_from_the_content() -> None:
    assert kind_of("Chuyên đề 3: Kinh tế số")[:2] == (SessionKind.LECTURE, 3)
    assert kind_of("Khảo sát thực tế tại Sở Tư pháp")[0] is SessionKind.FIELD_VISIT
    assert kind_of("Tham quan Lăng Bác")[0] is SessionKind.FIELD_VISIT
    assert kind_of("ທັດສະນະສຶກສາ ບ້ານ")[0] is SessionKind.FIELD_VISIT
    assert kind_of("Lễ khai giảng")[0] is SessionKind.OPENING
    assert kind_of("Bế giảng lớp học")[0] is SessionKind.CLOSING
    assert kind_of("Nghỉ trưa")[0] is SessionKind.BREAK
    assert kind_of("ການກໍ່ສ້າງພັກ")[0] is SessionKind.LECTURE  # ພັກ here is the Party


def test_departure_notes() -> None:
    found = departure_in("Xe xuất phát 13h30 tại sảnh Hội trường A")
    assert found is not None and (found.time, found.place) == (T(13, 30), "sảnh Hội trường A")
    found = departure_in("ລົດອອກ 13:30")
    assert found is not None and (found.time, found.place) == (T(13, 30), "")
    assert departure_in("Đón tiếp đại biểu") is None


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(min_value=D(2024, 7, 15), max_value=D(2024, 7, 26)),
    weekday=st.sampled_from(["Thứ Hai", "THỨ BA", "Chủ nhật", "ວັນຈັນ", "Monday", ""]),
    sep=st.sampled_from(["\n", ", ", " ", ", ngày ", " - "]),
    year=st.booleans(),
    pad=st.booleans(),
)
def test_dates_in_any_written_form_within_the_class(
    day: dt.date, weekday: str, sep: str, year: bool, pad: bool
) -> None:
    from tests.helpers.sample import vientiane_schedule

    base = vientiane_schedule()
    d = f"{day.day:02d}" if pad else str(day.day)
    m = f"{day.month:02d}" if pad else str(day.month)
    text = f"{weekday}{sep if weekday else ''}{d}/{m}" + (f"/{day.year}" if year else "")
    found = day_from(text, base)
    assert found is not None and found.day == day and found.year_given is year


@settings(max_examples=100, deadline=None)
@given(
    start=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    end=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    style=st.sampled_from(["{h}h{m:02d}", "{h:02d}h{m:02d}", "{h:02d}:{m:02d}", "{h}:{m:02d}"]),
    dash=st.sampled_from(["-", " - ", "–", " đến "]),
)
def test_time_ranges_in_any_style(start: dt.time, end: dt.time, style: str, dash: str) -> None:
    text = (
        style.format(h=start.hour, m=start.minute) + dash + style.format(h=end.hour, m=end.minute)
    )
    assert times_in(text) == [start, end]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_cell_text_never_breaks_the_readers(text: str) -> None:
    from tests.helpers.sample import vientiane_schedule

    day_from(text, vientiane_schedule())
    times_in(text)
    kind_of(text)
    departure_in(text)
    header_field(text)


HEADERS = [
    ("Ngày", "date"),
    ("Buổi", "part"),
    ("Thời gian", "time"),
    ("Nội dung", "content"),
    ("Báo cáo viên", "lecturer"),
    ("Địa điểm", "venue"),
    ("Ghi chú", "notes"),
    ("Chủ trì / Báo cáo viên", "lecturer"),
    ("Thành phần", "audience"),
    ("ວັນທີ", "date"),
    ("ເນື້ອໃນ", "content"),
    ("ຜູ້ບັນຍາຍ", "lecturer"),
]


def _bare(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@settings(max_examples=150, deadline=None)
@given(
    pair=st.sampled_from(HEADERS),
    form=st.sampled_from(["NFC", "NFD"]),
    bare=st.booleans(),
    case=st.sampled_from([str.upper, str.lower, str.title, str]),
    pad=st.sampled_from(["", " ", "\u200b", "\n", " :"]),
)
def test_headers_match_whatever_their_diacritics_case_and_form(
    pair: tuple[str, str], form: str, bare: bool, case: object, pad: str
) -> None:
    import unicodedata

    from bot.schedule.values import clean_text

    text, name = pair
    written = case(_bare(text) if bare else text)  # type: ignore[operator]
    written = unicodedata.normalize(form, written) + pad
    assert header_field(clean_text(written)) == name


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_clean_text_is_nfc_idempotent_and_without_zero_width(text: str) -> None:
    import unicodedata

    from bot.schedule.values import INVISIBLE, clean_text

    once = clean_text(text)
    assert clean_text(once) == once
    assert unicodedata.is_normalized("NFC", once) or "\u0ecd\u0eb2" in text
    assert not any(ord(c) in INVISIBLE for c in once)
