"""Organiser-style programmes built with openpyxl: laid out as organisers write them.

Each workbook has the shapes found in real programmes (see DOMAIN.md): a title block,
a signature block, headers in vi / lo / en (with or without diacritics), dates merged
over a day's rows or in full-width day rows, "Sáng" / "Chiều" with or without times,
time ranges in one cell, kinds in the content and the bus departure in a note. All of
them fall in the class made by :func:`class_workbook` (15–26 July 2024).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl

from tests.helpers.workbooks import make_xlsx, parts

D, T = dt.date, dt.time
CODE = "LOP-VTE"


def class_workbook(lang: str = "vi", code: str = CODE) -> bytes:
    """A template workbook creating the class the programmes go into (one session)."""
    cls, topics, sessions = parts()
    cls.update(
        {
            "Code": code,
            "First day": D(2024, 7, 15),
            "Last day": D(2024, 7, 26),
            "Default language": lang,
            "Name (en)": "Test class",
        }
    )
    for row in [*topics, *sessions]:
        row["Title (en)"] = row["Title (vi)"]
    return make_xlsx(cls, topics, sessions[:1])


def book(
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    title: str = "Lịch học",
    start: str = "A1",
    hidden_rows: Sequence[int] = (),
    hidden_first: Sequence[Sequence[Any]] | None = None,
) -> bytes:
    """A one-sheet workbook with ``rows`` written from ``start`` (e.g. "B3")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if hidden_first is not None:
        ws.title = "Lịch cũ"
        for row in hidden_first:
            ws.append(list(row))
        ws.sheet_state = "hidden"
        ws = wb.create_sheet(title)
    else:
        ws.title = title
    col0 = ord(start[0]) - ord("A") + 1
    row0 = int(start[1:])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.cell(row=row0 + r, column=col0 + c, value=value)
    for ref in merges:
        ws.merge_cells(ref)
    for number in hidden_rows:
        ws.row_dimensions[number].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TITLE_VI = [
    ["THÀNH ỦY HÀ NỘI", None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
    ["TRƯỜNG ĐÀO TẠO CÁN BỘ LÊ HỒNG PHONG", None, None, "Hà Nội, ngày 10 tháng 7 năm 2024"],
    [],
    ["LỊCH HỌC"],
    ["Lớp bồi dưỡng cán bộ thành phố Viêng Chăn (Lào), lớp 1"],
]
SIGNATURE_VI = [
    [],
    [None, None, None, "TRƯỞNG BAN TỔ CHỨC"],
    [],
    [None, None, None, "Nguyễn Văn An"],
]


@dataclass(frozen=True)
class Expected:
    """What a programme must read as."""

    sessions: int
    kinds: dict[str, int]
    first: tuple[dt.date, dt.time, dt.time]
    topics: tuple[int, ...] = ()
    departures: tuple[tuple[dt.time, str], ...] = ()
    notes: tuple[str, ...] = ()
    """Message ids expected among the preview's notes."""
    lang: str = "vi"


def vi_merged_dates() -> bytes:
    """Ngày | Buổi | Thời gian | Nội dung | Báo cáo viên | Địa điểm | Ghi chú; merged dates."""
    header = ["Ngày", "Buổi", "Thời gian", "Nội dung", "Báo cáo viên", "Địa điểm", "Ghi chú"]
    body = [
        ["Thứ Hai\n15/07/2024", "Sáng", "8h00-9h00", "Lễ khai giảng", None, "Hội trường A", None],
        [
            None,
            None,
            "9h15-11h30",
            "Chuyên đề 1: Xây dựng, chỉnh đốn Đảng",
            "PGS.TS Nguyễn Văn Hùng",
            "Hội trường A",
            None,
        ],
        [None, None, "11h30-13h30", "Nghỉ trưa", None, None, None],
        [
            None,
            "Chiều",
            "14h00-17h00",
            "Khảo sát thực tế tại Hoàng thành Thăng Long",
            None,
            None,
            "Xe xuất phát 13h30 tại sảnh Hội trường A",
        ],
        [
            "Thứ Ba\n16/07/2024",
            "Sáng",
            "7h30-11h00",
            "Chuyên đề 2: Chuyển đổi số",
            "TS Lê Thu Hà",
            "P.201",
            None,
        ],
        [None, "Chiều", "14h00-16h30", "Tự học, nghiên cứu tài liệu", None, "Thư viện", None],
    ]
    rows = [*TITLE_VI, [], header, *body, *SIGNATURE_VI]
    h = len(TITLE_VI) + 2  # the header's row number
    merges = [f"A{h + 1}:A{h + 4}", f"B{h + 1}:B{h + 3}", f"A{h + 5}:A{h + 6}", "A4:G4", "A5:G5"]
    return book(rows, merges=merges)


def vi_stt_from_to() -> bytes:
    """STT | Ngày | Buổi | Từ | Đến | Nội dung | Báo cáo viên | Địa điểm; real date, time cells."""
    header = ["STT", "Ngày", "Buổi", "Từ", "Đến", "Nội dung", "Báo cáo viên", "Địa điểm"]
    body = [
        [1, D(2024, 7, 15), "Sáng", T(8, 0), T(9, 0), "Khai mạc lớp học", None, "Hội trường 1"],
        [
            2,
            None,
            None,
            T(9, 15),
            T(11, 30),
            "Chuyên đề 3: Kinh tế số",
            "TS Phạm B",
            "Hội trường 1",
        ],
        [3, None, "Chiều", T(14, 0), T(17, 0), "Tham quan Bảo tàng Hà Nội", None, None],
        [
            4,
            D(2024, 7, 17),
            "Sáng",
            T(8, 0),
            T(11, 0),
            "Chuyên đề 4 - Quản lý đô thị",
            "ThS Vũ C",
            "P.3",
        ],
        [5, None, "Chiều", T(14, 0), T(16, 0), "Thảo luận tổ", None, "P.3"],
    ]
    rows = [["BAN TỔ CHỨC LỚP BỒI DƯỠNG"], ["CHƯƠNG TRÌNH LỚP BỒI DƯỠNG"], [], header, *body]
    return book(rows, merges=["C5:C6"], title="Chương trình")


def vi_day_rows() -> bytes:
    """Thời gian | Nội dung | Chủ trì / Báo cáo viên | Thành phần | Địa điểm; day rows."""
    header = ["Thời gian", "Nội dung", "Chủ trì / Báo cáo viên", "Thành phần", "Địa điểm"]
    rows = [
        ["ỦY BAN NHÂN DÂN THÀNH PHỐ"],
        ["LỊCH LÀM VIỆC CỦA ĐOÀN"],
        [],
        header,
        ["THỨ HAI, NGÀY 15/07/2024"],
        ["07h30 - 08h00", "Đón tiếp đại biểu", "Ban Tổ chức", "Toàn thể học viên", "Sảnh A"],
        [
            "08:00-11:30",
            "Lễ khai giảng và Chuyên đề 1",
            "Đồng chí Bí thư Thành ủy",
            "Toàn thể",
            "Hội trường",
        ],
        ["THỨ TƯ, NGÀY 17/07/2024"],
        [
            "Sáng: 8h00 - 11h00",
            "Chuyên đề 5: Phát triển văn hóa",
            "GS Trần D",
            "Học viên",
            "Hội trường",
        ],
        [
            "14h00-17h00",
            "Khảo sát mô hình nông thôn mới tại huyện Đông Anh",
            "Sở NN",
            "Học viên",
            "Đông Anh",
        ],
        ["THỨ SÁU, NGÀY 26/07/2024"],
        [
            "09h00-10h30",
            "Lễ bế giảng, trao chứng chỉ",
            "Lãnh đạo Thành ủy",
            "Toàn thể",
            "Hội trường",
        ],
        [],
        [None, None, "KT. GIÁM ĐỐC"],
        [None, None, "PHÓ GIÁM ĐỐC"],
    ]
    return book(rows, merges=["A5:E5", "A8:E8", "A11:E11"], start="A1")


def lo_programme() -> bytes:
    """ວັນທີ | ເວລາ | ເນື້ອໃນ | ຜູ້ບັນຍາຍ | ສະຖານທີ່ | ໝາຍເຫດ, for Lao trainees."""
    header = ["ວັນທີ", "ເວລາ", "ເນື້ອໃນ", "ຜູ້ບັນຍາຍ", "ສະຖານທີ່", "ໝາຍເຫດ"]
    rows = [
        ["ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ"],
        ["ຕາຕະລາງການຝຶກອົບຮົມ"],
        [],
        header,
        ["ວັນຈັນ 15/07/2024", "08:00-09:00", "ພິທີເປີດການຝຶກອົບຮົມ", None, "ຫ້ອງປະຊຸມໃຫຍ່", None],
        [None, "09:15-11:30", "ຫົວຂໍ້ 1: ການກໍ່ສ້າງພັກ", "ປອ. ສົມພອນ", "ຫ້ອງປະຊຸມໃຫຍ່", None],
        [None, "14:00-17:00", "ທັດສະນະສຶກສາ ຫໍພິພິທະພັນ", None, None, "ລົດອອກ 13:30 ທີ່ ໂຖງໂຮງແຮມ"],
        ["ວັນອັງຄານ 16/07/2024", "08:00-11:30", "ຫົວຂໍ້ 2: ການຫັນເປັນດີຈີຕອນ", "ທ່ານ ບຸນມີ", "ຫ້ອງ 2", None],
        [None, "11:30-13:30", "ພັກທ່ຽງ", None, None, None],
        [],
        [None, None, "ຫົວໜ້າຄະນະຈັດຕັ້ງ"],
    ]
    return book(rows, merges=["A5:A7"], title="ຕາຕະລາງ")


def vi_parts_without_times() -> bytes:
    """Ngày | Buổi | Nội dung | Báo cáo viên: "Thứ Hai, 15/7" (no year), Sáng/Chiều, no times."""
    header = ["Ngày", "Buổi", "Nội dung", "Báo cáo viên"]
    rows = [
        ["LỊCH HỌC LỚP BỒI DƯỠNG"],
        [],
        header,
        [
            "Thứ Hai, 15/7",
            "Sáng",
            "Lễ khai giảng; Chuyên đề 1: Xây dựng Đảng",
            "PGS.TS Nguyễn Văn Hùng",
        ],
        [None, "Chiều", "Khảo sát thực tế tại Sở Tư pháp", None],
        ["Thứ Ba, 16/7", "Sáng", "Chuyên đề 2: Chuyển đổi số", "TS Lê Thu Hà"],
        [None, "Chiều", "Thảo luận, trao đổi", None],
    ]
    return book(rows, merges=["A4:A5", "A6:A7"])


def en_programme() -> bytes:
    """Date | Time | Activity | Speaker | Venue | Remarks, in English."""
    header = ["Date", "Time", "Activity", "Speaker", "Venue", "Remarks"]
    rows = [
        ["TRAINING PROGRAMME"],
        ["Vientiane cadres' class, Hanoi"],
        [],
        header,
        ["Monday 15/07/2024", "08:00-09:00", "Opening ceremony", None, "Hall A", None],
        [None, "09:15-11:30", "Topic 6: Urban governance", "Dr. Smith", "Hall A", None],
        [
            None,
            "14:00-17:00",
            "Field visit to the Old Quarter",
            None,
            None,
            "Bus departs 13:30 from the hotel lobby",
        ],
        [
            "Tuesday 16/07/2024",
            "08:00-11:00",
            "Topic 7: Digital government",
            "Prof. Lee",
            "Room 2",
            None,
        ],
        [],
        [None, None, "Head of the Organising Committee"],
    ]
    return book(rows, merges=["A5:A7"], title="Programme")


def vi_plain_headers_offset() -> bytes:
    """Headers without diacritics, in capitals, the table at B6; a hidden old sheet first."""
    header = ["NGAY", "BUOI", "THOI GIAN", "NOI DUNG HOC TAP", "GIANG VIEN", "DIA DIEM", "GHI CHU"]
    rows = [
        ["TRUONG CHINH TRI"],
        ["LICH HOC"],
        [],
        header,
        [
            "18/07/2024",
            "Sáng",
            "7h30-11h00",
            "Chuyên đề 8: Công tác dân vận",
            "TS Hoàng E",
            "P.1",
            None,
        ],
        [
            None,
            "Chiều",
            "13h30 - 17h00",
            "Tham quan Khu di tích Phủ Chủ tịch",
            None,
            None,
            "Xe xuất phát lúc 13h00 tại cổng trường",
        ],
    ]
    old = [["Ngày", "Thời gian", "Nội dung"], ["18/07/2024", "8h-11h", "Lịch cũ, đã bỏ"]]
    return book(rows, start="B3", merges=["B7:B8"], hidden_first=old)


def vi_two_row_header() -> bytes:
    """Ngày | Thời gian (over Từ | Đến) | Nội dung | Báo cáo viên: a two-row header."""
    rows = [
        ["LỊCH HỌC TUẦN 2"],
        [],
        ["Ngày", "Thời gian", None, "Nội dung", "Báo cáo viên"],
        [None, "Từ", "Đến", None, None],
        [D(2024, 7, 22), "8h00", "11h30", "Chuyên đề 9: Cải cách hành chính", "TS Đỗ F"],
        [None, "14h00", "17h00", "Khảo sát tại UBND phường Tràng Tiền", None],
        [D(2024, 7, 23), "8h00", "11h00", "Chuyên đề 10: Kỹ năng lãnh đạo", "TS Ngô G"],
    ]
    return book(rows, merges=["B3:C3", "A3:A4", "D3:D4", "E3:E4", "A5:A6"])


def vi_trip_and_closing() -> bytes:
    """A study trip, evenings and the closing, with time cells like "7h30-11h00"."""
    header = ["Ngày", "Buổi", "Thời gian", "Nội dung", "Địa điểm", "Ghi chú"]
    rows = [
        ["KẾ HOẠCH HỌC TẬP"],
        [],
        header,
        [
            "Thứ Bảy\n20/07/2024",
            "Sáng",
            "6h00-11h30",
            "Nghiên cứu thực tế tại tỉnh Quảng Ninh",
            "Quảng Ninh",
            "Xe xuất phát 5h30 tại khách sạn",
        ],
        [None, "Tối", "19h00-21h00", "Giao lưu văn nghệ", "Hạ Long", None],
        ["Thứ Năm\n25/07/2024", "Sáng", "8h00-10h00", "Bế giảng lớp học", "Hội trường A", None],
        [None, "Chiều", "14h00-16h00", "Tự học", None, None],
    ]
    return book(rows, merges=["A4:A5", "A6:A7"])


def lo_day_rows_parts() -> bytes:
    """Lao day rows ("ວັນທີ 16/07/2024") and a part-of-day column (ພາກ) with times."""
    header = ["ພາກ", "ເວລາ", "ເນື້ອໃນ", "ວິທະຍາກອນ", "ສະຖານທີ່"]
    rows = [
        ["ແຜນການຮຽນ"],
        [],
        header,
        ["ວັນທີ 16/07/2024"],
        ["ພາກເຊົ້າ", "08:00-11:30", "ຫົວຂໍ້ບັນຍາຍ 3: ເສດຖະກິດດີຈີຕອນ", "ທ່ານ ຄຳສອນ", "ຫ້ອງ 1"],
        ["ພາກບ່າຍ", "13:30-16:30", "ທັດສະນະສຶກສາ ບ້ານຫັດຖະກຳ", None, None],
        ["ວັນທີ 19/07/2024"],
        ["ພາກເຊົ້າ", "08:00-11:00", "ຮຽນດ້ວຍຕົນເອງ", None, "ຫ້ອງສະໝຸດ"],
    ]
    return book(rows, merges=["A4:E4", "A7:E7"])


def vi_single_times() -> bytes:
    """Only a start time per row ("8h00"): each runs to the next one."""
    header = ["Ngày", "Giờ", "Hoạt động", "Người trình bày", "Phòng"]
    rows = [
        ["CHƯƠNG TRÌNH"],
        header,
        ["24/07/2024", "8h00", "Chuyên đề 11: Đối ngoại nhân dân", "Đại sứ H", "P.5"],
        [None, "9h30", "Giải lao", None, None],
        [None, "9h45", "Thảo luận chuyên đề 11", None, "P.5"],
    ]
    return book(rows)


PROGRAMMES: dict[str, tuple[Callable[[], bytes], Expected]] = {
    "vi_merged_dates": (
        vi_merged_dates,
        Expected(
            6,
            {"opening": 1, "lecture": 2, "break": 1, "field_visit": 1, "self_study": 1},
            (D(2024, 7, 15), T(8, 0), T(9, 0)),
            topics=(1, 2),
            departures=((T(13, 30), "sảnh Hội trường A"),),
        ),
    ),
    "vi_stt_from_to": (
        vi_stt_from_to,
        Expected(
            5,
            {"opening": 1, "lecture": 3, "field_visit": 1},
            (D(2024, 7, 15), T(8, 0), T(9, 0)),
            topics=(3, 4),
        ),
    ),
    "vi_day_rows": (
        vi_day_rows,
        Expected(
            5,
            {"lecture": 2, "opening": 1, "field_visit": 1, "closing": 1},
            (D(2024, 7, 15), T(7, 30), T(8, 0)),
            topics=(5,),
        ),
    ),
    "lo_programme": (
        lo_programme,
        Expected(
            5,
            {"opening": 1, "lecture": 2, "field_visit": 1, "break": 1},
            (D(2024, 7, 15), T(8, 0), T(9, 0)),
            topics=(1, 2),
            departures=((T(13, 30), "ໂຖງໂຮງແຮມ"),),
            lang="lo",
        ),
    ),
    "vi_parts_without_times": (
        vi_parts_without_times,
        Expected(
            4,
            {"opening": 1, "field_visit": 1, "lecture": 2},
            (D(2024, 7, 15), T(8, 0), T(11, 30)),
            notes=(
                "Dates without a year take the class's year ({year}): rows {rows}.",
                "No times written: morning taken as 08:00–11:30, afternoon "
                "13:30–17:00, evening 19:00–21:00: rows {rows}.",
            ),
        ),
    ),
    "en_programme": (
        en_programme,
        Expected(
            4,
            {"opening": 1, "lecture": 2, "field_visit": 1},
            (D(2024, 7, 15), T(8, 0), T(9, 0)),
            topics=(6, 7),
            departures=((T(13, 30), "the hotel lobby"),),
            lang="en",
        ),
    ),
    "vi_plain_headers_offset": (
        vi_plain_headers_offset,
        Expected(
            2,
            {"lecture": 1, "field_visit": 1},
            (D(2024, 7, 18), T(7, 30), T(11, 0)),
            topics=(8,),
            departures=((T(13, 0), "cổng trường"),),
            notes=("This sheet is hidden and was not read.",),
        ),
    ),
    "vi_two_row_header": (
        vi_two_row_header,
        Expected(
            3,
            {"lecture": 2, "field_visit": 1},
            (D(2024, 7, 22), T(8, 0), T(11, 30)),
            topics=(9, 10),
        ),
    ),
    "vi_trip_and_closing": (
        vi_trip_and_closing,
        Expected(
            4,
            {"trip": 1, "lecture": 1, "closing": 1, "self_study": 1},
            (D(2024, 7, 20), T(6, 0), T(11, 30)),
            departures=((T(5, 30), "khách sạn"),),
        ),
    ),
    "lo_day_rows_parts": (
        lo_day_rows_parts,
        Expected(
            3,
            {"lecture": 1, "field_visit": 1, "self_study": 1},
            (D(2024, 7, 16), T(8, 0), T(11, 30)),
            topics=(3,),
            lang="lo",
        ),
    ),
    "vi_single_times": (
        vi_single_times,
        Expected(
            3,
            {"lecture": 2, "break": 1},
            (D(2024, 7, 24), T(8, 0), T(9, 30)),
            topics=(11,),
            notes=("No end time written; it runs to the next session: rows {rows}.",),
        ),
    ),
}
