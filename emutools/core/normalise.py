"""Normalising each cross-assessor's scores before they are combined (optional setting).

A lenient assessor lifts every unit it scores; with a mean or median of cross-scores that
leniency reaches the ranking unevenly, because assessors do not score themselves.  Two
corrections are offered, criterion by criterion (each criterion has its own scale), over
the scored criteria only (bonus, penalty and veto rows are facts, not judgements):

- centre: x' = x − m_s + m, where m_s is the sheet's mean on that criterion and m the mean
  of all jury cells on it — each sheet's offset removed;
- zscore: x' = m + (x − m_s) × σ / σ_s, σ_s and σ the population standard deviations of
  the sheet's and of all jury cells — offset and spread both removed (a sheet whose cells
  are all equal is only centred).

Exact and deterministic: sums are Python integers; the ratio σ / σ_s is taken as
⌊√(σ² / σ_s²) × 10⁶⌋ with an integer square root (math.isqrt on the exact rational, so
the same on every machine), and each x' is then rounded half away from zero to the scoring
precision and kept within 0 and the criterion's maximum.
"""

from __future__ import annotations

from math import isqrt

import numpy as np

RATIO_DECIMALS = 6
RATIO_ONE = 10**RATIO_DECIMALS


def normalised(stack: np.ndarray, mask: np.ndarray, maxima: np.ndarray, rows: np.ndarray,
               how: str) -> np.ndarray:
    """``stack`` (sheets × leaves × units, scaled ints) with ``rows`` normalised over the
    cells in ``mask``; other cells unchanged."""
    out = stack.copy()
    x = np.where(mask, stack, 0).astype(object)
    n_s = mask.sum(axis=2)
    s_s = x.sum(axis=2)
    q_s = (x * x).sum(axis=2)
    n_all, s_all, q_all = n_s.sum(axis=0), s_s.sum(axis=0), q_s.sum(axis=0)
    for i in np.flatnonzero(rows):
        ng, sg = int(n_all[i]), int(s_all[i])
        for a in range(stack.shape[0]):
            ns, ss = int(n_s[a, i]), int(s_s[a, i])
            if ns == 0:
                continue
            ratio = RATIO_ONE
            if how == "zscore":
                spread_s = ns * int(q_s[a, i]) - ss * ss  # ns² σ_s²
                spread = ng * int(q_all[i]) - sg * sg  # ng² σ²
                if spread_s > 0:
                    ratio = isqrt(spread * ns * ns * RATIO_ONE**2 // (spread_s * ng * ng))
            cells = np.flatnonzero(mask[a, i])
            den = ng * ns * RATIO_ONE
            for j in cells:
                num = sg * ns * RATIO_ONE + (int(stack[a, i, j]) * ns - ss) * ratio * ng
                value = (2 * abs(num) + den) // (2 * den) * (1 if num >= 0 else -1)
                top = int(maxima[i])
                out[a, i, j] = max(0, min(value, top) if top > 0 else value)
    return out
