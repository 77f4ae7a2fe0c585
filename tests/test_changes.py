"""The Changes sheet ("Thay đổi"): every input cell edited since the previous recalculation.

The demo is ranked, three input cells are edited through the package writer (a score, an
evidence text, a Units field), and the next ranking must list exactly those three, with
their unit, criterion, old and new value; a third ranking with nothing edited says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import xlwings as xw
from python_calamine import CalamineWorkbook

from emutools import contract as C
from emutools import excel
from emutools.core.changes import compare, snapshot
from emutools.headless import layout_file, rank_file
from emutools.io.results import ranking_sheet
from emutools.io.snapshot import CHUNK, decode, encode
from emutools.io.tables import build_raw_book
from emutools.io.template import build_workbook
from emutools.io.xlsx import write_output_sheets
from emutools.sample import demo_content
from tests.cluster import sheets
from tests.test_user_settings_kept import rewrite
from tests.xlpayload import actions, payload

DATA = Path(__file__).parent / "data"
CHANGES, SNAPSHOT = C.CHANGES_SHEET.name("vi"), C.SNAPSHOT_SHEET.name("vi")
FIRST = ("Chưa có ảnh chụp số liệu của lần tính trước nên chưa có gì để so sánh: từ lần xếp hạng sau, "
         "sheet này liệt kê từng ô số liệu đã sửa.")
# Tự chấm!E8: SXD's self-score on 1.2.a (6); Minh chứng!D8: STC's evidence on 1.2.a;
# Đơn vị!D9: SKHCN's "Ký giao ước" (Không).
EDITS = {"Tự chấm": {"E8": 7}, "Minh chứng": {"D8": "BC 112/BC-STC; QĐ 45/QĐ-STC"}, "Đơn vị": {"D9": "Có"}}
LISTED = [["Đơn vị", "D9", "SKHCN", "", "Ký giao ước", "Không", "Có"],
          ["Tự chấm", "E8", "SXD", "1.2.a", "", "6", "7"],
          ["Minh chứng", "D8", "STC", "1.2.a", "", "BC 112/BC-STC", "BC 112/BC-STC; QĐ 45/QĐ-STC"]]


def _demo(folder: Path) -> Path:
    path = folder / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    return path


def _sheet(path: Path, name: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def _listed(path: Path) -> tuple[str, list[list[object]]]:
    """The Changes sheet's subtitle and its rows (sheet … new value; the time checked apart)."""
    rows = _sheet(path, CHANGES)
    assert rows[3] == ["Sheet", "Ô", "Đơn vị", "Tiêu chí", "Mục", "Giá trị cũ", "Giá trị mới", "Lần tính"]
    data = [r[:7] for r in rows[4:] if any(r)]
    return rows[1][0], data


def _when(text: str) -> str:
    return re.search(r"\d\d:\d\d:\d\d ngày \d\d/\d\d/\d{4}", text).group()


def test_the_first_ranking_says_there_is_no_earlier_snapshot_and_hides_the_snapshot(tmp_path):
    path = _demo(tmp_path)
    rank_file(path, backup=False)
    assert _listed(path) == (FIRST, [])
    book = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    assert re.search(rf'<sheet [^>]*name="{SNAPSHOT}"[^>]*state="veryHidden"', book)
    assert not re.search(rf'<sheet [^>]*name="{CHANGES}"[^>]*state=', book)  # the Changes sheet is seen


def test_three_edited_cells_are_listed_then_nothing_changed_since_that_ranking(tmp_path):
    path = _demo(tmp_path)
    rank_file(path, backup=False)
    write_output_sheets(path, [], cells=EDITS, backup=False)
    rank_file(path, backup=False)
    subtitle, rows = _listed(path)
    assert rows == LISTED
    assert subtitle.startswith("3 ô số liệu đã thay đổi kể từ lần tính lúc ")
    changes = _sheet(path, CHANGES)
    when = changes[4][7]
    assert isinstance(when, dt.datetime) and all(r[7] == when for r in changes[4:7])
    assert _when(subtitle.split("(lần tính này: ")[1]) == when.strftime("%H:%M:%S ngày %d/%m/%Y")
    links = zipfile.ZipFile(path).read(_part(path, CHANGES)).decode()
    assert '<hyperlink ref="B5" location="\'Đơn vị\'!D9"' in links
    assert '<hyperlink ref="B6" location="\'Tự chấm\'!E8"' in links
    rank_file(path, backup=False)  # nothing edited since
    assert _listed(path) == (f"Không có ô số liệu nào thay đổi kể từ lần tính lúc "
                             f"{when:%H:%M:%S ngày %d/%m/%Y}.", [])


def _part(path: Path, name: str) -> str:
    """The worksheet part of sheet ``name``."""
    with zipfile.ZipFile(path) as z:
        book, rels = z.read("xl/workbook.xml").decode(), z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{name}"[^>]*r:id="(rId\d+)"', book).group(1)
    return "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)


