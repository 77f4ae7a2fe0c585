"""`emutools layout`: grids laid out from the Units and Criteria tables, nothing typed lost.

The workbook is changed the way a secretary changes it in Excel — rows typed into the Units
and Criteria tables (openpyxl here), nothing else — then laid out; every assertion reads the
written file back.
"""

from __future__ import annotations

import hashlib
import zipfile

import openpyxl
import pytest

from emutools.headless import check_file, layout_file
from emutools.io.template import WorkbookContent, build_workbook

UNITS3 = ["DV01", "DV02", "DV03"]
UNITS7 = UNITS3 + ["DV04", "DV05", "DV06", "DV07"]


def _criterion(code, name, kind=None, maximum=None, **extra):
    row = {"code": code, "name": name}
    if kind:
        row |= {"kind": kind, "max_points": maximum, "weight": 1, "mandatory": True,
                "needs_evidence": False} | extra
    return row


CRITERIA10 = [
    _criterion("1", "Chuyên môn"), _criterion("1.1", "Kế hoạch", "score", 20),
    _criterion("1.2", "Giải ngân", "score", 20, target=100, rule="proportional", measure_unit="%"),
    _criterion("1.3", "Cải cách hành chính", "score", 20),
    _criterion("2", "Thi đua"), _criterion("2.1", "Phát động", "score", 20, needs_evidence=True),
    _criterion("2.2", "Sáng kiến", "score", 20), _criterion("2.3", "Điểm thưởng", "bonus", 2),
    _criterion("2.4", "Điểm trừ", "penalty", 2), _criterion("2.5", "Kỷ luật", "veto"),
]
# Four rows more: one inside group 1 (so rows below it move), a new group with two leaves.
CRITERIA14 = (CRITERIA10[:3] + [_criterion("1.4", "Chuyển đổi số", "score", 10)] + CRITERIA10[3:]
              + [_criterion("3", "Công tác khác"), _criterion("3.1", "Đoàn thể", "score", 5),
                 _criterion("3.2", "An ninh", "veto")])


def _units(codes):
    return [{"code": c, "name": f"Đơn vị {c}", "short_name": f"ĐV {c[-1]}", "signed": True} for c in codes]


TYPED = {("1.1", "DV01"): 18, ("1.3", "DV03"): 15.5, ("2.2", "DV02"): 12, ("2.5", "DV03"): "Không",
         ("1.2", "DV02"): 96.5}


@pytest.fixture
def small(tmp_path):
    """3 units × 10 criteria, scores, evidence and an open vote typed in."""
    content = WorkbookContent(
        settings={"cluster_name": "Cụm thi đua số 5", "year": 2026}, units=_units(UNITS3),
        criteria=CRITERIA10, scores={"Tự chấm": TYPED, "Thẩm định": {("2.1", "DV02"): 19}},
        evidence={("2.1", "DV01"): "QĐ 12/QĐ-UBND"},
        ballot=[{"unit": "DV01", "award": "CTDT", "votes": {"DV02": "Đồng ý", "DV03": "Không đồng ý"}}])
    path = tmp_path / "cum.xlsx"
    build_workbook(path, content)
    return path


def _grow(path, units=UNITS7, criteria=CRITERIA14, year=2025):
    """As a secretary would: type rows into the Units and Criteria tables, change the year."""
    wb = openpyxl.load_workbook(path)
    table_rows(wb["Đơn vị"], "tblDonVi", [[u["code"], u["name"], u["short_name"], "Có"] for u in _units(units)])
    table_rows(wb["Tiêu chí"], "tblTieuChi", [
        [c["code"], c["name"], {"score": "Chấm điểm", "bonus": "Điểm thưởng", "penalty": "Điểm trừ",
                                "veto": "Loại trừ"}.get(c.get("kind")), c.get("max_points"), None, None,
         "Có" if c.get("needs_evidence") else None, c.get("target"),
         "Tỷ lệ" if c.get("rule") else None, None, c.get("measure_unit")] for c in criteria])
    settings = wb["Cài đặt"]
    year_row = next(r for r in range(5, 30) if settings.cell(r, 1).value == "Năm")
    settings.cell(year_row, 2, year)
    wb.save(path)


