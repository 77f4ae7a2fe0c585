"""The table part of an output sheet: its Excel table, named as the contract says."""

from __future__ import annotations

from emutools.core.model import column_letter
from emutools.io.package import NS_MAIN
from emutools.io.sheetdata import OutputSheet
from emutools.io.xlsx.xmltext import ILLEGAL_XML, XML_DECLARATION, attr, protect_x_escapes

TABLE_STYLE = "TableStyleMedium2"


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
    ref = f"A{OutputSheet.HEADER_ROW}:{column_letter(len(header))}" \
          f"{s.last_row}"
    columns = "".join(f'<tableColumn id="{i}" name="{attr(protect_x_escapes(h))}"/>'
                      for i, h in enumerate(header, 1))
    return (f'{XML_DECLARATION}<table xmlns="{NS_MAIN}" id="{table_id}" name="{name}" '
            f'displayName="{name}" ref="{ref}" totalsRowShown="0"><autoFilter ref="{ref}"/>'
            f'<tableColumns count="{len(header)}">{columns}</tableColumns>'
            f'<tableStyleInfo name="{TABLE_STYLE}" showFirstColumn="0" showLastColumn="0" '
            'showRowStripes="1" showColumnStripes="0"/></table>').encode()
