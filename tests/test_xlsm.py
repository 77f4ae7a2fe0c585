"""The macro-enabled template: its VBA project, ribbon, Guide buttons and cluster sheets.

No Excel here: the VBA project is read back by two independent parsers (oletools' olevba
and LibreOffice's VBA import), never compiled or run.
"""

from __future__ import annotations

import io
import posixpath
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
from lxml import etree
from oletools.olevba import VBA_Parser, decompress_stream

from emutools import contract as C
from emutools.headless import rank_file
from emutools.io import xlsm
from emutools.io.xlsm import BUTTONS, MACROS, VBA_PART, build_xlsm

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbook" / "mau-cum-thi-dua.xlsm"
SHIPPED_XLSX = ROOT / "workbook" / "mau-cum-thi-dua.xlsx"
NS = {"m": xlsm.NS_MAIN, "r": xlsm.NS_R, "rel": xlsm.NS_PKG_RELS, "ct": xlsm.NS_TYPES,
      "xdr": xlsm.NS_XDR, "a": xlsm.NS_A, "ui": xlsm.NS_UI}
RED, BLACK = 0, 1  # directory entry colours (MS-CFB 2.6.1)
ENTRY_POINTS = {"XepHangLai": "run_recalculate", "KiemTra": "run_check", "CapNhatBoCuc": "run_layout",
                "TaoVanBan": "run_make_documents", "KyMoi": "run_new_period"}
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def macros_of(path: Path) -> dict[str, str]:
    """Module file name ('emutools.bas', 'Sheet1.cls') → source, as olevba extracts it."""
    parser = VBA_Parser(str(path))
    try:
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def relationships(parts: dict[str, bytes], source: str) -> dict[str, tuple[str, str]]:
    """Id → (type, target part) of ``source`` ('' for the package)."""
    folder, base = posixpath.split(source)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if name not in parts:
        return {}
    out = {}
    for rel in etree.fromstring(parts[name]):
        target = rel.get("Target")
        part = target[1:] if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type"), part)
    return out


