"""Package checks the Open XML SDK validator does not make, but Excel does on open.

The SDK validates each XML part against the schema; it does not follow a relationship to see
whether its target exists, compare a table's header with the cell under it, or look whether
calcChain.xml names a cell that holds a formula. Excel does, and answers each of those with
"We found a problem with some content… Do you want us to try to recover?". ``check(path)``
returns every such finding for an .xlsx/.xlsm (or, for a .docx, the package-level ones) with
the part and an XPath-like location, so a failure says where to look.

Checked: every part has a content type (the one its relationship type requires for sheets,
styles, strings, calcChain, tables, themes, drawings and charts) and every Override a part; every internal relationship
target exists, relationship ids are unique; sheet names valid and unique, sheet ids unique;
defined names valid, unique per scope, localSheetId in range, no #REF!, sheets they name
exist, print titles whole rows/columns of their own sheet; rows ascending and cells inside
their row in order; shared-string indexes, count and uniqueCount; calcChain entries on
formula cells; table ids and names unique in the workbook, ref valid, one column per ref
column, header cells equal to the column names, autoFilter equal to the ref without totals;
drawing anchors inside the sheet, ``to`` not before ``from``, chart/image ids resolved.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote
from xml.etree import ElementTree as ET

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MAX_ROW, MAX_COL = 1_048_576, 16_384
CELL = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
NAME = re.compile(r"[A-Za-z_\\\u00C0-\uFFFF][\w.\\\u00C0-\uFFFF]*")
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
CONTENT_TYPE = {  # relationship type (after REL) -> the content type its target in xl/ must have
    "worksheet": SML + "worksheet+xml", "styles": SML + "styles+xml",
    "sharedStrings": SML + "sharedStrings+xml", "calcChain": SML + "calcChain+xml",
    "table": SML + "table+xml", "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    "drawing": "application/vnd.openxmlformats-officedocument.drawing+xml",
    "chart": "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
}
SHEET_PREFIX = re.compile(r"(?:'((?:[^']|'')+)'|([^\s'!,()=+\-*/&<>^:;\"{}]+))!")


@dataclass(frozen=True)
class Finding:
    file: str
    part: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: /{self.part} {self.where}: {self.message}"


def cell(ref: str) -> tuple[int, int] | None:
    """'B3' or '$B$3' -> (row 3, column 2); None when not a cell inside the sheet."""
    m = CELL.fullmatch(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    return (row, col) if 1 <= row <= MAX_ROW and 1 <= col <= MAX_COL else None


def area(ref: str) -> tuple[int, int, int, int] | None:
    """'A1:C4' -> (1, 1, 4, 3) (top, left, bottom, right), a single cell as its own area."""
    ends = [cell(p) for p in ref.split(":")]
    if not 1 <= len(ends) <= 2 or None in ends:
        return None
    (r1, c1), (r2, c2) = ends[0], ends[-1]
    return (r1, c1, r2, c2) if r1 <= r2 and c1 <= c2 else None


class Package:
    """One file's parts, parsed on demand, and the findings gathered while checking them."""

    def __init__(self, path: str):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())
        self.findings: list[Finding] = []
        self.content_type: dict[str, str] = {}
        self.shared_refs = 0  # cells of type "s", against sharedStrings.xml's count
        self._xml: dict[str, ET.Element] = {}

    def find(self, part: str, where: str, message: str) -> None:
        self.findings.append(Finding(self.path, part, where, message))

    def xml(self, part: str) -> ET.Element:
        if part not in self._xml:
            self._xml[part] = ET.fromstring(self.zip.read(part))
        return self._xml[part]

    def rels(self, source: str) -> dict[str, tuple[str, str]]:
        """rId -> (type, part name) of a part's internal relationships ('' is the package)."""
        folder, base = posixpath.split(source)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if rels_part not in self.names:
            return {}
        out = {}
        for r in self.xml(rels_part).iter(f"{PKG}Relationship"):
            if r.get("TargetMode") == "External":
                continue
            target = unquote(r.get("Target", ""))
            target = (target[1:] if target.startswith("/")
                      else posixpath.normpath(posixpath.join(folder, target)))
            out[r.get("Id")] = (r.get("Type", ""), target)
        return out


def check(path: str) -> list[Finding]:
    """Every structural finding in the file at ``path`` (empty when Excel/Word would not complain)."""
    pkg = Package(path)
    with pkg.zip:
        _content_types(pkg)
        _relationships(pkg)
        main = [t for typ, t in pkg.rels("").values() if typ == REL + "officeDocument"]
        if len(main) != 1:
            pkg.find("_rels/.rels", "/Relationships", f"{len(main)} officeDocument relationships, want 1")
        elif main[0].startswith("xl/") and main[0] in pkg.names:
            _workbook(pkg, main[0])
    return pkg.findings


