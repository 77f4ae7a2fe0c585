"""A horizontal bar chart of totals as a PNG, drawn with Pillow (no plotting library needed).

Pillow is optional: without it the summary report simply has no chart.  The drawing is
deterministic for a given font, so the same workbook gives the same image.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal

from emutools.core.numbers import format_number
from emutools.io.results import CHART_MAX_UNITS

WIDTH = 1600  # pixels; printed 160 mm wide, about 250 dpi
ROW = 58
BAR = 38
MARGIN = 24
# The first found wins.  Only fonts known to carry Vietnamese letters: Liberation 1.x
# (still common on Linux) lacks them, so it is not listed.
FONTS = ("times.ttf", "Times New Roman.ttf", "DejaVuSerif.ttf", "arial.ttf", "DejaVuSans.ttf")
BAR_COLOUR = (31, 78, 121)
GRID_COLOUR = (200, 200, 200)
TEXT_COLOUR = (0, 0, 0)


def bar_chart(labels: list[str], values: list[Decimal], texts: list[str], lang: str) -> bytes | None:
    """PNG bytes: one bar per label, its ``texts`` value at the bar's end; None without Pillow."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return None
    if not labels or len(labels) > CHART_MAX_UNITS:
        return None
    font = _font(34)  # about 10 pt when printed 160 mm wide
    label_width = min(WIDTH * 2 // 5, max(font.getlength(t) for t in labels) + MARGIN)
    value_room = max(font.getlength(t) for t in texts) + MARGIN
    left, right = MARGIN + label_width, WIDTH - MARGIN - value_room
    axis_max, step = _axis(max((float(v) for v in values), default=0.0))
    height = 2 * MARGIN + ROW * len(labels) + 40
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    bottom = MARGIN + ROW * len(labels)
    for k in range(int(round(axis_max / step)) + 1):
        x = left + (right - left) * k * step / axis_max
        draw.line([(x, MARGIN), (x, bottom)], fill=GRID_COLOUR, width=2)
        tick = _tick_text(k * step, lang)
        draw.text((x, bottom + 6), tick, fill=TEXT_COLOUR, font=font, anchor="ma")
    for k, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        y = MARGIN + ROW * k + (ROW - BAR) / 2
        end = left + (right - left) * max(float(value), 0.0) / axis_max
        draw.rectangle([left, y, max(end, left + 1), y + BAR], fill=BAR_COLOUR)
        draw.text((left - 12, y + BAR / 2), _fit(label, font, label_width - 12), fill=TEXT_COLOUR,
                  font=font, anchor="rm")
        draw.text((end + 8, y + BAR / 2), text, fill=TEXT_COLOUR, font=font, anchor="lm")
    draw.line([(left, MARGIN), (left, bottom)], fill=TEXT_COLOUR, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(254, 254))
    return out.getvalue()


def _font(size: int):
    from PIL import ImageFont

    for name in FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _axis(top: float) -> tuple[float, float]:
    """A round axis end at or above ``top`` and a tick step giving 4-10 ticks."""
    if top <= 0:
        return 1.0, 1.0
    step = 10 ** math.floor(math.log10(top))
    while top / step < 4:
        step /= 2
    return math.ceil(top / step) * step, step


def _tick_text(value: float, lang: str) -> str:
    return format_number(float(f"{value:g}"), lang)


def _fit(text: str, font, width: float) -> str:
    """Shorten a label with an ellipsis so it stays left of the bars."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"
