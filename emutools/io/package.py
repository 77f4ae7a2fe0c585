"""Limits for the zip packages emutools opens (.xlsx, .xlsm, .docx): a zip bomb is refused
before any parser sees it.

Python's zipfile and calamine stop decompressing a member at its declared size, so the
declared sizes checked here bound the memory a hostile file can make emutools use.
"""

from __future__ import annotations

import zipfile

# Office Open XML namespaces used by the parts emutools writes.
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"

MAX_PART_BYTES = 200 * 1024**2  # a cluster workbook's part is far smaller; more is a zip bomb
MAX_TOTAL_BYTES = 1024**3
MAX_RATIO, RATIO_CHECKED_FROM = 200, 10 * 1024**2  # big and extremely compressible: a bomb


def oversized(infos: list[zipfile.ZipInfo]) -> bool:
    """True when the package would expand beyond what any real workbook or template needs."""
    return (sum(i.file_size for i in infos) > MAX_TOTAL_BYTES
            or any(i.file_size > MAX_PART_BYTES
                   or (i.file_size > RATIO_CHECKED_FROM and i.file_size > MAX_RATIO * max(i.compress_size, 1))
                   for i in infos))
