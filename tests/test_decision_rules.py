"""The decision rules published guidances use (issue 14, rules 10–15), each worked by hand:
what a veto takes off and bars, classification floors, sub-rankings, an award's own
conditions and quota base, fallback, standards-based titles, deferral and its citation,
and tie-breaks by a unit attribute.

Every workbook here is built from rows (tests/rulebook.py) and ranked; the arithmetic of
each expectation is in the test's docstring.  Points are exact at 2 decimals.
"""

from __future__ import annotations

import ast
import inspect

from emutools import contract as C
from emutools.core import engine, floors, proposals, ranking
from emutools.documents.context import proposals as proposed
from emutools.documents.context import ranking_rows
from emutools.io.results import ranking_sheet
from emutools.io.template import default_awards
from tests.rulebook import book, flags, heading, score

NO_TIE_BREAK = {"tie_break": ""}


def totals(result) -> dict[str, str]:
    return {u: str(t) for u, t in result.ranking["total"].items()}


def awards(result) -> dict[str, str]:
    return {u: a for u, a in result.ranking["award"].items() if a}


def sheet_column(result, header: str) -> dict[str, object]:
    """A Ranking sheet column (Vietnamese header), by unit code."""
    sheet = ranking_sheet(result, "vi")
    k, unit = sheet.header.index(header), sheet.header.index(C.RANKING_TABLE.column("unit").vi)
    return {row[unit]: row[k] for row in sheet.rows}


def veto(code: str, **extra) -> dict:
    return {"code": code, "name": f"Tiêu chí {code}", "kind": "Loại trừ", "mandatory": "Không"} | extra


TOP1 = {"rule": "Số lượng", "quota": 1}


def test_disciplined_leader_loses_points_and_only_the_awards_named():
    """Rule 10.  2.1 "warning or worse": −20 points, no flag (CT) or Certificate (BK);
    2.2 "reprimand": −10 points, no award barred.  Awards in order CT, BK, GK (one each).
    A: 100 − 20 = 80.00 (2.1 breached); B: 88 − 10 = 78.00 (2.2 breached); C: 70.00.
    Ranks A 1, B 2, C 3.  CT: A barred → B; BK: A barred → C; GK → A, still eligible.
    Penalty column: A 20, B 10."""
    r = book([heading("1"), score("1.1", 100), heading("2"),
              veto("2.1", veto_points=20, bars="CT; BK"), veto("2.2", veto_points=10, bars="Không")],
             {"Thẩm định": {"1.1": [100, 88, 70], "2.1": ["Có", "Không", None], "2.2": [None, "Có", None]}},
             awards=[{"code": "CT", "name": "Cờ thi đua", **TOP1}, {"code": "BK", "name": "Bằng khen", **TOP1},
                     {"code": "GK", "name": "Giấy khen", **TOP1}], settings=NO_TIE_BREAK)
    assert totals(r) == {"A": "80.00", "B": "78.00", "C": "70.00"}
    assert {u: str(p) for u, p in r.ranking["penalty"].items()} == {"A": "20.00", "B": "10.00", "C": "0.00"}
    assert awards(r) == {"A": "GK", "B": "CT", "C": "BK"}
    assert r.ranking["eligible"].tolist() == [True, True, True]
    assert r.ranking.loc["A", "reasons_vi"] == "Vi phạm tiêu chí loại trừ 2.1 (không được đề nghị Bằng khen, Cờ thi đua)"
    assert flags(r, "veto_unit_barred") == [("Đơn vị", "A5", "A", "")]
    assert not flags(r, "veto_unit")


def test_a_veto_row_left_as_it_was_bars_everything_and_takes_nothing_off():
    """Default: no points off, every award barred.  A 100 (veto breached) keeps rank 1 and
    100.00, is not eligible; BK (one place) goes to B (90)."""
    r = book([heading("1"), score("1.1", 100), heading("2"), veto("2.1")],
             {"Thẩm định": {"1.1": [100, 90, 80], "2.1": ["Có", None, None]}}, settings=NO_TIE_BREAK)
    assert totals(r)["A"] == "100.00" and not r.ranking.loc["A", "eligible"]
    assert awards(r) == {"B": "BK"}
    assert flags(r, "veto_unit") == [("Đơn vị", "A5", "A", "")]


