"""One recalculation: raw tables in; ranking, decisions, flags, fairness and the history
entry out, each computed once.  Pure and deterministic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

import numpy as np
import pandas as pd

from emutools.core import numbers as N
from emutools.core.ballot import Tally, count_votes
from emutools.core.fairness import Stability, inflation, leniency, stability
from emutools.core.flags import FlagBlock, Flags, fields
from emutools.core.floors import Shares
from emutools.core.history import HistoryEntry, history_entry
from emutools.core.inputs import parse_inputs
from emutools.core.issues import ERROR, WARNING, Issue, issue
from emutools.core.model import Inputs, RawBook
from emutools.core.numbers import format_number
from emutools.core.proposals import Reason, classify, deferrals, propose, unit_checks, veto_reasons
from emutools.core.ranking import rank_units
from emutools.core.rotation import Officers, next_officers
from emutools.core.scoring import Scores, score
from emutools.core.setup_checks import check_setup
from emutools.texts import LANGS, say

STABILITY_MAX_UNITS = 1000  # a province-wide ranking still gets it (~30 ms); a national one does not


@dataclass(frozen=True)
class Fairness:
    inflation: pd.DataFrame  # per unit: self, verified, gap
    leniency: pd.DataFrame  # per jury sheet: sheet, assessor, deviation, cells
    stability: Stability | None  # None above STABILITY_MAX_UNITS or without scores
    previous: pd.Series  # last period's total per unit (Decimal)


@dataclass(frozen=True)
class Result:
    """What a recalculation produces, finished: adapters lay it out and compute nothing.

    ``ranking`` is indexed by unit code and sorted by rank (ties in units-sheet order,
    unranked units last).  Point columns (total, one per criteria group, bonus, penalty)
    hold exact ``Decimal`` values at the scoring precision; ``award``, ``tie``, ``vote``
    and ``reasons_vi``/``reasons_en`` are the decisions and why.  ``changes`` is this
    period's total minus last period's (Decimal), in ranking order, for the units that
    have both.  The frames are built once here and must not be changed afterwards.
    """

    inputs: Inputs
    scores: Scores | None
    ranking: pd.DataFrame
    issues: Flags  # every flag, in the order found
    tallies: Mapping[tuple[str, str], Tally]
    fairness: Fairness
    changes: pd.Series
    leaders: tuple[str, ...]  # the best-ranked eligible unit(s): who leads (Law 2022, Art. 25)
    next_officers: Officers  # next period's leader and deputy, elected or by rotation
    history: HistoryEntry

    @cached_property
    def ordered_issues(self) -> Flags:
        """The flags in table order: errors first, then in the workbook's sheet order, top to
        bottom.  Computed on first use: ``check`` and the CLI need only a few rows of it."""
        return self.issues.in_table_order(self.inputs.sheet_names)

    @cached_property
    def issue_table(self) -> pd.DataFrame:
        """The flags as rows with both messages, in table order.  Formatting every message
        is the costly part of a flag-heavy workbook, so it is done only when asked for."""
        chunks = [pd.DataFrame(c, dtype=object) for c in self.ordered_issues.columns(LANGS)]
        return pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=list(fields(LANGS)), dtype=object)

    @property
    def errors(self) -> Flags:
        return self.issues.of_severity(ERROR)

    @property
    def warnings(self) -> Flags:
        return self.issues.of_severity(WARNING)

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
    check_setup(inputs, issues)
    if not len(inputs.units) or not len(inputs.criteria):
        scores, tallies, ranking = None, {}, _empty_ranking(inputs)
        fairness = Fairness(pd.DataFrame(), pd.DataFrame(), None, inputs.previous)
    else:
        scores = score(inputs, issues)
        tallies = count_votes(inputs, issues)
        ranking = _ranking(inputs, scores, issues, tallies)
        fairness = _fairness(inputs, scores, ranking)
    leaders = _leaders(ranking)
    flags = Flags(issues)
    errors, warnings = len(flags.of_severity(ERROR)), len(flags.of_severity(WARNING))
    return Result(
        inputs=inputs, scores=scores, ranking=ranking, issues=flags,
        tallies=MappingProxyType(tallies),
        fairness=fairness, changes=_changes(ranking, inputs.previous), leaders=leaders,
        next_officers=next_officers(inputs.settings),
        history=history_entry(raw, inputs.settings.legal_basis, leaders, ranking, errors, warnings))


def _fairness(inputs: Inputs, scores: Scores, ranking: pd.DataFrame) -> Fairness:
    """Inflation, leniency and (for clusters up to STABILITY_MAX_UNITS) stability."""
    stable = None
    if len(inputs.units) <= STABILITY_MAX_UNITS:
        stable = stability(inputs, scores, ranking["eligible"])
    return Fairness(inflation(inputs, scores), leniency(inputs, scores), stable, inputs.previous)


def _changes(ranking: pd.DataFrame, previous: pd.Series) -> pd.Series:
    """This period's total minus last period's, for the units that have both — empty when
    the workbook keeps no previous period."""
    return pd.Series({u: t - previous[u] for u, t in ranking["total"].items()
                      if u in previous.index and t is not None and not pd.isna(t)}, dtype=object)


def _leaders(ranking: pd.DataFrame) -> tuple[str, ...]:
    ranked = ranking[ranking["rank"].notna() & ranking["eligible"].astype(bool)]
    if ranked.empty:
        return ()
    return tuple(ranked.index[ranked["rank"] == ranked["rank"].min()])


def _ranking(inputs: Inputs, scores: Scores, issues: list[Issue],
             tallies: dict[tuple[str, str], Tally]) -> pd.DataFrame:
    """The ranking table, step by step; flags are added to ``issues`` in a fixed order
    (units not scored, unit conditions, award proposals) before each unit's flags are counted."""
    totals = scores.totals
    ranks = rank_units(totals, inputs)
    vetoes = veto_reasons(inputs, scores.vetoed_by)
    deferred = deferrals(inputs)
    shares = Shares(inputs, scores.leaves, scores.weighted, totals) if _floors_declared(inputs) else None
    table = _standing(inputs, totals, ranks, vetoes, deferred, shares, issues)
    _flag_not_scored(inputs, totals, issues)
    unit_checks(inputs, vetoes, issues, deferred)
    proposals = propose(inputs, table, issues, tallies, vetoes, deferred, shares)
    _add_points(table, inputs, totals)
    _add_decisions(table, proposals, vetoes, deferred, tallies, inputs.lang)
    table["flags"] = _flag_counts(table.index, issues)
    return _in_rank_order(table, ranks)


