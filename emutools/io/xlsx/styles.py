"""The style registry: emutools' named cell styles in ``xl/styles.xml``, and the style
indexes one output sheet needs (title, header, cells per number format, links, dates)."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from emutools.io.sheetdata import OutputSheet
from emutools.io.xlsx.xmltext import insert_in_order, qname

# Schema order of CT_Stylesheet's children, for inserting one that is missing.
STYLES_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
                "dxfs", "tableStyles", "colors", "extLst"]
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10, "0.00E+00": 11, "@": 49}


@dataclass(frozen=True)
class Look:
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
    horizontal: str | None = None
    vertical: str | None = None  # a wrapped cell is centred vertically unless told

    def alignment(self) -> etree._Element | None:
        attrs = {"wrapText": "1"} if self.wrap else {}
        vertical = self.vertical or ("center" if self.wrap else None)
        if vertical:
            attrs["vertical"] = vertical
        if self.horizontal:
            attrs["horizontal"] = self.horizontal
        return etree.Element(qname("alignment"), attrs) if attrs else None


TITLE_SIZE = 14.0
TITLE = Look(bold=True, size=TITLE_SIZE)
SUBTITLE = Look(italic=True, color="595959")
HEADER = Look(bold=True, color="FFFFFF", fill="1F4E79", border=True, wrap=True)
BORDER_COLOR = "BFBFBF"
LINK_COLOR = "0563C1"
SECONDARY_COLOR, SECONDARY_SIZE = "7F7F7F", 9.0  # reference columns, readable but not competing

# The input grids' looks (:mod:`emutools.io.gridsheet`), as the template colours them.
INPUT_FILL, INFO_FILL, HEADING_FILL, GRID_HEADER_FILL = "FFF2CC", "F2F2F2", "D9D9D9", "D9E1F2"
GRID_LOOKS = {
    "title": TITLE,
    "help": Look(italic=True, color="7F7F7F"),
    "names": Look(size=8, color="7F7F7F", wrap=True, horizontal="center", vertical="bottom"),
    "header": Look(bold=True, fill=GRID_HEADER_FILL, border=True, wrap=True, horizontal="center"),
    "info": Look(fill=INFO_FILL, border=True, wrap=True, vertical="top"),
    "heading": Look(bold=True, fill=HEADING_FILL, border=True, wrap=True, vertical="top"),
    "input": Look(fill=INPUT_FILL, border=True, horizontal="center", vertical="top"),
    "text_input": Look(fill=INPUT_FILL, border=True, wrap=True, vertical="top"),
    # a criterion marked for other ranking groups than the unit's: not applicable, so not an input
    "outside": Look(fill=INFO_FILL, border=True, horizontal="center", vertical="top"),
}
FLAG_FILL, FLAG_FONT = "FFC7CE", "9C0006"  # the flag highlight (a differential format)


class Styles:
    """``xl/styles.xml`` with emutools' named styles, found by name when already there.

    Reusing them keeps styles.xml from growing on every run, and if the user restyled,
    say, "emutools header" in Excel, that choice is kept.
    """

    def __init__(self, root: etree._Element):
        self.root = root
        self.containers = {tag: self._container(tag) for tag in STYLES_ORDER[1:7]}
        self.named = {el.get("name"): int(el.get("xfId", "0"))
                      for el in self.containers["cellStyles"].iterchildren(qname("cellStyle"))}
        self.indexes: dict[str, int] = {}
        self.parts: dict[tuple, int] = {}  # fonts, fills, borders added in this run

    def _container(self, tag: str) -> etree._Element:
        el = self.root.find(qname(tag))
        if el is not None:
            return el
        if tag not in ("cellStyleXfs", "cellStyles"):
            raise KeyError(f"styles.xml has no <{tag}>")
        el = etree.Element(qname(tag))
        if tag == "cellStyleXfs":  # the implicit Normal style, which existing cells refer to
            etree.SubElement(el, qname("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
        elif tag == "cellStyles":
            etree.SubElement(el, qname("cellStyle"), name="Normal", xfId="0", builtinId="0")
        insert_in_order(self.root, el, STYLES_ORDER)
        return el

    def index(self, name: str, look: Look) -> int:
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
                               style.find(qname("alignment")))

    def _create(self, name: str, look: Look) -> int:
        attrs = {"numFmtId": str(self._num_fmt(look.num_format)), "fontId": str(self._font(look)),
                 "fillId": str(self._fill(look.fill)), "borderId": str(self._border(look.border))}
        align = look.alignment()
        xf_id = self._append_xf(self.containers["cellStyleXfs"], attrs, align)
        etree.SubElement(self.containers["cellStyles"], qname("cellStyle"), name=name, xfId=str(xf_id))
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
        xf = etree.SubElement(parent, qname("xf"), attrs)
        if align is not None:
            xf.append(copy.deepcopy(align))
        return len(parent) - 1

    def _num_fmt(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        formats = self.root.find(qname("numFmts"))
        if formats is None:
            formats = etree.Element(qname("numFmts"))
            insert_in_order(self.root, formats, STYLES_ORDER)
        known = {f.get("formatCode"): int(f.get("numFmtId", "0"))
                 for f in formats.iterchildren(qname("numFmt"))}
        if code in known:
            return known[code]
        new_id = max([163, *known.values()]) + 1
        etree.SubElement(formats, qname("numFmt"), numFmtId=str(new_id), formatCode=code)
        formats.set("count", str(len(formats)))
        return new_id

    def _add_once(self, key: tuple, container: str, build: Callable[[], etree._Element]) -> int:
        if key not in self.parts:
            self.containers[container].append(build())
            self.parts[key] = len(self.containers[container]) - 1
        return self.parts[key]

    def _font(self, look: Look) -> int:
        key = ("font", look.bold, look.italic, look.underline, look.size, look.color)
        if key == ("font", False, False, False, None, None):
            return 0
        return self._add_once(key, "fonts", lambda: self._font_element(look))

    def _font_element(self, look: Look) -> etree._Element:
        """The workbook's default font (so a Times New Roman workbook stays so), restyled."""
        base = self.containers["fonts"][0]
        font = etree.Element(qname("font"))
        for flag, tag in [(look.bold, "b"), (look.italic, "i"), (look.underline, "u")]:
            if flag:
                etree.SubElement(font, qname(tag))
        etree.SubElement(font, qname("sz"), val=f"{look.size or self.base_size():g}")
        if look.color:
            etree.SubElement(font, qname("color"), rgb="FF" + look.color)
        for tag in ["color", "name", "family", "charset", "scheme"][1 if look.color else 0:]:
            el = base.find(qname(tag))
            if el is not None:
                etree.SubElement(font, qname(tag), dict(el.attrib))
        return font

    def base_size(self) -> float:
        """The default font's size in points."""
        size = self.containers["fonts"][0].find(qname("sz"))
        return float(size.get("val", "11")) if size is not None else 11.0

    def _fill(self, rgb: str | None) -> int:
        if rgb is None:
            return 0

        def build() -> etree._Element:
            fill = etree.Element(qname("fill"))
            pattern = etree.SubElement(fill, qname("patternFill"), patternType="solid")
            etree.SubElement(pattern, qname("fgColor"), rgb="FF" + rgb)
            etree.SubElement(pattern, qname("bgColor"), indexed="64")
            return fill

        return self._add_once(("fill", rgb), "fills", build)

    def _border(self, thin: bool) -> int:
        if not thin:
            return 0

        def build() -> etree._Element:
            border = etree.Element(qname("border"))
            for side in ("left", "right", "top", "bottom"):
                edge = etree.SubElement(border, qname(side), style="thin")
                etree.SubElement(edge, qname("color"), rgb="FF" + BORDER_COLOR)
            etree.SubElement(border, qname("diagonal"))
            return border

        return self._add_once(("border",), "borders", build)

    def flag_format(self) -> int:
        """The ``dxfs`` index of the flag highlight, added once (the template's is reused)."""
        dxfs = self.root.find(qname("dxfs"))
        if dxfs is None:
            dxfs = etree.Element(qname("dxfs"))
            insert_in_order(self.root, dxfs, STYLES_ORDER)
        for k, dxf in enumerate(dxfs):
            if FLAG_FILL in etree.tostring(dxf, encoding="unicode").upper():
                return k
        dxf = etree.SubElement(dxfs, qname("dxf"))
        font = etree.SubElement(dxf, qname("font"))
        etree.SubElement(font, qname("color"), rgb="FF" + FLAG_FONT)
        pattern = etree.SubElement(etree.SubElement(dxf, qname("fill")), qname("patternFill"),
                                   patternType="solid")
        etree.SubElement(pattern, qname("bgColor"), rgb="FF" + FLAG_FILL)
        dxfs.set("count", str(len(dxfs)))
        return len(dxfs) - 1

    def finish(self) -> etree._Element:
        for el in self.containers.values():
            el.set("count", str(len(el)))
        return self.root