def test_veto_columns_on_another_kind_of_row_are_flagged_not_applied():
    """1.1 is a scored row: "20" points off and "BK" barred there mean nothing, and say so."""
    r = book([heading("1"), score("1.1", 100, veto_points=20, bars="BK")],
             {"Thẩm định": {"1.1": [100, 90, 80]}}, settings=NO_TIE_BREAK)
    assert totals(r)["A"] == "100.00" and awards(r) == {"A": "BK"}
    assert [i.cell for i in r.issues if i.code == "criterion_veto_column_ignored"] == ["O6", "P6"]


FLOOR_BANDS = [{"band": "Xuất sắc", "min_total": 90, "min_share": 85},
               {"band": "Tốt", "min_total": 80, "min_share": 80},
               {"band": "Khá", "min_total": 70, "min_share": 70},
               {"band": "Trung bình", "min_total": 0}]


def test_classification_needs_a_share_on_every_criterion_and_names_the_one_that_failed():
    """Rule 11.  1.1 and 1.2, 50 points each.  Excellent ≥ 90 and every criterion ≥ 85 %;
    Good ≥ 80 and ≥ 80 %; Fair ≥ 70 and ≥ 70 %; Average ≥ 0.
    A: 50 + 42 = 92; 1.2 = 42/50 = 84 % < 85 → not Excellent; 84 ≥ 80 → Good.
    B: 46 + 45 = 91; 92 %, 90 % → Excellent.
    C: 50 + 30 = 80; 1.2 = 60 % < 80 → not Good; < 70 → not Fair → Average (the note names
    Good, the best band its total reached)."""
    r = book([heading("1"), score("1.1", 50), score("1.2", 50)],
             {"Thẩm định": {"1.1": [50, 46, 50], "1.2": [42, 45, 30]}}, bands=FLOOR_BANDS, settings=NO_TIE_BREAK)
    assert r.ranking["band"].to_dict() == {"A": "Tốt", "B": "Xuất sắc", "C": "Trung bình"}
    notes = sheet_column(r, C.RANKING_BAND_NOTE.vi)
    assert notes == {"A": "Không đạt “Xuất sắc”: tiêu chí 1.2 đạt 84 % (cần ≥ 85 %)", "B": None,
                     "C": "Không đạt “Tốt”: tiêu chí 1.2 đạt 60 % (cần ≥ 80 %)"}
    assert flags(r, "band_floor_failed") == [("Cài đặt", "C17", "A", ""), ("Cài đặt", "C18", "C", "")]


def test_classification_floor_on_each_criteria_group():
    """Rule 11, per group.  Group 1 = 1.1 (30) + 1.2 (20), group 2 = 2.1 (50); Excellent ≥ 90
    and every group ≥ 85 %.  A: 30 + 12 + 50 = 92; group 1 = 42/50 = 84 % → Fair (no floor).
    B: 30 + 15 + 46 = 91; group 1 = 45/50 = 90 %, group 2 = 92 % → Excellent, although
    1.2 alone is 75 % (a per-criterion floor would have failed it)."""
    r = book([heading("1"), score("1.1", 30), score("1.2", 20), heading("2"), score("2.1", 50)],
             {"Thẩm định": {"1.1": [30, 30, 30], "1.2": [12, 15, 0], "2.1": [50, 46, 0]}},
             bands=[{"band": "Xuất sắc", "min_total": 90, "min_share": 85, "share_of": "Từng nhóm tiêu chí"},
                    {"band": "Khá", "min_total": 0}], settings=NO_TIE_BREAK)
    assert r.ranking["band"].to_dict() == {"A": "Khá", "B": "Xuất sắc", "C": "Khá"}
    assert r.ranking.loc["A", "band_note_en"] == "Not 'Xuất sắc': group 1 at 84 % (≥ 85 % needed)"


