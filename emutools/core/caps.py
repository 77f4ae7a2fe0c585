"""Totals: the weighted points of each unit added up by column, with caps and N/A applied.

Applied after the assessments are combined and weighed, in this order (each cut is kept,
so the Ranking sheet can show how many points were over a cap and not counted):

1. a per-occurrence criterion's maximum caps its row (it is optional: 0 means no cap);
2. a group heading's cap ("Giới hạn điểm của nhóm") caps, kind by kind, what its rows add
   to the total — inner headings first, so a group within a group is cut once;
3. the settings' caps: the total above-plan bonus, then all bonus (above-plan included),
   then all penalty;
4. criteria not applicable to a unit (N/A) leave its maximum: its scored points are
   rescaled to the common maximum (points × common ÷ applicable, half-up) or, with the
   "remaining" policy, left as they are beside the lower maximum.  Group columns show the
   points earned, before rescaling; bonus and penalty are never rescaled.

Everything is exact integer arithmetic at the scoring precision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from emutools.core import numbers as N
from emutools.core.model import Inputs
from emutools.texts import every

# other kinds go to their group column; a breached veto row's points off are a penalty
KIND_COLUMNS = {"bonus": "bonus", "penalty": "penalty", "veto": "penalty"}


@dataclass(frozen=True)
class Cut:
    """Points over one cap for each unit: what was capped, where the cap is written, the cap."""

    what: tuple[str, ...]  # in every language (texts.every)
    sheet: str
    cell: str
    cap: int
    before: np.ndarray  # the amount each unit had
    cut: np.ndarray  # how much of it was not counted


def totals(inputs: Inputs, leaves: pd.Index, units: pd.Index, kinds: np.ndarray, weighted: np.ndarray,
           above_plan: np.ndarray, not_applicable: np.ndarray,
           cuts: list[Cut] | None = None) -> pd.DataFrame:
    """Per unit: one column per criteria group, bonus, penalty, total, capped, applicable_max,
    above_plan and not_applicable (the N/A codes).  ``cuts``, when given, collects each cap
    that cut something (for the flags)."""
    crit = inputs.criteria
    found: list[Cut] = []
    weights = crit.loc[leaves, "weight"].to_numpy(dtype=np.int64) if len(leaves) else np.zeros(0, np.int64)
    maxima = N.round_div(crit.loc[leaves, "max"].to_numpy(dtype=np.int64) * weights, 10**N.WEIGHT_DECIMALS) \
        if len(leaves) else np.zeros(0, np.int64)
    weighted = _row_caps(inputs, leaves, weighted, maxima, found)
    groups = crit.loc[leaves, "group"].to_numpy() if len(leaves) else np.array([])
    column_of = np.array([KIND_COLUMNS.get(k, g) for k, g in zip(kinds, groups, strict=True)], dtype=object)
    counted = kinds != "veto"
    less = _heading_caps(inputs, leaves, units, kinds, weighted, found)
    frame = pd.DataFrame(index=units)
    for group in inputs.groups:
        frame[group] = weighted[(kinds == "score") & (groups == group)].sum(axis=0) - less.get(group, 0)
    above = above_plan[counted].sum(axis=0) if len(leaves) else np.zeros(len(units), np.int64)
    above = _kind_cap(inputs, "overflow_cap", above, found)
    bonus = weighted[column_of == "bonus"].sum(axis=0) - less.get("bonus", 0) + above
    penalty = weighted[column_of == "penalty"].sum(axis=0) - less.get("penalty", 0)
    frame["bonus"] = _kind_cap(inputs, "bonus_cap", bonus, found)
    frame["penalty"] = _kind_cap(inputs, "penalty_cap", penalty, found)
    frame["above_plan"] = above
    scored_rows = kinds == "score"
    earned = frame[inputs.groups].to_numpy(dtype=np.int64).sum(axis=1) if inputs.groups \
        else np.zeros(len(units), np.int64)
    common = int(maxima[scored_rows].sum())
    excused = (not_applicable & scored_rows[:, None]) * maxima[:, None] if len(leaves) \
        else np.zeros((0, len(units)), np.int64)
    applicable = common - excused.sum(axis=0)
    if inputs.settings.not_applicable == "rescale":
        earned = np.array([_rescaled(int(e), common, int(a)) for e, a in zip(earned, applicable, strict=True)],
                          dtype=np.int64)
    frame["total"] = earned + frame["bonus"].to_numpy() - frame["penalty"].to_numpy()
    frame["capped"] = sum((c.cut for c in found), np.zeros(len(units), dtype=np.int64))
    frame["applicable_max"] = applicable
    codes = leaves.to_numpy(dtype=object)
    frame["not_applicable"] = [tuple(codes[not_applicable[:, j]]) if has else ()
                               for j, has in enumerate(not_applicable.any(axis=0) if len(leaves)
                                                       else np.zeros(len(units), dtype=bool))]
    if cuts is not None:
        cuts.extend(found)
    return frame


def _rescaled(earned: int, common: int, applicable: int) -> int:
    """Points on the applicable maximum brought to the common one, half-up (unchanged when
    every criterion applies, or none does)."""
    if applicable in (common, 0) or applicable <= 0:
        return earned
    return (2 * earned * common + applicable) // (2 * applicable)


def _row_caps(inputs: Inputs, leaves: pd.Index, weighted: np.ndarray, maxima: np.ndarray,
              found: list[Cut]) -> np.ndarray:
    """A per-occurrence criterion with a maximum: its occurrences count up to it."""
    crit = inputs.criteria
    capped_rows = np.flatnonzero((crit.loc[leaves, "rule"].to_numpy() == "per_occurrence") & (maxima > 0)) \
        if len(leaves) else []
    if not len(capped_rows):
        return weighted
    weighted = weighted.copy()
    table = inputs.table("criteria")
    for i in capped_rows:
        before = weighted[i].copy()
        weighted[i] = np.minimum(before, maxima[i])
        if (before > weighted[i]).any():
            row = int(crit.at[leaves[i], "row"])
            found.append(Cut(every("cap.criterion", code=leaves[i]), table.sheet if table else "",
                             table.cell("max_points", row) if table else "", int(maxima[i]), before,
                             before - weighted[i]))
    return weighted


def _heading_caps(inputs: Inputs, leaves: pd.Index, units: pd.Index, kinds: np.ndarray,
                  weighted: np.ndarray, found: list[Cut]) -> dict[str, np.ndarray]:
    """Cut by each heading's cap, kind by kind, deepest heading first; the amounts to take
    off each column (a group code, "bonus" or "penalty")."""
    crit = inputs.criteria
    heads = [h for h in crit.index if crit.at[h, "cap"] is not None and not crit.at[h, "is_leaf"]] \
        if len(crit) and "cap" in crit else []
    less: dict[str, np.ndarray] = {}
    if not heads:
        return less
    table = inputs.table("criteria")
    codes = list(leaves)
    done: list[tuple[str, str, np.ndarray]] = []  # (heading, kind, cut) already applied
    for head in sorted(heads, key=lambda h: -h.count(".")):
        under = np.array([c.startswith(head + ".") for c in codes], dtype=bool)
        cap = int(crit.at[head, "cap"])
        for kind in ("score", "bonus", "penalty"):
            rows = under & (kinds == kind)
            if not rows.any():
                continue
            before = weighted[rows].sum(axis=0) - sum(
                (cut for h, k, cut in done if k == kind and h.startswith(head + ".")),
                np.zeros(len(units), dtype=np.int64))
            cut = np.maximum(before - cap, 0)
            if not cut.any():
                continue
            done.append((head, kind, cut))
            column = KIND_COLUMNS.get(kind, crit.at[head, "group"])
            less[column] = less.get(column, 0) + cut
            row = int(crit.at[head, "row"])
            found.append(Cut(every("cap.group", code=head), table.sheet if table else "",
                             table.cell("cap", row) if table else "", cap, before, cut))
    return less


def _kind_cap(inputs: Inputs, key: str, amount: np.ndarray, found: list[Cut]) -> np.ndarray:
    value = getattr(inputs.settings, key)
    if value is None:
        return amount
    cap = N.scaled_of(value, inputs.settings.decimals)
    capped = np.minimum(amount, cap)
    if (amount > capped).any():
        table = inputs.table("settings")
        found.append(Cut(every(f"cap.{key}"), table.sheet if table else "",
                         inputs.settings.cells.get(key, ""), cap, amount, amount - capped))
    return capped