def test_rows_moved_by_layout_are_not_changes(tmp_path):
    """STC and SXD swap places in the Units table; layout moves their grid columns with
    them.  Every moved cell holds the value it held, so nothing is listed."""
    path = _demo(tmp_path)
    rank_file(path, backup=False)
    units = _sheet(path, "Đơn vị")
    swap = {f"{col}{row}": units[4 + (row == 5)][k] or None
            for row in (5, 6) for k, col in enumerate("ABCDEFGH")}
    write_output_sheets(path, [], cells={"Đơn vị": {ref: v for ref, v in swap.items() if v is not None}},
                        backup=False)
    layout_file(path, backup=False)
    grid = _sheet(path, "Tự chấm")
    assert grid[3][3:5] == ["SXD", "STC"] and grid[7][3:5] == [6.0, 6.0] and grid[8][3:5] == [9.0, 9.5]
    rank_file(path, backup=False)
    subtitle, rows = _listed(path)
    assert subtitle.startswith("Không có ô số liệu nào thay đổi kể từ lần tính lúc ") and rows == []


def test_a_workbook_of_an_earlier_version_ranks_the_same_and_has_no_snapshot_yet(tmp_path):
    path = tmp_path / "demo-2025-v1.xlsx"
    shutil.copy(DATA / "demo-2025-v1.xlsx", path)
    expected = json.loads((DATA / "demo-2025-v1.json").read_text(encoding="utf-8"))
    result, _ = rank_file(path, backup=False)
    assert [list(r) for r in ranking_sheet(result, "vi").rows] == expected["ranking"]
    assert _listed(path) == (FIRST, [])


def test_past_the_issues_shown_setting_the_complete_list_goes_beside(tmp_path):
    path = _demo(tmp_path)
    rank_file(path, backup=False)
    settings = _sheet(path, "Cài đặt")
    label = C.SETTING_BY_KEY["issues_shown"].vi
    row = next(k for k, r in enumerate(settings, 1) if r[0] == label)
    write_output_sheets(path, [], cells={**EDITS, "Cài đặt": {f"B{row}": 2}}, backup=False)
    rank_file(path, backup=False)
    subtitle, rows = _listed(path)
    assert rows == [["Cài đặt", f"B{row}", "", "", label, "5000", "2"], LISTED[0]]
    assert subtitle.startswith("4 ô số liệu đã thay đổi") and subtitle.endswith(
        "Sheet này liệt kê 2 ô đầu tiên; danh sách đầy đủ: tệp “cum - Thay đổi đầy đủ.csv” bên cạnh bảng tính.")
    with open(tmp_path / "cum - Thay đổi đầy đủ.csv", encoding="utf-8-sig", newline="") as f:
        full = list(csv.reader(f))
    assert [r[:7] for r in full[1:]] == [["Cài đặt", f"B{row}", "", "", label, "5000", "2"],
                                          *LISTED]


def test_a_snapshot_edited_by_hand_is_said_unreadable_and_replaced(tmp_path):
    path = _demo(tmp_path)
    rank_file(path, backup=False)
    write_output_sheets(path, [], cells={SNAPSHOT: {"B5": "không phải ảnh chụp"}}, backup=False)
    rank_file(path, backup=False)
    assert _listed(path)[0].startswith("Không đọc được ảnh chụp số liệu của lần tính trước")
    rank_file(path, backup=False)
    assert _listed(path)[0].startswith("Không có ô số liệu nào thay đổi")


def test_the_snapshot_is_cut_into_cells_excel_can_hold_and_reads_back(tmp_path):
    path = _demo(tmp_path)
    rank_file(path, backup=False)
    rows = _sheet(path, SNAPSHOT)[4:]
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert all(len(r[1]) <= CHUNK <= 32_767 for r in rows)
    snap = decode([r[1] for r in rows])
    assert sorted(snap.parts) == ["evidence", "grid:Thẩm định", "grid:Tự chấm", "table:assessments",
                                  "table:awards", "table:ballot", "table:bands", "table:criteria",
                                  "table:previous", "table:settings", "table:units"]
    units = snap.parts["table:units"]
    assert units.rows[:3] == ["STC", "SXD", "SNNMT"] and units.row_at[:3] == [5, 6, 7]
    assert units.others[units.cols.index("signed") + 4 * len(units.cols)] == "Không"  # SKHCN, 5th row
    assert encode(snap) == [r[1] for r in rows]  # the same snapshot, the same text


