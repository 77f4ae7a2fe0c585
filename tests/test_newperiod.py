"""`emutools new-period`: the next year's workbook from this year's."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from emutools.cli import app
from emutools.headless import check_file, recalculate_book
from emutools.io.template import build_workbook
from emutools.newperiod import next_period, next_period_content
from emutools.sample import demo_content


def test_periods_follow_each_other():
    assert next_period(2025, "annual", False) == (2026, "annual")
    assert next_period(2025, "annual", True) == (2026, "midyear")
    assert next_period(2025, "midyear", False) == (2025, "annual")


def test_new_period_keeps_structure_clears_scores_and_rotates_the_leader(tmp_path):
    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    done = CliRunner().invoke(app, ["new-period", str(path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    new = tmp_path / "cum - 2026.xlsx"
    old, fresh = check_file(path), check_file(new)
    assert list(fresh.inputs.units.index) == list(old.inputs.units.index)
    assert list(fresh.inputs.criteria.index) == list(old.inputs.criteria.index)
    assert fresh.inputs.criteria.equals(old.inputs.criteria)
    s = fresh.inputs.settings
    assert (s.year, s.period, s.leader, s.deputy) == (2026, "annual", "SXD", "SNNMT")
    assert s.rotation == old.inputs.settings.rotation
    assert fresh.ranking["rank"].isna().all()  # no scores yet
    assert not any(fresh.inputs.units["signed"])
    previous = openpyxl.load_workbook(new)["Kỳ trước"]
    rows = [[c.value for c in r[:4]] for r in previous.iter_rows(min_row=5, max_row=7)]
    assert rows == [["SCT", "Sở Công Thương", 1, 97.1], ["SXD", "Sở Xây dựng", 2, 95.9],
                    ["STC", "Sở Tài chính", 3, 93.8]]
    again = CliRunner().invoke(app, ["new-period", str(path)])
    assert again.exit_code == 2 and "không ghi đè" in again.output


def test_units_and_awards_are_carried_as_the_core_typed_them(tmp_path):
    """A unit without a short name gets its name; a duplicated unit code and an award with
    an unusable quota were flagged and never applied, so they stay behind; a note about what a
    unit is stays, one about its status this period goes (see the next test)."""
    content = demo_content("vi")
    content.units[1]["short_name"] = ""
    content.units.append(dict(content.units[0], name="Bản sao"))
    content.awards.append(dict(content.awards[2], code="X", quota="nhiều"))
    path = tmp_path / "cum.xlsx"
    build_workbook(path, content)
    raw, result = recalculate_book(path)
    assert {"unit_code_duplicate", "award_invalid"} <= {i.code for i in result.issues}
    new = next_period_content(raw, result)
    assert [u["code"] for u in new.units] == [u["code"] for u in content.units[:-1]]
    assert new.units[1]["short_name"] == content.units[1]["name"]
    assert [u["note"] for u in new.units] == ["", "Trưởng cụm", "Phó trưởng cụm"] + [""] * 6  # SXD leads now
    assert [a["code"] for a in new.awards] == [a["code"] for a in content.awards[:-1]]
    assert [a["quota"] for a in new.awards] == [float(a["quota"]) for a in content.awards[:-1]]


def test_decision_rules_are_carried_to_the_next_period(tmp_path):
    """Ranking groups, unit attribute columns, band floors, a veto's points and bars, award
    conditions, quota base, fallback, a standards-based title, deferral and an attribute
    tie-break all reach next year's workbook and are read back the same."""
    content = demo_content("vi")
    for k, unit in enumerate(content.units):
        unit |= {"ranking_group": "Sở" if k < 5 else "Ban, trung tâm", "Tỷ lệ nữ (%)": 40 + k}
    content.bands[0] = (*content.bands[0], 85, "group")
    veto = next(c for c in content.criteria if c.get("kind") == "veto")
    veto |= {"veto_points": 20, "bars": "CTDCP; CTDT"}
    content.awards[0] |= {"conditions": "Tỷ lệ nữ (%) ≥ 42", "min_group_share": 80, "quota_base": "qualifying",
                          "fallback": "CTDT"}
    content.awards[3] |= {"rule": "standard", "quota": None}
    content.settings |= {"under_review": "defer", "tie_break": "1; Tỷ lệ nữ (%)"}
    path = tmp_path / "cum.xlsx"
    build_workbook(path, content)
    raw, result = recalculate_book(path)
    new_path = tmp_path / "cum-2026.xlsx"
    build_workbook(new_path, next_period_content(raw, result))
    _, again = recalculate_book(new_path)
    before, after = result.inputs, again.inputs
    assert after.units["ranking_group"].tolist() == before.units["ranking_group"].tolist()
    assert after.units["attributes"].tolist() == before.units["attributes"].tolist() != [{}] * 9
    assert after.band_floors == before.band_floors and before.band_floors
    assert after.awards[0].conditions == before.awards[0].conditions and before.awards[0].conditions
    assert [(a.rule, a.min_group_share, a.quota_base, a.fallback) for a in after.awards] == \
        [(a.rule, a.min_group_share, a.quota_base, a.fallback) for a in before.awards]
    assert after.criteria[["veto_points", "bars"]].equals(before.criteria[["veto_points", "bars"]])
    assert after.settings.under_review == "defer" and after.settings.tie_break == ["1", "@Tỷ lệ nữ (%)"]
    assert not [i for i in again.issues if i.code in ("award_invalid", "tie_break_unknown", "band_share_invalid")]