def test_sub_rankings_with_their_own_quotas_and_criteria_for_one_group():
    """Rule 12.  Agencies A, B, C and enterprises D, E, ranked apart.  1.1 (10) for all;
    1.2 (10) for enterprises only: not applicable to agencies (no flag for their blanks),
    whose 10-point maximum is rescaled to the common 20 (the default N/A policy).
    Agencies: A 9 → 18.00, B 8 → 16.00, C 7 → 14.00.  Enterprises: D 6 + 10 = 16.00,
    E 5 + 9 = 14.00.  Ranks per group: A 1, B 2, C 3; D 1, E 2.
    Flag (top 1) per group: A, D.  Certificate 50 % of each group's members:
    agencies ⌊1.5⌋ = 1 → B; enterprises ⌊1⌋ = 1 → E.  C gets nothing."""
    groups = {"A": "Cơ quan", "B": "Cơ quan", "C": "Cơ quan", "D": "Doanh nghiệp", "E": "Doanh nghiệp"}
    r = book([heading("1"), score("1.1", 10), score("1.2", 10, ranking_groups="Doanh nghiệp")],
             {"Thẩm định": {"1.1": [9, 8, 7, 6, 5], "1.2": [None, None, None, 10, 9]}},
             units=tuple(groups), unit_rows={u: {"ranking_group": g} for u, g in groups.items()},
             awards=[{"code": "CT", "name": "Cờ thi đua", **TOP1},
                     {"code": "BK", "name": "Bằng khen", "rule": "Tỷ lệ %", "quota": 50}], settings=NO_TIE_BREAK)
    assert totals(r) == {"A": "18.00", "B": "16.00", "C": "14.00", "D": "16.00", "E": "14.00"}
    assert r.ranking["rank"].tolist() == [1, 2, 3, 1, 2]
    assert awards(r) == {"A": "CT", "B": "BK", "D": "CT", "E": "BK"}
    # the only warning: the rulebook's 90-point "Xuất sắc" is above this 20-point table's reach
    assert [(i.code, i.cell) for i in r.issues if i.severity in ("error", "warning")] == [("band_unreachable", "B17")]
    sheet = ranking_sheet(r, "vi")
    assert sheet.header[:3] == ["Nhóm xếp hạng", "Hạng", "Mã đơn vị"]
    assert [row[:3] for row in sheet.rows] == [["Cơ quan", 1, "A"], ["Cơ quan", 2, "B"], ["Cơ quan", 3, "C"],
                                               ["Doanh nghiệp", 1, "D"], ["Doanh nghiệp", 2, "E"]]


def test_an_award_with_its_own_condition_a_qualifying_quota_and_a_fallback():
    """Rule 13.  Totals A 98, B 96, C 94, D 92, E 91, F 60 (Excellent ≥ 90).  Government flag
    (CP): 40 % of the units meeting its standard — Excellent and "Tỉnh đánh giá HTXSNV" Yes —
    falling back to the provincial flag (CT, top 2).  HTXSNV: all Yes but A (No) and F ("chưa
    rõ", flagged).
    Meeting CP's standard: B, C, D, E = 4 → ⌊40 % × 4⌋ = 1 place (of all 6 members it
    would be ⌊2.4⌋ = 2, and C would take the second).  CP: A (rank 1) is noted as missing
    the condition → B, shown with its fallback CT and taking none of CT's places; CT → A, C."""
    rated = {u: {"Tỉnh đánh giá HTXSNV": "Không" if u == "A" else "chưa rõ" if u == "F" else "Có"} for u in "ABCDEF"}
    r = book([heading("1"), score("1.1", 100)], {"Thẩm định": {"1.1": [98, 96, 94, 92, 91, 60]}},
             units=tuple("ABCDEF"), unit_rows=rated,
             awards=[{"code": "CP", "name": "Cờ thi đua của Chính phủ", "rule": "Tỷ lệ %", "quota": 40,
                      "min_band": "Xuất sắc", "conditions": "Tỉnh đánh giá HTXSNV",
                      "quota_base": "Số đơn vị đạt điều kiện", "fallback": "CT"},
                     {"code": "CT", "name": "Cờ thi đua tỉnh", "rule": "Số lượng", "quota": 2, "min_band": "Xuất sắc"}],
             settings=NO_TIE_BREAK)
    assert awards(r) == {"A": "CT", "B": "CP", "C": "CT"}
    assert sheet_column(r, "Đề nghị khen thưởng")["B"] == "Cờ thi đua của Chính phủ (nếu không được: Cờ thi đua tỉnh)"
    assert r.ranking.loc["A", "reasons_vi"] == "Chưa đạt điều kiện của Cờ thi đua của Chính phủ: Tỉnh đánh giá HTXSNV"
    assert flags(r, "unit_attribute_invalid") == [("Đơn vị", "I10", "F", "")]  # neither Yes nor No
    all_members = book([heading("1"), score("1.1", 100)], {"Thẩm định": {"1.1": [98, 96, 94, 92, 91, 60]}},
                       units=tuple("ABCDEF"), unit_rows=rated,
                       awards=[{"code": "CP", "name": "Cờ CP", "rule": "Tỷ lệ %", "quota": 40, "min_band": "Xuất sắc",
                                "conditions": "Tỉnh đánh giá HTXSNV"}], settings=NO_TIE_BREAK)
    assert awards(all_members) == {"B": "CP", "C": "CP"}


