"""Points: from each assessment's cells to one final score per criterion and unit, then totals.

Work is done on dense criteria × units integer matrices (scaled fixed point, see
:mod:`emutools.core.numbers`), which keeps a 10,000-unit workbook fast and every
total exact.  Each criterion's final points are rounded half-up to the scoring
precision after combining assessors and applying its weight; totals are exact sums,
with caps and criteria not applicable to a unit applied in :mod:`emutools.core.caps`.

One rule for a value above a criterion's maximum, everywhere: it is flagged as an error
and counts as the maximum — never more, and never silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from emutools import contract as C
from emutools.core import measures as M
from emutools.core import numbers as N
from emutools.core.caps import Cut, totals
from emutools.core.flags import FlagBlock, Scaled
from emutools.core.inputs import text, yes_no
from emutools.core.issues import Issue, issue
from emutools.core.model import Assessment, Grid, Inputs, cell_ref
from emutools.core.normalise import normalised


@dataclass
class Sheet:
    """One assessment as dense matrices over (leaf criteria × units)."""

    assessment: Assessment
    value: np.ndarray  # float, typed value (NaN blank)
    status: np.ndarray  # numbers.BLANK/NUMBER/TEXT_NUMBER/NOT_NUMBER
    raw: RawCells  # raw cell values (for messages and veto answers)
    row: np.ndarray  # sheet row of each criterion (0 when the row is absent)
    col: np.ndarray  # sheet column of each unit (0 when the column is absent)
    points: np.ndarray  # int64 scaled points after the measure rule
    present: np.ndarray  # bool, a usable value is there
    veto: np.ndarray  # bool, a veto criterion answered "yes"
    above_plan: np.ndarray  # int64 scaled above-plan bonus (measured criteria)
    not_applicable: np.ndarray  # bool, the cell says the criterion does not apply ("N/A")
    covered: np.ndarray  # bool per leaf: within the sheet's scope
    grid: Grid  # the sheet as read (its actual name, however the Settings list spells it)

    def cell(self, i: int, j: int) -> str:
        return cell_ref(int(self.row[i]), int(self.col[j])) if self.row[i] and self.col[j] else ""


@dataclass(frozen=True)
class RawCells:
    """An assessment's raw cell values over (leaf criteria × units), looked up in its grid
    only when asked for: messages and the few rows read one by one need them, the matrices
    never — so a nation-wide sheet's million cells are not copied."""

    grid: Grid
    at_row: np.ndarray  # grid row of each leaf (-1: not on the sheet, or outside its scope)
    at_col: np.ndarray  # grid column of each unit (-1: absent)

    def __getitem__(self, cell: tuple[int, int]) -> object:
        r, c = self.at_row[cell[0]], self.at_col[cell[1]]
        return self.grid.cell(r, c) if r >= 0 and c >= 0 else None

    def at(self, k: int) -> object:
        """The k-th cell in row-major order."""
        return self[divmod(int(k), len(self.at_col))]


@dataclass
class Scores:
    """Final points per leaf criterion and unit, plus the per-assessment detail."""

    leaves: pd.Index
    units: pd.Index
    sheets: list[Sheet]
    final: np.ndarray  # int64 scaled points, combined, before weight
    present: np.ndarray  # bool
    weighted: np.ndarray  # int64 scaled points after weight (what totals add up)
    vetoed_by: list[list[str]]  # per unit: veto criteria answered "yes"
    totals: pd.DataFrame  # per unit: total, bonus, penalty, group columns, scored (see caps.totals)
    raw_totals: pd.DataFrame | None = None  # the totals without normalising cross-scores, when on


