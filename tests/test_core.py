"""The core against a five-unit cluster worked out by hand (tests/cluster.py).

Verified overrides self.  Weighted points (2.1 has weight 2; 1.2 is measured, 100 % target):
    unit  1.1  1.2        2.1        bonus  penalty  total  group1  group2
    A     9    95%→9.5    4×2=8      1      0        27.5   18.5    8     veto 5.1 = Có
    B     8    100%→10    4.5×2=9    0      1        26     18      9
    C     9    90%→9      4×2=8      0      0        26     18      8
    D     9    90%→9      4×2=8      0      0        26     18      8
    E     7*   50%→5      "3,5"→7    0      0        19     12      7     *not verified: self 7
Ranks: A 1; B 2 (ties C, D on total and group 1, wins on group 2); C, D 3 (a real tie); E 5.
Bands (≥27 Xuất sắc, ≥25 Tốt, else Khá): A Xuất sắc; B, C, D Tốt; E Khá.
Awards: CP (leader, 1, Tốt, registration): A vetoed, B did not register → C, D tie for
one place → nobody, a vote is needed.  T (top 3): B, C, D.  BK (20 % of 5 = 1): E.
"""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import pandas as pd
import pytest

from emutools.core.engine import recalculate
from emutools.core.model import Award
from emutools.core.proposals import quota_count
from emutools.io.tables import build_raw_book
from tests.cluster import sheets


def run(data=None):
    data = sheets() if data is None else data
    return recalculate(build_raw_book(list(data), lambda n: data[n]))


def flags(result):
    return {(i.code, i.sheet, i.cell) for i in result.issues}


def test_totals_and_group_subtotals_are_exact():
    r = run().ranking
    assert r["total"].to_dict() == {u: Decimal(v) for u, v in
                                    {"A": "27.5", "B": "26", "C": "26", "D": "26", "E": "19"}.items()}
    assert r.loc["A", "1"] == Decimal("18.5") and r.loc["B", "2"] == Decimal("9")
    assert r.loc["A", "bonus"] == 1 and r.loc["B", "penalty"] == 1


def test_competition_ranking_with_tie_break_and_remaining_tie():
    r = run().ranking
    assert list(r.index) == ["A", "B", "C", "D", "E"]
    assert list(r["rank"]) == [1, 2, 3, 3, 5]


def test_tie_break_order_changes_the_ranking():
    data = sheets()
    _set_setting(data, "Thứ tự phân định khi bằng điểm", "điểm trừ")  # fewer penalty first
    r = run(data).ranking
    # B has 1 penalty point, C and D none: C, D share rank 2, B is 4th.
    assert r["rank"].to_dict() == {"A": 1, "C": 2, "D": 2, "B": 4, "E": 5}


def test_without_tie_breaks_equal_totals_share_a_rank():
    data = sheets()
    _set_setting(data, "Thứ tự phân định khi bằng điểm", None)
    assert run(data).ranking["rank"].to_dict() == {"A": 1, "B": 2, "C": 2, "D": 2, "E": 5}


def test_classification_eligibility_and_proposals():
    r = run().ranking
    assert r["band"].to_dict() == {"A": "Xuất sắc", "B": "Tốt", "C": "Tốt", "D": "Tốt", "E": "Khá"}
    assert r["eligible"].to_dict() == {"A": False, "B": True, "C": True, "D": True, "E": True}
    assert "Vi phạm tiêu chí loại trừ 5.1" in r.loc["A", "reasons_vi"]
    assert r["award"].to_dict() == {"A": "", "B": "T", "C": "T", "D": "T", "E": "BK"}
    assert r.loc["C", "tie"] == r.loc["D", "tie"] == "Cờ thi đua của Chính phủ"
    assert "Chưa đăng ký Cờ thi đua của Chính phủ" in r.loc["B", "reasons_vi"]


def test_vetoed_leader_passes_the_flag_to_the_next_eligible_unit():
    data = sheets()
    _unit_cell(data, "B", "Đăng ký danh hiệu (mã)", "CP, T")
    r = run(data).ranking
    assert r.loc["A", "rank"] == 1 and r.loc["A", "award"] == ""
    assert r.loc["B", "award"] == "CP"
    assert r["award"].to_dict() == {"A": "", "B": "CP", "C": "T", "D": "T", "E": "BK"}


