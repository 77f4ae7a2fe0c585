"""From what a measured cell holds to points, by the criterion's rule — exactly.

A measured criterion's cell holds a result (a rate, a count of tasks), a grade ("Khá") or
occurrences (a count, or the days late of each late report); its rule, declared on the
Criteria sheet, turns that into points.  Results, targets and tier bounds are compared as
integers at 6 decimals (:data:`SCALE`), points are integers at the scoring precision, and
every division is rounded half-up once, at the end — no float enters a score.

The rules (see docs/scoring-rules.md for how a secretary writes each):

- proportional: result ÷ plan × points, at most the points;
- inverse (lower is better): plan ÷ result × points, at most the points (a result of 0
  earns the points);
- all_or_nothing: the points when the result reaches the plan, else 0;
- threshold: the points of the first tier reached ("95=5; 90=4"), or with "≤" tiers the
  points of the lowest bound the result stays under ("≤ 2 = 5; ≤ 5 = 3");
- grade: the grade's share of the points (scale from the settings or the Tiers column);
- per_occurrence: points per occurrence, summed (a cap, the criterion's maximum, is applied
  with the other caps in :mod:`emutools.core.caps` so the amount cut can be shown).

The plan is the unit's own target (the Unit targets sheet) or, when blank, the criterion's.
A result above plan may earn an above-plan bonus: ``over_rate`` % of the points per 1 %
above plan, at most ``over_cap`` % of the points; it is bonus, kept apart from the points.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from emutools import contract as C
from emutools.core import numbers as N
from emutools.core.inputs import OCCURRENCE_DECIMALS, text
from emutools.core.issues import Issue, issue
from emutools.core.model import Grid, Inputs, cell_ref
from emutools.texts import say

SCALE_DECIMALS = OCCURRENCE_DECIMALS
SCALE = 10**SCALE_DECIMALS
PERCENT = 10**N.WEIGHT_DECIMALS  # over_rate and over_cap are percents at this precision


def half_up(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator (Python integers, denominator > 0) rounded half away from zero."""
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def is_not_applicable(value: object) -> bool:
    """'Không áp dụng', 'N/A', 'KAD', 'không giao' — but not Excel's '#N/A' error value, which
    is a broken formula, not a decision that the criterion does not apply."""
    return isinstance(value, str) and not value.strip().startswith("#") \
        and C.normalize(value) in C.NOT_APPLICABLE


# --- plans ------------------------------------------------------------------------------


def plans(inputs: Inputs, leaves: pd.Index, units: pd.Index,
          issues: list[Issue]) -> tuple[np.ndarray, np.ndarray]:
    """Each (leaf, unit)'s plan at :data:`SCALE` (0 = none) and where the Unit targets sheet
    says the criterion is not assigned to the unit (N/A).  A blank own target falls back to
    the criterion's common target; an unusable one is flagged and falls back too."""
    crit = inputs.criteria.loc[leaves]
    needs = crit["rule"].isin(C.TARGET_RULES).to_numpy() if len(leaves) else np.zeros(0, dtype=bool)
    common = np.array([N.scaled_of(t, SCALE_DECIMALS) if needs[i] and t == t else 0
                       for i, t in enumerate(crit["target"])], dtype=np.int64)
    plan = np.repeat(common[:, None], len(units), axis=1)
    na = np.zeros(plan.shape, dtype=bool)
    grid = inputs.targets
    at_row = grid.positions(leaves) if grid is not None else np.full(len(leaves), -1)
    at_col = grid.unit_positions(units) if grid is not None else np.full(len(units), -1)
    for i in np.flatnonzero(needs & (at_row >= 0)):
        for j in np.flatnonzero(at_col >= 0):
            _own_plan(grid, at_row[i], at_col[j], i, j, plan, na, leaves, units, issues)
    for i in np.flatnonzero(needs):
        for j in np.flatnonzero((plan[i] == 0) & ~na[i]):
            cell = _target_cell(grid, at_row[i], at_col[j])
            issues.append(issue("target_missing", grid.sheet if cell else "", cell, unit=units[j],
                                criterion=leaves[i]))
    return plan, na


def _own_plan(grid: Grid, r: int, c: int, i: int, j: int, plan: np.ndarray, na: np.ndarray,
              leaves: pd.Index, units: pd.Index, issues: list[Issue]) -> None:
    value = grid.cell(r, c)
    if not text(value):
        return
    if is_not_applicable(value):
        na[i, j] = True
        return
    own = N.scaled_of(value, SCALE_DECIMALS) if not hasattr(value, "isoformat") else None
    if own is None or own <= 0:
        issues.append(issue("target_invalid", grid.sheet, _target_cell(grid, r, c), unit=units[j],
                            criterion=leaves[i], value=text(value)))
        return
    plan[i, j] = own