def score(inputs: Inputs, issues: list[Issue]) -> Scores:
    crit = inputs.criteria
    leaves = crit.index[crit["is_leaf"].astype(bool)] if len(crit) else pd.Index([])
    units = inputs.units.index
    decimals = inputs.settings.decimals
    plan, plan_na = M.plans(inputs, leaves, units, issues)
    plan_na |= outside_group(inputs, leaves, units)
    sheets = [
        _sheet(inputs.grids[a.sheet], a, inputs, leaves, units, decimals, plan, issues)
        for a in inputs.assessments
    ]
    weights = leaf_weights(inputs, leaves)
    cuts: list[Cut] = []
    final, present, weighted, totals = add_up(inputs, sheets, leaves, units, weights, plan_na, cuts=cuts)
    raw_totals = None
    if _normalising(inputs, issues):
        raw_totals = add_up(inputs, sheets, leaves, units, weights, plan_na, normalise=False)[3]
    _cap_flags(cuts, units, decimals, issues)
    vetoed_by = _vetoes(sheets, leaves, units, leaf_kinds(inputs, leaves))
    _missing(inputs, sheets, leaves, units, _excused(totals, leaves, plan_na.shape), issues)
    _gaps(inputs, sheets, leaves, units, issues)
    _evidence(inputs, sheets, leaves, units, issues)
    return Scores(leaves, units, sheets, final, present, weighted, vetoed_by, totals, raw_totals)


def _excused(totals: pd.DataFrame, leaves: pd.Index, shape: tuple[int, int]) -> np.ndarray:
    """(leaf, unit) cells found not to apply, from the totals' per-unit N/A codes."""
    excused = np.zeros(shape, dtype=bool)
    for j, codes in enumerate(totals["not_applicable"]):
        if codes:
            excused[leaves.get_indexer(list(codes)), j] = True
    return excused


def _normalising(inputs: Inputs, issues: list[Issue]) -> bool:
    """Normalisation is on, and meaningful: a statistic over cross-scores combines them."""
    settings = inputs.settings
    if settings.normalise == "none":
        return False
    if settings.combine == "verified":
        table = inputs.table("settings")
        issues.append(issue("normalise_ignored", table.sheet if table else "",
                            settings.cells.get("normalise", "")))
        return False
    return True


def _cap_flags(cuts: list[Cut], units: pd.Index, decimals: int, issues: list[Issue]) -> None:
    """One note per unit and cap that cut points: what it had, what counts."""
    for cut in cuts:
        for j in np.flatnonzero(cut.cut > 0):
            issues.append(issue("cap_applied", cut.sheet, cut.cell, unit=units[j], what=cut.what,
                                points=N.decimal_of(cut.before[j], decimals),
                                cap=N.decimal_of(cut.cap, decimals)))


def leaf_kinds(inputs: Inputs, leaves: pd.Index) -> np.ndarray:
    return inputs.criteria.loc[leaves, "kind"].to_numpy() if len(leaves) else np.array([])


def leaf_weights(inputs: Inputs, leaves: pd.Index) -> np.ndarray:
    if not len(leaves):
        return np.array([], dtype=np.int64)
    return inputs.criteria.loc[leaves, "weight"].to_numpy(dtype=np.int64)


