"""The package-level writer against real workbooks (built with openpyxl, edited at zip level).

No mocks: every test writes a real file and reads it back with openpyxl, python-calamine,
the zip module, and (when installed) LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table
from python_calamine import CalamineWorkbook

from emutools.io.sheetdata import BarChart, OutputSheet
from emutools.io.xlsx import WorkbookWriteError, write_output_sheets

RANKING, ISSUES, SCORES, SETTINGS = "Xếp hạng", "Kiểm tra", "Tự chấm", "Cài đặt"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
# docProps/app.xml is left as it is (Excel rewrites its list of sheet titles on saving).
REWRITTEN = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
             "xl/styles.xml"}


# --- input workbooks -------------------------------------------------------------------------


def build_workbook(path: Path) -> Path:
    """Settings and scores sheets full of things that must survive, and a stale ranking."""
    wb = openpyxl.Workbook()
    settings = wb.active
    settings.title = SETTINGS
    settings.append(["Thông số", "Giá trị"])
    settings.append(["Năm đánh giá", 2024])
    settings.append(["Ký giao ước", "Có"])
    settings["A1"].font = Font(bold=True, color="FFFFFF")
    settings["A1"].fill = PatternFill("solid", fgColor="1F4E79")
    settings["B2"].comment = Comment("Năm của kỳ thi đua", "emutools")
    validation = DataValidation(type="list", formula1='"Có,Không"')
    settings.add_data_validation(validation)
    validation.add("B3")
    wb.defined_names["NamDanhGia"] = DefinedName("NamDanhGia", attr_text="'Cài đặt'!$B$2")

    scores = wb.create_sheet(SCORES)
    scores.append(["Mã", "Tên đơn vị", "1.1", "1.2", "Tổng"])
    for r, (code, name, a, b) in enumerate([("A", "Công an tỉnh", 9, 9.5), ("B", "Sở Y tế", 8, 10),
                                            ("C", "Sở Tư pháp", 9, 9)], start=2):
        scores.append([code, name, a, b, f"=SUM(C{r}:D{r})"])
    scores["E2"].number_format = "0.00"
    scores.conditional_formatting.add("C2:D4", CellIsRule(operator="lessThan", formula=["5"],
                                                          fill=PatternFill("solid", fgColor="FFC7CE")))
    scores["B2"].hyperlink = Hyperlink(ref="B2", location="'Cài đặt'!A1", display="Công an tỉnh")

    stale = wb.create_sheet(RANKING)
    stale["A1"] = "Kết quả cũ"
    stale.append([])
    stale.append([])
    stale.append(["Hạng", "Đơn vị"])
    stale.append([1, "B"])
    stale.append([2, "A"])
    stale.add_table(Table(displayName="XepHangCu", ref="A4:B6"))
    stale["A1"].comment = Comment("cũ", "emutools")
    stale.sheet_properties.codeName = "Sheet3"  # what ties it to its VBA module in an .xlsm
    wb.active = stale  # the user last looked at the ranking
    settings.sheet_view.tabSelected, stale.sheet_view.tabSelected = False, True
    wb.save(path)
    return path


def rezip(path: Path, changes: dict[str, bytes | None], out: Path | None = None) -> Path:
    """Rewrite a zip with some members replaced (bytes), removed (None) or appended."""
    out = out or path
    with zipfile.ZipFile(path) as src:
        members = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    names = {n for n, _ in members}
    tmp = out.with_suffix(".rezip")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            new = changes.get(name, data)
            if new is not None:
                dst.writestr(name, new)
        for name, data in changes.items():
            if name not in names and data is not None:
                dst.writestr(name, data)
    tmp.replace(out)
    return out


def sheet_part(path: Path, name: str) -> str:
    """The worksheet part of sheet ``name``, found the way Excel does (workbook rels)."""
    with zipfile.ZipFile(path) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    rid = book.xpath("//m:sheet[@name=$n]/@r:id", namespaces=NS, n=name)[0]
    target = rels.xpath("//pr:Relationship[@Id=$i]/@Target", namespaces=NS, i=rid)[0]
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def rels_path(part: str) -> str:
    folder, base = part.rsplit("/", 1)
    return f"{folder}/_rels/{base}.rels"


def add_rel(z: zipfile.ZipFile, part: str, rid: str, kind: str, target: str) -> bytes:
    """The part's rels file with one more relationship (created if the part had none)."""
    name = rels_path(part)
    text = (z.read(name).decode() if name in z.namelist() else
            f'<Relationships xmlns="{NS["pr"]}"></Relationships>')
    return text.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{NS["r"]}/{kind}" '
                                            f'Target="{target}"/></Relationships>').encode()


