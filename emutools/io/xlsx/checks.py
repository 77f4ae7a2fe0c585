"""Refusing what cannot be written safely, before the file is read.

Malformed sheet data is a bug in the caller (``ValueError``); a missing, read-only or open
workbook is the user's to fix (:class:`WorkbookWriteError`, saying how).
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
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
    found = name_problem(s.name)
    if found:
        return found
    if not TABLE_NAME.fullmatch(s.table_name) or CELL_LIKE.fullmatch(s.table_name) \
            or len(s.table_name) > 255:
        return f"{s.table_name!r} is not a valid Excel table name"
    return None


def name_problem(name: str) -> str | None:
    if not 1 <= len(name) <= 31 or SHEET_NAME_FORBIDDEN.search(name) or name[0] == "'" or name[-1] == "'":
        return "not a valid Excel sheet name"
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
    """Refuse before writing: missing, not a file, read-only, or open in Excel or LibreOffice."""
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
    opened = open_elsewhere(path)
    if opened is not None:
        app, who = opened
        by_vi, by_en = (f" bởi {who}", f" by {who}") if who else ("", "")
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{name}”: tệp đang mở trong {app}{by_vi}. Hãy đóng tệp "
            "rồi chạy lại (trong Excel có thể bấm nút emutools ngay trong tệp). Tệp không bị thay đổi.",
            f"Cannot write '{name}': it is open in {app}{by_en}. Close it and run again (in Excel, "
            "the emutools buttons work inside the file). The file was not changed.",
        )


def open_elsewhere(path: Path) -> tuple[str, str] | None:
    """(program, who) when an office program has ``path`` open, from its owner file beside it.

    Excel writes ``~$`` + the name (or the name without its first two characters), LibreOffice
    ``.~lock.`` + name + ``#``.  Names are compared NFC-normalised: macOS and some file shares
    store the owner file's name decomposed (NFD) while the workbook's is composed, or back.
    """
    name = unicodedata.normalize("NFC", path.name)
    wanted = {"~$" + name: "Excel", "~$" + name[2:]: "Excel", f".~lock.{name}#": "LibreOffice"}
    try:
        entries = os.listdir(path.parent)
    except OSError:
        return None
    for entry in entries:
        app = wanted.get(unicodedata.normalize("NFC", entry))
        if app is not None:
            return app, _owner(path.parent / entry, app)
    return None


def _owner(lock: Path, app: str) -> str:
    """Who the owner file says has the file open, or "" when it does not say."""
    try:
        data = lock.read_bytes()[:4096]
    except OSError:
        return ""
    if app == "LibreOffice":  # "Full Name,host,login,date,profile-url;"
        fields = data.decode("utf-8", "replace").split(",")
        return next((f.strip() for f in fields[:3] if f.strip()), "")
    if len(data) >= 0x38 + 2 and 0 < data[0] <= 53:  # length byte, ANSI name, then UTF-16 name
        size = int.from_bytes(data[0x36:0x38], "little")
        wide = data[0x38:0x38 + 2 * size].decode("utf-16-le", "replace").strip("\x00 ")
        return wide or data[1:1 + data[0]].decode("cp1252", "replace").strip()
    return ""