def add_up(inputs: Inputs, sheets: list[Sheet], leaves: pd.Index, units: pd.Index,
           weights: np.ndarray, plan_na: np.ndarray | None = None, *, normalise: bool = True,
           cuts: list[Cut] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """Combine the assessments, weigh, and total — also what the stability analysis reruns
    with an assessor left out or a weight moved.  ``plan_na``: criteria the Unit targets
    sheet does not assign to a unit; ``normalise=False`` combines the raw cross-scores."""
    kinds = leaf_kinds(inputs, leaves)
    settings = inputs.settings
    how = settings.normalise if normalise and settings.combine != "verified" else "none"
    maxima = inputs.criteria.loc[leaves, "max"].to_numpy(dtype=np.int64) if len(leaves) \
        else np.zeros(0, np.int64)
    shape = (len(leaves), len(units))
    final, present = _combine(sheets, settings, shape, units, lambda s: s.points,
                              _Normaliser(how, maxima, kinds == "score"))
    earns_above = len(leaves) and inputs.criteria.loc[leaves, "over_rate"].astype(bool).any()
    above = _combine(sheets, settings, shape, units, lambda s: s.above_plan)[0] if earns_above \
        else np.zeros(shape, dtype=np.int64)
    na = _not_applicable(sheets, settings.combine, shape) | outside_group(inputs, leaves, units)
    if plan_na is not None:
        na |= plan_na
    veto = kinds == "veto"
    na[veto] = False
    final[na], above[na] = 0, 0
    final[veto] = veto_answers(sheets, shape)[veto] * inputs.criteria.loc[leaves[veto], "veto_points"].to_numpy(
        dtype=np.int64)[:, None]  # a breached veto row's points off (0 unless declared), counted as penalty
    weighted = N.round_div(final * weights[:, None], 10**N.WEIGHT_DECIMALS)
    above_weighted = N.round_div(above * weights[:, None], 10**N.WEIGHT_DECIMALS) if earns_above else above
    frame = totals(inputs, leaves, units, kinds, weighted, above_weighted, na, cuts)
    frame["scored"] = _scored(present, sheets, len(units))
    return final, present | na, weighted, frame


# --- one assessment sheet ---------------------------------------------------------------


def _sheet(grid: Grid, assessment: Assessment, inputs: Inputs, leaves: pd.Index,
           units: pd.Index, decimals: int, plan: np.ndarray, issues: list[Issue]) -> Sheet:
    covered = np.array([assessment.covers(code) for code in leaves], dtype=bool)
    at_row, at_col = _layout(grid, inputs, leaves, units, covered, issues)
    rows = np.where(at_row >= 0, grid.criteria["row"].to_numpy(dtype=np.int64)[at_row], 0)
    cols = np.where(at_col >= 0, grid.units["col"].to_numpy(dtype=np.int64)[at_col], 0)
    shape = (len(leaves), len(units))
    numbers, other = np.full(shape, np.nan), np.zeros(shape, dtype=bool)
    li, ui = np.flatnonzero(at_row >= 0), np.flatnonzero(at_col >= 0)
    if len(li) and len(ui):
        into, taken = np.ix_(li, ui), np.ix_(at_row[li], at_col[ui])
        numbers[into], other[into] = grid.numbers[taken], grid.other[taken]
    _heading_values(grid, inputs, issues)
    raw = RawCells(grid, at_row, at_col)
    value, status = N.typed(numbers, other, raw.at)
    sheet = Sheet(assessment, value, status, raw, rows, cols,
                  np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=bool),
                  np.zeros(shape, dtype=bool), np.zeros(shape, dtype=np.int64),
                  np.zeros(shape, dtype=bool), covered, grid)
    _points(sheet, inputs, leaves, units, decimals, plan, issues)
    return sheet


def _layout(grid: Grid, inputs: Inputs, leaves: pd.Index, units: pd.Index, covered: np.ndarray,
            issues: list[Issue]) -> tuple[np.ndarray, np.ndarray]:
    """Where each leaf criterion and unit sits in the grid (-1 when absent, or outside the
    sheet's scope); flags unknown, repeated and absent ones.  The first row or column of a
    repeated code is the one used."""
    header = grid.header_row
    listed = set(units)
    seen: set[str] = set()
    for unit, col in zip(grid.units["unit"], grid.units["col"], strict=True):
        if unit not in listed:
            issues.append(issue("grid_unit_unknown", grid.sheet, cell_ref(header, col), unit=unit))
        elif unit in seen:
            issues.append(issue("grid_unit_duplicate", grid.sheet, cell_ref(header, col), unit=unit))
        seen.add(unit)
    at_col = grid.unit_positions(units)
    for j in np.flatnonzero(at_col < 0):
        issues.append(issue("grid_unit_absent", grid.sheet, "", unit=units[j]))
    known = set(inputs.criteria.index)
    for code, row in zip(grid.criteria["criterion"], grid.criteria["row"], strict=True):
        if code not in known:
            issues.append(issue("grid_criterion_unknown", grid.sheet, cell_ref(row, grid.code_col),
                                criterion=code))
    at_row = np.where(covered, grid.positions(leaves), -1)
    for i in np.flatnonzero((at_row < 0) & covered):
        issues.append(issue("grid_criterion_absent", grid.sheet, "", criterion=leaves[i]))
    return at_row, at_col


