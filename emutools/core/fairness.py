"""Showing the decision was fair: self-score inflation, assessor leniency, ranking stability.

- Inflation: each unit's self-assessed total minus its verified total (per group too) —
  who scores itself generously.
- Leniency: each jury assessment's mean deviation from the other assessments' combined
  score over the same cells — who scores generously or harshly.
- Stability: the leading eligible unit is recomputed with each assessment left out and
  with each scored criterion's weight moved by ±10 %; "A keeps the lead in 24 of 24
  scenarios" is the plain-words summary the minutes can quote.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from emutools import texts
from emutools.core import numbers as N
from emutools.core.model import Inputs
from emutools.core.ranking import leading, tie_break_keys, with_tie_values
from emutools.core.scoring import Scores, add_up, leaf_kinds, leaf_weights
from emutools.texts import say

WEIGHT_STEP = (11, 10), (9, 10)  # ±10 %, as exact fractions


@dataclass(frozen=True)
class Scenario:
    label_vi: str
    label_en: str
    leaders: tuple[str, ...]  # more than one when the lead is tied


@dataclass(frozen=True)
class Stability:
    leader: tuple[str, ...]  # the actual leading eligible unit(s)
    scenarios: list[Scenario]

    @property
    def kept(self) -> int:
        return sum(s.leaders == self.leader for s in self.scenarios)

    def sentence(self, lang: str) -> str:
        text = say("stability.kept", lang, who=", ".join(self.leader) or "—", kept=self.kept,
                   total=len(self.scenarios))
        changed = [s for s in self.scenarios if s.leaders != self.leader]
        if changed:
            labels = [(s.label_vi, s.label_en)[texts.column(lang)] for s in changed[:5]]
            text += say("stability.changes", lang, when="; ".join(labels))
        return text + "."


def inflation(inputs: Inputs, scores: Scores) -> pd.DataFrame:
    """Per unit: self and verified totals over the cells scored in both, and the gap (exact).
    A unit with no cell scored in both is left out: it has nothing to compare, not 0 against 0."""
    selfs = [s for s in scores.sheets if s.assessment.role == "self"]
    verified = [s for s in scores.sheets if s.assessment.role == "verified"]
    if not selfs or not verified:
        return pd.DataFrame(columns=["self", "verified", "gap"])
    weights = leaf_weights(inputs, scores.leaves)
    kinds = leaf_kinds(inputs, scores.leaves)
    signs = np.where(kinds == "penalty", -1, np.where(kinds == "veto", 0, 1))

    both = selfs[0].present & verified[0].present  # compare like with like: cells scored in both

    def total(sheet) -> np.ndarray:
        weighted = N.round_div(sheet.points * weights[:, None], 10**N.WEIGHT_DECIMALS) * both
        return (weighted * signs[:, None]).sum(axis=0)

    own, ver = total(selfs[0]), total(verified[0])
    d = inputs.settings.decimals
    frame = pd.DataFrame({"self": [N.decimal_of(v, d) for v in own],
                          "verified": [N.decimal_of(v, d) for v in ver],
                          "gap": [N.decimal_of(v, d) for v in own - ver]}, index=scores.units)
    return frame[both.any(axis=0)]


def leniency(inputs: Inputs, scores: Scores) -> pd.DataFrame:
    """Per jury assessment: mean deviation (points per cell) from the others, and cells compared."""
    jury = [s for s in scores.sheets if s.assessment.role in ("verified", "cross")]
    rows = []
    for sheet in jury:
        others = [o for o in jury if o is not sheet]
        if not others:
            continue
        stack = np.stack([o.points for o in others])
        mask = np.stack([o.present for o in others])
        count = mask.sum(axis=0)
        both = sheet.present & (count > 0)
        if not both.any():
            continue
        mean_others = np.where(mask, stack, 0).sum(axis=0) / np.maximum(count, 1)
        deviation = (sheet.points - mean_others)[both].mean() / 10**inputs.settings.decimals
        rows.append((sheet.assessment.sheet, sheet.assessment.assessor, round(float(deviation), 3),
                     int(both.sum())))
    return pd.DataFrame(rows, columns=["sheet", "assessor", "deviation", "cells"])


def stability(inputs: Inputs, scores: Scores, eligible: pd.Series) -> Stability:
    """Who leads under each perturbation; only eligible units can lead.

    Leaving an assessment out recombines the scores (only while another assessment holds
    scores: leaving out the only one would rank nobody); moving one weight only changes that
    criterion's row, so those scenarios adjust the base totals by the row's difference.
    """
    can_lead = eligible.reindex(scores.totals.index).fillna(False).astype(bool).to_numpy()
    keys = tie_break_keys(with_tie_values(scores.totals, inputs), inputs.settings.tie_break)
    base = _columns(with_tie_values(scores.totals, inputs), keys)

    def leaders(columns: dict[str, np.ndarray]) -> tuple[str, ...]:
        return tuple(scores.units[leading(columns, keys, can_lead & columns["scored"])])

    scenarios = []
    weights = leaf_weights(inputs, scores.leaves)
    scored = [s for s in scores.sheets if s.present.any()]  # an empty sheet left out changes nothing
    if len(scored) > 1:
        for sheet in scored:
            rest = [s for s in scores.sheets if s is not sheet]
            totals = add_up(inputs, rest, scores.leaves, scores.units, weights)[3]
            name = sheet.assessment.sheet
            scenarios.append(Scenario(f"bỏ bảng chấm “{name}”", f"without '{name}'",
                                      leaders(_columns(with_tie_values(totals, inputs), keys))))
    kinds = leaf_kinds(inputs, scores.leaves)
    groups = inputs.criteria.loc[scores.leaves, "group"].to_numpy()
    for i in np.flatnonzero(kinds == "score"):
        code = scores.leaves[i]
        for (num, den), sign in zip(WEIGHT_STEP, ("+", "−"), strict=True):
            row = N.round_div(scores.final[i] * (weights[i] * num // den), 10**N.WEIGHT_DECIMALS)
            delta = row - scores.weighted[i]
            moved = dict(base)
            for column in ("total", groups[i]):
                if column in moved:
                    moved[column] = base[column] + delta
            scenarios.append(Scenario(f"trọng số {code} {sign}10 %", f"weight of {code} {sign}10 %",
                                      leaders(moved)))
    return Stability(leaders(base), scenarios)


def _columns(totals: pd.DataFrame, keys: list[tuple[str, bool]]) -> dict[str, np.ndarray]:
    """The totals columns a ranking compares, plus who is scored, as plain arrays."""
    columns = {col: totals[col].to_numpy(dtype=np.int64) for col, _ in keys}
    columns["scored"] = totals["scored"].to_numpy(dtype=bool)
    return columns
