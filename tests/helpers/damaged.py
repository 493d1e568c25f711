"""Damaged and hostile schedule files, one per defect class, built from the valid base workbook.

Each builder changes one thing the way broken or hostile files arrive: a stale
sheet dimension, hidden rows and sheets, merged cells, NFD text, a blank-rows
bomb, an encrypted package ... :mod:`tests.schedule.test_damaged` checks that each
is either read correctly or refused with its location, changing nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import openpyxl

from tests.helpers.workbooks import make_xlsx, parts


def patch_sheet(data: bytes, sheet_index: int, change: Callable[[str], str]) -> bytes:
    """Rewrite one worksheet's XML (``xl/worksheets/sheet<N>.xml``) inside the zip."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    target = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == target:
                body = change(body.decode()).encode()
            dest.writestr(item, body)
    return out.getvalue()


def with_dimension(data: bytes, ref: str, sheet_index: int = 3) -> bytes:
    """The sessions sheet (third) claiming the dimension ``ref``."""

    def change(xml: str) -> str:
        if "<dimension" in xml:
            return re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
        return xml.replace("<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>', 1)

    return patch_sheet(data, sheet_index, change)


def stale_dimension() -> bytes:
    """The file says A1:P3 but the table runs to row 5."""
    return with_dimension(make_xlsx(), "A1:P3")


def dimension_a1() -> bytes:
    return with_dimension(make_xlsx(), "A1")


def dimension_whole_sheet() -> bytes:
    """A1:XFD1048576 and one blank cell at the very end of the sheet."""
    data = with_dimension(make_xlsx(), "A1:XFD1048576")
    return patch_sheet(
        data,
        3,
        lambda xml: xml.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
        ),
    )


def blank_rows_bomb(rows: int, *, sheet_index: int = 3) -> bytes:
    """``rows`` empty ``<row/>`` elements after the table: megabytes unpacked, kilobytes packed."""
    data = make_xlsx()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    target = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dest:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename != target:
                dest.writestr(item, body)
                continue
            head, tail = body.decode().split("</sheetData>")
            info = zipfile.ZipInfo(target, date_time=item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dest.open(info, "w") as fh:
                fh.write(head.encode())
                chunk = b"<row/>" * 100_000
                for _ in range(rows // 100_000):
                    fh.write(chunk)
                fh.write(b"<row/>" * (rows % 100_000))
                fh.write(("</sheetData>" + tail).encode())
    return out.getvalue()


def _edit(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def header_only() -> bytes:
    """The sessions sheet keeps its header and lost every row."""

    def change(wb: openpyxl.Workbook) -> None:
        wb["Sessions"].delete_rows(2, 10)

    return _edit(make_xlsx(), change)


def hidden_row() -> bytes:
    """Row 3 of the sessions (a cancelled session) hidden, not deleted."""

    def change(wb: openpyxl.Workbook) -> None:
        wb["Sessions"].row_dimensions[3].hidden = True

    return _edit(make_xlsx(), change)


def hidden_old_sheet_first() -> bytes:
    """An old, hidden sessions sheet placed before the real one."""

    def change(wb: openpyxl.Workbook) -> None:
        old = wb.copy_worksheet(wb["Sessions"])
        old.title = "Sessions (old)"
        old["B2"] = "2024-07-16"
        wb.move_sheet(old, offset=-3)
        old.sheet_state = "hidden"

    return _edit(make_xlsx(), change)


def only_sessions_sheet_hidden() -> bytes:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Sessions"].sheet_state = "hidden"

    return _edit(make_xlsx(), change)


def second_sessions_sheet() -> bytes:
    def change(wb: openpyxl.Workbook) -> None:
        extra = wb.copy_worksheet(wb["Sessions"])
        extra.title = "Lịch học"

    return _edit(make_xlsx(), change)


def duplicate_columns() -> bytes:
    """Two "Date" columns (the first one stale)."""
    cls, topics, sessions = parts()
    for row in sessions:
        row["Ngày"] = "16/07/2024"
    return make_xlsx(cls, topics, sessions)


def merged_across_required() -> bytes:
    """Start and End of one session merged into one cell."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Sessions"]
        heads = [c.value for c in ws[1]]
        start, end = heads.index("Start") + 1, heads.index("End") + 1
        ws.cell(row=3, column=end).value = None
        ws.merge_cells(start_row=3, start_column=start, end_row=3, end_column=end)

    return _edit(make_xlsx(), change)


def merged_date_down() -> bytes:
    """One date merged over two sessions of the same day: read as written."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Sessions"]
        heads = [c.value for c in ws[1]]
        col = heads.index("Date") + 1
        ws.cell(row=3, column=col).value = None
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)

    return _edit(make_xlsx(), change)


def encrypted() -> bytes:
    """The start of an OLE2 compound file holding an EncryptedPackage stream (as Excel writes)."""
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return magic + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024


def old_xls() -> bytes:
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return magic + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 1024
