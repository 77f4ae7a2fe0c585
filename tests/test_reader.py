"""The file path: a real .xlsx read with python-calamine gives the same result as the lists."""

from __future__ import annotations

import threading

import pytest

from emutools.core.engine import recalculate
from emutools.io.reader import WorkbookReadError, read_book
from tests.cluster import write_xlsx


def test_xlsx_reads_into_the_hand_worked_ranking(tmp_path):
    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    result = recalculate(read_book(path))
    assert result.ranking["rank"].to_dict() == {"A": 1, "B": 2, "C": 3, "D": 3, "E": 5}
    assert ("score_text_number", "Thẩm định", "H9") in {(i.code, i.sheet, i.cell) for i in result.issues}


def test_sheets_read_in_parallel_equal_sheets_read_one_by_one(tmp_path, monkeypatch):
    """Big workbooks have their sheets parsed on threads; the result must not depend on it."""
    import emutools.io.reader as reader

    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    on_threads, on_main = [], []
    original = reader._values

    def spy(book, name):
        alone = threading.current_thread() is threading.main_thread()
        (on_main if alone else on_threads).append(name)
        return original(book, name)

    monkeypatch.setattr(reader, "_values", spy)
    monkeypatch.setattr(reader, "PARALLEL_FROM_BYTES", 10**9)
    one_by_one = read_book(path)
    assert on_threads == [] and {*one_by_one.grids, one_by_one.evidence.sheet, "Cài đặt"} <= set(on_main)
    read_alone, on_main[:] = list(on_main), []
    monkeypatch.setattr(reader, "PARALLEL_FROM_BYTES", 0)
    parallel = read_book(path)
    assert on_main == [] and sorted(on_threads) == sorted(read_alone)  # each sheet once, on a thread
    for name, grid in one_by_one.grids.items():
        assert (parallel.grids[name].values == grid.values).all()
        assert parallel.grids[name].numbers.tobytes() == grid.numbers.tobytes()
        assert parallel.grids[name].criteria.equals(grid.criteria)
    assert recalculate(parallel).ranking.equals(recalculate(one_by_one).ranking)


@pytest.mark.parametrize("name, content, fragment", [
    ("notes.txt", b"hello", "không phải .xlsx"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "bị hỏng"),
    ("missing.xlsx", None, "Không tìm thấy"),
])
def test_unreadable_files_get_one_clear_message(tmp_path, name, content, fragment):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WorkbookReadError) as info:
        read_book(path)
    assert fragment in info.value.message_vi
    assert name in info.value.message_en or str(path) in info.value.message_en


# --- formulas saved without their result (issue 13, item 9) ----------------------------------


def test_a_formula_without_a_calculated_value_is_an_error_at_its_cell_never_a_blank(tmp_path):
    """openpyxl (like any script) saves "=2" with no result: calamine reads it as blank, which
    used to mean "not verified, the self-score is used" or "mandatory score missing"."""
    import openpyxl

    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    wb = openpyxl.load_workbook(path)
    wb["Thẩm định"]["D6"] = "=2"
    wb["Tự chấm"]["H6"] = "=2+1"
    wb["Hướng dẫn"]["A5"] = "=1"  # a sheet emutools does not read: not its business
    wb.save(path)
    result = recalculate(read_book(path))
    found = [(i.severity, i.sheet, i.cell) for i in result.issues if i.code == "formula_not_calculated"]
    assert sorted(found) == [("error", "Thẩm định", "D6"), ("error", "Tự chấm", "H6")]
    message = next(i for i in result.issues if i.code == "formula_not_calculated")
    assert "mở và lưu tệp trong Excel trước" in message.message("vi")
    assert "Save the file in Excel first" in message.message("en")


def _sheet_package(tmp_path, cells: str):
    import zipfile

    path = tmp_path / "s.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml",
                         '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         f"<x:sheetData>{cells}</x:sheetData></x:worksheet>")
    return zipfile.ZipFile(path)


@pytest.mark.parametrize("chunk", [1 << 20, 7])  # 7 bytes: every cell split across chunks
def test_uncached_formulas_are_told_from_calculated_ones(tmp_path, monkeypatch, chunk):
    import emutools.io.reader as reader

    monkeypatch.setattr(reader, "CHUNK", chunk)
    cells = ('<x:row r="1">'
             '<x:c r="A1"><x:f>1+1</x:f><x:v>2</x:v></x:c>'  # calculated
             '<x:c r="B1"><x:f>2</x:f><x:v></x:v></x:c>'  # openpyxl's "=2": empty number
             '<x:c r="C1" t="str"><x:f>""</x:f><x:v></x:v></x:c>'  # calculated, the result is ""
             '<x:c r="D1"><x:f t="shared" ref="D1:D2" si="0">A1&gt;1</x:f></x:c>'  # no value at all
             '<x:c r="E1" t="inlineStr"><x:is><x:t>a:f b &lt;f&gt;</x:t></x:is></x:c>'  # text, no formula
             '</x:row><x:row r="2">'
             '<x:c r="D2" s="1"><x:f t="shared" si="0"/></x:c>'  # shared, never calculated
             '<x:c r="E2" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>'  # an error is a result
             '<x:c r="F2" t="b"><x:f>TRUE()</x:f><x:v/></x:c>'  # empty value on a non-text cell
             "</x:row>")
    package = _sheet_package(tmp_path, cells)
    assert reader.uncached_formulas(package, "xl/worksheets/sheet1.xml") == ["B1", "D1", "D2", "F2"]