def test_award_conditions_on_a_number_a_text_and_every_group_share():
    """Rule 13.  BK (top 3) needs "Tỷ lệ nữ (%) ≥ 70", "Loại hình = Doanh nghiệp" and every
    criteria group ≥ 80 %.  Groups 1 = 1.1 (50), 2 = 2.1 (50).
    A: 50 + 45 = 95, 72 %, "doanh nghiep" (any case or diacritics) → BK.
    B: 50 + 38 = 88, 80 %, group 2 at 76 % → not.  C: 69.5 % → not.  D: "Cơ quan" → not.
    An unknown column is flagged at the award's cell."""
    rows = {"A": {"Tỷ lệ nữ (%)": 72, "Loại hình": "doanh nghiep"}, "B": {"Tỷ lệ nữ (%)": 80, "Loại hình": "Doanh nghiệp"},
            "C": {"Tỷ lệ nữ (%)": 69.5, "Loại hình": "Doanh nghiệp"}, "D": {"Tỷ lệ nữ (%)": 90, "Loại hình": "Cơ quan"}}
    r = book([heading("1"), score("1.1", 50), heading("2"), score("2.1", 50)],
             {"Thẩm định": {"1.1": [50, 50, 50, 50], "2.1": [45, 38, 45, 45]}}, units=tuple("ABCD"), unit_rows=rows,
             awards=[{"code": "BK", "name": "Bằng khen", "rule": "Số lượng", "quota": 3,
                      "conditions": "Tỷ lệ nữ (%) ≥ 70; Loại hình = Doanh nghiệp; Khen thưởng đột xuất",
                      "min_group_share": 80}], settings=NO_TIE_BREAK)
    assert awards(r) == {"A": "BK"}
    assert r.ranking.loc["B", "reasons_vi"] == "Chưa đạt điều kiện của Bằng khen: nhóm 2 đạt 76 % (cần ≥ 80 %)"
    assert r.ranking.loc["C", "reasons_en"] == "Does not meet a condition of Bằng khen: Tỷ lệ nữ (%) ≥ 70"
    assert [i.cell for i in r.issues if i.code == "award_invalid"] == ["J22"]