def _target_cell(grid: Grid | None, r: int, c: int) -> str:
    if grid is None or r < 0 or c < 0:
        return ""
    return cell_ref(int(grid.criteria["row"].iloc[r]), int(grid.units["col"].iloc[c]))


# --- results against plans --------------------------------------------------------------


def measured(value: np.ndarray, c: pd.Series, plan: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One criterion's row: (points, above-plan bonus), both scaled integers."""
    result = N.to_scaled(value, SCALE_DECIMALS)
    maximum, rule = int(c["max"]), c["rule"]
    bonus = np.zeros(value.shape, dtype=np.int64)
    if rule == "threshold":
        return _tiered(result, c["tiers"], bool(c["lower"]), maximum), bonus
    points = np.zeros(value.shape, dtype=np.int64)
    for j in np.flatnonzero(plan > 0):
        r, t = int(result[j]), int(plan[j])
        if rule == "all_or_nothing":
            points[j] = maximum if r >= t else 0
        elif rule == "proportional":
            points[j] = half_up(min(r, t) * maximum, t)
        else:  # inverse: lower is better
            points[j] = maximum if r <= t else half_up(t * maximum, r)
        if c["over_rate"]:
            bonus[j] = _above_plan(r, t, rule, maximum, int(c["over_rate"]), c["over_cap"])
    return points, bonus


def _tiered(result: np.ndarray, tiers: list[tuple[float, int]], lower: bool, maximum: int) -> np.ndarray:
    """Tier points; a tier above the maximum is flagged when typed and counts as the maximum."""
    points = np.zeros(result.shape, dtype=np.int64)
    for bound, tier_points in reversed(tiers):  # the winning tier is written last
        reached = result <= N.scaled_of(bound, SCALE_DECIMALS) if lower \
            else result >= N.scaled_of(bound, SCALE_DECIMALS)
        points[reached] = min(tier_points, maximum)
    return points


def _above_plan(result: int, plan: int, rule: str, maximum: int, rate: int, cap: int | None) -> int:
    """rate % of the points per 1 % beyond plan, at most cap % of the points, half-up once.

    Beyond plan by (result − plan) ÷ plan (proportional) or (plan − result) ÷ result
    (inverse); bonus = points × rate/100 × beyond × 100 / 100 = points × rate × beyond / 100.
    A lower-is-better result of 0 is beyond plan without measure: it earns the cap (or,
    with no cap, nothing — the guidance must then say what it means).
    """
    if rule == "proportional":
        ahead, base = result - plan, plan
    else:
        ahead, base = plan - result, result
    if ahead <= 0:
        return 0
    capped = (maximum * cap, 100 * PERCENT) if cap is not None else None
    if base == 0:
        return half_up(*capped) if capped else 0
    earned = (maximum * rate * ahead, PERCENT * base)
    if capped and capped[0] * earned[1] < earned[0] * capped[1]:
        earned = capped
    return half_up(*earned)


# --- grades and occurrences -------------------------------------------------------------


def graded(raw: object, c: pd.Series) -> int | None:
    """A grade ('khá', 'KHA', 'B') -> its share of the points; None when not a grade."""
    if not isinstance(raw, str):
        return None
    grade = c["grades"].get(C.normalize(raw))
    return None if grade is None else half_up(int(c["max"]) * grade[1], 10_000)


def occurrences(raw: object, value: float, c: pd.Series) -> int | None:
    """Points for the occurrences a cell records, uncapped; None when the cell is not one.

    With one number of points per occurrence the cell holds a count (a whole number ≥ 0);
    with ranges it holds each occurrence's value ('6; 12' days late), each scored by the
    range holding it (a value in no range costs nothing)."""
    rule = c["occurrence"]
    if isinstance(rule, int):
        if value != value or value < 0 or not float(value).is_integer():
            return None
        return int(value) * rule
    parts = [raw] if isinstance(raw, (int, float)) and not isinstance(raw, bool) else \
        str(raw).replace("\n", ";").split(";") if isinstance(raw, str) else None
    if parts is None:
        return None
    total = 0
    for part in parts:
        if isinstance(part, str) and not part.strip():
            continue
        scaled = N.scaled_of(part, SCALE_DECIMALS)
        if scaled is None or scaled < 0:
            return None
        total += next((band.points for band in rule if band.holds(scaled)), 0)
    return total


def occurrence_form(c: pd.Series, lang: str) -> str:
    """What a cell of this criterion should hold, for the flag."""
    return say("measure.count_form" if isinstance(c["occurrence"], int) else "measure.values_form", lang)
