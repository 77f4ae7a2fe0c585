"""Classification, eligibility and award proposals within quotas.

Legal anchors (see docs and the awards table's "basis" column, which the cluster edits):
- Law on Emulation and Commendation 2022, Art. 25: the Government Emulation Flag goes to
  collectives that lead their cluster — hence the "leader" rule: the best-ranked
  *eligible* unit, so a vetoed rank-1 unit passes the flag to the next one.
- Art. 26: ministry / provincial Emulation Flags likewise to units leading clusters.
- Decree 98/2023/ND-CP, Art. 4: no commendation (not yet) for a unit under discipline,
  investigation, inspection or complaint verification — the units sheet's column excludes
  the unit, or defers its award (a setting); veto criteria bar every award or the ones named.
  The citation a reason quotes is a setting, never written here.
- Art. 27: "Tập thể lao động xuất sắc" is a standards-based title: every unit meeting its
  standards, no quota.
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
from emutools.core.floors import Shares
from emutools.core.inputs import attribute_number, text, yes_no
from emutools.core.issues import Issue, issue
from emutools.core.model import Award, Condition, Inputs
from emutools.core.numbers import format_number
from emutools.texts import every


@dataclass(frozen=True)
class Reason:
    vi: str
    en: str
    bars: frozenset[str] | None = None  # a veto's: the award codes it bars; None = every award


def classify(totals: pd.Series, ranks: pd.Series, inputs: Inputs, shares: Shares | None,
             issues: list[Issue]) -> tuple[pd.Series, dict[str, Reason]]:
    """The first band (best first) whose minimum the total reaches and whose floor on every
    criterion (or group), if it sets one, the unit meets; blank when unranked.  Returns the
    labels and, for a unit held below a band its total reaches, the criterion that held it."""
    labels, notes = [], {}
    for unit, total, rank in zip(totals.index, totals.tolist(), ranks.notna().tolist(), strict=True):
        label = ""
        for band, minimum in inputs.bands if rank else ():
            if total < minimum:
                continue
            floor = inputs.band_floors.get(band)
            short = shares.shortfall(unit, floor.share, floor.scope) if floor and shares else None
            if short is None:
                label = band
                break
            if unit not in notes:
                notes[unit] = (band, floor, short)
        labels.append(label)
    reasons = {}
    for unit, (band, floor, short) in notes.items():
        what, share, need = short.what(), format_number(short.share), format_number(Decimal(floor.share).scaleb(-2))
        given = labels[totals.index.get_loc(unit)]
        reasons[unit] = Reason(f"Không đạt “{band}”: {what[0]} đạt {share} % (cần ≥ {need} %)",
                               f"Not '{band}': {what[1]} at {format_number(short.share, 'en')} % "
                               f"(≥ {format_number(Decimal(floor.share).scaleb(-2), 'en')} % needed)")
        table = inputs.table("bands")
        issues.append(issue("band_floor_failed", table.sheet if table else "",
                            table.cell("min_share", floor.row) if table else "", unit=unit, band=band,
                            what=what, share=short.share, floor=Decimal(floor.share).scaleb(-2), given=given or "—"))
    return pd.Series(labels, index=totals.index, dtype=object), reasons


def _cited(vi: str, en: str, citation: str) -> tuple[str, str]:
    """A reason with the citation the settings give for its rule (none when left blank)."""
    return (f"{vi} ({citation})", f"{en} ({citation})") if citation else (vi, en)


def under_review(note: str) -> tuple[str, str]:
    """Why a unit under review is not proposed: the note as typed, or the plain sentence when
    the cell only says Yes."""
    if yes_no(note) is True:
        return every("reason.under_review")
    return every("reason.under_review_note", note=note)


def veto_reasons(inputs: Inputs, vetoed_by: list[list[str]]) -> dict[str, list[Reason]]:
    """Why each unit cannot be proposed: for every award (the unit is not eligible), or for
    the awards a breached veto row bars (a veto barring none only takes its points off)."""
    reasons: dict[str, list[Reason]] = {}
    notes = inputs.units["veto_note"].tolist()
    settings, crit = inputs.settings, inputs.criteria
    names = {a.code: a.name for a in inputs.awards}
    for unit, codes, note in zip(inputs.units.index, vetoed_by, notes, strict=True):
        found = []
        for c in codes:
            bars = crit.at[c, "bars"]
            if bars is None:
                found.append(Reason(f"Vi phạm tiêu chí loại trừ {c}", f"Veto criterion {c}"))
            elif bars:
                barred = ", ".join(names[b] for b in sorted(bars))
                found.append(Reason(f"Vi phạm tiêu chí loại trừ {c} (không được đề nghị {barred})",
                                    f"Veto criterion {c} (may not be proposed for {barred})", bars))
        if note and settings.under_review == "exclude":
            found.append(Reason(*_cited(*under_review(note), settings.citation_under_review)))
        reasons[unit] = found
    return reasons


def deferrals(inputs: Inputs) -> dict[str, Reason]:
    """Units under review when the cluster defers rather than excludes: ranked and shown,
    their award held with the reason until the matter is concluded."""
    if inputs.settings.under_review != "defer":
        return {}
    citation = inputs.settings.citation_under_review

    def deferred(note: str) -> tuple[str, str]:
        if yes_no(note) is True:  # the cell only says Yes: no note to quote
            return every("reason.deferred")
        return every("reason.deferred_note", note=note)

    return {unit: Reason(*_cited(*deferred(note), citation))
            for unit, note in inputs.units["veto_note"].items() if note}


def quota_count(award: Award, members: int) -> int:
    if award.rule == "share":
        return int((award.quota * members / Decimal(100)).to_integral_value(rounding=ROUND_FLOOR))
    return int(award.quota)


@dataclass(frozen=True)
class _Unit:
    """What the awards ask of one unit: the Units sheet's answers and what its vetoes bar."""

    signed: bool | None
    registered: frozenset[str]
    attributes: dict
    barred: dict[str, Reason]  # award code -> the veto barring it
    deferred: Reason | None


