"""Worksheet functions: =EMU_TOTAL(...), =EMU_RANK(...), =EMU_MISSING(...).

They compute with the same core as the Recalculate button (exact fixed-point totals,
competition ranking), so a formula and the Ranking sheet never disagree.  Decorated for
classic xlwings (Windows/macOS) and for xlwings Lite/Server, where the same module is
imported by ``lite/main.py``.
"""

from __future__ import annotations

import numpy as np
import xlwings as xw

from emutools.core import numbers as N
from emutools.core.ranking import rank_of


def _values(cells) -> np.ndarray:
    flat = cells if isinstance(cells, list) else [cells]
    return np.array(flat, dtype=object)


@xw.func
@xw.arg("points", ndim=1, doc="Điểm từng tiêu chí / points per criterion")
@xw.arg("weights", ndim=1, doc="Trọng số (tùy chọn) / weights (optional)")
@xw.arg("decimals", doc="Số chữ số thập phân (mặc định 2) / decimals (default 2)")
def EMU_TOTAL(points, weights=None, decimals=2):  # noqa: N802 - Excel function names
    """Tổng điểm chính xác (mỗi tiêu chí làm tròn nửa lên) / exact weighted total."""
    decimals = int(decimals)
    value, status = N.classify(_values(points))
    scaled = N.to_scaled(value, decimals)
    if weights is None:
        w = np.full(len(scaled), 10**N.WEIGHT_DECIMALS, dtype=np.int64)
    else:
        wv, ws = N.classify(_values(weights))
        w = np.where(ws == N.BLANK, 10**N.WEIGHT_DECIMALS, N.to_scaled(wv, N.WEIGHT_DECIMALS))
    if len(w) != len(scaled):
        return "#EMU: điểm và trọng số khác độ dài / points and weights differ in length"
    usable = (status == N.NUMBER) | (status == N.TEXT_NUMBER)
    total = int(N.round_div(scaled * w, 10**N.WEIGHT_DECIMALS)[usable].sum())
    return float(N.decimal_of(total, decimals))


@xw.func
@xw.arg("value", doc="Tổng điểm của đơn vị / the unit's total")
@xw.arg("values", ndim=1, doc="Tổng điểm của cả cụm / all totals")
@xw.arg("decimals", doc="Số chữ số thập phân (mặc định 2) / decimals (default 2)")
def EMU_RANK(value, values, decimals=2):  # noqa: N802
    """Hạng kiểu thi đấu 1, 2, 2, 4 so sánh chính xác / competition rank at the precision."""
    decimals = int(decimals)
    own = N.scaled_of(value, decimals)
    if own is None:
        return None
    others, status = N.classify(_values(values))
    usable = (status == N.NUMBER) | (status == N.TEXT_NUMBER)
    return rank_of(own, N.to_scaled(others, decimals)[usable])


@xw.func
@xw.arg("cells", ndim=1, doc="Các ô điểm / score cells")
def EMU_MISSING(cells):  # noqa: N802
    """Số ô còn trống hoặc không phải số / how many cells are blank or not numbers."""
    _, status = N.classify(_values(cells))
    return int(((status == N.BLANK) | (status == N.NOT_NUMBER)).sum())