def _content_types(pkg: Package) -> None:
    part = "[Content_Types].xml"
    if part not in pkg.names:
        pkg.find(part, "/", "missing")
        return
    types = pkg.xml(part)
    defaults = {d.get("Extension", "").lower(): d.get("ContentType")
                for d in types.iter(f"{CT}Default")}
    overrides = {}
    for i, o in enumerate(types.iter(f"{CT}Override"), 1):
        name = o.get("PartName", "").lstrip("/")
        if name not in pkg.names:
            pkg.find(part, f"/Types/Override[{i}]", f"PartName /{name} is not in the package")
        overrides[name] = o.get("ContentType")
    for name in pkg.names - {part}:
        if name.endswith("/"):
            continue
        kind = overrides.get(name) or defaults.get(posixpath.basename(name).rpartition(".")[2].lower())
        if kind is None:
            pkg.find(name, "/", "no content type (neither an Override nor a Default for its extension)")
        pkg.content_type[name] = kind


def _relationships(pkg: Package) -> None:
    for rels_part in sorted(n for n in pkg.names if n.endswith(".rels")):
        folder, base = posixpath.split(rels_part)
        source = posixpath.join(posixpath.dirname(folder), base[:-len(".rels")])
        if source and source not in pkg.names:
            pkg.find(rels_part, "/Relationships", f"relationships of a part that does not exist (/{source})")
        ids = Counter(r.get("Id") for r in pkg.xml(rels_part).iter(f"{PKG}Relationship"))
        for rid, n in ids.items():
            if n > 1:
                pkg.find(rels_part, f"/Relationships/Relationship[@Id='{rid}']", f"Id used {n} times")
        for rid, (typ, target) in pkg.rels(source).items():
            if target not in pkg.names:
                pkg.find(rels_part, f"/Relationships/Relationship[@Id='{rid}']",
                         f"target /{target} does not exist ({typ.rsplit('/', 1)[-1]})")
            elif target.startswith("xl/") and pkg.content_type[target] != CONTENT_TYPE.get(
                    typ.removeprefix(REL), pkg.content_type[target]):
                pkg.find(target, "/", f"content type {pkg.content_type[target]}, but a "
                                      f"{typ.removeprefix(REL)} must be {CONTENT_TYPE[typ.removeprefix(REL)]}")


def _workbook(pkg: Package, main: str) -> None:
    wb, rels = pkg.xml(main), pkg.rels(main)
    sheets = []  # (name, sheetId, part or None)
    for i, s in enumerate(wb.iter(f"{M}sheet"), 1):
        name, where = s.get("name", ""), f"/x:workbook/x:sheets/x:sheet[{i}]"
        if not 1 <= len(name) <= 31 or re.search(r"[\[\]:*?/\\]", name) or name[0] == "'" or name[-1] == "'":
            pkg.find(main, where, f"invalid sheet name {name!r}")
        typ, part = rels.get(s.get(f"{R}id"), ("", None))
        if not typ.endswith(("/worksheet", "/chartsheet")):
            pkg.find(main, where, f"r:id {s.get(f'{R}id')} is not a sheet relationship")
        sheets.append((name, s.get("sheetId"), part if typ.endswith("/worksheet") else None))
    for what, values in (("sheet name", [n.casefold() for n, _, _ in sheets]),
                         ("sheetId", [i for _, i, _ in sheets])):
        for value, n in Counter(values).items():
            if n > 1:
                pkg.find(main, "/x:workbook/x:sheets", f"{what} {value!r} used {n} times")
    known = {n.casefold() for n, _, _ in sheets}
    names = Counter()
    for i, d in enumerate(wb.iter(f"{M}definedName"), 1):
        name, scope, text = d.get("name", ""), d.get("localSheetId"), d.text or ""
        where = f"/x:workbook/x:definedNames/x:definedName[{i}] ({name})"
        names[(name.casefold(), scope)] += 1
        if not name.startswith("_xlnm.") and (not NAME.fullmatch(name) or cell(name.upper())
                                              or name.upper() in ("R", "C")):
            pkg.find(main, where, "invalid defined name")
        if scope is not None and not 0 <= int(scope) < len(sheets):
            pkg.find(main, where, f"localSheetId {scope} outside 0..{len(sheets) - 1}")
        _formula_refs(pkg, main, where, text, known)
        if name in ("_xlnm.Print_Titles", "_xlnm.Print_Area"):
            if scope is None or not 0 <= int(scope) < len(sheets):
                pkg.find(main, where, f"{name} needs the localSheetId of its sheet")
            elif name == "_xlnm.Print_Titles":
                _print_titles(pkg, main, where, text, sheets[int(scope)][0])
    for (name, scope), n in names.items():
        if n > 1:
            pkg.find(main, "/x:workbook/x:definedNames", f"{name!r} (localSheetId {scope}) defined {n} times")
    strings = _shared_strings(pkg, rels)
    formulas: dict[str, set[tuple[int, int]]] = {}
    tables: list[tuple[str, str, str]] = []  # (part, id, displayName)
    for _, sheet_id, part in sheets:
        if part in pkg.names:
            formulas[sheet_id] = _worksheet(pkg, part, strings, tables)
    for what, index in (("id", 1), ("name", 2)):
        for value, n in Counter(t[index].casefold() for t in tables).items():
            if n > 1:
                parts = [t[0] for t in tables if t[index].casefold() == value]
                pkg.find(parts[0], "/x:table", f"table {what} {value!r} used by {n} tables: {parts}")
    for _, part in [v for v in rels.values() if v[0] == REL + "sharedStrings"]:
        count = pkg.xml(part).get("count") if part in pkg.names else None
        if count is not None and int(count) < pkg.shared_refs:
            pkg.find(part, "/x:sst/@count", f"{count}, but {pkg.shared_refs} cells use shared strings")
    for _, part in [v for v in rels.values() if v[0] == REL + "calcChain"]:
        if part in pkg.names:
            _calc_chain(pkg, part, formulas)