def table_rows(ws, table_name, rows):
    """Rewrite a table's data rows from row 5 (clearing any left below) and its range."""
    table = ws.tables[table_name]
    width = len(rows[0])
    for r in range(5, ws.max_row + 1):
        for c in range(1, width + 1):
            ws.cell(r, c).value = None
    for r, values in enumerate(rows, start=5):
        for c, v in enumerate(values, start=1):
            ws.cell(r, c, v)
    last = table.ref.split(":")[1].rstrip("0123456789")
    table.ref = f"A4:{last}{4 + len(rows)}"
    table.autoFilter.ref = table.ref


def grid(path, sheet):
    """{(criterion, unit): value} read back from a grid by its header row and code column."""
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[4]]
    return {(str(ws.cell(r, 1).value), header[c - 1]): ws.cell(r, c).value
            for r in range(5, ws.max_row + 1) for c in range(4, len(header) + 1)
            if ws.cell(r, c).value is not None}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_grown_cluster_is_laid_out_with_every_value_under_its_key(small):
    _grow(small)
    before = {name: zipfile.ZipFile(small).read(name) for name in zipfile.ZipFile(small).namelist()}
    layout, report = layout_file(small)
    assert report.sheets_written == ["Tự chấm", "Thẩm định", "Minh chứng", "Bỏ phiếu"]
    assert layout.removed == []
    wb = openpyxl.load_workbook(small)
    ws = wb["Tự chấm"]
    assert [c.value for c in ws[4]] == ["Mã tiêu chí", "Nội dung tiêu chí", "Điểm tối đa", *UNITS7]
    assert [ws.cell(r, 1).value for r in range(5, 19)] == [c["code"] for c in CRITERIA14]
    assert grid(small, "Tự chấm") == {(c, u): v for (c, u), v in TYPED.items()}
    assert grid(small, "Thẩm định") == {("2.1", "DV02"): 19}
    assert grid(small, "Minh chứng") == {("2.1", "DV01"): "QĐ 12/QĐ-UBND"}
    # validation and highlight cover the new columns D..J and the new rows (1.4 on row 8, 3.x on 17-18)
    rules = {dv.error: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert rules == {
        "Điểm phải từ 0 đến điểm tối đa ở cột C.": "D6:J6 D8:J8 D9:J9 D11:J11 D12:J12 D13:J13 D14:J14 D17:J17",
        "Ghi kết quả đo (một số không âm), không ghi điểm.": "D7:J7",
        "Chọn Có hoặc Không.": "D15:J15 D18:J18"}
    formula2 = {dv.formula2 for dv in ws.data_validations.dataValidation}
    assert "$C6" in formula2  # each row's own maximum, relative to the first range
    assert [str(r.sqref) for r in ws.conditional_formatting] == ["D5:J18"]
    rule = ws.conditional_formatting["D5:J18"][0]
    assert rule.formula == ['COUNTIF(emu_flag_keys,"Tự chấm!"&ADDRESS(ROW(),COLUMN(),4))>0']
    assert ws.freeze_panes == "D5" and ws.print_title_rows == "$3:$4" and ws.print_title_cols == "$A:$C"
    assert [ws.column_dimensions[c].width for c in "ABCDJ"] == [10, 50, 9, 9, 9]
    assert ws["C8"].value == 10 and ws["C8"].number_format == "0.00"
    assert ws["D8"].fill.fgColor.rgb == "FFFFF2CC" and ws["D16"].fill.fgColor.rgb == "FFD9D9D9"
    # titles follow the settings (the year was changed to 2025)
    assert ws["A1"].value == "TỰ CHẤM – Cụm thi đua số 5 – NĂM 2025"
    assert wb["Bỏ phiếu"]["A1"].value == "BỎ PHIẾU – Cụm thi đua số 5 – NĂM 2025"
    # the ballot: a member column per unit, the typed votes kept, its table and validation grown
    ballot = wb["Bỏ phiếu"]
    assert [c.value for c in ballot[4]][5:] == UNITS7
    assert [c.value for c in ballot[5]][:8] == ["DV01", "CTDT", None, None, None, None, "Đồng ý", "Không đồng ý"]
    assert ballot.tables["tblBoPhieu"].ref == "A4:L5"
    assert [str(dv.sqref) for dv in ballot.data_validations.dataValidation] == ["F5:L205"]
    # only the grids' parts changed (and the package's indexes, print titles, named styles),
    # with the Guide, Settings, Units and Criteria sheets whose title now says 2025 (their A1
    # only: test_titles_of_the_secretarys_sheets_follow_the_settings); the result sheets are
    # byte for byte as they were
    after = zipfile.ZipFile(small)
    changed = {n for n in before if n in after.namelist() and after.read(n) != before[n]}
    assert changed == {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                       "xl/styles.xml", *(f"xl/worksheets/sheet{k}.xml" for k in range(1, 5)),
                       "xl/worksheets/sheet5.xml", "xl/worksheets/sheet6.xml",
                       "xl/worksheets/sheet7.xml", "xl/worksheets/sheet8.xml",
                       "xl/worksheets/_rels/sheet8.xml.rels", "xl/tables/table7.xml"}
    assert set(after.namelist()) == set(before)
    # and the grid now matches its tables: rank finds no grid out of step
    codes = {i.code for i in check_file(small).issues}
    assert not {c for c in codes if c.startswith("grid_")}


def test_a_second_layout_changes_nothing(small):
    _grow(small)
    layout_file(small)
    first = _digest(small)
    layout_file(small)
    assert _digest(small) == first


def test_a_removed_unit_keeps_its_values_on_the_kept_data_sheet(small):
    _grow(small)
    layout_file(small)
    _grow(small, units=[u for u in UNITS7 if u != "DV03"])
    layout, report = layout_file(small)
    assert "Dữ liệu đã bỏ" in report.sheets_added
    ws = openpyxl.load_workbook(small)["Dữ liệu đã bỏ"]
    rows = [tuple(c.value for c in row)[:5] for row in ws.iter_rows(min_row=5)]
    assert rows == [("Tự chấm", "F9", "DV03", "1.3", 15.5), ("Tự chấm", "F15", "DV03", "2.5", "Không"),
                    ("Bỏ phiếu", "H5", "DV03", "DV01 / CTDT", "Không đồng ý")]
    assert "DV03" not in [c.value for c in openpyxl.load_workbook(small)["Tự chấm"][4]]
    kept = _digest(small)
    layout_file(small)  # laid out again: the kept rows are not repeated
    assert _digest(small) == kept


def test_a_renamed_code_is_reported_and_never_re_keyed(small):
    _grow(small, units=UNITS3)
    layout_file(small)
    _grow(small, units=["DV01", "DV02", "DV09"])
    from emutools.io.grids import report_lines

    layout, _ = layout_file(small)
    lines = report_lines(layout, "vi")
    assert "Tự chấm: thêm cột DV09; bỏ cột DV03" in lines
    assert any("mã DV03 không còn, mã DV09 mới có" in line for line in lines)
    assert not {k for k in grid(small, "Tự chấm") if k[1] == "DV09"}
    # DV03 had nothing typed on Thẩm định or Minh chứng: nothing was kept from it there, so no
    # pointer to a "Dữ liệu đã bỏ" copy (a new template's sample units replaced say nothing of it)
    assert "Thẩm định: thêm cột DV09; bỏ cột DV03" in lines
    assert [line.split(":")[0] for line in lines if "mới có" in line] == ["Tự chấm", "Bỏ phiếu"]


def test_rank_says_to_lay_out_a_grid_out_of_step(small):
    _grow(small)
    messages = [i for i in check_file(small).issues if i.code == "grid_unit_absent"]
    assert messages and all("Cập nhật bố cục" in i.message("vi") and "emutools layout" in i.message("en")
                            for i in messages)


def test_the_unit_targets_grid_grows_with_its_tables(tmp_path):
    """Targets stay under (criterion, unit); only rows whose rule compares with a target take input."""
    path = tmp_path / "plans.xlsx"
    build_workbook(path, WorkbookContent(units=_units(UNITS3), criteria=CRITERIA10,
                                         targets={("1.2", "DV02"): 80, ("1.2", "DV03"): "Không áp dụng"}))
    _grow(path)
    layout, report = layout_file(path)
    assert "Chỉ tiêu đơn vị" in report.sheets_written
    assert grid(path, "Chỉ tiêu đơn vị") == {("1.2", "DV02"): 80, ("1.2", "DV03"): "Không áp dụng"}
    ws = openpyxl.load_workbook(path)["Chỉ tiêu đơn vị"]
    assert [(str(dv.sqref), dv.operator) for dv in ws.data_validations.dataValidation] == [("D7:J7", "greaterThan")]
    assert ws["B7"].value == "Giải ngân (chỉ tiêu chung: 100)"


# --- the same engine in Excel: xlwings' remote engine on the payload of the file ---------


def _excel_layout(path):
    import emutools.excel as excel
    from tests.xlpayload import actions, book_from

    book = book_from(path, client="Office.js")
    excel.layout(book)
    return actions(book)


def test_excel_lays_out_the_grown_cluster_alike(small):
    _grow(small)
    acts = _excel_layout(small)
    self_sheet = 4  # Tự chấm
    mine = [a for a in acts if a["sheet_position"] == self_sheet]
    values = next(a["values"] for a in mine if a["func"] == "setValues")
    header = values[3]
    assert header == ["Mã tiêu chí", "Nội dung tiêu chí", "Điểm tối đa", *UNITS7]
    typed = {(str(row[0]), header[c]): row[c] for row in values[4:] for c in range(3, len(header))
             if row[c] not in (None, "")}
    assert typed == TYPED
    assert values[0][0] == "TỰ CHẤM – Cụm thi đua số 5 – NĂM 2025"
    rules = [(a["start_row"] + 1, a["start_column"], a["column_count"], a["args"][0])
             for a in mine if a["func"] == "setDataValidationRule"]
    assert [r[:3] for r in rules] == [(row, 3, 7) for row in (6, 8, 9, 11, 12, 13, 14, 17, 7)]
    assert rules[1][3]["formula2"] == "=$C8"  # each row checks against its own maximum
    highlight = next(a for a in mine if a["func"] == "addConditionalFormat")
    assert (highlight["start_row"], highlight["start_column"], highlight["row_count"],
            highlight["column_count"]) == (4, 3, 14, 7)
    assert "Tự chấm!" in highlight["args"][0]["formula"]
    # the ballot's table (its first table) grows to the member columns of seven units
    assert [a["args"] for a in acts if a["func"] == "resizeTable"] == [[0, "$A$4:$L$5"]]


def test_excel_layout_calls_do_not_grow_with_the_units(small, tmp_path):
    """Range calls per sheet are the same for 7 units as for 30."""
    import collections
    import shutil

    big = tmp_path / "big.xlsx"
    shutil.copy(small, big)
    _grow(small)
    _grow(big, units=[f"DV{k:02d}" for k in range(1, 31)])
    count = [collections.Counter((a["sheet_position"], a["func"]) for a in _excel_layout(p)) for p in (small, big)]
    assert count[0] == count[1]
    assert sum(count[0].values()) < 80


def test_a_30_unit_cluster_from_new_needs_no_hand_edit_of_any_grid(tmp_path):
    """`new`, then only the Units and Criteria tables typed (as in Excel), then layout, rank
    (scores typed on the laid-out grid by its codes) and letters: no grid edited by hand."""
    from typer.testing import CliRunner

    from emutools.cli import app

    path = tmp_path / "cum30.xlsx"
    run = CliRunner()
    assert run.invoke(app, ["new", str(path)]).exit_code == 0
    units = [f"S{k:02d}" for k in range(1, 31)]
    _grow(path, units=units, criteria=CRITERIA14, year=2026)
    assert run.invoke(app, ["layout", str(path)]).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Tự chấm"]
    header = [c.value for c in ws[4]]
    assert header[3:] == units
    # the aids reach the 30th unit (column AG) and the 14th criterion (row 18)
    assert [str(r.sqref) for r in ws.conditional_formatting] == ["D5:AG18"]
    assert all(str(dv.sqref).split(":")[-1].startswith("AG") for dv in ws.data_validations.dataValidation)
    assert wb["Bỏ phiếu"].tables["tblBoPhieu"].ref == "A4:AI5"
    # the sample units were typed over: only the generic award names and the cluster name (the
    # template's default, not edited here) are still samples
    assert {i.code for i in check_file(path).issues if i.code.endswith("_sample")} == {"award_sample",
                                                                                       "cluster_name_sample"}
    for r in range(5, ws.max_row + 1):  # every unit scores every scored row, as typed in Excel
        code = str(ws.cell(r, 1).value)
        kind = next((c.get("kind") for c in CRITERIA14 if c["code"] == code), None)
        for col in range(4, len(header) + 1):
            if kind == "score":
                ws.cell(r, col, 1 + (col % 5))
            elif kind == "veto":
                ws.cell(r, col, "Không")
            elif code == "1.2":
                ws.cell(r, col, 90 + col % 10)
    wb.save(path)
    done = run.invoke(app, ["rank", str(path), "--layout"])
    assert done.exit_code == 0, done.output
    result = check_file(path)
    assert not [i for i in result.issues if i.code.startswith("grid_")]
    assert result.ranking["rank"].notna().sum() == 30
    letters = run.invoke(app, ["letters", str(path)])
    assert letters.exit_code == 0, letters.output


# --- the ballot's member columns, and the titles of the secretary's sheets ---------------


def test_rank_flags_ballot_member_columns_out_of_step(small):
    wb = openpyxl.load_workbook(small)
    assert wb["Bỏ phiếu"]["H4"].value == "DV03"
    wb["Bỏ phiếu"]["H4"] = "DV3"  # a member column retyped: DV03 has none, DV3 is no unit
    wb.save(small)
    found = sorted((i.code, i.cell, i.unit) for i in check_file(small).issues if i.code.startswith("ballot_member"))
    assert found == [("ballot_member_absent", "", "DV03"), ("ballot_member_unknown", "H4", "DV3")]
    flag = next(i for i in check_file(small).issues if i.code == "ballot_member_unknown")
    assert "Cập nhật bố cục" in flag.message("vi") and "not counted" in flag.message("en")
    _grow(small)  # four units more: no member column for them until the layout
    absent = [i.unit for i in check_file(small).issues if i.code == "ballot_member_absent"]
    assert absent == ["DV03", "DV04", "DV05", "DV06", "DV07"]
    layout_file(small)
    assert not [i for i in check_file(small).issues if i.code.startswith("ballot_member")]


TABLE_SHEETS = ["Hướng dẫn", "Cài đặt", "Đơn vị", "Tiêu chí"]


def _sheet_values(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_titles_of_the_secretarys_sheets_follow_the_settings(small):
    wb = openpyxl.load_workbook(small)
    assert wb["Cài đặt"]["A1"].value == "CÀI ĐẶT – Cụm thi đua số 5 – NĂM 2026"
    wb["Tiêu chí"]["A1"] = "BẢNG TIÊU CHÍ CỤM 5 (ĐÃ DUYỆT)"  # the secretary's own title stays
    wb.save(small)
    _grow(small, year=2025)
    before = {s: _sheet_values(small, s) for s in TABLE_SHEETS}
    layout_file(small)
    wb = openpyxl.load_workbook(small)
    assert [wb[s]["A1"].value for s in TABLE_SHEETS] == [
        "HƯỚNG DẪN – Cụm thi đua số 5 – NĂM 2025", "CÀI ĐẶT – Cụm thi đua số 5 – NĂM 2025",
        "ĐƠN VỊ – Cụm thi đua số 5 – NĂM 2025", "BẢNG TIÊU CHÍ CỤM 5 (ĐÃ DUYỆT)"]
    for s in TABLE_SHEETS:  # nothing else on them changed
        after = _sheet_values(small, s)
        assert {k: v for k, v in after.items() if k != "A1"} == {k: v for k, v in before[s].items() if k != "A1"}
    parts = _parts(small)
    layout_file(small)  # in step: the sheets are not touched again
    assert _parts(small) == parts
    # rank refreshes them too: a new cluster name and the mid-year period
    wb = openpyxl.load_workbook(small)
    settings = wb["Cài đặt"]
    for r in range(5, 30):
        if settings.cell(r, 1).value == "Tên cụm, khối thi đua":
            settings.cell(r, 2, "Cụm thi đua các sở")
        if settings.cell(r, 1).value == "Kỳ đánh giá":
            settings.cell(r, 2, "6 tháng đầu năm")
    wb.save(small)
    from emutools.headless import rank_file

    rank_file(small)
    wb = openpyxl.load_workbook(small)
    assert [wb[s]["A1"].value for s in TABLE_SHEETS[:3]] == [
        f"{s.upper()} – Cụm thi đua các sở – 6 THÁNG ĐẦU NĂM 2025" for s in TABLE_SHEETS[:3]]


def _parts(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_excel_layout_sets_the_stale_titles_in_one_call_each(small):
    _grow(small, year=2025)
    acts = _excel_layout(small)
    titles = [(a["sheet_position"], a["values"]) for a in acts
              if a["func"] == "setValues" and a["sheet_position"] < 4]
    assert titles == [(k, [[f"{s.upper()} – Cụm thi đua số 5 – NĂM 2025"]]) for k, s in enumerate(TABLE_SHEETS)]


def test_cells_outside_a_units_ranking_group_are_greyed_not_inputs(tmp_path):
    """1.2 applies to enterprises only: on every criteria × units sheet the agencies' 1.2 cells are
    grey, like the engine's not-applicable cells — in the new workbook and after a layout alike."""
    path = tmp_path / "groups.xlsx"
    units = [u | {"ranking_group": "Cơ quan" if u["code"] != "DV03" else "Doanh nghiệp"} for u in _units(UNITS3)]
    criteria = [dict(c) for c in CRITERIA10]
    criteria[2]["ranking_groups"] = "Doanh nghiệp"
    build_workbook(path, WorkbookContent(units=units, criteria=criteria))

    def fills(sheet):
        ws = openpyxl.load_workbook(path)[sheet]
        return [ws.cell(7, col).fill.fgColor.rgb for col in (4, 5, 6)], ws.cell(6, 4).fill.fgColor.rgb

    grey, yellow = "00F2F2F2", "00FFF2CC"
    for sheet in ("Tự chấm", "Minh chứng"):
        assert fills(sheet) == ([grey, grey, yellow], yellow)
    layout_file(path)  # the layout greys the same cells (its own named styles write FF…)
    for sheet in ("Tự chấm", "Thẩm định", "Minh chứng"):
        row, other = fills(sheet)
        assert [c[2:] for c in row] == ["F2F2F2", "F2F2F2", "FFF2CC"] and other[2:] == "FFF2CC"
