"""Classification, eligibility and award proposals within quotas.

Legal anchors (see docs and the awards table's "basis" column, which the cluster edits):
- Law on Emulation and Commendation 2022, Art. 25: the Government Emulation Flag goes to
  collectives that lead their cluster — hence the "leader" rule: the best-ranked
  *eligible* unit, so a vetoed rank-1 unit passes the flag to the next one.
- Art. 26: ministry / provincial Emulation Flags likewise to units leading clusters.
- Decree 98/2023/ND-CP, Art. 4: no commendation for a unit under discipline,
  investigation, inspection or complaint verification — the units sheet's column and
  the veto criteria make a unit ineligible.
Quotas ("at most 20 % of members") are rounded down: a share can never be exceeded.
A tie across the last available place is never broken by row order: nobody in the
tied block is proposed automatically and the cluster is told to vote.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from itertools import groupby
from operator import itemgetter

import numpy as np
import pandas as pd

from emutools import contract as C
from emutools.core.ballot import Tally
from emutools.core.issues import Issue, issue
from emutools.core.model import Award, Inputs
from emutools.core.numbers import format_number


@dataclass(frozen=True)
class Reason:
    vi: str
    en: str


def classify(totals: pd.Series, ranks: pd.Series, bands: list[tuple[str, int]]) -> pd.Series:
    """The first band (best first) whose minimum the total reaches; blank when unranked."""
    ranked = ranks.notna().to_numpy()
    labels = [next((label for label, minimum in bands if total >= minimum), "") if is_ranked else ""
              for total, is_ranked in zip(totals.tolist(), ranked, strict=True)]
    return pd.Series(labels, index=totals.index, dtype=object)


def veto_reasons(inputs: Inputs, vetoed_by: list[list[str]]) -> dict[str, list[Reason]]:
    """Why each unit cannot be proposed for any award (empty list = eligible)."""
    reasons: dict[str, list[Reason]] = {}
    notes = inputs.units["veto_note"].tolist()
    for unit, codes, note in zip(inputs.units.index, vetoed_by, notes, strict=True):
        found = [Reason(f"Vi phạm tiêu chí loại trừ {c}", f"Veto criterion {c}") for c in codes]
        if note:
            found.append(Reason(f"Đang bị xử lý: {note} (Điều 4 Nghị định 98/2023/NĐ-CP)",
                                f"Under: {note} (Decree 98/2023/ND-CP, Art. 4)"))
        reasons[unit] = found
    return reasons


def quota_count(award: Award, members: int) -> int:
    if award.rule == "share":
        return int((award.quota * members / Decimal(100)).to_integral_value(rounding=ROUND_FLOOR))
    return int(award.quota)


@dataclass
class _Board:
    """The proposals being filled in: per unit, the award taken, a tie, and why passed over."""

    taken: dict[str, Award]
    tie: dict[str, str]
    notes: dict[str, list[Reason]]

    def frame(self, index: pd.Index) -> pd.DataFrame:
        awards = [self.taken.get(u) for u in index]
        return pd.DataFrame({"award": [a.code if a else "" for a in awards],
                             "award_name": [a.name if a else "" for a in awards],
                             "tie": [self.tie.get(u, "") for u in index],
                             "notes": [self.notes[u] for u in index]}, index=index, dtype=object)


def propose(inputs: Inputs, table: pd.DataFrame, issues: list[Issue],
            tallies: dict[tuple[str, str], Tally] | None = None) -> pd.DataFrame:
    """Walk the awards in priority order and fill each quota in rank order.

    ``table`` is indexed by unit with columns rank, band, eligible.  Where the cluster
    has voted on an award (ballot rows for it exist), only approved candidates are
    proposed, and within a tied block the votes decide.  Returns, per unit, the proposed
    award code and name, an unresolved tie, and the award-level reasons it was passed over.
    """
    tallies = tallies or {}
    board = _Board({}, {}, {u: [] for u in table.index})
    band_order = {C.normalize(label): k for k, (label, _) in enumerate(inputs.bands)}
    blocks = _rank_blocks(table, band_order)
    members = len(inputs.units)
    units = _unit_records(inputs)
    for award in inputs.awards:
        limit = band_order.get(C.normalize(award.min_band)) if award.min_band else None
        if award.min_band and limit is None:
            issues.append(issue("award_invalid", _sheet(inputs), _cell(inputs, "min_band", award),
                                award=award.name, hint=(f"xếp loại “{award.min_band}” không có trong bảng xếp loại",
                                      f"classification '{award.min_band}' is not in the bands table")))
            continue
        votes = {u: t for (u, a), t in tallies.items() if a == award.code}
        _fill(award, quota_count(award, members), limit, blocks, units, inputs, board, issues, votes)
    return board.frame(table.index)


def _rank_blocks(table: pd.DataFrame, band_order: dict[str, int]) -> list[tuple[int, list[tuple[str, bool, int]]]]:
    """Ranked units grouped by rank, best first: (rank, [(unit, eligible, band position)])."""
    ranked = table[table["rank"].notna()]
    ranks = ranked["rank"].to_numpy(dtype=np.int64)
    order = np.argsort(ranks, kind="stable")
    rows = zip(ranked.index[order], ranks[order].tolist(), ranked["eligible"].to_numpy()[order].tolist(),
               ranked["band"].to_numpy()[order].tolist(), strict=True)
    return [(rank, [(u, bool(e), band_order.get(C.normalize(b), 99)) for u, _, e, b in block])
            for rank, block in groupby(rows, key=itemgetter(1))]


def _unit_records(inputs: Inputs) -> dict[str, dict]:
    return dict(zip(inputs.units.index, inputs.units[["signed", "registered"]].to_dict("records"),
                    strict=True))


def _fill(award: Award, slots: int, band_limit: int | None,
          blocks: list[tuple[int, list[tuple[str, bool, int]]]], units: dict[str, dict],
          inputs: Inputs, board: _Board, issues: list[Issue], votes: dict[str, Tally]) -> None:
    for rank, block in blocks:
        if slots <= 0:
            return
        takers = []
        for unit, eligible, band in block:
            if not eligible or unit in board.taken:
                continue
            if band_limit is not None and band > band_limit:
                continue
            missing = _missing_conditions(award, units[unit])
            if missing:
                board.notes[unit].extend(missing)
                if award.needs_registration and not _registered(award, units[unit]):
                    issues.append(issue("title_not_registered", _units_sheet(inputs),
                                        _units_cell(inputs, "registered", unit), unit=unit,
                                        rank=rank, award=award.name))
                continue
            if votes and not _voted_in(award, unit, votes.get(unit), inputs, board, issues):
                continue
            takers.append(unit)
        chosen, tied = _within(takers, slots, votes)
        for unit in tied:
            board.tie[unit] = award.name
        if tied:
            issues.append(issue("quota_tie", _sheet(inputs), _cell(inputs, "quota", award),
                                award=award.name, units=", ".join(tied), rank=rank,
                                quota=slots - len(chosen)))
        for unit in chosen:
            board.taken[unit] = award
        slots -= len(chosen)
        if tied:
            return


def _within(takers: list[str], slots: int, votes: dict[str, Tally]) -> tuple[list[str], list[str]]:
    """Who of an equally ranked block fits the remaining places: all, the most voted, or
    nobody among those still level at the limit (they stay tied for the cluster to decide)."""
    if len(takers) <= slots:
        return takers, []
    if not votes:
        return [], takers
    ordered = sorted(takers, key=lambda u: -votes[u].votes_for)
    boundary = votes[ordered[slots - 1]].votes_for
    chosen = [u for u in ordered if votes[u].votes_for > boundary]
    level = [u for u in ordered if votes[u].votes_for == boundary]
    if len(chosen) + len(level) <= slots:
        return chosen + level, []
    return chosen, level


def _voted_in(award: Award, unit: str, tally: Tally | None, inputs: Inputs, board: _Board,
              issues: list[Issue]) -> bool:
    """Once the cluster has voted on an award, only approved candidates go forward."""
    sheet, cell = _ballot_cell(inputs, unit, award)
    if tally is None:
        issues.append(issue("vote_missing", sheet, cell, unit=unit, award=award.name))
        board.notes[unit].append(Reason(f"Chưa bỏ phiếu {award.name}", f"No vote on {award.name}"))
        return False
    if not tally.approved:
        issues.append(issue("vote_not_reached", sheet, cell, unit=unit, award=award.name,
                            share=tally.share, threshold=tally.threshold))
        board.notes[unit].append(Reason(
            f"Không đạt tỷ lệ phiếu {award.name} ({format_number(tally.share)} %)",
            f"Vote share for {award.name} too low ({format_number(tally.share, 'en')} %)"))
        return False
    return True


def _ballot_cell(inputs: Inputs, unit: str, award: Award) -> tuple[str, str]:
    table = inputs.table("ballot")
    if table is None:
        return "", ""
    row = next((c.row for c in inputs.ballot if c.unit == unit and c.award == award.code), None)
    return table.sheet, table.cell("unit", row) if row else ""


def _registered(award: Award, unit: dict) -> bool:
    wanted = {C.normalize(award.code), C.normalize(award.name)}
    return any(C.normalize(r) in wanted for r in unit["registered"])


def _missing_conditions(award: Award, unit: dict) -> list[Reason]:
    missing = []
    if award.needs_registration and not _registered(award, unit):
        missing.append(Reason(f"Chưa đăng ký {award.name}", f"Did not register {award.name}"))
    if award.needs_agreement and unit["signed"] is not True:
        missing.append(Reason(f"Chưa ký giao ước (điều kiện của {award.name})",
                              f"No signed agreement (required for {award.name})"))
    return missing


def unit_checks(inputs: Inputs, reasons: dict[str, list[Reason]], issues: list[Issue]) -> None:
    """Agreement not signed, unknown registered codes, ineligible units — on the units sheet."""
    known = {C.normalize(a.code) for a in inputs.awards} | {C.normalize(a.name) for a in inputs.awards}
    sheet = _units_sheet(inputs)
    table = inputs.table("units")
    units = inputs.units

    def cell(field: str, row: int) -> str:
        return table.cell(field, row) if table else ""

    for unit, signed, registered, note, row in zip(
            units.index, units["signed"].tolist(), units["registered"].tolist(),
            units["veto_note"].tolist(), units["row"].tolist(), strict=True):
        if signed is not True:
            issues.append(issue("agreement_unsigned", sheet, cell("signed", row), unit=unit))
        for code in sorted(registered):
            if inputs.awards and C.normalize(code) not in known:
                issues.append(issue("registration_unknown", sheet, cell("registered", row), unit=unit, value=code))
        if reasons[unit]:
            reason = ("; ".join(r.vi for r in reasons[unit]), "; ".join(r.en for r in reasons[unit]))
            issues.append(issue("veto_unit", sheet, cell("veto_note" if note else "code", row),
                                unit=unit, reason=reason))


def _units_sheet(inputs: Inputs) -> str:
    table = inputs.table("units")
    return table.sheet if table else ""


def _units_cell(inputs: Inputs, field: str, unit: str) -> str:
    table = inputs.table("units")
    return table.cell(field, inputs.units.at[unit, "row"]) if table else ""


def _sheet(inputs: Inputs) -> str:
    table = inputs.table("awards")
    return table.sheet if table else ""


def _cell(inputs: Inputs, field: str, award: Award) -> str:
    table = inputs.table("awards")
    return table.cell(field, award.row) if table and award.row else ""
