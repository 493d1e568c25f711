"""The sample workbooks in ``schedules/``: the text form's schedule, and what only a workbook has.

``schedules/*.toml`` hold each sample class's schedule; the ``.xlsx`` next to them are
generated from it (:func:`bot.schedule.write.workbook`) and then given what the text
form has no place for and the pocket reads from a workbook only (issue 18):

- contact fields on the class sheet (organisers' hotline, class managers, nearest
  hospital, embassy or consulate, emergency numbers);
- interpreter columns on the sessions sheet for the sessions given in a language the
  trainees do not read (Vietnamese lectures for Lao trainees, Chinese ones for
  Vietnamese trainees), matched to the sessions by their ID;
- a trainees sheet (rooms, roommates, buses and seats, group leaders) for the
  Vientiane class, the one the terminal chat opens on.

Every phone number here is a sample ("0000" in the middle), except the public
emergency numbers (115 in Viet Nam; 120, 110 and 119 in China).

Regenerate both workbooks after editing a ``.toml`` or this file::

    python -m bot.schedule.samples

``tests/schedule/test_samples.py`` fails when a committed workbook differs from what
this module builds.
"""

from __future__ import annotations

import io
import sys
from copy import copy
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain import Schedule
from bot.schedule.check import build_schedule
from bot.schedule.importer import SAMPLES, sample_path
from bot.schedule.read import read_file
from bot.schedule.write import workbook

TRAINEES_SHEET = "Học viên"
"""The trainees sheet's name (one of :data:`bot.schedule.extras.TRAINEE_SHEETS`)."""


@dataclass(frozen=True, slots=True)
class Interpreting:
    """Who interprets a group of sessions, from which language into which."""

    interpreter: str
    lecture_lang: str
    into: str
    sessions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SampleExtras:
    contacts: tuple[tuple[str, str], ...]
    interpreting: tuple[Interpreting, ...]
    trainees: tuple[tuple[str, ...], ...] = ()


_VTE_LECTURES = tuple(f"topic-{n:02d}" for n in range(1, 11))

VIENTIANE = SampleExtras(
    contacts=(
        (
            "Đường dây nóng Ban Tổ chức / Hotline",
            "Ban Tổ chức lớp (Ban Tổ chức Thành ủy Hà Nội): 024 0000 3535",
        ),
        (
            "Điện thoại quản lý lớp / Class managers",
            "Nguyễn Văn Hải (trưởng ban quản lý lớp): 0912 000 101; "
            "Trần Thị Thu Hương: 0913 000 102; "
            "ສົມຈິດ ວົງພະຈັນ (Somchith Vongphachanh): +856 20 0000 0103",
        ),
        (
            "Bệnh viện gần nhất / Nearest hospital",
            "Bệnh viện Bạch Mai (Bach Mai Hospital), 78 Giải Phóng, Hà Nội: 024 0000 0115",
        ),
        (
            "Đại sứ quán / Embassy",
            "Đại sứ quán Lào tại Hà Nội (ສະຖານທູດ ສປປ ລາວ ປະຈຳ ຮ່າໂນ້ຍ), "
            "22 Trần Bình Trọng: 024 0000 2017",
        ),
        ("Số khẩn cấp / Emergency numbers", "Cấp cứu / Ambulance 115; Công an / Police 113"),
    ),
    interpreting=(
        Interpreting("Vũ Thị Hồng Nhung", "Tiếng Việt", "Tiếng Lào", ("opening", "closing")),
        Interpreting(
            "ຄຳຫຼ້າ ສີສຸວັນ (Khamla Sisouvanh)", "Tiếng Việt", "Tiếng Lào", _VTE_LECTURES[0::2]
        ),
        Interpreting("Phạm Văn Thành", "Tiếng Việt", "Tiếng Lào", _VTE_LECTURES[1::2]),
    ),
)

_GZ_LECTURES = tuple(f"topic-{n}" for n in range(1, 7))

