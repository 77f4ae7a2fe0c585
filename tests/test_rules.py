"""The scoring rules published guidances use (issue 14), each worked by hand.

Every workbook here is built from rows (tests/rulebook.py) and ranked; the arithmetic of
each expectation is in the test's docstring.  Points are exact at 2 decimals, half-up.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import isqrt

import pytest

from emutools import contract as C
from emutools.core.inputs import parse_inputs, yes_no
from emutools.io.results import fairness_sheet, ranking_sheet
from emutools.io.tables import build_raw_book
from tests.rulebook import book, flags, heading, score, sheets, total

NO_TIE_BREAK = {"tie_break": ""}


def totals(result) -> dict[str, str]:
    return {u: str(t) for u, t in result.ranking["total"].items()}


def column(result, field: str) -> dict[str, object]:
    sheet = ranking_sheet(result, "vi")
    headers = [c.vi for c in (*C.RANKING_TABLE.columns, C.RANKING_CAPPED, C.RANKING_APPLICABLE_MAX,
                              C.RANKING_NOT_APPLICABLE) if c.field == field]
    k = sheet.header.index(headers[0])
    return {row[1]: row[k] for row in sheet.rows}


def test_each_unit_is_scored_against_its_own_plan():
    """Rule 1.  1.1 proportional, 10 points, common target 100; Unit targets: A 80, B blank,
    C 50.  A: 60 ÷ 80 × 10 = 7.50; B: 90 ÷ 100 (common) × 10 = 9.00; C: 50 ÷ 50 × 10 = 10.00."""
    r = book([heading("1"), score("1.1", 10, rule="Tỷ lệ", target=100)],
             {"Tự chấm": {"1.1": [60, 90, 50]}}, targets={"1.1": [80, None, 50]}, settings=NO_TIE_BREAK)
    assert totals(r) == {"C": "10.00", "B": "9.00", "A": "7.50"}


def test_own_plans_without_a_common_target_and_a_bad_own_target():
    """No common target: each unit needs its own.  A 80 (result 40 → 5.00); B "tám" is flagged
    and, with no common target to fall back on, B's result earns nothing (target_missing);
    C blank: target_missing too."""
    r = book([heading("1"), score("1.1", 10, rule="Tỷ lệ")],
             {"Tự chấm": {"1.1": [40, 90, 50]}}, targets={"1.1": [80, "tám", None]}, settings=NO_TIE_BREAK)
    assert totals(r) == {"A": "5.00", "B": "0.00", "C": "0.00"}
    assert flags(r, "target_invalid") == [("Chỉ tiêu đơn vị", "E6", "B", "1.1")]
    assert flags(r, "target_missing") == [("Chỉ tiêu đơn vị", "E6", "B", "1.1"),
                                          ("Chỉ tiêu đơn vị", "F6", "C", "1.1")]
    assert not flags(r, "criterion_target_missing")


def test_above_plan_bonus_with_its_criterion_cap_and_the_total_cap():
    """Rule 2.  1.1: 10 points, target 100, 1 % of points per 1 % above, at most 10 %;
    1.2: 20 points, target 50, 2 % per 1 % above, at most 10 %.  Total above-plan bonus ≤ 2.5.
    A: 1.1 = 105 → 5 % above → 5 % × 10 = 0.50; 1.2 = 60 → 20 % above × 2 = 40 % → cap 10 % × 20 = 2.00;
       bonus 2.50 (at the cap, nothing cut); points 10 + 20 = 30 → total 32.50.
    B: 1.1 = 130 → 30 % → cap 1.00; 1.2 = 55 → 10 % × 2 = 20 % → cap 2.00; 3.00 → total cap 2.50
       (0.50 over, shown); total 30 + 2.50 = 32.50.
    C: 1.1 = 100 → 0; 1.2 = 51 → 2 % × 2 = 4 % × 20 = 0.80; total 30.80."""
    r = book([heading("1"),
              score("1.1", 10, rule="Tỷ lệ", target=100, over_rate=1, over_cap=10),
              score("1.2", 20, rule="Tỷ lệ", target=50, over_rate=2, over_cap=10)],
             {"Tự chấm": {"1.1": [105, 130, 100], "1.2": [60, 55, 51]}},
             settings=NO_TIE_BREAK | {"overflow_cap": 2.5})
    assert totals(r) == {"A": "32.50", "B": "32.50", "C": "30.80"}
    assert {u: str(b) for u, b in r.ranking["bonus"].items()} == {"A": "2.50", "B": "2.50", "C": "0.80"}
    assert str(r.ranking.loc["A", "1"]) == "30.00"  # the bonus is not folded into the criterion
    assert column(r, "capped") == {"A": 0, "B": 0.5, "C": 0}
    assert flags(r, "cap_applied") == [("Cài đặt", "B9", "B", "")]


def test_caps_on_a_group_and_on_all_bonus_and_penalty_and_a_value_over_its_maximum():
    """Rule 3.  Group 2 (bonus 2.1, 2.2, 5 points each) capped at 6; all bonus ≤ 5; all
    penalty ≤ 8; 1.1 scored out of 10.
    A: bonus 4 + 4 = 8 → group cap 6 (2 cut) → bonus cap 5 (1 cut); penalty 5 + 5 = 10 → 8
       (2 cut); total 10 + 5 − 8 = 7.00, 5.00 over caps.
    B: bonus 2 + 1 = 3, penalty 1: 10 + 3 − 1 = 12.00.
    C: typed 12 on 1.1 (maximum 10): flagged, counted as 10 → 10.00."""
    r = book([heading("1"), score("1.1", 10),
              heading("2", cap=6), score("2.1", 5, "Điểm thưởng", mandatory="Không"),
              score("2.2", 5, "Điểm thưởng", mandatory="Không"),
              heading("3"), score("3.1", 10, "Điểm trừ", mandatory="Không"),
              score("3.2", 10, "Điểm trừ", mandatory="Không")],
             {"Tự chấm": {"1.1": [10, 10, 12], "2.1": [4, 2, None], "2.2": [4, 1, None],
                          "3.1": [5, 1, None], "3.2": [5, None, None]}},
             settings=NO_TIE_BREAK | {"bonus_cap": 5, "penalty_cap": 8})
    assert totals(r) == {"B": "12.00", "C": "10.00", "A": "7.00"}
    assert column(r, "capped") == {"A": 5, "B": 0, "C": 0}
    assert str(r.ranking.loc["A", "bonus"]) == "5.00" and str(r.ranking.loc["A", "penalty"]) == "8.00"
    assert flags(r, "score_out_of_range") == [("Tự chấm", "F6", "C", "1.1")]
    assert {i.cell for i in r.issues if i.code == "cap_applied"} == {"N7", "B9", "B10"}


def test_lower_is_better_and_descending_tiers():
    """Rule 4.  1.1 inverse, 10 points, plan 2 (%): A 1.5 ≤ 2 → 10; B 2.5 → 2 ÷ 2.5 × 10 = 8.00;
    C 3 → 2 ÷ 3 × 10 = 6.666… → 6.67.  1.2 tiers "≤ 2 = 5; ≤ 5 = 3" (5 points): A 1.5 → 5;
    B 4 → 3; C 7 → 0.  Totals A 15.00, B 11.00, C 6.67."""
    r = book([heading("1"), score("1.1", 10, rule="Tỷ lệ nghịch", target=2),
              score("1.2", 5, rule="Bậc", tiers="≤ 2 = 5; ≤ 5 = 3")],
             {"Tự chấm": {"1.1": [1.5, 2.5, 3], "1.2": [1.5, 4, 7]}}, settings=NO_TIE_BREAK)
    assert totals(r) == {"A": "15.00", "B": "11.00", "C": "6.67"}


def test_grades_any_case_with_or_without_diacritics_and_nothing_else():
    """Rule 5.  1.1 graded on the settings' scale A 100 / B 80 / C 50 / D 0, 10 points;
    1.2 graded on its own scale "Tốt = 100; Khá = 75; Trung bình = 50; Yếu = 0", 4 points.
    A: "a", "TOT" → 10 + 4 = 14; B: "B", "Khá" → 8 + 3 = 11; C: " c ", "trung binh" → 5 + 2 = 7;
    D: "8" is not a grade (flagged, not counted), "yếu" → 0."""
    r = book([heading("1"), score("1.1", 10, rule="Xếp mức"),
              score("1.2", 4, rule="Xếp mức", tiers="Tốt = 100; Khá = 75; Trung bình = 50; Yếu = 0")],
             {"Tự chấm": {"1.1": ["a", "B", " c ", 8], "1.2": ["TOT", "Khá", "trung binh", "yếu"]}},
             units=("A", "B", "C", "D"), settings=NO_TIE_BREAK)
    assert totals(r) == {"A": "14.00", "B": "11.00", "C": "7.00", "D": "0.00"}
    assert flags(r, "grade_invalid") == [("Tự chấm", "G6", "D", "1.1")]
    assert "A; B; C; D" in next(i for i in r.issues if i.code == "grade_invalid").message("vi")
    assert not flags(r, "score_not_number")


def test_per_occurrence_counts_and_tiered_lists_with_a_cap():
    """Rule 6.  4.1: −5 per returned dossier, no maximum; 4.2: late reports, "5-<10 = -5;
    10-<15 = -10; >=15 = -20" per report, at most 25; 1.1: 100 points for all.
    A: 3 dossiers → 15; reports "6; 12" → 5 + 10 = 15; total 100 − 30 = 70.00.
    B: 0; "3; 16; 20" → 0 + 20 + 20 = 40 → capped 25 (15 over); total 75.00.
    C: "2" → 10; 9 → 5; total 85.00.  D: "2,5" dossiers is not a count (flagged)."""
    r = book([heading("1"), score("1.1", 100),
              heading("4"), score("4.1", None, "Điểm trừ", rule="Mỗi lần", tiers="-5", mandatory="Không"),
              score("4.2", 25, "Điểm trừ", rule="Mỗi lần", tiers="5-<10 = -5; 10-<15 = -10; >=15 = -20",
                    mandatory="Không")],
             {"Tự chấm": {"1.1": [100, 100, 100, 100], "4.1": [3, 0, "2", "2,5"],
                          "4.2": ["6; 12", "3; 16; 20", 9, None]}},
             units=("A", "B", "C", "D"), settings=NO_TIE_BREAK)
    assert totals(r) == {"D": "100.00", "C": "85.00", "B": "75.00", "A": "70.00"}
    assert column(r, "capped") == {"A": 0, "B": 15, "C": 0, "D": 0}
    assert flags(r, "occurrence_invalid") == [("Tự chấm", "G8", "D", "4.1")]
    assert not flags(r, "criterion_max_missing")


NA_CRITERIA = [heading("1"), score("1.1", 60), score("1.2", 40, rule="Tỷ lệ", target=100),
               heading("2"), score("2.1", 5, "Điểm thưởng", mandatory="Không")]
NA_SCORES = {"Tự chấm": {"1.1": [45, 50, 40], "1.2": ["N/A", 75, None], "2.1": [2, None, None]}}
NA_TARGETS = {"1.2": [None, None, "không giao"]}


def test_not_applicable_rescaled_to_the_common_maximum():
    """Rule 7, rescale.  Common maximum 60 + 40 = 100.  A typed "N/A" on 1.2: 45 of 60 →
    45 × 100 ÷ 60 = 75.00, plus bonus 2 (never rescaled) = 77.00.  B: 50 + 75 % × 40 = 80.00.
    C: 1.2 not assigned on the Unit targets sheet: 40 × 100 ÷ 60 = 66.666… → 66.67.
    Group 1 shows the points earned (45, 40), and the Ranking sheet the applicable maximum."""
    r = book(NA_CRITERIA, NA_SCORES, targets=NA_TARGETS, settings=NO_TIE_BREAK)
    assert totals(r) == {"B": "80.00", "A": "77.00", "C": "66.67"}
    assert str(r.ranking.loc["A", "1"]) == "45.00"
    assert column(r, "applicable_max") == {"A": 60, "B": 100, "C": 60}
    assert column(r, "not_applicable") == {"A": "1.2", "B": None, "C": "1.2"}
    assert not flags(r, "score_missing") and not flags(r, "score_not_number")


def test_not_applicable_scored_on_the_remaining_maximum():
    """Rule 7, remaining.  No rescaling: A 45 + 2 = 47.00 (of 60 + bonus), B 80.00, C 40.00."""
    r = book(NA_CRITERIA, NA_SCORES, targets=NA_TARGETS,
             settings=NO_TIE_BREAK | {"not_applicable": "Chấm trên số điểm còn lại"})
    assert totals(r) == {"B": "80.00", "A": "47.00", "C": "40.00"}
    assert column(r, "applicable_max") == {"A": 60, "B": 100, "C": 60}


def test_excel_error_na_is_not_a_decision_that_a_criterion_does_not_apply():
    """"#N/A" is a broken formula: an error, and the unit's maximum stays 100 (A: 45 + 2 = 47)."""
    r = book(NA_CRITERIA, {"Tự chấm": {"1.1": [45, 50, 40], "1.2": ["#N/A", 75, 80], "2.1": [2, None, None]}},
             settings=NO_TIE_BREAK)
    assert total(r, "A") == "47.00"
    assert flags(r, "score_not_number")[0][2:] == ("A", "1.2")