def _signature(xf: etree._Element) -> tuple:
    align = xf.find(qname("alignment"))
    return (xf.get("numFmtId", "0"), xf.get("fontId", "0"), xf.get("fillId", "0"),
            xf.get("borderId", "0"), tuple(sorted(align.attrib.items())) if align is not None else ())


DATE_PARTS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _is_date_format(code: str) -> bool:
    return bool(re.search(r"[dDyY]", DATE_PARTS.sub("", code)))


class SheetLooks:
    """The style indexes one sheet needs; date and link styles only when used."""

    def __init__(self, styles: Styles, sheet: OutputSheet):
        self.styles, self.formats = styles, sheet.number_formats
        self.title = styles.index("emutools title", TITLE)
        self.subtitle = styles.index("emutools subtitle", SUBTITLE)
        self.header = styles.index("emutools header", HEADER)
        self.cells = [self.quiet(f) if c in sheet.secondary else self.cell(f)
                      for c, f in enumerate(self.formats)]
        self.line_height = row_height(styles.base_size())

    def cell(self, fmt: str) -> int:
        return self.styles.index(f"emutools cell {fmt}", Look(num_format=fmt, border=True))

    def quiet(self, fmt: str) -> int:
        """A secondary column's cells: the second language and the check code, after the
        text the secretary reads, in smaller grey type."""
        return self.styles.index(f"emutools secondary {fmt}", Look(
            num_format=fmt, border=True, size=SECONDARY_SIZE, color=SECONDARY_COLOR))

    def link(self, col: int) -> int:
        fmt = self.formats[col]
        return self.styles.index(f"emutools link {fmt}", Look(
            num_format=fmt, border=True, underline=True, color=LINK_COLOR))

    def date(self, col: int, with_time: bool) -> int:
        if _is_date_format(self.formats[col]):
            return self.cells[col]
        return self.cell("dd/mm/yyyy hh:mm" if with_time else "dd/mm/yyyy")


class GridLooks:
    """The style indexes of an input grid, one named style per (look, number format)."""

    def __init__(self, styles: Styles):
        self.styles = styles
        self.found: dict[tuple[str, str], int] = {}

    def index(self, style: tuple[str, str]) -> int:
        if style not in self.found:
            look, fmt = style
            self.found[style] = self.styles.index(
                f"emutools {look} {fmt}" if look != "title" else "emutools title",
                dataclasses.replace(GRID_LOOKS[look], num_format=fmt) if look != "title" else TITLE)
        return self.found[style]

    def date(self, style: tuple[str, str]) -> int:
        """A date typed in an input cell keeps its look, with a date format."""
        return self.index((style[0], style[1] if _is_date_format(style[1]) else "dd/mm/yyyy"))


def row_height(font_size: float) -> float:
    """Excel's row height for a font: its pixel height plus 5 px, in points (11 pt → 15)."""
    return (round(font_size * 4 / 3) + 5) * 0.75
