"""Cell values as Excel stores them: exact number text, date serials, display text."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from decimal import Decimal


def number_text(value: object) -> str | None:
    """The exact lexical value of a number, None for NaN/infinity (written as blank)."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else None
    if isinstance(value, numbers.Real):
        f = float(value)
        return repr(f) if math.isfinite(f) else None
    return None


EPOCH = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)  # workbooks made on old Macs: <workbookPr date1904="1"/>


def date_serial(value: dt.date, date1904: bool = False) -> str:
    """Excel's serial day number of a date (with the time as its fraction) in the workbook's
    date system: days since 1899-12-30, or since 1904-01-01 when it uses the 1904 system."""
    epoch = EPOCH_1904 if date1904 else EPOCH
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - epoch
        return repr(delta.days + (delta.seconds * 1_000_000 + delta.microseconds) / 86_400_000_000)
    return str((value - epoch.date()).days)


def display_text(value: object) -> str:
    """A cell value as a label (hyperlink display, chart category); blank for None."""
    return "" if value is None else str(value)