def test_each_assessment_sheet_covers_its_own_part():
    """Rule 8.  The leader verifies groups 1–2, the provincial board group 3 (its sheet lists
    only 3.1 and 3.2).  Self-assessment 10 everywhere.  A: 8 + 7 (leader) + 6 + 5 (board) = 26.00.
    B: 9 + 9 + 7, and the board left 3.2 blank: self 10, flagged unverified → 35.00.
    No "absent row" errors on the board's sheet, no false "not verified" on the leader's."""
    criteria = [heading("1"), score("1.1", 10), heading("2"), score("2.1", 10),
                heading("3"), score("3.1", 10), score("3.2", 10)]
    r = book(criteria,
             {"Tự chấm": {"1.1": [10, 10], "2.1": [10, 10], "3.1": [10, 10], "3.2": [10, 10]},
              "Thẩm định cụm": {"1.1": [8, 9], "2.1": [7, 9]},
              "Thẩm định tỉnh": {"3.1": [6, 7], "3.2": [5, None]}},
             units=("A", "B"), partial=frozenset({"Thẩm định tỉnh"}), settings=NO_TIE_BREAK,
             assessments=[("Tự chấm", "Tự chấm", "", ""), ("Thẩm định cụm", "Thẩm định", "Trưởng cụm", "1; 2"),
                          ("Thẩm định tỉnh", "Thẩm định", "Ban Thi đua", "Nhóm 3")])
    assert totals(r) == {"B": "35.00", "A": "26.00"}
    assert not flags(r, "grid_criterion_absent") and not flags(r, "score_missing")
    assert flags(r, "score_unverified") == [("Thẩm định tỉnh", "E6", "B", "3.2")]


