"""Build the shipped Word templates (docxtpl tags in python-docx documents), reproducibly.

    python -m emutools.documents.make_templates          # rewrites emutools/templates/*.docx

The templates are generated rather than drawn by hand so that their layout can be reviewed
as code and rebuilt identically: the output is byte-deterministic (fixed core properties,
fixed zip timestamps) and a test compares the committed files with what this script makes.

Layout follows Decree 30/2020/ND-CP (Appendix I): A4; Times New Roman; margins top and
bottom 20 mm, left 30 mm, right 15 mm; a borderless two-column header with the issuing
body (left) and the national title and motto (right), each underlined by a short rule;
number and symbol under the issuing body, place and date in italics under the motto;
document type and subject bold and centred; "Nơi nhận" bold italic at 12 pt with an
11 pt list on the left of the signature block; page numbers centred at the top from page 2.

Template fields (``{{ … }}``) are built by :mod:`emutools.documents.context` and listed in
``docs/templates.md``.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from emutools.documents.files import template_file_name
from emutools.io.xlsx.safe_write import write_file
from emutools.io.xlsx.zipwriter import rezip

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
FONT = "Times New Roman"
TEXT_MM = 165  # A4 width 210 - left 30 - right 15
FIXED_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)


class Builder:
    """A document under construction in one language, with the few layout moves the templates use."""

    def __init__(self, lang: str, title: str):
        self.lang = lang
        self.doc = Document()
        self._page_setup()
        self._styles()
        self._core_properties(title)

    def t(self, vi: str, en: str) -> str:
        return vi if self.lang == "vi" else en

    # --- page and styles ------------------------------------------------------------

    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = section.footer_distance = Mm(10)
        section.different_first_page_header_footer = True  # no number on page 1 …
        section.first_page_header.is_linked_to_previous = False  # … said explicitly for Word
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = CENTER
        _field(paragraph, "PAGE")

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(14)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN" if self.lang == "vi" else "en-GB")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        body = self.doc.styles["Body Text"]
        body.base_style = normal
        body.font.size = Pt(14)
        fmt = body.paragraph_format
        fmt.alignment = JUSTIFY
        fmt.first_line_indent = Mm(10)
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15

    def _core_properties(self, title: str) -> None:
        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = title, "emutools", "emutools"
        props.comments = ""
        props.created = props.modified = FIXED_DATE
        props.revision = 1

    # --- paragraphs -----------------------------------------------------------------

    def para(self, text: str = "", *, container=None, align=None, bold=False, italic=False,
             size: float | None = None, style: str | None = None, before: float | None = None,
             after: float | None = None):
        """One paragraph, one run: docxtpl tags stay whole because nothing splits the run."""
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            if size:
                run.font.size = Pt(size)
        fmt = paragraph.paragraph_format
        if align is not None:
            fmt.alignment = align
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        return paragraph

    def body(self, text: str, **kw):
        return self.para(text, style="Body Text", **kw)

    def heading(self, text: str):
        """A section heading of the body (I., II., 1., 2.): bold, kept with what follows."""
        paragraph = self.para(text, style="Body Text", bold=True, before=6)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def tag(self, statement: str, container=None):
        """A paragraph holding only a ``{%p … %}`` tag; docxtpl removes it when rendering."""
        return self.para(f"{{%p {statement} %}}", container=container)

    def rule(self, length_mm: float, width_mm: float, container=None):
        """A short centred rule (Decree 30: under the issuing body, the motto and the subject).

        Drawn as the bottom border of an almost empty paragraph indented from both sides,
        which Word and LibreOffice render alike and users can move like text.
        """
        paragraph = self.para(container=container)
        side = Mm((width_mm - length_mm) / 2)
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = side
        fmt.first_line_indent = Mm(0)
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        _mark_size(paragraph, 2)  # a 2 pt paragraph mark keeps the rule's line thin
        ppr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        ppr.insert_element_before(borders, *PBDR_SUCCESSORS)
        return paragraph

    # --- blocks ---------------------------------------------------------------------

    def national_header(self, doc_type: str | None) -> None:
        """Issuing body | national title and motto; number | place and date (Decree 30, parts 1-4)."""
        left_mm, right_mm = 66, TEXT_MM - 66
        table = self.layout_table(2, (left_mm, right_mm))
        left, right = table.rows[0].cells
        self.tag("if superior_body", left)
        self.para("{{ superior_body|upper }}", container=left, align=CENTER, size=13)
        self.tag("endif", left)
        self.para("{{ cluster_name|upper }}", container=left, align=CENTER, bold=True, size=13)
        self.rule(22, left_mm, left)
        self.para(self.t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
                  container=right, align=CENTER, bold=True, size=12)
        self.para(self.t("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
                  container=right, align=CENTER, bold=True, size=13)
        self.rule(self.t(61, 76), right_mm, right)
        left, right = table.rows[1].cells
        if doc_type:
            self.para(self.t(f"Số:        /{doc_type}-{{{{ symbol }}}}", f"No.:        /{doc_type}-{{{{ symbol }}}}"),
                      container=left, align=CENTER, size=13, before=6)
        self.para("{{ date_line }}", container=right, align=CENTER, italic=True, size=14, before=6)
        _drop_first_paragraphs(table)

    def title(self, doc_type: str, subject: str, *, note: str | None = None) -> None:
        """Document type and subject (trích yếu), bold and centred, with a short rule below."""
        self.para(doc_type, align=CENTER, bold=True, before=18)
        self.para(subject, align=CENTER, bold=True)
        if note:
            self.para(note, align=CENTER, italic=True)
        self.rule(40, TEXT_MM)

    def addressee(self, text: str) -> None:
        self.para(text, align=CENTER, before=6, after=12)

    def layout_table(self, rows: int, widths_mm: tuple[float, ...]):
        """A borderless table for placing blocks side by side (header, signatures)."""
        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        _widths(table, widths_mm)
        _no_borders(table)
        _cell_margins(table, 0)
        return table

    def data_table(self, headers: list[str], cells: list[str], widths_mm: tuple[float, ...],
                   loop: str, align: tuple[str, ...], size: float = 12):
        """A ruled table: a bold header row repeated on each page, then one row per item.

        ``loop`` is the ``{%tr for … %}`` statement; ``cells`` the row's fields;
        ``align`` one of "l", "c", "r" per column; ``size`` the font size in points.
        """
        table = self.doc.add_table(rows=4, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, widths_mm)
        rows = table.rows
        _repeat_header(rows[0])
        _cant_split(rows[2])
        aligns = {"l": LEFT, "c": CENTER, "r": RIGHT}
        for k, header in enumerate(headers):
            self._cell(rows[0].cells[k], header, CENTER, bold=True, size=size)
            self._cell(rows[2].cells[k], cells[k], aligns[align[k]], size=size)
        self._cell(rows[1].cells[0], f"{{%tr {loop} %}}", LEFT)
        self._cell(rows[3].cells[0], "{%tr endfor %}", LEFT)
        self.para()  # keeps a following table from merging into this one
        return table

    def _cell(self, cell, text: str, align, bold: bool = False, size: float = 12) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(2 if size >= 12 else 1)
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.font.size = Pt(size)
        _mark_size(paragraph, size)

    def key_value_table(self, rows: list[tuple[str, str]], widths_mm: tuple[float, float],
                        loop: tuple[str, str, str] | None = None):
        """A two-column ruled table of labels and values; ``loop`` (statement, label, value)
        adds one row per item before the fixed rows."""
        extra = 3 if loop else 0
        table = self.doc.add_table(rows=len(rows) + extra, cols=2)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, widths_mm)
        if loop:
            statement, label, value = loop
            self._cell(table.rows[0].cells[0], f"{{%tr {statement} %}}", LEFT)
            self._cell(table.rows[1].cells[0], label, LEFT)
            self._cell(table.rows[1].cells[1], value, RIGHT)
            self._cell(table.rows[2].cells[0], "{%tr endfor %}", LEFT)
        for k, (label, value) in enumerate(rows, start=extra):
            self._cell(table.rows[k].cells[0], label, LEFT)
            self._cell(table.rows[k].cells[1], value, RIGHT)
        self.para()
        return table

    def signature(self, container, title_lines: list[str], name: str) -> None:
        """Authority and position in capitals, bold; room to sign; the name bold."""
        for k, line in enumerate(title_lines):
            self.para(line, container=container, align=CENTER, bold=True, size=14, before=0 if k else 6)
        for _ in range(4):
            self.para(container=container)
        self.para(name, container=container, align=CENTER, bold=True, size=14)

    def recipients_and_signature(self, recipients: list[str], title_lines: list[str], name: str) -> None:
        """'Nơi nhận' (bold italic 12 pt, list 11 pt) on the left, the signature on the right."""
        self.keep_closing_with_signature()
        table = self.layout_table(1, (80, TEXT_MM - 80))
        _cant_split(table.rows[0])
        left, right = table.rows[0].cells
        if recipients:
            self.para(self.t("Nơi nhận:", "Recipients:"), container=left, bold=True, italic=True,
                      size=12, before=6)
            for line in recipients:
                self.para(line, container=left, size=11)
        self.signature(right, title_lines, name)
        _drop_first_paragraphs(table)
        self.para()  # a document may not end with a table (Word)

    def keep_closing_with_signature(self, paragraphs: int = 2) -> None:
        """The last ``paragraphs`` paragraphs of text before the signature block are kept with it,
        so a page never holds the signature alone or with a bare closing line (tag
        paragraphs, which docxtpl removes, do not count)."""
        kept = 0
        for paragraph in reversed(self.doc.paragraphs):
            if kept == paragraphs:
                break
            paragraph.paragraph_format.keep_with_next = True
            kept += not paragraph.text.startswith("{%p") and bool(paragraph.text)

    def save(self) -> bytes:
        _slim(self.doc)
        out = io.BytesIO()
        self.doc.save(out)
        return rezip(out.getvalue())


# --- trimming python-docx's default package -------------------------------------------------

UNUSED_PARTS = ("stylesWithEffects", "customXml", "thumbnail")  # relationship type endings


def _slim(doc) -> None:
    """Drop what python-docx's default template carries but the documents never use.

    Its styles part alone is 350 kB (every built-in table style) and a Word 2010 copy of it
    another 440 kB; every generated letter would parse and compress them again.  Word adds
    any built-in style back the moment a user applies it.
    """
    for rels in (doc.part.rels, doc.part.package.rels):
        for rId in [r for r, rel in rels.items() if rel.reltype.endswith(UNUSED_PARTS)]:
            del rels[rId]
    styles = doc.styles.element
    used = {value for part in (doc.element, *(s.header._element for s in doc.sections))
            for value in part.xpath(".//w:pStyle/@w:val | .//w:rStyle/@w:val | .//w:tblStyle/@w:val")}
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"} | used
    pending = [by_id[sid] for sid in keep if sid in by_id]
    while pending:
        style = pending.pop()
        for link in style.xpath("w:basedOn/@w:val | w:next/@w:val | w:link/@w:val"):
            if link not in keep and link in by_id:
                keep.add(link)
                pending.append(by_id[link])
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)


# --- XML helpers ------------------------------------------------------------------------

# Children that must follow a new element, in the order the OOXML schema fixes (Word
# refuses a file whose property elements are out of order; LibreOffice does not care).
PBDR_SUCCESSORS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                   "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                   "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                   "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                   "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                   "w:rPr", "w:sectPr", "w:pPrChange")
TBLPR_TAIL = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _field(paragraph, instruction: str) -> None:
    """A simple field (PAGE) that Word and LibreOffice update when laying out the page."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _mark_size(paragraph, points: float) -> None:
    """The paragraph mark's type size: a line is as tall as its largest character, the mark
    included, so a 9 pt table row with a 14 pt mark (the Normal style's) is a 14 pt row."""
    ppr = paragraph._p.get_or_add_pPr()
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(round(points * 2)))
    mark.append(size)
    ppr.insert_element_before(mark, "w:sectPr", "w:pPrChange")


