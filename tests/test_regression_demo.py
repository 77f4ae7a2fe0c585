"""A workbook made by an earlier version still opens and ranks exactly the same.

``tests/data/demo-2025-v1.xlsx`` is the ``emutools demo`` workbook as the version before the
scoring rules of issue 14 wrote it (after ranking), and ``demo-2025-v1.json`` the Ranking
rows and the flags (severity, sheet, cell, unit, criterion, code) that version computed
from it.  Every new rule defaults to the old behaviour, so both must come out unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

from emutools.core.engine import recalculate
from emutools.io.reader import read_book
from emutools.io.results import ranking_sheet

DATA = Path(__file__).parent / "data"


def test_demo_workbook_of_the_previous_version_ranks_the_same():
    expected = json.loads((DATA / "demo-2025-v1.json").read_text(encoding="utf-8"))
    result = recalculate(read_book(DATA / "demo-2025-v1.xlsx"))
    sheet = ranking_sheet(result, "vi")
    assert sheet.header == expected["ranking_header"]
    assert [list(r) for r in sheet.rows] == expected["ranking"]
    flags = [[r.severity, r.sheet, r.cell, r.unit, r.criterion, r.code]
             for r in result.issue_table.itertuples(index=False)]
    assert flags == expected["issues"]