def test_an_unknown_scope_code_is_flagged():
    r = book([heading("1"), score("1.1", 10)], {"Tự chấm": {"1.1": [5, 5, 5]}}, settings=NO_TIE_BREAK,
             assessments=[("Tự chấm", "Tự chấm", "", "9")])
    assert flags(r, "assessment_scope_unknown")[0][:2] == ("Cài đặt", "D12")


BLANK_CRITERIA = [heading("1"), score("1.1", 10), score("1.2", 10),
                  heading("2"), score("2.1", 5, "Điểm thưởng", mandatory="Không")]
BLANK_SCORES = {"Tự chấm": {"1.1": [10, 10], "1.2": [10, 10], "2.1": [3, None]},
                "Thẩm định": {"1.1": [None, 8], "1.2": [6, 9], "2.1": [None, None]}}


def test_blank_verification_falls_back_to_the_self_score_by_default():
    """Rule 9, default.  A: 1.1 unverified → self 10; 1.2 verified 6; bonus 3 (self) → 19.00.
    B: 8 + 9 = 17.00."""
    r = book(BLANK_CRITERIA, BLANK_SCORES, units=("A", "B"), settings=NO_TIE_BREAK)
    assert totals(r) == {"A": "19.00", "B": "17.00"}
    assert flags(r, "score_unverified") == [("Thẩm định", "D6", "A", "1.1")]


