"""What people really type into Excel: every case ends in a result or a flag, never a traceback.

The normal suite runs a small sample; the long profile runs ≥ 10,000 generated cases:
    HYPOTHESIS_PROFILE=long python -m pytest -m fuzz
Each case mutates the hand-worked cluster (tests/cluster.py): cells replaced by awkward
values, rows and columns inserted or deleted, headers renamed, sheets dropped or renamed.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emutools.core import numbers as N
from emutools.core.engine import recalculate
from emutools.io.reader import WorkbookReadError, read_book
from emutools.io.results import output_sheets
from emutools.io.tables import build_raw_book
from tests.cluster import sheets, write_xlsx
from tests.rulebook import decisions_book, heading, score
from tests.rulebook import sheets as rulebook_sheets

pytestmark = pytest.mark.fuzz

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
# The normal suite is derandomised (the same 150 cases every run, so CI is reproducible);
# the long profile explores afresh each time.
settings.register_profile("default", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

AWKWARD = st.one_of(
    st.none(), st.just(""), st.just("  9 "), st.just("8,5"), st.just("tám"), st.just("#N/A"),
    st.just("#DIV/0!"), st.just("=SUM(A1:A3)"), st.just("+1"), st.just("-"), st.just("@x"),
    st.just("1.10"), st.just("Có"), st.just("x"), st.just("🏆 Đơn vị"), st.just("\x00\x07"),
    st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)), st.text(max_size=12),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(float),
    # what the scoring rules read: N/A (and Excel's #N/A), grades, occurrence lists, tiers
    st.sampled_from(["N/A", "không áp dụng", "KAD", "Khá", "b", "trung binh", "6; 12", "3;;16",
                     "≤ 2 = 5", "5-<10 = -5; >=15 = -20", "A = 100; B = 80", "-5", "1; 2; 3"]),
)
SHEETS = list(sheets())
SHEET_NAMES = st.one_of(  # renamed sheets: names Excel accepts, some close to the real ones
    st.sampled_from(["tự chấm", "TIEU CHI", "Don vi", "Settings", "Cài đặt (2)"]),
    st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8))


@st.composite
def mutations(draw):
    """A list of edits applied in order to a fresh copy of the cluster's sheets."""
    edits = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "insert_row", "delete_row",
                                     "insert_col", "delete_col", "drop_sheet", "rename_sheet",
                                     "duplicate_row"]))
        sheet = draw(st.sampled_from(SHEETS))
        edits.append((kind, sheet, draw(st.integers(0, 40)), draw(st.integers(0, 12)),
                      draw(AWKWARD), draw(SHEET_NAMES)))
    return edits


def apply(edits, base=sheets) -> dict[str, list[list[object]]]:
    data = base()
    for kind, sheet, r, c, value, word in edits:
        if sheet not in data:
            continue
        rows = data[sheet]
        if kind == "cell" and rows:
            row = rows[r % len(rows)]
            row.extend([None] * (c + 1 - len(row)))
            row[c] = value
        elif kind == "insert_row":
            rows.insert(r % (len(rows) + 1), [value] * (c % 4))
        elif kind == "delete_row" and rows:
            del rows[r % len(rows)]
        elif kind == "duplicate_row" and rows:
            rows.insert(r % len(rows), list(rows[r % len(rows)]))
        elif kind == "insert_col":
            for row in rows:
                row.insert(min(c, len(row)), value)
        elif kind == "delete_col":
            for row in rows:
                if c < len(row):
                    del row[c]
        elif kind == "drop_sheet":
            del data[sheet]
        elif kind == "rename_sheet" and word and word not in data:
            data[word] = data.pop(sheet)
    return data


CELL = re.compile(r"^(\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6}(:\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6})?)?$")


def check(result, sheet_names=None) -> None:
    """Flags a user can act on: both texts fully filled in (no '{placeholder}' left, no
    'None'/'nan' standing for a value), a real cell address, on a sheet the book has."""
    sheet_names = set(result.inputs.sheet_names if sheet_names is None else sheet_names)
    for i in result.issues:
        for lang in ("vi", "en"):
            text = i.message(lang)
            assert text and not re.search(r"\{\w+\}", text), (i.code, text)
            assert not re.search(r"\b(None|nan|NaT)\b", text), (i.code, text)
        assert CELL.match(i.cell), (i.code, i.cell)
        assert not i.cell or i.sheet in sheet_names, (i.code, i.sheet, i.cell)


@given(mutations())
def test_mutated_tables_give_a_result_or_flags(edits):
    data = apply(edits)
    raw = build_raw_book(list(data), lambda n: data[n])
    result = recalculate(raw)
    check(result)
    for sheet in output_sheets(result, raw, dt.datetime(2025, 12, 18)):
        assert len(sheet.header) == len(sheet.number_formats) == len(sheet.widths)
        assert all(len(row) == len(sheet.header) for row in sheet.rows)


@settings(max_examples=3000 if LONG else 60)
@given(mutations())
def test_mutated_decision_rules_give_a_result_or_flags(edits):
    """The same mutations on a workbook that uses every decision rule (the sheet names are
    the cluster's, so the edits land on the same sheets)."""
    data = apply(edits, decisions_book)
    raw = build_raw_book(list(data), lambda n: data[n])
    result = recalculate(raw)
    check(result)
    for sheet in output_sheets(result, raw, dt.datetime(2025, 12, 18)):
        assert all(len(row) == len(sheet.header) for row in sheet.rows)


