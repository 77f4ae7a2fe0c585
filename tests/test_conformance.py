"""Every file emutools writes opens in Excel and Word without a repair prompt.

Two independent judges over the same files: Microsoft's Open XML SDK validator (the schema and
semantic rules Office applies; tests/ooxml_sdk.py, run once in a subprocess for all files) and
the package checks the SDK does not make (tests/ooxml_structure.py). The files are made once
per session the way users make them (the command line, in process): both committed templates
and the .xlsm, `new` (vi/en), the demo after one and two `rank`s (vi, and en once) and after
edits (its Changes sheet listing them), `new-period`
and `--midyear`, `layout` and `rank --layout` of a grown cluster, `excel` (vi/en), the nine `forms` and the
workbook they were `collect`ed into, the `summary` of a folder of clusters, and every .docx of `letters` and
`letters --per-unit`.
The last tests break files on purpose and assert that each judge reports the fault.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import ooxml_sdk
import pytest
from ooxml_structure import check
from typer.testing import CliRunner

from emutools import contract as C
from emutools.cli import app
from emutools.io.xlsx import write_output_sheets
from tests import rulebook
from tests.cluster import write_xlsx

ROOT = Path(__file__).resolve().parents[1]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
COMMITTED = [ROOT / "workbook" / n
             for n in ("mau-cum-thi-dua.xlsx", "cluster-template-en.xlsx", "mau-cum-thi-dua.xlsm")]

SETTINGS_END = 4 + len(C.SETTINGS)  # the settings table: header on row 4, one row per setting


def emutools(*args: object) -> None:
    done = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert done.exit_code == 0, done.output


def _grow_units(path: Path, codes: list[str]) -> None:
    """The Units table holding ``codes`` (typed as in Excel), a score typed for the second unit."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws, table = wb["Đơn vị"], wb["Đơn vị"].tables["tblDonVi"]
    for r in range(5, 5 + 10):
        for c in (1, 2):
            ws.cell(r, c).value = None
    for r, code in enumerate(codes, start=5):
        ws.cell(r, 1, code)
        ws.cell(r, 2, f"Đơn vị {code}")
    last = table.ref.split(":")[1].rstrip("0123456789")
    table.ref = table.autoFilter.ref = f"A4:{last}{4 + len(codes)}"
    wb["Tự chấm"]["E6"] = 8
    wb.save(path)