SHAPE_DRAWING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
    '<xdr:from><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0'
    '</xdr:rowOff></xdr:from><xdr:to><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4'
    '</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr>'
    '<xdr:cNvPr id="2" name="Nút Tính điểm"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm>'
    '<a:off x="0" y="0"/><a:ext cx="1828800" cy="548640"/></a:xfrm><a:prstGeom prst="roundRect">'
    '<a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Tính điểm</a:t>'
    '</a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>'
).encode()


def add_shape(path: Path) -> Path:
    """A rounded-rectangle 'button' on the scores sheet, as Excel stores a shape."""
    part = sheet_part(path, SCORES)
    with zipfile.ZipFile(path) as z:
        sheet = z.read(part).decode()
        types = z.read("[Content_Types].xml").decode()
        rels = add_rel(z, part, "rIdShape", "drawing", "../drawings/drawing1.xml")
    anchor = next(t for t in ("<legacyDrawing", "<tableParts", "<extLst", "</worksheet>") if t in sheet)
    sheet = sheet.replace(anchor, f'<drawing xmlns:r="{NS["r"]}" r:id="rIdShape"/>' + anchor, 1)
    types = types.replace("</Types>", '<Override PartName="/xl/drawings/drawing1.xml" ContentType='
                          '"application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
    return rezip(path, {part: sheet.encode(), rels_path(part): rels,
                        "[Content_Types].xml": types.encode(), "xl/drawings/drawing1.xml": SHAPE_DRAWING})


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


def share_image(path: Path) -> Path:
    """One picture used by the scores sheet's drawing and by a drawing of the stale ranking."""
    ranking_part = sheet_part(path, RANKING)
    image_rel = f'<Relationship Id="rIdImg" Type="{NS["r"]}/image" Target="../media/image1.png"/>'
    with zipfile.ZipFile(path) as z:
        shape_rels = add_rel(z, "xl/drawings/drawing1.xml", "rIdImg", "image", "../media/image1.png")
        ranking_rels = add_rel(z, ranking_part, "rIdPic", "drawing", "../drawings/drawing3.xml")
        types = z.read("[Content_Types].xml").decode()
    types = types.replace("</Types>", '<Default Extension="png" ContentType="image/png"/><Override '
                          'PartName="/xl/drawings/drawing3.xml" ContentType="application/vnd.'
                          'openxmlformats-officedocument.drawing+xml"/></Types>')
    return rezip(path, {"xl/media/image1.png": PNG, "xl/drawings/_rels/drawing1.xml.rels": shape_rels,
                        "xl/drawings/drawing3.xml": SHAPE_DRAWING, rels_path(ranking_part): ranking_rels,
                        "xl/drawings/_rels/drawing3.xml.rels": f'<Relationships xmlns="{NS["pr"]}">'
                        f'{image_rel}</Relationships>'.encode(), "[Content_Types].xml": types.encode()})


def make_xlsm(path: Path) -> Path:
    """The workbook as .xlsm with a (dummy) VBA project, wired up as Excel does."""
    xlsm = path.with_suffix(".xlsm")
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = add_rel(z, "xl/workbook.xml", "rIdVBA", "vbaProject", "vbaProject.bin").replace(
            f'{NS["r"]}/vbaProject'.encode(), b"http://schemas.microsoft.com/office/2006/relationships/vbaProject")
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    types = types.replace("</Types>", '<Default Extension="bin" ContentType='
                          '"application/vnd.ms-office.vbaProject"/></Types>')
    vba = bytes(range(256)) * 40  # opaque to the writer, like a real VBA project
    return rezip(path, {"[Content_Types].xml": types.encode(), "xl/_rels/workbook.xml.rels": rels,
                        "xl/vbaProject.bin": vba}, out=xlsm)


def add_calc_chain(path: Path, sheet_id: int) -> Path:
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = add_rel(z, "xl/workbook.xml", "rIdCalc", "calcChain", "calcChain.xml")
    types = types.replace("</Types>", '<Override PartName="/xl/calcChain.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
    chain = f'<calcChain xmlns="{NS["m"]}"><c r="E2" i="{sheet_id}"/><c r="E3"/></calcChain>'.encode()
    return rezip(path, {"[Content_Types].xml": types.encode(), "xl/_rels/workbook.xml.rels": rels,
                        "xl/calcChain.xml": chain})


# --- output sheets ---------------------------------------------------------------------------

RANKING_HEADER = ["Hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Đủ điều kiện", "Ngày chấm",
                  "Ghi chú"]
RANKING_ROWS = [
    [1, "A", "Công an tỉnh", 27.5, True, dt.date(2024, 12, 20), "=1+1"],
    [2, "B", "Sở Y tế", Decimal("26.25"), False, None, "+84 đơn vị \"tốt\" & <đạt>"],
    [3, "C", "Sở Tư pháp", 26, True, dt.date(2024, 12, 21), "@ghi chú -2 _x0041_ \x07end"],
]


def ranking(rows=RANKING_ROWS) -> OutputSheet:
    return OutputSheet(
        RANKING, "KẾT QUẢ XẾP HẠNG NĂM 2024", "Sheet do emutools ghi, không sửa tay.",
        RANKING_HEADER, [list(r) for r in rows], "XepHang",
        ["0", "@", "General", "0.00", "General", "dd/mm/yyyy", "General"],
        [7, 11, 30, 11, 12, 12, 30],
        links=[(0, 1, "'Tự chấm'!A2"), (2, 1, "'Tự chấm'!A4")],
        charts=(BarChart("Tổng điểm", category_col=2, value_col=3, anchor_col=8, anchor_row=3),))


def issues(rows=None) -> OutputSheet:
    rows = [["Lỗi", SCORES, "C3", "B", "1.1", "Điểm vượt tối đa", "Above maximum", "E001"]
            for _ in range(2)] if rows is None else rows
    return OutputSheet(ISSUES, "KIỂM TRA SỐ LIỆU", "2 lỗi", ["Mức", "Sheet", "Ô", "Đơn vị", "Tiêu chí",
                       "Nội dung", "Message", "Mã"], rows, "KiemTra", ["General"] * 8, [10] * 8,
                       links=[(0, 2, "'Tự chấm'!C3")])


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return add_shape(build_workbook(tmp_path / "Bang diem.xlsx"))


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def owned_by(path: Path, sheet: str) -> set[str]:
    """A sheet's part, its rels and every part those rels point to (one level is enough here)."""
    part = sheet_part(path, sheet)
    with zipfile.ZipFile(path) as z:
        rels = etree.fromstring(z.read(rels_path(part))) if rels_path(part) in z.namelist() else None
    targets = set() if rels is None else {
        t.lstrip("/") if t.startswith("/") else os.path.normpath(
            os.path.join(os.path.dirname(part), t)) for t in rels.xpath("//pr:Relationship/@Target",
                                                                         namespaces=NS)}
    return {part, rels_path(part)} | targets


def values(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    return list(wb[sheet].iter_rows(values_only=True))


# --- what is kept ----------------------------------------------------------------------------


def test_parts_not_owned_by_the_writer_are_byte_identical(book: Path):
    before = members(book)
    stale = owned_by(book, RANKING)
    assert any(p.startswith("xl/tables/") for p in stale) and any("comment" in p for p in stale)
    settings_before, scores_before = values(book, SETTINGS), values(book, SCORES)

    report = write_output_sheets(book, [ranking(), issues()])

    after = members(book)
    for name, data in before.items():
        if name not in REWRITTEN | stale:
            assert after.get(name) == data, name
    assert not {p for p in stale if p.startswith("xl/comments")} & after.keys()  # went with the sheet
    assert values(book, SETTINGS) == settings_before and values(book, SCORES) == scores_before
    assert report.sheets_written == [RANKING, ISSUES] and report.sheets_added == [ISSUES]
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [SETTINGS, SCORES, RANKING, ISSUES]
    assert "NamDanhGia" in wb.defined_names
    assert str(wb[SETTINGS].data_validations.dataValidation[0].sqref) == "B3"
    assert wb[SETTINGS]["B2"].comment.text.startswith("Năm của kỳ thi đua")
    assert wb[SCORES]["E3"].value == "=SUM(C3:D3)" and wb[SCORES]["B2"].hyperlink.location
    assert len(wb[SCORES].conditional_formatting) == 1


def test_shapes_on_other_sheets_survive(book: Path):
    write_output_sheets(book, [ranking()])
    after = members(book)
    scores = sheet_part(book, SCORES)
    assert after["xl/drawings/drawing1.xml"] == SHAPE_DRAWING
    assert b'r:id="rIdShape"' in after[scores] and b"drawing1.xml" in after[rels_path(scores)]
    assert "xl/drawings/drawing2.xml" in after  # the chart's drawing took the next free number


def test_parts_of_the_old_sheet_go_unless_another_sheet_uses_them(book: Path):
    share_image(book)
    before = members(book)
    write_output_sheets(book, [ranking()])
    after = members(book)
    assert "xl/drawings/drawing3.xml" not in after and "xl/drawings/_rels/drawing3.xml.rels" not in after
    assert b"drawing3" not in after["[Content_Types].xml"]
    assert after["xl/media/image1.png"] == before["xl/media/image1.png"]  # still on the scores sheet


def test_vba_project_of_an_xlsm_survives(book: Path):
    xlsm = make_xlsm(book)
    before = members(xlsm)
    write_output_sheets(xlsm, [ranking(), issues()])
    after = members(xlsm)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert b"macroEnabled.main+xml" in after["[Content_Types].xml"]
    assert b"application/vnd.ms-office.vbaProject" in after["[Content_Types].xml"]
    assert b"relationships/vbaProject" in after["xl/_rels/workbook.xml.rels"]
    assert b'<sheetPr codeName="Sheet3">' in after[sheet_part(xlsm, RANKING)]
    assert members(xlsm.with_name("Bang diem.bak.xlsm")) == before  # <stem>.bak<suffix>


def test_replaced_sheet_keeps_position_id_and_active_tab(book: Path):
    def sheets() -> tuple[list[tuple[str, str]], str]:
        root = etree.fromstring(members(book)["xl/workbook.xml"])
        return ([(s.get("name"), s.get("sheetId")) for s in root.xpath("//m:sheet", namespaces=NS)],
                root.xpath("//m:workbookView/@activeTab", namespaces=NS)[0])

    (before, active) = sheets()
    write_output_sheets(book, [issues(), ranking()])
    after, active_after = sheets()
    assert after[:3] == before and after[3][0] == ISSUES and int(after[3][1]) > max(
        int(i) for _, i in before)
    assert active_after == active == "2"
    assert b'tabSelected="1"' in members(book)[sheet_part(book, RANKING)]
    assert b"tabSelected" not in members(book)[sheet_part(book, ISSUES)]


def test_full_calc_on_load_is_set_and_other_calc_settings_kept(book: Path):
    write_output_sheets(book, [ranking()])
    calc = etree.fromstring(members(book)["xl/workbook.xml"]).find("m:calcPr", NS)
    assert calc.get("fullCalcOnLoad") == "1" and calc.get("calcId")


@pytest.mark.parametrize("refers_to_rewritten", [True, False])
def test_calc_chain_is_dropped_only_when_it_names_a_rewritten_sheet(book: Path, refers_to_rewritten):
    sheet_ids = {s.get("name"): s.get("sheetId") for s in etree.fromstring(
        members(book)["xl/workbook.xml"]).xpath("//m:sheet", namespaces=NS)}
    add_calc_chain(book, int(sheet_ids[RANKING if refers_to_rewritten else SCORES]))
    chain = members(book)["xl/calcChain.xml"]
    write_output_sheets(book, [ranking(), issues()])
    after = members(book)
    if refers_to_rewritten:
        assert "xl/calcChain.xml" not in after
        assert b"calcChain" not in after["[Content_Types].xml"]
        assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    else:
        assert after["xl/calcChain.xml"] == chain


# --- what is written -------------------------------------------------------------------------


def test_output_sheet_reads_back_exactly(book: Path):
    write_output_sheets(book, [ranking(), issues()])
    wb = openpyxl.load_workbook(book)
    ws = wb[RANKING]
    assert ws["A1"].value == "KẾT QUẢ XẾP HẠNG NĂM 2024" and ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["A2"].font.i and ws["A3"].value is None
    assert [c.value for c in ws[4]] == RANKING_HEADER
    assert ws["A4"].fill.fgColor.rgb == "FF1F4E79" and ws["A4"].font.color.rgb == "FFFFFFFF"
    assert ws["A4"].alignment.wrap_text and ws["A5"].border.left.style == "thin"
    assert ws.row_dimensions[4].height > 15  # "Đủ điều kiện" wraps in its 12-wide column
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert rows[0] == [1, "A", "Công an tỉnh", 27.5, True, dt.datetime(2024, 12, 20), "=1+1"]
    assert rows[1] == [2, "B", "Sở Y tế", 26.25, False, None, "+84 đơn vị \"tốt\" & <đạt>"]
    assert rows[2][6].startswith("@ghi chú -2 _x")  # openpyxl does not undo Excel's _x005F_ escape
    assert ws["G5"].data_type == "s"  # "=1+1" is text, not a formula
    assert ws["D5"].number_format == "0.00" and ws["F5"].number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == "A5" and ws.sheet_properties.tabColor.rgb == "FF1F4E79"
    assert ws.column_dimensions["C"].width == 30
    assert dict(ws.tables.items()) == {"XepHang": "A4:G7"}
    assert [c.name for c in ws.tables["XepHang"].tableColumns] == RANKING_HEADER
    assert (ws["B5"].hyperlink.location, ws["B7"].hyperlink.location) == ("'Tự chấm'!A2",
                                                                          "'Tự chấm'!A4")
    assert ws["B6"].hyperlink is None and ws["B5"].hyperlink.display == "A"
    assert ws["B5"].font.u == "single"

    cal = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(RANKING).to_python()
    assert cal[3] == RANKING_HEADER
    assert cal[4] == [1, "A", "Công an tỉnh", 27.5, True, dt.date(2024, 12, 20), "=1+1"]
    assert cal[5][3] == 26.25 and cal[5][6] == "+84 đơn vị \"tốt\" & <đạt>"
    assert cal[6][6] == "@ghi chú -2 _x0041_ end"  # control character dropped, the rest exact


def test_chart_is_a_native_bar_chart_with_cached_values(book: Path):
    write_output_sheets(book, [ranking()])
    after = members(book)
    part = sheet_part(book, RANKING)
    rels = after[rels_path(part)].decode()
    assert "../drawings/drawing2.xml" in rels and "../tables/table" in rels
    assert b"../charts/chart1.xml" in after["xl/drawings/_rels/drawing2.xml.rels"]
    types = after["[Content_Types].xml"].decode()
    assert 'PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-' \
           'officedocument.drawingml.chart+xml"' in types
    chart = etree.fromstring(after["xl/charts/chart1.xml"])
    assert chart.xpath("//c:barChart/c:barDir/@val", namespaces=NS) == ["bar"]
    assert chart.xpath("//c:cat//c:f/text()", namespaces=NS) == ["'Xếp hạng'!$C$5:$C$7"]
    assert chart.xpath("//c:val//c:f/text()", namespaces=NS) == ["'Xếp hạng'!$D$5:$D$7"]
    assert chart.xpath("//c:cat//c:pt/c:v/text()", namespaces=NS) == ["Công an tỉnh", "Sở Y tế",
                                                                     "Sở Tư pháp"]
    assert chart.xpath("//c:val//c:pt/c:v/text()", namespaces=NS) == ["27.5", "26.25", "26"]
    assert len(openpyxl.load_workbook(book)[RANKING]._charts) == 1


def test_two_charts_share_one_drawing_each_with_its_own_column(book: Path):
    second = BarChart("Ngày", category_col=2, value_col=5, anchor_col=8, anchor_row=25)
    sheet = ranking()
    write_output_sheets(book, [replace(sheet, charts=(*sheet.charts, second))])
    after = members(book)
    drawing = etree.fromstring(after["xl/drawings/drawing2.xml"])
    assert drawing.xpath("//c:chart/@r:id", namespaces=NS) == ["rId1", "rId2"]
    assert drawing.xpath("//xdr:from/xdr:row/text()", namespaces=NS) == ["3", "25"]
    assert drawing.xpath("//xdr:cNvPr/@id", namespaces=NS) == ["2", "3"]
    rels = after["xl/drawings/_rels/drawing2.xml.rels"].decode()
    assert "../charts/chart1.xml" in rels and "../charts/chart2.xml" in rels
    values = etree.fromstring(after["xl/charts/chart2.xml"]).xpath("//c:val//c:f/text()", namespaces=NS)
    assert values == ["'Xếp hạng'!$F$5:$F$7"]
    assert len(openpyxl.load_workbook(book)[RANKING]._charts) == 2


def test_empty_table_gets_one_blank_row(book: Path):
    write_output_sheets(book, [issues(rows=[])])
    ws = openpyxl.load_workbook(book)[ISSUES]
    assert ws.tables["KiemTra"].ref == "A4:H5" and ws["A5"].value is None


def test_names_are_made_unique(book: Path):
    """Header texts become table column names; a table name taken elsewhere gets a suffix."""
    taken = OutputSheet("Khác", "t", "s", ["Mã"], [["x"]], "KiemTra", ["@"], [8])
    sheet = OutputSheet(ISSUES, "t", "s", ["Mã", "mã", "", "Ghi\nchú"], [["a", "b", "c", "d"]],
                        "KiemTra", ["General"] * 4, [8] * 4)
    write_output_sheets(book, [taken, sheet])
    wb = openpyxl.load_workbook(book)
    table = next(iter(wb[ISSUES].tables.values()))
    assert table.name == "KiemTra_2" and wb["Khác"].tables["KiemTra"]
    assert [c.name for c in table.tableColumns] == ["Mã", "mã (2)", "Column3", "Ghi chú"]
    assert [c.value for c in wb[ISSUES][4]] == ["Mã", "mã (2)", "Column3", "Ghi chú"]
    ids = [t.id for ws in wb for t in ws.tables.values()]
    assert len(ids) == len(set(ids))


def test_writing_twice_gives_identical_bytes_and_styles_do_not_grow(book: Path):
    write_output_sheets(book, [ranking(), issues()])
    first = book.read_bytes()
    xfs = etree.fromstring(members(book)["xl/styles.xml"]).find("m:cellXfs", NS)
    write_output_sheets(book, [ranking(), issues()])
    assert book.read_bytes() == first
    assert len(etree.fromstring(members(book)["xl/styles.xml"]).find("m:cellXfs", NS)) == len(xfs)
    assert b'name="emutools header"' in members(book)["xl/styles.xml"]


def test_backup_holds_the_original_bytes(book: Path):
    original = book.read_bytes()
    report = write_output_sheets(book, [ranking()])
    assert report.backup_path == book.with_name("Bang diem.bak.xlsx")
    assert report.backup_path.read_bytes() == original
    assert book.read_bytes() != original
    assert write_output_sheets(book, [ranking()], backup=False).backup_path is None


# --- what is refused -------------------------------------------------------------------------


def read_only(path: Path) -> Path:
    path.chmod(stat.S_IREAD)
    return path


def lock_file(path: Path) -> Path:
    path.with_name("~$" + path.name).write_bytes(b"owner")
    return path


def not_a_zip(path: Path) -> Path:
    path.write_bytes(b"Name,Points\nA,1\n")
    return path


def no_workbook_part(path: Path) -> Path:
    return rezip(path, {"xl/workbook.xml": None})


def zip_bomb(path: Path) -> Path:
    return rezip(path, {"xl/media/padding.bin": bytes(11 * 1024 * 1024)})


def entity_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<!DOCTYPE workbook [<!ENTITY l0 "lol">{lol}]>'
    book = book.replace("<workbook", bomb + "<workbook", 1).replace("<sheets>", "<sheets>&l9;", 1)
    return rezip(path, {"xl/workbook.xml": book.encode()})


@pytest.mark.parametrize("spoil", [read_only, lock_file, not_a_zip, no_workbook_part, zip_bomb,
                                   entity_bomb])
def test_refusals_leave_the_file_untouched(book: Path, spoil):
    spoil(book)
    before = book.read_bytes()
    with pytest.raises(WorkbookWriteError) as caught:
        write_output_sheets(book, [ranking()])
    assert book.read_bytes() == before
    assert "Bang diem.xlsx" in caught.value.message_vi and "Bang diem.xlsx" in caught.value.message_en
    leftovers = {p.name for p in book.parent.iterdir()} - {book.name, "~$" + book.name}
    assert leftovers == set()  # no temp file, no backup


def test_open_in_excel_message_says_what_to_do(book: Path):
    lock_file(book)
    with pytest.raises(WorkbookWriteError) as caught:
        write_output_sheets(book, [ranking()])
    assert "đang mở trong Excel" in caught.value.message_vi and "open in Excel" in caught.value.message_en


def test_a_folder_is_not_a_workbook(tmp_path: Path):
    with pytest.raises(WorkbookWriteError):
        write_output_sheets(tmp_path, [ranking()])


def test_malformed_sheet_data_is_a_value_error(book: Path):
    bad = OutputSheet(RANKING, "t", "s", ["A", "B"], [[1, 2, 3]], "T", ["0", "0"], [5, 5])
    with pytest.raises(ValueError):
        write_output_sheets(book, [bad])


# --- another application ---------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_result(book: Path, tmp_path: Path):
    write_output_sheets(book, [ranking(), issues()])
    out = tmp_path / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=120)
    pdf = out / "Bang diem.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
