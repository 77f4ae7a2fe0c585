"""What changed in the inputs since the previous recalculation.

Each recalculation keeps a :class:`Snapshot` of every input cell the model reads (the
Settings, Units and Criteria tables, the ballot and last period's totals, the score grids,
Minh chứng and the unit targets) and compares it with the one the previous recalculation
kept.  Cells are keyed by what they mean, not where they sit: a grid cell by (sheet,
criterion code, unit code), a table cell by (table, row key, column), so rows moved by
``emutools layout`` or a table sorted by hand are not changes; a value that moved with its
row is the same value.

Values are kept as floats (blank and text as NaN) plus the few cells that are not numbers,
so a nation-wide snapshot (3.6 million score cells) is compared with array operations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from emutools.core.history import INPUT_TABLES
from emutools.core.inputs import text
from emutools.core.model import Grid, RawBook, RawTable, column_letter
from emutools.core.numbers import as_floats

GRID, TABLE = "grid", "table"
# What names a table's row: the columns read together as its key.
ROW_KEYS = {"settings": ("label",), "assessments": ("sheet",), "bands": ("band",), "awards": ("code",),
            "units": ("code",), "criteria": ("code",), "ballot": ("unit", "award"), "previous": ("unit",)}
UNIT_FIELDS = {"units": "code", "ballot": "unit", "previous": "unit"}  # the unit a row is about
UNREAD = {"settings": ("note",)}  # the template's help beside each setting: not an input
CRITERION_FIELDS = {"criteria": "code"}

Value = float | str | bool | dt.datetime | None
BLOCK = 65_536  # changed cells listed a block at a time: memory stays flat however many changed


@dataclass(frozen=True)
class InputPart:
    """One input table or grid, its cells keyed by row and column keys.

    A grid's rows are criterion codes and its columns unit codes; a table's rows are their
    key (unit code, criterion code, setting label…) and its columns the table's fields
    (``@header`` for a column the contract does not name).  ``numbers`` holds every cell as
    a float (NaN when blank or not a number); ``others`` the cells that are not numbers, by
    flat position (text, booleans, dates), so a blank is a NaN absent from ``others``.
    """

    key: str  # "grid:<sheet>", "evidence", "targets" or "table:<table key>"
    sheet: str
    kind: str  # GRID | TABLE
    rows: list[str]
    cols: list[str]
    row_at: list[int]  # sheet row of each row key
    col_at: list[int]  # sheet column of each column key
    numbers: np.ndarray  # float64, (len(rows), len(cols))
    others: dict[int, Value] = field(default_factory=dict)
    row_units: list[str] = field(default_factory=list)  # tables: the unit of each row ("" for none)
    row_criteria: list[str] = field(default_factory=list)  # tables: the criterion of each row

    def value(self, flat: int) -> Value:
        if flat in self.others:
            return self.others[flat]
        number = float(self.numbers.flat[flat])
        return None if number != number else number

    def unit(self, r: int, c: int) -> str:
        if self.kind == GRID:
            return self.cols[c]
        return self.row_units[r] if self.row_units else ""

    def criterion(self, r: int) -> str:
        if self.kind == GRID:
            return self.rows[r]
        return self.row_criteria[r] if self.row_criteria else ""


@dataclass(frozen=True)
class Snapshot:
    """Every input cell of one recalculation, and when it ran."""

    when: dt.datetime
    parts: dict[str, InputPart]


@dataclass(frozen=True)
class Change:
    """One input cell whose value differs from the previous recalculation's.

    ``cell`` is where it is now, or where it was when its row or column has gone
    (``present`` False: nothing to link to)."""

    sheet: str
    cell: str
    unit: str
    criterion: str
    part: str  # InputPart.key
    row: str  # row key
    column: str  # column key (a unit code in a grid, a field in a table)
    old: Value
    new: Value
    present: bool


def snapshot(raw: RawBook, when: dt.datetime) -> Snapshot:
    """The input cells of ``raw``, keyed by meaning (see the module docstring)."""
    parts = [_table_part(key, raw.tables[key]) for key in INPUT_TABLES if key in raw.tables]
    grids = [(f"grid:{name}", grid) for name, grid in raw.grids.items()]
    grids += [(key, grid) for key, grid in (("evidence", raw.evidence), ("targets", raw.targets)) if grid is not None]
    parts += [_grid_part(key, grid) for key, grid in grids]
    return Snapshot(when.replace(microsecond=0), {p.key: p for p in parts})


def _grid_part(key: str, grid: Grid) -> InputPart:
    """A grid's cells as :func:`plain_values` gives them, from the numbers the grid was read
    as (its ``numbers`` and ``other`` cells): its values are not made again."""
    width = grid.numbers.shape[1]
    numbers, others = grid.numbers, {int(k): _plain(grid.cell(*divmod(int(k), width)))
                                     for k in np.flatnonzero(grid.other)}
    return InputPart(key, grid.sheet, GRID, _unique(list(grid.criteria["criterion"])),
                     _unique(list(grid.units["unit"])), [int(r) for r in grid.criteria["row"]],
                     [int(c) for c in grid.units["col"]], numbers, others)


def _table_part(key: str, table: RawTable) -> InputPart:
    data = table.data
    fields = [f for f in data.columns if f != "row" and f not in UNREAD.get(key, ())]
    where = {**table.columns, **{f"@{h}": c for h, c in table.extra.items()}}
    rows = list(data["row"])
    named_by = [[text(v) for v in data[f]] for f in ROW_KEYS[key] if f in data.columns]
    keys = [" · ".join(parts) or f"#{row}" for *parts, row in zip(*named_by, rows, strict=True)]
    numbers, others = plain_values(data[fields].to_numpy(dtype=object))
    return InputPart(f"table:{key}", table.sheet, TABLE, _unique(keys), fields, [int(r) for r in rows],
                     [int(where[f]) for f in fields], numbers, others,
                     _about(data, UNIT_FIELDS.get(key)), _about(data, CRITERION_FIELDS.get(key)))


def _about(data, field_name: str | None) -> list[str]:
    if field_name is None or field_name not in data.columns:
        return []
    return [text(v) for v in data[field_name]]


def _unique(keys: list[str]) -> list[str]:
    """Keys made unique: a code typed twice (flagged elsewhere) keeps its first row's key and
    its later rows get "code (2)", "code (3)" in sheet order."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key} ({seen[key]})")
    return out