@pytest.fixture(scope="session")
def written(tmp_path_factory) -> list[Path]:
    """Every kind of file the project writes, made as users make them."""
    out = tmp_path_factory.mktemp("conformance")
    emutools("new", out / "new-vi.xlsx")
    emutools("new", out / "new-en.xlsx", "--lang", "en")
    emutools("demo", "--folder", out / "demo-vi")  # builds the demo and ranks it once
    emutools("demo", "--folder", out / "demo-en", "--lang", "en")
    emutools("demo", "--rules", "--folder", out / "rules-vi")  # targets sheet, rule columns
    emutools("demo", "--rules", "--folder", out / "rules-en", "--lang", "en")
    emutools("new-period", out / "rules-vi" / "cum-thi-dua-mau-quy-tac.xlsx", "--out", out / "rules-next.xlsx")
    normalised = out / "normalised.xlsx"  # the Fairness sheet with the raw ranking beside
    write_xlsx(normalised, rulebook.sheets(
        [rulebook.heading("1"), rulebook.score("1.1", 10)],
        {"Tổ 1": {"1.1": [5, 7, None]}, "Tổ 2": {"1.1": [None, 9, 9.5]}},
        assessments=[("Tổ 1", "Chấm chéo", "Tổ 1", ""), ("Tổ 2", "Chấm chéo", "Tổ 2", "")],
        settings={"combine": "Trung bình chấm chéo", "normalise": "Điểm chuẩn z"}))
    emutools("rank", normalised, "--no-backup")
    twice = out / "ranked-twice.xlsx"
    shutil.copy(out / "demo-vi" / "cum-thi-dua-mau.xlsx", twice)
    emutools("rank", twice, "--no-backup")
    changed = out / "changed.xlsx"  # the Changes sheet listing edited cells, with their links
    shutil.copy(twice, changed)
    write_output_sheets(changed, [], cells={"Tự chấm": {"E8": 7}, "Đơn vị": {"D9": "Có"}}, backup=False)
    emutools("rank", changed, "--no-backup")
    emutools("new-period", twice, "--out", out / "next-period.xlsx")
    emutools("new-period", twice, "--midyear", "--out", out / "next-midyear.xlsx")
    laid_out = out / "laid-out.xlsx"  # `layout` of a grown cluster, a unit then removed (kept-data sheet)
    shutil.copy(out / "new-vi.xlsx", laid_out)
    _grow_units(laid_out, ["DV01", "DV02", "DV03", "DV04", "DV05"])
    emutools("layout", laid_out, "--no-backup")
    _grow_units(laid_out, ["DV01", "DV03", "DV04", "DV05"])
    emutools("rank", laid_out, "--layout", "--no-backup")
    emutools("excel", out / "buttons-vi.xlsm")
    emutools("excel", out / "buttons-en.xlsm", "--lang", "en")
    forms = out / "forms" / "cum.xlsx"  # a form per unit, collected back with the Progress sheet
    forms.parent.mkdir()
    shutil.copy(twice, forms)
    emutools("forms", forms)
    emutools("collect", forms, forms.parent / "Phiếu tự chấm" / "2025", "--no-backup")
    many = out / "many"  # the board's overview of several clusters
    many.mkdir()
    shutil.copy(twice, many / "cum-1.xlsx")
    shutil.copy(out / "new-vi.xlsx", many / "cum-2.xlsx")
    emutools("summary", many)
    for folder, extra in (("letters", ("--draft",)), ("per-unit", ("--per-unit", "--draft"))):
        (out / folder).mkdir()
        shutil.copy(twice, out / folder / "cum.xlsx")
        emutools("letters", out / folder / "cum.xlsx", *extra)
    decisions = out / "decisions.xlsx"  # Ranking with groups, titles and held awards
    write_xlsx(decisions, rulebook.decisions_book())
    emutools("rank", decisions, "--no-backup")
    files = COMMITTED + sorted(p for p in out.rglob("*.xls[xm]") if p.parent.name != "Văn bản")
    documents = sorted(out.rglob("*.docx"))
    assert len(documents) >= 2 * 7 + 9, documents  # 7 letters twice, a notice per unit (9)
    return files + documents


@pytest.fixture(scope="session")
def broken_for_sdk(tmp_path_factory, written) -> dict[str, Path]:
    """Files with a schema or package fault, validated in the same batch as the good ones."""
    out = tmp_path_factory.mktemp("broken-sdk")
    book, letter = out / "bad-attribute.xlsx", out / "unknown-element.docx"
    dangling = out / "dangling.xlsx"
    rewrite(written[0], dangling, "xl/worksheets/_rels/sheet2.xml.rels",
            lambda x: x.replace("table1.xml", "table99.xml"))
    rewrite(written[0], book, "xl/worksheets/sheet2.xml",
            lambda x: x.replace("<sheetData>", '<sheetData bogus="1">', 1))
    rewrite(next(p for p in written if p.suffix == ".docx"), letter, "word/document.xml",
            lambda x: re.sub(r"(<w:body>)", r"\1<w:bogus/>", x, count=1))
    return {"workbook": book, "document": letter, "package": dangling}


