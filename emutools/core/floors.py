"""Shares of the points: each unit's points on every scored criterion and criteria group
against its maximum, for the floors a classification or an award may set ("Excellent: total
≥ 90 and every criterion ≥ 85 % of its points").

Exact: a share is compared as points × 10 000 ≥ floor × maximum, the floor in hundredths
of a percent.  A criterion not applicable to the unit (N/A, not assigned, or marked for
other ranking groups) and a criterion without points are not held against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from emutools.core import numbers as N
from emutools.core.model import Inputs


@dataclass(frozen=True)
class Shortfall:
    """The first criterion (or group) of a unit below a floor, and its exact share."""

    code: str
    scope: str  # criterion | group
    share: Decimal  # percent, cut (not rounded) to 2 decimals: never shown as reaching the floor

    def what(self) -> tuple[str, str]:
        if self.scope == "group":
            return f"nhóm {self.code}", f"group {self.code}"
        return f"tiêu chí {self.code}", f"criterion {self.code}"


class Shares:
    """Points and applicable maxima per (scored criterion, unit) and (criteria group, unit)."""

    def __init__(self, inputs: Inputs, leaves: pd.Index, weighted: np.ndarray, totals: pd.DataFrame) -> None:
        crit = inputs.criteria.loc[leaves] if len(leaves) else inputs.criteria.iloc[:0]
        scored = (crit["kind"] == "score").to_numpy(dtype=bool) & (crit["max"].to_numpy(dtype=np.int64) > 0)
        maxima = N.round_div(crit["max"].to_numpy(dtype=np.int64) * crit["weight"].to_numpy(dtype=np.int64),
                             10**N.WEIGHT_DECIMALS)
        codes = list(leaves)
        na = np.array([[code in excused for excused in totals["not_applicable"]] for code in codes],
                      dtype=bool).reshape(len(codes), len(totals))
        applies = scored[:, None] & ~na
        self._units = {u: k for k, u in enumerate(totals.index)}
        self._criteria = (np.array(codes, dtype=object)[scored], weighted[scored],
                          np.where(applies, maxima[:, None], 0)[scored])
        groups = crit["group"].to_numpy()
        group_codes = list(inputs.groups)
        self._groups = (np.array(group_codes, dtype=object),
                        totals[group_codes].to_numpy(dtype=np.int64).T if group_codes
                        else np.zeros((0, len(totals)), np.int64),
                        np.array([np.where(applies & (groups == g)[:, None], maxima[:, None], 0).sum(axis=0)
                                  for g in group_codes], dtype=np.int64).reshape(len(group_codes), len(totals)))

    def shortfall(self, unit: str, floor: int, scope: str) -> Shortfall | None:
        """The first criterion (or group) below ``floor`` (hundredths of a percent), if any."""
        codes, points, maxima = self._groups if scope == "group" else self._criteria
        j = self._units[unit]
        p, m = points[:, j], maxima[:, j]
        below = np.flatnonzero((m > 0) & (p * 10_000 < floor * m))
        if not len(below):
            return None
        k = int(below[0])
        return Shortfall(str(codes[k]), scope, Decimal(int(p[k]) * 10_000 // int(m[k])).scaleb(-2))
