"""The table part of an output sheet or an input grid: its Excel table, named as the contract says."""

from __future__ import annotations

from emutools.core.model import column_letter
from emutools.io.gridsheet import GridTable
from emutools.io.package import NS_MAIN
from emutools.io.sheetdata import OutputSheet
from emutools.io.xlsx.xmltext import ILLEGAL_XML, XML_DECLARATION, attr, protect_x_escapes

TABLE_STYLE = "TableStyleMedium2"
INPUT_TABLE_STYLE = "TableStyleLight1"  # the template's input tables


def column_names(header: list[str]) -> list[str]:
    """Header texts usable as table column names: one line, non-empty, unique (any case)."""
    names: list[str] = []
    for i, text in enumerate(header):
        base = " ".join(ILLEGAL_XML.sub("", str(text)).split()) or f"Column{i + 1}"
        name, n = base, 1
        while name.casefold() in {x.casefold() for x in names}:
            n += 1
            name = f"{base} ({n})"
        names.append(name)
    return names


def table_xml(s: OutputSheet, header: list[str], table_id: int, name: str) -> bytes:
    """The Excel table over the header and data rows, with a filter and banded rows."""
    ref = f"A{OutputSheet.HEADER_ROW}:{column_letter(len(header))}{s.last_row}"
    return _table(ref, header, table_id, name, TABLE_STYLE, stripes=True)


def grid_table_xml(t: GridTable, table_id: int, name: str) -> bytes:
    """An input grid's table (the ballot's), styled as the template styles its tables."""
    return _table(t.ref, column_names(list(t.header)), table_id, name, INPUT_TABLE_STYLE, stripes=False)


def _table(ref: str, header: list[str], table_id: int, name: str, style: str, *, stripes: bool) -> bytes:
    columns = "".join(f'<tableColumn id="{i}" name="{attr(protect_x_escapes(h))}"/>'
                      for i, h in enumerate(header, 1))
    return (f'{XML_DECLARATION}<table xmlns="{NS_MAIN}" id="{table_id}" name="{name}" '
            f'displayName="{name}" ref="{ref}" totalsRowShown="0"><autoFilter ref="{ref}"/>'
            f'<tableColumns count="{len(header)}">{columns}</tableColumns>'
            f'<tableStyleInfo name="{style}" showFirstColumn="0" showLastColumn="0" '
            f'showRowStripes="{int(stripes)}" showColumnStripes="0"/></table>').encode()
