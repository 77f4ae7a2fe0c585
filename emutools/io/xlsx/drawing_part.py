"""The drawing part of an output sheet: where its charts sit."""

from __future__ import annotations

from emutools.io.package import NS_A, NS_C, NS_R, NS_XDR
from emutools.io.sheetdata import BarChart
from emutools.io.xlsx.xmltext import XML_DECLARATION, attr


def drawing_xml(charts: tuple[BarChart, ...]) -> bytes:
    """The drawing that places the sheet's charts, each anchored to cells (``rIdK``: chart K)."""

    def corner(tag: str, col: int, row: int) -> str:
        return (f"<xdr:{tag}><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
                f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{tag}>")

    def anchor(k: int, chart: BarChart) -> str:
        return ('<xdr:twoCellAnchor editAs="oneCell">'
                f'{corner("from", chart.anchor_col, chart.anchor_row)}'
                f'{corner("to", chart.anchor_col + chart.width_cols, chart.anchor_row + chart.height_rows)}'
                '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
                f'<xdr:cNvPr id="{k + 1}" name="{attr(chart.title) or f"Chart {k}"}"/><xdr:cNvGraphicFramePr/>'
                '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
                f'<a:graphic><a:graphicData uri="{NS_C}"><c:chart xmlns:c="{NS_C}" xmlns:r="{NS_R}" '
                f'r:id="rId{k}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>'
                '</xdr:twoCellAnchor>')

    anchors = "".join(anchor(k, chart) for k, chart in enumerate(charts, start=1))
    return f'{XML_DECLARATION}<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}">{anchors}</xdr:wsDr>'.encode()