def _floors_declared(inputs: Inputs) -> bool:
    return bool(inputs.band_floors) or any(a.min_group_share is not None for a in inputs.awards)


def _standing(inputs: Inputs, totals: pd.DataFrame, ranks: pd.Series, vetoes: dict[str, list[Reason]],
              deferred: dict[str, Reason], shares: Shares | None, issues: list[Issue]) -> pd.DataFrame:
    """Rank, names, ranking group, classification (and why a lower one) and eligibility per
    unit, in units-sheet order."""
    table = pd.DataFrame(index=inputs.units.index)
    table["rank"] = ranks
    table["name"] = inputs.units["name"]
    table["short_name"] = inputs.units["short_name"]
    table["ranking_group"] = inputs.units["ranking_group"]
    table["band"], band_notes = classify(totals["total"], ranks, inputs, shares, issues)
    table["band_note_vi"] = [band_notes[u].vi if u in band_notes else "" for u in table.index]
    table["band_note_en"] = [band_notes[u].en if u in band_notes else "" for u in table.index]
    table["eligible"] = [not any(r.bars is None for r in vetoes[u]) for u in table.index]
    table["deferred"] = [u in deferred for u in table.index]
    return table


def _flag_not_scored(inputs: Inputs, totals: pd.DataFrame, issues: list[Issue]) -> None:
    """One flag per unit scored nowhere: it takes the place of the unit's first blank grid
    column (the cell to fill) and its blank columns on later sheets are not flagged again;
    a unit with no column to fill is flagged on the Units sheet."""
    unscored = set(inputs.units.index[~totals["scored"].to_numpy(dtype=bool)])
    placed: set[str] = set()
    kept: list[Issue] = []
    for i in issues:
        if isinstance(i, Issue) and i.code == "unit_no_scores" and i.unit in unscored:
            if i.unit not in placed:
                placed.add(i.unit)
                kept.append(issue("unit_not_scored", i.sheet, i.cell, unit=i.unit))
            continue
        kept.append(i)
    issues[:] = kept
    issues.extend(_not_scored(inputs, unit) for unit in inputs.units.index if unit in unscored - placed)