def test_exact_cells_flagged():
    f = flags(run())
    assert f == {
        ("score_out_of_range", "Tự chấm", "D6"),     # A self 1.1 = 11 > 10
        ("score_text_number", "Thẩm định", "H9"),    # E "3,5"
        ("score_unverified", "Thẩm định", "H6"),     # E 1.1 blank in verification
        ("self_verified_gap", "Thẩm định", "H7"),    # E 1.2: self 10, verified 5 (> 20 % of 10)
        ("evidence_missing", "Minh chứng", "H9"),    # E 2.1 claimed without evidence
        ("veto_unit", "Đơn vị", "A5"),
        ("agreement_unsigned", "Đơn vị", "D9"),      # E not signed
        ("title_not_registered", "Đơn vị", "E6"),    # B would lead but did not register CP
        ("quota_tie", "Cài đặt", "D27"),             # C, D tie for the one CP place
    }


def test_messages_are_bilingual_with_local_number_format():
    r = run()
    msg = next(i for i in r.issues if i.code == "score_text_number")
    assert msg.message("vi") == "Ô chứa chữ “3,5”, đã đọc thành số 3,5."
    assert msg.message("en") == "The cell holds text '3,5', read as the number 3.5."


def test_float_noise_never_splits_a_tie():
    # 0.1 + 0.2 != 0.3 in floats; at the scoring precision they are equal.
    data = sheets()
    crit = data["Tiêu chí"]
    next(r for r in crit if r and r[0] == "1.2")[7:9] = [None, None]  # plain points, no rule
    verified = data["Thẩm định"]
    row_11 = _grid_row(verified, "1.1")
    row_12 = _grid_row(verified, "1.2")
    verified[row_11][3:5] = [0.1, 0.3]
    verified[row_12][3:5] = [0.2, 0.0]
    for row in (row_11, row_12):
        data["Tự chấm"][row][3:5] = verified[row][3:5]
    r = run(data).ranking
    assert r.loc["A", "1"] == r.loc["B", "1"] == Decimal("0.3")


@pytest.mark.parametrize("method, expected", [
    ("Trung bình chấm chéo", Decimal("8.33")),      # (9 + 8 + 8) / 3 = 8.333… → 8.33
    ("Trung vị chấm chéo", Decimal("8")),
    ("Trung bình bỏ cao nhất, thấp nhất", Decimal("8")),  # drop 9 and one 8
])
def test_cross_scores_combine_and_an_assessor_never_scores_itself(method, expected):
    data = sheets()
    _set_setting(data, "Cách tổng hợp điểm các bảng chấm", method)
    settings = data["Cài đặt"]
    at = next(k for k, row in enumerate(settings) if row and row[0] == "Thẩm định")
    settings[at + 1:at + 1] = [["Chéo 1", "Chấm chéo", "B"], ["Chéo 2", "Chấm chéo", "C"]]
    for name, value in (("Chéo 1", 8), ("Chéo 2", 8)):
        grid = copy.deepcopy(data["Thẩm định"])
        row = _grid_row(grid, "1.1")
        grid[row][3:8] = [value, 0, 0, 0, 0]  # the C column of "Chéo 2" scores C itself
        data[name] = grid
    r = run(data)
    a_11 = r.scores.final[list(r.scores.leaves).index("1.1"), 0]
    assert Decimal(int(a_11)).scaleb(-2) == expected
    c_11 = r.scores.final[list(r.scores.leaves).index("1.1"), 2]
    # C: verification 9, "Chéo 1" 0, "Chéo 2" recused → mean of 9 and 0 = 4.5
    if method.startswith("Trung bình chấm"):
        assert c_11 == 450


def test_measured_rules_threshold_and_all_or_nothing():
    data = sheets()
    crit = data["Tiêu chí"]
    row = next(k for k, r in enumerate(crit) if r and r[0] == "1.2")
    crit[row][8:10] = ["Bậc", "95=10; 90=8; 80=5"]
    r = run(data).ranking
    # A 95 → 10, B 100 → 10, C, D 90 → 8, E 50 → 0
    assert r["1"].to_dict() == {"A": Decimal("19"), "B": Decimal("18"), "C": Decimal("17"),
                                "D": Decimal("17"), "E": Decimal("7")}
    crit[row][8:10] = ["Đạt/Không đạt", None]
    r = run(data).ranking
    assert r["1"].to_dict()["A"] == Decimal("9") and r["1"].to_dict()["B"] == Decimal("18")


def test_headers_match_without_case_spaces_or_diacritics():
    data = sheets()
    header = data["Đơn vị"][3]
    header[0], header[1] = "MA DON VI", "ten  đơn VỊ"
    assert list(run(data).ranking["rank"]) == [1, 2, 3, 3, 5]


def test_missing_sheet_and_column_are_flags_not_exceptions():
    data = sheets()
    del data["Tiêu chí"]
    data["Đơn vị"][3][1] = "Something else"
    r = run(data)
    codes = {i.code for i in r.errors}
    assert {"sheet_missing", "table_missing"} <= codes
    assert r.ranking.empty


