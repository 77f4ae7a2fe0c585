"""Printing: a wide sheet prints at 75 % across pages, over then down, its lead columns and
header rows on every page; a narrow one prints one page wide (emutools/io/printing.py).

Worked by hand.  A4 landscape less 0.4-inch margins leaves (11.69 − 0.8) × 72 = 784.08 pt.
A column w characters wide prints (7 w + 5) × 0.75 pt.  A grid's lead columns (10, 50, 9)
take 56.25 + 266.25 + 51 = 373.5 pt, a score-sheet unit column (9) 51 pt, an evidence unit
column (16) 87.75 pt.  Fit to one page wide stays legible while 784.08 / width ≥ 8/11, i.e.
width ≤ 1078.1 pt: 373.5 + 13 × 51 = 1036.5 fits, 14 units (1087.5) do not; on Minh chứng
8 units (1075.5) fit, 9 (1163.25) do not.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import types
import zipfile

import openpyxl
import pytest

from emutools import contract as C
from emutools.io.gridsheet import GridSheet
from emutools.io.printing import INPUT_MARGIN_IN, page_print
from emutools.io.template import build_workbook, default_content
from tests.test_layout import CRITERIA14, _grow

SCALED = '<pageSetup paperSize="9" scale="75" pageOrder="overThenDown" orientation="landscape"/>'
ONE_WIDE = '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
UNITS30 = [f"S{k:02d}" for k in range(1, 31)]


def _lead():
    return [c.width for c in C.GRID_LEAD]


@pytest.mark.parametrize(("units", "width", "scale"), [(13, 9, None), (14, 9, 75), (8, 16, None), (9, 16, 75)])
def test_one_page_wide_only_while_the_text_stays_legible(units, width, scale):
    assert _lead() == [10, 50, 9]
    assert page_print(_lead() + [width] * units, INPUT_MARGIN_IN).scale == scale


@pytest.fixture(scope="module")
def cluster30(tmp_path_factory):
    """`emutools new`, 30 units and 14 criteria typed into the tables, `layout`."""
    from typer.testing import CliRunner

    from emutools.cli import app

    path = tmp_path_factory.mktemp("print") / "cum30.xlsx"
    run = CliRunner()
    assert run.invoke(app, ["new", str(path)]).exit_code == 0
    _grow(path, units=UNITS30, criteria=CRITERIA14, year=2026)
    assert run.invoke(app, ["layout", str(path)]).exit_code == 0
    return path


def _parts(path):
    book = openpyxl.load_workbook(path, read_only=True)
    names = {ws.title: f"xl/worksheets/sheet{k}.xml" for k, ws in enumerate(book.worksheets, 1)}
    with zipfile.ZipFile(path) as z:
        return {title: z.read(part).decode() for title, part in names.items()}, z.read("xl/workbook.xml").decode()


def test_a_30_unit_layout_prints_its_grids_at_75_percent_over_then_down(cluster30):
    parts, book = _parts(cluster30)
    for sheet in ("Tự chấm", "Thẩm định", "Minh chứng", "Bỏ phiếu"):
        assert re.findall(r"<pageSetup[^>]*/>", parts[sheet]) == [SCALED]
        assert "fitToPage" not in parts[sheet]
        assert '<pageMargins left="0.4" right="0.4" top="0.75" bottom="0.75"' in parts[sheet]
    titles = dict(re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]*)<', book))
    assert titles["4"] == "'Tự chấm'!$3:$4,'Tự chấm'!$A:$C"
    assert titles["5"] == "'Thẩm định'!$3:$4,'Thẩm định'!$A:$C"
    assert titles["6"] == "'Minh chứng'!$3:$4,'Minh chứng'!$A:$C"
    assert titles["7"] == "'Bỏ phiếu'!$4:$4,'Bỏ phiếu'!$A:$B"
    ws = openpyxl.load_workbook(cluster30)["Tự chấm"]  # as Excel reads it
    assert (ws.page_setup.scale, ws.page_setup.orientation, ws.page_setup.pageOrder, ws.page_setup.paperSize) == (
        75, "landscape", "overThenDown", 9)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is None
    assert (ws.print_title_rows, ws.print_title_cols) == ("$3:$4", "$A:$C")


def test_the_tables_the_template_wrote_keep_their_printing_and_a_second_layout_is_identical(cluster30, tmp_path):
    from typer.testing import CliRunner

    from emutools.cli import app

    parts, _ = _parts(cluster30)
    # Settings (its awards table) and Criteria are wide: the template printed them so already
    assert re.findall(r"<pageSetup[^>]*/>", parts["Cài đặt"]) == [
        '<pageSetup orientation="landscape" paperSize="9" scale="75" pageOrder="overThenDown"/>']
    assert '<pageSetUpPr fitToPage="0"/>' in parts["Cài đặt"]
    assert re.findall(r"<pageSetup[^>]*/>", parts["Đơn vị"]) == [
        '<pageSetup orientation="landscape" paperSize="9" fitToHeight="0" fitToWidth="1"/>']
    copy = tmp_path / "again.xlsx"
    shutil.copy(cluster30, copy)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    assert CliRunner().invoke(app, ["layout", str(copy)]).exit_code == 0
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before


def test_a_small_cluster_still_prints_its_grids_one_page_wide(tmp_path):
    from emutools.headless import layout_file

    path = tmp_path / "new.xlsx"
    build_workbook(path, default_content("vi"))
    layout_file(path, backup=False)
    parts, _ = _parts(path)
    for sheet in ("Tự chấm", "Thẩm định", "Minh chứng", "Bỏ phiếu"):
        assert re.findall(r"<pageSetup[^>]*/>", parts[sheet]) == [ONE_WIDE]
        assert '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' in parts[sheet]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_template_prints_its_wide_sheets_at_75_percent(tmp_path, lang):
    path = tmp_path / "new.xlsx"
    build_workbook(path, default_content(lang))
    wb = openpyxl.load_workbook(path)
    printing = {ws.title: (ws.page_setup.scale, ws.page_setup.pageOrder, ws.page_setup.fitToWidth,
                           ws.sheet_properties.pageSetUpPr.fitToPage, ws.print_title_rows, ws.print_title_cols)
                for ws in wb.worksheets}
    scaled, one_wide = (75, "overThenDown", None, False), (None, None, 1, True)
    name = {s: s.name(lang) for s in (C.SETTINGS_SHEET, C.UNITS_SHEET, C.CRITERIA_SHEET, C.SELF_SHEET,
                                      C.EVIDENCE_SHEET, C.BALLOT_SHEET)}
    assert printing[name[C.SETTINGS_SHEET]] == (*scaled, None, None)  # 13 table columns, 23 % one page wide
    assert printing[name[C.CRITERIA_SHEET]] == (*scaled, "$4:$4", "$A:$B")  # 17 columns, 55 %
    assert printing[name[C.UNITS_SHEET]] == (*one_wide, "$4:$4", "$A:$B")  # 8 columns, 79 %: legible
    assert printing[name[C.SELF_SHEET]] == (*one_wide, "$3:$4", "$A:$C")
    assert printing[name[C.EVIDENCE_SHEET]] == (*one_wide, "$3:$4", "$A:$C")
    assert printing[name[C.BALLOT_SHEET]] == (*one_wide, "$4:$4", "$A:$B")


def test_windows_excel_gets_the_same_page_setup():
    """The PageSetup properties Windows Excel is given (its COM object stood in for)."""
    from emutools.excel import set_page_print

    def grid(units):
        return GridSheet("Tự chấm", (), tuple(_lead() + [9] * units), (), (), "D5", (3, 4), ("A", "C"))

    setup, app = types.SimpleNamespace(), types.SimpleNamespace()
    set_page_print(setup, app, grid(30))
    assert vars(setup) == {"Orientation": 2, "PaperSize": 9, "PrintTitleRows": "$3:$4",
                           "PrintTitleColumns": "$A:$C", "Zoom": 75, "Order": 2}
    assert app.PrintCommunication is True
    setup = types.SimpleNamespace()
    set_page_print(setup, app, grid(7))
    assert vars(setup) == {"Orientation": 2, "PaperSize": 9, "PrintTitleRows": "$3:$4",
                           "PrintTitleColumns": "$A:$C", "Zoom": False, "FitToPagesWide": 1,
                           "FitToPagesTall": False}


def test_the_remote_engine_sets_no_page_setup(tmp_path):
    """Office Scripts / Office.js / xlwings Lite expose only the print area: nothing is asked."""
    import emutools.excel as excel
    from tests.xlpayload import actions, book_from

    path = tmp_path / "new.xlsx"
    build_workbook(path, default_content("vi"))
    book = book_from(path, client="Office.js")
    excel.layout(book)
    funcs = {a["func"] for a in actions(book)}
    assert "setPrintArea" not in funcs and not any("page" in f.lower() or "print" in f.lower() for f in funcs)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed")
def test_the_30_unit_grid_prints_legibly_across_pages(cluster30, tmp_path):
    """Rendered by LibreOffice: the self-assessment grid takes several pages, over then down,
    each with the criterion columns; every unit's column is printed once, in order."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(cluster30)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "cum30.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = [p for p in text.split("\f") if "TỰ CHẤM –" in p]  # column A, with the title, repeats
    assert 3 <= len(pages) <= 4  # Excel's Calibri: 13 units a page; LibreOffice's wider font: 8
    for page in pages:
        assert "Nội dung tiêu chí" in page and "Chuyển đổi số" in page and "An ninh" in page
    printed = [code for page in pages for code in re.findall(r"\bS\d\d\b", page)]
    assert printed == UNITS30