def _heading_values(grid: Grid, inputs: Inputs, issues: list[Issue]) -> None:
    """Points typed on a group heading row are ignored — say so once per heading."""
    crit = inputs.criteria
    headings = set(crit.index[~crit["is_leaf"].astype(bool)]) if len(crit) else set()
    flagged: set[str] = set()
    for p, (code, row) in enumerate(zip(grid.criteria["criterion"], grid.criteria["row"], strict=True)):
        if code not in headings or code in flagged:
            continue
        filled = np.flatnonzero(_filled(grid.row(p)))
        if len(filled):
            flagged.add(code)
            issues.append(issue("grid_heading_value", grid.sheet,
                                cell_ref(row, int(grid.units["col"].iloc[filled[0]])), criterion=code))


def _filled(values: np.ndarray) -> np.ndarray:
    """True where a cell holds something (not None, NaN, '' or spaces)."""
    filled = ~pd.isna(values)
    for k in np.flatnonzero(filled):
        if isinstance(values[k], str) and not values[k].strip():
            filled[k] = False
    return filled


def _points(sheet: Sheet, inputs: Inputs, leaves: pd.Index, units: pd.Index, decimals: int,
            plan: np.ndarray, issues: list[Issue]) -> None:
    """Typed values to points, flagging text, negatives, extra decimals and out-of-range values.

    Whole-matrix operations: per-row work is kept to veto, measured, graded and
    per-occurrence criteria (few rows).  A cell reading "N/A" is neither points nor an error.
    """
    crit = inputs.criteria.loc[leaves]
    kinds, rules = crit["kind"].to_numpy(), crit["rule"].to_numpy()
    maxima = crit["max"].to_numpy(dtype=np.int64)
    name, status, value = sheet.grid.sheet, sheet.status, sheet.value
    veto = kinds == "veto"
    for i in np.flatnonzero(veto):
        _veto_row(sheet, i, leaves[i], units, name, issues)
    for i, j in zip(*np.nonzero(~veto[:, None] & (status == N.NOT_NUMBER)), strict=True):
        sheet.not_applicable[i, j] = M.is_not_applicable(sheet.raw[i, j])

    def cells(mask: np.ndarray):
        for i, j in zip(*np.nonzero(mask), strict=True):
            yield i, j, dict(unit=units[j], criterion=leaves[i])

    own_form = np.isin(rules, ("grade", "per_occurrence"))  # cells that are not plain numbers
    scored = ~(veto | own_form)[:, None] & ~sheet.not_applicable
    for i, j, at in cells(scored & (status == N.NOT_NUMBER)):
        issues.append(issue("score_not_number", name, sheet.cell(i, j), value=_shown(sheet.raw[i, j]), **at))
    for i, j, at in cells(scored & (status == N.TEXT_NUMBER)):
        issues.append(issue("score_text_number", name, sheet.cell(i, j), value=sheet.raw[i, j],
                            number=value[i, j], **at))
    usable = scored & ((status == N.NUMBER) | (status == N.TEXT_NUMBER))
    negative = usable & (value < 0)
    for i, j, at in cells(negative):
        issues.append(issue("score_negative", name, sheet.cell(i, j), value=value[i, j], **at))
    usable &= ~negative
    plain = ~veto & (rules == "")
    points = N.to_scaled(value, decimals)
    for i, j, at in cells(usable & plain[:, None] & N.has_extra_decimals(value, decimals)):
        issues.append(issue("score_decimals", name, sheet.cell(i, j), value=value[i, j], decimals=decimals,
                            number=N.decimal_of(points[i, j], decimals), **at))
    over = usable & plain[:, None] & (points > maxima[:, None])
    for i, j, at in cells(over):
        issues.append(issue("score_out_of_range", name, sheet.cell(i, j), value=value[i, j],
                            max=N.decimal_of(maxima[i], decimals), **at))
    points = np.where(over, maxima[:, None], points)  # the one rule: counted as the maximum
    sheet.points[plain] = points[plain]
    measured = np.flatnonzero(~veto & ~own_form & (rules != ""))
    for i in measured:
        sheet.points[i], sheet.above_plan[i] = M.measured(value[i], crit.iloc[i], plan[i])
    sheet.points[~usable] = 0
    sheet.above_plan[measured] *= usable[measured]  # the only rows with a bonus: the rest stays untouched zeros
    sheet.present[~veto] = usable[~veto]
    for i in np.flatnonzero(own_form):
        _own_form_row(sheet, i, crit.iloc[i], leaves[i], units, inputs.lang, issues)