def test_unit_scored_nowhere_is_one_flag_at_its_first_blank_column_and_is_not_ranked():
    data = sheets()
    for name in ("Tự chấm", "Thẩm định"):
        for row in data[name][4:]:
            row[7] = None  # E
    r = run(data)
    # one cause, one flag: where to start filling (E's column on the first sheet), saying no sheet scores E
    assert [(i.code, i.sheet, i.cell) for i in r.issues if i.unit == "E"] == [
        ("unit_not_scored", "Tự chấm", "H4"), ("agreement_unsigned", "Đơn vị", "D9")]  # the latter: unrelated
    assert r.ranking.loc["E", "flags"] == 2
    assert pd.isna(r.ranking.loc["E", "rank"])
    assert [i.message("vi") for i in r.issues if i.code == "unit_not_scored"] == [
        "Đơn vị “E” chưa có điểm trên bảng chấm nào nên không được xếp hạng."]


def test_unit_blank_on_one_sheet_only_is_flagged_there_and_is_still_ranked():
    data = sheets()
    for row in data["Thẩm định"][4:]:
        row[7] = None  # E: self-scored, not verified
    r = run(data)
    assert [(i.sheet, i.cell) for i in r.issues if i.unit == "E" and i.code in ("unit_no_scores", "unit_not_scored")
            ] == [("Thẩm định", "H4")]
    assert [i.code for i in r.issues if i.unit == "E" and i.sheet == "Thẩm định" and i.cell == "H4"] == [
        "unit_no_scores"]
    assert not pd.isna(r.ranking.loc["E", "rank"])


@pytest.mark.parametrize("share, members, expected", [(20, 9, 1), (20, 10, 2), (30, 9, 2), (20, 4, 0)])
def test_share_quota_rounds_down(share, members, expected):
    award = Award("BK", "Bằng khen", "share", Decimal(share), None, False, False, "")
    assert quota_count(award, members) == expected


# --- helpers ---------------------------------------------------------------------------


def _set_setting(data, label, value):
    for row in data["Cài đặt"]:
        if row and row[0] == label:
            row[1] = value
            return
    raise KeyError(label)


def _unit_cell(data, unit, header, value):
    table = data["Đơn vị"]
    col = table[3].index(header)
    next(r for r in table[4:] if r[0] == unit)[col] = value


def _grid_row(grid, code):
    return next(k for k, r in enumerate(grid) if k >= 4 and r and r[0] == code)


def test_absurd_numbers_are_flagged_not_overflowed():
    data = sheets()
    crit = data["Tiêu chí"]
    next(r for r in crit if r and r[0] == "1.1")[3] = 9223372036855.0  # max points
    next(r for r in crit if r and r[0] == "2.1")[4] = 1e7  # weight
    data["Thẩm định"][6][4] = float("inf")
    data["Cài đặt"][8][1] = 400  # decimals
    r = run(data)
    assert {("criterion_max_missing", "Tiêu chí", "D6"), ("criterion_weight_invalid", "Tiêu chí", "E9"),
            ("score_not_number", "Thẩm định", "E7")} <= flags(r)
    assert any(i.code == "setting_invalid" for i in r.issues)


def test_evidence_sheet_without_rows_is_not_a_crash():
    # found by the fuzz suite: an empty selection must stay a row filter, not a column pick
    data = sheets()
    data["Minh chứng"] = data["Minh chứng"][:4]
    r = run(data)
    assert list(r.ranking["rank"]) == [1, 2, 3, 3, 5]


def test_setting_flags_speak_each_language():
    data = sheets()
    _set_setting(data, "Kỳ đánh giá", "quý 3")
    flag = next(i for i in run(data).issues if i.code == "setting_invalid")
    assert flag.message("en").startswith("Value 'quý 3' of 'Period' is not valid: pick a value")
    assert "“Kỳ đánh giá”" in flag.message("vi") and "chọn một giá trị" in flag.message("vi")


def test_heading_maximum_that_disagrees_with_its_children_is_flagged():
    """Group 1 states 20 = 10 + 10 and group 2 states 10 = 5 × weight 2: both agree.  Typing
    25 on group 1's heading flags that cell, naming the children's 20."""
    assert not {f for f in flags(run()) if f[0] == "group_max_mismatch"}
    data = sheets()
    row = next(r for r in data["Tiêu chí"] if r and r[0] == "1")
    row[3] = 25
    mismatch = [i for i in run(data).issues if i.code == "group_max_mismatch"]
    assert [(i.sheet, i.cell) for i in mismatch] == [("Tiêu chí", "D5")]
    assert "20" in mismatch[0].message("vi") and "25" in mismatch[0].message("vi")