def test_new_period_carries_the_users_own_sheets_and_names_and_says_what_it_did_not(tmp_path):
    """Issue 13 item 17: the user's sheet comes along with values, formulas, comments,
    validation, merged cells, widths and its picture; its chart, a name pointing into
    emutools' sheets and the user's own edits to emutools' sheets do not — and the output
    and the new Guide sheet say so."""
    import io
    import zipfile

    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from PIL import Image as PILImage

    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    wb = openpyxl.load_workbook(path)
    own = wb.create_sheet("Theo dõi riêng")
    own.append(["Việc", "Số"])
    own.append(["Họp cụm", 3])
    own.append(["Tổng", "=SUM(B2:B2)"])
    own["A1"].comment = Comment("ghi chú của thư ký", "Thư ký")
    own.merge_cells("D1:E1")
    own.column_dimensions["A"].width = 33
    check = DataValidation(type="list", formula1='"Có,Không"')
    own.add_data_validation(check)
    check.add("C2")
    png = io.BytesIO()
    PILImage.new("RGB", (4, 4), "red").save(png, "PNG")
    own.add_image(Image(png), "G2")
    chart = BarChart()
    chart.add_data(Reference(own, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    own.add_chart(chart, "G10")
    wb.defined_names["SoCuocHop"] = DefinedName("SoCuocHop", attr_text="'Theo dõi riêng'!$B$2")
    wb.defined_names["NamDanhGia"] = DefinedName("NamDanhGia", attr_text="'Cài đặt'!$B$2")
    wb.save(path)

    done = CliRunner().invoke(app, ["new-period", str(path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    out = " ".join(done.output.split())
    assert "Đã chép sang: sheet Theo dõi riêng; tên định nghĩa SoCuocHop" in out
    assert "biểu đồ, hình vẽ, nút bấm, PivotTable trên sheet Theo dõi riêng" in out
    assert "tên định nghĩa trỏ vào sheet của emutools (NamDanhGia)" in out

    new = tmp_path / "cum - 2026.xlsx"
    fresh = openpyxl.load_workbook(new)
    ws = fresh["Theo dõi riêng"]
    assert [[c.value for c in row] for row in ws["A1:B3"]] == [["Việc", "Số"], ["Họp cụm", 3],
                                                               ["Tổng", "=SUM(B2:B2)"]]
    assert ws["A1"].comment.text == "ghi chú của thư ký"
    assert [str(r) for r in ws.merged_cells.ranges] == ["D1:E1"]
    assert ws.column_dimensions["A"].width == 33
    assert [str(v.sqref) for v in ws.data_validations.dataValidation] == ["C2"]
    assert len(ws._images) == 1 and not ws._charts
    assert "SoCuocHop" in fresh.defined_names and "NamDanhGia" not in fresh.defined_names
    guide = " ".join(str(c.value) for row in fresh["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Không chép sang kỳ mới" in guide and "Theo dõi riêng" in guide
    with zipfile.ZipFile(new) as z:
        assert any(n.startswith("xl/media/") for n in z.namelist())
    assert check_file(new).ranking["rank"].isna().all()  # still reads as an emutools workbook


def test_new_period_clears_last_years_people_rolls_the_offices_and_says_what_to_fill_in(tmp_path):
    """Issue 17 item 8.  The demo's 2025 chair (the Finance director, leader), secretary and hall
    are not next year's: cleared.  The Units notes "Trưởng cụm" (STC) and "Phó trưởng cụm" (SXD)
    move to the new leader SXD and deputy SNNMT; the Guide lists what to fill in."""
    content = demo_content("vi")
    content.units[0]["note"] = "Trưởng cụm; đầu mối khối kinh tế"  # the role goes, the rest stays
    path = tmp_path / "cum.xlsx"
    build_workbook(path, content)
    done = CliRunner().invoke(app, ["new-period", str(path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    new = tmp_path / "cum - 2026.xlsx"
    s = check_file(new).inputs.settings
    assert (s.chair, s.secretary, s.place, s.meeting_date) == ("", "", "", None)
    notes = dict(zip(check_file(new).inputs.units.index, check_file(new).inputs.units["note"], strict=True))
    assert notes["STC"] == "đầu mối khối kinh tế"
    assert notes["SXD"] == "Trưởng cụm" and notes["SNNMT"] == "Phó trưởng cụm"
    guide = [str(c.value) for row in openpyxl.load_workbook(new)["Hướng dẫn"].iter_rows() for c in row if c.value]
    assert "Kỳ mới: việc cần làm trước lần xếp hạng đầu tiên" in guide
    assert any(t.startswith("Cài đặt: ghi người chủ trì (lãnh đạo đơn vị trưởng cụm mới, Sở Xây dựng), thư ký")
               for t in guide), guide
    assert any("“Trưởng cụm” đã chuyển sang Sở Xây dựng, “Phó trưởng cụm” sang Sở Nông nghiệp và Môi trường;" in t
               for t in guide), guide
    assert "Kỳ mới: việc cần làm trước lần xếp hạng đầu tiên" not in [
        str(c.value) for row in openpyxl.load_workbook(path)["Hướng dẫn"].iter_rows() for c in row if c.value]


def _noted_demo(period: str = "annual"):
    """The demo with the kinds of note a secretary writes on the Units sheet."""
    content = demo_content("vi")
    content.settings["period"] = period
    units = {u["code"]: u for u in content.units}
    units["STC"]["note"] = "Trưởng cụm; đầu mối khối kinh tế"
    # SKHCN keeps the demo's own note: "Chưa ký giao ước thi đua năm 2025"
    units["SNNMT"]["veto_note"] = "thanh tra việc quản lý đất đai"
    units["QDTPT"]["note"] = "Thành lập năm 2019; được Cờ thi đua của tỉnh năm 2025"
    units["TTXT"]["note"] = "Đang bị thanh tra thuế"
    return content


def test_a_units_status_this_period_is_not_carried_into_the_next_year(tmp_path):
    """What a unit is (code, name, short name, group, the notes that describe it) is carried;
    what it was this period is not: the agreement, the registration, "under discipline or
    investigation", and a note's parts about those or naming 2025.  The Guide lists each
    unit's cleared text, to enter again if it still holds."""
    path = tmp_path / "cum.xlsx"
    build_workbook(path, _noted_demo())
    done = CliRunner().invoke(app, ["new-period", str(path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    units = check_file(tmp_path / "cum - 2026.xlsx").inputs.units
    assert dict(units["note"]) == {"STC": "đầu mối khối kinh tế", "SXD": "Trưởng cụm", "SNNMT": "Phó trưởng cụm",
                                   "SCT": "", "SKHCN": "", "BQLKKT": "", "SDL": "", "QDTPT": "Thành lập năm 2019",
                                   "TTXT": ""}
    assert not any(units["veto_note"]) and not any(units["signed"])
    assert dict(units["name"]) == dict(check_file(path).inputs.units["name"])
    guide = [str(c.value) for row in openpyxl.load_workbook(tmp_path / "cum - 2026.xlsx")["Hướng dẫn"].iter_rows()
             for c in row if c.value]
    assert ("Đơn vị: đã xóa tình trạng, ghi chú của kỳ trước: SNNMT (“thanh tra việc quản lý đất đai”), SKHCN "
            "(“Chưa ký giao ước thi đua năm 2025”), QDTPT (“được Cờ thi đua của tỉnh năm 2025”), TTXT (“Đang bị "
            "thanh tra thuế”). Ghi lại điều nào vẫn còn (tệp kỳ trước giữ nguyên).") in guide, guide


def test_after_the_mid_year_review_a_note_naming_the_year_still_holds(tmp_path):
    """Mid-year 2025 → annual 2025: the year does not change, so "… năm 2025" stays; the status
    columns and remarks are reset at every new period, as the agreement is."""
    path = tmp_path / "cum.xlsx"
    build_workbook(path, _noted_demo("midyear"))
    raw, result = recalculate_book(path)
    new = next_period_content(raw, result)
    notes = {u["code"]: u["note"] for u in new.units}
    assert notes["QDTPT"] == "Thành lập năm 2019; được Cờ thi đua của tỉnh năm 2025"
    assert notes["SKHCN"] == notes["TTXT"] == "" and not any(u["veto_note"] for u in new.units)
    assert any(t.startswith("Đơn vị: đã xóa tình trạng, ghi chú của kỳ trước: SNNMT (“thanh tra việc quản lý đất "
                            "đai”), SKHCN (“Chưa ký giao ước thi đua năm 2025”), TTXT (") for t in new.todo), new.todo


def test_the_default_legal_basis_follows_the_period_and_a_clusters_own_is_kept():
    """Issue 17 item 9.  Decree 152/2025/NĐ-CP (14 June 2025) and Circular 15/2025/TT-BNV apply
    from 1 July 2025: a 2025 mid-year review (ending 30 June) still cites Decree 98/2023 and
    Circular 01/2024; the annual 2025 review and later cite the new texts.  A default of an
    earlier version rolls; the cluster's own wording is never replaced."""
    from emutools import contract as C

    law = "Luật Thi đua, khen thưởng số 06/2022/QH15"
    old = f"{law}; Nghị định số 98/2023/NĐ-CP; Thông tư số 01/2024/TT-BNV"
    new = f"{law}; Nghị định số 152/2025/NĐ-CP; Thông tư số 15/2025/TT-BNV"
    assert C.legal_basis_for(2025, "midyear") == old and C.legal_basis_for(2024) == old
    assert C.legal_basis_for(2025) == new and C.legal_basis_for(2026, "midyear") == new
    assert C.rolled_legal_basis(old, 2025, "annual") == new
    assert C.rolled_legal_basis(C.OLDER_LEGAL_BASES[0], 2026, "annual") == new
    own = f"{law}; Quyết định số 12/2024/QĐ-UBND của UBND tỉnh"
    assert C.rolled_legal_basis(own, 2026, "annual") == own
    note = C.SETTING_BY_KEY["vote_threshold"].note_vi
    assert "không phải của Luật" in note and "Điều 25, 26" in note


def test_a_workbook_for_a_mid_year_2025_review_cites_the_texts_then_in_force(tmp_path):
    content = demo_content("vi")
    content.settings["period"] = "midyear"
    path = tmp_path / "cum.xlsx"
    build_workbook(path, content)
    assert "Nghị định số 98/2023/NĐ-CP" in check_file(path).inputs.settings.legal_basis
    build_workbook(tmp_path / "nam.xlsx", demo_content("vi"))
    assert "Nghị định số 152/2025/NĐ-CP" in check_file(tmp_path / "nam.xlsx").inputs.settings.legal_basis


def test_new_period_leaves_last_periods_forms_behind_and_names_the_file_for_its_year(tmp_path):
    """A 2025 cluster that used forms: the deadline was 10/12/2025 and its Progress sheet lists
    the returned forms.  The 2026 workbook is "Cụm 2026.xlsx" (the year in the name moves on),
    has no forms deadline and no Progress sheet (ranking it does not report 2025's returned
    forms as this year's), and the command does not say the Progress sheet was carried."""
    import datetime as dt

    from emutools.headless import rank_file
    from emutools.io.progress import progress_sheet
    from emutools.io.xlsx.writer import write_output_sheets

    content = demo_content("vi")
    content.settings["deadline"] = dt.date(2025, 12, 10)
    path = tmp_path / "Cụm 2025.xlsx"
    build_workbook(path, content)
    raw, result = recalculate_book(path)
    write_output_sheets(path, [progress_sheet(path, raw, result)], backup=False)
    assert "Tiến độ" in openpyxl.load_workbook(path).sheetnames
    done = CliRunner().invoke(app, ["new-period", str(path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "Tiến độ" not in done.output
    assert "Không chép sang kỳ mới: các thay đổi của bạn" in " ".join(done.output.split())
    new = tmp_path / "Cụm 2026.xlsx"
    assert new.exists() and not (tmp_path / "Cụm 2025 - 2026.xlsx").exists()
    fresh = check_file(new)
    assert fresh.inputs.settings.year == 2026 and fresh.inputs.settings.deadline is None
    rank_file(new)
    assert "Tiến độ" not in openpyxl.load_workbook(new).sheetnames