def scoring_rules_book() -> dict[str, list[list[object]]]:
    """A cluster using every scoring rule of issue 14 at once: own plans, above-plan bonus,
    caps, inverse, descending tiers, grades, per occurrence, N/A, a partial verification,
    a cross-score sheet combined by mean with z-scores, blank verification not awarded."""
    criteria = [
        heading("1", cap=30), score("1.1", 10, rule="Tỷ lệ", target=100, over_rate=1, over_cap=10),
        score("1.2", 10, rule="Tỷ lệ nghịch", target=2), score("1.3", 5, rule="Bậc", tiers="≤ 2 = 5; ≤ 5 = 3"),
        score("1.4", 10, rule="Xếp mức"), heading("2"), score("2.1", 10),
        heading("3"), score("3.1", 5, "Điểm thưởng", mandatory="Không"),
        score("3.2", 20, "Điểm trừ", rule="Mỗi lần", tiers="5-<10 = 5; >=10 = 10", mandatory="Không"),
        score("3.3", None, "Điểm trừ", rule="Mỗi lần", tiers="2", mandatory="Không"),
    ]
    scores = {
        "Tự chấm": {"1.1": [120, 90, 100], "1.2": [1, 3, "N/A"], "1.3": [1, 4, 9], "1.4": ["A", "khá", "c"],
                    "2.1": [9, 8, 7], "3.1": [5, None, 2], "3.2": ["6; 12", None, 15], "3.3": [1, 0, 3]},
        "Thẩm định": {"1.1": [110, 95, None], "1.2": [1.5, 3, None], "1.4": ["B", None, "D"], "2.1": [8, 8, 8]},
        "Tổ 1": {"1.1": [100, 80, 90], "2.1": [7, 9, 6], "1.4": ["A", "B", "C"]},
    }
    return rulebook_sheets(
        criteria, scores, targets={"1.1": [90, None, "không giao"], "1.2": [None, 2.5, None]},
        assessments=[("Tự chấm", "Tự chấm", "", ""), ("Thẩm định", "Thẩm định", "Trưởng cụm", "1; 2"),
                     ("Tổ 1", "Chấm chéo", "Tổ 1", "")],
        settings={"combine": "Trung bình chấm chéo", "normalise": "Điểm chuẩn z", "verify_blank": "Không tính điểm",
                  "bonus_cap": 4, "penalty_cap": 15, "overflow_cap": 0.8, "tie_break": "1; điểm trừ"})


def exact(result) -> None:
    """Every total is exactly its columns: groups + bonus − penalty (every criterion applying),
    each a whole number of points at the scoring precision, and no cap exceeded."""
    scores = result.scores
    if scores is None:
        return
    totals, settings = scores.totals, result.inputs.settings
    for unit, row in totals.iterrows():
        for column in ("total", "bonus", "penalty", "capped", *result.inputs.groups):
            assert isinstance(row[column], (int, np.integer)), (column, row[column])
        if not row["not_applicable"]:
            parts = sum(int(row[g]) for g in result.inputs.groups)
            assert row["total"] == parts + row["bonus"] - row["penalty"], unit
        for key, column in (("bonus_cap", "bonus"), ("penalty_cap", "penalty")):
            cap = getattr(settings, key)
            assert cap is None or row[column] <= N.scaled_of(cap, settings.decimals)


@settings(max_examples=3000 if LONG else 60)
@given(mutations())
def test_mutated_scoring_rules_give_exact_totals_or_flags(edits):
    """The same mutations on a workbook that uses every scoring rule; totals stay exact sums."""
    data = apply(edits, scoring_rules_book)
    raw = build_raw_book(list(data), lambda n: data[n])
    result = recalculate(raw)
    check(result)
    exact(result)
    for sheet in output_sheets(result, raw, dt.datetime(2025, 12, 18)):
        assert all(len(row) == len(sheet.header) for row in sheet.rows)


def test_the_scoring_rules_book_uses_every_rule_before_it_is_mutated():
    """The fuzz base is not a dud: a cap cuts, an above-plan bonus is earned, a criterion is N/A,
    a grade is refused, the raw ranking is kept beside the normalised one."""
    data = scoring_rules_book()
    result = recalculate(build_raw_book(list(data), lambda n: data[n]))
    totals = result.scores.totals
    assert totals["capped"].sum() > 0 and totals["above_plan"].sum() > 0
    assert totals.at["C", "not_applicable"] == ("1.1", "1.2")
    assert result.scores.raw_totals is not None
    assert {i.code for i in result.issues} >= {"grade_invalid", "cap_applied", "score_unverified_none"}


def test_the_decision_rules_book_uses_every_rule_before_it_is_mutated():
    """The fuzz base is not a dud: deferral, a fallback, a title, a band floor, a veto's points,
    two groups, an attribute tie-break."""
    data = decisions_book()
    result = recalculate(build_raw_book(list(data), lambda n: data[n]))
    ranking = result.ranking
    assert set(ranking["ranking_group"]) == {"Cơ quan", "Doanh nghiệp"}
    assert ranking.loc["D", "held"] and ranking.loc["B", "penalty"] == 20
    assert any(ranking["titles"]) and any(ranking["fallback"]) and ranking.loc["C", "band_note_vi"]
    assert [c for c in result.inputs.settings.tie_break if c.startswith("@")] == ["@Tỷ lệ nữ (%)"]


@settings(max_examples=1000 if LONG else 25)
@given(mutations())
def test_mutated_files_read_and_rank_or_say_why(tmp_path_factory, edits):
    data = apply(edits)
    if not data:
        return
    path = tmp_path_factory.mktemp("fuzz") / "cum.xlsx"
    write_xlsx(path, data)
    try:
        raw = read_book(path)
    except WorkbookReadError as exc:  # a clear message is an accepted end
        assert exc.message_vi and exc.message_en
        return
    check(recalculate(raw))