def _own_form_row(sheet: Sheet, i: int, c: pd.Series, code: str, units: pd.Index, lang: str,
                  issues: list[Issue]) -> None:
    """A graded or per-occurrence row: each filled cell is a grade or occurrences, or flagged."""
    graded = c["rule"] == "grade"
    for j in np.flatnonzero((sheet.status[i] != N.BLANK) & ~sheet.not_applicable[i]):
        raw = sheet.raw[i, j]
        points = M.graded(raw, c) if graded else M.occurrences(raw, sheet.value[i, j], c)
        if points is None:
            at = dict(unit=units[j], criterion=code, value=_shown(raw))
            if graded:
                issues.append(issue("grade_invalid", sheet.grid.sheet, sheet.cell(i, j),
                                    grades="; ".join(_grade_labels(c)), **at))
            else:
                issues.append(issue("occurrence_invalid", sheet.grid.sheet, sheet.cell(i, j),
                                    form=(M.occurrence_form(c, "vi"), M.occurrence_form(c, "en")), **at))
            continue
        sheet.points[i, j] = points
        sheet.present[i, j] = True


def _grade_labels(c: pd.Series) -> list[str]:
    return [label for label, _ in c["grades"].values()]


def _veto_row(sheet: Sheet, i: int, code: str, units: pd.Index, name: str,
              issues: list[Issue]) -> None:
    for j in np.flatnonzero(sheet.status[i] != N.BLANK):
        answer = yes_no(sheet.raw[i, j])
        if answer is None:
            issues.append(issue("veto_value_invalid", name, sheet.cell(i, j), unit=units[j],
                                criterion=code, value=_shown(sheet.raw[i, j])))
            continue
        sheet.veto[i, j] = answer
        sheet.present[i, j] = True


def _shown(value: object) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return text(value)


# --- combining assessors ----------------------------------------------------------------


