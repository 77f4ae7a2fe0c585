"""One recalculation: raw tables in, ranking, proposals and flags out. Pure and deterministic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from emutools.core import numbers as N
from emutools.core.ballot import Tally, count_votes
from emutools.core.codes import code_key, spelling
from emutools.core.fairness import Stability, inflation, leniency, stability
from emutools.core.inputs import number, parse_inputs, text
from emutools.core.issues import ERROR, WARNING, Issue, issue, issues_frame
from emutools.core.model import Inputs, RawBook
from emutools.core.numbers import format_number
from emutools.core.proposals import classify, propose, unit_checks, veto_reasons
from emutools.core.ranking import competition_rank, tie_break_keys
from emutools.core.rotation import Officers, next_officers
from emutools.core.scoring import Scores, score

STABILITY_MAX_UNITS = 1000  # a province-wide ranking still gets it (~30 ms); a national one does not


@dataclass(frozen=True)
class Fairness:
    inflation: pd.DataFrame  # per unit: self, verified, gap
    leniency: pd.DataFrame  # per jury sheet: sheet, assessor, deviation, cells
    stability: Stability | None
    previous: pd.Series  # last period's total per unit (Decimal)


@dataclass
class Result:
    """What a recalculation produces.

    ``ranking`` is indexed by unit code and sorted by rank (ties in units-sheet order,
    unranked units last).  Point columns (total, one per criteria group, bonus, penalty)
    hold exact ``Decimal`` values at the scoring precision.
    """

    inputs: Inputs
    scores: Scores | None
    ranking: pd.DataFrame
    issues: list[Issue]
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)

    def fairness(self) -> Fairness:
        """Inflation, leniency and (for clusters up to STABILITY_MAX_UNITS) stability."""
        if self.scores is None:
            return Fairness(pd.DataFrame(), pd.DataFrame(), None, self._previous())
        stable = None
        if len(self.inputs.units) <= STABILITY_MAX_UNITS:
            stable = stability(self.inputs, self.scores, self.ranking["eligible"])
        return Fairness(inflation(self.inputs, self.scores), leniency(self.inputs, self.scores),
                        stable, self._previous())

    def changes(self) -> pd.Series:
        """This period's total minus last period's (Decimal), in ranking order, for the units
        that have both — empty when the workbook keeps no previous period."""
        before = self._previous()
        return pd.Series({u: t - before[u] for u, t in self.ranking["total"].items()
                          if u in before.index and t is not None and not pd.isna(t)}, dtype=object)

    def _previous(self) -> pd.Series:
        """Last period's totals by unit, when the workbook has a Previous period sheet."""
        table = self.inputs.table("previous")
        if table is None:
            return pd.Series(dtype=object)
        unit_of = spelling(self.inputs.units.index)
        values = {unit_of.get(code_key(text(u)), text(u)): number(t)
                  for u, t in zip(table.data["unit"], table.data.get("total", []), strict=False)}
        return pd.Series({u: Decimal(repr(v)) for u, v in values.items() if u and v is not None},
                         dtype=object)

    @property
    def leaders(self) -> list[str]:
        """The best-ranked eligible unit(s): who leads the cluster (Law 2022, Art. 25)."""
        ranking = self.ranking
        ranked = ranking[ranking["rank"].notna() & ranking["eligible"].astype(bool)]
        if ranked.empty:
            return []
        return list(ranked.index[ranked["rank"] == ranked["rank"].min()])

    @property
    def next_officers(self) -> Officers:
        """Next period's leader and deputy, elected or by rotation (see core.rotation)."""
        return next_officers(self.inputs.settings)

    def issue_table(self) -> pd.DataFrame:
        """Flags as rows, errors first, in the workbook's sheet order."""
        return issues_frame(self.issues, self.inputs.sheet_names)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def groups(self) -> list[str]:
        return self.inputs.groups

    def group_name(self, code: str) -> str:
        return str(self.inputs.criteria.at[code, "name"])


