"""One description of a result sheet (OutputSheet), two back ends (SheetRenderer): the
package writer and Excel (xlwings' remote engine, tests/xlpayload.py) lay it out alike."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl

from emutools.excel import ExcelRenderer
from emutools.io.sheetdata import BarChart, OutputSheet
from emutools.io.template import build_workbook, default_content
from emutools.io.xlsx import PackageRenderer
from tests.xlpayload import actions, book_from

SHEET = OutputSheet(
    name="Thử nghiệm", title="BẢNG THỬ", subtitle="Hai đơn vị",
    header=["Mã", "Tên đơn vị", "Điểm", "Ngày"],
    rows=[["SCT", "Sở Công Thương", 97.1, dt.date(2025, 12, 1)],
          ["=SXD", "Sở Xây dựng", 95, None]],
    table_name="tblThu", number_formats=["@", "General", "0.0", "dd/mm/yyyy"],
    widths=[8, 30, 10, 12], links=[(1, 1, "'Đơn vị'!B6")],
    charts=(BarChart("Điểm", category_col=1, value_col=2, anchor_col=1, anchor_row=8),))


def test_both_back_ends_lay_out_the_same_cells_table_and_chart(tmp_path):
    source = tmp_path / "mau.xlsx"
    build_workbook(source, default_content("vi"))
    headless = tmp_path / "headless.xlsx"
    shutil.copy(source, headless)

    PackageRenderer(headless, backup=False).render_all([SHEET])
    ws = openpyxl.load_workbook(headless)[SHEET.name]
    written = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=6, max_col=4)]
    assert ws.tables["tblThu"].ref == "A4:D6"
    assert ws["B6"].hyperlink.location == "'Đơn vị'!B6"

    book = book_from(source)
    ExcelRenderer(book).render_all([SHEET])
    values = {a["start_row"]: a["values"] for a in actions(book, "setValues")}
    assert values[0] == [[SHEET.title], [SHEET.subtitle]]
    excel_block = values[SHEET.HEADER_ROW - 1]
    [table] = [a["args"] for a in actions(book, "addTable")]
    [chart] = [a["args"] for a in actions(book, "addChart")]

    assert [written[0][0], written[1][0]] == [SHEET.title, SHEET.subtitle]
    assert written[3] == excel_block[0] == SHEET.header
    # The same values; what differs is each engine's way of keeping text and links as such.
    assert written[4] == [*excel_block[1][:3], dt.datetime(2025, 12, 1)]
    assert excel_block[1][3] == "2025-12-01"  # the remote engine sends dates as ISO text
    assert written[5] == ["=SXD", "Sở Xây dựng", 95, None]  # blank: None in the file, "" sent to Excel
    assert excel_block[2] == ["'=SXD", '=HYPERLINK("#\'Đơn vị\'!B6","Sở Xây dựng")', 95, ""]
    assert table[0] == "$A$4:$D$6" and table[3] == "tblThu"
    assert chart[1] == "BarClustered" and chart[3] == "$B$4:$C$6"  # names and points, adjacent