def test_codes_match_whatever_their_case_or_unicode_composition():
    """Unit B is "SỞ" (precomposed, NFC) on the Units sheet; the grids head it "SỞ" with
    combining marks (NFD) and "sở"; settings name it "sở", the criteria tie-break "1" stays:
    the ranking is the hand-worked one, and the unit keeps the Units sheet's spelling."""
    import unicodedata
    data = sheets()
    nfc = unicodedata.normalize("NFC", "SỞ")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    data["Đơn vị"][5][0] = nfc
    data["Tự chấm"][3][4] = nfd
    data["Thẩm định"][3][4] = "sở"
    data["Minh chứng"][3][4] = "Sở"
    _set_setting(data, "Đơn vị trưởng cụm (mã)", "sở")
    result = run(data)
    assert list(result.ranking.index) == ["A", nfc, "C", "D", "E"]
    assert list(result.ranking["rank"]) == [1, 2, 3, 3, 5]
    assert result.ranking.loc[nfc, "total"] == Decimal("26")
    assert flags(result) == flags(run())  # nothing new: no unknown column, no "unit has no scores"
    assert result.inputs.settings.leader == nfc


def test_codes_differing_only_by_case_are_duplicates():
    data = sheets()
    data["Đơn vị"].insert(9, ["a", "Sở An (bản sao)", "", "Có", "", ""])
    data["Tự chấm"][3][4] = "a"  # the B column now heads "a": a second column for unit A
    result = run(data)
    assert ("unit_code_duplicate", "Đơn vị", "A10") in flags(result)
    assert ("grid_unit_duplicate", "Tự chấm", "E4") in flags(result)
    assert list(result.inputs.units.index) == ["A", "B", "C", "D", "E"]
    data = sheets()
    data["Tiêu chí"][5][0] = "1.1"
    data["Tiêu chí"].insert(6, ["2.a", "x", "Chấm điểm", 1, 1, "Không", "Không", None, None, None])
    data["Tiêu chí"].insert(7, ["2.A", "y", "Chấm điểm", 1, 1, "Không", "Không", None, None, None])
    result = run(data)
    assert ("criterion_code_duplicate", "Tiêu chí", "A8") in flags(result)


def test_last_periods_totals_are_typed_with_the_inputs_and_give_the_changes():
    """Previous period: A 25 (typed "a"), B a typo (flagged at its cell, left out), C 26.25, E blank,
    Z no longer a member.  Changes in ranking order: A 27.5 − 25 = 2.5, C 26 − 26.25 = −0.25."""
    data = sheets()
    data["Kỳ trước"] = [["KỲ TRƯỚC"], [], [], ["Mã đơn vị", "Tên đơn vị", "Tổng điểm kỳ trước"],
                        ["a", "Sở An", 25], ["B", "Sở Bình", "hai sáu"], ["C", "Sở Cường", "26,25"],
                        ["E", "Sở Em", None], ["Z", "Sở cũ", 20]]
    r = run(data)
    assert r.inputs.previous.to_dict() == {"A": Decimal("25.0"), "C": Decimal("26.25"), "Z": Decimal("20.0")}
    assert r.changes.to_dict() == {"A": Decimal("2.50"), "C": Decimal("-0.25")}
    assert list(r.changes.index) == ["A", "C"]
    assert ("previous_total_invalid", "Kỳ trước", "C6") in flags(r)
    flag = next(i for i in r.issues if i.code == "previous_total_invalid")
    assert flag.message("en") == ("Previous total 'hai sáu' of unit 'B' is not a number; "
                                  "this unit is not compared with the previous period.")
    assert r.ranking.loc["B", "flags"] == run().ranking.loc["B", "flags"]  # last period's typo is not B's flag now
    assert r.fairness.previous is r.inputs.previous


def test_results_are_finished_and_cannot_be_changed():
    r = run()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.ranking = r.ranking.head(1)
    with pytest.raises(TypeError):
        r.tallies[("A", "CP")] = None
    with pytest.raises(TypeError):  # the flags are a read-only sequence
        r.issues[0] = None
    assert not hasattr(r.issues, "append") and len(r.issues) == 9 and r.leaders == ("B",)
    assert r.history.top3 == "A, B, C" and r.history.leader == "B"


def test_a_scores_sheet_renamed_in_another_case_is_named_as_its_tab_says():
    """Settings list "Tự chấm" but the tab is "tự chấm": the sheet is found, and every flag on it
    names the real tab (a link to 'Tự chấm'!D6 would lead nowhere)."""
    data = sheets()
    data["tự chấm"] = data.pop("Tự chấm")
    result = run(data)
    assert list(result.ranking["rank"]) == [1, 2, 3, 3, 5]
    assert ("score_out_of_range", "tự chấm", "D6") in flags(result)
    assert {i.sheet for i in result.issues if i.cell} <= set(data)