@pytest.fixture(scope="session")
def sdk_errors(written, broken_for_sdk) -> dict[str, list[dict]]:
    """file -> the SDK's errors, from one subprocess over all files (about 3 s start)."""
    try:
        root = ooxml_sdk.runtime()
    except ooxml_sdk.Unavailable as exc:
        if os.environ.get("CI") or os.environ.get("EMUTOOLS_REQUIRE_OOXML"):
            pytest.fail(f"CI must run the Open XML SDK validator: {exc}")
        pytest.skip(f"Open XML SDK validator unavailable: {exc}")
    paths = [str(p) for p in written + list(broken_for_sdk.values())]
    done = subprocess.run([sys.executable, ooxml_sdk.__file__, str(root), *paths],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = {r["file"]: r["errors"] for r in map(json.loads, done.stdout.splitlines())}
    assert sorted(results) == sorted(paths)  # every file was validated
    return results


def rewrite(source: Path, target: Path, part: str, edit) -> None:
    """Copy a package, passing one part's text through ``edit`` (None: drop the part)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == part:
                text = edit(data.decode("utf-8"))
                if text is None:
                    continue
                data = text.encode("utf-8")
            dst.writestr(item, data)


def test_office_validator_finds_no_error_in_any_written_file(written, sdk_errors):
    real = [f"{path}: {e['part']} {e['xpath']} :: {e['id']} :: {e['text']}"
            for path in map(str, written) for e in sdk_errors[path] if not ooxml_sdk.accepted(e)]
    assert not real, "\n".join(real)


def test_packages_are_whole_in_every_written_file(written):
    findings = [str(f) for path in written for f in check(str(path))]
    assert not findings, "\n".join(findings)


def test_the_validator_reports_schema_faults_with_part_and_xpath(sdk_errors, broken_for_sdk):
    book = [e for e in sdk_errors[str(broken_for_sdk["workbook"])] if not ooxml_sdk.accepted(e)]
    assert [(e["part"], e["xpath"], e["id"]) for e in book] == [
        ("/xl/worksheets/sheet2.xml", "/x:worksheet[1]/x:sheetData[1]", "Sch_UndeclaredAttribute")]
    letter = sdk_errors[str(broken_for_sdk["document"])]
    assert [(e["part"], e["id"]) for e in letter] == [("/word/document.xml", "Sch_InvalidElementContentExpectingComplex")]
    assert letter[0]["xpath"].startswith("/w:document[1]/w:body[1]")
    package = sdk_errors[str(broken_for_sdk["package"])]  # reported, not a crash of the batch
    assert [e["id"] for e in package] == ["Package"] and "table99.xml" in package[0]["text"]


def test_the_font_order_note_is_the_only_finding_accepted():
    font = {"part": "/xl/styles.xml", "xpath": "/x:styleSheet[1]/x:fonts[1]/x:font[2]",
            "id": "Sch_UnexpectedElementContentExpectingComplex", "text": "..."}
    assert ooxml_sdk.accepted(font)
    assert not ooxml_sdk.accepted({**font, "part": "/xl/worksheets/sheet1.xml"})
    assert not ooxml_sdk.accepted({**font, "xpath": "/x:styleSheet[1]/x:cellXfs[1]/x:xf[2]"})
    assert not ooxml_sdk.accepted({**font, "id": "Sch_UndeclaredAttribute"})


def add_part(kind: str, root: str, attributes: str, xml: str, sheet_edit):
    """Edits that add xl/<kind>.xml (calcChain, sharedStrings) to a workbook, with its
    relationship and content type, and pass sheet id 2 (xl/worksheets/sheet2.xml) through
    ``sheet_edit``."""
    return [("xl/_rels/workbook.xml.rels", lambda x: x.replace("</Relationships>", (
                f'<Relationship Id="rIdAdded" Target="{kind}.xml" Type="http://schemas.'
                f'openxmlformats.org/officeDocument/2006/relationships/{kind}"/></Relationships>'))),
            ("[Content_Types].xml", lambda x: x.replace("</Types>", (
                f'<Override PartName="/xl/{kind}.xml" ContentType="application/vnd.openxmlformats'
                f'-officedocument.spreadsheetml.{kind}+xml"/></Types>'))),
            ("xl/worksheets/sheet2.xml", sheet_edit),
            (f"xl/{kind}.xml", None, f'<{root} xmlns="{MAIN}"{attributes}>{xml}</{root}>')]


def add_calc_chain(cell: str):
    """calcChain.xml naming ``cell`` of sheet id 2, where B5 is given a formula."""
    return add_part("calcChain", "calcChain", "", f'<c r="{cell}" i="2"/>',
                    lambda x: re.sub(r'(<c r="B5"[^>]*>)', r'\1<f>"x"</f>', x, count=1))


def add_shared_strings(count: int, index: int):
    """sharedStrings.xml with two strings (``count`` declared); B5 of sheet id 2 uses ``index``."""
    return add_part("sharedStrings", "sst", f' count="{count}" uniqueCount="2"',
                    "<si><t>a</t></si><si><t>b</t></si>",
                    lambda x: re.sub(r'<c r="B5"([^>]*) t="inlineStr">.*?</c>',
                                     rf'<c r="B5"\1 t="s"><v>{index}</v></c>', x, count=1))


BREAKS = {
    "duplicate table id": ([("xl/tables/table2.xml", lambda x: x.replace('id="2"', 'id="1"', 1))],
                           "/xl/tables/table1.xml /x:table: table id '1' used by 2 tables"),
    "dangling relationship": ([("xl/worksheets/_rels/sheet2.xml.rels",
                                lambda x: x.replace("table1.xml", "table99.xml"))],
                              "/xl/worksheets/_rels/sheet2.xml.rels /Relationships/Relationship"
                              "[@Id='rId1']: target /xl/tables/table99.xml does not exist (table)"),
    "missing content type": ([("[Content_Types].xml", lambda x: re.sub(
                                 r'<Override PartName="/xl/tables/table3.xml"[^>]*/>', "", x))],
                             "/xl/tables/table3.xml /: content type application/xml, but a table must be"),
    "header differs from its cell": ([("xl/tables/table1.xml",
                                       lambda x: x.replace('name="Giá trị"', 'name="Giá"'))],
                                     "x:tableColumn[2]: name 'Giá' but its header cell holds 'Giá trị'"),
    "autoFilter outside the table": ([("xl/tables/table1.xml", lambda x: x.replace(
                                         f'<autoFilter ref="A4:C{SETTINGS_END}"/>',
                                         f'<autoFilter ref="A4:D{SETTINGS_END}"/>'))],
                                     f"x:autoFilter: ref A4:D{SETTINGS_END} is not the table "
                                     f"A4:C{SETTINGS_END} without totals"),
    "print titles not whole rows": ([("xl/workbook.xml",
                                      lambda x: x.replace("'Đơn vị'!$4:$4", "'Đơn vị'!$A$4"))],
                                    "print titles \"'Đơn vị'!$A$4\" are not whole rows/columns"),
    "defined name on a missing sheet": ([("xl/workbook.xml",
                                          lambda x: x.replace("'Kiểm tra'!$I:$I", "'Kiem tra'!$I:$I"))],
                                        "refers to sheet 'Kiem tra', which does not exist"),
    "drawing anchor off the sheet": ([("xl/drawings/drawing1.xml",
                                       lambda x: x.replace("<xdr:row>14</xdr:row>", "<xdr:row>-1</xdr:row>", 1))],
                                     "/xdr:wsDr/*[1]/xdr:from: col 1 row -1 offsets 0,0 outside the sheet"),
    "rows out of order": ([("xl/worksheets/sheet2.xml", lambda x: re.sub(
                              r'(<row r="4".*?</row>)(<row r="5".*?</row>)', r"\2\1", x, count=1))],
                          "x:row[5]: row 4 after row 5"),
    "calcChain on a formula": (add_calc_chain("B5"), None),
    "calcChain on a value": (add_calc_chain("B6"), "/x:calcChain/x:c[1]: B6 on sheet id 2 holds no formula"),
    "shared string in range": (add_shared_strings(1, 1), None),
    "shared string past the end": (add_shared_strings(1, 2), "x:c[2]: shared string 2 does not exist"),
    "shared strings under-counted": (add_shared_strings(0, 0), "/x:sst/@count: 0, but 1 cells use"),
}


@pytest.mark.parametrize("fault", BREAKS)
def test_the_package_checks_report_each_fault_with_part_and_place(written, tmp_path, fault):
    edits, expected = BREAKS[fault]
    path = next(p for p in written if p.name == "ranked-twice.xlsx")
    for k, (part, edit, *new) in enumerate(edits):
        target = tmp_path / f"step{k}.xlsx"
        if new:  # a part to add
            shutil.copy(path, target)
            with zipfile.ZipFile(target, "a") as z:
                z.writestr(part, new[0])
        else:
            rewrite(path, target, part, edit)
        path = target
    findings = [str(f) for f in check(str(path))]
    if expected is None:
        assert findings == []
    else:
        assert any(expected in f for f in findings), findings
        assert all(f.startswith(f"{path}: /") for f in findings)
