"""The chart parts of an output sheet: native bar charts over its table's columns."""

from __future__ import annotations

from emutools.core.model import column_letter
from emutools.io.package import NS_A, NS_C, NS_R
from emutools.io.sheetdata import BarChart, OutputSheet, quote_sheet
from emutools.io.xlsx.styles import HEADER
from emutools.io.xlsx.values import display_text, number_text
from emutools.io.xlsx.xmltext import XML_DECLARATION, attr, esc


def nice_step(top: float) -> int:
    """A whole tick step giving 4 to 10 gridlines up to ``top`` (100 → 10, 35 → 5)."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 10:
            return step
    return int(top // 10) or 1


def chart_xml(s: OutputSheet, chart: BarChart, header: list[str]) -> bytes:
    """A horizontal clustered bar chart, first row on top, with cached values for viewers."""
    first, last = OutputSheet.FIRST_DATA_ROW, s.last_row
    sheet = quote_sheet(s.name)

    def ref(col: int, top: int, bottom: int) -> str:
        letter = column_letter(col + 1)
        return esc(f"{sheet}!${letter}${top}" + (f":${letter}${bottom}" if bottom != top else ""))

    def column(col: int) -> list[object]:
        return [row[col] if col < len(row) else None for row in s.rows]

    categories = [(i, display_text(v)) for i, v in enumerate(column(chart.category_col)) if v is not None]
    values = [(i, n) for i, v in enumerate(column(chart.value_col))
              if not isinstance(v, bool) and (n := number_text(v)) is not None]
    count = max(1, len(s.rows))
    fmt = s.number_formats[chart.value_col]
    fmt = "General" if fmt == "@" else fmt
    category_points = "".join(f'<c:pt idx="{i}"><c:v>{esc(text)}</c:v></c:pt>' for i, text in categories)
    value_points = "".join(f'<c:pt idx="{i}"><c:v>{n}</c:v></c:pt>' for i, n in values)
    no_line = "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
    axis_end, tick_format, major_unit = "", f'<c:numFmt formatCode="{attr(fmt)}" sourceLinked="1"/>', ""
    if chart.axis_max:  # totals end at the criteria's maximum, whole-number ticks
        axis_end = f'<c:max val="{chart.axis_max:g}"/>'
        tick_format = '<c:numFmt formatCode="0" sourceLinked="0"/>'
        major_unit = f'<c:majorUnit val="{nice_step(chart.axis_max)}"/>'
    return (
        f'{XML_DECLARATION}<c:chartSpace xmlns:c="{NS_C}" xmlns:a="{NS_A}" xmlns:r="{NS_R}">'
        '<c:date1904 val="0"/><c:roundedCorners val="0"/><c:chart>'
        '<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="vi-VN" sz="1400" b="1"/><a:t>{esc(chart.title)}</a:t></a:r></a:p>'
        '</c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        '<c:plotArea><c:layout/><c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/>'
        '<c:varyColors val="0"/><c:ser><c:idx val="0"/><c:order val="0"/>'
        f'<c:tx><c:strRef><c:f>{ref(chart.value_col, OutputSheet.HEADER_ROW, OutputSheet.HEADER_ROW)}'
        f'</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{esc(header[chart.value_col])}'
        '</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{HEADER.fill}"/></a:solidFill></c:spPr>'
        f'<c:invertIfNegative val="0"/><c:dLbls>{no_line}<c:showLegendKey val="0"/>'
        '<c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        f'<c:cat><c:strRef><c:f>{ref(chart.category_col, first, last)}</c:f><c:strCache>'
        f'<c:ptCount val="{count}"/>{category_points}</c:strCache></c:strRef></c:cat>'
        f'<c:val><c:numRef><c:f>{ref(chart.value_col, first, last)}</c:f><c:numCache>'
        f'<c:formatCode>{esc(fmt)}</c:formatCode><c:ptCount val="{count}"/>{value_points}'
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
        f'<c:valAx><c:axId val="200"/><c:scaling><c:orientation val="minMax"/>{axis_end}</c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/>'
        f'{tick_format}<c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="100"/>'
        f'<c:crosses val="max"/><c:crossBetween val="between"/>{major_unit}</c:valAx></c:plotArea>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    ).encode()