def worksheets(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    rels = relationships(parts, "xl/workbook.xml")
    book = etree.fromstring(parts["xl/workbook.xml"])
    return [(s.get("name"), rels[s.get(f"{{{xlsm.NS_R}}}id")][1])
            for s in book.iterfind("m:sheets/m:sheet", NS)]


def drawing_of(parts: dict[str, bytes], sheet_part: str) -> str | None:
    return next((part for kind, part in relationships(parts, sheet_part).values()
                 if kind == xlsm.REL_DRAWING), None)


def guide_part(parts: dict[str, bytes]) -> str:
    sheets = worksheets(parts)
    return dict(sheets)[C.find_sheet([name for name, _ in sheets], C.GUIDE)]


@pytest.fixture(scope="module")
def shipped() -> dict[str, bytes]:
    return parts_of(SHIPPED)


@pytest.fixture(scope="module")
def shipped_macros() -> dict[str, str]:
    return macros_of(SHIPPED)


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> dict[str, bytes]:
    path = tmp_path_factory.mktemp("en") / "en.xlsm"
    build_xlsm(path, "en")
    return parts_of(path)


# --- the VBA project --------------------------------------------------------------------


def test_vba_project_holds_xlwings_and_the_three_entry_points(shipped_macros):
    assert "RunPython" in shipped_macros["xlwings.bas"]
    assert "Dictionary.cls" in shipped_macros
    assert "Module1.bas" not in shipped_macros  # the quickstart's SampleCall is left out
    code = shipped_macros["emutools.bas"]
    for macro, function in ENTRY_POINTS.items():
        body = re.search(rf"Public Sub {macro}\(\)\r?\n(.*?)End Sub", code, re.S).group(1)
        assert body.strip() == f'RunPython "import emutools.excel as x; x.{function}()"'
        callback = re.search(rf"Public Sub EmuRibbon_{macro}\(control As IRibbonControl\)"
                             r"\r?\n(.*?)End Sub", code, re.S).group(1)
        assert callback.strip() == macro


def test_vba_module_is_the_shipped_bas_file(shipped_macros):
    bas = (MACROS / "emutools.bas").read_text(encoding="ascii").splitlines()
    assert bas[0] == 'Attribute VB_Name = "emutools"'
    assert shipped_macros["emutools.bas"].splitlines() == bas


def test_every_sheet_is_tied_to_its_document_module(shipped, shipped_macros):
    book = etree.fromstring(shipped["xl/workbook.xml"])
    assert book.find("m:workbookPr", NS).get("codeName") == "ThisWorkbook"
    code_names = [etree.fromstring(shipped[part]).find("m:sheetPr", NS).get("codeName")
                  for _, part in worksheets(shipped)]
    assert code_names == [f"Sheet{k}" for k in range(1, len(code_names) + 1)]
    documents = {name[:-4] for name in shipped_macros if name.endswith(".cls")} - {"Dictionary"}
    assert documents == {"ThisWorkbook", *code_names}
    bases = {name: re.search(r'Attribute VB_Base = "(.*)"', shipped_macros[f"{name}.cls"]).group(1)
             for name in documents}
    assert bases.pop("ThisWorkbook") == "0{00020819-0000-0000-C000-000000000046}"  # Workbook
    assert set(bases.values()) == {"0{00020820-0000-0000-C000-000000000046}"}  # Worksheet


def test_new_modules_are_source_only_and_the_p_code_cache_is_invalid(shipped):
    """Excel compiles from source when _VBA_PROJECT's version is 0xFFFF (MS-OVBA 2.3.4.1)."""
    ole = olefile.OleFileIO(io.BytesIO(shipped[VBA_PART]), raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("VBA/_VBA_PROJECT").read()[:4] == b"\xcc\x61\xff\xff"
    module = bytes(decompress_stream(bytearray(ole.openstream("VBA/emutools").read())))
    assert module.startswith(b'Attribute VB_Name = "emutools"\r\n')
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert "Module=emutools\r\n" in project and "Module=Module1" not in project


def test_compression_round_trips_through_olevba():
    rng = random.Random(7)
    samples = [xlsm.bas_source().encode(), xlsm.bas_source().encode() * 6, b"a" * 9000,
               rng.randbytes(4096), rng.randbytes(8192), bytes(range(256)) * 20]
    for data in samples:
        assert bytes(decompress_stream(bytearray(xlsm._compress(data)))) == data


def black_height(ole: olefile.OleFileIO, sid: int, low=None, high=None) -> int:
    """Check a directory tree is a red-black search tree in CFB order; its black height."""
    if sid == olefile.NOSTREAM:
        return 1
    entry = ole.direntries[sid]
    key = (len(entry.name), entry.name.upper())
    assert (low is None or low < key) and (high is None or key < high)
    heights = {black_height(ole, entry.sid_left, low, key),
               black_height(ole, entry.sid_right, key, high)}
    assert len(heights) == 1, f"unequal black heights under {entry.name}"
    red = entry.color == RED
    assert not red or all(ole.direntries[c].color == BLACK
                          for c in (entry.sid_left, entry.sid_right) if c != olefile.NOSTREAM)
    return heights.pop() + (not red)


@pytest.mark.parametrize("count", [1, 2, 3, 6, 7, 14, 20])
def test_compound_file_reads_back_with_olefile(count):
    streams = {"PROJECT": b"x" * 10, "VBA/dir": b"d" * 700, "VBA/big": bytes(range(256)) * 40,
               **{f"VBA/Sheet{k}": bytes([k]) * (64 * k + 1) for k in range(1, count)}}
    ole = olefile.OleFileIO(io.BytesIO(xlsm.compound_file(streams)),
                            raise_defects=olefile.DEFECT_INCORRECT)
    assert {"/".join(p): ole.openstream(p).read() for p in ole.listdir()} == streams
    for entry in ole.direntries:
        if entry is not None and entry.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE):
            assert ole.direntries[entry.sid_child].color == BLACK
            black_height(ole, entry.sid_child)


# --- ribbon, buttons, package ----------------------------------------------------------


VIETNAMESE_LABELS = ["Xếp hạng lại", "Kiểm tra", "Cập nhật bố cục", "Tạo văn bản", "Kỳ mới", "Tạo phiếu tự chấm",
                     "Thu phiếu tự chấm"]
ENGLISH_LABELS = ["Recalculate", "Check", "Update layout", "Documents", "New period", "Self-assessment forms",
                  "Collect forms"]


def test_ribbon_tab_has_three_buttons_wired_to_the_callbacks(shipped, shipped_macros):
    rels = relationships(shipped, "").values()
    assert (xlsm.REL_RIBBON, "customUI/customUI14.xml") in rels
    assert shipped["customUI/customUI14.xml"] == (MACROS / "customUI.xml").read_bytes()
    ui = etree.fromstring(shipped["customUI/customUI14.xml"])
    assert ui.tag == f"{{{xlsm.NS_UI}}}customUI"
    tab = ui.find("ui:ribbon/ui:tabs/ui:tab", NS)
    assert tab.get("label") == "Thi đua" and len(tab.findall("ui:group", NS)) == 1
    buttons = tab.findall("ui:group/ui:button", NS)
    assert [(b.get("label"), b.get("onAction")) for b in buttons] == [
        (label, b.callback) for label, b in zip(VIETNAMESE_LABELS, BUTTONS, strict=True)]
    assert all(b.get("size") == "large" and b.get("imageMso") for b in buttons)
    defined = set(re.findall(r"Public Sub (\w+)\(control As IRibbonControl\)",
                             shipped_macros["emutools.bas"]))
    assert {b.get("onAction") for b in buttons} == defined


def test_guide_sheet_has_three_buttons_with_macros(shipped, shipped_macros):
    drawing = etree.fromstring(shipped[drawing_of(shipped, guide_part(shipped))])
    shapes = drawing.findall(".//xdr:sp", NS)
    assert [(s.get("macro"), "".join(s.itertext())) for s in shapes] == [
        (f"[0]!{b.macro}", label) for label, b in zip(VIETNAMESE_LABELS, BUTTONS, strict=True)]
    assert all(s.find("xdr:spPr/a:prstGeom", NS).get("prst") == "roundRect" for s in shapes)
    assert {b.macro for b in BUTTONS} <= set(re.findall(r"Public Sub (\w+)\(\)",
                                                        shipped_macros["emutools.bas"]))


def test_no_buttons_on_the_sheets_emutools_rewrites(shipped):
    sheets = worksheets(shipped)
    for spec in C.OUTPUT_SHEETS:
        part = dict(sheets).get(C.find_sheet([name for name, _ in sheets], spec))
        assert drawing_of(shipped, part) is None


def test_package_is_macro_enabled(shipped):
    types = etree.fromstring(shipped["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iterfind("ct:Override", NS)}
    assert overrides["/xl/workbook.xml"] == xlsm.CT_MACRO_WORKBOOK
    assert overrides["/" + VBA_PART] == xlsm.CT_VBA
    assert (xlsm.REL_VBA, VBA_PART) in relationships(shipped, "xl/workbook.xml").values()


def test_cluster_sheets_are_the_xlsx_template(shipped):
    macro, plain = (openpyxl.load_workbook(p) for p in (SHIPPED, SHIPPED_XLSX))
    assert macro.sheetnames == [*plain.sheetnames, "xlwings.conf"]
    for name in plain.sheetnames:
        assert [c.value for c in macro[name][4]] == [c.value for c in plain[name][4]], name
        assert list(macro[name].values) == list(plain[name].values), name


def test_xlwings_keeps_python_alive_between_clicks(shipped):
    """xlwings' VBA reads 'USE UDF SERVER' from a sheet named xlwings.conf (GetConfig, key in
    column A upper-cased, value in B): set, a click reuses the running interpreter."""
    import xlwings

    vba = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    assert 'GetConfig("USE UDF SERVER", False)' in vba and 'PROJECT_NAME & ".conf"' in vba
    conf = openpyxl.load_workbook(SHIPPED)["xlwings.conf"]
    assert conf.sheet_state == "hidden"
    assert list(conf.values) == [("USE UDF SERVER", True)]


def test_english_template_is_labelled_in_english(english):
    sheets = [name for name, _ in worksheets(english)]
    assert C.find_sheet(sheets, C.SETTINGS_SHEET) == C.SETTINGS_SHEET.en
    drawing = etree.fromstring(english[drawing_of(english, guide_part(english))])
    assert ["".join(s.itertext()) for s in drawing.iterfind(".//xdr:sp", NS)] == ENGLISH_LABELS
    ui = etree.fromstring(english["customUI/customUI14.xml"])
    assert ui.find(".//ui:tab", NS).get("label") == "Emulation"
    assert [b.get("label") for b in ui.iterfind(".//ui:button", NS)] == ENGLISH_LABELS


def test_build_is_reproducible(tmp_path):
    build_xlsm(tmp_path / "a.xlsm")
    build_xlsm(tmp_path / "b.xlsm")
    assert (tmp_path / "a.xlsm").read_bytes() == (tmp_path / "b.xlsm").read_bytes()


# --- after a headless recalculation -----------------------------------------------------


def test_recalculation_keeps_vba_ribbon_and_buttons(tmp_path, shipped):
    copy = tmp_path / "cum.xlsm"
    shutil.copy(SHIPPED, copy)
    rank_file(copy, backup=False)
    after = parts_of(copy)
    guide = guide_part(shipped)
    kept = [VBA_PART, guide, drawing_of(shipped, guide), "customUI/customUI14.xml", "_rels/.rels"]
    assert [after[p] == shipped[p] for p in kept] == [True] * len(kept)
    assert b"macroEnabled.main+xml" in after["[Content_Types].xml"]
    code = macros_of(copy)["emutools.bas"]
    assert all(f"x.{function}()" in code for function in ENTRY_POINTS.values())


# --- LibreOffice: a second, independent reader ------------------------------------------


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory) -> Path:
    """The shipped .xlsm converted to PDF and to ODS (where LibreOffice keeps the VBA it
    imported as Basic), with one profile for both runs."""
    out = tmp_path_factory.mktemp("soffice")
    for target in ("pdf", "ods"):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile",
                        "--convert-to", target, "--outdir", str(out), str(SHIPPED)],
                       check=True, capture_output=True, timeout=300)
    return out


@needs_soffice
def test_libreoffice_converts_to_pdf(libreoffice):
    pdf = libreoffice / (SHIPPED.stem + ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


@needs_soffice
def test_libreoffice_binds_the_buttons_to_the_imported_vba(libreoffice):
    with zipfile.ZipFile(libreoffice / (SHIPPED.stem + ".ods")) as ods:
        names = ods.namelist()
        content = ods.read("content.xml").decode()
    assert "Basic/VBAProject/emutools.xml" in names
    for b in BUTTONS:
        assert f"vnd.sun.star.script:VBAProject.emutools.{b.macro}?" in content
