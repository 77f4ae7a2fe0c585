"""The worksheet part of an output sheet: title, subtitle, header, data rows, links.

Built as text, since it is the large part (up to 50,000 rows × 9 cells): strings are
inline strings (never formulas, ``sharedStrings.xml`` untouched), numbers exact, dates as
serials with a date style.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterator

from emutools.core.model import column_letter
from emutools.io.package import NS_MAIN, NS_R
from emutools.io.printing import OUTPUT_MARGIN_IN, page_print
from emutools.io.sheetdata import OutputSheet
from emutools.io.xlsx.page_part import fit_to_page, page_setup
from emutools.io.xlsx.styles import TITLE_SIZE, SheetLooks, row_height
from emutools.io.xlsx.values import date_serial, display_text, number_text
from emutools.io.xlsx.xmltext import XML_DECLARATION, attr, inline


def sheet_xml(s: OutputSheet, header: list[str], looks: SheetLooks, *, has_drawing: bool,
              code_name: str | None, selected: bool, protection: str = "",
              date1904: bool = False) -> Iterator[str]:
    """The worksheet part, as chunks of text built by joining strings (no per-cell objects).

    ``code_name``, ``selected`` and ``protection`` (the ``<sheetProtection>`` element, as
    text) are kept from the sheet it replaces (its VBA module, its tab, the user's lock on
    it); dates are serials in the workbook's date system (``date1904``).
    """
    n = len(header)
    last_col = column_letter(n)
    first, last_row = OutputSheet.FIRST_DATA_ROW, s.last_row
    code = f' codeName="{attr(code_name)}"' if code_name is not None else ""
    selected_tab = ' tabSelected="1"' if selected else ""
    page = page_print(s.widths, OUTPUT_MARGIN_IN)
    yield (f'{XML_DECLARATION}<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">'
           f'<sheetPr{code}><tabColor rgb="FF{attr(s.tab_color)}"/>'
           f'{fit_to_page(page)}</sheetPr>'
           f'<dimension ref="A1:{last_col}{last_row}"/>'
           f'<sheetViews><sheetView workbookViewId="0"{selected_tab}>'
           f'<pane ySplit="{OutputSheet.HEADER_ROW}" topLeftCell="A{first}" '
           f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
           f'activeCell="A{first}" sqref="A{first}"/></sheetView></sheetViews>'
           '<sheetFormatPr defaultRowHeight="15"/><cols>')
    yield "".join(f'<col min="{i}" max="{i}" width="{float(w):g}" customWidth="1"/>'
                  for i, w in enumerate(s.widths, 1))
    yield (f'</cols><sheetData><row r="1" ht="{row_height(TITLE_SIZE):g}" customHeight="1">'
           f'<c r="A1" s="{looks.title}"{inline(s.title)}</row>'
           f'<row r="2"><c r="A2" s="{looks.subtitle}"{inline(s.subtitle)}</row>'
           f'<row r="{OutputSheet.HEADER_ROW}" ht="{_header_height(header, s.widths, looks):g}" '
           'customHeight="1">')
    yield "".join(f'<c r="{column_letter(i + 1)}{OutputSheet.HEADER_ROW}" s="{looks.header}"'
                  f'{inline(h)}' for i, h in enumerate(header))
    yield "</row>"
    yield from _data_rows(s, looks, date1904)
    yield "</sheetData>"
    yield protection
    if s.links:
        yield _hyperlinks_xml(s)
    yield (f'<pageMargins left="{OUTPUT_MARGIN_IN}" right="{OUTPUT_MARGIN_IN}" top="0.75" bottom="0.75" '
           f'header="0.3" footer="0.3"/>{page_setup(page)}{chart_breaks(s)}'
           # Codes such as "01" in text columns are meant as text: no green triangles.
           f'<ignoredErrors><ignoredError sqref="A{first}:{last_col}{last_row}" '
           'numberStoredAsText="1"/></ignoredErrors>')
    if has_drawing:
        yield '<drawing r:id="rId2"/>'
    yield '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'


def chart_breaks(s: OutputSheet) -> str:
    """A page break above each chart, so a chart never splits across pages or prints under
    the repeated header of the table above it."""
    if not s.charts:
        return ""
    rows = sorted({chart.anchor_row for chart in s.charts})
    breaks = "".join(f'<brk id="{row}" max="16383" man="1"/>' for row in rows)
    return f'<rowBreaks count="{len(rows)}" manualBreakCount="{len(rows)}">{breaks}</rowBreaks>'


def _header_height(header: list[str], widths: list[float], looks: SheetLooks) -> float:
    """Excel and LibreOffice do not grow a wrapped row on opening; size it for its lines."""
    lines = max(_wrapped_lines(h, w) for h, w in zip(header, widths, strict=True))
    return round(looks.line_height * (lines + 0.2) / 0.75) * 0.75  # whole pixels


def _wrapped_lines(text: str, width: float) -> int:
    """Lines of greedy word wrap, bold text taking about 1.15 character units a letter."""
    capacity = max(1, int(width / 1.15))
    words = [w[i:i + capacity] for w in text.split() for i in range(0, len(w), capacity)]
    lines, used = 1, -1  # -1: the line is empty, no space before the next word
    for word in words:
        if used >= 0 and used + 1 + len(word) > capacity:
            lines, used = lines + 1, -1
        used += 1 + len(word)
    return lines


def _data_rows(s: OutputSheet, looks: SheetLooks, date1904: bool) -> Iterator[str]:
    """Data rows from row 5; an empty table still gets one (blank) row to stay valid.

    The hot loop of the module (up to 50,000 × 9 cells): plain strings and numbers are
    handled inline, with the text of each distinct string built once.
    """
    n = len(s.header)
    starts = [f'<c r="{column_letter(c + 1)}' for c in range(n)]
    plain = [f'" s="{style}"' for style in looks.cells]
    link_rows = _link_rows(s, looks, plain)
    texts: dict[str, str] = {}
    first = OutputSheet.FIRST_DATA_ROW
    for i, row in enumerate(s.rows or [[]]):
        r = str(i + first)
        styles = link_rows.get(i, plain)
        cells = [f'<row r="{r}">']
        for c, v in enumerate(row):
            kind = type(v)
            if kind is str:
                text = texts.get(v)
                if text is None:
                    text = texts[v] = inline(v)
                cells.append(f"{starts[c]}{r}{styles[c]}{text}")
            elif v is None:
                cells.append(f"{starts[c]}{r}{styles[c]}/>")
            elif (kind is int or kind is float) and v - v == 0:  # finite
                cells.append(f"{starts[c]}{r}{styles[c]}><v>{v!r}</v></c>")
            else:
                cells.append(f"{starts[c]}{r}{_value_cell(v, styles[c], looks, c, date1904)}")
        cells.extend(f"{starts[c]}{r}{styles[c]}/>" for c in range(len(row), n))
        cells.append("</row>")
        yield "".join(cells)


def _link_rows(s: OutputSheet, looks: SheetLooks, plain: list[str]) -> dict[int, list[str]]:
    """Per linked row, its cells' style attributes; rows linked alike share one list."""
    columns: dict[int, set[int]] = {}
    for i, c, _ in s.links:
        columns.setdefault(i, set()).add(c)
    shared: dict[frozenset[int], list[str]] = {}
    rows = {}
    for i, cols in columns.items():
        key = frozenset(cols)
        if key not in shared:
            shared[key] = [f'" s="{looks.link(c)}"' if c in key else style
                           for c, style in enumerate(plain)]
        rows[i] = shared[key]
    return rows


