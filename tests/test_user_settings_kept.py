"""What the user set in the workbook survives `rank` (issue 13 items 10-12): the 1904 date
system, a renamed result table and the formulas using it, a defined name that happens to
share a table's name, sheet protection, and a locked workbook structure."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from emutools.headless import rank_file
from emutools.io.template import build_workbook
from emutools.io.xlsx import WorkbookWriteError
from emutools.sample import demo_content

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = {"m": M, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rewrite(path: Path, name: str, change) -> None:
    """Replace the zip member ``name`` by ``change`` of its text."""
    parts = members(path)
    parts[name] = change(parts[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def sheet_part(path: Path, sheet: str) -> str:
    """The worksheet part of the sheet named ``sheet``."""
    parts = members(path)
    book = etree.fromstring(parts["xl/workbook.xml"])
    rid = book.xpath("//m:sheet[@name=$n]/@r:id", namespaces=NS, n=sheet)[0]
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = rels.xpath("//p:Relationship[@Id=$i]/@Target", namespaces=NS, i=rid)[0]
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def tables_of(path: Path, sheet: str) -> list[etree._Element]:
    parts = members(path)
    part = sheet_part(path, sheet)
    rels_name = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    rels = etree.fromstring(parts[rels_name])
    return [etree.fromstring(parts["xl/tables/" + t.rsplit("/", 1)[1]])
            for t in rels.xpath("//p:Relationship[contains(@Type,'/table')]/@Target", namespaces=NS)]


def history_serials(path: Path) -> list[float]:
    root = etree.fromstring(members(path)[sheet_part(path, "Lịch sử")])
    return [float(v) for v in root.xpath("//m:row[@r>=5]/m:c[starts-with(@r,'A')]/m:v/text()",
                                         namespaces=NS)]


@pytest.fixture
def demo(tmp_path) -> Path:
    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    return path


# --- item 10 ------------------------------------------------------------------------------


def test_history_time_is_written_in_the_1904_date_system_when_the_workbook_uses_it(demo):
    rewrite(demo, "xl/workbook.xml", lambda x: x.replace("<workbookPr/>", '<workbookPr date1904="1"/>'))
    rank_file(demo)
    now = dt.datetime.now()
    serial = history_serials(demo)[-1]
    shown = dt.datetime(1904, 1, 1) + dt.timedelta(days=serial)  # as Excel shows it
    assert abs((shown - now).total_seconds()) < 120
    rank_file(demo)  # the first row read back and rewritten stays where it was
    assert history_serials(demo)[0] == serial and len(history_serials(demo)) == 2


def test_history_time_in_the_1900_date_system_by_default(demo):
    rank_file(demo)
    shown = dt.datetime(1899, 12, 30) + dt.timedelta(days=history_serials(demo)[-1])
    assert abs((shown - dt.datetime.now()).total_seconds()) < 120


# --- item 11 -------------------------------------------------------------------------------


def test_a_renamed_result_table_keeps_its_name_and_the_users_formula(demo):
    rank_file(demo)
    [table] = tables_of(demo, "Xếp hạng")
    part = "xl/tables/" + next(n.rsplit("/", 1)[1] for n in members(demo)
                               if n.startswith("xl/tables/") and b'"tblXepHang"' in members(demo)[n])
    rewrite(demo, part, lambda x: x.replace('"tblXepHang"', '"KetQua"'))
    guide = sheet_part(demo, "Hướng dẫn")
    formula = "<c r=\"Z1\"><f>SUM(KetQua[Tổng điểm])</f></c>"
    rewrite(demo, guide, lambda x: re.sub(r"(<row r=\"1\"[^>]*>.*?)(</row>)", r"\1" + formula + r"\2",
                                         x, count=1, flags=re.S))
    rank_file(demo)
    names = [t.get("displayName") for t in tables_of(demo, "Xếp hạng")]
    assert names == ["KetQua"] and table.get("displayName") == "tblXepHang"
    columns = [c.get("name") for c in tables_of(demo, "Xếp hạng")[0].iter(f"{{{M}}}tableColumn")]
    assert "Tổng điểm" in columns
    assert formula.encode() in members(demo)[guide]


def test_a_defined_name_does_not_make_emutools_rename_its_own_table(demo):
    rank_file(demo)
    rewrite(demo, "xl/workbook.xml", lambda x: x.replace(
        "</definedNames>", "<definedName name=\"tblKiemTra\">'Cài đặt'!$B$2</definedName></definedNames>"))
    rank_file(demo)
    assert [t.get("displayName") for t in tables_of(demo, "Kiểm tra")] == ["tblKiemTra"]
    assert b'name="tblKiemTra"' in members(demo)["xl/workbook.xml"]


def test_a_new_table_avoids_a_name_already_taken(demo):
    """A sheet emutools adds gets a free table name, so no user reference changes meaning."""
    import openpyxl

    wb = openpyxl.load_workbook(demo)
    del wb["Công bằng"]
    wb.save(demo)
    rewrite(demo, "xl/workbook.xml", lambda x: x.replace(
        "</definedNames>", "<definedName name=\"tblCongBang\">'Cài đặt'!$B$2</definedName></definedNames>"))
    rank_file(demo)
    assert [t.get("displayName") for t in tables_of(demo, "Công bằng")] == ["tblCongBang_2"]


# --- item 12 ---------------------------------------------------------------------------------


def test_a_protected_result_sheet_stays_protected_with_new_values_under_it(demo):
    rank_file(demo)
    part = sheet_part(demo, "Xếp hạng")
    protection = ('<sheetProtection algorithmName="SHA-512" hashValue="abc=" saltValue="c2FsdA==" '
                  'spinCount="100000" sheet="1" objects="1" scenarios="1" autoFilter="0"/>')
    rewrite(demo, part, lambda x: x.replace("</sheetData>", "</sheetData>" + protection))
    rank_file(demo)
    text = members(demo)[part].decode()
    assert protection in text and text.index("</sheetData>") < text.index("<sheetProtection")
    assert "Sở Công Thương" in text or "SCT" in text  # the values were written


def test_a_locked_structure_is_not_given_a_new_sheet(demo):
    import openpyxl

    wb = openpyxl.load_workbook(demo)
    del wb["Công bằng"]
    wb.security.lockStructure = True
    wb.save(demo)
    before = demo.read_bytes()
    with pytest.raises(WorkbookWriteError) as caught:
        rank_file(demo)
    assert "khóa" in caught.value.message_vi and "Công bằng" in caught.value.message_vi
    assert "Protect Workbook" in caught.value.message_en
    assert demo.read_bytes() == before


def test_a_locked_structure_with_every_result_sheet_present_is_ranked(demo):
    rewrite(demo, "xl/workbook.xml", lambda x: x.replace(
        "<workbookProtection/>", '<workbookProtection lockStructure="1"/>'))
    rank_file(demo)
    assert b'lockStructure="1"' in members(demo)["xl/workbook.xml"]
