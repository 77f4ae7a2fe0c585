"""The printing elements of a worksheet part, from :mod:`emutools.io.printing`'s rule."""

from __future__ import annotations

from emutools.io.printing import PAGE_ORDER, PagePrint

FIT_TO_PAGE = '<pageSetUpPr fitToPage="1"/>'


def fit_to_page(page: PagePrint) -> str:
    """Inside ``<sheetPr>``: fit-to-page scaling is on only for a sheet one page wide."""
    return FIT_TO_PAGE if page.fits_width else ""


def page_setup(page: PagePrint) -> str:
    """``<pageSetup>``: A4 landscape, one page wide, or a scale over then down."""
    if page.fits_width:
        return '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    return f'<pageSetup paperSize="9" scale="{page.scale}" pageOrder="{PAGE_ORDER}" orientation="landscape"/>'
