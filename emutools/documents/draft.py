"""The "DỰ THẢO" (DRAFT) mark on every page of a document made while errors are open.

Written into the page headers of the filled document rather than asked of the template, so a
secretary's own template (which knows nothing of drafts) is marked too: a draft can never be
mistaken for the text to sign, whichever template made it.
"""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from emutools.io.xlsx.zipwriter import rezip
from emutools.texts import say

MARK_COLOUR = RGBColor(0xC0, 0x00, 0x00)


def mark_draft(data: bytes, lang: str) -> bytes:
    """The document with the draft mark first in each header of each section (the first
    page's, odd and even pages'), bold, red and right-aligned."""
    document = docx.Document(io.BytesIO(data))
    even = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if even:
            headers.append(section.even_page_header)
        for header in headers:
            _mark(header, say("documents.draft_mark", lang))
    out = io.BytesIO()
    document.save(out)
    return rezip(out.getvalue())


def _mark(header, text: str) -> None:
    header.is_linked_to_previous = False
    first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    empty = all(child.tag.endswith("}pPr") for child in first._p)  # no run, field or drawing
    paragraph = first if empty else first.insert_paragraph_before()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(13)
    run.font.color.rgb = MARK_COLOUR
