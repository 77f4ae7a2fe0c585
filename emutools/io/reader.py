"""Reading a workbook file's values headlessly with python-calamine (fast, read-only).

Only values are read (formulas give their cached results), so reading never changes
the file.  Anything that is not a readable workbook ends in :class:`WorkbookReadError`
with a message in both languages, never a traceback.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from emutools.core.model import RawBook
from emutools.errors import UserError
from emutools.io.package import oversized
from emutools.io.tables import build_raw_book


class WorkbookReadError(UserError):
    """The file is missing, not a workbook, damaged or hostile."""


def read_book(path: str | os.PathLike) -> RawBook:
    """All contract tables and grids of the workbook at ``path``."""
    path = Path(path)
    _check_package(path)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        cache: dict[str, list[list[object]]] = {}

        def values_of(name: str) -> list[list[object]]:
            if name not in cache:
                cache[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            return cache[name]

        return build_raw_book(names, values_of)
    except WorkbookReadError:
        raise
    except Exception as exc:  # calamine raises plain errors for damaged content
        raise WorkbookReadError(
            f"Không đọc được tệp “{path.name}”: tệp bị hỏng hoặc không phải bảng tính Excel ({exc}).",
            f"Cannot read '{path.name}': the file is damaged or not an Excel workbook ({exc}).",
        ) from exc


def _check_package(path: Path) -> None:
    """Refuse what is not an .xlsx/.xlsm package before a parser sees it."""
    if not path.exists():
        raise WorkbookReadError(f"Không tìm thấy tệp “{path}”.", f"File not found: '{path}'.")
    if not path.is_file():
        raise WorkbookReadError(f"“{path}” không phải là một tệp.", f"'{path}' is not a file.")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookReadError(
            f"Tệp “{path.name}” không phải .xlsx hoặc .xlsm. Hãy lưu bảng tính dưới dạng Excel Workbook (.xlsx).",
            f"'{path.name}' is not an .xlsx or .xlsm file. Save it as an Excel Workbook (.xlsx).",
        )
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookReadError(
            f"Tệp “{path.name}” bị hỏng hoặc không phải bảng tính Excel.",
            f"'{path.name}' is damaged or not an Excel workbook.",
        ) from exc
    if "xl/workbook.xml" not in names:
        raise WorkbookReadError(
            f"Tệp “{path.name}” không phải bảng tính Excel (thiếu xl/workbook.xml).",
            f"'{path.name}' is not an Excel workbook (no xl/workbook.xml).",
        )
    if oversized(infos):
        raise WorkbookReadError(
            f"Tệp “{path.name}” có phần nội dung quá lớn khi giải nén; emutools từ chối mở để bảo vệ máy.",
            f"'{path.name}' expands to an oversized content; refused to protect the machine.",
        )