def _formula_refs(pkg: Package, part: str, where: str, text: str, known: set[str]) -> None:
    if "#REF!" in text:
        pkg.find(part, where, f"#REF! in {text!r}")
    for m in SHEET_PREFIX.finditer(re.sub(r'"(?:[^"]|"")*"', '""', text)):
        sheet = m.group(1).replace("''", "'") if m.group(1) else m.group(2)
        if not sheet.startswith("[") and sheet.casefold() not in known:
            pkg.find(part, where, f"refers to sheet {sheet!r}, which does not exist")


def _print_titles(pkg: Package, part: str, where: str, text: str, sheet: str) -> None:
    """Excel accepts only whole rows ($3:$4) and/or whole columns ($A:$C) of the sheet itself."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    for piece in text.split(","):
        prefix, _, ref = piece.rpartition("!")
        if prefix not in (quoted, sheet) or not (re.fullmatch(r"\$\d+:\$\d+", ref)
                                                 or re.fullmatch(r"\$[A-Z]{1,3}:\$[A-Z]{1,3}", ref)):
            pkg.find(part, where, f"print titles {piece!r} are not whole rows/columns of {sheet!r}")


def _shared_strings(pkg: Package, rels: dict) -> list[str] | None:
    for _, part in [v for v in rels.values() if v[0] == REL + "sharedStrings"]:
        if part in pkg.names:
            sst = pkg.xml(part)
            items = ["".join(si.itertext()) for si in sst.iter(f"{M}si")]
            if sst.get("uniqueCount") is not None and int(sst.get("uniqueCount")) != len(items):
                pkg.find(part, "/x:sst/@uniqueCount", f"{sst.get('uniqueCount')} but {len(items)} <si>")
            return items
    return None


def _worksheet(pkg: Package, part: str, strings: list[str] | None,
               tables: list[tuple[str, str, str]]) -> set[tuple[int, int]]:
    """Checks rows, cells and tables of one sheet; returns its formula cells (for calcChain)."""
    ws = pkg.xml(part)
    values: dict[tuple[int, int], str] = {}
    formulas = set()
    last_row = 0
    for i, row in enumerate(ws.iter(f"{M}row"), 1):
        where = f"/x:worksheet/x:sheetData/x:row[{i}]"
        r = int(row.get("r", last_row + 1))
        if not last_row < r <= MAX_ROW:
            pkg.find(part, where, f"row {r} after row {last_row}")
        last_row, last_col = r, 0
        for j, c in enumerate(row.iter(f"{M}c"), 1):
            at = cell(c.get("r", "")) if c.get("r") else (r, last_col + 1)
            if at is None or at[0] != r or at[1] <= last_col:
                pkg.find(part, f"{where}/x:c[{j}]", f"cell {c.get('r')} out of place in row {r}")
                continue
            last_col = at[1]
            if c.find(f"{M}f") is not None:
                formulas.add(at)
            v, kind = c.findtext(f"{M}v"), c.get("t", "n")
            if kind == "s":
                pkg.shared_refs += 1
                if strings is None or not (v or "").isdigit() or int(v) >= len(strings):
                    pkg.find(part, f"{where}/x:c[{j}]", f"shared string {v} does not exist")
                else:
                    values[at] = strings[int(v)]
            elif kind == "inlineStr":
                values[at] = "".join(c.find(f"{M}is").itertext()) if c.find(f"{M}is") is not None else ""
            elif kind == "str":
                values[at] = v or ""
    rels = pkg.rels(part)
    for k, tp in enumerate(ws.iter(f"{M}tablePart"), 1):
        typ, table = rels.get(tp.get(f"{R}id"), ("", ""))
        if typ != REL + "table" or table not in pkg.names:
            pkg.find(part, f"/x:worksheet/x:tableParts/x:tablePart[{k}]", "r:id is not a table")
        else:
            tables.append(_table(pkg, table, values))
    for k, d in enumerate(ws.iter(f"{M}drawing"), 1):
        typ, drawing = rels.get(d.get(f"{R}id"), ("", ""))
        if typ != REL + "drawing" or drawing not in pkg.names:
            pkg.find(part, f"/x:worksheet/x:drawing[{k}]", "r:id is not a drawing")
        else:
            _drawing(pkg, drawing)
    return formulas


def _table(pkg: Package, part: str, values: dict[tuple[int, int], str]) -> tuple[str, str, str]:
    t = pkg.xml(part)
    name, ref = t.get("displayName", ""), t.get("ref", "")
    where = f"/x:table[@displayName='{name}']"
    if not NAME.fullmatch(name) or cell(name.upper()):
        pkg.find(part, where, "invalid displayName")
    box = area(ref)
    if box is None:
        pkg.find(part, f"{where}/@ref", f"invalid ref {ref!r}")
        return part, t.get("id", ""), name
    top, left, bottom, right = box
    columns = [c.get("name", "") for c in t.iter(f"{M}tableColumn")]
    if len(columns) != right - left + 1:
        pkg.find(part, f"{where}/x:tableColumns", f"{len(columns)} columns for ref {ref}")
    for value, n in Counter(c.casefold() for c in columns).items():
        if n > 1:
            pkg.find(part, f"{where}/x:tableColumns", f"column name {value!r} used {n} times")
    if t.get("headerRowCount", "1") != "0":
        for k, column in enumerate(columns):
            header = values.get((top, left + k))
            if header != column:
                pkg.find(part, f"{where}/x:tableColumns/x:tableColumn[{k + 1}]",
                         f"name {column!r} but its header cell holds {header!r}")
    totals = int(t.get("totalsRowCount", "0"))
    fil = t.find(f"{M}autoFilter")
    if fil is not None and area(fil.get("ref", "")) != (top, left, bottom - totals, right):
        pkg.find(part, f"{where}/x:autoFilter", f"ref {fil.get('ref')} is not the table {ref} without totals")
    return part, t.get("id", ""), name


def _drawing(pkg: Package, part: str) -> None:
    rels = pkg.rels(part)
    for i, anchor in enumerate(pkg.xml(part), 1):
        where = f"/xdr:wsDr/*[{i}]"
        ends = []
        for end in ("from", "to"):
            e = anchor.find(f"{XDR}{end}")
            if e is None:
                continue
            col, row, col_off, row_off = (int(e.findtext(f"{XDR}{k}") or -1)
                                          for k in ("col", "row", "colOff", "rowOff"))
            if not (0 <= col < MAX_COL and 0 <= row < MAX_ROW and col_off >= 0 and row_off >= 0):
                pkg.find(part, f"{where}/xdr:{end}", f"col {col} row {row} offsets {col_off},{row_off} outside the sheet")
            ends.append((row, col, row_off, col_off))
        if len(ends) == 2 and ends[1] < ends[0]:
            pkg.find(part, where, "'to' lies before 'from'")
        for e in anchor.iter():
            rid = e.get(f"{R}id") or e.get(f"{R}embed")
            if rid and rid not in rels:
                pkg.find(part, where, f"r:id {rid} has no relationship")


def _calc_chain(pkg: Package, part: str, formulas: dict[str, set[tuple[int, int]]]) -> None:
    sheet = None
    for i, c in enumerate(pkg.xml(part).iter(f"{M}c"), 1):
        sheet = c.get("i", sheet)
        if cell(c.get("r", "")) not in formulas.get(sheet, set()):
            pkg.find(part, f"/x:calcChain/x:c[{i}]", f"{c.get('r')} on sheet id {sheet} holds no formula")
