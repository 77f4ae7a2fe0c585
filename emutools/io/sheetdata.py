"""What the writer is asked to write: one emutools-owned output sheet, as plain data.

Built by :mod:`emutools.io.results` from the core's result tables and laid out by a
:class:`SheetRenderer` — the package writer (:mod:`emutools.io.xlsx`, headless) or Excel
itself (:mod:`emutools.excel`); the renderers know nothing about scoring.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emutools.io.gridsheet import GridSheet


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
    axis_max: float | None = None  # the value axis ends here (the criteria's maximum total)


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
    secondary: frozenset[int] = frozenset()  # columns kept for reference: smaller, grey text
    hidden: bool = False  # kept out of sight: very hidden in the file, hidden in Excel
    optional: bool = False  # left out of a workbook whose locked structure cannot take it

    HEADER_ROW = 4  # 1-based sheet row of the table header
    FIRST_DATA_ROW = HEADER_ROW + 1

    @property
    def last_row(self) -> int:
        """The table's last sheet row: an empty table keeps one blank row, to stay a table."""
        return self.HEADER_ROW + max(1, len(self.rows))


def quote_sheet(name: str) -> str:
    """A sheet name as a formula or link reference: 'Tự chấm' with quotes doubled."""
    return "'" + name.replace("'", "''") + "'"


class SheetRenderer(ABC):
    """One engine that lays out output sheets: one interface, an implementation per engine
    (as xlwings keeps one per Excel engine).  The package writer
    (:class:`emutools.io.xlsx.PackageRenderer`) writes the file headless; Excel
    (:class:`emutools.excel.ExcelRenderer`) writes into the open book.  Both lay out the same
    :class:`OutputSheet`: title, subtitle, header at ``HEADER_ROW``, data, links, table, charts.
    """

    @abstractmethod
    def render(self, sheet: OutputSheet | GridSheet) -> None:
        """Lay out ``sheet``, replacing a same-named sheet (names compared case-insensitively).

        A :class:`~emutools.io.gridsheet.GridSheet` is an input grid laid out by
        ``emutools layout``: cells with their looks, validation, highlight, panes, table."""

    @abstractmethod
    def finish(self) -> None:
        """Make the rendered sheets final: a file engine writes the file here, once."""

    def render_all(self, sheets: Iterable[OutputSheet | GridSheet]) -> None:
        for sheet in sheets:
            self.render(sheet)
        self.finish()
