"""The workbook edit: the changes to one package, as new parts and parts left out.

Only ``[Content_Types].xml``, ``xl/workbook.xml`` and its rels, ``xl/styles.xml`` and, when
it refers to a rewritten sheet, ``xl/calcChain.xml`` (removed) are parsed and rebuilt;
each output sheet gets a regenerated worksheet part with its own table, drawing and chart
parts, and the parts its old version owned alone are dropped.  Every other part is copied
verbatim — its compressed bytes, even — so VBA, shapes, comments, validation, conditional
formats, names and other sheets survive exactly.  New parts take the smallest free number,
so the same input always gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from emutools.io.gridsheet import GridSheet
from emutools.io.package import NS_PKG_RELS, NS_R, NS_TYPES
from emutools.io.sheetdata import OutputSheet
from emutools.io.xlsx.cells import patch_cells
from emutools.io.xlsx.chart_part import chart_xml
from emutools.io.xlsx.checks import CELL_LIKE, TABLE_NAME
from emutools.io.xlsx.drawing_part import drawing_xml
from emutools.io.xlsx.errors import WorkbookWriteError, damaged
from emutools.io.xlsx.grid_part import grid_xml
from emutools.io.xlsx.package_reader import (
    CONTENT_TYPES,
    WORKBOOK,
    WORKBOOK_RELS,
    SourcePackage,
)
from emutools.io.xlsx.page_patch import follow_print_rule
from emutools.io.xlsx.print_titles import set_print_titles
from emutools.io.xlsx.relationships import (
    R_ID,
    REL,
    owned_only_by,
    relative_target,
    rels_of,
    rels_xml,
    resolve_target,
)
from emutools.io.xlsx.sheet_part import sheet_xml
from emutools.io.xlsx.styles import GridLooks, SheetLooks, Styles
from emutools.io.xlsx.table_part import column_names, grid_table_xml, table_xml
from emutools.io.xlsx.xmltext import insert_in_order, qname, serialize
from emutools.io.xlsx.zipwriter import PackageZip

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

# Schema order of CT_Workbook's children, for inserting one that is missing.
WORKBOOK_ORDER = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                  "sheets", "functionGroups", "externalReferences", "definedNames", "calcPr",
                  "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                  "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"]


@dataclass
class SheetTarget:
    """Where one output sheet goes, and what of its old version must be kept."""

    sheet: OutputSheet | GridSheet
    part: str
    added: bool
    sheet_id: str | None = None  # of a replaced sheet, as calcChain.xml refers to it
    selected: bool = False
    code_name: str | None = None  # ties the sheet to its VBA document module in an .xlsm
    table_name: str | None = None  # of emutools' table on the old sheet, as the user named it
    protection: str = ""  # the old sheet's <sheetProtection/>, kept as the user set it


class WorkbookEdit:
    """The changes to one package, collected as new part bytes and parts to leave out."""

    def __init__(self, pkg: SourcePackage):
        self.pkg = pkg
        self.types = pkg.xml(CONTENT_TYPES)
        self.book = pkg.xml(WORKBOOK)
        if self.book.tag != qname("workbook"):
            raise damaged(pkg.filename, "Strict Open XML or unknown workbook format")
        self.book_rels = pkg.xml(WORKBOOK_RELS)
        styles_part = self._workbook_part("styles")
        if styles_part is None:
            raise damaged(pkg.filename, "no styles part")
        self.styles_part = styles_part
        self.styles = Styles(pkg.xml(styles_part))
        self.taken = {n.casefold() for n in pkg.names}
        self.dropped: set[str] = set()
        self.sheet_parts: dict[str, bytes] = {}  # worksheet parts and their rels
        self.owned_parts: dict[str, bytes] = {}  # tables, drawings, charts
        self.added: list[str] = []
        self.left_out: list[str] = []  # optional sheets the locked structure had no room for
        self.table_ids: set[int] = set()
        self.table_names: set[str] = set()  # of the tables kept, and those made by this edit
        self.defined_names: set[str] = set()
        pr = self.book.find(qname("workbookPr"))
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")

    def _rels(self) -> list[etree._Element]:
        return list(self.book_rels.iterchildren(f"{{{NS_PKG_RELS}}}Relationship"))

    def _workbook_part(self, rel_type: str) -> str | None:
        for rel in self._rels():
            if rel.get("Type") == REL + rel_type:
                return self.pkg.part(resolve_target(WORKBOOK, rel.get("Target", "")))
        return None

    def apply(self, sheets: list[OutputSheet | GridSheet], cells: dict[str, dict[str, object]] | None = None,
              legible: tuple[str, ...] = ()) -> None:
        """Replace or add ``sheets``; set ``cells`` (sheet name -> cell -> value) of other sheets;
        the other sheets named in ``legible`` print by the rule if they print too small."""
        self.left_out = [s.name for s in sheets if self._left_out(s)]
        targets = [self._locate(s) for s in sheets if s.name not in self.left_out]
        replaced = {t.part for t in targets if not t.added}
        self.dropped = owned_only_by(self.pkg, replaced)
        patched = self._patch_cells(cells or {}, legible)
        self._drop_calc_chain({t.sheet_id for t in targets if t.sheet_id is not None} | patched)
        self._remove_overrides(self.dropped)
        self.taken -= {p.casefold() for p in self.dropped}
        self._collect_tables()
        self.table_names |= {t.table_name.casefold() for t in targets if t.table_name}
        for t in targets:
            self._render(t)
        self._set_full_calc_on_load()

    # sheets in xl/workbook.xml

    def _sheet_elements(self) -> list[etree._Element]:
        sheets = self.book.find(qname("sheets"))
        if sheets is None:
            raise KeyError("xl/workbook.xml has no <sheets>")
        return list(sheets.iterchildren(qname("sheet")))

    def _locate(self, sheet: OutputSheet | GridSheet) -> SheetTarget:
        for el in self._sheet_elements():
            if el.get("name", "").casefold() == sheet.name.casefold():
                target = self._existing(sheet, el)
                break
        else:
            target = self._add_sheet(sheet)
        if isinstance(sheet, OutputSheet) and sheet.hidden:  # not even listed under Unhide
            self._very_hidden(sheet.name)
            target.selected = False
        return target

    def _left_out(self, sheet: OutputSheet | GridSheet) -> bool:
        """An optional sheet the workbook lacks while its structure is locked is left out,
        so a workbook locked before that sheet existed still ranks."""
        if not (isinstance(sheet, OutputSheet) and sheet.optional and self._structure_locked()):
            return False
        return all(el.get("name", "").casefold() != sheet.name.casefold() for el in self._sheet_elements())

    def _structure_locked(self) -> bool:
        locked = self.book.find(qname("workbookProtection"))
        return locked is not None and locked.get("lockStructure", "0").lower() in ("1", "true")

    def _very_hidden(self, name: str) -> None:
        el = next(e for e in self._sheet_elements() if e.get("name", "").casefold() == name.casefold())
        el.set("state", "veryHidden")

    def _existing(self, sheet: OutputSheet | GridSheet, el: etree._Element) -> SheetTarget:
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
        part = self.pkg.part(resolve_target(WORKBOOK, rel.get("Target", "")))
        el.set("name", sheet.name)
        head = self.pkg.head(part)
        code_name = re.search(r'<(?:\w+:)?sheetPr\b[^>]*?\scodeName="([^"]*)"', head)
        selected = re.search(r'<(?:\w+:)?sheetView\b[^>]*?\stabSelected="(?:1|true)"', head)
        return SheetTarget(sheet, part, added=False, sheet_id=el.get("sheetId"),
                           selected=bool(selected), code_name=code_name.group(1) if code_name else None,
                           table_name=self._own_table_name(part, sheet),
                           protection=self._protection(part))

    def _own_table_name(self, part: str, sheet: OutputSheet | GridSheet) -> str | None:
        """The name of emutools' table on the sheet being replaced, recognised by its place
        (header at ``A{HEADER_ROW}``) and its columns (at least half of the new header's):
        a user who renamed it (``KetQua``) keeps that name, and with it every
        ``=SUM(KetQua[…])`` that refers to it.  Any other table there is not ours to keep."""
        rels = rels_of(part)
        header = _table_header(sheet)
        if rels not in self.pkg.names or header is None:
            return None
        for rel in self.pkg.xml(rels).iterchildren(f"{{{NS_PKG_RELS}}}Relationship"):
            target = self.pkg.part(resolve_target(part, rel.get("Target", "")))
            if rel.get("Type") != REL + "table" or target not in self.pkg.names:
                continue
            table = self.pkg.xml(target)
            name = table.get("displayName") or table.get("name") or ""
            old = {c.get("name", "").casefold() for c in table.iter(qname("tableColumn"))}
            shared = sum(h.casefold() in old for h in column_names(header))
            if table.get("ref", "").startswith(f"A{OutputSheet.HEADER_ROW}:") and \
                    2 * shared >= len(header) and TABLE_NAME.fullmatch(name) and \
                    not CELL_LIKE.fullmatch(name):
                return name
        return None

    def _protection(self, part: str) -> str:
        """The old sheet's ``<sheetProtection …/>`` (password hash, allowed actions), if any.

        Values are written under it, as Excel's own macros can write a protected sheet.
        """
        found = re.search(rb"<(?:\w+:)?sheetProtection\b[^>]*?/>", self.pkg.zip.read(part))
        if found is None:
            return ""
        return re.sub(r"^<\w+:", "<", found.group().decode("utf-8"))

    def _add_sheet(self, sheet: OutputSheet | GridSheet) -> SheetTarget:
        if self._structure_locked():
            raise WorkbookWriteError(
                f"Không ghi được vào tệp “{self.pkg.filename}”: cấu trúc bảng tính đã bị khóa "
                f"(Review › Protect Workbook) nên không thêm được sheet “{sheet.name}”. Hãy bỏ khóa "
                "cấu trúc (Review › Protect Workbook, nhập mật khẩu) rồi chạy lại, hoặc tự thêm "
                "sheet đó. Tệp không bị thay đổi.",
                f"Cannot write '{self.pkg.filename}': the workbook's structure is locked (Review › "
                f"Protect Workbook), so the sheet '{sheet.name}' cannot be added. Unprotect the "
                "structure (Review › Protect Workbook, enter the password) and run again, or add "
                "that sheet yourself. The file was not changed.",
            )
        elements = self._sheet_elements()
        part = self._allocate("xl/worksheets/sheet{}.xml")
        rid = self._add_workbook_rel(REL + "worksheet", relative_target(WORKBOOK, part))
        sheet_id = max((int(e.get("sheetId", "0")) for e in elements), default=0) + 1
        el = etree.SubElement(self.book.find(qname("sheets")), qname("sheet"), nsmap={"r": NS_R})
        el.set("name", sheet.name)
        el.set("sheetId", str(sheet_id))
        el.set(R_ID, rid)
        self._override(part, CT_WORKSHEET)
        self.added.append(sheet.name)
        return SheetTarget(sheet, part, added=True)

    def _add_workbook_rel(self, rel_type: str, target: str) -> str:
        ids = {r.get("Id") for r in self._rels()}
        rid = next(f"rId{n}" for n in range(1, len(ids) + 2) if f"rId{n}" not in ids)
        etree.SubElement(self.book_rels, f"{{{NS_PKG_RELS}}}Relationship",
                         Id=rid, Type=rel_type, Target=target)
        return rid

    def _set_full_calc_on_load(self) -> None:
        """Formulas elsewhere that read the output sheets must not show stale results."""
        calc = self.book.find(qname("calcPr"))
        if calc is None:
            calc = etree.Element(qname("calcPr"))
            insert_in_order(self.book, calc, WORKBOOK_ORDER)
        calc.set("fullCalcOnLoad", "1")

    def _patch_cells(self, cells: dict[str, dict[str, object]], legible: tuple[str, ...]) -> set[str]:
        """Input sheets whose given cells change, everything else in them kept, and those of
        ``legible`` printed fit to one page wide below 8 pt (:mod:`.page_patch`); the ids of
        the sheets whose cells changed."""
        ids = set()
        for name in dict.fromkeys([*cells, *legible]):
            el = next((e for e in self._sheet_elements() if e.get("name", "").casefold() == name.casefold()), None)
            rel = None if el is None else next((r for r in self._rels() if r.get("Id") == el.get(R_ID)), None)
            if rel is None or rel.get("Type") != REL + "worksheet":
                if name not in cells:
                    continue
                raise KeyError(f"no worksheet named {name!r}")
            part = self.pkg.part(resolve_target(WORKBOOK, rel.get("Target", "")))
            root = self.pkg.xml(part)
            reprinted = name in legible and follow_print_rule(root)
            if name in cells:
                self.sheet_parts[part] = patch_cells(root, cells[name])
                ids.add(el.get("sheetId"))
            elif reprinted:
                self.sheet_parts[part] = serialize(root)
        return ids

    def _drop_calc_chain(self, sheet_ids: set[str]) -> None:
        """A calc chain naming cells of a rewritten sheet makes Excel repair the file."""
        part = self._workbook_part("calcChain")
        if part is None or part not in self.pkg.names:
            return
        rewritten = {i.encode() for i in sheet_ids}
        if not rewritten & set(re.findall(rb'\si="(\d+)"', self.pkg.zip.read(part))):
            return
        self.dropped.add(part)
        for rel in self._rels():
            if rel.get("Type") == REL + "calcChain":
                self.book_rels.remove(rel)

    # [Content_Types].xml

    def _remove_overrides(self, parts: set[str]) -> None:
        names = {"/" + p.casefold() for p in parts}
        for el in list(self.types.iterchildren(qname("Override", NS_TYPES))):
            if el.get("PartName", "").casefold() in names:
                self.types.remove(el)

    def _override(self, part: str, content_type: str) -> None:
        self._remove_overrides({part})
        etree.SubElement(self.types, qname("Override", NS_TYPES), PartName="/" + part,
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
        for el in self.types.iterchildren(qname("Override", NS_TYPES)):
            part = self.pkg.part(el.get("PartName", "").lstrip("/"))
            if el.get("ContentType") == CT_TABLE and part in self.pkg.names \
                    and part not in self.dropped:
                table = self.pkg.xml(part)
                self.table_ids.add(int(table.get("id", "0")))
                self.table_names |= {table.get("name", "").casefold(),
                                     table.get("displayName", "").casefold()}
        names = self.book.find(qname("definedNames"))
        if names is not None:
            self.defined_names = {n.get("name", "").casefold()
                                  for n in names.iterchildren(qname("definedName"))}

    def _table_identity(self, t: SheetTarget) -> tuple[int, str]:
        """A free id, and the name: the table's own name when it had one (reserved in
        :meth:`apply`: renaming it would break the user's references to it, and a defined
        name of the same name is the user's, not a reason to rename ours); for a new table,
        the contract's name, with ``_2``, ``_3``… only if a table or defined name has it."""
        table_id = next(n for n in range(1, len(self.table_ids) + 2) if n not in self.table_ids)
        self.table_ids.add(table_id)
        if t.table_name:
            return table_id, t.table_name
        wanted = t.sheet.table.name if isinstance(t.sheet, GridSheet) else t.sheet.table_name
        name, n = wanted, 1
        while name.casefold() in self.table_names | self.defined_names:
            n += 1
            name = f"{wanted}_{n}"
        self.table_names.add(name.casefold())
        return table_id, name

    # one output sheet

    def _render(self, t: SheetTarget) -> None:
        s = t.sheet
        if isinstance(s, GridSheet):
            self._render_grid(t, s)
            return
        table_part = self._allocate("xl/tables/table{}.xml")
        rels = [("rId1", "table", relative_target(t.part, table_part))]
        table_id, table_name = self._table_identity(t)
        header = column_names(s.header)
        self.owned_parts[table_part] = table_xml(s, header, table_id, table_name)
        self._override(table_part, CT_TABLE)
        if s.charts:
            drawing_part = self._allocate("xl/drawings/drawing{}.xml")
            rels.append(("rId2", "drawing", relative_target(t.part, drawing_part)))
            chart_rels = []
            for k, chart in enumerate(s.charts, start=1):
                chart_part = self._allocate("xl/charts/chart{}.xml")
                chart_rels.append((f"rId{k}", "chart", relative_target(drawing_part, chart_part)))
                self.owned_parts[chart_part] = chart_xml(s, chart, header)
                self._override(chart_part, CT_CHART)
            self.owned_parts[drawing_part] = drawing_xml(s.charts)
            self.owned_parts[rels_of(drawing_part)] = rels_xml(chart_rels)
            self._override(drawing_part, CT_DRAWING)
        looks = SheetLooks(self.styles, s)
        self.sheet_parts[t.part] = "".join(sheet_xml(
            s, header, looks, has_drawing=len(rels) > 1, code_name=t.code_name,
            selected=t.selected, protection=t.protection, date1904=self.date1904)).encode()
        self.sheet_parts[rels_of(t.part)] = rels_xml(rels)

    def _render_grid(self, t: SheetTarget, s: GridSheet) -> None:
        """An input grid: its worksheet part, its table (the ballot's) and its print titles."""
        rels = []
        if s.table is not None:
            table_part = self._allocate("xl/tables/table{}.xml")
            rels.append(("rId1", "table", relative_target(t.part, table_part)))
            table_id, table_name = self._table_identity(t)
            self.owned_parts[table_part] = grid_table_xml(s.table, table_id, table_name)
            self._override(table_part, CT_TABLE)
        self.sheet_parts[t.part] = "".join(grid_xml(
            s, GridLooks(self.styles), self.styles.flag_format(), code_name=t.code_name,
            selected=t.selected, protection=t.protection)).encode()
        if rels:
            self.sheet_parts[rels_of(t.part)] = rels_xml(rels)
        else:
            self.dropped.add(rels_of(t.part))
        index = next(k for k, el in enumerate(self._sheet_elements())
                     if el.get("name", "").casefold() == s.name.casefold())
        set_print_titles(self.book, WORKBOOK_ORDER, index, s.name, s.print_rows, s.print_cols)

    # output

    def write(self, out: BinaryIO) -> None:
        """The new package: source order kept, rewritten parts in place, new parts at the end."""
        in_place = {CONTENT_TYPES: serialize(self.types), WORKBOOK: serialize(self.book),
                    WORKBOOK_RELS: serialize(self.book_rels),
                    self.styles_part: serialize(self.styles.finish()), **self.sheet_parts}
        zout, done = PackageZip(out), set()
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


def _table_header(sheet: OutputSheet | GridSheet) -> list[str] | None:
    """The header of the table emutools writes on ``sheet``, if it writes one."""
    if isinstance(sheet, GridSheet):
        return list(sheet.table.header) if sheet.table is not None else None
    return sheet.header
