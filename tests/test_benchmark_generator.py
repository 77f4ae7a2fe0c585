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