def _widths(table, widths_mm: tuple[float, ...]) -> None:
    """Fixed column widths, written both in the grid and on every cell (Word reads the
    cells, LibreOffice the grid)."""
    table.autofit = False  # also writes <w:tblLayout w:type="fixed"/>
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", *TBLPR_TAIL)


def _cell_margins(table, twips: int) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.insert_element_before(margins, *TBLPR_TAIL)


def _repeat_header(row) -> None:
    _cant_split(row)
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cant_split(row) -> None:
    """Keep a table row (a data row, the signature block) on one page."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _drop_first_paragraphs(table) -> None:
    """A new cell starts with an empty paragraph; drop it where content was added after it."""
    for row in table.rows:
        for cell in row.cells:
            paragraphs = cell.paragraphs
            if len(paragraphs) > 1 and not paragraphs[0].text:
                paragraphs[0]._p.getparent().remove(paragraphs[0]._p)


# --- the documents ------------------------------------------------------------------------


def _recipients(b: Builder, first: str) -> list[str]:
    return [first, b.t("- Các đơn vị thành viên {{ cluster_kind }};", "- Member units of the {{ cluster_kind }};"),
            b.t("- Lưu: VT.", "- Archived: Office.")]


def _signer(b: Builder) -> tuple[list[str], str]:
    return ["{{ signer.on_behalf }}", "{{ signer.title }}"], "{{ signer.name }}"


def _unit_table(b: Builder, units: str) -> None:
    """Proposed units of one award (``units`` is the list expression), one row each."""
    b.data_table(
        [b.t("STT", "No."), b.t("Tên đơn vị", "Unit"), b.t("Tổng điểm", "Total"),
         b.t("Xếp hạng", "Rank"), b.t("Xếp loại", "Classification")],
        ["{{ u.no }}", "{{ u.name }}", "{{ u.total }}", "{{ u.rank }}", "{{ u.band }}"],
        (13, 72, 24, 24, 32), f"for u in {units}", ("c", "l", "r", "c", "c"))


def _ranking_table(b: Builder) -> None:
    b.data_table(
        [b.t("Hạng", "Rank"), b.t("Đơn vị", "Unit"), b.t("Tổng điểm", "Total"),
         b.t("Xếp loại", "Classification"), b.t("Đề nghị khen thưởng", "Proposed award")],
        ["{{ r.rank }}", "{{ r.name }}", "{{ r.total }}", "{{ r.band }}", "{{ r.award }}"],
        (14, 53, 24, 32, 42), "for r in ranking", ("c", "l", "r", "c", "l"))


def to_trinh(lang: str) -> bytes:
    """Proposal letter, one per award that has proposed units (context field ``award``)."""
    b = Builder(lang, "Tờ trình đề nghị khen thưởng" if lang == "vi" else "Award proposal")
    b.national_header("TTr")
    b.title(b.t("TỜ TRÌNH", "PROPOSAL"),
            b.t("Về việc đề nghị {{ award.action }} {{ period }}",
                "Proposing to {{ award.action }}, {{ period }}"))
    b.addressee(b.t("Kính gửi: {{ superior_body or '……………………' }}.", "To: {{ superior_body or '……………………' }}."))
    b.tag("for item in legal_basis")
    b.body(b.t("Căn cứ {{ item }};", "Pursuant to {{ item }};"))
    b.tag("endfor")
    b.body(b.t("Căn cứ kết quả chấm điểm, xếp hạng và kết quả bình xét tại cuộc họp của "
               "{{ cluster_name }} {{ meeting_date_long }},",
               "Based on the scores, the ranking and the evaluation at the meeting of the "
               "{{ cluster_name }} on {{ meeting_date_long }},"))
    b.body(b.t("{{ cluster_name }} kính đề nghị {{ superior_body or 'cấp có thẩm quyền' }} xem xét, "
               "{{ award.action }} {{ period }} cho {{ award.count }} đơn vị sau"
               "{% if award.citation %} (theo {{ award.citation }}){% endif %}:",
               "the {{ cluster_name }} asks the {{ superior_body or 'competent authority' }} to consider whether "
               "to {{ award.action }}, {{ period }}, for the following {{ award.count }} "
               "unit{{ '' if award.count == 1 else 's' }}{% if award.citation %} ({{ award.citation }}){% endif %}:"))
    _unit_table(b, "award.units")
    b.tag("if ballot and award.voted")
    b.body(b.t("Kết quả bỏ phiếu: {% for u in award.units %}{{ u.name }} – {{ u.vote }}"
               "{% if not loop.last %}; {% endif %}{% endfor %}.",
               "Vote: {% for u in award.units %}{{ u.name }} – {{ u.vote }}"
               "{% if not loop.last %}; {% endif %}{% endfor %}."))
    b.tag("endif")
    b.tag("if award.decisions")
    b.body(b.t("Về các đơn vị không được đề nghị hoặc được xét chọn bằng bỏ phiếu:",
               "Units passed over or chosen by vote:"))
    b.tag("for d in award.decisions")
    b.body("- {{ d.text }}")
    b.tag("endfor")
    b.tag("endif")
    b.body(b.t("Hồ sơ kèm theo: Biên bản họp bình xét; Danh sách đề nghị khen thưởng; "
               "Báo cáo thành tích của các đơn vị.",
               "Enclosed: minutes of the evaluation meeting; list of proposed units; "
               "achievement reports of the units."))
    b.body(b.t("{{ cluster_name }} kính trình {{ superior_body or 'cấp có thẩm quyền' }} xem xét, quyết định./.",
               "The {{ cluster_name }} respectfully submits this proposal for decision./."))
    b.recipients_and_signature(_recipients(b, b.t("- Như trên;", "- As above;")), *_signer(b))
    return b.save()


def bien_ban(lang: str) -> bytes:
    """Minutes of the evaluation meeting: attendance, ranking, vote, conclusions, two signatures."""
    b = Builder(lang, "Biên bản họp bình xét" if lang == "vi" else "Minutes of the evaluation meeting")
    b.national_header("BB")
    b.title(b.t("BIÊN BẢN", "MINUTES"),
            b.t("Họp bình xét thi đua, khen thưởng {{ period }}",
                "Evaluation meeting on emulation and commendation, {{ period }}"))
    b.body(b.t("Hôm nay, {{ meeting_date_long }}, tại {{ place or '……………………' }}, {{ cluster_name }} "
               "họp bình xét thi đua, khen thưởng {{ period }}.",
               "On {{ meeting_date_long }}, at {{ place or '……………………' }}, the {{ cluster_name }} met "
               "to evaluate emulation results and award proposals for the {{ period }}."), before=6)
    b.heading(b.t("I. THÀNH PHẦN", "I. ATTENDANCE"))
    b.body(b.t("- Chủ trì: {{ chair.full or '……………………' }}.", "- Chair: {{ chair.full or '……………………' }}."))
    b.body(b.t("- Thư ký: {{ secretary.full or '……………………' }}.",
               "- Secretary: {{ secretary.full or '……………………' }}."))
    b.body(b.t("- Đại diện các đơn vị thành viên (có mặt: ……/{{ member_count }} đơn vị):",
               "- Representatives of the member units (present: ……/{{ member_count }}):"))
    b.tag("for m in members")
    b.body("{{ m.no }}. {{ m.name }}", after=0)
    b.tag("endfor")
    b.heading(b.t("II. NỘI DUNG", "II. PROCEEDINGS"))
    b.heading(b.t("1. Kết quả chấm điểm, xếp hạng", "1. Scores and ranking"))
    b.body(b.t("Căn cứ bảng tiêu chí thi đua đã ký giao ước, kết quả tự chấm và thẩm định, "
               "kết quả chấm điểm, xếp hạng các đơn vị như sau:",
               "Following the criteria of the emulation agreement, the self-assessments and the "
               "verification, the units scored and ranked as follows:"))
    _ranking_table(b)
    b.heading(b.t("2. Kết quả bỏ phiếu", "2. Vote"))
    b.tag("if ballot")
    b.data_table(
        [b.t("STT", "No."), b.t("Đơn vị", "Unit"), b.t("Hình thức khen thưởng", "Award"),
         b.t("Đồng ý", "For"), b.t("Không đồng ý", "Against"), b.t("Không biểu quyết", "Abstain"),
         b.t("Tỷ lệ đồng ý", "Share for"), b.t("Kết quả", "Result")],
        ["{{ v.no }}", "{{ v.name }}", "{{ v.award }}", "{{ v.votes_for }}", "{{ v.against }}",
         "{{ v.abstain }}", "{{ v.share }}", "{{ v.result }}"],
        (13, 37, 34, 14, 17, 17, 18, 15), "for v in ballot", ("c", "l", "l", "c", "c", "c", "r", "c"))
    b.body(b.t("Tỷ lệ đồng ý tính trên tổng số thành viên có quyền biểu quyết; đơn vị được đề nghị "
               "không tự bỏ phiếu cho mình.",
               "The share is of all members entitled to vote; a candidate does not vote on itself."),
           italic=True)
    b.tag("else")
    b.body(b.t("Chưa có kết quả bỏ phiếu.", "No vote has been recorded yet."), italic=True)
    b.tag("endif")
    b.heading(b.t("3. Kết luận", "3. Conclusions"))
    b.body(b.t("Hội nghị thống nhất:", "The meeting agreed:"))
    b.tag("for a in proposals")
    b.body(b.t("- Đề nghị {{ a.action }} cho {{ a.count }} đơn vị: {% for u in a.units %}{{ u.name }} "
               "({{ u.total }} điểm, hạng {{ u.rank }}){% if not loop.last %}; {% endif %}{% endfor %};",
               "- to propose to {{ a.action }} for {{ a.count }} unit{{ '' if a.count == 1 else 's' }}: {% for u in a.units %}{{ u.name }} "
               "({{ u.total }} points, rank {{ u.rank }}){% if not loop.last %}; {% endif %}{% endfor %};"))
    b.tag("endfor")
    b.tag("if not proposals")
    b.body(b.t("- Không có đơn vị đủ điều kiện đề nghị khen thưởng;",
               "- no unit qualifies for an award proposal;"))
    b.tag("endif")
    b.tag("for t in ties")
    b.body(b.t("- {{ t.award }}: các đơn vị {{ t.unit_names }} đồng hạng {{ t.rank }} ở ngưỡng chỉ tiêu, "
               "hội nghị bình xét, bỏ phiếu để quyết định;",
               "- {{ t.award }}: {{ t.unit_names }} tie at rank {{ t.rank }} on the quota limit; "
               "the meeting decides by vote;"))
    b.tag("endfor")
    b.tag("for d in decisions")
    b.body("- {{ d.text }}")
    b.tag("endfor")
    b.body(b.t("- Đơn vị trưởng {{ cluster_kind }} năm {{ next_year }}: {{ next_leader.text }}; "
               "đơn vị phó trưởng {{ cluster_kind }}: {{ next_deputy.text }}.",
               "- {{ cluster_kind|capitalize }} leader for {{ next_year }}: {{ next_leader.text }}; "
               "deputy leader: {{ next_deputy.text }}."))
    b.body(b.t("Cuộc họp kết thúc vào hồi …… giờ …… cùng ngày. Biên bản đã được đọc lại trước "
               "cuộc họp và các thành viên dự họp nhất trí thông qua./.",
               "The meeting closed at …… on the same day. These minutes were read out and approved "
               "by the members present./."))
    b.keep_closing_with_signature()
    table = b.layout_table(1, (TEXT_MM / 2, TEXT_MM / 2))
    _cant_split(table.rows[0])
    left, right = table.rows[0].cells
    b.signature(left, ["{{ secretary_title }}"], "{{ secretary.name }}")
    b.signature(right, ["{{ chair_title }}"], "{{ chair.name }}")
    _drop_first_paragraphs(table)
    b.para()  # a document may not end with a table (Word)
    return b.save()


def danh_sach(lang: str) -> bytes:
    """List of proposed units: one table per award type, attached to the proposal letter."""
    b = Builder(lang, "Danh sách đề nghị khen thưởng" if lang == "vi" else "List of proposed units")
    b.national_header(None)
    b.title(b.t("DANH SÁCH", "LIST"),
            b.t("Đơn vị đề nghị khen thưởng {{ period }}", "Units proposed for awards, {{ period }}"),
            note=b.t("(Kèm theo Tờ trình số        /TTr-{{ symbol }} {{ meeting_date_long }} "
                     "của {{ cluster_name }})",
                     "(Attached to proposal No.        /TTr-{{ symbol }} of {{ meeting_date_long }} "
                     "of the {{ cluster_name }})"))
    b.tag("for a in proposals")
    b.heading(b.t("{{ loop.index }}. {{ a.name }} ({{ a.count }} đơn vị)",
                  "{{ loop.index }}. {{ a.name }} ({{ a.count }} unit{{ '' if a.count == 1 else 's' }})"))
    _unit_table(b, "a.units")
    b.tag("endfor")
    b.tag("if not proposals")
    b.body(b.t("Không có đơn vị được đề nghị khen thưởng.", "No unit is proposed for an award."))
    b.tag("endif")
    b.tag("for t in ties")
    b.body(b.t("Ghi chú: {{ t.award }} – các đơn vị {{ t.unit_names }} đồng hạng {{ t.rank }} "
               "ở ngưỡng chỉ tiêu, chờ kết quả bình xét, bỏ phiếu.",
               "Note: {{ t.award }} – {{ t.unit_names }} tie at rank {{ t.rank }} on the quota "
               "limit, pending the vote."), italic=True)
    b.tag("endfor")
    b.recipients_and_signature([], *_signer(b))
    return b.save()


def bao_cao(lang: str) -> bytes:
    """Summary report of the year: results, ranking, chart, proposals, open flags, next officers."""
    b = Builder(lang, "Báo cáo tổng kết thi đua, khen thưởng" if lang == "vi" else "Summary report")
    b.national_header("BC")
    b.title(b.t("BÁO CÁO", "REPORT"),
            b.t("Tổng kết công tác thi đua, khen thưởng {{ period }}",
                "Emulation and commendation results, {{ period }}"))
    b.addressee(b.t("Kính gửi: {{ superior_body or '……………………' }}.", "To: {{ superior_body or '……………………' }}."))
    b.heading(b.t("I. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", "I. SCORES AND RANKING"))
    b.body(b.t("{{ cluster_name }} có {{ member_count }} đơn vị thành viên, {{ signed_count }}/{{ member_count }} "
               "đơn vị đã ký giao ước thi đua; trưởng {{ cluster_kind }}: {{ leader.name or '……' }}, "
               "phó trưởng {{ cluster_kind }}: {{ deputy.name or '……' }}.",
               "The {{ cluster_name }} has {{ member_count }} member units; {{ signed_count }} of "
               "{{ member_count }} signed the emulation agreement. Leader: {{ leader.name or '……' }}; "
               "deputy leader: {{ deputy.name or '……' }}."))
    b.body(b.t("Tổng điểm cao nhất {{ stats.highest }} ({{ stats.top_unit }}), thấp nhất {{ stats.lowest }}, "
               "bình quân {{ stats.mean }}. Xếp loại: {% for x in stats.bands %}{{ x.band }} {{ x.count }} "
               "đơn vị{% if not loop.last %}; {% endif %}{% endfor %}.",
               "Highest total {{ stats.highest }} ({{ stats.top_unit }}), lowest {{ stats.lowest }}, "
               "mean {{ stats.mean }}. Classification: {% for x in stats.bands %}{{ x.band }} {{ x.count }}"
               "{% if not loop.last %}; {% endif %}{% endfor %}."))
    b.tag("if change")
    b.body(b.t("So với kỳ trước: {{ change.up }} đơn vị tăng điểm, {{ change.down }} đơn vị giảm điểm"
               "{% if change.best %}; tăng nhiều nhất: {{ change.best.name }} ({{ change.best.points }} điểm)"
               "{% endif %}{% if change.worst %}; giảm nhiều nhất: {{ change.worst.name }} "
               "({{ change.worst.points }} điểm){% endif %}.",
               "Against the previous period: {{ change.up }} unit{{ '' if change.up == 1 else 's' }} gained points and {{ change.down }} "
               "lost points{% if change.best %}; the largest gain: {{ change.best.name }} "
               "({{ change.best.points }}){% endif %}{% if change.worst %}; the largest loss: "
               "{{ change.worst.name }} ({{ change.worst.points }}){% endif %}."))
    b.tag("endif")
    b.data_table(
        [b.t("Hạng", "Rank"), b.t("Đơn vị", "Unit"), b.t("Tổng điểm", "Total"),
         b.t("Điểm thưởng", "Bonus"), b.t("Điểm trừ", "Penalty"), b.t("Xếp loại", "Classification")],
        ["{{ r.rank }}", "{{ r.name }}", "{{ r.total }}", "{{ r.bonus }}", "{{ r.penalty }}", "{{ r.band }}"],
        (14, 61, 20, 20, 19, 31), "for r in ranking", ("c", "l", "r", "r", "r", "c"))
    b.tag("if chart")
    b.para("{{ chart }}", align=CENTER, before=6).paragraph_format.keep_with_next = True
    b.para(b.t("Biểu đồ: tổng điểm của các đơn vị", "Chart: total points by unit"), align=CENTER,
           italic=True, size=12, after=6)
    b.tag("endif")
    b.heading(b.t("II. ĐỀ NGHỊ KHEN THƯỞNG", "II. AWARD PROPOSALS"))
    b.tag("for a in proposals")
    b.body("- {{ a.name }} ({{ a.count }}): {% for u in a.units %}{{ u.name }} ({{ u.total }})"
           "{% if not loop.last %}; {% endif %}{% endfor %}.")
    b.tag("endfor")
    b.tag("if not proposals")
    b.body(b.t("Không có đơn vị đủ điều kiện đề nghị khen thưởng.", "No unit qualifies for an award proposal."))
    b.tag("endif")
    b.tag("for t in ties")
    b.body(b.t("- {{ t.award }}: các đơn vị {{ t.unit_names }} đồng hạng {{ t.rank }} ở ngưỡng chỉ tiêu, "
               "cụm bình xét, bỏ phiếu để quyết định.",
               "- {{ t.award }}: {{ t.unit_names }} tie at rank {{ t.rank }} on the quota limit; "
               "the cluster decides by vote."))
    b.tag("endfor")
    b.heading(b.t("III. NHỮNG VẤN ĐỀ CÒN TỒN TẠI TRONG SỐ LIỆU", "III. OPEN ISSUES IN THE DATA"))
    b.tag("if open_items")
    b.body(b.t("Số liệu còn {% if error_count %}{{ error_count }} lỗi và {% endif %}{{ warning_count }} cảnh báo "
               "chưa xử lý xong:",
               "The data still has {% if error_count %}{{ error_count }} error{{ '' if error_count == 1 else 's' }} "
               "and {% endif %}{{ warning_count }} warning{{ '' if warning_count == 1 else 's' }} open:"))
    b.tag("for o in open_items")
    b.body("- {{ o }};")
    b.tag("endfor")
    b.tag("else")
    b.body(b.t("Không còn lỗi hay cảnh báo trong số liệu.", "No errors or warnings remain."))
    b.tag("endif")
    b.heading(b.t("IV. ĐỀ XUẤT", "IV. PROPOSALS FOR NEXT YEAR"))
    b.body(b.t("Đơn vị trưởng {{ cluster_kind }} năm {{ next_year }}: {{ next_leader.text }}; đơn vị phó trưởng "
               "{{ cluster_kind }}: {{ next_deputy.text }}.",
               "{{ cluster_kind|capitalize }} leader for {{ next_year }}: {{ next_leader.text }}; deputy leader: "
               "{{ next_deputy.text }}."))
    b.body(b.t("Trên đây là báo cáo tổng kết công tác thi đua, khen thưởng {{ period }} của {{ cluster_name }}./.",
               "This concludes the report of the {{ cluster_name }} for the {{ period }}./."))
    b.recipients_and_signature(_recipients(b, b.t("- Như trên;", "- As above;")), *_signer(b))
    return b.save()


# Rows (criteria, group rows and open flags) the notice of results holds on its one page; a
# unit with more gets its groups on the page and every criterion and flag in an annex.  A
# property of this template's page, not of a cluster: it is written into the template, where
# a secretary who enlarges the type changes it too (docs/templates.md).
ROWS_ON_THE_PAGE = 12
NOTICE_SIZE, NOTICE_TABLE_SIZE = 13, 9  # body text (Decree 30: 13-14 pt); the points table


def _spacer(b: Builder) -> None:
    """A 4 pt paragraph between a table and what follows (two tables side by side would merge)."""
    _mark_size(b.para(), 4)


def _points_table(b: Builder, rows: str) -> None:
    """Criteria under bold group rows: maximum, self-assessed, verified and counted points;
    a group row adds the cluster's average and best (``rows``: the list expression)."""
    headers = [b.t("Mã", "Code"), b.t("Tiêu chí", "Criterion"), b.t("Tối đa", "Max"),
               b.t("Tự chấm", "Self"), b.t("Thẩm định", "Verified"), b.t("Điểm tính", "Counted"),
               b.t("TB cụm", "Cluster average"), b.t("Cao nhất", "Cluster best")]
    fields = ["code", "name", "max", "self", "verified", "final", "average", "best"]
    widths = b.t((11, 76, 13, 13, 13, 13, 13, 13), (11, 72, 13, 13, 15, 15, 13, 13))  # "Verified" is long
    aligns = (LEFT, LEFT) + (RIGHT,) * 6
    table = b.doc.add_table(rows=8, cols=len(headers))
    table.style = b.doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    _cell_margins(table, 57)  # 1 mm each side: "150,00" in bold fits a 13 mm column
    head, loop, when, group, other, leaf, end, done = table.rows
    _repeat_header(head)
    for row in (group, leaf):
        _cant_split(row)
    for k, header in enumerate(headers):
        b._cell(head.cells[k], header, CENTER, bold=True, size=NOTICE_TABLE_SIZE)
        b._cell(group.cells[k], f"{{{{ r.{fields[k]} }}}}", aligns[k], bold=True, size=NOTICE_TABLE_SIZE)
        b._cell(leaf.cells[k], f"{{{{ r.{fields[k]} }}}}", aligns[k], size=NOTICE_TABLE_SIZE)
    for row, tag in ((loop, f"for r in {rows}"), (when, "if r.group"), (other, "else"), (end, "endif"),
                     (done, "endfor")):
        b._cell(row.cells[0], f"{{%tr {tag} %}}", LEFT)
    _spacer(b)


