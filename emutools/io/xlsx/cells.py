"""Setting the values of chosen cells in an existing worksheet part, keeping everything else.

``collect`` copies the units' self-scores and evidence into the master's input sheets.
Those sheets belong to the secretary — styles, validation, conditional formats, comments —
so the part is not regenerated: only the ``<c>`` elements of the given cells are changed
(value and type; the style index stays), created in row and column order where missing.
Numbers are written as numbers, ``None`` empties the cell (its style kept), anything else
is an inline string (never a formula).
"""

from __future__ import annotations

import re
from numbers import Real

from lxml import etree

from emutools.core.model import row_col
from emutools.io.xlsx.values import number_text
from emutools.io.xlsx.xmltext import ILLEGAL_XML, protect_x_escapes, qname, serialize

_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def patch_cells(root: etree._Element, values: dict[str, object]) -> bytes:
    """The worksheet ``root`` with ``values`` (``"E7": 8.5``) set, serialized."""
    data = root.find(qname("sheetData"))
    if data is None:
        raise KeyError("worksheet has no <sheetData>")
    rows = {int(r.get("r", "0")): r for r in data.iterchildren(qname("row"))}
    cells: dict[str, etree._Element] = {}  # the existing cells of the rows touched, by reference
    indexed: set[int] = set()
    for ref, value in sorted(values.items(), key=lambda kv: _position(kv[0])):
        row_number, col = _position(ref)
        row = rows.get(row_number)
        if row is None:
            row = rows[row_number] = _insert_row(data, row_number)
        if row_number not in indexed:
            indexed.add(row_number)
            cells.update({c.get("r"): c for c in row.iterchildren(qname("c")) if c.get("r")})
        cell = cells.get(ref)
        if cell is None:
            cell = cells[ref] = _cell(row, ref, col)
        _set(cell, value)
    return serialize(root)


def _position(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if m is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return row_col(ref)


def _insert_row(data: etree._Element, number: int) -> etree._Element:
    row = etree.Element(qname("row"), r=str(number))
    for k, existing in enumerate(data.iterchildren(qname("row"))):
        if int(existing.get("r", "0")) > number:
            data.insert(k, row)
            return row
    data.append(row)
    return row


def _cell(row: etree._Element, ref: str, col: int) -> etree._Element:
    for k, existing in enumerate(row.iterchildren(qname("c"))):
        at = existing.get("r")
        if at == ref:
            return existing
        if at and _position(at)[1] > col:
            cell = etree.Element(qname("c"), r=ref)
            row.insert(k, cell)
            return cell
    cell = etree.SubElement(row, qname("c"), r=ref)
    spans = row.get("spans")
    if spans and ":" in spans:  # the row's span hint must cover the new cell
        low, high = spans.split(":", 1)
        if high.isdigit() and int(high) < col:
            row.set("spans", f"{low}:{col}")
    return cell


def _set(cell: etree._Element, value: object) -> None:
    for child in list(cell):  # the old value, formula or inline string
        cell.remove(child)
    cell.attrib.pop("t", None)
    if value is None:
        return
    number = number_text(value) if isinstance(value, Real) and not isinstance(value, bool) else None
    if number is not None:
        etree.SubElement(cell, qname("v")).text = number
        return
    text = ILLEGAL_XML.sub("", str(value))
    cell.set("t", "inlineStr")
    t = etree.SubElement(etree.SubElement(cell, qname("is")), qname("t"))
    t.text = protect_x_escapes(text)
    if text[:1].isspace() or text[-1:].isspace():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