GUANGZHOU = SampleExtras(
    contacts=(
        (
            "Đường dây nóng Ban Tổ chức / Hotline",
            "Ban Tổ chức Thành ủy Hà Nội (từ Trung Quốc gọi +84): +84 24 0000 3535",
        ),
        (
            "Điện thoại quản lý lớp / Class managers",
            "Lê Minh Đức (trưởng đoàn): +84 912 000 201; "
            "Đặng Thu Trang: +84 913 000 202; "
            "Trợ lý SCUT / SCUT assistant Chen Jing: +86 138 0000 0203",
        ),
        (
            "Bệnh viện gần nhất / Nearest hospital",
            "Bệnh viện Nhân dân tỉnh Quảng Đông (广东省人民医院), "
            "106 Trung Sơn 2, Quảng Châu: 020 0000 0120",
        ),
        (
            "Tổng Lãnh sự quán / Consulate general",
            "Tổng Lãnh sự quán Việt Nam tại Quảng Châu (越南驻广州总领事馆), "
            "Khu Thiên Hà: 020 0000 0084; bảo hộ công dân / citizen protection: +86 138 0000 0084",
        ),
        (
            "Số khẩn cấp / Emergency numbers",
            "Cấp cứu / Ambulance 120; Công an / Police 110; Cứu hỏa / Fire 119",
        ),
    ),
    interpreting=(
        Interpreting(
            "Lâm Tú Anh (Lin Xiuying)", "Tiếng Trung", "Tiếng Việt", ("opening", "closing")
        ),
        Interpreting("Lâm Tú Anh (Lin Xiuying)", "Tiếng Trung", "Tiếng Việt", _GZ_LECTURES[0::2]),
        Interpreting("Phạm Minh Châu", "Tiếng Trung", "Tiếng Việt", _GZ_LECTURES[1::2]),
    ),
)

TRAINEE_HEADER = (
    "STT / No.",
    "Họ và tên / Name",
    "Đơn vị / Unit",
    "Phòng / Room",
    "Ở cùng phòng / Roommate",
    "Xe / Bus",
    "Ghế / Seat",
    "Trưởng nhóm / Group leader",
    "Ngôn ngữ / Language",
    "Điện thoại / Phone",
)

_NAMES = (
    "ສົມພອນ ພົມມະຈັນ (Somphone Phommachanh)",
    "ບຸນມີ ແກ້ວມະນີ (Bounmy Keomany)",
    "ວັນນະສັກ ສີຫາລາດ (Vannasak Sihalath)",
    "ຄຳຜົງ ໄຊຍະວົງ (Khamphong Xayavong)",
    "ແສງເດືອນ ຈັນທະລາ (Sengdeuane Chanthala)",
    "ວິໄລພອນ ອິນທະວົງ (Vilayphone Inthavong)",
    "ສີສະຫວາດ ພິມມະສອນ (Sisavath Phimmasone)",
    "ບົວພັນ ສຸວັນນະລາດ (Bouaphanh Souvannarath)",
    "ທອງສະໄໝ ບຸບຜາ (Thongsamay Bouppha)",
    "ອານຸສອນ ແສງສຸລິຍາ (Anousone Sengsouliya)",
    "ສຸລິຍາ ວົງພະຈັນ (Souliya Vongphachanh)",
    "ຈັນທະວີ ພົມມະວົງ (Chanthavy Phommavong)",
    "ບຸນທັນ ສີສຸວັນ (Bounthanh Sisouvanh)",
    "ສຸກສະຫວັນ ແກ້ວບົວລະພາ (Souksavanh Keobouapha)",
    "ຄຳໃສ ດວງມາລາ (Khamsay Douangmala)",
    "ພອນສະຫວັນ ໄຊສົມບັດ (Phonesavanh Xaysombath)",
    "ສົມສັກ ລາດຊະວົງ (Somsack Ratsavong)",
    "ມະນີວອນ ທຳມະວົງ (Manyvone Thammavong)",
    "ບຸນເຫຼືອ ສີລິພັນ (Bounleua Siliphanh)",
    "ດາວວອນ ພູມມະລາ (Daovone Phoummala)",
    "ເພັດສະໝອນ ຄຳພູວົງ (Phetsamone Khamphouvong)",
    "ສີວິໄລ ວໍລະຈິດ (Sivilay Volachith)",
    "ຂັນທະລີ ສິດທິວົງ (Khanthaly Sitthivong)",
    "ອຸດອນ ໄຊຍະສານ (Oudone Xayasane)",
    "ນາລີ ພັນທະວົງ (Naly Phanthavong)",
    "ວົງສະຫວັນ ແສງອາລຸນ (Vongsavanh Sengaloun)",
    "ປານີ ຈັນທະວົງ (Pany Chanthavong)",
)
"""Class 1's 27 trainees (sample names)."""

_UNITS = (
    "ຄະນະໂຄສະນາອົບຮົມ ຄະນະພັກນະຄອນຫຼວງວຽງຈັນ",
    "ຄະນະຈັດຕັ້ງ ຄະນະພັກນະຄອນຫຼວງວຽງຈັນ",
    "ແນວລາວສ້າງຊາດ ນະຄອນຫຼວງວຽງຈັນ",
    "ສະຫະພັນແມ່ຍິງ ນະຄອນຫຼວງວຽງຈັນ",
    "ຊາວໜຸ່ມປະຊາຊົນປະຕິວັດລາວ ນະຄອນຫຼວງວຽງຈັນ",
    "ສະຫະພັນກຳມະບານ ນະຄອນຫຼວງວຽງຈັນ",
    "ຄະນະພັກເມືອງຈັນທະບູລີ",
    "ຄະນະພັກເມືອງໄຊເສດຖາ",
    "ຄະນະພັກເມືອງສີສັດຕະນາກ",
)

