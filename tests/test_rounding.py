"""One rounding everywhere: half-up on the decimal value as typed (1.005 typed is 1.01).

Every path that turns a typed score into points — the vectorised score sheets, the one-value
parser, the worksheet functions, the engine's ranking and the documents' number text — is
compared with ``Decimal(typed).quantize(…, ROUND_HALF_UP)``, the rule the README states.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from emutools.core import numbers as N
from emutools.core.numbers import points as document_points
from emutools.udfs import EMU_RANK, EMU_TOTAL
from tests.cluster import sheets
from tests.test_core import _grid_row, run


def typed(mantissa: int, places: int) -> str:
    """A value as a secretary types it, ``places`` decimals."""
    text = str(abs(mantissa)).rjust(places + 1, "0")
    whole, frac = text[: len(text) - places], text[len(text) - places:]
    return ("-" if mantissa < 0 else "") + whole + ("." + frac if places else "")


values = st.integers(0, 6).flatmap(  # below MAX_ABS (1e9), at most 15 significant digits
    lambda places: st.builds(typed, st.integers(-10**(9 + places) + 1, 10**(9 + places) - 1),
                             st.just(places)))
decimals = st.integers(0, 4)


def half_up(text: str, d: int) -> Decimal:
    return Decimal(text).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)


def test_the_documented_examples():
    """The three values the vectorised path used to round half to even."""
    assert list(N.to_scaled(np.array([8.125, 0.125, 1.005]), 2)) == [813, 13, 101]
    assert [N.scaled_of(v, 2) for v in (8.125, 0.125, 1.005)] == [813, 13, 101]
    assert EMU_TOTAL([8.125]) == 8.13
    assert EMU_RANK(8.125, [8.13, 8.125, 8.12]) == 1  # 8.125 is 8.13 and ties with it


@settings(max_examples=400, deadline=None)
@given(st.lists(values, min_size=1, max_size=20), decimals)
def test_vectorised_and_single_value_paths_round_half_up(texts, d):
    expected = [int(half_up(t, d).scaleb(d)) for t in texts]
    floats = np.array([float(t) for t in texts])
    assert N.to_scaled(floats, d).tolist() == expected
    assert [N.scaled_of(float(t), d) for t in texts] == expected
    assert [N.scaled_of(t.replace(".", ","), d) for t in texts] == expected  # "8,125" as text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(typed, st.integers(-10**7, 10**7), st.integers(0, 5)), min_size=1,
                max_size=10), decimals)
def test_worksheet_functions_round_each_value_half_up(texts, d):
    total = sum(half_up(t, d) for t in texts)
    assert EMU_TOTAL([float(t) for t in texts], None, d) == float(total)
    own = half_up(texts[0], d)
    assert EMU_RANK(float(texts[0]), [float(t) for t in texts], d) == \
        1 + sum(half_up(t, d) > own for t in texts)


@settings(max_examples=200, deadline=None)
@given(values, decimals, st.sampled_from(["vi", "en"]))
def test_document_numbers_round_half_up(text, d, lang):
    shown = document_points(Decimal(text), d, lang)
    assert shown == str(half_up(text, d)).replace(".", "," if lang == "vi" else ".")


@settings(max_examples=40, deadline=None)
@given(st.builds(typed, st.integers(0, 10**5), st.integers(0, 4)))
def test_the_engine_ranks_the_typed_value_rounded_half_up(text):
    """Verified score of unit A on 1.1 (max 10, weight 1) and on 2.1 (max 5, weight 2): the
    group subtotals hold the typed value rounded half-up at 2 decimals (2.1 doubled after)."""
    if Decimal(text) > 5:
        text = str(Decimal(text) % 5)
    data = sheets()
    verified = data["Thẩm định"]
    verified[_grid_row(verified, "1.1")][3] = float(text)
    verified[_grid_row(verified, "2.1")][3] = float(text)
    data["Tự chấm"][_grid_row(data["Tự chấm"], "1.1")][3] = float(text)
    ranking = run(data).ranking
    assert ranking.loc["A", "1"] == half_up(text, 2) + Decimal("9.5")  # 1.2 gives A 9.5
    assert ranking.loc["A", "2"] == 2 * half_up(text, 2)