def test_a_standards_based_title_goes_to_every_unit_meeting_it_beside_its_award():
    """Rule 13, Law 2022 Art. 27.  BK top 1; TTLĐXS standards-based, at least Good (80).
    Totals A 95, B 90, C 85, D 80, E 70; D under inspection (not eligible).
    BK → A.  TTLĐXS → A, B, C (not D: not eligible; not E: Fair), no quota, beside BK.
    The template's default awards table grants it the same way."""
    r = book([heading("1"), score("1.1", 100)], {"Thẩm định": {"1.1": [95, 90, 85, 80, 70]}},
             units=tuple("ABCDE"), unit_rows={"D": {"veto_note": "thanh tra"}},
             bands=[{"band": "Xuất sắc", "min_total": 90}, {"band": "Tốt", "min_total": 80},
                    {"band": "Khá", "min_total": 0}],
             awards=[{"code": "BK", "name": "Bằng khen", **TOP1},
                     {"code": "TTLDXS", "name": "Tập thể lao động xuất sắc", "rule": "Đạt tiêu chuẩn",
                      "min_band": "Tốt"}], settings=NO_TIE_BREAK)
    assert awards(r) == {"A": "BK"}
    assert sheet_column(r, C.RANKING_TITLES.vi) == {"A": "Tập thể lao động xuất sắc", "B": "Tập thể lao động xuất sắc",
                                                    "C": "Tập thể lao động xuất sắc", "D": None, "E": None}
    assert not flags(r, "award_invalid")
    listed = {p["code"]: [u["code"] for u in p["units"]] for p in proposed(r, ranking_rows(r, "vi"), "vi")}
    assert listed == {"BK": ["A"], "TTLDXS": ["A", "B", "C"]}  # the letters and lists name them
    default = {a["code"]: a for a in default_awards("vi")}["TTLDXS"]
    assert default["rule"] == "standard" and default["quota"] is None


def test_a_unit_under_inspection_is_deferred_not_excluded_with_the_citation_from_the_settings():
    """Rule 14.  A (95, "thanh tra" on the Units sheet), B 90, C 85; CT and BK one place each.
    Deferred: A keeps rank 1 and its CT is held ("Tạm hoãn: Cờ thi đua"), so CT goes to no one
    else; BK → B.  The reason quotes the citation the settings give.  Excluded (default): A is
    not eligible, CT → B, BK → C; with a blank citation the reason cites nothing."""
    common = dict(units=("A", "B", "C"), unit_rows={"A": {"veto_note": "thanh tra"}},
                  awards=[{"code": "CT", "name": "Cờ thi đua", **TOP1}, {"code": "BK", "name": "Bằng khen", **TOP1}])
    criteria, scores = [heading("1"), score("1.1", 100)], {"Thẩm định": {"1.1": [95, 90, 85]}}
    cite = "Điều 4 Nghị định 152/2025/NĐ-CP"
    r = book(criteria, scores, settings=NO_TIE_BREAK | {"under_review": "Tạm hoãn", "citation_under_review": cite},
             **common)
    assert r.ranking["rank"].tolist() == [1, 2, 3] and awards(r) == {"B": "BK"}
    assert r.ranking.loc["A", "held"] == "Cờ thi đua"
    assert sheet_column(r, "Đề nghị khen thưởng")["A"] == "Tạm hoãn: Cờ thi đua"
    assert sheet_column(r, "Đủ điều kiện khen thưởng")["A"] == "Tạm hoãn"
    assert r.ranking.loc["A", "reasons_vi"] == f"Tạm hoãn, chưa khen thưởng: thanh tra ({cite})"
    assert flags(r, "unit_deferred") == [("Đơn vị", "F5", "A", "")]
    printed = ranking_rows(r, "vi")[0]
    assert (printed["eligible"], printed["award"], printed["award_code"]) == ("Tạm hoãn", "Tạm hoãn: Cờ thi đua", "")
    assert [p["code"] for p in proposed(r, ranking_rows(r, "vi"), "vi")] == ["BK"]  # nothing held is proposed
    excluded = book(criteria, scores, settings=NO_TIE_BREAK, **common)
    assert awards(excluded) == {"B": "CT", "C": "BK"}
    assert excluded.ranking.loc["A", "reasons_vi"] == "Đang bị xử lý: thanh tra (Điều 4 Nghị định 98/2023/NĐ-CP)"
    uncited = book(criteria, scores, settings=NO_TIE_BREAK | {"citation_under_review": ""}, **common)
    assert uncited.ranking.loc["A", "reasons_en"] == "Under review: thanh tra"


def test_no_legal_citation_is_written_in_the_decision_code():
    """Every citation a message quotes comes from the settings: the core's decision modules
    name no decree in their strings (docstrings aside), and only the contract's defaults do."""
    for module in (proposals, engine, floors, ranking):
        tree = ast.parse(inspect.getsource(module))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef) and ast.get_docstring(n)}
        strings = [n.value for n in ast.walk(tree)
                   if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]
        assert strings and not [s for s in strings if "Nghị định" in s or "Decree" in s or "NĐ-CP" in s]
    assert C.SETTING_BY_KEY["citation_under_review"].default == "Điều 4 Nghị định 98/2023/NĐ-CP"


