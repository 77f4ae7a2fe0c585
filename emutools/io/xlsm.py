"""The macro-enabled template (.xlsm): the cluster workbook with buttons, a ribbon tab and VBA.

Nothing on a build machine can compile VBA, so the VBA project is assembled from source:

* ``xlwings quickstart --standalone`` provides a vbaProject.bin with xlwings' own VBA
  module (RunPython without the add-in) and its Dictionary class;
* that OLE file is re-packed: ``macros/emutools.bas`` is added as a standard module, each
  sheet gets its document module (ThisWorkbook, Sheet1…SheetN, matching the sheets'
  ``codeName``) and the quickstart's sample Module1 is left out.  New module streams hold
  source only (MS-OVBA compressed, no p-code); the quickstart's ``_VBA_PROJECT`` stream
  already marks every p-code cache invalid (version 0xFFFF), so Excel compiles all
  modules from source on the first open — which is how xlwings' own file works;
* the cluster sheets are the parts of the .xlsx template, transplanted unchanged but for
  the codeNames, with the package made macro-enabled, a shape with its assigned macro per
  button on the Guide sheet and the ``Thi đua`` ribbon tab (``customUI/customUI14.xml``).

The buttons live on the Guide sheet only: emutools rewrites the Ranking and Issues sheets
whole and drops the parts they own, so a button there would vanish at the first
recalculation.  For a given xlwings version the output is byte-reproducible.

The VBA and ribbon sources are read from ``macros/`` of the source tree (a build step,
like ``workbook/build.py``), so the file they produce is the one users import by hand.
"""

from __future__ import annotations

import io
import math
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import olefile
from lxml import etree

from emutools import contract as C
from emutools.io.package import NS_A, NS_MAIN, NS_PKG_RELS, NS_R, NS_TYPES, NS_XDR
from emutools.io.template import FIRST_DATA_ROW, WorkbookContent, build_workbook, default_content
from emutools.io.xlsx.relationships import rels_of, resolve_target
from emutools.io.xlsx.safe_write import write_file
from emutools.io.xlsx.zipwriter import deterministic_zip
from emutools.texts import say

MACROS = Path(__file__).resolve().parents[2] / "macros"  # the source tree's; else the wheel's copy
if not MACROS.is_dir():
    MACROS = Path(__file__).resolve().parents[1] / "vba"
VBA_MODULE = "emutools"
QUICKSTART = "emutools_quickstart"


@dataclass(frozen=True)
class Button:
    """A macro of ``emutools.bas``: a shape on the Guide sheet and a ribbon button."""

    macro: str

    def label(self, lang: str) -> str:
        return say(f"button.{self.macro}", lang)

    @property
    def callback(self) -> str:
        return f"EmuRibbon_{self.macro}"


BUTTONS = (
    Button("XepHangLai"), Button("KiemTra"), Button("CapNhatBoCuc"), Button("TaoVanBan"), Button("KyMoi"),
    Button("TaoPhieu"), Button("ThuPhieu"),
)
# xlwings' VBA reads its settings from a sheet named "<PROJECT_NAME>.conf" first (key in column A,
# value in B; GetConfig in xlwings.bas).  "USE UDF SERVER" keeps one Python process alive between
# clicks on Windows, so only the first click pays for starting Python and importing emutools;
# macros/README.md says how to turn it off.
XLWINGS_CONF = ("xlwings.conf", (("USE UDF SERVER", True),))
LANGUAGE_TAGS = {"vi": "vi-VN", "en": "en-US"}

NS_UI = "http://schemas.microsoft.com/office/2009/07/customui"
# customUI14 (the 2009/07 namespace) is the "2007" relationship; "2006" is customUI 2006/01.
REL_RIBBON = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_DRAWING = NS_R + "/drawing"
CT_MACRO_WORKBOOK = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
RIBBON_PART = "customUI/customUI14.xml"
VBA_PART = "xl/vbaProject.bin"