# --- files that are not plain Transitional workbooks (issue 13, item 16) ----------------------


def test_a_password_protected_workbook_is_named_as_such_not_damaged(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain, path = tmp_path / "plain.xlsx", tmp_path / "cum.xlsx"
    write_xlsx(plain)
    with open(plain, "rb") as source, open(path, "wb") as out:
        OOXMLFile(source).encrypt("mật khẩu", out)  # what Excel's Encrypt with Password writes
    with pytest.raises(WorkbookReadError) as info:
        read_book(path)
    vi, en = info.value.message_vi, info.value.message_en
    assert "“cum.xlsx” được đặt mật khẩu" in vi and "Bảo vệ sổ làm việc" in vi and "hỏng" not in vi
    assert "'cum.xlsx' is password-protected" in en and "File > Info > Protect Workbook" in en
    # the same compound file without an encrypted package is an old .xls renamed .xlsx
    path.write_bytes(path.read_bytes().replace("EncryptedPackage".encode("utf-16-le"),
                                               "EncryptedPackagf".encode("utf-16-le")))
    with pytest.raises(WorkbookReadError, match="Excel 97–2003"):
        read_book(path)


def _rewritten(source, target, edit):
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = edit(info.filename, src.read(info.filename))
            if data is not None:
                out.writestr(info, data)


def _strict(name: str, data: bytes) -> bytes:
    """Transitional -> Strict namespaces, as Excel's "Strict Open XML Spreadsheet" writes them."""
    for transitional, strict in (
            (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
             b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
            (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
             b"http://purl.oclc.org/ooxml/officeDocument/relationships")):
        data = data.replace(transitional, strict)
    return data


def _without_styles(name: str, data: bytes) -> bytes | None:
    """A valid package that simply has no styles part (no relationship, no content type)."""
    import re

    if name == "xl/styles.xml":
        return None
    return re.sub(rb"<(?:Relationship|Override)\b[^>]*styles\.xml\"[^>]*/>", b"", data)


@pytest.mark.parametrize("edit, fragment", [(_strict, "Strict Open XML Spreadsheet"),
                                            (_without_styles, "xl/styles.xml")])
def test_strict_and_style_less_workbooks_are_read_and_refused_for_writing_by_name(tmp_path, edit, fragment):
    from emutools.headless import rank_file
    from emutools.io.xlsx import WorkbookWriteError

    plain, path = tmp_path / "plain.xlsx", tmp_path / "cum.xlsx"
    write_xlsx(plain)
    _rewritten(plain, path, edit)
    result = recalculate(read_book(path))  # check, letters: the values read as from the plain file
    assert result.ranking["rank"].to_dict() == {"A": 1, "B": 2, "C": 3, "D": 3, "E": 5}
    before = path.read_bytes()
    with pytest.raises(WorkbookWriteError) as info:
        rank_file(path)
    assert fragment in info.value.message_vi and fragment in info.value.message_en
    assert "hỏng" not in info.value.message_vi and "damaged" not in info.value.message_en
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["cum.xlsx", "plain.xlsx"]


def test_a_grid_held_as_numbers_gives_back_every_cell_as_typed():
    """The reader keeps a score sheet as numbers plus the few cells a float cannot stand for;
    each cell, row and the whole matrix must come back exactly as typed (type and value)."""
    import datetime as dt

    import numpy as np

    from emutools.io.tables import find_grid

    nan = float("nan")
    typed = [[8.5, "", " 9 ", 7, None], [True, 10.0, nan, dt.date(2025, 1, 2), "tám"]]
    expected = [[8.5, None, " 9 ", 7, None], [True, 10.0, nan, dt.date(2025, 1, 2), "tám"]]
    numbers = [8.5 + k / 4 for k in range(5)]  # floats enough for the sheet to be held as numbers
    rows = [["Lịch chấm", "", "", "", "", "", "", ""],
            ["Mã tiêu chí", "Nội dung tiêu chí", "Điểm tối đa", "A", "B", "C", "D", "E"],
            ["1", "Nhóm", "", "", "", "", "", ""],
            *(["1." + str(k), "x", 10.0, *numbers] for k in range(1, 60)),
            ["2.1", "y", 10.0, *typed[0]], ["2.2", "z", 10.0, *typed[1]]]
    grid = find_grid(rows, "Tự chấm", [])
    assert grid.given is None and len(grid.kept[0]) == 6  # "tám", " 9 ", 7, True, NaN, the date
    last = len(grid.criteria) - 2
    for i, line in enumerate(expected):
        for j, value in enumerate(line):
            found = grid.cell(last + i, j)
            assert type(found) is type(value) and (found == value or value != value)
            assert type(grid.row(last + i)[j]) is type(value)
    assert grid.cell(0, 0) is None and grid.cell(1, 4) == numbers[4]
    whole = grid.values
    assert whole.shape == (len(grid.criteria), 5) and whole[last, 3] == 7 and whole[last + 1, 4] == "tám"
    assert np.isnan(grid.numbers[last + 1, 2]) and grid.other[last + 1].tolist() == [True, False, False, True, True]
