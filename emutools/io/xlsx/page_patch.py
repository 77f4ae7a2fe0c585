"""An existing input sheet printed one page wide below 8 pt, switched to the printing rule.

The Settings, Units and Criteria sheets belong to the secretary, so their parts are never
regenerated.  A workbook made before the rule (:mod:`emutools.io.printing`) prints them
fit to one page wide whatever their width: the Settings sheet's awards table comes out at
about 23 % (2.5 pt).  When a sheet still prints so and the rule says its columns are too
wide for that, only its ``<pageSetUpPr>`` and ``<pageSetup>`` change: 75 %, over then
down.  A sheet printed otherwise (a scale of the secretary's, or legible on one page) is
left as it is, so a second run changes nothing.
"""

from __future__ import annotations

from lxml import etree

from emutools.core.model import row_col
from emutools.io.printing import PAGE_ORDER, page_print
from emutools.io.xlsx.xmltext import qname

EXCEL_DEFAULT_WIDTH = 8.43  # characters, where neither <col> nor <sheetFormatPr> sets one
EXCEL_DEFAULT_MARGIN_IN = 0.7


def follow_print_rule(root: etree._Element) -> bool:
    """Switch the worksheet ``root`` to 75 % across pages when it prints fit to one page
    wide below 8 pt; whether it changed."""
    props = root.find(f"{qname('sheetPr')}/{qname('pageSetUpPr')}")
    setup = root.find(qname("pageSetup"))
    if props is None or props.get("fitToPage") not in ("1", "true") or setup is None \
            or setup.get("fitToWidth", "1") != "1":
        return False
    margins = root.find(qname("pageMargins"))
    side = float(margins.get("left", EXCEL_DEFAULT_MARGIN_IN)) if margins is not None else EXCEL_DEFAULT_MARGIN_IN
    page = page_print(_printed_widths(root), side)
    if page.fits_width:
        return False
    props.set("fitToPage", "0")
    setup.set("scale", str(page.scale))
    setup.set("pageOrder", PAGE_ORDER)
    return True


def _printed_widths(root: etree._Element) -> list[float]:
    """The widths of the visible columns from A to the last of the sheet's used range."""
    dimension = root.find(qname("dimension"))
    _, last = row_col((dimension.get("ref", "A1") if dimension is not None else "A1").split(":")[-1])
    fmt = root.find(qname("sheetFormatPr"))
    default = float(fmt.get("defaultColWidth", EXCEL_DEFAULT_WIDTH)) if fmt is not None else EXCEL_DEFAULT_WIDTH
    widths: dict[int, float | None] = {}  # None: hidden
    for col in root.iterfind(f"{qname('cols')}/{qname('col')}"):
        hidden = col.get("hidden") in ("1", "true")
        width = float(col.get("width", default))
        for k in range(int(col.get("min", "1")), min(int(col.get("max", "1")), last) + 1):
            widths[k] = None if hidden else width
    found = (widths.get(k, default) for k in range(1, last + 1))
    return [w for w in found if w is not None]