def build_xlsm(path: str | os.PathLike, lang: str = "vi",
               content: WorkbookContent | None = None) -> None:
    """Write the macro-enabled cluster workbook at ``path`` (overwritten if present).

    ``content`` defaults to the blank template of ``lang``; when given, its own language
    wins.  Needs xlwings (for the quickstart VBA project) and the ``macros/`` sources.
    """
    content = default_content(lang) if content is None else content
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "template.xlsx"
        build_workbook(xlsx, content, hidden=(XLWINGS_CONF,))
        parts = _read_parts(xlsx.read_bytes())
        quickstart = quickstart_vba_project(Path(tmp))
    sheets = _worksheets(parts)
    vba = vba_project(quickstart, len(sheets), bas_source())
    _macro_enable(parts, sheets, vba, content.lang)
    write_file(path, _zip(parts))


def quickstart_vba_project(folder: Path) -> bytes:
    """xl/vbaProject.bin of ``xlwings quickstart --standalone``, made in ``folder``."""
    run = subprocess.run(
        [sys.executable, "-m", "xlwings.cli", "quickstart", QUICKSTART, "--standalone"],
        cwd=folder, capture_output=True, text=True, check=False)
    book = folder / QUICKSTART / f"{QUICKSTART}.xlsm"
    if run.returncode or not book.exists():
        raise RuntimeError(f"xlwings quickstart failed: {run.stderr or run.stdout}")
    with zipfile.ZipFile(book) as z:
        return z.read(VBA_PART)


def bas_source() -> str:
    """``macros/emutools.bas`` with CRLF line ends, whatever the checkout did to them."""
    text = (MACROS / f"{VBA_MODULE}.bas").read_text(encoding="ascii")
    return "\r\n".join(text.splitlines()) + "\r\n"


def ribbon_xml(lang: str) -> bytes:
    """``macros/customUI.xml`` with the tab's and buttons' labels in ``lang``; the file as it
    is when it already says them (it is written in Vietnamese)."""
    source = (MACROS / "customUI.xml").read_bytes()
    root = etree.fromstring(source)
    labels = [(root.find(f".//{{{NS_UI}}}tab"), say("button.ribbon_tab", lang))]
    labels += [(root.find(f".//{{{NS_UI}}}button[@onAction='{b.callback}']"), b.label(lang)) for b in BUTTONS]
    if all(element.get("label") == label for element, label in labels):
        return source
    for element, label in labels:
        element.set("label", label)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- the VBA project (MS-OVBA inside an MS-CFB compound file) ----------------------------

DOCUMENT_BASES = {"workbook": "0{00020819-0000-0000-C000-000000000046}",
                  "worksheet": "0{00020820-0000-0000-C000-000000000046}"}
KEPT_MODULES = ("xlwings", "Dictionary")  # the quickstart's own; its Module1 is a sample
PROJECT_MODULE_KEYS = ("Document=", "Module=", "Class=", "BaseClass=", "Package=")
DIR_MODULE, DIR_MODULE_END, DIR_MODULE_COUNT, DIR_CODEPAGE = 0x0019, 0x002B, 0x000F, 0x0003


@dataclass
class _Module:
    """One module of the project: its PROJECT line, dir records and stream."""

    name: str
    project_line: str
    records: bytes
    stream: bytes


def vba_project(quickstart: bytes, sheet_count: int, module_source: str) -> bytes:
    """The quickstart's project with ``module_source`` added and one document module per
    sheet (Sheet1…Sheet<sheet_count>, in workbook order), as a vbaProject.bin."""
    ole = olefile.OleFileIO(io.BytesIO(quickstart))
    streams = {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}
    records = _dir_records(_decompress(streams["VBA/dir"]))
    codec = f"cp{struct.unpack('<H', dict(records)[DIR_CODEPAGE])[0]}"
    project_lines = streams["PROJECT"].decode(codec).split("\r\n")
    kept = {m.name: m for m in _modules(records, project_lines, streams, codec)}
    documents = [("ThisWorkbook", "workbook")] + [(f"Sheet{k}", "worksheet")
                                                  for k in range(1, sheet_count + 1)]
    modules = [_document_module(name, DOCUMENT_BASES[kind], codec) for name, kind in documents]
    modules += [kept[name] for name in KEPT_MODULES]
    modules.append(_source_module(VBA_MODULE, f"Module={VBA_MODULE}", module_source, codec,
                                  document=False))
    out = {"VBA/" + m.name: m.stream for m in modules}
    out["VBA/_VBA_PROJECT"] = streams["VBA/_VBA_PROJECT"]
    out["VBA/dir"] = _compress(_dir_stream(records, modules))
    out["PROJECT"] = _project_stream(project_lines, modules).encode(codec)
    out["PROJECTwm"] = b"".join(m.name.encode(codec) + b"\0" + m.name.encode("utf-16-le")
                                + b"\0\0" for m in modules) + b"\0\0"
    return compound_file(out)


