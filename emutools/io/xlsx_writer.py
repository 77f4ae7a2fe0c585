"""Writing emutools' result sheets into an existing workbook at the zip-package level.

A workbook is a zip of XML parts.  Loading and saving it through openpyxl would drop what
openpyxl does not model (shapes, form buttons, some extensions) and is slow, so this
module edits the package directly:

* every part it does not own is copied verbatim — its compressed bytes, even — so VBA,
  shapes, comments, validation, conditional formats, names and other sheets survive
  exactly;
* each output sheet's worksheet part is regenerated as a string (fast enough for 50,000
  rows), with its own table, drawing and chart parts; the parts the old version of the
  sheet owned alone are removed;
* only ``[Content_Types].xml``, ``xl/workbook.xml`` and its rels, ``xl/styles.xml`` (named
  ``emutools …`` styles, added once and found by name afterwards) and, when it refers to
  a rewritten sheet, ``xl/calcChain.xml`` (removed) are parsed and rebuilt.

The output is a pure function of the input: no timestamps, and new parts take the
smallest free number, so writing twice gives the same bytes.  The file is replaced
atomically with a backup beside it; whenever it cannot be written safely the original is
left untouched and a :class:`WorkbookWriteError` says why in Vietnamese and English.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import numbers
import os
import posixpath
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from emutools.errors import UserError
from emutools.io.package import (
    NS_A,
    NS_MAIN,
    NS_PKG_RELS,
    NS_R,
    NS_TYPES,
    NS_XDR,
    oversized,
)
from emutools.io.sheetdata import BarChart, OutputSheet

NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
REL = NS_R + "/"
R_ID = f"{{{NS_R}}}id"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FIRST_DATA_ROW = OutputSheet.HEADER_ROW + 1
NEW_PART_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same input gives the same bytes
TABLE_STYLE = "TableStyleMedium2"

# Schema order of the children we may have to insert (CT_Workbook, CT_Stylesheet).
WORKBOOK_ORDER = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                  "sheets", "functionGroups", "externalReferences", "definedNames", "calcPr",
                  "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                  "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"]
STYLES_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
                "dxfs", "tableStyles", "colors", "extLst"]
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10, "0.00E+00": 11, "@": 49}


@dataclass
class WriteReport:
    path: Path
    backup_path: Path | None
    sheets_written: list[str]  # every sheet written, in the order given
    sheets_added: list[str]  # those of them that did not exist before


class WorkbookWriteError(UserError):
    """The workbook cannot be written; the messages name the file and what to do."""


def write_output_sheets(path: str | os.PathLike, sheets: list[OutputSheet], *,
                        backup: bool = True) -> WriteReport:
    """Write ``sheets`` into the workbook at ``path``, replacing same-named sheets.

    Everything else in the file is kept byte for byte.  With ``backup`` the previous file
    is kept as ``<stem>.bak<suffix>`` beside it (an older backup is overwritten).
    """
    path = Path(path)
    _validate(sheets)
    _check_target(path)
    try:
        with open(path, "rb") as source:
            try:
                edit = _Edit(_Package(source, path.name))
                edit.apply(sheets)
            except (KeyError, ValueError, IndexError, etree.LxmlError) as exc:
                raise _damaged(path.name, str(exc)) from exc
            tmp = _write_temp(path, edit.write)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise WorkbookWriteError(
            f"Không đọc được tệp “{path.name}” để ghi kết quả ({exc}). Tệp gốc không bị thay đổi.",
            f"Cannot read '{path.name}' to write the results ({exc}). The file was not changed.",
        ) from exc
    # The source is closed by now: Windows cannot replace a file that is still open.
    try:
        backup_path = _backup(path) if backup else None
        _replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return WriteReport(path, backup_path, [s.name for s in sheets], edit.added)


# --- refusing what cannot be written safely -------------------------------------------------

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
TABLE_NAME = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\]*")
CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[RrCc]|[Rr][0-9]*[Cc][0-9]*")


def _validate(sheets: list[OutputSheet]) -> None:
    """Reject malformed sheet data up front: that is a bug in the caller, not in the file."""
    seen: set[str] = set()
    for s in sheets:
        problem = _problem(s)
        if not problem and s.name.casefold() in seen:
            problem = "the sheet is given twice"
        if problem:
            raise ValueError(f"OutputSheet {s.name!r}: {problem}")
        seen.add(s.name.casefold())


def _problem(s: OutputSheet) -> str | None:
    n = len(s.header)
    if not 1 <= len(s.name) <= 31 or SHEET_NAME_FORBIDDEN.search(s.name) or s.name[0] == "'" \
            or s.name[-1] == "'":
        return "not a valid Excel sheet name"
    if not TABLE_NAME.fullmatch(s.table_name) or CELL_LIKE.fullmatch(s.table_name) \
            or len(s.table_name) > 255:
        return f"{s.table_name!r} is not a valid Excel table name"
    if n == 0 or len(s.number_formats) != n or len(s.widths) != n:
        return "header, number_formats and widths must have the same, non-zero length"
    if any(len(row) > n for row in s.rows):
        return "a row is longer than the header"
    if len(s.rows) > 1_048_576 - OutputSheet.HEADER_ROW:
        return "too many rows for a worksheet"
    if any(not (0 <= i < max(1, len(s.rows)) and 0 <= c < n) for i, c, _ in s.links):
        return "a link points outside the table"
    if any(not (0 <= c.category_col < n and 0 <= c.value_col < n) for c in s.charts):
        return "a chart's columns are outside the table"
    return None


def _check_target(path: Path) -> None:
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


def _damaged(name: str, detail: str) -> WorkbookWriteError:
    """The file is not a workbook we can edit; ``detail`` is technical, for support."""
    return WorkbookWriteError(
        f"Không ghi được vào tệp “{name}”: tệp bị hỏng hoặc không phải bảng tính Excel (.xlsx, "
        ".xlsm). Hãy mở tệp bằng Excel, lưu lại dưới dạng Excel Workbook rồi chạy lại. Tệp gốc "
        f"không bị thay đổi. Chi tiết: {detail}",
        f"Cannot write '{name}': the file is damaged or not an Excel workbook (.xlsx, .xlsm). "
        f"Open it in Excel, save it as an Excel Workbook and run again. The file was not "
        f"changed. Details: {detail}",
    )


# --- reading the source package --------------------------------------------------------------

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)


class _Package:
    """The source zip: parsed parts on demand, and compressed bytes for verbatim copies."""

    def __init__(self, source: BinaryIO, filename: str):
        self.source, self.filename = source, filename
        try:
            self.zip = zipfile.ZipFile(source)
        except zipfile.BadZipFile as exc:
            raise _damaged(filename, "not a zip package") from exc
        self.infos = self.zip.infolist()
        self.names = [i.filename for i in self.infos]
        self._check()
        self.canonical = {n.casefold(): n for n in self.names}

    def _check(self) -> None:
        if len(set(self.names)) != len(self.names):
            raise _damaged(self.filename, "duplicate zip entries")
        if WORKBOOK not in self.names:
            raise _damaged(self.filename, f"no {WORKBOOK}")
        if any(i.flag_bits & 1 or i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
               for i in self.infos):
            raise _damaged(self.filename, "encrypted or unusually compressed zip entries")
        if oversized(self.infos):
            raise WorkbookWriteError(
                f"Không ghi được vào tệp “{self.filename}”: tệp có phần nội dung quá lớn khi giải nén; "
                "emutools từ chối mở để bảo vệ máy. Tệp gốc không bị thay đổi.",
                f"Cannot write '{self.filename}': it expands to an oversized content; refused to "
                "protect the machine. The file was not changed.",
            )

    def part(self, target: str) -> str:
        """The zip name of a part, matched as OPC does: case-insensitively, %-decoded."""
        for candidate in (target, unquote(target)):
            if candidate.casefold() in self.canonical:
                return self.canonical[candidate.casefold()]
        return target

    def xml(self, name: str) -> etree._Element:
        """A part parsed without DTDs, entities or network access (entity bombs fail)."""
        try:
            root = etree.fromstring(self.zip.read(name), XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise _damaged(self.filename, f"{name}: {exc}") from exc
        if root.getroottree().docinfo.internalDTD is not None:
            raise _damaged(self.filename, f"{name} declares a DTD")
        return root

    def head(self, name: str, size: int = 16384) -> str:
        with self.zip.open(name) as f:
            return f.read(size).decode("utf-8", "replace")

    def compressed(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes exactly as stored, found after its local header."""
        self.source.seek(info.header_offset)
        header = self.source.read(30)
        if header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        self.source.seek(info.header_offset + 30 + name_len + extra_len)
        return self.source.read(info.compress_size)


