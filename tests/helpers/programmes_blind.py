"""Organiser-style programme workbooks built without looking at the parser (issue 12, round
"books2"): each is laid out the way an organiser would type it, with the sessions the organiser
means written beside it. They are read into the sample class VTE-HN-2024 (15–26 July 2024)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain import SessionKind

CODE = "VTE-HN-2024"
D, T = dt.date, dt.time
K = SessionKind


@dataclass(frozen=True, slots=True)
class Meant:
    """One session as the organiser means it; ``title`` is a phrase the title must contain."""

    day: dt.date
    start: dt.time
    end: dt.time
    kind: SessionKind
    title: str
    lecturer: str = ""
    venue: str = ""
    departure: dt.time | None = None
    topic: int | None = None


Row = Sequence[object]


def _title_block(ws: Worksheet, lines: Sequence[str], first_col: int, width: int) -> None:
    for i, text in enumerate(lines, start=1):
        ws.cell(i, first_col, text).font = Font(bold=True)
        ws.merge_cells(
            start_row=i, start_column=first_col, end_row=i, end_column=first_col + width - 1
        )
        ws.cell(i, first_col).alignment = Alignment(horizontal="center")


def _table(
    ws: Worksheet,
    header_row: int,
    first_col: int,
    headers: Sequence[str],
    rows: Sequence[Row],
    merges: Sequence[tuple[int, int, int]] = (),
) -> int:
    """Write the header and rows; ``merges`` are (column index in the table, first row index,
    number of rows) merged down. Returns the last row written."""
    for j, text in enumerate(headers):
        ws.cell(header_row, first_col + j, text).font = Font(bold=True)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value is not None:
                cell = ws.cell(header_row + i, first_col + j, value)
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(value, dt.datetime | dt.date):
                    cell.number_format = "dd/mm/yyyy"
    for col, first, count in merges:
        c = first_col + col
        ws.merge_cells(
            start_row=header_row + first,
            start_column=c,
            end_row=header_row + first + count - 1,
            end_column=c,
        )
    return header_row + len(rows)


def _signature(ws: Worksheet, row: int, first_col: int, width: int) -> None:
    ws.cell(row + 2, first_col, "Nơi nhận:").font = Font(bold=True, italic=True)
    ws.cell(row + 3, first_col, "- Như trên;")
    ws.cell(row + 4, first_col, "- Lưu VP.")
    right = first_col + width - 2
    ws.cell(row + 2, right, "TM. BAN TỔ CHỨC").font = Font(bold=True)
    ws.cell(row + 3, right, "TRƯỞNG BAN")
    ws.cell(row + 6, right, "Nguyễn Thị Lan")


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


VI_TITLE = [
    "THÀNH ỦY HÀ NỘI",
    "TRƯỜNG ĐÀO TẠO CÁN BỘ LÊ HỒNG PHONG",
    "LỊCH HỌC",
    "Lớp bồi dưỡng cán bộ thành phố Viêng Chăn (Lào) tại Hà Nội năm 2024",
]
LO_TITLE = [
    "ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ",
    "ສັນຕິພາບ ເອກະລາດ ປະຊາທິປະໄຕ ເອກະພາບ ວັດທະນາຖາວອນ",
    "ຕາຕະລາງຮຽນ",
    "ຫ້ອງຝຶກອົບຮົມ ພະນັກງານ ນະຄອນຫຼວງວຽງຈັນ ຢູ່ ຮ່າໂນ້ຍ",
]


# 1 ─ Excel dates merged over the day, "7h30 – 11h30" (en dash), lecturer inside the content.
def excel_dates_en_dash() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Lịch học"
    headers = [
        "TT",
        "Ngày/tháng",
        "Thời gian",
        "Nội dung học tập/công việc",
        "Người trình bày",
        "Địa điểm",
        "Ghi chú",
    ]
    _title_block(ws, VI_TITLE[:3], 2, len(headers))
    rows = [
        [
            1,
            dt.datetime(2024, 7, 15),
            "7h30 – 8h30",
            "Lễ khai giảng lớp học",
            "Lãnh đạo Thành ủy",
            "Hội trường A",
            None,
        ],
        [
            2,
            None,
            "8h45 – 11h30",
            "Chuyên đề 1: Xây dựng, chỉnh đốn Đảng\nBáo cáo viên: PGS.TS. Nguyễn Văn Hùng",
            None,
            "Hội trường A",
            None,
        ],
        [
            3,
            None,
            "14h00 – 17h00",
            "Đi khảo sát thực tế tại Hoàng thành Thăng Long",
            None,
            "Hoàng thành Thăng Long",
            "Xe đón tại khách sạn lúc 13h15",
        ],
        [
            4,
            dt.datetime(2024, 7, 16),
            "7h30 – 11h30",
            "Chuyên đề 2: Kinh nghiệm xây dựng chính quyền đô thị\nBáo cáo viên: TS. Trần Minh Đức",
            None,
            "Hội trường A",
            None,
        ],
        [
            5,
            None,
            "13h30 – 17h00",
            "Tham quan mô hình chuyển đổi số tại UBND quận Hoàn Kiếm",
            None,
            "UBND quận Hoàn Kiếm",
            "Xe đón tại khách sạn lúc 13h00",
        ],
    ]
    last = _table(ws, 5, 2, headers, rows, [(1, 1, 3), (1, 4, 2)])
    _signature(ws, last, 2, len(headers))
    return _save(wb)


EXCEL_DATES_EN_DASH = [
    Meant(
        D(2024, 7, 15),
        T(7, 30),
        T(8, 30),
        K.OPENING,
        "khai giảng",
        "Lãnh đạo Thành ủy",
        "Hội trường A",
    ),
    Meant(
        D(2024, 7, 15),
        T(8, 45),
        T(11, 30),
        K.LECTURE,
        "Xây dựng, chỉnh đốn Đảng",
        "PGS.TS. Nguyễn Văn Hùng",
        "Hội trường A",
        topic=1,
    ),
    Meant(
        D(2024, 7, 15),
        T(14),
        T(17),
        K.FIELD_VISIT,
        "Hoàng thành Thăng Long",
        "",
        "Hoàng thành Thăng Long",
        T(13, 15),
    ),
    Meant(
        D(2024, 7, 16),
        T(7, 30),
        T(11, 30),
        K.LECTURE,
        "chính quyền đô thị",
        "TS. Trần Minh Đức",
        "Hội trường A",
        topic=2,
    ),
    Meant(
        D(2024, 7, 16),
        T(13, 30),
        T(17),
        K.FIELD_VISIT,
        "chuyển đổi số",
        "",
        "UBND quận Hoàn Kiếm",
        T(13),
    ),
]


# 2 ─ "Thứ 2 (15/7)", Buổi + Giờ "07:30-11:30", Giảng viên, a "Nghỉ trưa" row without a date.
def thu_paren_buoi() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "LICH"
    headers = ["TT", "Ngày", "Buổi", "Giờ", "Nội dung", "Giảng viên", "Địa điểm", "Ghi chú"]
    _title_block(ws, [*VI_TITLE, "(Kèm theo Kế hoạch số 125-KH/TU)"], 3, len(headers))
    rows = [
        [1, "Thứ 2 (15/7)", "Sáng", "07:30-08:30", "Khai giảng", None, "Hội trường B", None],
        [
            2,
            None,
            None,
            "08:45-11:30",
            "Chuyên đề 1: Xây dựng, chỉnh đốn Đảng",
            "PGS.TS. Nguyễn Văn Hùng",
            "Hội trường B",
            None,
        ],
        [None, None, None, "11:30-13:30", "Nghỉ trưa", None, None, None],
        [
            3,
            None,
            "Chiều",
            "13:30-17:00",
            "Chuyên đề 2: Kinh nghiệm xây dựng chính quyền đô thị",
            "TS. Trần Minh Đức",
            "Hội trường B",
            None,
        ],
        [
            4,
            "Thứ 3 (16/7)",
            "Sáng",
            "07:30-11:30",
            "Chuyên đề 3: Quản lý đô thị thông minh",
            "ThS. Lê Thu Hà",
            "Hội trường B",
            None,
        ],
        [
            5,
            None,
            "Chiều",
            "14:00-17:00",
            "Khảo sát thực tế tại Khu công nghệ cao Hòa Lạc",
            None,
            "Hòa Lạc",
            "Xe xuất phát 13h00 tại khách sạn",
        ],
    ]
    last = _table(ws, 7, 3, headers, rows, [(1, 1, 3), (1, 5, 2), (2, 1, 2), (2, 5, 1)])
    _signature(ws, last, 3, len(headers))
    return _save(wb)


THU_PAREN_BUOI = [
    Meant(D(2024, 7, 15), T(7, 30), T(8, 30), K.OPENING, "Khai giảng", "", "Hội trường B"),
    Meant(
        D(2024, 7, 15),
        T(8, 45),
        T(11, 30),
        K.LECTURE,
        "chỉnh đốn Đảng",
        "PGS.TS. Nguyễn Văn Hùng",
        "Hội trường B",
        topic=1,
    ),
    Meant(D(2024, 7, 15), T(11, 30), T(13, 30), K.BREAK, "Nghỉ trưa"),
    Meant(
        D(2024, 7, 15),
        T(13, 30),
        T(17),
        K.LECTURE,
        "chính quyền đô thị",
        "TS. Trần Minh Đức",
        "Hội trường B",
        topic=2,
    ),
    Meant(
        D(2024, 7, 16),
        T(7, 30),
        T(11, 30),
        K.LECTURE,
        "đô thị thông minh",
        "ThS. Lê Thu Hà",
        "Hội trường B",
        topic=3,
    ),
    Meant(D(2024, 7, 16), T(14), T(17), K.FIELD_VISIT, "Hòa Lạc", "", "Hòa Lạc", T(13)),
]


# 3 ─ "Thứ Hai - 15/7/2024", times "8h - 11h30" and "13g30 - 17g", Chủ trì + Đơn vị thực hiện.
def thu_hai_dash_chu_tri() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Chương trình"
    headers = [
        "Ngày",
        "Thời gian",
        "Nội dung",
        "Chủ trì",
        "Đơn vị thực hiện",
        "Địa điểm",
        "Ghi chú",
    ]
    _title_block(
        ws,
        [
            "BAN TUYÊN GIÁO THÀNH ỦY",
            "TRƯỜNG ĐÀO TẠO CÁN BỘ",
            "",
            "CHƯƠNG TRÌNH",
            "LỚP BỒI DƯỠNG CÁN BỘ LÀO",
            "Từ ngày 15/7 đến ngày 26/7/2024",
        ],
        2,
        len(headers),
    )
    rows = [
        [
            "Thứ Hai - 15/7/2024",
            "8h - 9h",
            "Lễ khai giảng",
            "Đ/c Phó Bí thư Thành ủy",
            "Văn phòng Thành ủy",
            "Hội trường lớn",
            None,
        ],
        [
            None,
            "9h15 - 11h30",
            "Chuyên đề 1: Xây dựng, chỉnh đốn Đảng",
            "PGS.TS. Nguyễn Văn Hùng",
            "Học viện Chính trị",
            "Hội trường lớn",
            None,
        ],
        [
            None,
            "13g30 - 17g",
            "Chuyên đề 2: Kinh nghiệm xây dựng chính quyền đô thị",
            "TS. Trần Minh Đức",
            "Sở Nội vụ",
            "Hội trường lớn",
            None,
        ],
        [
            "Thứ Ba - 16/7/2024",
            "8h - 11h30",
            "Chuyên đề 3: Quản lý đô thị thông minh",
            "ThS. Lê Thu Hà",
            "Sở TT&TT",
            "Phòng 201",
            None,
        ],
    ]
    last = _table(ws, 8, 2, headers, rows, [(0, 1, 3)])
    _signature(ws, last, 2, len(headers))
    return _save(wb)


THU_HAI_DASH_CHU_TRI = [
    Meant(
        D(2024, 7, 15),
        T(8),
        T(9),
        K.OPENING,
        "khai giảng",
        "Đ/c Phó Bí thư Thành ủy",
        "Hội trường lớn",
    ),
    Meant(
        D(2024, 7, 15),
        T(9, 15),
        T(11, 30),
        K.LECTURE,
        "chỉnh đốn Đảng",
        "PGS.TS. Nguyễn Văn Hùng",
        "Hội trường lớn",
        topic=1,
    ),
    Meant(
        D(2024, 7, 15),
        T(13, 30),
        T(17),
        K.LECTURE,
        "chính quyền đô thị",
        "TS. Trần Minh Đức",
        "Hội trường lớn",
        topic=2,
    ),
    Meant(
        D(2024, 7, 16),
        T(8),
        T(11, 30),
        K.LECTURE,
        "đô thị thông minh",
        "ThS. Lê Thu Hà",
        "Phòng 201",
        topic=3,
    ),
]


# 4 ─ "15-7-2024", Buổi written "Sáng: 7h30 - 11h30" in one column, Phương tiện, bus in Ghi chú.
def dash_dates_phuong_tien() -> bytes:
    wb = Workbook()
    ws = wb.active
    headers = ["STT", "Ngày", "Thời gian", "Nội dung", "Người trình bày", "Phương tiện", "Ghi chú"]
    _title_block(ws, VI_TITLE[2:], 2, len(headers))
    rows = [
        [
            1,
            "15-7-2024",
            "Sáng: 7h30 - 11h30",
            "Chuyên đề 1: Xây dựng, chỉnh đốn Đảng",
            "PGS.TS. Nguyễn Văn Hùng",
            None,
            None,
        ],
        [
            2,
            None,
            "Chiều: 13h30 - 17h00",
            "Khảo sát thực tế tại Bảo tàng Hà Nội",
            None,
            "Xe ô tô 45 chỗ",
            "Xe xuất phát lúc 13h00 tại sảnh khách sạn",
        ],
        [
            3,
            "16-7-2024",
            "Sáng: 7h30 - 11h30",
            "Chuyên đề 2: Kinh nghiệm xây dựng chính quyền đô thị",
            "TS. Trần Minh Đức",
            None,
            None,
        ],
    ]
    last = _table(ws, 4, 2, headers, rows, [(1, 1, 2)])
    _signature(ws, last, 2, len(headers))
    return _save(wb)


DASH_DATES_PHUONG_TIEN = [
    Meant(
        D(2024, 7, 15),
        T(7, 30),
        T(11, 30),
        K.LECTURE,
        "chỉnh đốn Đảng",
        "PGS.TS. Nguyễn Văn Hùng",
        topic=1,
    ),
    Meant(D(2024, 7, 15), T(13, 30), T(17), K.FIELD_VISIT, "Bảo tàng Hà Nội", departure=T(13)),
    Meant(
        D(2024, 7, 16),
        T(7, 30),
        T(11, 30),
        K.LECTURE,
        "chính quyền đô thị",
        "TS. Trần Minh Đức",
        topic=2,
    ),
]


# 5 ─ "Ngày 15/7", an empty spacer column and a hidden helper column.
def ngay_spacer_hidden() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Lich hoc"
    headers = ["TT", "Ngày", "Thời gian", "", "Nội dung", "Báo cáo viên", "Địa điểm", "mã"]
    _title_block(ws, [*VI_TITLE[:2], "LỊCH HỌC LỚP CÁN BỘ LÀO"], 2, len(headers))
    rows = [
        [1, "Ngày 15/7", "8h00-9h00", None, "Khai mạc lớp học", None, "Hội trường A", "S01"],
        [
            2,
            None,
            "9h15-11h30",
            None,
            "Chuyên đề 1: Xây dựng, chỉnh đốn Đảng",
            "PGS.TS. Nguyễn Văn Hùng",
            "Hội trường A",
            "S02",
        ],
        [
            3,
            "Ngày 16/7",
            "8h00-11h30",
            None,
            "Chuyên đề 2: Kinh nghiệm xây dựng chính quyền đô thị",
            "TS. Trần Minh Đức",
            "Hội trường A",
            "S03",
        ],
        [4, None, "14h00-16h30", None, "Tự học, thảo luận tổ", None, "Phòng 201", "S04"],
    ]
    last = _table(ws, 6, 2, headers, rows, [(1, 1, 2), (1, 3, 2)])
    ws.column_dimensions["E"].width = 2
    ws.column_dimensions[get_column_letter(2 + 7)].hidden = True
    _signature(ws, last, 2, len(headers))
    return _save(wb)


NGAY_SPACER_HIDDEN = [
    Meant(D(2024, 7, 15), T(8), T(9), K.OPENING, "Khai mạc", "", "Hội trường A"),
    Meant(
        D(2024, 7, 15),
        T(9, 15),
        T(11, 30),
        K.LECTURE,
        "chỉnh đốn Đảng",
        "PGS.TS. Nguyễn Văn Hùng",
        "Hội trường A",
        topic=1,
    ),
    Meant(
        D(2024, 7, 16),
        T(8),
        T(11, 30),
        K.LECTURE,
        "chính quyền đô thị",
        "TS. Trần Minh Đức",
        "Hội trường A",
        topic=2,
    ),
    Meant(D(2024, 7, 16), T(14), T(16, 30), K.SELF_STUDY, "Tự học", "", "Phòng 201"),
]


# 6 ─ "15.07.2024", a two-day study trip to Quảng Ninh, closing ceremony.
def dotted_two_day_trip() -> bytes:
    wb = Workbook()
    ws = wb.active
    headers = [
        "TT",
        "Ngày/tháng",
        "Thời gian",
        "Nội dung học tập/công việc",
        "Người trình bày",
        "Địa điểm",
        "Ghi chú",
    ]
    _title_block(ws, VI_TITLE, 2, len(headers))
    rows = [
        [
            1,
            "24.07.2024",
            "6h30 – 18h00",
            "Đi nghiên cứu thực tế tại tỉnh Quảng Ninh (ngày 1): làm việc với Tỉnh ủy",
            None,
            "Quảng Ninh",
            "Xe xuất phát lúc 6h00 tại khách sạn",
        ],
        [
            2,
            "25.07.2024",
            "7h30 – 16h00",
            "Đi nghiên cứu thực tế tại tỉnh Quảng Ninh (ngày 2): tham quan Vịnh Hạ Long",
            None,
            "Quảng Ninh",
            "Xe xuất phát lúc 7h00 tại khách sạn",
        ],
        [
            3,
            "26.07.2024",
            "8h00 – 10h00",
            "Bế giảng, trao chứng chỉ",
            "Lãnh đạo Thành ủy",
            "Hội trường A",
            None,
        ],
    ]
    last = _table(ws, 6, 2, headers, rows)
    _signature(ws, last, 2, len(headers))
    return _save(wb)


DOTTED_TWO_DAY_TRIP = [
    Meant(D(2024, 7, 24), T(6, 30), T(18), K.TRIP, "Quảng Ninh", "", "Quảng Ninh", T(6)),
    Meant(D(2024, 7, 25), T(7, 30), T(16), K.TRIP, "Quảng Ninh", "", "Quảng Ninh", T(7)),
    Meant(D(2024, 7, 26), T(8), T(10), K.CLOSING, "Bế giảng", "Lãnh đạo Thành ủy", "Hội trường A"),
]


# 7 ─ Lao: "ວັນ ເດືອນ ປີ | ເວລາ | ເນື້ອໃນ | ຜູ້ນຳສະເໜີ | ສະຖານທີ່ | ໝາຍເຫດ", Excel dates over 3 rows.
def lao_excel_dates() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "ຕາຕະລາງ"
    headers = ["ລ/ດ", "ວັນ ເດືອນ ປີ", "ເວລາ", "ເນື້ອໃນ", "ຜູ້ນຳສະເໜີ", "ສະຖານທີ່", "ໝາຍເຫດ"]
    _title_block(ws, LO_TITLE, 2, len(headers))
    rows = [
        [1, dt.datetime(2024, 7, 15), "08:00-09:00", "ພິທີເປີດການຝຶກອົບຮົມ", None, "ຫ້ອງປະຊຸມ A", None],
        [2, None, "09:15-11:30", "ຫົວຂໍ້ 1: ການກໍ່ສ້າງພັກ", "ຮສ.ປອ. ຫງວຽນວັນຮຸ່ງ", "ຫ້ອງປະຊຸມ A", None],
        [
            3,
            None,
            "14:00-17:00",
            "ທັດສະນະສຶກສາຢູ່ ພະລາຊະວັງ ທັງລອງ",
            None,
            "ທັງລອງ",
            "ລົດອອກເວລາ 13:30 ທີ່ໂຮງແຮມ",
        ],
    ]
    last = _table(ws, 6, 2, headers, rows, [(1, 1, 3)])
    ws.cell(last + 2, 7, "ຫົວໜ້າຄະນະຈັດຕັ້ງ")
    return _save(wb)


LAO_EXCEL_DATES = [
    Meant(D(2024, 7, 15), T(8), T(9), K.OPENING, "ພິທີເປີດ", "", "ຫ້ອງປະຊຸມ A"),
    Meant(
        D(2024, 7, 15),
        T(9, 15),
        T(11, 30),
        K.LECTURE,
        "ການກໍ່ສ້າງພັກ",
        "ຮສ.ປອ. ຫງວຽນວັນຮຸ່ງ",
        "ຫ້ອງປະຊຸມ A",
        topic=1,
    ),
    Meant(D(2024, 7, 15), T(14), T(17), K.FIELD_VISIT, "ທັງລອງ", "", "ທັງລອງ", T(13, 30)),
]


# 8 ─ Lao, header in row 9 at column C, text dates "16/07/2024" over 2 rows.
def lao_row9_col_c() -> bytes:
    wb = Workbook()
    ws = wb.active
    headers = ["ວັນ ເດືອນ ປີ", "ເວລາ", "ເນື້ອໃນ", "ຜູ້ນຳສະເໜີ", "ສະຖານທີ່", "ໝາຍເຫດ"]
    _title_block(ws, [*LO_TITLE, "ແຕ່ວັນທີ 15 - 26/07/2024", ""], 3, len(headers))
    rows = [
        [
            "16/07/2024",
            "08:00-11:30",
            "ຫົວຂໍ້ 2: ປະສົບການ ການສ້າງອຳນາດການປົກຄອງຕົວເມືອງ",
            "ປອ. ເຈີ່ນມິນດຶກ",
            "ຫ້ອງປະຊຸມ B",
            None,
        ],
        [None, "13:30-17:00", "ທັດສະນະສຶກສາຢູ່ ຫໍພິພິທະພັນ ຮ່າໂນ້ຍ", None, "ຫໍພິພິທະພັນ ຮ່າໂນ້ຍ", "ລົດອອກ 13:00"],
    ]
    last = _table(ws, 9, 3, headers, rows, [(0, 1, 2)])
    ws.cell(last + 2, 7, "ຄະນະຈັດຕັ້ງ")
    return _save(wb)


LAO_ROW9_COL_C = [
    Meant(
        D(2024, 7, 16),
        T(8),
        T(11, 30),
        K.LECTURE,
        "ອຳນາດການປົກຄອງ",
        "ປອ. ເຈີ່ນມິນດຶກ",
        "ຫ້ອງປະຊຸມ B",
        topic=2,
    ),
    Meant(D(2024, 7, 16), T(13, 30), T(17), K.FIELD_VISIT, "ຫໍພິພິທະພັນ", "", "ຫໍພິພິທະພັນ ຮ່າໂນ້ຍ", T(13)),
]


# 9 ─ English: "Date | Time | Activity | Speaker | Venue | Remarks", header row 4 col B.
def english_remarks() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Programme"
    headers = ["Date", "Time", "Activity", "Speaker", "Venue", "Remarks"]
    _title_block(
        ws, ["TRAINING PROGRAMME", "Vientiane cadres in Hanoi, July 2024"], 2, len(headers)
    )
    rows = [
        [
            dt.datetime(2024, 7, 17),
            "08:00-11:30",
            "Topic 4: Urban planning and management",
            "Dr. Pham Quoc Anh",
            "Hall A",
            None,
        ],
        [
            None,
            "13:30-17:00",
            "Field visit to Hanoi Urban Planning Institute",
            None,
            "HUPI",
            "Bus departs 13:00 from the hotel lobby",
        ],
    ]
    last = _table(ws, 4, 2, headers, rows, [(0, 1, 2)])
    ws.cell(last + 2, 5, "ORGANISING COMMITTEE")
    return _save(wb)


ENGLISH_REMARKS = [
    Meant(
        D(2024, 7, 17),
        T(8),
        T(11, 30),
        K.LECTURE,
        "Urban planning",
        "Dr. Pham Quoc Anh",
        "Hall A",
        topic=4,
    ),
    Meant(
        D(2024, 7, 17),
        T(13, 30),
        T(17),
        K.FIELD_VISIT,
        "Urban Planning Institute",
        "",
        "HUPI",
        T(13),
    ),
]


# 10 ─ Date merged over four rows, a second sheet with the roster.
def merged_four_with_roster() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Lịch học"
    headers = [
        "TT",
        "Ngày/tháng",
        "Thời gian",
        "Nội dung học tập/công việc",
        "Giảng viên",
        "Địa điểm",
        "Ghi chú",
    ]
    _title_block(ws, VI_TITLE[:3], 2, len(headers))
    rows = [
        [
            1,
            dt.datetime(2024, 7, 18),
            "7h30 – 9h30",
            "Chuyên đề 5: Phát triển văn hóa Thủ đô",
            "GS.TS. Đỗ Văn Long",
            "Hội trường A",
            None,
        ],
        [
            2,
            None,
            "9h45 – 11h30",
            "Thảo luận chuyên đề 5",
            "GS.TS. Đỗ Văn Long",
            "Hội trường A",
            None,
        ],
        [
            3,
            None,
            "13h30 – 15h00",
            "Chuyên đề 6: Kỹ năng lãnh đạo, quản lý",
            "TS. Vũ Thị Mai",
            "Hội trường A",
            None,
        ],
        [
            4,
            None,
            "15h15 – 17h00",
            "Tham quan Văn Miếu - Quốc Tử Giám",
            None,
            "Văn Miếu",
            "Đi bộ từ hội trường lúc 15h00",
        ],
    ]
    last = _table(ws, 5, 2, headers, rows, [(1, 1, 4)])
    _signature(ws, last, 2, len(headers))
    roster = wb.create_sheet("Danh sách học viên")
    roster.append(["TT", "Họ và tên", "Chức vụ", "Đơn vị"])
    roster.append([1, "Khamphone Sisavath", "Phó Bí thư", "Huyện Chanthabouly"])
    roster.append([2, "Bounmy Phommachanh", "Trưởng ban", "Ban Tổ chức"])
    return _save(wb)


MERGED_FOUR_WITH_ROSTER = [
    Meant(
        D(2024, 7, 18),
        T(7, 30),
        T(9, 30),
        K.LECTURE,
        "văn hóa Thủ đô",
        "GS.TS. Đỗ Văn Long",
        "Hội trường A",
        topic=5,
    ),
    Meant(
        D(2024, 7, 18),
        T(9, 45),
        T(11, 30),
        K.LECTURE,
        "Thảo luận",
        "GS.TS. Đỗ Văn Long",
        "Hội trường A",
    ),
    Meant(
        D(2024, 7, 18),
        T(13, 30),
        T(15),
        K.LECTURE,
        "Kỹ năng lãnh đạo",
        "TS. Vũ Thị Mai",
        "Hội trường A",
        topic=6,
    ),
    Meant(D(2024, 7, 18), T(15, 15), T(17), K.FIELD_VISIT, "Văn Miếu", "", "Văn Miếu", T(15)),
]


# 11 ─ Full-width day rows ("THỨ HAI, NGÀY 15/7/2024"), "Giờ" column, "- Báo cáo viên:" in content.
def day_rows_multiline() -> bytes:
    wb = Workbook()
    ws = wb.active
    headers = ["Giờ", "Nội dung", "Chủ trì", "Địa điểm", "Ghi chú"]
    _title_block(ws, VI_TITLE[2:], 3, len(headers))
    ws.cell(5, 3, "Giờ")
    rows: list[Row] = [
        ["THỨ NĂM, NGÀY 18/7/2024", None, None, None, None],
        [
            "7h30-11h30",
            "Chuyên đề 5: Phát triển văn hóa Thủ đô\n- Báo cáo viên: GS.TS. Đỗ Văn Long",
            None,
            "Hội trường A",
            None,
        ],
        [
            "14h00-17h00",
            "Khảo sát thực tế tại Làng gốm Bát Tràng",
            "Sở VH&TT",
            "Bát Tràng",
            "Xe đón tại khách sạn lúc 13h15",
        ],
        ["THỨ SÁU, NGÀY 19/7/2024", None, None, None, None],
        [
            "7h30-11h30",
            "Chuyên đề 6: Kỹ năng lãnh đạo, quản lý\n- Báo cáo viên: TS. Vũ Thị Mai",
            None,
            "Hội trường A",
            None,
        ],
    ]
    last = _table(ws, 5, 3, headers, rows)
    for r in (6, 9):
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=3 + len(headers) - 1)
    _signature(ws, last, 3, len(headers))
    return _save(wb)


DAY_ROWS_MULTILINE = [
    Meant(
        D(2024, 7, 18),
        T(7, 30),
        T(11, 30),
        K.LECTURE,
        "văn hóa Thủ đô",
        "GS.TS. Đỗ Văn Long",
        "Hội trường A",
        topic=5,
    ),
    Meant(
        D(2024, 7, 18), T(14), T(17), K.FIELD_VISIT, "Bát Tràng", "Sở VH&TT", "Bát Tràng", T(13, 15)
    ),
    Meant(
        D(2024, 7, 19),
        T(7, 30),
        T(11, 30),
        K.LECTURE,
        "Kỹ năng lãnh đạo",
        "TS. Vũ Thị Mai",
        "Hội trường A",
        topic=6,
    ),
]


# 12 ─ Buổi as its own merged column, "Thời gian" with "Từ | Đến" under it, "13g30".
def buoi_tu_den() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tuần 2"
    _title_block(ws, VI_TITLE[:3], 2, 8)
    top = ["TT", "Ngày", "Buổi", "Thời gian", None, "Nội dung", "Báo cáo viên", "Địa điểm"]
    sub = [None, None, None, "Từ", "Đến", None, None, None]
    for j, text in enumerate(top):
        if text:
            ws.cell(6, 2 + j, text)
    for j, text in enumerate(sub):
        if text:
            ws.cell(7, 2 + j, text)
    ws.merge_cells("E6:F6")
    for col in "BCDGHI":
        ws.merge_cells(f"{col}6:{col}7")
    data = [
        [
            1,
            "Thứ Hai - 22/7/2024",
            "Sáng",
            "7h30",
            "11h30",
            "Chuyên đề 7: Chính phủ số",
            "TS. Ngô Thanh Bình",
            "Hội trường A",
        ],
        [
            2,
            None,
            "Chiều",
            "13g30",
            "17g00",
            "Chuyên đề 8: Cải cách hành chính",
            "TS. Hoàng Văn Nam",
            "Hội trường A",
        ],
    ]
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            if v is not None:
                ws.cell(8 + i, 2 + j, v)
    ws.merge_cells("C8:C9")
    _signature(ws, 9, 2, 8)
    return _save(wb)


BUOI_TU_DEN = [
    Meant(
        D(2024, 7, 22),
        T(7, 30),
        T(11, 30),
        K.LECTURE,
        "Chính phủ số",
        "TS. Ngô Thanh Bình",
        "Hội trường A",
        topic=7,
    ),
    Meant(
        D(2024, 7, 22),
        T(13, 30),
        T(17),
        K.LECTURE,
        "Cải cách hành chính",
        "TS. Hoàng Văn Nam",
        "Hội trường A",
        topic=8,
    ),
]


# 13 ─ A lone start time "8h" / "13h30" (each runs to the next), a hidden helper column, "Kết thúc".
def lone_starts_hidden_first() -> bytes:
    wb = Workbook()
    ws = wb.active
    headers = ["helper", "Ngày", "Giờ", "Nội dung", "Báo cáo viên", "Địa điểm"]
    _title_block(ws, VI_TITLE[2:], 2, len(headers))
    rows = [
        [
            "x",
            "Thứ Ba, 23/7",
            "8h",
            "Chuyên đề 9: Hội nhập quốc tế",
            "PGS.TS. Phan Văn Tú",
            "Hội trường A",
        ],
        ["x", None, "10h", "Thảo luận tổ", None, "Phòng 201"],
        ["x", None, "11h30", "Nghỉ trưa", None, None],
        [
            "x",
            None,
            "13h30",
            "Chuyên đề 10: Kỹ năng giao tiếp quốc tế",
            "ThS. Nguyễn Hải Yến",
            "Hội trường A",
        ],
        ["x", None, "17h", "Kết thúc", None, None],
    ]
    _table(ws, 5, 2, headers, rows, [(1, 1, 5)])
    ws.column_dimensions["B"].hidden = True
    return _save(wb)


LONE_STARTS_HIDDEN_FIRST = [
    Meant(
        D(2024, 7, 23),
        T(8),
        T(10),
        K.LECTURE,
        "Hội nhập quốc tế",
        "PGS.TS. Phan Văn Tú",
        "Hội trường A",
        topic=9,
    ),
    Meant(D(2024, 7, 23), T(10), T(11, 30), K.LECTURE, "Thảo luận", "", "Phòng 201"),
    Meant(D(2024, 7, 23), T(11, 30), T(13, 30), K.BREAK, "Nghỉ trưa"),
    Meant(
        D(2024, 7, 23),
        T(13, 30),
        T(17),
        K.LECTURE,
        "giao tiếp quốc tế",
        "ThS. Nguyễn Hải Yến",
        "Hội trường A",
        topic=10,
    ),
]


BLIND: dict[str, tuple[Callable[[], bytes], list[Meant]]] = {
    "excel_dates_en_dash": (excel_dates_en_dash, EXCEL_DATES_EN_DASH),
    "thu_paren_buoi": (thu_paren_buoi, THU_PAREN_BUOI),
    "thu_hai_dash_chu_tri": (thu_hai_dash_chu_tri, THU_HAI_DASH_CHU_TRI),
    "dash_dates_phuong_tien": (dash_dates_phuong_tien, DASH_DATES_PHUONG_TIEN),
    "ngay_spacer_hidden": (ngay_spacer_hidden, NGAY_SPACER_HIDDEN),
    "dotted_two_day_trip": (dotted_two_day_trip, DOTTED_TWO_DAY_TRIP),
    "lao_excel_dates": (lao_excel_dates, LAO_EXCEL_DATES),
    "lao_row9_col_c": (lao_row9_col_c, LAO_ROW9_COL_C),
    "english_remarks": (english_remarks, ENGLISH_REMARKS),
    "merged_four_with_roster": (merged_four_with_roster, MERGED_FOUR_WITH_ROSTER),
    "day_rows_multiline": (day_rows_multiline, DAY_ROWS_MULTILINE),
    "buoi_tu_den": (buoi_tu_den, BUOI_TU_DEN),
    "lone_starts_hidden_first": (lone_starts_hidden_first, LONE_STARTS_HIDDEN_FIRST),
}