def test_tie_break_by_a_units_sheet_column_number_then_yes_no():
    """Rule 15.  A, B, C, D all 90.00.  Tie-break "Tỷ lệ nữ (%)" (higher first, blank last):
    B 75 → 1, A 60 and D 60 → 2 (level), C blank → 4.  Then "; Có sáng kiến" (Yes first):
    D Yes → 2, A No → 3, C → 4.  "nhiều" in C's cell is flagged and counted as blank."""
    rows = {"A": {"Tỷ lệ nữ (%)": 60, "Có sáng kiến": "Không"}, "B": {"Tỷ lệ nữ (%)": 75, "Có sáng kiến": "Không"},
            "C": {"Tỷ lệ nữ (%)": "nhiều", "Có sáng kiến": "Có"}, "D": {"Tỷ lệ nữ (%)": 60, "Có sáng kiến": "x"}}
    criteria, scores = [heading("1"), score("1.1", 100)], {"Thẩm định": {"1.1": [90, 90, 90, 90]}}
    r = book(criteria, scores, units=tuple("ABCD"), unit_rows=rows, settings={"tie_break": "tỷ lệ nữ (%)"})
    assert r.ranking["rank"].to_dict() == {"B": 1, "A": 2, "D": 2, "C": 4}
    assert flags(r, "unit_attribute_invalid") == [("Đơn vị", "I7", "C", "")]
    assert not flags(r, "tie_break_unknown")
    r = book(criteria, scores, units=tuple("ABCD"), unit_rows=rows,
             settings={"tie_break": "Tỷ lệ nữ (%); Có sáng kiến"})
    assert r.ranking["rank"].to_dict() == {"B": 1, "D": 2, "A": 3, "C": 4}


def test_no_typed_in_the_under_review_column_is_not_under_review():
    """The column beside "Ký giao ước" invites Có/Không.  A 95 ("Không"), B 90 ("không"),
    C 85 ("Có"), D 80 (blank); CT and BK one place each.  Only C is under review: A takes
    CT, B takes BK, and C's reason reads as a sentence, not "Đang bị xử lý: Có"."""
    r = book([heading("1"), score("1.1", 100)], {"Thẩm định": {"1.1": [95, 90, 85, 80]}},
             units=("A", "B", "C", "D"),
             unit_rows={"A": {"veto_note": "Không"}, "B": {"veto_note": "không"}, "C": {"veto_note": "Có"}},
             awards=[{"code": "CT", "name": "Cờ thi đua", **TOP1}, {"code": "BK", "name": "Bằng khen", **TOP1}],
             settings=NO_TIE_BREAK | {"citation_under_review": ""})
    assert awards(r) == {"A": "CT", "B": "BK"}
    assert r.ranking.loc["A", "reasons_vi"] == "" and r.ranking.loc["B", "reasons_vi"] == ""
    assert r.ranking.loc["C", "reasons_vi"] == "Đang bị kỷ luật, điều tra, thanh tra hoặc khiếu nại"
    assert r.ranking.loc["C", "reasons_en"] == "Under discipline, investigation, inspection or complaint review"
    assert [f[0:3] for f in flags(r, "veto_unit")] == [("Đơn vị", "F7", "C")]
    deferred = book([heading("1"), score("1.1", 100)], {"Thẩm định": {"1.1": [95, 90, 85, 80]}},
                    units=("A", "B", "C", "D"), unit_rows={"A": {"veto_note": "Không"}, "C": {"veto_note": "Có"}},
                    awards=[{"code": "CT", "name": "Cờ thi đua", **TOP1}],
                    settings=NO_TIE_BREAK | {"citation_under_review": "", "under_review": "Tạm hoãn"})
    assert awards(deferred) == {"A": "CT"}
    assert (deferred.ranking.loc["C", "reasons_vi"], deferred.ranking.loc["C", "reasons_en"]) == (
        "Tạm hoãn, chưa khen thưởng", "Deferred, not yet awarded")