def _rels_of(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _source_of(rels: str) -> str:
    """``xl/_rels/workbook.xml.rels`` → ``xl/workbook.xml``; ``_rels/.rels`` → the package ''."""
    folder, base = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def _target(source: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source))


def _rel_graph(pkg: _Package) -> dict[str, list[str]]:
    """Every part → the internal parts its relationships point to."""
    graph: dict[str, list[str]] = {}
    for name in pkg.names:
        if name.endswith(".rels") and posixpath.basename(posixpath.dirname(name)) == "_rels":
            source = _source_of(name)
            graph[source] = [pkg.part(_target(source, r.get("Target", "")))
                             for r in pkg.xml(name).iterchildren(f"{{{NS_PKG_RELS}}}Relationship")
                             if r.get("TargetMode") != "External"]
    return graph


def _reachable(graph: dict[str, list[str]], starts: set[str], blocked: set[str]) -> set[str]:
    seen, todo = set(starts), list(starts)
    while todo:
        part = todo.pop()
        if part in blocked:
            continue
        for target in graph.get(part, ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _owned_only_by(pkg: _Package, sheets: set[str]) -> set[str]:
    """Parts reachable from ``sheets`` but from nothing else: they go with the old sheets.

    An image shared with another sheet's drawing, or a pivot cache the workbook also
    lists, stays.  The rels files of the removed parts go with them.
    """
    graph = _rel_graph(pkg)
    theirs = _reachable(graph, sheets, set()) - sheets
    kept = _reachable(graph, {""}, sheets)
    gone = {p for p in theirs - kept if p in pkg.names}
    return gone | {_rels_of(p) for p in gone if _rels_of(p) in pkg.names}


# --- editing the package -------------------------------------------------------------------


@dataclass
class _Target:
    """Where one output sheet goes, and what of its old version must be kept."""

    sheet: OutputSheet
    part: str
    added: bool
    sheet_id: str | None = None  # of a replaced sheet, as calcChain.xml refers to it
    selected: bool = False
    code_name: str | None = None  # ties the sheet to its VBA document module in an .xlsm


def _q(tag: str, ns: str = NS_MAIN) -> str:
    return f"{{{ns}}}{tag}"


def _serialize(root: etree._Element) -> bytes:
    """A rebuilt part, with the same double-quoted declaration as Excel's own parts."""
    return XML_DECLARATION.encode() + etree.tostring(root, encoding="UTF-8")


def _insert_in_order(parent: etree._Element, child: etree._Element, order: list[str]) -> None:
    """Insert ``child`` before the first sibling that the schema puts after it."""
    later = set(order[order.index(etree.QName(child).localname) + 1:])
    for i, sibling in enumerate(parent):
        if isinstance(sibling.tag, str) and etree.QName(sibling).localname in later:
            parent.insert(i, child)
            return
    parent.append(child)


class _Edit:
    """The changes to one package, collected as new part bytes and parts to leave out."""

    def __init__(self, pkg: _Package):
        self.pkg = pkg
        self.types = pkg.xml(CONTENT_TYPES)
        self.book = pkg.xml(WORKBOOK)
        if self.book.tag != _q("workbook"):
            raise _damaged(pkg.filename, "Strict Open XML or unknown workbook format")
        self.book_rels = pkg.xml(WORKBOOK_RELS)
        styles_part = self._workbook_part("styles")
        if styles_part is None:
            raise _damaged(pkg.filename, "no styles part")
        self.styles_part = styles_part
        self.styles = _Styles(pkg.xml(styles_part))
        self.taken = {n.casefold() for n in pkg.names}
        self.dropped: set[str] = set()
        self.sheet_parts: dict[str, bytes] = {}  # worksheet parts and their rels
        self.owned_parts: dict[str, bytes] = {}  # tables, drawings, charts
        self.added: list[str] = []
        self.table_ids: set[int] = set()
        self.table_names: set[str] = set()

    def _rels(self) -> list[etree._Element]:
        return list(self.book_rels.iterchildren(f"{{{NS_PKG_RELS}}}Relationship"))

    def _workbook_part(self, rel_type: str) -> str | None:
        for rel in self._rels():
            if rel.get("Type") == REL + rel_type:
                return self.pkg.part(_target(WORKBOOK, rel.get("Target", "")))
        return None

    def apply(self, sheets: list[OutputSheet]) -> None:
        targets = [self._locate(s) for s in sheets]
        replaced = {t.part for t in targets if not t.added}
        self.dropped = _owned_only_by(self.pkg, replaced)
        self._drop_calc_chain(targets)
        self._remove_overrides(self.dropped)
        self.taken -= {p.casefold() for p in self.dropped}
        self._collect_tables()
        for t in targets:
            self._render(t)
        self._set_full_calc_on_load()

    # sheets in xl/workbook.xml

    def _sheet_elements(self) -> list[etree._Element]:
        sheets = self.book.find(_q("sheets"))
        if sheets is None:
            raise KeyError("xl/workbook.xml has no <sheets>")
        return list(sheets.iterchildren(_q("sheet")))

    def _locate(self, sheet: OutputSheet) -> _Target:
        for el in self._sheet_elements():
            if el.get("name", "").casefold() == sheet.name.casefold():
                return self._existing(sheet, el)
        return self._add_sheet(sheet)

    def _existing(self, sheet: OutputSheet, el: etree._Element) -> _Target:
        rel = next((r for r in self._rels() if r.get("Id") == el.get(R_ID)), None)
        if rel is None:
            raise KeyError(f"sheet {sheet.name!r} has no relationship")
        if rel.get("Type") != REL + "worksheet":
            raise WorkbookWriteError(
                f"Không ghi được vào tệp “{self.pkg.filename}”: sheet “{sheet.name}” là biểu đồ "
                "hoặc sheet macro, không phải trang tính. Hãy đổi tên hoặc xóa sheet đó rồi chạy lại.",
                f"Cannot write '{self.pkg.filename}': sheet '{sheet.name}' is a chart or macro "
                "sheet, not a worksheet. Rename or delete it, then run again.",
            )
        part = self.pkg.part(_target(WORKBOOK, rel.get("Target", "")))
        el.set("name", sheet.name)
        head = self.pkg.head(part)
        code_name = re.search(r'<(?:\w+:)?sheetPr\b[^>]*?\scodeName="([^"]*)"', head)
        selected = re.search(r'<(?:\w+:)?sheetView\b[^>]*?\stabSelected="(?:1|true)"', head)
        return _Target(sheet, part, added=False, sheet_id=el.get("sheetId"),
                       selected=bool(selected), code_name=code_name.group(1) if code_name else None)

    def _add_sheet(self, sheet: OutputSheet) -> _Target:
        elements = self._sheet_elements()
        part = self._allocate("xl/worksheets/sheet{}.xml")
        rid = self._add_workbook_rel(REL + "worksheet", _relative(WORKBOOK, part))
        sheet_id = max((int(e.get("sheetId", "0")) for e in elements), default=0) + 1
        el = etree.SubElement(self.book.find(_q("sheets")), _q("sheet"), nsmap={"r": NS_R})
        el.set("name", sheet.name)
        el.set("sheetId", str(sheet_id))
        el.set(R_ID, rid)
        self._override(part, CT_WORKSHEET)
        self.added.append(sheet.name)
        return _Target(sheet, part, added=True)

    def _add_workbook_rel(self, rel_type: str, target: str) -> str:
        ids = {r.get("Id") for r in self._rels()}
        rid = next(f"rId{n}" for n in range(1, len(ids) + 2) if f"rId{n}" not in ids)
        etree.SubElement(self.book_rels, f"{{{NS_PKG_RELS}}}Relationship",
                         Id=rid, Type=rel_type, Target=target)
        return rid

    def _set_full_calc_on_load(self) -> None:
        """Formulas elsewhere that read the output sheets must not show stale results."""
        calc = self.book.find(_q("calcPr"))
        if calc is None:
            calc = etree.Element(_q("calcPr"))
            _insert_in_order(self.book, calc, WORKBOOK_ORDER)
        calc.set("fullCalcOnLoad", "1")

    def _drop_calc_chain(self, targets: list[_Target]) -> None:
        """A calc chain naming cells of a rewritten sheet makes Excel repair the file."""
        part = self._workbook_part("calcChain")
        if part is None or part not in self.pkg.names:
            return
        rewritten = {t.sheet_id.encode() for t in targets if t.sheet_id is not None}
        if not rewritten & set(re.findall(rb'\si="(\d+)"', self.pkg.zip.read(part))):
            return
        self.dropped.add(part)
        for rel in self._rels():
            if rel.get("Type") == REL + "calcChain":
                self.book_rels.remove(rel)

    # [Content_Types].xml

    def _remove_overrides(self, parts: set[str]) -> None:
        names = {"/" + p.casefold() for p in parts}
        for el in list(self.types.iterchildren(_q("Override", NS_TYPES))):
            if el.get("PartName", "").casefold() in names:
                self.types.remove(el)

    def _override(self, part: str, content_type: str) -> None:
        self._remove_overrides({part})
        etree.SubElement(self.types, _q("Override", NS_TYPES), PartName="/" + part,
                         ContentType=content_type)

    # names and ids

    def _allocate(self, pattern: str) -> str:
        n = 1
        while pattern.format(n).casefold() in self.taken:
            n += 1
        self.taken.add(pattern.format(n).casefold())
        return pattern.format(n)

    def _collect_tables(self) -> None:
        """Table ids and names must be unique across the workbook, names also vs defined names."""
        for el in self.types.iterchildren(_q("Override", NS_TYPES)):
            part = self.pkg.part(el.get("PartName", "").lstrip("/"))
            if el.get("ContentType") == CT_TABLE and part in self.pkg.names \
                    and part not in self.dropped:
                table = self.pkg.xml(part)
                self.table_ids.add(int(table.get("id", "0")))
                self.table_names |= {table.get("name", "").casefold(),
                                     table.get("displayName", "").casefold()}
        names = self.book.find(_q("definedNames"))
        if names is not None:
            self.table_names |= {n.get("name", "").casefold()
                                 for n in names.iterchildren(_q("definedName"))}

    def _table_identity(self, wanted: str) -> tuple[int, str]:
        table_id = next(n for n in range(1, len(self.table_ids) + 2) if n not in self.table_ids)
        name, n = wanted, 1
        while name.casefold() in self.table_names:
            n += 1
            name = f"{wanted}_{n}"
        self.table_ids.add(table_id)
        self.table_names.add(name.casefold())
        return table_id, name

    # one output sheet

    def _render(self, t: _Target) -> None:
        s = t.sheet
        table_part = self._allocate("xl/tables/table{}.xml")
        rels = [("rId1", "table", _relative(t.part, table_part))]
        table_id, table_name = self._table_identity(s.table_name)
        header = _column_names(s.header)
        self.owned_parts[table_part] = _table_xml(s, header, table_id, table_name)
        self._override(table_part, CT_TABLE)
        if s.charts:
            drawing_part = self._allocate("xl/drawings/drawing{}.xml")
            rels.append(("rId2", "drawing", _relative(t.part, drawing_part)))
            chart_rels = []
            for k, chart in enumerate(s.charts, start=1):
                chart_part = self._allocate("xl/charts/chart{}.xml")
                chart_rels.append((f"rId{k}", "chart", _relative(drawing_part, chart_part)))
                self.owned_parts[chart_part] = _chart_xml(s, chart, header)
                self._override(chart_part, CT_CHART)
            self.owned_parts[drawing_part] = _drawing_xml(s.charts)
            self.owned_parts[_rels_of(drawing_part)] = _rels_xml(chart_rels)
            self._override(drawing_part, CT_DRAWING)
        looks = _SheetLooks(self.styles, s)
        self.sheet_parts[t.part] = "".join(_sheet_xml(t, header, looks, len(rels) > 1)).encode()
        self.sheet_parts[_rels_of(t.part)] = _rels_xml(rels)

    # output

    def write(self, out: BinaryIO) -> None:
        """The new package: source order kept, rewritten parts in place, new parts at the end."""
        in_place = {CONTENT_TYPES: _serialize(self.types), WORKBOOK: _serialize(self.book),
                    WORKBOOK_RELS: _serialize(self.book_rels),
                    self.styles_part: _serialize(self.styles.finish()), **self.sheet_parts}
        zout, done = _ZipOut(out), set()
        for info in self.pkg.infos:
            if info.filename in in_place:
                zout.add(info.filename, in_place[info.filename])
                done.add(info.filename)
            elif info.filename not in self.dropped:
                zout.copy(info, self.pkg.compressed(info))
        for name, data in [*self.sheet_parts.items(), *self.owned_parts.items()]:
            if name not in done:
                zout.add(name, data)
        zout.close()


# --- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Look:
    """What an emutools cell style looks like; registered once as a named cell style."""

    num_format: str = "General"
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float | None = None
    color: str | None = None
    fill: str | None = None
    border: bool = False
    wrap: bool = False


TITLE_SIZE = 14.0
TITLE = _Look(bold=True, size=TITLE_SIZE)
SUBTITLE = _Look(italic=True, color="595959")
HEADER = _Look(bold=True, color="FFFFFF", fill="1F4E79", border=True, wrap=True)
BORDER_COLOR = "BFBFBF"
LINK_COLOR = "0563C1"


class _Styles:
    """``xl/styles.xml`` with emutools' named styles, found by name when already there.

    Reusing them keeps styles.xml from growing on every run, and if the user restyled,
    say, "emutools header" in Excel, that choice is kept.
    """

    def __init__(self, root: etree._Element):
        self.root = root
        self.containers = {tag: self._container(tag) for tag in STYLES_ORDER[1:7]}
        self.named = {el.get("name"): int(el.get("xfId", "0"))
                      for el in self.containers["cellStyles"].iterchildren(_q("cellStyle"))}
        self.indexes: dict[str, int] = {}
        self.parts: dict[tuple, int] = {}  # fonts, fills, borders added in this run

    def _container(self, tag: str) -> etree._Element:
        el = self.root.find(_q(tag))
        if el is not None:
            return el
        if tag not in ("cellStyleXfs", "cellStyles"):
            raise KeyError(f"styles.xml has no <{tag}>")
        el = etree.Element(_q(tag))
        if tag == "cellStyleXfs":  # the implicit Normal style, which existing cells refer to
            etree.SubElement(el, _q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
        elif tag == "cellStyles":
            etree.SubElement(el, _q("cellStyle"), name="Normal", xfId="0", builtinId="0")
        _insert_in_order(self.root, el, STYLES_ORDER)
        return el

    def index(self, name: str, look: _Look) -> int:
        """The cellXfs index for named style ``name``, creating the style the first time."""
        if name not in self.indexes:
            xf_id = self.named.get(name)
            self.indexes[name] = self._create(name, look) if xf_id is None else self._use(xf_id)
        return self.indexes[name]

    def _use(self, xf_id: int) -> int:
        """A cell format of the existing named style, with exactly the style's formatting."""
        style = self.containers["cellStyleXfs"][xf_id]
        cell_xfs = self.containers["cellXfs"]
        for i, xf in enumerate(cell_xfs):
            if xf.get("xfId", "0") == str(xf_id) and _signature(xf) == _signature(style):
                return i
        return self._append_xf(cell_xfs, dict(style.attrib, xfId=str(xf_id)),
                               style.find(_q("alignment")))

    def _create(self, name: str, look: _Look) -> int:
        attrs = {"numFmtId": str(self._num_fmt(look.num_format)), "fontId": str(self._font(look)),
                 "fillId": str(self._fill(look.fill)), "borderId": str(self._border(look.border))}
        align = etree.Element(_q("alignment"), wrapText="1", vertical="center") if look.wrap else None
        xf_id = self._append_xf(self.containers["cellStyleXfs"], attrs, align)
        etree.SubElement(self.containers["cellStyles"], _q("cellStyle"), name=name, xfId=str(xf_id))
        self.named[name] = xf_id
        applied = {f"apply{k}": "1" for k, v in [("NumberFormat", attrs["numFmtId"]),
                                                 ("Font", attrs["fontId"]), ("Fill", attrs["fillId"]),
                                                 ("Border", attrs["borderId"])] if v != "0"}
        if align is not None:
            applied["applyAlignment"] = "1"
        return self._append_xf(self.containers["cellXfs"], {**attrs, "xfId": str(xf_id), **applied},
                               align)

    @staticmethod
    def _append_xf(parent: etree._Element, attrs: dict, align: etree._Element | None) -> int:
        xf = etree.SubElement(parent, _q("xf"), attrs)
        if align is not None:
            xf.append(copy.deepcopy(align))
        return len(parent) - 1

    def _num_fmt(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        formats = self.root.find(_q("numFmts"))
        if formats is None:
            formats = etree.Element(_q("numFmts"))
            _insert_in_order(self.root, formats, STYLES_ORDER)
        known = {f.get("formatCode"): int(f.get("numFmtId", "0"))
                 for f in formats.iterchildren(_q("numFmt"))}
        if code in known:
            return known[code]
        new_id = max([163, *known.values()]) + 1
        etree.SubElement(formats, _q("numFmt"), numFmtId=str(new_id), formatCode=code)
        formats.set("count", str(len(formats)))
        return new_id

    def _add_once(self, key: tuple, container: str, build: Callable[[], etree._Element]) -> int:
        if key not in self.parts:
            self.containers[container].append(build())
            self.parts[key] = len(self.containers[container]) - 1
        return self.parts[key]

    def _font(self, look: _Look) -> int:
        key = ("font", look.bold, look.italic, look.underline, look.size, look.color)
        if key == ("font", False, False, False, None, None):
            return 0
        return self._add_once(key, "fonts", lambda: self._font_element(look))

    def _font_element(self, look: _Look) -> etree._Element:
        """The workbook's default font (so a Times New Roman workbook stays so), restyled."""
        base = self.containers["fonts"][0]
        font = etree.Element(_q("font"))
        for flag, tag in [(look.bold, "b"), (look.italic, "i"), (look.underline, "u")]:
            if flag:
                etree.SubElement(font, _q(tag))
        etree.SubElement(font, _q("sz"), val=f"{look.size or self.base_size():g}")
        if look.color:
            etree.SubElement(font, _q("color"), rgb="FF" + look.color)
        for tag in ["color", "name", "family", "charset", "scheme"][1 if look.color else 0:]:
            el = base.find(_q(tag))
            if el is not None:
                etree.SubElement(font, _q(tag), dict(el.attrib))
        return font

    def base_size(self) -> float:
        """The default font's size in points."""
        size = self.containers["fonts"][0].find(_q("sz"))
        return float(size.get("val", "11")) if size is not None else 11.0

    def _fill(self, rgb: str | None) -> int:
        if rgb is None:
            return 0

        def build() -> etree._Element:
            fill = etree.Element(_q("fill"))
            pattern = etree.SubElement(fill, _q("patternFill"), patternType="solid")
            etree.SubElement(pattern, _q("fgColor"), rgb="FF" + rgb)
            etree.SubElement(pattern, _q("bgColor"), indexed="64")
            return fill

        return self._add_once(("fill", rgb), "fills", build)

    def _border(self, thin: bool) -> int:
        if not thin:
            return 0

        def build() -> etree._Element:
            border = etree.Element(_q("border"))
            for side in ("left", "right", "top", "bottom"):
                edge = etree.SubElement(border, _q(side), style="thin")
                etree.SubElement(edge, _q("color"), rgb="FF" + BORDER_COLOR)
            etree.SubElement(border, _q("diagonal"))
            return border

        return self._add_once(("border",), "borders", build)

    def finish(self) -> etree._Element:
        for el in self.containers.values():
            el.set("count", str(len(el)))
        return self.root


def _signature(xf: etree._Element) -> tuple:
    align = xf.find(_q("alignment"))
    return (xf.get("numFmtId", "0"), xf.get("fontId", "0"), xf.get("fillId", "0"),
            xf.get("borderId", "0"), tuple(sorted(align.attrib.items())) if align is not None else ())


DATE_PARTS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _is_date_format(code: str) -> bool:
    return bool(re.search(r"[dDyY]", DATE_PARTS.sub("", code)))


class _SheetLooks:
    """The style indexes one sheet needs; date and link styles only when used."""

    def __init__(self, styles: _Styles, sheet: OutputSheet):
        self.styles, self.formats = styles, sheet.number_formats
        self.title = styles.index("emutools title", TITLE)
        self.subtitle = styles.index("emutools subtitle", SUBTITLE)
        self.header = styles.index("emutools header", HEADER)
        self.cells = [self.cell(f) for f in self.formats]
        self.line_height = _row_height(styles.base_size())

    def cell(self, fmt: str) -> int:
        return self.styles.index(f"emutools cell {fmt}", _Look(num_format=fmt, border=True))

    def link(self, col: int) -> int:
        fmt = self.formats[col]
        return self.styles.index(f"emutools link {fmt}", _Look(
            num_format=fmt, border=True, underline=True, color=LINK_COLOR))

    def date(self, col: int, with_time: bool) -> int:
        if _is_date_format(self.formats[col]):
            return self.cells[col]
        return self.cell("dd/mm/yyyy hh:mm" if with_time else "dd/mm/yyyy")


# --- XML text -------------------------------------------------------------------------------

ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
NEEDS_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
NEEDS_ATTR_ESCAPE = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')
ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _esc(text: str) -> str:
    """Text for element content: control characters dropped, markup escaped."""
    if not NEEDS_ESCAPE.search(text):  # the common case, checked in one pass
        return text
    text = ILLEGAL_XML.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def _attr(text: str) -> str:
    """Text for an attribute value; line breaks and tabs as references survive parsing."""
    if not NEEDS_ATTR_ESCAPE.search(text):
        return text
    return _esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _x(text: str) -> str:
    """Protect a literal ``_x0041_`` in cell text, which Excel would read as an escape."""
    return ESCAPE_LIKE.sub(r"_x005F_\1", text) if "_x" in text else text


def _inline(value: str) -> str:
    """The end of an inline-string cell: never a formula, ``sharedStrings.xml`` untouched.

    ``xml:space="preserve"`` only where it matters (leading or trailing whitespace), as
    Excel does; it would add a fifth to a large text-heavy sheet.
    """
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    return f' t="inlineStr"><is><t{space}>{_esc(_x(value))}</t></is></c>'


def _col_letter(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _column_names(header: list[str]) -> list[str]:
    """Header texts usable as table column names: one line, non-empty, unique (any case)."""
    names: list[str] = []
    for i, text in enumerate(header):
        base = " ".join(ILLEGAL_XML.sub("", str(text)).split()) or f"Column{i + 1}"
        name, n = base, 1
        while name.casefold() in {x.casefold() for x in names}:
            n += 1
            name = f"{base} ({n})"
        names.append(name)
    return names


def _number(value: object) -> str | None:
    """The exact lexical value of a number, None for NaN/infinity (written as blank)."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else None
    if isinstance(value, numbers.Real):
        f = float(value)
        return repr(f) if math.isfinite(f) else None
    return None


EPOCH = dt.datetime(1899, 12, 30)


def _serial(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - EPOCH
        return repr(delta.days + (delta.seconds * 1_000_000 + delta.microseconds) / 86_400_000_000)
    return str((value - EPOCH.date()).days)


# --- generated parts ------------------------------------------------------------------------


def _sheet_xml(t: _Target, header: list[str], looks: _SheetLooks, has_drawing: bool) -> Iterator[str]:
    """The worksheet part, as chunks of text built by joining strings (no per-cell objects)."""
    s = t.sheet
    n = len(header)
    last_col = _col_letter(n - 1)
    last_row = OutputSheet.HEADER_ROW + max(1, len(s.rows))
    code = f' codeName="{_attr(t.code_name)}"' if t.code_name is not None else ""
    selected = ' tabSelected="1"' if t.selected else ""
    yield (f'{XML_DECLARATION}<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">'
           f'<sheetPr{code}><tabColor rgb="FF{_attr(s.tab_color)}"/><pageSetUpPr fitToPage="1"/></sheetPr>'
           f'<dimension ref="A1:{last_col}{last_row}"/>'
           f'<sheetViews><sheetView workbookViewId="0"{selected}>'
           f'<pane ySplit="{OutputSheet.HEADER_ROW}" topLeftCell="A{FIRST_DATA_ROW}" '
           f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
           f'activeCell="A{FIRST_DATA_ROW}" sqref="A{FIRST_DATA_ROW}"/></sheetView></sheetViews>'
           '<sheetFormatPr defaultRowHeight="15"/><cols>')
    yield "".join(f'<col min="{i}" max="{i}" width="{float(w):g}" customWidth="1"/>'
                  for i, w in enumerate(s.widths, 1))
    yield (f'</cols><sheetData><row r="1" ht="{_row_height(TITLE_SIZE):g}" customHeight="1">'
           f'<c r="A1" s="{looks.title}"{_inline(s.title)}</row>'
           f'<row r="2"><c r="A2" s="{looks.subtitle}"{_inline(s.subtitle)}</row>'
           f'<row r="{OutputSheet.HEADER_ROW}" ht="{_header_height(header, s.widths, looks):g}" '
           'customHeight="1">')
    yield "".join(f'<c r="{_col_letter(i)}{OutputSheet.HEADER_ROW}" s="{looks.header}"'
                  f'{_inline(h)}' for i, h in enumerate(header))
    yield "</row>"
    yield from _data_rows(s, looks)
    yield "</sheetData>"
    if s.links:
        yield _hyperlinks_xml(s)
    yield ('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
           '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
           # Codes such as "01" in text columns are meant as text: no green triangles.
           f'<ignoredErrors><ignoredError sqref="A{FIRST_DATA_ROW}:{last_col}{last_row}" '
           'numberStoredAsText="1"/></ignoredErrors>')
    if has_drawing:
        yield '<drawing r:id="rId2"/>'
    yield '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'


def _row_height(font_size: float) -> float:
    """Excel's row height for a font: its pixel height plus 5 px, in points (11 pt → 15)."""
    return (round(font_size * 4 / 3) + 5) * 0.75


def _header_height(header: list[str], widths: list[float], looks: _SheetLooks) -> float:
    """Excel and LibreOffice do not grow a wrapped row on opening; size it for its lines."""
    lines = max(_wrapped_lines(h, w) for h, w in zip(header, widths, strict=True))
    return round(looks.line_height * (lines + 0.2) / 0.75) * 0.75  # whole pixels


def _wrapped_lines(text: str, width: float) -> int:
    """Lines of greedy word wrap, bold text taking about 1.15 character units a letter."""
    capacity = max(1, int(width / 1.15))
    words = [w[i:i + capacity] for w in text.split() for i in range(0, len(w), capacity)]
    lines, used = 1, -1  # -1: the line is empty, no space before the next word
    for word in words:
        if used >= 0 and used + 1 + len(word) > capacity:
            lines, used = lines + 1, -1
        used += 1 + len(word)
    return lines


def _data_rows(s: OutputSheet, looks: _SheetLooks) -> Iterator[str]:
    """Data rows from row 5; an empty table still gets one (blank) row to stay valid.

    The hot loop of the module (up to 50,000 × 9 cells): plain strings and numbers are
    handled inline, with the text of each distinct string built once.
    """
    n = len(s.header)
    starts = [f'<c r="{_col_letter(c)}' for c in range(n)]
    plain = [f'" s="{style}"' for style in looks.cells]
    link_rows = _link_rows(s, looks, plain)
    texts: dict[str, str] = {}
    for i, row in enumerate(s.rows or [[]]):
        r = str(i + FIRST_DATA_ROW)
        styles = link_rows.get(i, plain)
        cells = [f'<row r="{r}">']
        for c, v in enumerate(row):
            kind = type(v)
            if kind is str:
                text = texts.get(v)
                if text is None:
                    text = texts[v] = _inline(v)
                cells.append(f"{starts[c]}{r}{styles[c]}{text}")
            elif v is None:
                cells.append(f"{starts[c]}{r}{styles[c]}/>")
            elif (kind is int or kind is float) and v - v == 0:  # finite
                cells.append(f"{starts[c]}{r}{styles[c]}><v>{v!r}</v></c>")
            else:
                cells.append(f"{starts[c]}{r}{_value_cell(v, styles[c], looks, c)}")
        cells.extend(f"{starts[c]}{r}{styles[c]}/>" for c in range(len(row), n))
        cells.append("</row>")
        yield "".join(cells)


def _link_rows(s: OutputSheet, looks: _SheetLooks, plain: list[str]) -> dict[int, list[str]]:
    """Per linked row, its cells' style attributes; rows linked alike share one list."""
    columns: dict[int, set[int]] = {}
    for i, c, _ in s.links:
        columns.setdefault(i, set()).add(c)
    shared: dict[frozenset[int], list[str]] = {}
    rows = {}
    for i, cols in columns.items():
        key = frozenset(cols)
        if key not in shared:
            shared[key] = [f'" s="{looks.link(c)}"' if c in key else style
                           for c, style in enumerate(plain)]
        rows[i] = shared[key]
    return rows


def _value_cell(v: object, style: str, looks: _SheetLooks, col: int) -> str:
    """The rest of any other cell, from its style attribute on."""
    if isinstance(v, bool):
        return f'{style} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, dt.date):
        return f'" s="{looks.date(col, isinstance(v, dt.datetime))}"><v>{_serial(v)}</v></c>'
    if isinstance(v, str):
        return style + _inline(v)
    number = _number(v)
    if number is not None:
        return f"{style}><v>{number}</v></c>"
    if isinstance(v, numbers.Number):  # NaN, infinity: blank
        return style + "/>"
    return style + _inline(str(v))


def _display(value: object) -> str:
    return "" if value is None else str(value)


def _hyperlinks_xml(s: OutputSheet) -> str:
    """Internal links need no relationship: ``location`` is a sheet reference."""
    seen: set[tuple[int, int]] = set()
    links = []
    for i, c, location in s.links:
        if (i, c) in seen:
            continue
        seen.add((i, c))
        row = s.rows[i] if i < len(s.rows) else []
        shown = _display(row[c] if c < len(row) else None)
        display = f' display="{_attr(shown)}"' if shown else ""
        links.append(f'<hyperlink ref="{_col_letter(c)}{i + FIRST_DATA_ROW}" '
                     f'location="{_attr(location)}"{display}/>')
    return f"<hyperlinks>{''.join(links)}</hyperlinks>"


def _rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    items = "".join(f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{_attr(target)}"/>'
                    for rid, kind, target in rels)
    return f'{XML_DECLARATION}<Relationships xmlns="{NS_PKG_RELS}">{items}</Relationships>'.encode()


def _table_xml(s: OutputSheet, header: list[str], table_id: int, name: str) -> bytes:
    ref = f"A{OutputSheet.HEADER_ROW}:{_col_letter(len(header) - 1)}" \
          f"{OutputSheet.HEADER_ROW + max(1, len(s.rows))}"
    columns = "".join(f'<tableColumn id="{i}" name="{_attr(_x(h))}"/>'
                      for i, h in enumerate(header, 1))
    return (f'{XML_DECLARATION}<table xmlns="{NS_MAIN}" id="{table_id}" name="{name}" '
            f'displayName="{name}" ref="{ref}" totalsRowShown="0"><autoFilter ref="{ref}"/>'
            f'<tableColumns count="{len(header)}">{columns}</tableColumns>'
            f'<tableStyleInfo name="{TABLE_STYLE}" showFirstColumn="0" showLastColumn="0" '
            'showRowStripes="1" showColumnStripes="0"/></table>').encode()


def _drawing_xml(charts: tuple[BarChart, ...]) -> bytes:
    def corner(tag: str, col: int, row: int) -> str:
        return (f"<xdr:{tag}><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
                f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{tag}>")

    def anchor(k: int, chart: BarChart) -> str:
        return ('<xdr:twoCellAnchor editAs="oneCell">'
                f'{corner("from", chart.anchor_col, chart.anchor_row)}'
                f'{corner("to", chart.anchor_col + chart.width_cols, chart.anchor_row + chart.height_rows)}'
                '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
                f'<xdr:cNvPr id="{k + 1}" name="{_attr(chart.title) or f"Chart {k}"}"/><xdr:cNvGraphicFramePr/>'
                '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
                f'<a:graphic><a:graphicData uri="{NS_C}"><c:chart xmlns:c="{NS_C}" xmlns:r="{NS_R}" '
                f'r:id="rId{k}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>'
                '</xdr:twoCellAnchor>')

    anchors = "".join(anchor(k, chart) for k, chart in enumerate(charts, start=1))
    return f'{XML_DECLARATION}<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}">{anchors}</xdr:wsDr>'.encode()


def _chart_xml(s: OutputSheet, chart: BarChart, header: list[str]) -> bytes:
    """A horizontal clustered bar chart, first row on top, with cached values for viewers."""
    first, last = FIRST_DATA_ROW, OutputSheet.HEADER_ROW + max(1, len(s.rows))
    sheet = _quote_sheet(s.name)

    def ref(col: int, top: int, bottom: int) -> str:
        letter = _col_letter(col)
        return _esc(f"{sheet}!${letter}${top}" + (f":${letter}${bottom}" if bottom != top else ""))

    def column(col: int) -> list[object]:
        return [row[col] if col < len(row) else None for row in s.rows]

    categories = [(i, _display(v)) for i, v in enumerate(column(chart.category_col)) if v is not None]
    values = [(i, n) for i, v in enumerate(column(chart.value_col))
              if not isinstance(v, bool) and (n := _number(v)) is not None]
    count = max(1, len(s.rows))
    fmt = s.number_formats[chart.value_col]
    fmt = "General" if fmt == "@" else fmt
    category_points = "".join(f'<c:pt idx="{i}"><c:v>{_esc(text)}</c:v></c:pt>' for i, text in categories)
    value_points = "".join(f'<c:pt idx="{i}"><c:v>{n}</c:v></c:pt>' for i, n in values)
    no_line = "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
    return (
        f'{XML_DECLARATION}<c:chartSpace xmlns:c="{NS_C}" xmlns:a="{NS_A}" xmlns:r="{NS_R}">'
        '<c:date1904 val="0"/><c:roundedCorners val="0"/><c:chart>'
        '<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="vi-VN" sz="1400" b="1"/><a:t>{_esc(chart.title)}</a:t></a:r></a:p>'
        '</c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        '<c:plotArea><c:layout/><c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/>'
        '<c:varyColors val="0"/><c:ser><c:idx val="0"/><c:order val="0"/>'
        f'<c:tx><c:strRef><c:f>{ref(chart.value_col, OutputSheet.HEADER_ROW, OutputSheet.HEADER_ROW)}'
        f'</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{_esc(header[chart.value_col])}'
        '</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{HEADER.fill}"/></a:solidFill></c:spPr>'
        f'<c:invertIfNegative val="0"/><c:dLbls>{no_line}<c:showLegendKey val="0"/>'
        '<c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        f'<c:cat><c:strRef><c:f>{ref(chart.category_col, first, last)}</c:f><c:strCache>'
        f'<c:ptCount val="{count}"/>{category_points}</c:strCache></c:strRef></c:cat>'
        f'<c:val><c:numRef><c:f>{ref(chart.value_col, first, last)}</c:f><c:numCache>'
        f'<c:formatCode>{_esc(fmt)}</c:formatCode><c:ptCount val="{count}"/>{value_points}'
        '</c:numCache></c:numRef></c:val></c:ser>'
        '<c:gapWidth val="50"/><c:axId val="100"/><c:axId val="200"/></c:barChart>'
        # Categories top to bottom (maxMin), every name shown at the left edge ("low"), clear of
        # negative bars; the value axis then crosses at the bottom (max).
        '<c:catAx><c:axId val="100"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
        '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="800"/></a:pPr>'
        '<a:endParaRPr lang="vi-VN"/></a:p></c:txPr><c:crossAx val="200"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="200"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/>'
        f'<c:numFmt formatCode="{_attr(fmt)}" sourceLinked="1"/><c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="100"/>'
        '<c:crosses val="max"/><c:crossBetween val="between"/></c:valAx></c:plotArea>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    ).encode()


# --- the zip and the file -------------------------------------------------------------------


class _ZipOut:
    """A minimal zip writer: new members deflated, copied members taken as stored bytes.

    zipfile cannot add a member's compressed bytes unchanged; doing it here keeps untouched
    parts bit-identical and spares recompressing them.  No zip64: the size limits on the
    source keep the package far below 4 GB.
    """

    def __init__(self, out: BinaryIO):
        self.out = out
        self.central: list[bytes] = []

    def copy(self, info: zipfile.ZipInfo, data: bytes) -> None:
        self._member(info.filename, info.compress_type, info.CRC, data, info.file_size,
                     info.date_time)

    def add(self, name: str, content: bytes) -> None:
        deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        data = deflate.compress(content) + deflate.flush()
        self._member(name, zipfile.ZIP_DEFLATED, zlib.crc32(content), data, len(content),
                     NEW_PART_TIME)

    def _member(self, name: str, method: int, crc: int, data: bytes, size: int,
                date_time: tuple) -> None:
        encoded = name.encode("utf-8")
        offset = self.out.tell()
        if max(offset, len(data), size) > 0xFFFFFFFF or len(self.central) >= 0xFFFF:
            raise OSError("the workbook is too large to write")
        y, mo, d, h, mi, sec = date_time if date_time[0] >= 1980 else NEW_PART_TIME
        fields = struct.pack("<HHHHHIII", 20, 0x800 if not name.isascii() else 0, method,
                             h << 11 | mi << 5 | sec // 2, (y - 1980) << 9 | mo << 5 | d,
                             crc, len(data), size)
        self.out.write(b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded)
        self.out.write(data)
        self.central.append(b"PK\x01\x02" + struct.pack("<H", 20) + fields
                            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset) + encoded)

    def close(self) -> None:
        start = self.out.tell()
        for record in self.central:
            self.out.write(record)
        n = len(self.central)
        self.out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n,
                                                   self.out.tell() - start, start, 0))


def _write_temp(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """The new package in a temp file beside the original, synced to disk."""
    tmp = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.",
                                        suffix=".emutools.tmp")
        tmp = Path(tmp_name)
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))  # mkstemp makes it private
        return tmp
    except BaseException as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WorkbookWriteError(
                f"Không ghi được tệp tạm trong thư mục “{path.parent}” ({exc}). Hãy kiểm tra dung "
                "lượng ổ đĩa và quyền ghi. Tệp gốc không bị thay đổi.",
                f"Cannot write a temporary file in '{path.parent}' ({exc}). Check the free disk "
                "space and write permission. The file was not changed.",
            ) from exc
        raise


def _backup(path: Path) -> Path:
    backup_path = path.with_name(f"{path.stem}.bak{path.suffix}")
    try:
        shutil.copy2(path, backup_path)
    except OSError as exc:
        raise WorkbookWriteError(
            f"Không ghi được bản sao lưu “{backup_path.name}” ({exc}). Nếu bản sao lưu đang mở "
            "trong Excel, hãy đóng nó rồi chạy lại. Tệp gốc không bị thay đổi.",
            f"Cannot write the backup '{backup_path.name}' ({exc}). If the backup is open in "
            "Excel, close it and run again. The file was not changed.",
        ) from exc
    return backup_path


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except PermissionError as exc:
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{path.name}”: tệp đang bị khóa, có thể đang mở trong Excel. "
            "Hãy đóng tệp rồi chạy lại. Tệp gốc không bị thay đổi.",
            f"Cannot write '{path.name}': the file is locked, probably open in Excel. Close it "
            "and run again. The file was not changed.",
        ) from exc
    except OSError as exc:
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{path.name}” ({exc}). Tệp gốc không bị thay đổi.",
            f"Cannot write '{path.name}' ({exc}). The file was not changed.",
        ) from exc