def _dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """The dir stream as (id, data) records; PROJECTVERSION's size field undercounts by 2."""
    records, i = [], 0
    while i < len(data):
        rid, size = struct.unpack_from("<HI", data, i)
        size += 2 if rid == 0x0009 else 0
        records.append((rid, data[i + 6:i + 6 + size]))
        i += 6 + size
    return records


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data) - (2 if rid == 0x0009 else 0)) + data


def _modules(records: list[tuple[int, bytes]], project_lines: list[str],
             streams: dict[str, bytes], codec: str) -> list[_Module]:
    """The quickstart's modules, as they are (each a run of records from MODULENAME)."""
    lines = {line.split("=", 1)[1].split("/", 1)[0]: line for line in project_lines
             if line.startswith(PROJECT_MODULE_KEYS)}
    modules, current = [], None
    for rid, data in records:
        if rid == DIR_MODULE:
            name = data.decode(codec)
            current = _Module(name, lines[name], b"", streams[f"VBA/{name}"])
            modules.append(current)
        if current is not None:
            current.records += _record(rid, data)
        if rid == DIR_MODULE_END:
            current = None
    return modules


def _document_module(name: str, base: str, codec: str) -> _Module:
    """An empty document module; ``base`` names the Excel class it extends."""
    attributes = (f'Attribute VB_Name = "{name}"\r\nAttribute VB_Base = "{base}"\r\n'
                  "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
                  "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
                  "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = True\r\n")
    return _source_module(name, f"Document={name}/&H00000000", attributes, codec, document=True)


def _source_module(name: str, project_line: str, source: str, codec: str, *,
                   document: bool) -> _Module:
    """A module without p-code: MODULEOFFSET 0, the stream is the compressed source."""
    mbcs, utf16 = name.encode(codec), name.encode("utf-16-le")
    records = b"".join(_record(rid, data) for rid, data in (
        (DIR_MODULE, mbcs), (0x0047, utf16), (0x001A, mbcs), (0x0032, utf16),
        (0x001C, b""), (0x0048, b""), (0x0031, struct.pack("<I", 0)),
        (0x001E, struct.pack("<I", 0)), (0x002C, b"\xff\xff"),
        (0x0022 if document else 0x0021, b""), (DIR_MODULE_END, b"")))
    return _Module(name, project_line, records, _compress(source.encode(codec)))


def _dir_stream(records: list[tuple[int, bytes]], modules: list[_Module]) -> bytes:
    """Project information and references as they were, then the new module list."""
    head = []
    for rid, data in records:
        if rid == DIR_MODULE:
            break
        head.append(_record(rid, struct.pack("<H", len(modules)) if rid == DIR_MODULE_COUNT
                            else data))
    return b"".join(head) + b"".join(m.records for m in modules) + _record(0x0010, b"")


