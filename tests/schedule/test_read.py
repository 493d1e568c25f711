"""Reading files: formulas as cached values, Excel-written CSV, the text form, and the limits."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from bot.schedule import read as schedule_read
from bot.schedule.check import build_schedule
from bot.schedule.problems import ScheduleProblems
from bot.schedule.read import file_format, read_file
from bot.schedule.write import to_csv, to_text
from tests.helpers.sample import vientiane_schedule
from tests.helpers.workbooks import make_xlsx, messages, parts, problems_of, set_cached_values


def test_file_format_by_extension() -> None:
    assert file_format("Lich hoc.XLSX") == "xlsx"
    assert file_format("a.csv") == "csv" and file_format("a.toml") == "text"
    assert file_format("a.pdf") is None and file_format("noext") is None
    found = problems_of(b"x", "lich.pdf")
    assert messages(found)[0].startswith("Unknown file type {name}")


def test_excel_date_and_time_cells_and_serial_numbers() -> None:
    cls, topics, sessions = parts()
    sessions[3]["Date"] = 45490  # 2024-07-17 as an Excel day serial
    sessions[3]["End"] = 0.4583333  # 11:00 as a day fraction
    schedule = build_schedule(read_file(make_xlsx(cls, topics, sessions), "t.xlsx"))
    last = schedule.sessions[-1]
    assert last.day == dt.date(2024, 7, 17) and last.end == dt.time(11, 0)


def test_formulas_are_read_as_their_cached_values_never_evaluated() -> None:
    cls, topics, sessions = parts()
    sessions[3]["Title (vi)"] = '="Chuyên đề "&"2"'
    sessions[3]["End"] = "=D5+1"  # would be nonsense if evaluated
    data = make_xlsx(cls, topics, sessions)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    headers = next(wb["Sessions"].iter_rows(values_only=True))
    title_col = "ABCDEFGHIJKLMNOP"[headers.index("Title (vi)")]
    end_col = "ABCDEFGHIJKLMNOP"[headers.index("End")]
    wb.close()
    cached = set_cached_values(data, 3, {f"{title_col}5": "Chuyên đề hai", f"{end_col}5": "0.5"})
    last = build_schedule(read_file(cached, "t.xlsx")).sessions[-1]
    assert last.title["vi"] == "Chuyên đề hai" and last.end == dt.time(12, 0)


def test_a_formula_without_a_cached_value_counts_as_empty() -> None:
    cls, topics, sessions = parts()
    sessions[3]["End"] = "=D5+1"
    found = problems_of(make_xlsx(cls, topics, sessions))
    assert messages(found) == ["This value is required."]


def test_csv_written_by_excel_with_bom_semicolons_and_crlf() -> None:
    schedule = vientiane_schedule()
    text = to_csv(schedule).decode("utf-8-sig").replace(",", ";")
    lines = text.split("\r\n")
    lines[0] += ";;;;"  # Excel pads the comment line with empty cells
    excel = ("\ufeff" + "\r\n".join(lines)).encode("utf-8")
    raw = read_file(excel, "Lich hoc.csv")
    assert raw.partial and raw.cls is not None and raw.cls.cells["code"].value == "VTE-HN-2024"
    assert build_schedule(raw, schedule) == schedule


def test_csv_without_bom_with_commas_and_quoted_newlines() -> None:
    schedule = vientiane_schedule()
    data = to_csv(schedule).decode("utf-8-sig").encode()
    assert build_schedule(read_file(data, "a.csv"), schedule) == schedule
    rows = (
        "ID,Date,Start,End,Kind,Title (lo),Notes (lo)\n"
        's1,15/07/2024,8h,9h,opening,ພິທີເປີດ,"ແຖວ 1\nແຖວ 2"\n'
        "s2,15/07/2024,9h,7h,lecture,ຫົວຂໍ້ 1,\n"
    )
    with pytest.raises(ScheduleProblems) as refused:
        build_schedule(read_file(rows.encode(), "a.csv"), schedule)
    (problem,) = refused.value.problems
    assert problem.row == 4  # physical line, after the two-line cell


def test_csv_not_utf8_is_refused_with_advice() -> None:
    found = problems_of("Ngày;Tên\n".encode("latin-1"), "a.csv")
    assert "CSV UTF-8" in found[0].message


def test_text_form_reports_unknown_fields_with_line_numbers() -> None:
    text = to_text(vientiane_schedule()).replace('venue = "Hội trường A"', 'room = "A"', 1)
    found = problems_of(text.encode(), "a.toml")
    assert messages(found) == ['Unknown field "{name}".']
    line = text.splitlines()[found[0].row - 1]
    assert line == "[[sessions]]" and found[0].by_line
    assert found[0].text("en").startswith("sessions, line ")


def test_text_form_syntax_error() -> None:
    found = problems_of(b"[class]\ncode = \n", "a.toml")
    assert found[0].message == "The text file is not valid TOML: {error}"


def test_oversized_file_is_refused_before_reading() -> None:
    found = problems_of(b"\0" * (schedule_read.MAX_BYTES + 1), "big.xlsx")
    assert found[0].message == "The file is larger than {limit} MB."


def test_zip_bomb_is_refused_before_openpyxl_opens_it() -> None:
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * 2**20
        for _ in range(schedule_read.MAX_UNPACKED // 2**20 + 1):
            member.write(chunk)
    data = buf.getvalue()
    assert len(data) < schedule_read.MAX_BYTES
    found = problems_of(data, "bomb.xlsx")
    assert found[0].message == "The workbook unpacks to more than {limit} MB; it was refused."


@pytest.mark.parametrize("data", [b"PK\x03\x04 broken", b"plain text", b""])
def test_malformed_workbooks_are_a_problem_not_a_traceback(data: bytes) -> None:
    assert messages(problems_of(data, "x.xlsx")) == [
        "The file is not a valid Excel workbook (.xlsx)."
    ]


def test_a_zip_that_is_not_a_workbook() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert messages(problems_of(buf.getvalue(), "x.xlsx")) == [
        "The file is not a valid Excel workbook (.xlsx)."
    ]


def test_a_workbook_without_a_class_sheet_or_a_programme_points_to_the_template() -> None:
    from bot.schedule.programme import read_upload

    with pytest.raises(ScheduleProblems) as refused:
        read_upload(make_xlsx(names=("Info", "Topics", "Data")), "t.xlsx")
    found = refused.value.problems
    assert len(found) == 1 and found[0].sheet == "Info"
    assert "/template" in found[0].message and "Ngày | Buổi | Thời gian" in found[0].message


def test_a_class_sheet_without_a_sessions_sheet() -> None:
    found = problems_of(make_xlsx(names=("Class", "Topics", "Data")))
    assert messages(found) == [
        'The workbook has no sheet for the sessions (named "Sessions" or "Lịch học").'
    ]


def test_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule_read, "MAX_ROWS", 10)
    found = problems_of(make_xlsx())
    assert messages(found) == ["The file has more than {limit} rows."]


def test_cell_length_limit() -> None:
    cls, topics, sessions = parts()
    sessions[0]["Notes (vi)"] = "x" * (schedule_read.MAX_CELL + 1)
    found = problems_of(make_xlsx(cls, topics, sessions))
    assert messages(found) == ["The text is longer than {limit} characters."]
    assert found[0].row == 2


def test_title_rows_above_the_header_are_skipped() -> None:
    cls, topics, sessions = parts()
    data = make_xlsx(cls, topics, sessions)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb["Sessions"].insert_rows(1, 2)
    wb["Sessions"]["A1"] = "LỊCH HỌC LỚP BỒI DƯỠNG"
    buf = io.BytesIO()
    wb.save(buf)
    schedule = build_schedule(read_file(buf.getvalue(), "t.xlsx"))
    assert len(schedule.sessions) == 4


def test_a_topic_block_in_one_column_or_per_language() -> None:
    """'Khối' without a language is the class's default language; 'Khối (lo)' is Lao."""
    _cls, one_column, _sessions = parts()
    one_column[0]["Khối"] = "Kinh nghiệm Hà Nội"
    schedule = build_schedule(read_file(make_xlsx(topics=one_column), "a.xlsx"))
    assert dict(schedule.topics[0].block) == {"vi": "Kinh nghiệm Hà Nội"}
    _cls, per_language, _sessions = parts()
    per_language[1]["Block (vi)"] = "Kỹ năng"
    per_language[1]["Block (lo)"] = "ທັກສະ"
    schedule = build_schedule(read_file(make_xlsx(topics=per_language), "a.xlsx"))
    assert [dict(t.block) for t in schedule.topics] == [{}, {"vi": "Kỹ năng", "lo": "ທັກສະ"}]


def test_text_form_plain_text_is_in_the_default_language() -> None:
    """`block = "…"` (and any localized field written once) counts for default_lang."""
    text = to_text(vientiane_schedule())
    plain = text.replace(
        'block.vi = "Hà Nội"\nblock.lo = "ຮ່າໂນ້ຍ"\nblock.en = "Hanoi"', 'block = "ຮ່າໂນ້ຍ"', 1
    )
    assert plain != text
    schedule = build_schedule(read_file(plain.encode(), "a.toml"))
    assert schedule.cls.default_lang == "lo"
    assert dict(schedule.topics[0].block) == {"lo": "ຮ່າໂນ້ຍ"}
