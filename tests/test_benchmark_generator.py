"""The benchmark's workload generator (benchmarks/generate.py), at a tiny size.

No timings here: speed is measured by ``benchmarks/run.py`` only.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import (  # noqa: E402
    CROSS_SHEET,
    WORKLOADS,
    Workload,
    generate,
    reference,
    write_workbook,
)
from emutools import contract as C  # noqa: E402
from emutools.core.engine import recalculate  # noqa: E402
from emutools.io.reader import read_book  # noqa: E402

TINY = {
    "mean": Workload("tiny-mean", units=7, leaves=5, groups=2, assessments=3, seed=7),
    "verified": Workload("tiny-verified", units=7, leaves=5, groups=2, assessments=2, seed=7,
                         decorate=True),
}


@pytest.fixture(scope="module", params=sorted(TINY))
def tiny(request, tmp_path_factory):
    workload = TINY[request.param]
    data = generate(workload)
    path = write_workbook(data, tmp_path_factory.mktemp(workload.name) / "tiny.xlsx")
    return workload, data, path


def _values(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names}


def test_same_workload_same_bytes(tiny, tmp_path):
    workload, _, path = tiny
    again = write_workbook(generate(workload), tmp_path / "again.xlsx")
    assert again.read_bytes() == path.read_bytes()


def test_sheets_and_grid_layout(tiny):
    workload, data, path = tiny
    values = _values(path)
    expected = [s.vi for s in C.SHEETS]
    if workload.assessments == 3:
        expected.insert(expected.index(C.VERIFIED_SHEET.vi) + 1, CROSS_SHEET)
    assert list(values) == expected
    codes = [f"DV{k}" for k in range(1, 8)]
    for sheet, _, _ in data.assessments:
        grid = values[sheet]
        assert grid[3][:3] == [c.vi for c in C.GRID_LEAD]  # headers in row 4
        assert grid[3][3:] == codes  # unit codes head the columns
        assert grid[2][3:] == [f"ĐV {k}" for k in range(1, 8)]  # short names in row 3
        column_a = [row[0] for row in grid[4:]]
        assert column_a == ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2"]  # text, not numbers
        leaves = [row for row in grid[4:] if row[2] != ""]
        assert len(leaves) == workload.leaves
        cells = [v for row in leaves for v in row[3:]]
        assert all(v == "" or (isinstance(v, float) and round(v, 2) == v) for v in cells)
        assert sum(v == "" for v in cells) >= 1  # a missing score or more
    units = values[C.UNITS_SHEET.vi]
    assert units[3][:2] == [C.UNITS_TABLE.columns[0].vi, C.UNITS_TABLE.columns[1].vi]
    assert [row[0] for row in units[4:11]] == codes


def test_data_is_deterministic_and_holds_designed_ties():
    workload = WORKLOADS["province"]
    a, b = generate(workload), generate(workload)
    for sheet in a.scores:
        assert (a.scores[sheet] == b.scores[sheet]).all()
    assert a.tie_pairs == b.tie_pairs and len(a.tie_pairs) == 5
    ref = reference(a)
    for x, y in a.tie_pairs:
        assert ref.totals[a.unit_codes[x]] == ref.totals[a.unit_codes[y]]
    assert len(ref.ranks) == workload.units


def test_reader_finds_everything(tiny):
    _, data, path = tiny
    raw = read_book(path)
    assert raw.problems == []
    assert set(raw.grids) == {sheet for sheet, _, _ in data.assessments}
    assert set(raw.tables) >= {"settings", "assessments", "bands", "awards", "units", "criteria"}


def test_emutools_agrees_with_the_decimal_reference(tiny):
    workload, data, path = tiny
    result = recalculate(read_book(path))
    codes = Counter(i.code for i in result.issues)
    assert not {"setting_invalid", "table_missing", "sheet_missing", "tie_break_unknown",
                "assessment_role_unknown", "criterion_max_missing"} & set(codes)
    assert result.inputs.settings.combine == workload.combine
    assert result.inputs.settings.tie_break == []
    ref = reference(data)
    ranking = result.ranking
    assert {u: int(r) for u, r in ranking["rank"].items()} == ref.ranks
    assert {u: t for u, t in ranking["total"].items()} == ref.totals


# --- flag-heavy input --------------------------------------------------------------------

NOISY = Workload("tiny-noisy", units=7, leaves=5, groups=2, assessments=2, seed=11, noisy=True,
                 issues_shown=4)


def test_noisy_workload_flags_most_cells_and_still_ranks_exactly(tmp_path):
    data = generate(NOISY)
    path = write_workbook(data, tmp_path / "noisy.xlsx")
    result = recalculate(read_book(path))
    own, ver = data.scores[C.SELF_SHEET.vi], data.scores[C.VERIFIED_SHEET.vi]
    limit = data.max_h[:, None] * 20 // 100  # the default gap threshold, 20 % of the maximum
    expected = int(((own >= 0) & (ver >= 0) & (abs(own - ver) > limit)).sum())
    gaps = [i for i in result.issues if i.code == "self_verified_gap"]
    assert len(gaps) == expected > NOISY.units * NOISY.leaves // 3
    ref = reference(data)
    assert {u: int(r) for u, r in result.ranking["rank"].items()} == ref.ranks
    assert {u: t for u, t in result.ranking["total"].items()} == ref.totals


def test_flag_heavy_issues_sheet_is_bounded_and_the_full_list_is_beside_it(tmp_path):
    import csv

    from emutools.headless import rank_file

    path = write_workbook(generate(NOISY), tmp_path / "Cụm nhiễu.xlsx")
    result, _ = rank_file(path, backup=False)
    ordered = result.ordered_issues
    rest = [i for i in ordered if i.severity != "error"]
    assert len(rest) > NOISY.issues_shown
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(C.ISSUES_SHEET.vi).to_python()
    body = [r for r in sheet[4:] if any(v != "" for v in r)]
    n_err = len(result.errors)
    listed, grouped = body[:n_err + NOISY.issues_shown], body[n_err + NOISY.issues_shown:]
    assert [(r[1], r[2], r[7]) for r in listed] == [(i.sheet, i.cell, i.code) for i in ordered[:len(listed)]]
    # past the limit: one row per sheet, check and unit, counting its cells, keyed by the first
    tail = rest[NOISY.issues_shown:]
    firsts: dict[tuple[str, str, str], list] = {}
    for i in tail:
        firsts.setdefault((i.sheet, i.code, i.unit), [i, 0])[1] += 1
    assert [(r[1], r[2], r[3], r[8]) for r in grouped] == [
        (i.sheet, i.cell, i.unit, f"{i.sheet}!{i.cell}") for i, _ in firsts.values()]
    assert [r[5] for r in grouped] == [f"{n} ô tương tự của đơn vị này, ô đầu tiên: {i.message('vi')}"
                                       for i, n in firsts.values()]
    assert "Kiểm tra đầy đủ.csv" in sheet[1][0] and f"{NOISY.issues_shown} trong {len(rest)}" in sheet[1][0]
    full = tmp_path / "Cụm nhiễu - Kiểm tra đầy đủ.csv"
    raw = full.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese text as UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [c.vi for c in C.ISSUES_TABLE.columns]
    assert [(r[1], r[2], r[3], r[7], r[5], r[6]) for r in rows[1:]] == [
        (i.sheet, i.cell, i.unit, i.code, i.message("vi"), i.message("en")) for i in ordered]
