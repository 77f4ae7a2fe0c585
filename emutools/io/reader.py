"""Reading a workbook file's values headlessly with python-calamine (fast, read-only).

Only values are read (formulas give their cached results), so reading never changes
the file.  A formula saved without its result (files written by scripts, which do not
calculate) would read as a blank cell: each one is flagged at its cell instead (see
:func:`uncached_formulas`).  Anything that is not a readable workbook ends in
:class:`WorkbookReadError` with a message in both languages that says what the file is
(password-protected, an old .xls, damaged), never a traceback.
"""

from __future__ import annotations

import os
import posixpath
import re
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import olefile
from defusedxml import ElementTree

from emutools import contract as C
from emutools.core import forms as F
from emutools.core.issues import issue
from emutools.core.model import RawBook
from emutools.errors import UserError
from emutools.io.package import oversized
from emutools.io.tables import build_raw_book, never_read

PARALLEL_FROM_BYTES = 256_000  # below this, threads cost more than they save


class WorkbookReadError(UserError):
    """The file is missing, not a workbook, damaged or hostile."""


def read_book(path: str | os.PathLike) -> RawBook:
    """All contract tables and grids of the workbook at ``path``."""
    path = Path(path)
    check_package(path)
    try:
        with ThreadPoolExecutor(1) as background:  # the formula scan overlaps calamine's parsing
            uncached = background.submit(_uncached_by_sheet, path)
            raw, read = _read(path)
            guide = C.find_sheet(raw.sheet_names, C.GUIDE)  # read for its title only
            raw.problems += [issue("formula_not_calculated", name, cell)
                             for name, cells in uncached.result().items() if name in read and name != guide
                             for cell in cells]
        return raw
    except WorkbookReadError:
        raise
    except Exception as exc:  # calamine raises plain errors for damaged content
        raise WorkbookReadError(
            f"Không đọc được tệp “{path.name}”: tệp bị hỏng hoặc không phải bảng tính Excel ({exc}).",
            f"Cannot read '{path.name}': the file is damaged or not an Excel workbook ({exc}).",
        ) from exc


