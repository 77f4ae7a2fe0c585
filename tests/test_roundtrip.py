"""A secretary's real workbook through `rank`: nothing of theirs changes, flags follow the fixes."""

from __future__ import annotations

import zipfile

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName

from emutools.headless import check_file, rank_file
from emutools.io.template import build_workbook
from emutools.sample import demo_content

OWNED = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}


def _demo_with_user_additions(path):
    build_workbook(path, demo_content("vi"))
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("Ghi chép của thư ký")
    notes["A1"] = "Tổng điểm của STC theo sheet Xếp hạng"
    notes["B1"] = "=SUM(1,2)*2"
    notes["A1"].font = Font(bold=True, color="C00000")
    notes["B1"].fill = PatternFill("solid", fgColor="DDEBF7")
    wb.defined_names["nam_danh_gia"] = DefinedName("nam_danh_gia", attr_text="'Cài đặt'!$B$7")
    wb.save(path)


def _parts(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_rank_keeps_every_user_part_and_only_rewrites_output_sheets(tmp_path):
    path = tmp_path / "cum.xlsx"
    _demo_with_user_additions(path)
    before = _parts(path)
    wb = openpyxl.load_workbook(path)
    sheet_files = {ws.title: f"xl/worksheets/sheet{k}.xml" for k, ws in enumerate(wb.worksheets, 1)}
    output_parts = {sheet_files[name] for name in ("Xếp hạng", "Kiểm tra", "Công bằng", "Lịch sử")}
    rank_file(path)
    after = _parts(path)
    for name, data in before.items():
        if name in OWNED or name in output_parts or "/tables/" in name or "_rels/sheet" in name:
            continue
        assert after.get(name) == data, f"{name} changed"
    again = openpyxl.load_workbook(path)
    assert again["Ghi chép của thư ký"]["B1"].value == "=SUM(1,2)*2"
    assert again["Ghi chép của thư ký"]["A1"].font.bold
    assert "nam_danh_gia" in again.defined_names
    assert again.sheetnames == [*wb.sheetnames, "Thay đổi", "Ảnh chụp số liệu"]  # the two added at the end
    ranking = again["Xếp hạng"]
    assert [ranking.cell(r, 2).value for r in range(5, 8)] == ["SCT", "SXD", "STC"]


def test_a_fixed_input_drops_its_flag_and_with_it_the_red_highlight(tmp_path):
    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    rank_file(path)
    keys = _flag_keys(path)
    assert "Tự chấm!F9" in keys  # SNNMT typed "8,5" as text
    wb = openpyxl.load_workbook(path)
    wb["Tự chấm"]["F9"] = 8.5
    wb.save(path)
    rank_file(path)
    assert "Tự chấm!F9" not in _flag_keys(path)
    assert "Tự chấm!F9" not in {f"{i.sheet}!{i.cell}" for i in check_file(path).issues}


def _flag_keys(path):
    ws = openpyxl.load_workbook(path)["Kiểm tra"]
    return {ws.cell(r, 9).value for r in range(5, ws.max_row + 1)}
