"""Limits for the zip packages emutools opens (.xlsx, .xlsm, .docx): a zip bomb is refused
before any parser sees it; and what a readable workbook may lack for emutools to write
into it.

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

NS_STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"  # ISO/IEC 29500 Strict conformance

MAX_PART_BYTES = 200 * 1024**2  # a cluster workbook's part is far smaller; more is a zip bomb
MAX_TOTAL_BYTES = 1024**3
MAX_RATIO, RATIO_CHECKED_FROM = 200, 10 * 1024**2  # big and extremely compressible: a bomb


def oversized(infos: list[zipfile.ZipInfo]) -> bool:
    """True when the package would expand beyond what any real workbook or template needs."""
    return (sum(i.file_size for i in infos) > MAX_TOTAL_BYTES
            or any(i.file_size > MAX_PART_BYTES
                   or (i.file_size > RATIO_CHECKED_FROM and i.file_size > MAX_RATIO * max(i.compress_size, 1))
                   for i in infos))


def unwritable(package: zipfile.ZipFile, name: str) -> tuple[str, str] | None:
    """Why results cannot be written into this workbook, though it reads (vi, en), or None.

    A Strict Open XML file uses other namespaces than the Transitional parts emutools
    writes; a file made without ``xl/styles.xml`` (some scripts and converters omit it) has
    nowhere for the result sheets' formats.  Both read fine (calamine ignores namespaces and
    styles), so ``check`` and ``letters`` work; only writing is refused, before anything is
    written, with a message that says what the file is.
    """
    names = set(package.namelist())
    with package.open("xl/workbook.xml") as part:
        head = part.read(4096)
    if NS_STRICT in head:
        return (f"Tệp “{name}” được lưu ở định dạng “Strict Open XML Spreadsheet”: emutools đọc và "
                "kiểm tra được nhưng không ghi kết quả vào được. Hãy mở tệp trong Excel, chọn Lưu thành > "
                "“Excel Workbook (*.xlsx)” rồi chạy lại. Tệp gốc không bị thay đổi.",
                f"'{name}' is saved as \"Strict Open XML Spreadsheet\": emutools can read and check it "
                "but cannot write results into it. Open it in Excel, Save As \"Excel Workbook (*.xlsx)\" "
                "and run again. The file was not changed.")
    if "xl/styles.xml" not in names:
        return (f"Tệp “{name}” không có phần định dạng ô (xl/styles.xml) — thường do một chương trình "
                "khác Excel tạo ra: emutools đọc và kiểm tra được nhưng không ghi kết quả vào được. Hãy "
                "mở và lưu tệp trong Excel rồi chạy lại. Tệp gốc không bị thay đổi.",
                f"'{name}' has no cell formats part (xl/styles.xml) — usually made by a program other "
                "than Excel: emutools can read and check it but cannot write results into it. Open and "
                "save it in Excel, then run again. The file was not changed.")
    return None
