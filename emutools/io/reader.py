"""Reading a workbook file's values headlessly with python-calamine (fast, read-only).

Only values are read (formulas give their cached results), so reading never changes
the file.  Anything that is not a readable workbook ends in :class:`WorkbookReadError`
with a message in both languages, never a traceback.
"""

from __future__ import annotations

import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from emutools.core.model import RawBook
from emutools.errors import UserError
from emutools.io.package import oversized
from emutools.io.tables import build_raw_book

PARALLEL_FROM_BYTES = 256_000  # below this, threads cost more than they save


class WorkbookReadError(UserError):
    """The file is missing, not a workbook, damaged or hostile."""


def read_book(path: str | os.PathLike) -> RawBook:
    """All contract tables and grids of the workbook at ``path``."""
    path = Path(path)
    _check_package(path)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        ready: dict[str, list[list[object]]] = {}

        def values_of(name: str) -> list[list[object]]:
            return ready.pop(name) if name in ready else _values(book, name)

        def prefetch(names: list[str]) -> None:
            """Big grids are parsed on parallel threads (calamine releases the GIL), each
            thread with its own handle on the file."""
            if len(names) > 1 and path.stat().st_size > PARALLEL_FROM_BYTES:
                with ThreadPoolExecutor(min(len(names), os.cpu_count() or 1)) as pool:
                    ready.update(zip(names, pool.map(
                        lambda n: _values(CalamineWorkbook.from_path(str(path)), n), names), strict=True))

        return build_raw_book(list(book.sheet_names), values_of, prefetch)
    except WorkbookReadError:
        raise
    except Exception as exc:  # calamine raises plain errors for damaged content
        raise WorkbookReadError(
            f"Không đọc được tệp “{path.name}”: tệp bị hỏng hoặc không phải bảng tính Excel ({exc}).",
            f"Cannot read '{path.name}': the file is damaged or not an Excel workbook ({exc}).",
        ) from exc


def _values(book, name: str) -> list[list[object]]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


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