def _read(path: Path) -> tuple[RawBook, list[str]]:
    """The raw tables, and the sheets they were read from.

    A workbook over ``PARALLEL_FROM_BYTES`` is read as a whole at once: every sheet that may
    be needed is parsed on parallel threads (calamine releases the GIL), each thread with its
    own handle on the file, while this thread converts and searches the sheets already
    parsed (:func:`~emutools.io.tables.build_raw_book`)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    _refuse_a_form(path, book)
    names = list(book.sheet_names)
    read: list[str] = []
    skipped = never_read(names)
    wanted = [n for n in names if n not in skipped]
    if len(wanted) < 2 or path.stat().st_size <= PARALLEL_FROM_BYTES:
        def values_of(name: str) -> list[list[object]]:
            read.append(name)
            return _values(book, name)

        return build_raw_book(names, values_of), read
    handles = threading.local()

    def parse(name: str) -> list[list[object]]:
        if not hasattr(handles, "book"):
            handles.book = CalamineWorkbook.from_path(str(path))
        return _values(handles.book, name)

    pool = ThreadPoolExecutor(min(len(wanted), os.cpu_count() or 1))
    try:
        ready = {name: pool.submit(parse, name) for name in wanted}

        def parsed(name: str) -> list[list[object]]:
            read.append(name)
            return ready.pop(name).result() if name in ready else _values(book, name)

        return build_raw_book(names, parsed), read
    finally:  # a sheet found not needed (an unlisted one) is not parsed if it has not started
        pool.shutdown(cancel_futures=True)


def _refuse_a_form(path: Path, book) -> None:
    """A unit's self-assessment form given where the cluster workbook belongs (it has the
    form's identity sheet and no Settings sheet): said so, with how forms go in, rather than
    read as a workbook missing all its sheets."""
    names = list(book.sheet_names)
    if F.IDENTITY_SHEET not in names or C.find_sheet(names, C.SETTINGS_SHEET):
        return
    identity = F.FormIdentity.from_rows(book.get_sheet_by_name(F.IDENTITY_SHEET).to_python())
    if identity is not None:
        raise WorkbookReadError.said("read.a_form", file=path.name, unit=identity.unit)


def _values(book, name: str) -> list[list[object]]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


# --- formulas saved without their result ------------------------------------------------------

CHUNK = 1 << 20  # sheet XML is scanned a megabyte at a time: memory stays flat on any size
_FORMULA = re.compile(rb"f(?<=[<:]f)[\s/>]")  # <f or <x:f; a literal first: a fast scan, 1 GB/s
_AFTER_FORMULA = re.compile(  # the rest of <f …>…</f> or <f …/>, then the next tag, if any
    rb"[^>]*?(?:/>|>[^<]*</(?:[A-Za-z_][\w.-]*:)?f>)\s*(<(?:[A-Za-z_][\w.-]*:)?(\w+)[^>]*>)?")
_REF = re.compile(rb'\sr="([A-Z]+[0-9]+)"')
_TEXT_TYPE = re.compile(rb'\st="(?:str|inlineStr)"')


def _uncached_by_sheet(path: Path) -> dict[str, list[str]]:
    """Uncached formula cells of every sheet but those a recalculation rewrites."""
    with zipfile.ZipFile(path) as package:
        return {name: uncached_formulas(package, part) for name, part in _sheet_parts(package).items()
                if not any(C.find_sheet([name], spec) for spec in C.RECALCULATED_SHEETS)}


def uncached_formulas(package: zipfile.ZipFile, part: str) -> list[str]:
    """Cells of the sheet ``part`` that hold a formula but no calculated value.

    A cell's formula ``<f>`` is its first child, its cached value ``<v>`` the next: a formula
    followed by no ``<v>``, or by an empty one on a number cell (what openpyxl writes for
    ``=2``), was never calculated.  An empty ``<v>`` on a text cell is a formula whose result
    is "" — a real, calculated value.  The XML is streamed, split after a complete row, and
    only searched further where a formula occurs, so a sheet without formulas costs one pass
    of decompression and a byte search.
    """
    cells, carry = [], b""
    with package.open(part) as stream:
        while chunk := stream.read(CHUNK):
            data = carry + chunk
            cut = data.rfind(b"row>") + 4  # after the last complete row (</row>, </x:row>)
            if cut < 4:
                carry = data
                continue
            cells += _uncached(data[:cut])
            carry = data[cut:]
    return cells + _uncached(carry)


def _uncached(xml: bytes) -> list[str]:
    cells = []
    for formula in _FORMULA.finditer(xml):
        after = _AFTER_FORMULA.match(xml, formula.end() - 1)
        at = xml.rfind(b"<", 0, formula.start())
        tag = xml[xml.rfind(b"<", 0, at):at]  # the cell's own start tag: <f> is its first child
        ref = _REF.search(tag)
        if after is None or ref is None:
            continue
        value_tag = after.group(2)
        empty = value_tag == b"v" and (after.group(1).endswith(b"/>")
                                       or xml.startswith(b"</", after.end()))
        if value_tag != b"v" or (empty and not _TEXT_TYPE.search(tag)):
            cells.append(ref.group(1).decode())
    return cells


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package, from the workbook and its relationships
    (namespaces ignored, so Transitional and Strict files are read alike)."""
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels if _local(r.tag) == "Relationship"}
    parts = {}
    for sheet in (e for e in book.iter() if _local(e.tag) == "sheet"):
        rel = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rel, "")
        if target:
            parts[sheet.get("name")] = (target.lstrip("/") if target.startswith("/")
                                        else posixpath.normpath(posixpath.join("xl", target)))
    return parts


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _not_a_package(path: Path) -> WorkbookReadError:
    """What a file that is not a zip package is: Office keeps a password-protected workbook,
    and the old .xls format, in an OLE compound file; anything else is damaged."""
    try:
        ole = olefile.OleFileIO(str(path)) if olefile.isOleFile(str(path)) else None
    except Exception:  # noqa: BLE001 — a compound file olefile cannot parse is simply damaged
        ole = None
    if ole is not None:
        with ole:
            encrypted = ole.exists("EncryptedPackage")
        if encrypted:
            return WorkbookReadError(
                f"Tệp “{path.name}” được đặt mật khẩu mở tệp (mã hóa) nên emutools không đọc được. "
                "Hãy mở tệp trong Excel, vào Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, "
                "xóa mật khẩu, lưu lại rồi chạy lại.",
                f"'{path.name}' is password-protected (encrypted), so emutools cannot read it. Open it "
                "in Excel, File > Info > Protect Workbook > Encrypt with Password, clear the password, "
                "save, and run again.")
        return WorkbookReadError(
            f"Tệp “{path.name}” là bảng tính Excel 97–2003 (.xls) mang đuôi .xlsx. Hãy mở tệp trong Excel "
            "và lưu lại dưới dạng “Excel Workbook (*.xlsx)”.",
            f"'{path.name}' is an Excel 97–2003 workbook (.xls) named .xlsx. Open it in Excel and save "
            "it as \"Excel Workbook (*.xlsx)\".")
    return WorkbookReadError(f"Tệp “{path.name}” bị hỏng hoặc không phải bảng tính Excel.",
                             f"'{path.name}' is damaged or not an Excel workbook.")


def check_package(path: Path) -> None:
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
        raise _not_a_package(path) from exc
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
