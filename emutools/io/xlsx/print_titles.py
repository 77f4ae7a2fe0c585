"""Print titles: the rows (and columns) repeated on every printed page of a sheet.

Excel keeps them in ``xl/workbook.xml`` as the sheet-local defined name
``_xlnm.Print_Titles``; an input grid's are set (or replaced) when it is laid out.
"""

from __future__ import annotations

from lxml import etree

from emutools.io.sheetdata import quote_sheet
from emutools.io.xlsx.xmltext import insert_in_order, qname

NAME = "_xlnm.Print_Titles"


def set_print_titles(book: etree._Element, order: list[str], sheet_index: int, sheet: str,
                     rows: tuple[int, int], cols: tuple[str, str] | None) -> None:
    """``order``: the schema order of the workbook's children, to add ``definedNames``."""
    names = book.find(qname("definedNames"))
    if names is None:
        names = etree.Element(qname("definedNames"))
        insert_in_order(book, names, order)
    quoted = quote_sheet(sheet)
    value = f"{quoted}!${rows[0]}:${rows[1]}" + (f",{quoted}!${cols[0]}:${cols[1]}" if cols else "")
    for el in names.iterchildren(qname("definedName")):
        if el.get("name") == NAME and el.get("localSheetId") == str(sheet_index):
            el.text = value
            return
    el = etree.SubElement(names, qname("definedName"), name=NAME, localSheetId=str(sheet_index))
    el.text = value
