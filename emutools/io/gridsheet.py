"""What the layout asks a renderer to write: one input grid sheet, as plain data.

An input grid (Tự chấm, Thẩm định, cross-score sheets, Minh chứng, Bỏ phiếu) holds what
people type, so unlike an :class:`~emutools.io.sheetdata.OutputSheet` it carries the
aids the template gives its inputs: styled cells, data validation, the flag highlight,
frozen panes, print titles and (on the ballot) an Excel table.  Built by
:mod:`emutools.io.grids`, written by the package writer (headless) or by Excel.
"""

from __future__ import annotations

from dataclasses import dataclass

# A cell's look: (look name, number format).  The look names are the renderers' shared
# vocabulary: title, help, names, header, info, heading, input, text_input, outside.
CellStyle = tuple[str, str]


@dataclass(frozen=True)
class GridRow:
    number: int  # 1-based sheet row
    cells: tuple[tuple[int, object, CellStyle], ...]  # (1-based column, value, style)
    height: float | None = None  # points; None = Excel's default


@dataclass(frozen=True)
class DataRule:
    """A data validation: Excel warns (the engine, not Excel, decides what is wrong)."""

    ranges: tuple[str, ...]  # A1 ranges, in sheet order
    kind: str  # decimal | list
    message: str
    operator: str | None = None  # between | greaterThanOrEqual (decimal rules)
    minimum: str = "0"  # decimal rules: formula1
    maximum: str | None = None  # between: formula2, e.g. "$C6" (relative to the first range)
    choices: tuple[str, ...] = ()  # list rules


@dataclass(frozen=True)
class GridTable:
    """An Excel table over the header row (row 4) and the data rows below it."""

    name: str
    ref: str  # e.g. "A4:J6"
    header: tuple[str, ...]


@dataclass(frozen=True)
class GridSheet:
    name: str
    rows: tuple[GridRow, ...]  # in row order
    widths: tuple[float, ...]  # from column A
    rules: tuple[DataRule, ...]
    highlight: tuple[str, ...]  # ranges turned red while their key is on the Issues sheet
    freeze: str  # top-left unfrozen cell, e.g. "D5"
    print_rows: tuple[int, int]  # repeated at the top of each printed page
    print_cols: tuple[str, str] | None = None  # repeated at the left, e.g. ("A", "C")
    table: GridTable | None = None

    @property
    def last_row(self) -> int:
        return max(r.number for r in self.rows)

    @property
    def last_col(self) -> int:
        return max(len(self.widths), *(c[0] for r in self.rows for c in r.cells))