def test_blank_verification_earns_nothing_when_the_guidance_says_so():
    """Rule 9, not awarded.  A: 1.1 blank → 0; 1.2 → 6; the self-claimed bonus does not survive
    → 6.00, with both blanks flagged.  B: 17.00."""
    r = book(BLANK_CRITERIA, BLANK_SCORES, units=("A", "B"),
             settings=NO_TIE_BREAK | {"verify_blank": "Không tính điểm"})
    assert totals(r) == {"B": "17.00", "A": "6.00"}
    assert flags(r, "score_unverified_none") == [("Thẩm định", "D6", "A", "1.1"), ("Thẩm định", "D9", "A", "2.1")]
    assert not flags(r, "score_unverified")


CROSS = [("Tổ 1", "Chấm chéo", "Tổ 1", ""), ("Tổ 2", "Chấm chéo", "Tổ 2", "")]
CROSS_SCORES = {"Tổ 1": {"1.1": [5, 7, None]}, "Tổ 2": {"1.1": [None, 9, 9.5]}}


def test_cross_scores_mean_centred_per_assessor():
    """Normalisation, centre.  Tổ 1 (harsh) scores A 5, B 7 (mean 6); Tổ 2 (lenient) B 9, C 9.5
    (mean 9.25); all four cells: mean 30.5 ÷ 4 = 7.625.  Raw means: C 9.50, B 8.00, A 5.00.
    Centred: Tổ 1 + 1.625 → A 6.625 → 6.63, B 8.625 → 8.63; Tổ 2 − 1.625 → B 7.375 → 7.38,
    C 7.875 → 7.88.  Means: A 6.63, B (8.63 + 7.38) ÷ 2 = 8.005 → 8.01, C 7.88: B leads.
    The Fairness sheet shows the raw ranking beside (C first, total 9.50)."""
    r = book([heading("1"), score("1.1", 10)], CROSS_SCORES, assessments=CROSS,
             settings=NO_TIE_BREAK | {"combine": "Trung bình chấm chéo", "normalise": "Trừ trung bình của người chấm"})
    assert totals(r) == {"B": "8.01", "C": "7.88", "A": "6.63"}
    fair = fairness_sheet(r, "vi")
    rank, raw = (fair.header.index(c.vi) for c in (C.FAIRNESS_RAW_RANK, C.FAIRNESS_RAW_TOTAL))
    assert {row[1]: (row[rank], row[raw]) for row in fair.rows} == {"B": (2, 8), "C": (1, 9.5), "A": (3, 5)}