@dataclass
class _Board:
    """The proposals being filled in: per unit, the award taken (or held while deferred), a tie,
    standards-based titles, the award it falls back to, and why it was passed over."""

    taken: dict[str, Award]
    held: dict[str, Award]
    tie: dict[str, str]
    notes: dict[str, list[Reason]]
    titles: dict[str, list[Award]]
    fallback: dict[str, Award]

    def placed(self, unit: str) -> bool:
        return unit in self.taken or unit in self.held

    def frame(self, index: pd.Index) -> pd.DataFrame:
        awards = [self.taken.get(u) for u in index]
        held = [self.held.get(u) for u in index]
        fallback = [self.fallback.get(u) for u in index]
        return pd.DataFrame({"award": [a.code if a else "" for a in awards],
                             "award_name": [a.name if a else "" for a in awards],
                             "held": [a.name if a else "" for a in held],
                             "fallback": [a.name if a else "" for a in fallback],
                             "titles": ["; ".join(a.name for a in self.titles.get(u, [])) for u in index],
                             "title_codes": [tuple(a.code for a in self.titles.get(u, [])) for u in index],
                             "tie": [self.tie.get(u, "") for u in index],
                             "notes": [self.notes[u] for u in index]}, index=index, dtype=object)


@dataclass(frozen=True)
class _Round:
    """One award filled in one ranking group: the places, the band limit and the votes."""

    award: Award
    band_limit: int | None
    votes: dict[str, Tally]
    shares: Shares | None