def rank_number(value: object) -> int | None:
    """A ranking-table rank as a plain int, None for an unranked unit (NA or None)."""
    return None if value is None or pd.isna(value) else int(value)


def recalculate(raw: RawBook) -> Result:
    inputs, issues = parse_inputs(raw)
    if not len(inputs.units) or not len(inputs.criteria):
        return Result(inputs, None, _empty_ranking(inputs), issues)
    scores = score(inputs, issues)
    tallies = count_votes(inputs, issues)
    ranking = _ranking(inputs, scores, issues, tallies)
    return Result(inputs, scores, ranking, issues, tallies)


def _ranking(inputs: Inputs, scores: Scores, issues: list[Issue],
             tallies: dict[tuple[str, str], Tally]) -> pd.DataFrame:
    totals = scores.totals
    decimals = inputs.settings.decimals
    ranks = competition_rank(totals, tie_break_keys(totals, inputs.settings.tie_break))
    reasons = veto_reasons(inputs, scores.vetoed_by)
    table = pd.DataFrame(index=inputs.units.index)
    table["rank"] = ranks
    table["name"] = inputs.units["name"]
    table["short_name"] = inputs.units["short_name"]
    table["band"] = classify(totals["total"], ranks, inputs.bands)
    table["eligible"] = [not reasons[u] for u in table.index]
    for unit in table.index[~totals["scored"].to_numpy(dtype=bool)]:
        issues.append(_not_scored(inputs, unit))
    unit_checks(inputs, reasons, issues)
    proposals = propose(inputs, table, issues, tallies)
    for col in ["total", *inputs.groups, "bonus", "penalty"]:
        table[col] = [N.decimal_of(v, decimals) for v in totals[col].to_numpy(dtype=np.int64)]
    table["award"] = proposals["award"]
    table["award_name"] = proposals["award_name"]
    table["tie"] = proposals["tie"]
    awards, notes = table["award"].tolist(), proposals["notes"].tolist()
    first_vote: dict[str, Tally] = {}
    for (unit, _), tally in tallies.items():
        first_vote.setdefault(unit, tally)
    table["vote"] = [_vote_text(tallies.get((u, a)) or first_vote.get(u), inputs.lang)
                     for u, a in zip(table.index, awards, strict=True)]
    passed_over = [reasons[u] + n for u, n in zip(table.index, notes, strict=True)]
    table["reasons_vi"] = ["; ".join(r.vi for r in why) for why in passed_over]
    table["reasons_en"] = ["; ".join(r.en for r in why) for why in passed_over]
    counts = Counter(i.unit for i in issues if i.severity in (ERROR, WARNING) and i.unit)
    table["flags"] = [counts.get(u, 0) for u in table.index]
    order = np.lexsort((np.arange(len(table)), ranks.fillna(len(table) + 1).to_numpy(dtype=np.int64)))
    return table.iloc[order]


def _vote_text(tally: Tally | None, lang: str) -> str:
    """'Đạt 88,89 % (8/9)' for the award the unit got, else its first vote."""
    if tally is None:
        return ""
    word = ("Đạt" if tally.approved else "Không đạt") if lang == "vi" else \
        ("Approved" if tally.approved else "Not approved")
    return f"{word} {format_number(tally.share, lang)} % ({tally.votes_for}/{tally.base})"


def _not_scored(inputs: Inputs, unit: str) -> Issue:
    table = inputs.table("units")
    cell = table.cell("code", inputs.units.at[unit, "row"]) if table else ""
    return issue("unit_not_scored", table.sheet if table else "", cell, unit=unit)


def _empty_ranking(inputs: Inputs) -> pd.DataFrame:
    columns = ["rank", "name", "short_name", "band", "eligible", "total", "bonus", "penalty", "award",
               "award_name", "tie", "vote", "reasons_vi", "reasons_en", "flags"]
    return pd.DataFrame(columns=columns, index=pd.Index([], name="unit"))
