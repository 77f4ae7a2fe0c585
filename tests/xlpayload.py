"""Real xw.Book objects without Excel: xlwings' remote engine, fed a payload built from a file.

The remote engine is in xlwings' PRO part and needs XLWINGS_LICENSE_KEY set before xlwings
is imported (noncommercial use; tests only — the classic path users run needs no key).
"""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl  # noqa: E402
import xlwings as xw  # noqa: E402


def _value(v):
    if isinstance(v, dt.date):  # as Office.js sends dates (a date and time keeps its time)
        moment = v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return v


def payload(path, client: str = "Microsoft Office Scripts") -> dict:
    """The JSON Excel would send for the workbook at ``path`` (values from A1, tables, names)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = [[_value(c) for c in row] for row in ws.iter_rows(values_only=True)] or [[]]
        tables = []
        for table in ws.tables.values():
            first, last = table.ref.split(":")
            c1 = openpyxl.utils.cell.coordinate_from_string(first)
            c2 = openpyxl.utils.cell.coordinate_from_string(last)
            tables.append({
                "name": table.name,
                "range_address": f"${c1[0]}${c1[1]}:${c2[0]}${c2[1]}",
                "header_row_range_address": f"${c1[0]}${c1[1]}:${c2[0]}${c1[1]}",
                "data_body_range_address": f"${c1[0]}${c1[1] + 1}:${c2[0]}${c2[1]}",
                "total_row_range_address": None,
                "show_headers": True,
                "show_totals": False,
                "table_style": "TableStyleMedium2",
                "show_autofilter": True,
            })
        last = f"{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        sheets.append({"name": ws.title, "values": rows, "tables": tables, "pictures": [], "charts": [],
                       "used_range_address": f"$A$1:${last[:len(last) - len(str(ws.max_row))]}${ws.max_row}"})
    names = [{"name": n, "sheet_index": None, "address": d.attr_text, "book_scope": True}
             for n, d in wb.defined_names.items()]
    return {"client": client, "version": xw.__version__,
            "book": {"name": os.path.basename(path), "active_sheet_index": 0, "selection": "A1"},
            "sheets": sheets, "names": names}


def book_from(path, client: str = "Microsoft Office Scripts") -> xw.Book:
    """``client="Office.js"`` where the code sets data validation (xlwings needs that client)."""
    book = xw.Book(json=payload(path, client))
    book.set_mock_caller()
    return book


def actions(book: xw.Book, func: str | None = None) -> list[dict]:
    found = book.json()["actions"]
    return [a for a in found if func is None or a["func"] == func]
