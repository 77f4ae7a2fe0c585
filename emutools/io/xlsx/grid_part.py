"""The worksheet part of an input grid (:class:`~emutools.io.gridsheet.GridSheet`).

Like an output sheet's part (:mod:`.sheet_part`) it is built as text with inline strings,
but every cell carries its own look, and the part holds what the template puts on its
inputs: frozen panes, column widths, row heights, validation and the flag highlight
(:mod:`.input_rules`), printing on A4 landscape by :mod:`emutools.io.printing`'s rule (one
page wide while legible, else 75 % across pages over then down, its print titles — the
criterion columns and the header rows — set in the workbook part by :mod:`.print_titles`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from emutools.core.model import column_letter, row_col
from emutools.io.gridsheet import GridSheet
from emutools.io.package import NS_MAIN, NS_R
from emutools.io.printing import INPUT_MARGIN_IN, page_print
from emutools.io.xlsx.input_rules import highlight_xml, validations_xml
from emutools.io.xlsx.page_part import fit_to_page, page_setup
from emutools.io.xlsx.styles import GridLooks
from emutools.io.xlsx.values import date_serial, number_text
from emutools.io.xlsx.xmltext import XML_DECLARATION, attr, inline


def grid_xml(s: GridSheet, looks: GridLooks, flag_dxf: int, *, code_name: str | None,
             selected: bool, protection: str = "") -> Iterator[str]:
    """``code_name``, ``selected`` and ``protection`` are kept from the sheet it replaces."""
    last = f"{column_letter(s.last_col)}{s.last_row}"
    code = f' codeName="{attr(code_name)}"' if code_name is not None else ""
    selected_tab = ' tabSelected="1"' if selected else ""
    page = page_print(s.widths, INPUT_MARGIN_IN)
    yield (f'{XML_DECLARATION}<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">'
           f'<sheetPr{code}>{fit_to_page(page)}</sheetPr><dimension ref="A1:{last}"/>'
           f'<sheetViews><sheetView workbookViewId="0"{selected_tab}>{_pane(s.freeze)}</sheetView></sheetViews>'
           '<sheetFormatPr defaultRowHeight="15"/><cols>')
    yield "".join(f'<col min="{i}" max="{i}" width="{float(w):g}" customWidth="1"/>'
                  for i, w in enumerate(s.widths, 1))
    yield "</cols><sheetData>"
    for row in s.rows:
        height = f' ht="{row.height:g}" customHeight="1"' if row.height else ""
        yield f'<row r="{row.number}"{height}>'
        yield "".join(_cell(f"{column_letter(col)}{row.number}", value, style, looks)
                      for col, value, style in row.cells)
        yield "</row>"
    yield "</sheetData>"
    yield protection
    yield highlight_xml(s, flag_dxf)
    yield validations_xml(s.rules)
    yield ('<printOptions horizontalCentered="1"/>'
           f'<pageMargins left="{INPUT_MARGIN_IN}" right="{INPUT_MARGIN_IN}" top="0.75" bottom="0.75" '
           f'header="0.3" footer="0.3"/>{page_setup(page)}'
           # Codes such as "01" are meant as text: no green triangles.
           f'<ignoredErrors><ignoredError sqref="A4:{last}" numberStoredAsText="1"/></ignoredErrors>')
    if s.table is not None:
        yield '<tableParts count="1"><tablePart r:id="rId1"/></tableParts>'
    yield "</worksheet>"


def _pane(freeze: str) -> str:
    """Frozen rows above and columns left of ``freeze`` (e.g. "D5": rows 1–4, columns A–C)."""
    row, col = row_col(freeze)
    x, y = col - 1, row - 1
    pane = "bottomRight" if x and y else "bottomLeft" if y else "topRight"
    split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
    return (f'<pane{split} topLeftCell="{freeze}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/>')


def _cell(ref: str, value: object, style: tuple[str, str], looks: GridLooks) -> str:
    if value is None:
        return f'<c r="{ref}" s="{looks.index(style)}"/>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{looks.index(style)}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{looks.date(style)}"><v>{date_serial(value)}</v></c>'
    if isinstance(value, str):
        return f'<c r="{ref}" s="{looks.index(style)}"{inline(value)}'
    number = number_text(value)
    if number is not None:
        return f'<c r="{ref}" s="{looks.index(style)}"><v>{number}</v></c>'
    return f'<c r="{ref}" s="{looks.index(style)}"{inline(str(value))}'
