"""Numbers as secretaries type them, and exact fixed-point arithmetic for scores.

Scores are held as integers counted in units of 10**-decimals (``decimals`` is a
setting, default 2): 8.75 points at 2 decimals is the integer 875.  Sums of such
integers are exact, so two units whose scores add up to the same total always tie —
unlike float sums, where 0.1 + 0.2 != 0.3 splits ties in a formula template.
Divisions (averages, proportional points) are rounded half-up back to the grid.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from itertools import repeat

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from emutools.texts import say

BLANK, NUMBER, TEXT_NUMBER, NOT_NUMBER = 0, 1, 2, 3
WEIGHT_DECIMALS = 4  # weights such as 0.5 or 1.25 are exact at this precision
MAX_ABS = 1e9  # no cluster scores a billion points: beyond this a value is a typo, not a score
MAX_DECIMALS = 6  # with MAX_ABS, keeps every scaled product inside 64-bit integers

_NUMBER_TEXT = re.compile(r"^\s*([+-]?)(\d+)(?:[.,](\d+))?\s*(%?)\s*$")


def parse_text_number(text: str) -> float | None:
    """'8,5' -> 8.5, ' 9 ' -> 9.0, '94%' -> 94.0, 'tám' -> None.

    A comma is a decimal separator (Vietnamese usage); thousands separators are not
    accepted because "1.000" would be ambiguous between one and one thousand.
    """
    m = _NUMBER_TEXT.match(text)
    if not m:
        return None
    sign, whole, frac, _ = m.groups()
    return float(f"{sign}{whole}.{frac or '0'}")


def classify(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Read an object array of raw cell values into (float values, status codes).

    Numbers and blanks come from :func:`as_floats`; the rest is :func:`typed`.
    """
    flat = values.ravel()
    out, other = as_floats(flat)
    return typed(out.reshape(values.shape), other.reshape(values.shape), flat.__getitem__)


def typed(numbers: np.ndarray, other: np.ndarray, cell: Callable[[int], object]
          ) -> tuple[np.ndarray, np.ndarray]:
    """(float values, status codes) of cells already converted by :func:`as_floats` — as a
    grid's are once, when read: ``numbers`` (written over) and ``other``; ``cell(k)`` is the
    raw value of the k-th cell in row-major order, asked for only where ``other`` is set.

    Only those other cells are looked at one by one, and of them only strings can still be
    numbers.  Blank cells (None, NaN, '', whitespace) give NaN and BLANK.
    """
    shape = numbers.shape
    out, other = numbers.reshape(-1), other.reshape(-1)
    status = np.where(np.isnan(out), BLANK, NUMBER).astype(np.int8)
    status[other] = NOT_NUMBER
    for i in np.flatnonzero(other):
        text = cell(i)
        if not isinstance(text, str):
            continue
        if not text.strip():
            status[i] = BLANK
            continue
        number = parse_text_number(text)
        if number is not None:
            out[i], status[i] = number, TEXT_NUMBER
    return _bounded(out, status, shape)