def _project_stream(lines: list[str], modules: list[_Module]) -> str:
    """The PROJECT text with its module lines and [Workspace] section for ``modules``."""
    workspace = lines.index("[Workspace]")
    rest = [line for line in lines[1:workspace] if not line.startswith(PROJECT_MODULE_KEYS)]
    windows = [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return "\r\n".join([lines[0], *(m.project_line for m in modules), *rest, "[Workspace]",
                        *windows, "", ""])


# --- MS-OVBA compression (2.4.1) ----------------------------------------------------------

CHUNK = 4096


def _decompress(data: bytes) -> bytes:
    """A CompressedContainer's bytes (for the quickstart's dir stream)."""
    if data[:1] != b"\x01":
        raise ValueError("not an MS-OVBA compressed container")
    out, i = bytearray(), 1
    while i < len(data):
        header = struct.unpack_from("<H", data, i)[0]
        end, i, start = min(i + (header & 0x0FFF) + 3, len(data)), i + 2, len(out)
        if not header & 0x8000:
            out += data[i:i + CHUNK]
            i += CHUNK
            continue
        while i < end:
            flags, i = data[i], i + 1
            for bit in range(8):
                if i >= end:
                    break
                if flags >> bit & 1:
                    token, i = struct.unpack_from("<H", data, i)[0], i + 2
                    bits = max((len(out) - start - 1).bit_length(), 4)
                    offset = (token >> (16 - bits)) + 1
                    for _ in range((token & 0xFFFF >> bits) + 3):
                        out.append(out[-offset])
                else:
                    out.append(data[i])
                    i += 1
    return bytes(out)


def _compress(data: bytes) -> bytes:
    """A CompressedContainer: full chunks that do not shrink are stored raw."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= CHUNK:
            out += struct.pack("<H", 0xB000 | (len(body) - 1)) + body
        elif len(chunk) == CHUNK:
            out += struct.pack("<H", 0x3000 | (CHUNK - 1)) + chunk
        else:  # a partial chunk of incompressible bytes: not VBA source
            raise ValueError("data does not compress into an MS-OVBA chunk")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    """Tokens in groups of eight behind a flag byte: literals, or copies of earlier bytes."""
    out, pos, seen = bytearray(), 0, {}
    while pos < len(chunk):
        flag_at, flags = len(out), 0
        out.append(0)
        for bit in range(8):
            if pos >= len(chunk):
                break
            offset, length = _longest_match(chunk, pos, seen)
            if length >= 3:
                bits = max((pos - 1).bit_length(), 4)
                out += struct.pack("<H", (offset - 1) << (16 - bits) | (length - 3))
                flags |= 1 << bit
            else:
                length = 1
                out.append(chunk[pos])
            for p in range(pos, pos + length):
                seen.setdefault(chunk[p:p + 3], []).append(p)
            pos += length
        out[flag_at] = flags
    return bytes(out)


def _longest_match(chunk: bytes, pos: int, seen: dict[bytes, list[int]]) -> tuple[int, int]:
    """The nearest longest earlier copy of the bytes at ``pos`` (it may run into them)."""
    best, best_at = 0, 0
    maximum = min((0xFFFF >> max((pos - 1).bit_length(), 4)) + 3, len(chunk) - pos)
    for candidate in reversed(seen.get(chunk[pos:pos + 3], [])):
        length = 0
        while length < maximum and chunk[candidate + length] == chunk[pos + length]:
            length += 1
        if length > best:
            best, best_at = length, candidate
    return pos - best_at, best


# --- MS-CFB compound file (version 3, 512-byte sectors) -----------------------------------

SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
STORAGE, STREAM, ROOT = 1, 2, 5


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    red: bool = False
    start: int = END
    size: int = 0

    def pack(self) -> bytes:
        name = (self.name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBB3I16sIQQIQ", name, len(name), self.kind, 0 if self.red else 1,
                           self.left, self.right, self.child, bytes(16), 0, 0, 0,
                           self.start, self.size)


EMPTY_ENTRY = struct.pack("<64sHBB3I16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                          bytes(16), 0, 0, 0, 0, 0)


class _Sectors:
    """Regular sectors in file order, with the FAT chain of each allocation."""

    def __init__(self) -> None:
        self.data, self.fat = bytearray(), []

    def add(self, data: bytes) -> int:
        if not data:
            return END
        start, count = len(self.fat), math.ceil(len(data) / SECTOR)
        self.fat += [*range(start + 1, start + count), END]
        self.data += data.ljust(count * SECTOR, b"\0")
        return start


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file of ``streams`` ("VBA/dir": bytes), with no timestamps or CLSIDs.

    Streams under the 4096-byte cutoff go to the mini stream, as the format requires;
    the FAT sectors come last, once the number of other sectors is known.
    """
    entries = _entries(streams)
    sectors = _Sectors()
    mini, minifat = _mini_stream(entries)
    entries[0].start, entries[0].size = sectors.add(mini), len(mini)
    for e in entries:
        if e.kind == STREAM and len(e.data) >= MINI_CUTOFF:
            e.start, e.size = sectors.add(e.data), len(e.data)
    minifat_start = sectors.add(struct.pack(f"<{len(minifat)}I", *minifat))
    directory = b"".join(e.pack() for e in entries)
    dir_start = sectors.add(directory + EMPTY_ENTRY * (-len(entries) % (SECTOR // 128)))
    fat, fat_sectors = _fat(sectors.fat)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", CFB_MAGIC, bytes(16), 0x3E, 3, 0xFFFE, 9, 6,
                         bytes(6), 0, len(fat_sectors), dir_start, 0, MINI_CUTOFF,
                         minifat_start, math.ceil(len(minifat) * 4 / SECTOR), END, 0)
    difat = fat_sectors + [FREE] * (109 - len(fat_sectors))
    return header + struct.pack("<109I", *difat) + bytes(sectors.data) + fat


def _mini_stream(entries: list[_Entry]) -> tuple[bytes, list[int]]:
    """The small streams in 64-byte mini sectors, and their chains (the mini FAT)."""
    mini, minifat = bytearray(), []
    for e in entries:
        if e.kind == STREAM and len(e.data) < MINI_CUTOFF:
            e.size = len(e.data)
            if e.data:
                count = math.ceil(len(e.data) / MINI_SECTOR)
                e.start = len(minifat)
                minifat += [*range(e.start + 1, e.start + count), END]
                mini += e.data.ljust(count * MINI_SECTOR, b"\0")
    return bytes(mini), minifat


def _fat(chains: list[int]) -> tuple[bytes, list[int]]:
    """The FAT, in sectors placed after all others (which it also has to describe), and
    those sectors' numbers for the header (109 at most, so no DIFAT sectors)."""
    per_sector = SECTOR // 4
    count = math.ceil(len(chains) / (per_sector - 1))
    if count > 109:
        raise ValueError("the VBA project is too large for a header-only FAT")
    numbers = [*range(len(chains), len(chains) + count)]
    fat = chains + [FATSECT] * count
    fat += [FREE] * (count * per_sector - len(fat))
    return struct.pack(f"<{len(fat)}I", *fat), numbers


def _entries(streams: dict[str, bytes]) -> list[_Entry]:
    """Directory entries, the root first, each storage's children linked as a tree."""
    entries, storages = [_Entry("Root Entry", ROOT)], {"": 0}
    for path, data in streams.items():
        *folders, name = path.split("/")
        parent = 0
        for depth, folder in enumerate(folders, 1):
            key = "/".join(folders[:depth])
            if key not in storages:
                storages[key] = len(entries)
                entries[parent].children.append(len(entries))
                entries.append(_Entry(folder, STORAGE, start=0))
            parent = storages[key]
        entries[parent].children.append(len(entries))
        entries.append(_Entry(name, STREAM, data))
    for e in entries:
        e.child = _tree(entries, e.children)
    return entries


def _tree(entries: list[_Entry], ids: list[int]) -> int:
    """Siblings as a balanced search tree in CFB order (shorter names first, then by upper
    case), coloured as a valid red-black tree: the deepest level red, the rest black.

    Splitting at the middle puts every empty link at one of two depths, so each path
    down passes the same number of black entries."""
    ordered = sorted(ids, key=lambda i: (len(entries[i].name), entries[i].name.upper()))
    levels: dict[int, int] = {}

    def build(lo: int, hi: int, level: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = ordered[mid]
        levels[node] = level
        entries[node].left = build(lo, mid, level + 1)
        entries[node].right = build(mid + 1, hi, level + 1)
        return node

    root = build(0, len(ordered), 0)
    deepest = max(levels.values(), default=0)
    for node, level in levels.items():
        entries[node].red = 0 < level == deepest
    return root


# --- the package ---------------------------------------------------------------------------

EMU_PER_PT = 12700
BUTTON_WIDTH, BUTTON_HEIGHT, BUTTON_GAP, BUTTON_MARGIN = 150, 28, 8, 12  # points
BUTTON_FILL, BUTTON_LINE = "1F4E79", "163A5A"  # the template's output blue, and darker
DEFAULT_ROW_HEIGHT = 15.0
# Children of a worksheet that follow <drawing> in the schema (CT_Worksheet).
AFTER_DRAWING = {"legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
                 "controls", "webPublishItems", "tableParts", "extLst"}


def _read_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _worksheets(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """(sheet name, worksheet part) in workbook order."""
    rels = _xml(parts[rels_of("xl/workbook.xml")])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sheets = _xml(parts["xl/workbook.xml"]).find(f"{{{NS_MAIN}}}sheets")
    return [(s.get("name"), resolve_target("xl/workbook.xml", targets[s.get(f"{{{NS_R}}}id")]))
            for s in sheets]


def _macro_enable(parts: dict[str, bytes], sheets: list[tuple[str, str]], vba: bytes,
                  lang: str) -> None:
    """Turn the .xlsx parts into an .xlsm: VBA, codeNames, Guide buttons, ribbon."""
    parts[VBA_PART] = vba
    _add_relationship(parts, "xl/workbook.xml", REL_VBA, "vbaProject.bin")
    workbook = _xml(parts["xl/workbook.xml"])
    workbook.find(f"{{{NS_MAIN}}}workbookPr").set("codeName", "ThisWorkbook")
    parts["xl/workbook.xml"] = _bytes(workbook)
    for k, (_, part) in enumerate(sheets, 1):
        parts[part] = _with_code_name(parts[part], f"Sheet{k}")
    guide = dict(sheets)[C.find_sheet([name for name, _ in sheets], C.GUIDE)]
    drawing = _free_name(parts, "xl/drawings/drawing{}.xml")
    parts[drawing] = _buttons_drawing(parts[guide], lang)
    rid = _add_relationship(parts, guide, REL_DRAWING, "../drawings/" + drawing.rsplit("/", 1)[1])
    parts[guide] = _with_drawing(parts[guide], rid)
    parts[RIBBON_PART] = ribbon_xml(lang)
    _add_relationship(parts, "", REL_RIBBON, RIBBON_PART)
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"], drawing)


def _free_name(parts: dict[str, bytes], pattern: str) -> str:
    k = 1
    while pattern.format(k) in parts:
        k += 1
    return pattern.format(k)


def _add_relationship(parts: dict[str, bytes], source: str, kind: str, target: str) -> str:
    """Add a relationship from ``source`` ('' for the package); returns its new Id."""
    name = rels_of(source) if source else "_rels/.rels"
    root = _xml(parts[name]) if name in parts else etree.Element(
        f"{{{NS_PKG_RELS}}}Relationships", nsmap={None: NS_PKG_RELS})
    ids = {r.get("Id") for r in root}
    rid = next(f"rId{k}" for k in range(1, len(ids) + 2) if f"rId{k}" not in ids)
    etree.SubElement(root, f"{{{NS_PKG_RELS}}}Relationship", Id=rid, Type=kind, Target=target)
    parts[name] = _bytes(root)
    return rid


def _with_code_name(sheet: bytes, code_name: str) -> bytes:
    """The sheet tied to its VBA document module (``sheetPr`` comes first in a worksheet)."""
    root = _xml(sheet)
    pr = root.find(f"{{{NS_MAIN}}}sheetPr")
    if pr is None:
        pr = etree.Element(f"{{{NS_MAIN}}}sheetPr")
        root.insert(0, pr)
    pr.set("codeName", code_name)
    return _bytes(root)


def _with_drawing(sheet: bytes, rid: str) -> bytes:
    root = _xml(sheet)
    drawing = etree.Element(f"{{{NS_MAIN}}}drawing", nsmap={"r": NS_R})
    drawing.set(f"{{{NS_R}}}id", rid)
    after = next((child for child in root if etree.QName(child).localname in AFTER_DRAWING), None)
    if after is None:
        root.append(drawing)
    else:
        after.addprevious(drawing)
    return _bytes(root)


def _content_types(data: bytes, drawing: str) -> bytes:
    root = _xml(data)
    for override in root.iter(f"{{{NS_TYPES}}}Override"):
        if override.get("PartName") == "/xl/workbook.xml":
            override.set("ContentType", CT_MACRO_WORKBOOK)
    for part, kind in ((VBA_PART, CT_VBA), (drawing, CT_DRAWING)):
        etree.SubElement(root, f"{{{NS_TYPES}}}Override", PartName="/" + part, ContentType=kind)
    return _bytes(root)


def _buttons_drawing(guide: bytes, lang: str) -> bytes:
    """Three rounded rectangles stacked right of the Guide's text, from its first step row.

    One-cell anchors keep their size; where each starts is worked out from the row
    heights, so the buttons keep their spacing whatever the Guide's rows measure."""
    root = _xml(guide)
    last_col = max(int(col.get("max")) for col in root.iter(f"{{{NS_MAIN}}}col"))
    heights = {int(row.get("r")): float(row.get("ht")) for row in root.iter(f"{{{NS_MAIN}}}row")
               if row.get("ht")}
    shapes = []
    for k, button in enumerate(BUTTONS):
        row, offset = _row_at(heights, k * (BUTTON_HEIGHT + BUTTON_GAP))
        shapes.append(_shape(button, lang, k + 2, last_col, row, offset))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}">{"".join(shapes)}</xdr:wsDr>'
            ).encode()


def _row_at(heights: dict[int, float], y: float) -> tuple[int, float]:
    """The 0-based row ``y`` points below the top of the Guide's first step row, and the
    offset into it."""
    row = FIRST_DATA_ROW
    while y >= heights.get(row, DEFAULT_ROW_HEIGHT):
        y -= heights.get(row, DEFAULT_ROW_HEIGHT)
        row += 1
    return row - 1, y



def _shape(button: Button, lang: str, shape_id: int, col: int, row: int, offset: float) -> str:
    label = escape(button.label(lang))
    cx, cy = BUTTON_WIDTH * EMU_PER_PT, BUTTON_HEIGHT * EMU_PER_PT
    return (
        f'<xdr:oneCellAnchor><xdr:from><xdr:col>{col}</xdr:col>'
        f'<xdr:colOff>{BUTTON_MARGIN * EMU_PER_PT}</xdr:colOff><xdr:row>{row}</xdr:row>'
        f'<xdr:rowOff>{round(offset * EMU_PER_PT)}</xdr:rowOff></xdr:from>'
        f'<xdr:ext cx="{cx}" cy="{cy}"/>'
        f'<xdr:sp macro="[0]!{button.macro}" textlink="">'
        f'<xdr:nvSpPr><xdr:cNvPr id="{shape_id}" name={quoteattr("emutools " + button.macro)} '
        f'descr={quoteattr(button.label(lang))}/><xdr:cNvSpPr/></xdr:nvSpPr>'
        f'<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{BUTTON_FILL}"/></a:solidFill>'
        f'<a:ln w="12700"><a:solidFill><a:srgbClr val="{BUTTON_LINE}"/></a:solidFill></a:ln>'
        '</xdr:spPr><xdr:txBody><a:bodyPr vertOverflow="clip" horzOverflow="clip" rtlCol="0" '
        'anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/>'
        f'<a:r><a:rPr lang="{LANGUAGE_TAGS[lang]}" sz="1200" b="1"><a:solidFill><a:srgbClr val="FFFFFF"/>'
        f'</a:solidFill><a:latin typeface="+mn-lt"/></a:rPr><a:t>{label}</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
        '<xdr:clientData/></xdr:oneCellAnchor>')


def _zip(parts: dict[str, bytes]) -> bytes:
    """Content types first, then the parts in order, with fixed timestamps."""
    names = ["[Content_Types].xml", *(n for n in parts if n != "[Content_Types].xml")]
    return deterministic_zip((name, parts[name]) for name in names)