_GROUPS = 4
_BUS_SEATS = 14


def _trainees() -> tuple[tuple[str, ...], ...]:
    """Two to a room (the last alone), two buses, four groups each led by its second member."""
    rows: list[tuple[str, ...]] = []
    for i, name in enumerate(_NAMES):
        mate = i + 1 if i % 2 == 0 else i - 1
        roommate = _NAMES[mate] if mate < len(_NAMES) else ""
        floor, door = divmod(i // 2, 7)
        room = f"{floor + 3}{door + 1:02d}"
        bus, seat = divmod(i, _BUS_SEATS)
        group = i * _GROUPS // len(_NAMES)
        leader = _NAMES[-(-group * len(_NAMES) // _GROUPS) + 1]
        rows.append(
            (
                str(i + 1),
                name,
                _UNITS[i % len(_UNITS)],
                room,
                roommate,
                str(bus + 1),
                str(seat + 1),
                leader,
                "lo",
                f"+856 20 0000 {1100 + i + 1}",
            )
        )
    return tuple(rows)


EXTRAS: dict[str, SampleExtras] = {
    SAMPLES[0]: SampleExtras(VIENTIANE.contacts, VIENTIANE.interpreting, _trainees()),
    SAMPLES[1]: GUANGZHOU,
}
"""Each sample's text form → what its workbook adds."""


def _header_like(ws: Worksheet, row: int, columns: range, model: Worksheet) -> None:
    """Style a header row like the generated sheets' (bold on a fill)."""
    source = model.cell(row=1, column=1)
    for c in columns:
        cell = ws.cell(row=row, column=c)
        cell.font = copy(source.font)
        cell.fill = copy(source.fill)
        cell.alignment = copy(source.alignment)


def _text(ws: Worksheet, row: int, values: tuple[str, ...] | list[str], start: int = 1) -> None:
    """Write text cells (formatted as text, so Excel keeps "0912…" and "03" as written)."""
    for offset, value in enumerate(values):
        cell = ws.cell(row=row, column=start + offset, value=value)
        cell.number_format = "@"


def sample_workbook(name: str) -> bytes:
    """The workbook of the sample whose text form is ``name`` (one of :data:`SAMPLES`)."""
    schedule: Schedule = build_schedule(read_file(sample_path(name).read_bytes(), name))
    extras = EXTRAS[name]
    book = workbook(schedule)
    class_sheet, _topics, sessions = book.worksheets[:3]
    for label, value in extras.contacts:
        _text(class_sheet, class_sheet.max_row + 1, (label, value))

    first = sessions.max_column + 1
    _text(
        sessions,
        1,
        (
            "Phiên dịch / Interpreter",
            "Dịch sang / Interpreted into",
            "Ngôn ngữ giảng / Lecture language",
        ),
        first,
    )
    _header_like(sessions, 1, range(first, first + 3), sessions)
    by_key = {session: group for group in extras.interpreting for session in group.sessions}
    for row in range(2, sessions.max_row + 1):
        group = by_key.get(str(sessions.cell(row=row, column=1).value))
        if group is not None:
            _text(sessions, row, (group.interpreter, group.into, group.lecture_lang), first)
    for offset, width in enumerate((34, 16, 18)):
        letter = sessions.cell(row=1, column=first + offset).column_letter
        sessions.column_dimensions[letter].width = width

    if extras.trainees:
        sheet = book.create_sheet(TRAINEES_SHEET)
        _text(sheet, 1, TRAINEE_HEADER)
        _header_like(sheet, 1, range(1, len(TRAINEE_HEADER) + 1), class_sheet)
        for trainee in extras.trainees:
            _text(sheet, sheet.max_row + 1, trainee)
        for offset, width in enumerate((8, 44, 40, 10, 44, 8, 8, 44, 12, 20)):
            sheet.column_dimensions[
                sheet.cell(row=1, column=offset + 1).column_letter
            ].width = width
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def workbook_path(name: str) -> Path:
    """Where the workbook of the sample ``name`` is committed."""
    return sample_path(name).with_suffix(".xlsx")


def cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values, to compare two workbooks (their zip bytes differ by date)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def main() -> int:
    """Write both sample workbooks next to their text forms."""
    for name in SAMPLES:
        path = workbook_path(name)
        path.write_bytes(sample_workbook(name))
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