def test_cross_scores_as_z_scores_with_the_exact_integer_square_root():
    """Normalisation, z-score: x' = m + (x − m_s) × σ/σ_s with σ/σ_s = ⌊√(σ²/σ_s²) × 10⁶⌋ ÷ 10⁶.
    At 2 decimals the cells are 500, 700 | 900, 950; m = 762.5; σ² = 507500 ÷ 16;
    Tổ 1: σ_s² = 10000, Tổ 2: σ_s² = 625.  Computed here independently with Fractions."""
    r = book([heading("1"), score("1.1", 10)], CROSS_SCORES, assessments=CROSS,
             settings=NO_TIE_BREAK | {"combine": "Trung bình chấm chéo", "normalise": "Điểm chuẩn z"})
    var = Fraction(507500, 16)

    def z(x, mean_s, var_s):
        ratio = Fraction(isqrt(int(var / var_s * 10**12)), 10**6)
        v = Fraction(7625, 10) + (x - mean_s) * ratio
        return int(v + Fraction(1, 2))  # half-up, positive

    a, b1 = z(500, 600, 10000), z(700, 600, 10000)
    b2, c = z(900, 925, 625), z(950, 925, 625)
    assert (a, b1, b2, c) == (584, 941, 584, 941)
    b = (b1 + b2 + 1) // 2  # 762.5 → 763, half-up
    assert totals(r) == {"C": str(Decimal(c) / 100), "B": str(Decimal(b) / 100), "A": str(Decimal(a) / 100)}


def test_normalising_with_verified_over_self_is_ignored_and_said():
    r = book([heading("1"), score("1.1", 10)], {"Tự chấm": {"1.1": [5, 5, 5]}},
             settings=NO_TIE_BREAK | {"normalise": "Điểm chuẩn z"})
    assert [i.code for i in r.issues if i.code == "normalise_ignored"] == ["normalise_ignored"]


@pytest.mark.parametrize("typed, expected", [
    (None, False), ("", False), ("  ", False), ("có", True), ("Có", True), ("không", False),
    ("x", True), ("X", True), ("✓", True), ("✔", True), ("✗", False), ("Yes", True), ("no", False),
    ("-", None), ("?", None), ("có lẽ", None)])
def test_yes_no_reads_blank_as_no_and_check_marks_as_yes(typed, expected):
    assert yes_no(typed) is expected


@pytest.mark.parametrize("typed, expected", [(None, False), ("có", True), ("không", False), ("x", True),
                                             ("✓", True)])