def _printed_one_page_wide(path, sheets, scale=None):
    """As a workbook made before the rule: these sheets fit to one page wide (or ``scale``)."""
    wb = openpyxl.load_workbook(path)
    for name in sheets:
        ws = wb[name]
        ws.sheet_properties.pageSetUpPr.fitToPage = scale is None
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = (1, 0) if scale is None else (None, None)
        ws.page_setup.scale, ws.page_setup.pageOrder = scale, None
    wb.save(path)


def _without_printing(part):
    """The part's XML, canonical, without its two printing elements."""
    from lxml import etree

    root = etree.fromstring(part.encode())
    for el in root.xpath("//*[local-name()='pageSetUpPr' or local-name()='pageSetup']"):
        el.getparent().remove(el)
    return etree.tostring(root, method="c14n")


def test_layout_reprints_an_older_workbooks_wide_tables_at_75_percent(tmp_path):
    """Settings (23 % one page wide) and Criteria (55 %) switch; Units (79 %) is left alone,
    as is every other part of those sheets; a second layout changes nothing."""
    from emutools.headless import layout_file

    path = tmp_path / "old.xlsx"
    build_workbook(path, default_content("vi"))
    _printed_one_page_wide(path, ["Cài đặt", "Đơn vị", "Tiêu chí"])
    before, _ = _parts(path)
    layout_file(path, backup=False)
    after, _ = _parts(path)
    for sheet in ("Cài đặt", "Tiêu chí"):
        assert re.findall(r"<pageSetUpPr[^>]*/>|<pageSetup [^>]*/>", after[sheet]) == [
            '<pageSetUpPr fitToPage="0"/>',
            '<pageSetup orientation="landscape" paperSize="9" fitToHeight="0" fitToWidth="1" scale="75" '
            'pageOrder="overThenDown"/>']
        assert _without_printing(after[sheet]) == _without_printing(before[sheet])
    assert after["Đơn vị"] == before["Đơn vị"]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    layout_file(path, backup=False)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_layout_keeps_a_scale_the_secretary_chose(tmp_path):
    from emutools.headless import layout_file

    path = tmp_path / "own.xlsx"
    build_workbook(path, default_content("vi"))
    _printed_one_page_wide(path, ["Cài đặt"], scale=60)
    before, _ = _parts(path)
    layout_file(path, backup=False)
    after, _ = _parts(path)
    assert after["Cài đặt"] == before["Cài đặt"]