def plain_values(values: np.ndarray) -> tuple[np.ndarray, dict[int, Value]]:
    """A block of raw cells as floats (NaN for blank and non-numbers) and the non-numbers by
    flat position, in the form both readers agree on: a date is a datetime, other values that
    are neither text nor true/false are kept as their text."""
    flat = values.ravel()
    numbers, other = as_floats(flat)
    return numbers.reshape(values.shape), {int(k): _plain(flat[k]) for k in np.flatnonzero(other)}


def _plain(value: object) -> Value:
    if type(value) is str or isinstance(value, (str, bool, dt.datetime)):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return str(value)


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    """Every input cell whose value differs between ``old`` and ``new``: in ``new``'s part
    order, then parts only ``old`` had; within a part row by row.  A cell whose row or column
    was added counts when it holds a value, one whose row or column went when it held one."""
    keys = [*new.parts, *(k for k in old.parts if k not in new.parts)]
    return Comparison([_PartDiff(old.parts.get(key), new.parts.get(key)) for key in keys])


class Comparison:
    """The changed cells, counted at once and listed on demand: a nation-wide paste changes
    millions of cells, of which a sheet shows a few thousand and a file takes the rest one by one."""

    def __init__(self, diffs: list[_PartDiff]):
        self.diffs = [d for d in diffs if len(d.flagged)]

    def __len__(self) -> int:
        return sum(len(d.flagged) for d in self.diffs)

    def __iter__(self) -> Iterator[Change]:
        for diff in self.diffs:
            yield from diff.changes()

    def first(self, count: int) -> list[Change]:
        return list(islice(self, count))


class _PartDiff:
    """One part's cells in both snapshots, laid on the union of their keys, and which differ."""

    def __init__(self, old: InputPart | None, new: InputPart | None):
        self.a, self.b = old or _empty_like(new), new or _empty_like(old)
        self.rows = list(dict.fromkeys([*self.b.rows, *self.a.rows]))
        self.cols = list(dict.fromkeys([*self.b.cols, *self.a.cols]))
        self.old_numbers, self.old_others = _aligned(self.a, self.rows, self.cols)
        self.new_numbers, self.new_others = _aligned(self.b, self.rows, self.cols)
        same = (self.old_numbers == self.new_numbers) | (np.isnan(self.old_numbers) & np.isnan(self.new_numbers))
        flags = ~same.ravel()
        for k in self.old_others.keys() | self.new_others.keys():
            if self.old_others.get(k) != self.new_others.get(k):
                flags[k] = True
        self.flagged = np.flatnonzero(flags)

    def changes(self) -> Iterator[Change]:
        """The changed cells in order, a block at a time (values taken out of the arrays at once)."""
        a, b = self.a, self.b
        b_rows, b_cols = {k: i for i, k in enumerate(b.rows)}, {k: i for i, k in enumerate(b.cols)}
        a_rows, a_cols = {k: i for i, k in enumerate(a.rows)}, {k: i for i, k in enumerate(a.cols)}
        letters = {id(p): [column_letter(c) for c in p.col_at] for p in (a, b)}
        width = len(self.cols)
        old_flat, new_flat = self.old_numbers.ravel(), self.new_numbers.ravel()
        for start in range(0, len(self.flagged), BLOCK):
            block = self.flagged[start:start + BLOCK]
            for k, old, new in zip(block.tolist(), old_flat[block].tolist(), new_flat[block].tolist(), strict=True):
                r, c = divmod(k, width)
                row, col = self.rows[r], self.cols[c]
                present = row in b_rows and col in b_cols
                part, i, j = (b, b_rows[row], b_cols[col]) if present else (a, a_rows[row], a_cols[col])
                yield Change(part.sheet, f"{letters[id(part)][j]}{part.row_at[i]}", part.unit(i, j),
                             part.criterion(i), part.key, row, col,
                             self.old_others.get(k, None if old != old else old),
                             self.new_others.get(k, None if new != new else new), present)


def _empty_like(part: InputPart) -> InputPart:
    return InputPart(part.key, part.sheet, part.kind, [], [], [], [], np.empty((0, 0)))


def _aligned(part: InputPart, rows: list[str], cols: list[str]) -> tuple[np.ndarray, dict[int, Value]]:
    """The part's values laid on the rows × cols of both snapshots (NaN where it has no cell)."""
    if part.rows == rows and part.cols == cols:
        return part.numbers, part.others
    row_pos = {k: i for i, k in enumerate(rows)}
    col_pos = {k: i for i, k in enumerate(cols)}
    r_at = np.array([row_pos[k] for k in part.rows], dtype=np.int64)
    c_at = np.array([col_pos[k] for k in part.cols], dtype=np.int64)
    numbers = np.full((len(rows), len(cols)), np.nan)
    if len(r_at) and len(c_at):
        numbers[np.ix_(r_at, c_at)] = part.numbers
    width = max(1, len(part.cols))
    others = {}
    for k, value in part.others.items():
        r, c = divmod(k, width)
        others[int(r_at[r]) * len(cols) + int(c_at[c])] = value
    return numbers, others