def test_every_yes_no_column(typed, expected):
    """Agreement signed (units), mandatory and evidence (criteria), registration and agreement
    required (awards): one reading of blank, có, không, x and ✓ in every column."""
    data = sheets([heading("1"), score("1.1", 10, mandatory=typed, needs_evidence=typed)],
                  {"Tự chấm": {"1.1": [5, 5, 5]}})
    units, awards = data["Đơn vị"], data["Cài đặt"]
    signed = C.UNITS_TABLE.fields.index("signed")
    for row in units[4:]:
        row[signed] = typed
    award = awards[-1]
    for f in ("needs_registration", "needs_agreement"):
        award[C.AWARDS_TABLE.fields.index(f)] = typed
    inputs, _ = parse_inputs(build_raw_book(list(data), lambda n: data[n]))
    assert list(inputs.units["signed"]) == [expected] * 3
    assert inputs.criteria.at["1.1", "mandatory"] is expected
    assert inputs.criteria.at["1.1", "needs_evidence"] is expected
    assert (inputs.awards[0].needs_registration, inputs.awards[0].needs_agreement) == (expected, expected)


def test_the_rules_sample_ranks_as_its_guidance_says(tmp_path):
    """emutools demo --rules: the commune cluster of emutools/sample_rules.py, whose docstring
    works the totals out (STHUY 104.00, HPHONG 103.50 — the bonus cap decides the lead —,
    DTAM 93.50, YBINH 77.20 − 5 for its reprimanded chair = 72.20, MTIEN 67.83 rescaled for its
    N/A, TLAP 62.56) and the decisions (DTAM held below Excellent by group II at 81.66 %;
    STHUY's Government flag falls back to the provincial flag; YBINH deferred)."""
    from typer.testing import CliRunner

    from emutools.cli import app
    from emutools.headless import check_file

    for lang, name in (("vi", "cum-thi-dua-mau-quy-tac.xlsx"), ("en", "sample-cluster-rules.xlsx")):
        done = CliRunner().invoke(app, ["demo", "--rules", "--folder", str(tmp_path / lang), "--lang", lang])
        assert done.exit_code == 0, done.output
        r = check_file(tmp_path / lang / name)
        assert totals(r) == {"STHUY": "104.00", "HPHONG": "103.50", "DTAM": "93.50", "YBINH": "72.20",
                             "MTIEN": "67.83", "TLAP": "62.56"}
        assert r.ranking["award"].to_dict() == {"STHUY": "CTDCP", "HPHONG": "CTDT", "DTAM": "BKT", "YBINH": "",
                                                "MTIEN": "", "TLAP": ""}
        assert r.ranking.loc["STHUY", "fallback"] and r.ranking.loc["YBINH", "deferred"]
        assert r.ranking["band"].tolist()[:3] == [r.inputs.bands[0][0], r.inputs.bands[0][0], r.inputs.bands[1][0]]
        assert r.ranking.loc["DTAM", "band_note_en"].endswith("group 2 at 81.66 % (≥ 85 % needed)")
        assert [bool(t) for t in r.ranking["titles"]] == [True, True, True, False, False, False]
        assert column(r, "capped") == {"STHUY": 1, "TLAP": 0, "HPHONG": 2, "MTIEN": 1, "DTAM": 0, "YBINH": 0}
        assert column(r, "not_applicable")["MTIEN"] == "1.5"
        assert r.ranking.loc["STHUY", "award"] == "CTDCP"
        assert [i.code for i in r.errors] == []
        assert flags(r, "score_unverified_none")[0][1:] == ("E17", "TLAP", "3.2")


@pytest.mark.parametrize("typed", ["tám", 1_000_000_001])
def test_an_unusable_cap_is_flagged_and_no_cap_applies(typed):
    """A cap that is not a number (or beyond any score) is an error naming the blank default;
    bonus 4 + 4 = 8 then counts in full: 10 + 8 = 18.00."""
    r = book([heading("1"), score("1.1", 10), heading("2"), score("2.1", 5, "Điểm thưởng", mandatory="Không"),
              score("2.2", 5, "Điểm thưởng", mandatory="Không")],
             {"Tự chấm": {"1.1": [10, 10, 10], "2.1": [4, 0, 0], "2.2": [4, 0, 0]}},
             settings=NO_TIE_BREAK | {"bonus_cap": typed})
    assert total(r, "A") == "18.00"
    flag = next(i for i in r.issues if i.code == "setting_invalid")
    assert flag.message("vi").endswith("Đang dùng mặc định “để trống”.")
