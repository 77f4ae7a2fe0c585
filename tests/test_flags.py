"""Flags held column-wise (emutools.core.flags) say, count and order exactly what single
Issues would, and the CSV list beside a workbook is what Python's csv module writes."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import numpy as np

from emutools.core.flags import FlagBlock, Flags, Scaled
from emutools.core.issues import Issue, issue
from emutools.io.issues_csv import csv_lines


def gap_block() -> FlagBlock:
    """Three gaps on sheet Thẩm định: E5 (unit B, 1.1), D6 (A, 1.2), and one without a cell."""
    return FlagBlock("self_verified_gap", "Thẩm định", np.array([5, 6, 0]), np.array([5, 4, 4]),
                     np.array(["B", "A", "A"], dtype=object), np.array(["1.1", "1.2", "1.3"], dtype=object),
                     (("self", Scaled(np.array([850, 1000, 5]), 2)), ("verified", Scaled(np.array([500, 700, 95]), 2)),
                      ("gap", Scaled(np.array([350, 300, 90]), 2)), ("threshold", Decimal(20))))


def test_a_block_gives_the_issues_a_check_would_have_made():
    block = gap_block()
    first = block.issue(0)
    assert first == Issue("self_verified_gap", "Thẩm định", "E5", "B", "1.1",
                          (("self", Decimal("8.50")), ("verified", Decimal("5.00")), ("gap", Decimal("3.50")),
                           ("threshold", Decimal(20))))
    assert first.message("vi") == ("Tự chấm 8,5 nhưng thẩm định 5 (chênh 3,5, trên ngưỡng 20 % điểm tối đa): "
                                   "cần thống nhất.")
    assert block.issue(2).cell == ""
    index = np.arange(3)
    assert block.cells(index).tolist() == ["E5", "D6", ""]
    for lang in ("vi", "en"):
        assert block.messages(index, lang).tolist() == [block.issue(k).message(lang) for k in range(3)]
    assert block.messages(np.array([1]), "en").tolist() == [
        "Self-score 10 but verified 7 (gap 3, above 20 % of the maximum): to be discussed."]


def test_flags_count_order_and_group_like_a_list_of_issues():
    missing = issue("score_missing", "Thẩm định", "D6", unit="A", criterion="1.2")
    error = issue("unit_code_duplicate", "Đơn vị", "A9", unit="A", first_row=3)
    evidence = issue("evidence_missing", "Thẩm định", "E5", unit="B", criterion="1.1")  # a gap's cell, found later
    note = issue("sheet_no_scores", "Chấm chéo")
    flags = Flags([missing, gap_block(), error, evidence, note])
    assert len(flags) == 7 and list(flags)[1] == gap_block().issue(0)
    assert len(flags.of_severity("error")) == 2 and len(flags.of_severity("warning")) == 4
    assert flags.unit_counts() == {"A": 4, "B": 2}  # errors and warnings naming a unit; the note names none
    ordered = flags.in_table_order(["Đơn vị", "Thẩm định", "Chấm chéo"])
    # errors first, sheet by sheet; then Thẩm định top to bottom (no cell first, equal cells as
    # found); then Chấm chéo
    assert [(i.code, i.cell) for i in ordered] == [
        ("unit_code_duplicate", "A9"), ("score_missing", "D6"), ("self_verified_gap", ""),
        ("self_verified_gap", "E5"), ("evidence_missing", "E5"), ("self_verified_gap", "D6"),
        ("sheet_no_scores", "")]
    tail = ordered.take(slice(2, None))
    firsts, counts = tail.firsts()
    assert [(i.code, i.unit, i.cell, n) for i, n in zip(firsts, counts, strict=True)] == [
        ("self_verified_gap", "A", "", 2), ("self_verified_gap", "B", "E5", 1), ("evidence_missing", "B", "E5", 1),
        ("sheet_no_scores", "", "", 1)]
    assert ordered[1:3] == [missing, gap_block().issue(2)]
    chunk = next(ordered.columns(("vi", "en")))
    assert chunk["cell"].tolist() == ["A9", "D6", "", "E5", "E5", "D6", ""]
    assert chunk["message_en"].tolist() == [i.message("en") for i in ordered]


def test_the_csv_list_is_what_the_csv_module_writes():
    columns = [["Lỗi", "Cảnh báo", "Thông tin"], ["Sheet, with comma", 'Say "hi"', ""],
               ["line\nbreak", "carriage\rreturn", "plain"], [7, "", "x"]]
    expected = io.StringIO(newline="")
    csv.writer(expected).writerows(zip(*columns, strict=True))
    assert csv_lines(columns) == expected.getvalue()
    assert csv_lines([["a"], ["b"]]) == "a,b\r\n"