def _value_cell(v: object, style: str, looks: SheetLooks, col: int, date1904: bool) -> str:
    """The rest of any other cell, from its style attribute on."""
    if isinstance(v, bool):
        return f'{style} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, dt.date):
        return f'" s="{looks.date(col, isinstance(v, dt.datetime))}"><v>{date_serial(v, date1904)}</v></c>'
    if isinstance(v, str):
        return style + inline(v)
    number = number_text(v)
    if number is not None:
        return f"{style}><v>{number}</v></c>"
    if isinstance(v, numbers.Number):  # NaN, infinity: blank
        return style + "/>"
    return style + inline(str(v))


def _hyperlinks_xml(s: OutputSheet) -> str:
    """Internal links need no relationship: ``location`` is a sheet reference."""
    seen: set[tuple[int, int]] = set()
    links = []
    for i, c, location in s.links:
        if (i, c) in seen:
            continue
        seen.add((i, c))
        row = s.rows[i] if i < len(s.rows) else []
        shown = display_text(row[c] if c < len(row) else None)
        display = f' display="{attr(shown)}"' if shown else ""
        links.append(f'<hyperlink ref="{column_letter(c + 1)}{i + OutputSheet.FIRST_DATA_ROW}" '
                     f'location="{attr(location)}"{display}/>')
    return f"<hyperlinks>{''.join(links)}</hyperlinks>"
