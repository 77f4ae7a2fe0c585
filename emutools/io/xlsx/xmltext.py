"""XML text for the parts written as strings: escaping, inline strings, rebuilt parts.

The worksheet parts are joined from strings (fast enough for 50,000 rows), so escaping
lives here once; parts edited as trees (workbook, styles, content types) are serialized
with the same declaration Excel writes.
"""

from __future__ import annotations

import re

from lxml import etree

from emutools.io.package import NS_MAIN

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def qname(tag: str, ns: str = NS_MAIN) -> str:
    """``{namespace}tag``, as lxml names elements (SpreadsheetML by default)."""
    return f"{{{ns}}}{tag}"


def serialize(root: etree._Element) -> bytes:
    """A rebuilt part, with the same double-quoted declaration as Excel's own parts."""
    return XML_DECLARATION.encode() + etree.tostring(root, encoding="UTF-8")


def insert_in_order(parent: etree._Element, child: etree._Element, order: list[str]) -> None:
    """Insert ``child`` before the first sibling that the schema puts after it."""
    later = set(order[order.index(etree.QName(child).localname) + 1:])
    for i, sibling in enumerate(parent):
        if isinstance(sibling.tag, str) and etree.QName(sibling).localname in later:
            parent.insert(i, child)
            return
    parent.append(child)


ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
NEEDS_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
NEEDS_ATTR_ESCAPE = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')
ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def esc(text: str) -> str:
    """Text for element content: control characters dropped, markup escaped."""
    if not NEEDS_ESCAPE.search(text):  # the common case, checked in one pass
        return text
    text = ILLEGAL_XML.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def attr(text: str) -> str:
    """Text for an attribute value; line breaks and tabs as references survive parsing."""
    if not NEEDS_ATTR_ESCAPE.search(text):
        return text
    return esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def protect_x_escapes(text: str) -> str:
    """Protect a literal ``_x0041_`` in cell text, which Excel would read as an escape."""
    return ESCAPE_LIKE.sub(r"_x005F_\1", text) if "_x" in text else text


def inline(value: str) -> str:
    """The end of an inline-string cell: never a formula, ``sharedStrings.xml`` untouched.

    ``xml:space="preserve"`` only where it matters (leading or trailing whitespace), as
    Excel does; it would add a fifth to a large text-heavy sheet.
    """
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    return f' t="inlineStr"><is><t{space}>{esc(protect_x_escapes(value))}</t></is></c>'
