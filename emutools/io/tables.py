"""From sheets of raw values (2-D lists, as any reader gives them) to the core's RawBook.

Pure: no file access, so the headless reader (python-calamine) and the Excel layer
(xlwings ranges) share it.  Tables are found by their header row, not by a fixed
position, so a secretary may insert rows above a table or reorder its columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from emutools import contract as C
from emutools.core.inputs import text
from emutools.core.issues import Issue, issue
from emutools.core.model import Grid, RawBook, RawTable
from emutools.core.numbers import as_cells

Values = Sequence[Sequence[object]]
HEADER_SEARCH_ROWS = 40  # score grids: the header row must be among the first rows
# tables whose other headers carry data: member unit codes (ballot), unit attributes (units)
EXTRA_COLUMNS = {"ballot", "units"}


KEEP_VALUES_FROM = 1 / 8  # a grid with more cells than this a float cannot stand for keeps them all


@dataclass(frozen=True)
class Cells:
    """A sheet's values converted once: ``values`` an object matrix (rows padded to one
    width; blank cells, "" included, as None), ``numbers``, ``other`` and ``kept`` the same
    cells as numbers (see :class:`~emutools.core.model.Grid`).  Grids are cut out of these
    matrices, so no cell is converted twice."""

    values: np.ndarray
    numbers: np.ndarray
    other: np.ndarray
    kept: np.ndarray


def sheet_cells(rows: Values | Cells) -> Cells:
    """A sheet's rows (2-D lists, as any reader gives them) converted once; python-calamine
    and Excel give rectangles, other callers may drop trailing blanks."""
    if isinstance(rows, Cells):
        return rows
    width = max(map(len, rows), default=0)
    values = np.empty((len(rows), width), dtype=object)  # None-filled
    if rows and all(len(row) == width for row in rows):
        values[:] = rows
    else:
        for r, row in enumerate(rows):
            values[r, :len(row)] = list(row)
    flat = values.reshape(-1)
    numbers, other, kept = as_cells(flat)
    empty = np.flatnonzero(other)
    empty = empty[flat[empty] == ""]
    flat[empty], other[empty], kept[empty] = None, False, False
    return Cells(values, *(a.reshape(values.shape) for a in (numbers, other, kept)))


def find_table(values: Values | Cells, spec: C.TableSpec, sheet: str,
               issues: list[Issue]) -> RawTable | None:
    """The first row holding every required header starts the table; it ends at a blank row."""
    values = sheet_cells(values).values
    required = [c for c in spec.columns if c.required]
    for r, row in enumerate(values):
        headers = {C.normalize(v): k for k, v in enumerate(row) if v is not None and text(v)}
        if not all(headers.keys() & c.header_keys() for c in required):
            continue
        columns = {}
        for col in spec.columns:
            match = headers.keys() & col.header_keys()
            if match:
                columns[col.field] = headers[match.pop()] + 1
        extra = {text(row[k]): k + 1 for k in sorted(headers.values())
                 if k + 1 not in columns.values()} if spec.key in EXTRA_COLUMNS else {}
        data = _records(values, r + 1, {**columns, **{f"@{h}": c for h, c in extra.items()}})
        return RawTable(sheet, r + 1, columns, data, extra)
    names = ", ".join(f"“{c.vi}” ({c.en})" for c in required)
    issues.append(issue("table_missing", sheet, "", table=spec.excel_name, columns=names))
    return None


def _records(values: np.ndarray, header_row: int, columns: dict[str, int]) -> pd.DataFrame:
    """The table's rows down to the first blank one, as one object block (a ballot sheet
    may carry a member column per unit: thousands of columns)."""
    fields, positions = list(columns), [c - 1 for c in columns.values()]
    rows = []
    for r in range(header_row, len(values)):
        line = values[r]
        record = [_cell(line, k) for k in positions]
        if all(v is None or text(v) == "" for v in record):
            break
        rows.append([*record, r + 1])
    block = np.empty((len(rows), len(fields) + 1), dtype=object)
    if rows:
        block[:] = rows
    return pd.DataFrame(block, columns=[*fields, "row"], dtype=object)


def _cell(line: Sequence[object], k: int) -> object:
    value = line[k] if k < len(line) else None
    return None if value == "" else value


def find_grid(values: Values | Cells, sheet: str, issues: list[Issue]) -> Grid | None:
    """A criteria × units sheet: the header row starts with the criterion-code header;
    every later column with a header holds one unit, headed by its code."""
    cells = sheet_cells(values)
    code_keys = C.GRID_CODE.header_keys()
    lead_keys = code_keys | C.GRID_NAME.header_keys() | C.GRID_MAX.header_keys()
    for r, row in enumerate(cells.values[:HEADER_SEARCH_ROWS]):
        keys = [C.normalize(v) if v is not None else "" for v in row]
        code_col = next((k for k, key in enumerate(keys) if key in code_keys), None)
        if code_col is None:
            continue
        lead = max(k for k, key in enumerate(keys) if key in lead_keys)
        unit_cols = [k for k in range(lead + 1, len(row)) if text(row[k])]
        return _grid(cells, sheet, r + 1, code_col, unit_cols)
    issues.append(issue("table_missing", sheet, "", table=sheet, columns=f"“{C.GRID_CODE.vi}”"))
    return None


def _grid(cells: Cells, sheet: str, header_row: int, code_col: int,
          unit_cols: list[int]) -> Grid:
    values = cells.values
    header = values[header_row - 1]
    units = pd.DataFrame({"unit": pd.Series([text(header[k]) for k in unit_cols], dtype=object),
                          "col": pd.Series([k + 1 for k in unit_cols], dtype=np.int64)})
    codes, rows = [], []
    for r in range(header_row, len(values)):
        line = values[r]
        code = text(line[code_col]) if code_col < len(line) else ""
        if code:
            codes.append(code)
            rows.append(r + 1)
    criteria = pd.DataFrame({"criterion": pd.Series(codes, dtype=object),
                             "row": pd.Series(rows, dtype=np.int64)})
    at_rows, at_cols = _positions([r - 1 for r in rows]), _positions(unit_cols)
    block, numbers = values[at_rows][:, at_cols], cells.numbers[at_rows][:, at_cols]
    kept = np.flatnonzero(cells.kept[at_rows][:, at_cols])
    if len(kept) > KEEP_VALUES_FROM * block.size:  # mostly text (evidence): kept as it is
        return Grid(sheet, header_row, units, criteria, block, code_col + 1, numbers,
                    cells.other[at_rows][:, at_cols])
    return Grid(sheet, header_row, units, criteria, None, code_col + 1, np.ascontiguousarray(numbers),
                cells.other[at_rows][:, at_cols], (kept, block[np.unravel_index(kept, block.shape)]))


def _positions(indices: list[int]) -> slice | np.ndarray:
    """Rows or columns to cut out of a sheet: a run of neighbours (the usual grid) as a slice,
    which takes a view instead of copying a million cells."""
    if indices and indices == list(range(indices[0], indices[-1] + 1)):
        return slice(indices[0], indices[-1] + 1)
    return np.array(indices, dtype=np.int64)


def never_read(sheet_names: list[str]) -> set[str]:
    """The sheets :func:`build_raw_book` never asks for: the result sheets emutools rewrites
    (its History is read: the rows already there are kept)."""
    return {name for spec in (C.RANKING_SHEET, C.ISSUES_SHEET, C.FAIRNESS_SHEET)
            if (name := C.find_sheet(sheet_names, spec))}


def build_raw_book(sheet_names: list[str], values_of: Callable[[str], Values]) -> RawBook:
    """Find every contract table and grid; what is missing becomes a flag, not an exception.
    ``values_of(name)`` gives a sheet's rows; each is converted once (:func:`sheet_cells`)."""
    problems: list[Issue] = []
    lang = C.detect_language(sheet_names)
    tables: dict[str, RawTable] = {}
    titles: dict[str, object] = {}
    guide = C.find_sheet(sheet_names, C.GUIDE)
    if guide is not None:
        titles[guide] = _first_cell(values_of(guide))
    for spec in C.INPUT_SHEETS:
        name = C.find_sheet(sheet_names, spec)
        if name is None:
            problems.append(issue("sheet_missing", spec.name(lang)))
            continue
        rows = values_of(name)
        titles[name] = _first_cell(rows)
        values = sheet_cells(rows)
        for table_spec in spec.tables:
            table = find_table(values, table_spec, name, problems)
            if table is not None:
                tables[table_spec.key] = table
    grids = {}
    assessments = tables.get("assessments")
    listed = [text(s) for s in assessments.data["sheet"]] if assessments is not None else []
    found = {name: actual for name in dict.fromkeys(s for s in listed if s)
             if (actual := next((n for n in sheet_names if C.normalize(n) == C.normalize(name)), None))}
    evidence_name = C.find_sheet(sheet_names, C.EVIDENCE_SHEET)
    for name, actual in found.items():  # a listed sheet that is absent is flagged by the core
        grid = find_grid(values_of(actual), actual, problems)
        if grid is not None:
            grids[name] = grid
    for spec in (C.BALLOT_SHEET, C.PREVIOUS_SHEET, C.HISTORY_SHEET, C.REMOVED_SHEET,
                 C.PROGRESS_SHEET, C.SNAPSHOT_SHEET):  # optional
        name = C.find_sheet(sheet_names, spec)
        if name is not None:
            table = find_table(values_of(name), spec.tables[0], name, problems)
            if table is not None:
                tables[spec.tables[0].key] = table
    evidence = find_grid(values_of(evidence_name), evidence_name, problems) if evidence_name else None
    targets_name = C.find_sheet(sheet_names, C.TARGETS_SHEET)  # optional: each unit's own plan
    targets = find_grid(values_of(targets_name), targets_name, problems) if targets_name else None
    return RawBook(lang, list(sheet_names), tables, grids, evidence, problems, targets, titles)


def _first_cell(values: Values) -> object:
    """A1: the sheet's title row, kept in step with the settings (:mod:`emutools.io.titles`)."""
    return values[0][0] if values and len(values[0]) else None