def as_floats(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A 1-D object array of cells as floats (NaN where not a number) and the mask of cells
    that are neither a number nor None (text, dates, booleans…).

    When every cell is a float or blank — the usual score sheet — one C-level scan decides
    it, and likewise when every cell is text or blank (an evidence sheet); otherwise the
    floats are picked out first and only the remaining cells are told apart by their class
    (a sheet as read holds its blank cells as "", so it is mixed).
    """
    return as_cells(flat)[:2]


def as_cells(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`as_floats`, and the mask of the cells a float (or a blank) cannot stand for:
    the other cells, whole numbers typed as ``int`` and NaN floats — the rest of a sheet can
    be kept as numbers only and its cells made again exactly (:class:`~emutools.core.model.Grid`)."""
    kind = infer_dtype(flat, skipna=True)
    if kind in _ALL_NUMBERS:
        out = flat.astype(float)
        if kind == "floating":  # floats and blanks: only a NaN that is not None is kept as it is
            kept = np.zeros(len(flat), dtype=bool)
            nan = np.flatnonzero(np.isnan(out))
            kept[nan[flat[nan] != None]] = True  # noqa: E711 — elementwise, not an identity test
        else:  # whole numbers among them (never from a file): each told apart
            floats = np.fromiter(map(isinstance, flat, repeat(float)), dtype=bool, count=len(flat))
            kept = ~(floats & ~np.isnan(out)) & (flat != None)  # noqa: E711
        return out, np.zeros(len(flat), dtype=bool), kept
    out = np.full(flat.shape, np.nan)
    if kind == "string":  # text, None and NaN only
        other = ~pd.isna(flat)
        kept = other.copy()
        nan = np.flatnonzero(~other)
        kept[nan[flat[nan] != None]] = True  # noqa: E711
        return out, other, kept
    floats = np.fromiter(map(isinstance, flat, repeat(float)), dtype=bool, count=len(flat))
    out[floats] = flat[floats].astype(float)
    rest = np.flatnonzero(~floats)
    kinds = np.fromiter(map(id, map(type, flat[rest])), dtype=np.int64, count=len(rest))
    ints = rest[kinds == id(int)]
    out[ints] = flat[ints].astype(float)
    other = np.zeros(len(flat), dtype=bool)
    other[rest[(kinds != id(int)) & (kinds != id(type(None)))]] = True
    kept = other | (floats & np.isnan(out))
    kept[ints] = True
    return out, other, kept


def _bounded(out: np.ndarray, status: np.ndarray, shape) -> tuple[np.ndarray, np.ndarray]:
    """Infinite or absurdly large values are not numbers a cluster can score."""
    wild = (status != BLANK) & ~(np.abs(np.nan_to_num(out, nan=0.0, posinf=np.inf)) <= MAX_ABS)
    if wild.any():
        out[wild], status[wild] = np.nan, NOT_NUMBER
    return out.reshape(shape), status.reshape(shape)


_ALL_NUMBERS = {"floating", "integer", "mixed-integer-float", "empty"}


def to_scaled(values: np.ndarray, decimals: int) -> np.ndarray:
    """Floats to integers at the scoring precision (NaN becomes 0; callers keep a mask).

    Rounds half-up (away from zero) on the decimal value as typed, exactly as
    :func:`scaled_of` does: 1.005 typed is 1.01 and 8.125 is 8.13, although the binary float
    nearest 1.005 lies just below it.  The float's shortest repr is what the user typed
    (Excel keeps 15 significant digits); only the few products lying within a few ulps of a
    half are decided on that text, the rest in one vectorised step.
    """
    values = np.asarray(values, dtype=float)
    product = np.nan_to_num(values).reshape(-1)  # a copy, worked on in place
    product *= 10**decimals
    size = np.abs(product)
    scaled = size + 0.5
    np.floor(scaled, out=scaled)
    off_half = np.floor(size)  # how far each product lies from a half: |size - ⌊size⌋ - 0.5|
    np.subtract(size, off_half, out=off_half)
    off_half -= 0.5
    np.abs(off_half, out=off_half)
    if size.size:  # the tolerance grows with size: the largest one's bounds them all, then each
        near = np.flatnonzero(off_half <= 8 * np.spacing(size.max()))
        near = near[off_half[near] <= 8 * np.spacing(size[near])]
        if len(near):
            scaled[near] = [abs(scaled_of(float(v), decimals)) for v in values.reshape(-1)[near]]
    np.copysign(scaled, product, out=scaled)
    return scaled.astype(np.int64).reshape(values.shape)


def has_extra_decimals(values: np.ndarray, decimals: int) -> np.ndarray:
    """True where a typed value carries more decimals than the scoring precision."""
    scaled = np.nan_to_num(values) * 10**decimals
    return np.abs(scaled - np.rint(scaled)) > 1e-6


def round_div(numerator: np.ndarray, denominator: np.ndarray | int) -> np.ndarray:
    """Integer division rounded half away from zero, exact for any int64 inputs."""
    num = np.asarray(numerator, dtype=np.int64)
    den = np.asarray(denominator, dtype=np.int64)
    sign = np.where((num < 0) ^ (den < 0), -1, 1)
    num, den = np.abs(num), np.abs(den)
    return sign * ((2 * num + den) // (2 * den))


def decimal_of(scaled: int, decimals: int) -> Decimal:
    """An exact Decimal for a scaled integer, for display and documents."""
    return Decimal(int(scaled)).scaleb(-decimals)


def scaled_of(value: object, decimals: int) -> int | None:
    """One typed value (number or text) to a scaled integer, rounding half-up; None if not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        number = parse_text_number(value)
        if number is None:
            return None
        value = number
    if not isinstance(value, (int, float, Decimal)):
        return None
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if abs(value) > MAX_ABS:
        return None
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return int((exact.scaleb(decimals)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_number(value: int | float | Decimal, lang: str = "vi") -> str:
    """8.5 -> '8,5' (vi) or '8.5' (en); integers without decimals; no exponent."""
    if isinstance(value, (float, np.floating)):
        value = Decimal(repr(float(value)))
    number = Decimal(int(value)) if isinstance(value, np.integer) else Decimal(value)
    text = format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return _decimal_mark(text, lang)


def points(value: Decimal | None, decimals: int, lang: str) -> str:
    """A score at the scoring precision, trailing zeros kept: 97,10 (vi) or 97.10 (en); blank
    for no score.  The one way the command line and the documents write a score."""
    if value is None or pd.isna(value):
        return ""
    text = format(Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), "f")
    return _decimal_mark(text, lang)


def _decimal_mark(text: str, lang: str) -> str:
    """'8.5' written with the language's decimal mark (a row of the text catalogue)."""
    return text.replace(".", say("number.decimal_mark", lang))