def propose(inputs: Inputs, table: pd.DataFrame, issues: list[Issue],
            tallies: dict[tuple[str, str], Tally] | None = None,
            vetoes: dict[str, list[Reason]] | None = None, deferred: dict[str, Reason] | None = None,
            shares: Shares | None = None) -> pd.DataFrame:
    """Walk the awards in priority order (the awards table's row order) and fill each quota
    in rank order, in each ranking group on its own.

    ``table`` is indexed by unit with columns rank, band, eligible (and ranking_group).
    Where the cluster has voted on an award (ballot rows for it exist), only approved
    candidates are proposed, and within a tied block the votes decide.  A unit takes one
    award; a standards-based title goes to every unit meeting its standards, beside it.
    Returns, per unit, the proposed award code and name, the award held while deferred,
    the fallback award, titles, an unresolved tie, and the reasons it was passed over.
    """
    tallies = tallies or {}
    board = _Board({}, {}, {}, {u: [] for u in table.index}, {}, {})
    band_order = {C.normalize(label): k for k, (label, _) in enumerate(inputs.bands)}
    units = _unit_records(inputs, vetoes or {}, deferred or {})
    rounds = []
    for award in inputs.awards:
        limit = band_order.get(C.normalize(award.min_band)) if award.min_band else None
        if award.min_band and limit is None:
            issues.append(issue("award_invalid", _sheet(inputs), _cell(inputs, "min_band", award),
                                award=award.name, hint=(f"xếp loại “{award.min_band}” không có trong bảng xếp loại",
                                      f"classification '{award.min_band}' is not in the bands table")))
            continue
        votes = {u: t for (u, a), t in tallies.items() if a == award.code}
        rounds.append(_Round(award, limit, votes, shares))
    groups = table["ranking_group"] if "ranking_group" in table else pd.Series("", index=table.index)
    for group in dict.fromkeys(groups):
        members = table[groups.to_numpy() == group]
        blocks = _rank_blocks(members, band_order)
        for turn in rounds:
            if turn.award.standard:
                _grant_titles(turn, blocks, units, inputs, board, issues)
                continue
            base = len(members) if turn.award.quota_base == "all" else _qualifying(turn, blocks, units)
            _fill(turn, quota_count(turn.award, base), blocks, units, inputs, board, issues)
        _fallbacks(rounds, blocks, units, board)
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


def _unit_records(inputs: Inputs, vetoes: dict[str, list[Reason]], deferred: dict[str, Reason]) -> dict[str, _Unit]:
    frame = inputs.units
    records = {}
    for unit, signed, registered, attributes in zip(frame.index, frame["signed"], frame["registered"],
                                                    frame["attributes"], strict=True):
        barred = {code: r for r in vetoes.get(unit, []) if r.bars for code in r.bars}
        records[unit] = _Unit(signed, registered, attributes, barred, deferred.get(unit))
    return records


def _fill(turn: _Round, slots: int, blocks: list[tuple[int, list[tuple[str, bool, int]]]],
          units: dict[str, _Unit], inputs: Inputs, board: _Board, issues: list[Issue]) -> None:
    award, votes = turn.award, turn.votes
    for rank, block in blocks:
        if slots <= 0:
            return
        takers = []
        for unit, eligible, band in block:
            if not eligible or board.placed(unit):
                continue
            if turn.band_limit is not None and band > turn.band_limit:
                continue
            missing = _unmet(turn, unit, units[unit])
            if missing:
                board.notes[unit].extend(r for r in missing if r.bars is None)
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
            (board.held if units[unit].deferred else board.taken)[unit] = award
        slots -= len(chosen)
        if tied:
            return


def _qualifying(turn: _Round, blocks: list[tuple[int, list[tuple[str, bool, int]]]],
                units: dict[str, _Unit]) -> int:
    """The ranked units of the group meeting the award's standard (eligible, its minimum
    band and every condition of its own): what "20 % of those meeting the standard" counts."""
    return sum(1 for _, block in blocks for unit, eligible, band in block
               if eligible and (turn.band_limit is None or band <= turn.band_limit) and not _unmet(turn, unit, units[unit]))


def _grant_titles(turn: _Round, blocks: list[tuple[int, list[tuple[str, bool, int]]]],
                  units: dict[str, _Unit], inputs: Inputs, board: _Board, issues: list[Issue]) -> None:
    """A standards-based title (Law 2022, Art. 27): every eligible unit meeting its standards
    and, when the cluster voted on it, approved — no quota, no rank limit."""
    for _, block in blocks:
        for unit, eligible, band in block:
            if not eligible or (turn.band_limit is not None and band > turn.band_limit):
                continue
            missing = _unmet(turn, unit, units[unit])
            if missing:
                board.notes[unit].extend(r for r in missing if r.bars is None)
                continue
            if turn.votes and not _voted_in(turn.award, unit, turn.votes.get(unit), inputs, board, issues):
                continue
            if units[unit].deferred is None:
                board.titles.setdefault(unit, []).append(turn.award)


