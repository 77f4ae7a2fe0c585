"""The template builder: the layout the reader relies on, validation, highlights, reproducibility."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from emutools import contract as C
from emutools.core.engine import recalculate
from emutools.io.reader import read_book
from emutools.io.template import WorkbookContent, build_workbook, default_content
from emutools.sample import UNIT_CODES, demo_content

LANGS = ("vi", "en")


def build(tmp_path, content: WorkbookContent, name: str = "book.xlsx"):
    path = tmp_path / name
    build_workbook(path, content)
    return path, openpyxl.load_workbook(path)


@pytest.fixture(scope="module", params=LANGS)
def demo(request, tmp_path_factory):
    lang = request.param
    path, wb = build(tmp_path_factory.mktemp(lang), demo_content(lang), f"demo-{lang}.xlsx")
    return lang, path, wb


def row_values(ws, row: int, first: int = 1, count: int | None = None) -> list[object]:
    last = ws.max_column if count is None else first + count - 1
    return [ws.cell(row, c).value for c in range(first, last + 1)]


@pytest.mark.parametrize("lang", LANGS)
def test_sheets_in_contract_order_guide_first_and_active(tmp_path, lang):
    _, wb = build(tmp_path, default_content(lang))
    assert wb.sheetnames == [s.name(lang) for s in C.SHEETS]
    assert wb.active.title == C.GUIDE.name(lang)
    assert [ws.sheet_view.tabSelected for ws in wb.worksheets] == [True] + [False] * (len(C.SHEETS) - 1)


@pytest.mark.parametrize("lang", LANGS)
def test_header_row_4_holds_the_contract_headers(tmp_path, lang):
    _, wb = build(tmp_path, default_content(lang))
    for spec in (C.UNITS_SHEET, C.CRITERIA_SHEET, C.RANKING_SHEET, C.ISSUES_SHEET):
        table = spec.tables[0]
        ws = wb[spec.name(lang)]
        assert row_values(ws, 4, count=len(table.columns)) == [c.header(lang) for c in table.columns]
    settings = wb[C.SETTINGS_SHEET.name(lang)]
    assert row_values(settings, 4, count=3) == [c.header(lang) for c in C.SETTINGS_TABLE.columns]
    for spec in (C.SELF_SHEET, C.VERIFIED_SHEET, C.EVIDENCE_SHEET):
        ws = wb[spec.name(lang)]
        assert row_values(ws, 4, count=3) == [c.header(lang) for c in C.GRID_LEAD]
        assert ws.freeze_panes == "D5"
    assert wb[C.UNITS_SHEET.name(lang)].freeze_panes == "A5"


@pytest.mark.parametrize("lang", LANGS)
def test_settings_tables_are_named_and_cover_their_rows(tmp_path, lang):
    content = demo_content(lang)
    _, wb = build(tmp_path, content)
    ws = wb[C.SETTINGS_SHEET.name(lang)]
    assert set(ws.tables) == {t.excel_name for t in C.SETTINGS_SHEET.tables}
    assert ws.tables["tblCaiDat"].ref == f"A4:C{4 + len(C.SETTINGS)}"
    labels = [ws.cell(r, 1).value for r in range(5, 5 + len(C.SETTINGS))]
    assert labels == [s.label(lang) for s in C.SETTINGS]
    sizes = {"tblBangCham": len(content.assessments), "tblXepLoai": len(content.bands),
             "tblKhenThuong": len(content.awards)}
    previous_end = 4 + len(C.SETTINGS)
    for spec in C.SETTINGS_SHEET.tables[1:]:
        ref = ws.tables[spec.excel_name].ref
        start, end = ref.split(":")
        header = int(start[1:])
        assert header == previous_end + 4  # two blank rows and the section title between tables
        assert row_values(ws, header, count=len(spec.columns)) == [c.header(lang) for c in spec.columns]
        assert int(end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == header + sizes[spec.excel_name]
        assert end[0] == chr(ord("A") + len(spec.columns) - 1)
        previous_end = int(end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def test_settings_values_are_written_as_labels(tmp_path):
    _, wb = build(tmp_path, demo_content("vi"))
    ws = wb["Cài đặt"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(5, 5 + len(C.SETTINGS))}
    assert values["Kỳ đánh giá"].value == "Năm"
    assert values["Cách tổng hợp điểm các bảng chấm"].value == "Thẩm định thay tự chấm"
    assert values["Ngày họp bình xét"].number_format == "dd/mm/yyyy"
    assert values["Năm"].value == 2025
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    combine = rules[values["Cách tổng hợp điểm các bảng chấm"].coordinate]
    cells = [row[0] for row in ws[combine.formula1.replace("$", "")]]
    assert [c.value for c in cells] == [C.choice_label(t, C.COMBINE_METHODS, "vi")
                                        for t in C.COMBINE_METHODS]
    assert ws.column_dimensions[cells[0].column_letter].hidden
    assert rules[values["Năm"].coordinate].type == "whole"
    awards = ws.tables["tblKhenThuong"].ref
    header = int(awards.split(":")[0][1:])
    first_award = row_values(ws, header + 1, count=len(C.AWARDS_TABLE.columns))
    assert first_award[:3] == ["CTDCP", "Cờ thi đua của Chính phủ", "Dẫn đầu cụm"]
    assert first_award[5:7] == ["Có", "Có"]


def test_english_tie_break_uses_the_english_word(tmp_path):
    _, wb = build(tmp_path, default_content("en"))
    ws = wb["Settings"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(5, 5 + len(C.SETTINGS))}
    assert values["Tie-break order"] == "1; 2; penalty"
    assert values["Period"] == "Annual"


def test_units_and_criteria_tables(demo):
    lang, _, wb = demo
    units = wb[C.UNITS_SHEET.name(lang)]
    assert units.tables["tblDonVi"].ref == f"A4:{get_column_letter(len(C.UNITS_TABLE.columns))}{4 + len(UNIT_CODES)}"
    assert [units.cell(r, 1).value for r in range(5, 5 + len(UNIT_CODES))] == UNIT_CODES
    assert units["D9"].value == ("Không" if lang == "vi" else "No")  # SKHCN did not sign
    criteria = wb[C.CRITERIA_SHEET.name(lang)]
    n = len(demo_content(lang).criteria)
    assert criteria.tables["tblTieuChi"].ref == f"A4:{get_column_letter(len(C.CRITERIA_TABLE.columns))}{4 + n}"
    for r in range(5, 5 + n):
        assert isinstance(criteria.cell(r, 1).value, str)
        assert criteria.cell(r, 1).number_format == "@"
    assert criteria["A5"].font.b and not criteria["A6"].font.b  # group "1", leaf "1.1"
    assert criteria["C6"].value == C.choice_label("score", C.CRITERION_KINDS, lang)


def test_codes_like_1_10_stay_text(tmp_path):
    content = WorkbookContent(criteria=[
        {"code": "1", "name": "Nhóm"},
        *({"code": f"1.{k}", "name": f"Tiêu chí {k}", "kind": "score", "max_points": 1}
          for k in range(1, 11)),
    ], units=[{"code": "A", "name": "Sở A"}])
    _, wb = build(tmp_path, content)
    assert wb["Tiêu chí"]["A15"].value == "1.10"
    assert wb["Tự chấm"]["A15"].value == "1.10" and wb["Tự chấm"]["A15"].number_format == "@"


@pytest.mark.parametrize("lang", LANGS)
def test_flag_keys_name_points_at_the_issues_key_column(tmp_path, lang):
    _, wb = build(tmp_path, default_content(lang))
    issues = C.ISSUES_SHEET.name(lang)
    assert wb.defined_names[C.FLAG_KEYS_NAME].attr_text == f"'{issues}'!$I:$I"
    assert wb[issues].cell(4, 9).value == C.ISSUES_TABLE.column("key").header(lang)


def test_output_sheets_are_blue_placeholders(demo):
    lang, _, wb = demo
    for spec in C.OUTPUT_SHEETS:
        ws = wb[spec.name(lang)]
        assert ws.sheet_properties.tabColor.rgb.endswith("1F4E79")
        assert ws.max_row == 4
        assert ws["A2"].value == ("Sheet do emutools ghi, không sửa tay." if lang == "vi"
                                  else "Written by emutools; do not edit.")


def test_demo_grids_have_one_column_per_unit_and_one_row_per_criterion(demo):
    lang, _, wb = demo
    codes = [c["code"] for c in demo_content(lang).criteria]
    for spec in (C.SELF_SHEET, C.VERIFIED_SHEET, C.EVIDENCE_SHEET):
        ws = wb[spec.name(lang)]
        assert row_values(ws, 4)[3:] == UNIT_CODES
        assert ws["E3"].value == "Xây dựng"  # short name above the code
        assert [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)] == codes
        assert all(ws.cell(r, 1).number_format == "@" for r in range(5, ws.max_row + 1))
        assert ws.print_title_rows == "$3:$4" and ws.print_title_cols == "$A:$C"


def test_grid_validation_by_kind_and_flag_highlight(demo):
    lang, _, wb = demo
    ws = wb[C.SELF_SHEET.name(lang)]
    rules = ws.data_validations.dataValidation
    assert {dv.type for dv in rules} == {"decimal", "list"}
    assert all(dv.errorStyle == "warning" for dv in rules)
    score = next(dv for dv in rules if dv.operator == "between")
    first = score.sqref.sorted()[0]
    assert (first.min_col, first.min_row) == (4, 6)  # D6: criterion 1.1, the first leaf
    assert score.formula2 == "$C6"
    assert "D8:L8" in str(next(dv for dv in rules if dv.operator == "greaterThanOrEqual").sqref)
    veto = next(dv for dv in rules if dv.type == "list")
    assert veto.formula1 == ('"Có,Không"' if lang == "vi" else '"Yes,No"')
    last = 4 + len(demo_content(lang).criteria)
    ranges = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    rule = ranges[f"D5:L{last}"][0]
    sheet = ws.title
    assert rule.formula == [f'COUNTIF(emu_flag_keys,"{sheet}!"&ADDRESS(ROW(),COLUMN(),4))>0']
    assert rule.dxf.fill.fgColor.rgb.endswith("FFC7CE") and rule.dxf.font.color.rgb.endswith("9C0006")


def test_every_input_sheet_has_the_flag_highlight(demo):
    lang, _, wb = demo
    for spec in (C.SETTINGS_SHEET, C.UNITS_SHEET, C.CRITERIA_SHEET, C.SELF_SHEET, C.VERIFIED_SHEET,
                 C.EVIDENCE_SHEET):
        ws = wb[spec.name(lang)]
        formulas = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules]
        assert formulas and all(f'"{ws.title}!"' in f for f in formulas)


def test_grid_cells_hold_the_demo_values(demo):
    lang, _, wb = demo
    own = wb[C.SELF_SHEET.name(lang)]
    assert own["F9"].value == "8,5"  # SNNMT 1.2.b, typed as text
    assert own["F9"].number_format == "0.00"
    verified = wb[C.VERIFIED_SHEET.name(lang)]
    veto_row = 5 + [c["code"] for c in demo_content(lang).criteria].index("7.1")
    assert verified.cell(veto_row, 7).value == ("Có" if lang == "vi" else "Yes")  # SCT
    assert verified["K12"].value is None  # QDTPT 1.4 left unverified
    evidence = wb[C.EVIDENCE_SHEET.name(lang)]
    assert evidence["D8"].number_format == "@" and evidence["D8"].value == "BC 112/BC-STC"


def test_sheet_names_with_quotes_are_escaped_in_the_highlight(tmp_path):
    content = default_content("vi")
    content.assessments.append(('Chấm chéo "A"', "cross", "DV01"))
    _, wb = build(tmp_path, content)
    ws = wb['Chấm chéo "A"']
    formula = next(iter(ws.conditional_formatting)).rules[0].formula[0]
    assert '"Chấm chéo ""A""!"' in formula
    assert wb.sheetnames[-6:] == ["Minh chứng", "Bỏ phiếu", "Xếp hạng", "Kiểm tra", "Công bằng",
                                  "Lịch sử"]


def test_building_twice_gives_identical_bytes(tmp_path):
    first, _ = build(tmp_path, demo_content("vi"), "a.xlsx")
    second, _ = build(tmp_path, demo_content("vi"), "b.xlsx")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_blank_template_reads_back_without_structural_problems(tmp_path, lang):
    path, _ = build(tmp_path, default_content(lang))
    raw = read_book(path)
    assert raw.lang == lang and raw.problems == []
    assert {t: raw.tables[t].header_row for t in ("settings", "units", "criteria")} == {
        "settings": 4, "units": 4, "criteria": 4}
    assert list(raw.grids) == [C.SELF_SHEET.name(lang), C.VERIFIED_SHEET.name(lang)]
    result = recalculate(raw)
    assert list(result.inputs.units.index) == ["DV01", "DV02", "DV03"]
    # nothing is scored yet, and the sample units, generic award names and the default cluster
    # name say they are samples; the criteria and the bands are on one scale, so no band is out of reach
    assert {i.code for i in result.issues} == {"sheet_no_scores", "unit_not_scored", "unit_sample", "award_sample",
                                               "cluster_name_sample"}


def test_demo_ranks_as_its_docstring_says(demo):
    lang, path, _ = demo
    result = recalculate(read_book(path))
    ranking = result.ranking
    assert ranking["rank"].to_dict() == {"SCT": 1, "SXD": 2, "STC": 3, "SKHCN": 4, "SNNMT": 5,
                                         "BQLKKT": 6, "SDL": 6, "QDTPT": 8, "TTXT": 9}
    assert str(ranking.at["SCT", "total"]) == "97.10" and not ranking.at["SCT", "eligible"]
    assert ranking["award"].to_dict() == {"SCT": "", "SXD": "CTDT", "STC": "CTDCP", "SKHCN": "TTLDXS",
                                          "SNNMT": "BKT", "BQLKKT": "TTLDXS", "SDL": "", "QDTPT": "",
                                          "TTXT": ""}
    assert ranking.at["BQLKKT", "vote"] == ("Đạt 75 % (6/8)" if lang == "vi" else "Approved 75 % (6/8)")
    found = {(i.code, i.unit, i.criterion) for i in result.issues}
    assert {("title_not_registered", "SXD", ""), ("agreement_unsigned", "SKHCN", ""),
            ("score_text_number", "SNNMT", "1.2.b"), ("score_out_of_range", "TTXT", "2.4"),
            ("score_unverified", "QDTPT", "1.4"), ("score_unverified", "QDTPT", "3.5"),
            ("score_unverified", "TTXT", "2.7"), ("evidence_missing", "SDL", "2.4"),
            ("evidence_missing", "QDTPT", "3.1"), ("evidence_missing", "TTXT", "2.3"),
            ("self_verified_gap", "SKHCN", "2.4")} <= found
    assert "quota_tie" not in {i.code for i in result.issues}  # the ballot settled it


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_demo_converts_to_pdf(demo, tmp_path):
    _, path, _ = demo
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / (path.stem + ".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
