"""How a sheet prints: the one rule every writer applies (package writer, Excel, template).

Every sheet prints on A4 landscape.  A sheet that fits one page width with its 11-pt text
still at 8 pt or more prints so (fit to one page wide, as tall as it needs); a wider one —
a 30-unit grid, the Settings sheet's awards table, the 16-column Ranking — prints at 75 %
(11 pt as 8.25 pt) across pages, rather than shrunk to unreadable type, with its lead
columns and header rows repeated on every page (print titles, set by each sheet's writer).

Pages of a wide sheet run **over, then down**: the pages across come first, so pages 1–3
of a 30-unit grid are the first block of criteria for every unit, laid side by side as one
strip, and a criterion's row is read on consecutive pages, as a meeting compares units on
a criterion.  Excel's default (down, then over) would print every criterion for the first
dozen units before any other unit appears.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

A4_LONG_SIDE_IN = 11.69
LEGIBLE_SCALE = 8 / 11  # the body text is 11 pt and must print at 8 pt or more
SMALLEST_SCALE = 75  # percent: 11 pt printed as 8.25 pt
PAGE_ORDER = "overThenDown"  # the spreadsheetML name; Excel's XlOrder xlOverThenDown = 2
INPUT_MARGIN_IN = 0.4  # left and right margins of the input sheets and grids
OUTPUT_MARGIN_IN = 0.5  # of the result sheets


@dataclass(frozen=True)
class PagePrint:
    """``scale`` None: fit to one page wide; else that percent across pages, over then down."""

    scale: int | None

    @property
    def fits_width(self) -> bool:
        return self.scale is None


def width_pt(widths: Iterable[float]) -> float:
    """Printed width at 100 %: a column of width w (characters) is about 7 w + 5 pixels,
    0.75 pt each."""
    return sum((7 * float(w) + 5) * 0.75 for w in widths)


def page_print(widths: Iterable[float], side_margin_in: float) -> PagePrint:
    """The rule, for a sheet whose printed columns have ``widths`` and whose left and right
    margins are ``side_margin_in`` inches each."""
    printable = (A4_LONG_SIDE_IN - 2 * side_margin_in) * 72
    legible = printable / max(width_pt(widths), 1) >= LEGIBLE_SCALE
    return PagePrint(None if legible else SMALLEST_SCALE)
