"""Small schedule workbooks and CSVs built in tests, one valid base to break one rule at a time."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from typing import Any

import openpyxl

from bot.schedule.check import build_schedule
from bot.schedule.problems import Problem, ScheduleProblems
from bot.schedule.read import read_file

D = dt.date
T = dt.time

BASE_CLASS: dict[str, Any] = {
    "Code": "T-1",
    "Name (vi)": "Lớp thử nghiệm",
    "Name (lo)": "ຫ້ອງທົດລອງ",
    "Time zone": "Asia/Ho_Chi_Minh",
    "First day": D(2024, 7, 15),
    "Last day": D(2024, 7, 17),
    "Default language": "vi",
}
BASE_TOPICS: list[dict[str, Any]] = [
    {"Number": 1, "Title (vi)": "Xây dựng Đảng", "Title (lo)": "ການກໍ່ສ້າງພັກ"},
    {"Number": 2, "Title (vi)": "Chuyển đổi số", "Title (lo)": "ການຫັນເປັນດີຈີຕອນ"},
]
BASE_SESSIONS: list[dict[str, Any]] = [
    {
        "ID": "open",
        "Date": D(2024, 7, 15),
        "Start": T(8, 0),
        "End": T(9, 0),
        "Kind": "Khai giảng",
        "Title (vi)": "Lễ khai giảng",
        "Title (lo)": "ພິທີເປີດ",
    },
    {
        "ID": "t1",
        "Date": "15/07/2024",
        "Start": "9h15",
        "End": "11:30",
        "Kind": "Chuyên đề",
        "Title (vi)": "Chuyên đề 1",
        "Topic": 1,
    },
    {
        "ID": "v1",
        "Date": "2024-07-16",
        "Start": "14h",
        "End": "17:00",
        "Kind": "Khảo sát thực tế",
        "Title (vi)": "Khảo sát Hoàng thành",
        "Departure": "13h30",
        "Meeting point (vi)": "Sảnh khách sạn",
        "Latitude": 21.03,
        "Longitude": 105.84,
    },
    {
        "ID": "t2",
        "Date": D(2024, 7, 17),
        "Start": T(8, 0),
        "End": T(11, 0),
        "Kind": "lecture",
        "Title (vi)": "Chuyên đề 2",
        "Topic": 2,
    },
]


def parts() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Fresh copies of the valid base: class fields, topic rows, session rows."""
    return copy.deepcopy(BASE_CLASS), copy.deepcopy(BASE_TOPICS), copy.deepcopy(BASE_SESSIONS)


def _headers(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for row in rows for k in row))


def make_xlsx(
    cls: dict[str, Any] | None = None,
    topics: list[dict[str, Any]] | None = None,
    sessions: list[dict[str, Any]] | None = None,
    *,
    names: tuple[str, str, str] = ("Class", "Topics", "Sessions"),
) -> bytes:
    """A workbook with a key/value class sheet and header-row topic and session sheets."""
    base_cls, base_topics, base_sessions = parts()
    cls = base_cls if cls is None else cls
    topics = base_topics if topics is None else topics
    sessions = base_sessions if sessions is None else sessions
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = names[0]
    for key, value in cls.items():
        ws.append([key, value])
    for name, rows in ((names[1], topics), (names[2], sessions)):
        sheet = wb.create_sheet(name)
        heads = _headers(rows) or ["Number", "Title (vi)"]
        sheet.append(heads)
        for row in rows:
            sheet.append([row.get(h) for h in heads])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def set_cached_values(data: bytes, sheet_index: int, values: dict[str, str]) -> bytes:
    """Give formula cells a cached result, as Excel would have saved it (cell ref -> value)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    target = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == target:
                text = body.decode()
                for ref, value in values.items():
                    pattern = rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>'
                    kind = "" if re.fullmatch(r"[\d.]+", value) else ' t="str"'
                    text = re.sub(pattern, rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v>', text)
                body = text.encode()
            dest.writestr(item, body)
    return out.getvalue()


def problems_of(data: bytes, filename: str = "t.xlsx") -> list[Problem]:
    """The problems a file is refused for (fails the test if it is accepted)."""
    try:
        build_schedule(read_file(data, filename))
    except ScheduleProblems as refused:
        return list(refused.problems)
    raise AssertionError("the file was accepted")


def messages(found: list[Problem]) -> list[str]:
    return [p.message for p in found]