def _fallbacks(rounds: list[_Round], blocks: list[tuple[int, list[tuple[str, bool, int]]]],
               units: dict[str, _Unit], board: _Board) -> None:
    """A unit proposed for an award with a fallback ("a Government-flag candidate does not
    also take the provincial flag, but falls back to it if not granted") is shown with it,
    when it meets the fallback's own standard; it takes none of the fallback's places."""
    by_code = {turn.award.code: turn for turn in rounds}
    for _, block in blocks:
        for unit, _eligible, band in block:
            award = board.taken.get(unit) or board.held.get(unit)
            turn = by_code.get(award.fallback) if award and award.fallback else None
            if turn and (turn.band_limit is None or band <= turn.band_limit) and not _unmet(turn, unit, units[unit]):
                board.fallback[unit] = turn.award


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


def _registered(award: Award, unit: _Unit) -> bool:
    wanted = {C.normalize(award.code), C.normalize(award.name)}
    return any(C.normalize(r) in wanted for r in unit.registered)


def _unmet(turn: _Round, code: str, unit: _Unit) -> list[Reason]:
    """The award's own standards a unit does not meet (its band aside): a veto barring it,
    its Units-sheet conditions, its floor on every criteria group, registration, agreement."""
    award, missing = turn.award, []
    if award.code in unit.barred:
        missing.append(unit.barred[award.code])  # already among the unit's reasons: not noted again
    for condition in award.conditions:
        if not _meets(condition, unit.attributes.get(condition.column)):
            missing.append(Reason(f"Chưa đạt điều kiện của {award.name}: {condition.text}",
                                  f"Does not meet a condition of {award.name}: {condition.text}"))
    if award.min_group_share is not None and turn.shares is not None:
        short = turn.shares.shortfall(code, award.min_group_share, "group")
        if short is not None:
            need = Decimal(award.min_group_share).scaleb(-2)
            missing.append(Reason(
                f"Chưa đạt điều kiện của {award.name}: nhóm {short.code} đạt {format_number(short.share)} % "
                f"(cần ≥ {format_number(need)} %)",
                f"Does not meet a condition of {award.name}: group {short.code} at "
                f"{format_number(short.share, 'en')} % (≥ {format_number(need, 'en')} % needed)"))
    if award.needs_registration and not _registered(award, unit):
        missing.append(Reason(f"Chưa đăng ký {award.name}", f"Did not register {award.name}"))
    if award.needs_agreement and unit.signed is not True:
        missing.append(Reason(f"Chưa ký giao ước (điều kiện của {award.name})",
                              f"No signed agreement (required for {award.name})"))
    return missing


def _meets(condition: Condition, value: object) -> bool:
    """A Units-sheet value against a condition: Yes; the same text (any case or diacritics);
    a number at least the one given."""
    if condition.op == "yes":
        return yes_no(value) is True
    if condition.op == "eq":
        return C.normalize(text(value)) == C.normalize(condition.value)
    number = attribute_number(value) if text(value) else None
    return number is not None and number >= condition.number


def unit_checks(inputs: Inputs, reasons: dict[str, list[Reason]], issues: list[Issue],
                deferred: dict[str, Reason] | None = None) -> None:
    """Agreement not signed, unknown registered codes, ineligible, barred and deferred units —
    on the units sheet."""
    known = {C.normalize(a.code) for a in inputs.awards} | {C.normalize(a.name) for a in inputs.awards}
    deferred = deferred or {}
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
            at = cell("veto_note" if note and unit not in deferred else "code", row)
            if any(r.bars is None for r in reasons[unit]):
                issues.append(issue("veto_unit", sheet, at, unit=unit, reason=reason))
            else:
                issues.append(issue("veto_unit_barred", sheet, at, unit=unit, reason=reason))
        if unit in deferred:
            issues.append(issue("unit_deferred", sheet, cell("veto_note", row), unit=unit,
                                reason=(deferred[unit].vi, deferred[unit].en)))


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