def _add_points(table: pd.DataFrame, inputs: Inputs, totals: pd.DataFrame) -> None:
    """Total, per group, bonus and penalty as exact Decimals at the scoring precision."""
    decimals = inputs.settings.decimals
    for col in ["total", *inputs.groups, "bonus", "penalty"]:
        table[col] = [N.decimal_of(v, decimals) for v in totals[col].to_numpy(dtype=np.int64)]


def _add_decisions(table: pd.DataFrame, proposals: pd.DataFrame, vetoes: dict[str, list[Reason]],
                   deferred: dict[str, Reason], tallies: dict[tuple[str, str], Tally], lang: str) -> None:
    """The award taken (or held while deferred, or the tie to settle), its fallback, the
    standards-based titles, the vote behind it, and every reason a unit was passed over —
    vetoes first, then a deferral, then the proposals' notes — in both languages."""
    for column in ("award", "award_name", "held", "fallback", "titles", "title_codes", "tie"):
        table[column] = proposals[column]
    table["vote"] = _votes(table.index, table["award"].tolist(), tallies, lang)
    passed_over = [vetoes[u] + ([deferred[u]] if u in deferred else []) + n
                   for u, n in zip(table.index, proposals["notes"].tolist(), strict=True)]
    table["reasons_vi"] = ["; ".join(r.vi for r in why) for why in passed_over]
    table["reasons_en"] = ["; ".join(r.en for r in why) for why in passed_over]


def _votes(units: pd.Index, awards: list[str], tallies: dict[tuple[str, str], Tally], lang: str) -> list[str]:
    """Per unit, the vote on the award it got, else its first vote on the ballot."""
    first_vote: dict[str, Tally] = {}
    for (unit, _), tally in tallies.items():
        first_vote.setdefault(unit, tally)
    return [_vote_text(tallies.get((u, a)) or first_vote.get(u), lang)
            for u, a in zip(units, awards, strict=True)]


def _flag_counts(units: pd.Index, issues: list[Issue | FlagBlock]) -> list[int]:
    """Errors and warnings that name each unit."""
    counts = Flags(issues).unit_counts()
    return [counts.get(u, 0) for u in units]


def _in_rank_order(table: pd.DataFrame, ranks: pd.Series) -> pd.DataFrame:
    """Sorted by rank, ties in units-sheet order, unranked units last — ranking group after
    ranking group (in order of first appearance) when the Units sheet has groups."""
    groups = {g: k for k, g in enumerate(dict.fromkeys(table["ranking_group"]))}
    order = np.lexsort((np.arange(len(table)), ranks.fillna(len(table) + 1).to_numpy(dtype=np.int64),
                        table["ranking_group"].map(groups).to_numpy(dtype=np.int64)))
    return table.iloc[order]


def _vote_text(tally: Tally | None, lang: str) -> str:
    """'Đạt 88,89 % (8/9)' for the award the unit got, else its first vote."""
    if tally is None:
        return ""
    key = "vote.approved" if tally.approved else "vote.not_approved"
    return say(key, lang, share=format_number(tally.share, lang), votes=tally.votes_for, base=tally.base)


def _not_scored(inputs: Inputs, unit: str) -> Issue:
    table = inputs.table("units")
    cell = table.cell("code", inputs.units.at[unit, "row"]) if table else ""
    return issue("unit_not_scored", table.sheet if table else "", cell, unit=unit)


def _empty_ranking(inputs: Inputs) -> pd.DataFrame:
    columns = ["rank", "name", "short_name", "ranking_group", "band", "band_note_vi", "band_note_en", "eligible",
               "deferred", "total", "bonus", "penalty", "award", "award_name", "held", "fallback", "titles", "title_codes",
               "tie", "vote", "reasons_vi", "reasons_en", "flags"]
    return pd.DataFrame(columns=columns, index=pd.Index([], name="unit"))