def _flags_table(b: Builder) -> None:
    """The unit's open errors and warnings, under their heading."""
    b.body(b.t("Những điểm còn phải làm rõ, bổ sung:", "Points still to be clarified or completed:"),
           size=NOTICE_SIZE, after=2)
    b.data_table([b.t("Mức độ", "Severity"), b.t("Ô", "Cell"), b.t("Nội dung", "Message")],
                 ["{{ f.severity }}", "{{ f.where }}", "{{ f.message }}"], (18, 27, 120), "for f in unit.flags",
                 ("l", "l", "l"), size=NOTICE_TABLE_SIZE)
    _mark_size(b.doc.paragraphs[-1], 4)  # the paragraph data_table ends with: a small gap


def _result_table(b: Builder) -> None:
    """The unit's result at a glance: two label-value pairs a row, the award on a row of its own."""
    size = 12
    pairs = [((b.t("Tổng điểm", "Total"), "{{ unit.total }}"), (b.t("Xếp hạng", "Rank"), "{{ unit.rank_of }}")),
             ((b.t("Điểm thưởng", "Bonus points"), "{{ unit.bonus }}"),
              (b.t("Xếp loại", "Classification"), "{{ unit.band }}")),
             ((b.t("Điểm trừ", "Penalty points"), "{{ unit.penalty }}"),
              (b.t("Tổng điểm trung bình của cụm", "Cluster average total"), "{{ unit.cluster_average }}"))]
    table = b.doc.add_table(rows=len(pairs) + 1, cols=4)
    table.style = b.doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (45, 30, 60, 30))
    for row, pair in zip(table.rows, pairs, strict=False):
        for k, (label, value) in enumerate(pair):
            b._cell(row.cells[2 * k], label, LEFT, size=size)
            b._cell(row.cells[2 * k + 1], value, RIGHT, bold=True, size=size)
    last = table.rows[-1]
    b._cell(last.cells[0], b.t("Đề nghị khen thưởng", "Proposed award"), LEFT, size=size)
    award = last.cells[1].merge(last.cells[3])
    b._cell(award, b.t("{{ unit.award or 'Không' }}", "{{ unit.award or 'None' }}"), LEFT, bold=True, size=size)
    _spacer(b)


