"""Refusing what cannot be written safely, before the file is read.

Malformed sheet data is a bug in the caller (``ValueError``); a missing, read-only or open
workbook is the user's to fix (:class:`WorkbookWriteError`, saying how).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from emutools.io.sheetdata import OutputSheet
from emutools.io.xlsx.errors import WorkbookWriteError

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
TABLE_NAME = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\]*")
CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[RrCc]|[Rr][0-9]*[Cc][0-9]*")


def problem(s: OutputSheet) -> str | None:
    """What makes ``s`` unwritable as an Excel sheet and table, or None."""
    return _name_problem(s) or _shape_problem(s) or _reference_problem(s)


def _name_problem(s: OutputSheet) -> str | None:
    """Excel's rules for sheet names (≤ 31 characters, no ``[]:*?/\\``, no edge quote) and
    table names (a name, not a cell reference)."""
    if not 1 <= len(s.name) <= 31 or SHEET_NAME_FORBIDDEN.search(s.name) or s.name[0] == "'" \
            or s.name[-1] == "'":
        return "not a valid Excel sheet name"
    if not TABLE_NAME.fullmatch(s.table_name) or CELL_LIKE.fullmatch(s.table_name) \
            or len(s.table_name) > 255:
        return f"{s.table_name!r} is not a valid Excel table name"
    return None


def _shape_problem(s: OutputSheet) -> str | None:
    n = len(s.header)
    if n == 0 or len(s.number_formats) != n or len(s.widths) != n:
        return "header, number_formats and widths must have the same, non-zero length"
    if any(len(row) > n for row in s.rows):
        return "a row is longer than the header"
    if len(s.rows) > 1_048_576 - OutputSheet.HEADER_ROW:
        return "too many rows for a worksheet"
    return None


def _reference_problem(s: OutputSheet) -> str | None:
    """Links and charts must point inside the table."""
    n = len(s.header)
    if any(not (0 <= i < max(1, len(s.rows)) and 0 <= c < n) for i, c, _ in s.links):
        return "a link points outside the table"
    if any(not (0 <= c.category_col < n and 0 <= c.value_col < n) for c in s.charts):
        return "a chart's columns are outside the table"
    return None


def check_target(path: Path) -> None:
    """Refuse before reading: missing, not a file, read-only, or open in Excel."""
    name = path.name
    if not path.exists():
        raise WorkbookWriteError(f"Không tìm thấy tệp “{path}”.", f"File not found: '{path}'.")
    if not path.is_file():
        raise WorkbookWriteError(f"“{path}” không phải là một tệp.", f"'{path}' is not a file.")
    # os.access alone says yes to root and ignores the read-only attribute; check the mode too.
    if not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWRITE:
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{name}”: tệp chỉ đọc (read-only). Hãy bỏ thuộc tính chỉ đọc "
            "hoặc lưu một bản sao có thể sửa rồi chạy lại.",
            f"Cannot write '{name}': the file is read-only. Clear the read-only attribute or save "
            "an editable copy, then run again.",
        )
    if not os.access(path.parent, os.W_OK):
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{name}”: không có quyền ghi trong thư mục “{path.parent}”. "
            "Hãy chép tệp sang thư mục khác (ví dụ Documents) rồi chạy lại.",
            f"Cannot write '{name}': the folder '{path.parent}' is not writable. Copy the file "
            "to another folder (e.g. Documents) and run again.",
        )
    # Excel's owner file is "~$" + name, or "~$" + name without its first two characters.
    if any(path.with_name("~$" + n).exists() for n in {name, name[2:]}):
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{name}”: tệp đang mở trong Excel. Hãy đóng tệp trong Excel "
            "rồi chạy lại, hoặc bấm nút emutools ngay trong Excel.",
            f"Cannot write '{name}': it is open in Excel. Close it and run again, or use the "
            "emutools button in Excel instead.",
        )