@dataclass(frozen=True)
class _Normaliser:
    """Cross-score normalisation as the settings ask (see core.normalise), on scored rows."""

    how: str  # none | center | zscore
    maxima: np.ndarray
    rows: np.ndarray

    def __call__(self, stack: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return stack if self.how == "none" else normalised(stack, mask, self.maxima, self.rows, self.how)


def _combine(sheets: list[Sheet], settings, shape: tuple[int, int], units: pd.Index, points_of,
             normaliser: _Normaliser | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One score per cell: verified over self, or a statistic over the cross-scores.

    With mean/median/trimmed, cross-scores and the verification count as jury scores;
    an assessor unit never counts for itself (conflict of interest), and where no jury
    score exists the verified, then the self score is used — unless the settings say a
    blank verification earns nothing: then a cell that a verifying (or jury) sheet covers
    but leaves blank gets 0.  ``points_of`` picks what is combined (points or above-plan
    bonus).
    """
    final = np.zeros(shape, dtype=np.int64)
    present = np.zeros(shape, dtype=bool)
    for role in ("self", "verified"):
        for s in (s for s in sheets if s.assessment.role == role):
            final = np.where(s.present, points_of(s), final)
            present |= s.present
    method = settings.combine
    jury = [s for s in sheets if s.assessment.role in ("cross", "verified")]
    if method == "verified" or not jury:
        deciders = [s for s in sheets if s.assessment.role == "verified"]
        decided = np.zeros(shape, dtype=bool)
        for s in deciders:
            decided |= s.present
    else:
        deciders = jury
        stack = np.stack([points_of(s) for s in jury])
        mask = np.stack([s.present & ~_recused(s, units) for s in jury])
        if normaliser is not None:
            stack = normaliser(stack, mask)
        stat, decided = _statistic(stack, mask, method)
        final, present = np.where(decided, stat, final), present | decided
    if settings.verify_blank == "none" and deciders:
        unawarded = _judged(deciders, units, shape, recuse=method != "verified") & ~decided
        final, present = np.where(unawarded, 0, final), present & ~unawarded
    return final, present


def _judged(deciders: list[Sheet], units: pd.Index, shape: tuple[int, int], *, recuse: bool) -> np.ndarray:
    """Cells some deciding sheet is there to score: within its scope, with a column for the
    unit (and, for a jury, not the assessor's own)."""
    judged = np.zeros(shape, dtype=bool)
    for s in deciders:
        cells = s.covered[:, None] & (s.col > 0)[None, :]
        judged |= cells & ~_recused(s, units) if recuse else cells
    return judged


def _not_applicable(sheets: list[Sheet], method: str, shape: tuple[int, int]) -> np.ndarray:
    """Where the criterion does not apply, by the same authority as the points: verified over
    self; with a jury, N/A when some jury sheet says so and none scores the cell."""
    na = np.zeros(shape, dtype=bool)
    for role in ("self", "verified"):
        for s in (s for s in sheets if s.assessment.role == role):
            na = np.where(s.present | s.not_applicable, s.not_applicable, na)
    jury = [s for s in sheets if s.assessment.role in ("cross", "verified")]
    if method != "verified" and jury:
        scored = np.logical_or.reduce([s.present for s in jury])
        said = np.logical_or.reduce([s.not_applicable for s in jury])
        na = np.where(scored, False, na | said)
    return na


def _scored(present: np.ndarray, sheets: list[Sheet], n_units: int) -> np.ndarray:
    """Units with at least one usable cell on some sheet (the others are not ranked)."""
    scored = present.any(axis=0) if present.size else np.zeros(n_units, dtype=bool)
    for s in sheets:
        scored |= s.present.any(axis=0) if s.present.size else False
    return scored


def _recused(sheet: Sheet, units: pd.Index) -> np.ndarray:
    recused = np.zeros(sheet.points.shape, dtype=bool)
    recused[:, units == sheet.assessment.assessor] = True
    return recused


def _statistic(stack: np.ndarray, mask: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    count = mask.sum(axis=0)
    if method == "trimmed":
        high = np.where(mask, stack, np.iinfo(np.int64).min).max(axis=0)
        low = np.where(mask, stack, np.iinfo(np.int64).max).min(axis=0)
        total = np.where(mask, stack, 0).sum(axis=0)
        trim = count >= 3
        total = np.where(trim, total - high - low, total)
        count = np.where(trim, count - 2, count)
        return N.round_div(total, np.maximum(count, 1)), count > 0
    if method == "median":
        ordered = np.sort(np.where(mask, stack, np.iinfo(np.int64).max), axis=0)
        k = np.maximum(count, 1)
        lo = np.take_along_axis(ordered, ((k - 1) // 2)[None], axis=0)[0]
        hi = np.take_along_axis(ordered, (k // 2)[None], axis=0)[0]
        return N.round_div(lo + hi, 2), count > 0
    total = np.where(mask, stack, 0).sum(axis=0)
    return N.round_div(total, np.maximum(count, 1)), count > 0


def veto_answers(sheets: list[Sheet], shape: tuple[int, int]) -> np.ndarray:
    """A veto stands on the most authoritative answer given: verified, else cross, else self."""
    answer = np.zeros(shape, dtype=bool)
    for role in ("self", "cross", "verified"):
        for s in (s for s in sheets if s.assessment.role == role):
            if role == "cross":
                answer |= s.veto
            else:
                answer = np.where(s.present, s.veto, answer)
    return answer


def outside_group(inputs: Inputs, leaves: pd.Index, units: pd.Index) -> np.ndarray:
    """(leaf, unit) pairs where the criterion is marked for other ranking groups than the
    unit's: not applicable to that unit, exactly like an N/A cell."""
    outside = np.zeros((len(leaves), len(units)), dtype=bool)
    marked = inputs.criteria.loc[leaves, "ranking_groups"].tolist() if len(leaves) else []
    if not any(marked):
        return outside
    groups = np.array([C.normalize(g) for g in inputs.units["ranking_group"].reindex(units).fillna("")], dtype=object)
    for i, applies in enumerate(marked):
        if applies:
            outside[i] = ~np.isin(groups, list(applies))
    return outside


def _vetoes(sheets: list[Sheet], leaves: pd.Index, units: pd.Index, kinds: np.ndarray) -> list[list[str]]:
    """The veto criteria each unit breached."""
    answer = veto_answers(sheets, (len(leaves), len(units)))
    answer[kinds != "veto"] = False
    vetoed = [[] for _ in range(len(units))]
    codes = leaves.tolist()
    for i, j in zip(*np.nonzero(answer), strict=True):
        vetoed[j].append(codes[i])
    return vetoed


# --- completeness, gaps, evidence --------------------------------------------------------


def _missing(inputs: Inputs, sheets: list[Sheet], leaves: pd.Index, units: pd.Index,
             excused: np.ndarray, issues: list[Issue]) -> None:
    """Blank mandatory cells within each sheet's scope (``excused``: criteria found not to apply
    to the unit); a whole blank unit column or sheet is one flag, not hundreds.  When a blank verification earns nothing, every self-claimed
    point it leaves blank is flagged too (it does not survive)."""
    if not len(leaves):
        return
    mandatory = inputs.criteria.loc[leaves, "mandatory"].to_numpy(dtype=bool)
    self_present = np.zeros((len(leaves), len(units)), dtype=bool)
    self_points = np.zeros((len(leaves), len(units)), dtype=np.int64)
    for s in sheets:
        if s.assessment.role == "self":
            self_present |= s.present
            self_points = np.where(s.present, s.points, self_points)
    strict = inputs.settings.verify_blank == "none"
    decimals = inputs.settings.decimals
    for s in sheets:
        name = s.grid.sheet
        entered = s.status != N.BLANK
        if not entered.any():
            issues.append(issue("sheet_no_scores", name))
            continue
        scored = (s.col > 0) & (units.to_numpy(dtype=object) != s.assessment.assessor)
        for j in np.flatnonzero(scored & ~entered.any(axis=0)):
            issues.append(issue("unit_no_scores", name, cell_ref(s.grid.header_row, s.col[j]),
                                unit=units[j]))
        claimed = self_points > 0 if strict and s.assessment.role == "verified" else False
        owed = mandatory[:, None] | claimed
        blank = owed & ~entered & ~excused & s.covered[:, None] & (scored & entered.any(axis=0))[None, :]
        for j, i in zip(*np.nonzero(blank.T), strict=True):  # unit by unit, as a secretary reads
            at = dict(unit=units[j], criterion=leaves[i])
            if s.assessment.role != "verified" or not self_present[i, j]:
                issues.append(issue("score_missing", name, s.cell(i, j), **at))
            elif strict:
                issues.append(issue("score_unverified_none", name, s.cell(i, j),
                                    self=N.decimal_of(self_points[i, j], decimals), **at))
            else:
                issues.append(issue("score_unverified", name, s.cell(i, j), **at))


def _gaps(inputs: Inputs, sheets: list[Sheet], leaves: pd.Index, units: pd.Index,
          issues: list[Issue | FlagBlock]) -> None:
    """Self vs verified gaps above the threshold (a share of the criterion's maximum)."""
    selfs = [s for s in sheets if s.assessment.role == "self"]
    verifieds = [s for s in sheets if s.assessment.role == "verified"]
    if not selfs or not verifieds or not len(leaves):
        return
    own = selfs[0]
    decimals = inputs.settings.decimals
    maxima = inputs.criteria.loc[leaves, "max"].to_numpy(dtype=np.int64)
    threshold = inputs.settings.gap_threshold
    limit = N.round_div(maxima * int(threshold * 100), 10_000)
    unit_codes, leaf_codes = units.to_numpy(dtype=object), leaves.to_numpy(dtype=object)
    for ver in verifieds:  # a verification split by scope is compared part by part
        gap = np.abs(own.points - ver.points)
        flagged = own.present & ver.present & (maxima > 0)[:, None] & (gap > limit[:, None])
        rows, cols = np.nonzero(flagged)  # criterion by criterion, as the sheet reads
        issues.append(FlagBlock(  # often most cells of a messy workbook: kept as arrays
            "self_verified_gap", ver.grid.sheet, ver.row[rows].astype(np.int64), ver.col[cols].astype(np.int64),
            unit_codes[cols], leaf_codes[rows],
            (("self", Scaled(own.points[rows, cols], decimals)), ("verified", Scaled(ver.points[rows, cols], decimals)),
             ("gap", Scaled(gap[rows, cols], decimals)), ("threshold", threshold))))


def _evidence(inputs: Inputs, sheets: list[Sheet], leaves: pd.Index, units: pd.Index,
              issues: list[Issue]) -> None:
    """Evidence is owed where the unit claimed points on a criterion that requires it."""
    grid = inputs.evidence
    selfs = [s for s in sheets if s.assessment.role == "self"]
    if grid is None or not selfs or not len(leaves):
        return
    needs = inputs.criteria.loc[leaves, "needs_evidence"].to_numpy(dtype=bool)
    if not needs.any():
        return
    own = selfs[0]
    claimed = own.present & ((own.points > 0) | own.veto) & needs[:, None]
    given, where_row, where_col = _evidence_given(grid, leaves, units, needs)
    for i, j in zip(*np.nonzero(claimed & ~given), strict=True):
        if where_row[i] and where_col[j]:
            sheet, cell = grid.sheet, cell_ref(int(where_row[i]), int(where_col[j]))
        else:
            sheet, cell = own.grid.sheet, own.cell(i, j)
        issues.append(issue("evidence_missing", sheet, cell, unit=units[j], criterion=leaves[i]))


def _evidence_given(grid: Grid, leaves: pd.Index, units: pd.Index,
                    needs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which (leaf, unit) cells of the evidence sheet hold something, and where each leaf's
    row and unit's column are (0 when the sheet lacks it) — only rows that owe evidence."""
    given = np.zeros((len(leaves), len(units)), dtype=bool)
    where_row = np.zeros(len(leaves), dtype=np.int64)
    li = leaves.get_indexer(grid.criteria["criterion"])
    ui = units.get_indexer(grid.units["unit"])
    where_col = np.zeros(len(units), dtype=np.int64)
    mapped = ui >= 0
    for j, col in zip(ui[mapped], grid.units["col"].to_numpy(dtype=np.int64)[mapped], strict=True):
        where_col[j] = col  # a repeated unit column: the last one is named
    for p in np.flatnonzero((li >= 0) & needs[np.clip(li, 0, None)] if len(li) else []):
        i = li[p]
        where_row[i] = grid.criteria["row"].iloc[p]
        np.logical_or.at(given[i], ui[mapped], _filled(grid.row(p)[mapped]))
    return given, where_row, where_col