def thong_bao(lang: str) -> bytes:
    """One unit's result (context field ``unit``), rendered once per member: one page while its
    criteria, group rows and open flags number at most :data:`ROWS_ON_THE_PAGE`; beyond that
    the page shows the group rows and an annex lists every criterion and flag."""
    b = Builder(lang, "Thông báo kết quả thi đua" if lang == "vi" else "Notice of results")
    size = NOTICE_SIZE
    b.national_header("TB")
    b.para(b.t("THÔNG BÁO", "NOTICE"), align=CENTER, bold=True, before=12)
    b.para(b.t("Kết quả chấm điểm, xếp hạng thi đua {{ period }} của {{ unit.name }}",
               "Emulation scores and ranking of {{ unit.name }}, {{ period }}"), align=CENTER, bold=True)
    b.rule(40, TEXT_MM)
    b.tag(f"set whole = unit.rows|length + unit.flags|length <= {ROWS_ON_THE_PAGE}")
    b.tag(f"set flags_here = whole or unit.group_rows|length + unit.flags|length <= {ROWS_ON_THE_PAGE}")
    b.body(b.t("Căn cứ kết quả chấm điểm, thẩm định và cuộc họp bình xét {{ meeting_date_long }}, "
               "{{ cluster_name }} thông báo kết quả như sau:",
               "Following the scoring, the verification and the evaluation meeting on "
               "{{ meeting_date_long }}, the {{ cluster_name }} gives notice of these results:"),
           size=size, before=6, after=4)
    _result_table(b)
    b.tag("if unit.reasons")
    b.body(b.t("Ghi chú: {{ unit.reasons }}.", "Note: {{ unit.reasons }}."), italic=True, size=size, after=2)
    b.tag("endif")
    b.tag("if whole")
    b.body(b.t("Điểm từng tiêu chí (in đậm: nhóm tiêu chí):", "Points per criterion (in bold: the groups):"),
           size=size, after=2)
    b.tag("else")
    b.body(b.t("Điểm theo nhóm tiêu chí (từng tiêu chí: xem Phụ lục):",
               "Points per criteria group (each criterion: see the annex):"), size=size, after=2)
    b.tag("endif")
    _points_table(b, "(unit.rows if whole else unit.group_rows)")
    b.tag("if unit.flags and flags_here")
    _flags_table(b)
    b.tag("elif unit.flags")
    b.body(b.t("Còn {{ unit.open_flags }} phải làm rõ, bổ sung: xem Phụ lục.",
               "Still to be clarified or completed: {{ unit.open_flags }}; see the annex."), size=size)
    b.tag("endif")
    b.body(b.t("{{ cluster_name }} thông báo để {{ unit.name }} biết./.",
               "For the information of {{ unit.name }}./."), size=size)
    b.recipients_and_signature(["- {{ unit.name }};", b.t("- Lưu: VT.", "- Archived: Office.")], *_signer(b))
    tail = b.doc.paragraphs[-1]._p  # the annex follows the signature directly: nothing to push a page
    tail.getparent().remove(tail)
    b.tag("if not whole")
    annex = b.para(b.t("PHỤ LỤC", "ANNEX"), align=CENTER, bold=True)
    annex.paragraph_format.page_break_before = True
    b.para(b.t("Điểm từng tiêu chí của {{ unit.name }}", "Points per criterion of {{ unit.name }}"),
           align=CENTER, bold=True)
    b.para(b.t("(Kèm theo Thông báo số        /TB-{{ symbol }} {{ meeting_date_long }} của {{ cluster_name }})",
               "(Attached to notice No.        /TB-{{ symbol }} of {{ meeting_date_long }} of the "
               "{{ cluster_name }})"), align=CENTER, italic=True, size=size, after=6)
    _points_table(b, "unit.rows")
    b.tag("if unit.flags and not flags_here")
    _flags_table(b)
    b.tag("endif")
    b.tag("endif")
    _mark_size(b.para(), 2)  # a document may not end with a table (Word)
    return b.save()


BUILDERS: dict[str, Callable[[str], bytes]] = {
    "to_trinh": to_trinh, "bien_ban": bien_ban, "danh_sach": danh_sach, "bao_cao": bao_cao,
    "thong_bao": thong_bao,
}


def build_all() -> dict[str, bytes]:
    """Every template as file name -> bytes."""
    return {template_file_name(name, lang): build(lang) for name, build in BUILDERS.items()
            for lang in ("vi", "en")}


def main(folder: Path = TEMPLATE_DIR) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in build_all().items():
        write_file(folder / name, data)
        print(folder / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE_DIR)