def test_the_excel_button_lists_the_same_three_cells_and_hides_a_new_snapshot_sheet(tmp_path):
    path = _demo(tmp_path)
    first = xw.Book(json=payload(path))  # never ranked: the sheets are added, the snapshot hidden
    excel.recalculate(first)
    hidden = actions(first, "setSheetVisibility")
    assert [(a["args"], [s.name for s in first.sheets][a["sheet_position"]]) for a in hidden] == [
        (["Hidden"], SNAPSHOT)]
    rank_file(path, backup=False)  # ranked once, then the three cells edited
    write_output_sheets(path, [], cells=EDITS, backup=False)
    book = xw.Book(json=payload(path))
    excel.recalculate(book)
    position = [s.name for s in book.sheets].index(CHANGES)
    block = next(a["values"] for a in actions(book, "setValues")
                 if a["sheet_position"] == position and a["start_row"] == 3)
    assert [[v if v is not None else "" for v in r[:7]] for r in block[1:]] == [
        [r[0], f'=HYPERLINK("#\'{r[0]}\'!{r[1]}","{r[1]}")', *r[2:]] for r in LISTED]
    assert not actions(book, "setSheetVisibility")  # the very hidden sheet is left as it is


def test_a_locked_structure_ranks_without_adding_them_and_keeps_them_once_there(tmp_path):
    """Locking the structure (Review › Protect Workbook) forbids new sheets: a workbook locked
    before these sheets existed still ranks, without them; one that has them keeps listing."""
    def lock(path: Path) -> None:
        rewrite(path, "xl/workbook.xml", lambda x: x.replace(
            "<workbookProtection/>", '<workbookProtection lockStructure="1"/>'))

    path = _demo(tmp_path)  # the template has the four result sheets, as an older version made it
    lock(path)
    _, report = rank_file(path, backup=False)
    assert report.sheets_written == ["Xếp hạng", "Kiểm tra", "Công bằng", "Lịch sử"]
    assert CHANGES not in CalamineWorkbook.from_path(str(path)).sheet_names
    (tmp_path / "ranked").mkdir()
    ranked = _demo(tmp_path / "ranked")
    rank_file(ranked, backup=False)
    lock(ranked)
    write_output_sheets(ranked, [], cells=EDITS, backup=False)
    rank_file(ranked, backup=False)
    assert _listed(ranked)[1] == LISTED


def test_compare_keys_cells_by_code_a_gone_unit_where_it_was_and_a_new_one_when_filled():
    """The five-unit cluster: unit E's column of Tự chấm (H) now belongs to a new unit F, who
    typed one score.  E's four filled cells are listed at their old cells as emptied, with
    no link; F's one score as new; F's blank cells and every other sheet are not listed."""
    data = sheets()
    old = snapshot(build_raw_book(list(data), lambda n: data[n]), dt.datetime(2025, 12, 18, 9))
    grid = data["Tự chấm"]
    grid[2][7], grid[3][7] = "Fa", "F"
    for row in grid[4:]:
        row[7] = 6 if row[0] == "1.1" else None
    new = snapshot(build_raw_book(list(data), lambda n: data[n]), dt.datetime(2025, 12, 18, 10))
    assert [(c.sheet, c.cell, c.unit, c.criterion, c.old, c.new, c.present) for c in compare(old, new)] == [
        ("Tự chấm", "H6", "F", "1.1", None, 6, True), ("Tự chấm", "H6", "E", "1.1", 7, None, False),
        ("Tự chấm", "H7", "E", "1.2", 100, None, False), ("Tự chấm", "H9", "E", "2.1", 4, None, False),
        ("Tự chấm", "H15", "E", "5.1", "Không", None, False)]
    assert len(compare(old, decode(encode(old)))) == 0  # the stored form compares equal to itself


def test_numbers_with_many_decimals_are_kept_exactly():
    """Scores are packed as whole hundredths; a third of a point is not one, so that part is
    kept as float64 — either way the value read back is the value stored."""
    data = sheets()
    data["Thẩm định"][5][3] = 1 / 3  # A's verified 1.1
    snap = snapshot(build_raw_book(list(data), lambda n: data[n]), dt.datetime(2025, 12, 18, 9))
    back = decode(encode(snap))
    for key, part in snap.parts.items():
        assert np.array_equal(back.parts[key].numbers, part.numbers, equal_nan=True), key
        assert back.parts[key].others == part.others, key
    assert back.parts["grid:Thẩm định"].numbers[1, 0] == 1 / 3


def test_a_number_typed_as_text_then_as_a_number_says_so(tmp_path):
    """SNNMT typed "8,5" as text in Tự chấm!F9 (read as 8.5, with a note); typed again as the
    number 8.5 it shows "8,5" both sides, so the item says what changed: text became number."""
    path = _demo(tmp_path)
    rank_file(path, backup=False)
    write_output_sheets(path, [], cells={"Tự chấm": {"F9": 8.5}}, backup=False)
    rank_file(path, backup=False)
    assert _listed(path)[1] == [["Tự chấm", "F9", "SNNMT", "1.2.b", "kiểu dữ liệu: chữ → số", "8,5", "8,5"]]
