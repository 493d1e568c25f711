"""Workbooks for the pocket: a class workbook with contacts and interpreters, trainees lists."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from tests.helpers.workbooks import make_xlsx, parts

ROSTER_HEAD = [
    "STT",
    "Họ và tên",
    "Đoàn / Đơn vị",
    "Phòng",
    "Ở cùng phòng",
    "Xe",
    "Ghế",
    "Trưởng nhóm",
    "Ngôn ngữ",
    "Điện thoại",
]
ROSTER_ROWS: list[list[Any]] = [
    [1, "Somphone", "Vientiane", "305", "Khamla", "1", "12", "Bounmy", "lo", "+856 20 5555 1234"],
    [2, "Khamla", "Vientiane", "305", "Somphone", "1", "14", "Bounmy", "Lao", "020 5555 4321"],
    [3, "Bounmy", "Vientiane", "306", "", "2", "1", "", "lo", ""],
]


def roster_xlsx(
    rows: list[list[Any]] | None = None, *, title_rows: int = 2, sheet: str = "Học viên"
) -> bytes:
    """A workbook whose trainees sheet has a title block, then the header and ``rows``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Lớp"
    ws.append(["Mã lớp", "T-1"])
    trainees = wb.create_sheet(sheet)
    for n in range(title_rows):
        trainees.append([f"DANH SÁCH HỌC VIÊN {n}"])
    trainees.append(ROSTER_HEAD)
    for row in ROSTER_ROWS if rows is None else rows:
        trainees.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pocket_class_xlsx() -> bytes:
    """The test class (T-1) with contact fields and an interpreter and materials column."""
    cls, topics, sessions = parts()
    cls["Hotline"] = "0912 345 678; 024 3825 3531"
    cls["Bệnh viện gần nhất"] = "Bệnh viện Việt Đức, 40 Tràng Thi, 024 3825 3531"
    cls["Đại sứ quán"] = "Đại sứ quán Lào: +84 24 3942 4576"
    for s in sessions:
        s["Phiên dịch"] = None
        s["Dịch sang"] = None
        s["Tài liệu"] = None
    sessions[1]["Phiên dịch"] = "Khamla Phommachanh"
    sessions[1]["Dịch sang"] = "Lào"
    sessions[1]["Tài liệu"] = "https://example.org/cd1.pdf"
    return make_xlsx(cls, topics, sessions)
