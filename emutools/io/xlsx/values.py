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


def date_serial(value: dt.date) -> str:
    """Excel's serial day number of a date (with the time as its fraction), 1900 system."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - EPOCH
        return repr(delta.days + (delta.seconds * 1_000_000 + delta.microseconds) / 86_400_000_000)
    return str((value - EPOCH.date()).days)


def display_text(value: object) -> str:
    """A cell value as a label (hyperlink display, chart category); blank for None."""
    return "" if value is None else str(value)
