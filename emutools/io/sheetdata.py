"""What the writer is asked to write: one emutools-owned output sheet, as plain data.

Built by :mod:`emutools.io.results` from the core's result tables and consumed by
:mod:`emutools.io.xlsx_writer` (headless) — the writer knows nothing about scoring.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BarChart:
    """A clustered bar chart of one numeric column against a category column of the table."""

    title: str
    category_col: int  # 0-based column index in ``OutputSheet.header``
    value_col: int  # 0-based column index
    anchor_col: int  # 0-based column where the chart's top-left corner sits
    anchor_row: int  # 0-based row (sheet row index, 0 = row 1)
    width_cols: int = 10
    height_rows: int = 20


@dataclass(frozen=True)
class OutputSheet:
    """A results sheet: a title line, a subtitle line, a blank line, then a table.

    Layout: row 1 title (bold, 14 pt), row 2 subtitle (italic), row 3 blank, row 4 header,
    rows 5.. data.  ``rows`` hold str / int / float / bool / None / datetime.date values;
    strings are always written as text, never as formulas, whatever they start with.
    """

    name: str
    title: str
    subtitle: str
    header: list[str]
    rows: list[list[object]]
    table_name: str
    number_formats: list[str]  # one per column, e.g. "General", "0", "0.00", "@"
    widths: list[float]  # one per column, in Excel character units
    links: list[tuple[int, int, str]] = field(default_factory=list)
    # (data row index 0-based, column index 0-based, internal location like "'Tự chấm'!D7")
    charts: tuple[BarChart, ...] = ()  # below the table, one under the other
    tab_color: str = "1F4E79"  # RGB hex, output sheets share one colour

    HEADER_ROW = 4  # 1-based sheet row of the table header
