"""Self-assessment forms: what each unit is sent, and what is taken from the forms it returns.

A form is a small workbook for one unit: the cluster's criteria with their maxima and the
unit's targets, one column for its self-scores and one for its evidence (the layout here,
styled and locked by :mod:`emutools.io.forms`).  Its identity — cluster, period, unit and a
fingerprint of the criteria table — travels with it (see docs/forms.md), so a returned form
is only copied into the master when it is this cluster's, this period's, and made from the
criteria the master has now.

Pure: the adapters read the files and write the master; this module decides.  A returned
form's problems are found by the same checks as ``emutools check`` — the unit's column of
the master's sheets is replaced by the form's values and the workbook recalculated — so a
unit reads the same messages, pointed at the cell of its own form.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from emutools import contract as C
from emutools.core.codes import code_key
from emutools.core.engine import Result, recalculate
from emutools.core.inputs import number, text
from emutools.core.issues import Issue, issue
from emutools.core.model import Grid, Inputs, RawBook, cell_ref, row_col
from emutools.core.numbers import decimal_of
from emutools.texts import counted, every, say

FORM_KIND = "emutools-self-assessment-form"
FORM_VERSION = 1

# The form sheet: title lines, then the table; columns fixed (the structure is locked).
HEADER_ROW = 7
CODE_COL, NAME_COL, MAX_COL, TARGET_COL, SCORE_COL, EVIDENCE_COL = range(1, 7)
FORM_SHEET = every("form.sheet")  # its name in every language: a returned form is recognised by any
IDENTITY_SHEET = "emutools"  # veryHidden: key / value / what it is (docs/forms.md)

# Check codes a returned form is judged by: what the unit typed in its own column.
FORM_CHECKS = frozenset({
    "score_text_number", "score_not_number", "score_out_of_range", "score_negative", "score_decimals",
    "score_missing", "veto_value_invalid", "grade_invalid", "occurrence_invalid", "evidence_missing",
    "unit_no_scores", "unit_not_scored"})


# --- identity -----------------------------------------------------------------------------


def criteria_fingerprint(criteria: pd.DataFrame) -> str:
    """SHA-256 (first 16 hex digits) of what a unit scores against: each criterion's code,
    name, kind, maximum, whether mandatory or needing evidence, rule and target.  A form
    made before any of these changed is refused on return: its scores may mean something else."""
    rows = [[code, str(c["name"]), str(c["kind"]), int(c["max"]), bool(c["is_leaf"]), bool(c["mandatory"]),
             bool(c["needs_evidence"]), str(c["rule"]),
             None if pd.isna(c["target"]) else float(c["target"])]
            for code, c in criteria.to_dict("index").items()]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class FormIdentity:
    """Who a form is for; stored in the form's hidden sheet (docs/forms.md)."""

    cluster: str
    year: int
    period: str  # annual | midyear
    unit: str
    criteria: str  # criteria_fingerprint at the time it was made
    sent: str = ""  # ISO date the form was made
    kind: str = FORM_KIND
    version: int = FORM_VERSION

    FIELDS = (("kind", "Loại tệp", "File kind"), ("version", "Phiên bản mẫu phiếu", "Form version"),
              ("cluster", "Tên cụm", "Cluster"), ("year", "Năm", "Year"),
              ("period", "Kỳ đánh giá (annual/midyear)", "Period (annual/midyear)"),
              ("unit", "Mã đơn vị", "Unit code"),
              ("criteria", "Dấu vân tay bảng tiêu chí", "Criteria table fingerprint"),
              ("sent", "Ngày tạo phiếu", "Made on"))

    def rows(self) -> list[list[object]]:
        return [[key, getattr(self, key), f"{vi} / {en}"] for key, vi, en in self.FIELDS]

    @classmethod
    def from_rows(cls, rows: list[list[object]]) -> FormIdentity | None:
        """The identity in the hidden sheet's rows, or None when they are not a form's."""
        values = {text(r[0]): r[1] for r in rows if len(r) >= 2 and text(r[0])}
        if text(values.get("kind")) != FORM_KIND:
            return None
        year, version = number(values.get("year")), number(values.get("version"))
        return cls(cluster=text(values.get("cluster")), year=int(year or 0), period=text(values.get("period")),
                   unit=text(values.get("unit")), criteria=text(values.get("criteria")),
                   sent=text(values.get("sent")), version=int(version or 0))


# --- layout -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormRow:
    """One criterion on the form: ``kind`` says what its self-score cell takes (None on a
    group heading): score, measured, veto or free (a grade or occurrences)."""

    criterion: str
    row: int
    kind: str | None
    max: Decimal | None


@dataclass
class FormLayout:
    """Every cell of one unit's form: ``cells`` the fixed text and numbers (what the unit must
    not change), ``inputs`` the self-score and evidence cells, prefilled from the master."""

    lang: str
    unit: str
    unit_name: str
    file_stem: str  # "<code> - <name>", before it is made a safe file name
    identity: FormIdentity
    rows: list[FormRow]
    cells: dict[str, object]
    inputs: dict[str, object]
    title_rows: int = HEADER_ROW - 1

    @property
    def sheet(self) -> str:
        return say("form.sheet", self.lang)

    def score_cell(self, row: int) -> str:
        return cell_ref(row, SCORE_COL)

    def evidence_cell(self, row: int) -> str:
        return cell_ref(row, EVIDENCE_COL)


def self_assessment(inputs: Inputs) -> str | None:
    """The master's self-assessment sheet: the first one listed with the role self."""
    return next((a.sheet for a in inputs.assessments if a.role == "self" and a.sheet in inputs.grids), None)


def form_layout(inputs: Inputs, unit: str, sent: dt.date) -> FormLayout:
    """The form of ``unit`` (see :func:`form_layouts`)."""
    return form_layouts(inputs, [unit], sent)[0]


def form_layouts(inputs: Inputs, units: list[str], sent: dt.date) -> list[FormLayout]:
    """The forms of ``units``: criteria in the master's order, each unit's own targets and its
    current self-scores and evidence (so a form sent again shows what is already in)."""
    lang, s = inputs.lang, inputs.settings
    period = say("period.midyear" if s.period == "midyear" else "period.year", lang, year=s.year).upper()
    deadline = s.deadline.strftime("%d/%m/%Y") if s.deadline else say("form.deadline_unset", lang)
    common = {"A1": say("form.title", lang, period=period), "A3": say("form.deadline", lang, date=deadline),
              "A4": say("form.instruction", lang), "A5": say("form.instruction_2", lang)}
    headers = (C.GRID_CODE.header(lang), C.GRID_NAME.header(lang), C.GRID_MAX.header(lang),
               say("form.col_target", lang), None, say("form.col_evidence", lang))
    for col, header in enumerate(headers, start=1):
        if header:
            common[cell_ref(HEADER_ROW, col)] = header
    records = inputs.criteria.to_dict("index")
    raw = _raw_criteria(inputs)
    rows: list[FormRow] = []
    for k, (code, c) in enumerate(records.items()):
        row = HEADER_ROW + 1 + k
        kind = _input_kind(c) if c["is_leaf"] else None
        maximum = None if kind in (None, "veto") or not c["max"] else decimal_of(int(c["max"]), s.decimals)
        common[cell_ref(row, CODE_COL)] = code
        common[cell_ref(row, NAME_COL)] = f"{c['name']} (*)" if kind and c["needs_evidence"] else str(c["name"])
        if maximum is not None:
            common[cell_ref(row, MAX_COL)] = float(maximum)
        rows.append(FormRow(code, row, kind, maximum))
    own_sheet = self_assessment(inputs)
    scores = _columns(inputs.grids.get(own_sheet) if own_sheet else None, inputs, units)
    evidence = _columns(inputs.evidence, inputs, units)
    targets = _columns(inputs.targets, inputs, units)
    fingerprint = criteria_fingerprint(inputs.criteria)
    layouts = []
    for unit in units:
        name = str(inputs.units.at[unit, "name"])
        cells = dict(common)
        cells["A2"] = say("form.unit_line", lang, cluster=s.cluster_name, unit=unit, name=name)
        cells[cell_ref(HEADER_ROW, SCORE_COL)] = say("form.col_score", lang, unit=unit)
        prefill = {}
        for r in rows:
            if r.kind is None:
                continue
            hint = _how_to_enter(records[r.criterion], raw.get(r.criterion, {}), targets[unit].get(r.criterion), lang)
            if hint:
                cells[cell_ref(r.row, TARGET_COL)] = hint
            for col, source in ((SCORE_COL, scores[unit]), (EVIDENCE_COL, evidence[unit])):
                if source.get(r.criterion) is not None:
                    prefill[cell_ref(r.row, col)] = source[r.criterion]
        identity = FormIdentity(cluster=s.cluster_name, year=s.year, period=s.period, unit=unit,
                                criteria=fingerprint, sent=sent.isoformat())
        layouts.append(FormLayout(lang, unit, name, f"{unit} - {name}", identity, rows, cells, prefill))
    return layouts


def _input_kind(c: dict) -> str:
    if c["kind"] == "veto":
        return "veto"
    if c["rule"] in ("grade", "per_occurrence"):
        return "free"
    return "measured" if c["rule"] else "score"


def _how_to_enter(c: dict, raw: dict, own_target: object, lang: str) -> str:
    """Column D: the unit's own target (or the common one) and what to type."""
    rule, unit_of = c["rule"], text(raw.get("measure_unit"))
    if c["kind"] == "veto":
        return say("form.enter_veto", lang)
    if rule in C.TARGET_RULES:
        own = text(own_target)
        target = own or ("" if pd.isna(c["target"]) else _plain(c["target"]))
        target = f"{target} {unit_of}".strip() if target else say("form.target_unset", lang)
        return say("form.enter_own_target" if own else "form.enter_target", lang, target=target)
    if rule == "threshold":
        return say("form.enter_tiers", lang, tiers=text(raw.get("tiers")))
    if rule == "grade":
        return say("form.enter_grade", lang, grades="; ".join(label for label, _ in c["grades"].values()))
    if rule == "per_occurrence":
        return say("form.enter_count", lang)
    if c["kind"] in ("penalty", "bonus"):
        return say(f"form.enter_{c['kind']}", lang)
    return ""


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _raw_criteria(inputs: Inputs) -> dict[str, dict]:
    """The criteria table as typed on the sheet (measure units, tiers), by code."""
    table = inputs.tables.get("criteria")
    if table is None:
        return {}
    return {text(r["code"]): r for r in table.data.to_dict("records") if text(r.get("code"))}


def _columns(grid: Grid | None, inputs: Inputs, units: list[str]) -> dict[str, dict[str, object]]:
    """Each unit's cells of a criteria × units grid, by criterion code (blanks left out)."""
    out: dict[str, dict[str, object]] = {unit: {} for unit in units}
    if grid is None:
        return out
    rows = [(code, r) for code, r in zip(inputs.criteria.index, grid.positions(inputs.criteria.index), strict=True)
            if r >= 0]
    for unit, col in zip(units, grid.unit_positions(pd.Index(units)), strict=True):
        if col >= 0:
            out[unit] = {code: grid.values[r, col] for code, r in rows
                         if grid.values[r, col] is not None and text(grid.values[r, col]) != ""}
    return out


# --- forms back -------------------------------------------------------------------------


@dataclass
class ReturnedForm:
    """A form file as read: its identity (None when it has none), its sheet's values, and when
    it was last saved (the document's own time, else the file's)."""

    file: str
    saved: dt.datetime
    identity: FormIdentity | None
    values: list[list[object]] = field(default_factory=list)  # the form sheet, row by row


@dataclass
class Collection:
    """What collect decided: the master cells to write, and everything to tell the secretary."""

    writes: dict[str, dict[str, object]]  # master sheet -> cell -> value
    issues: list[Issue]  # per form file and cell: refusals, conflicts, duplicates, the checks' flags
    used: dict[str, ReturnedForm]  # unit -> the form copied
    copied: int = 0
    conflicts: int = 0

    def summary(self, files: int, lang: str) -> str:
        """One line: files read, forms used, cells copied, conflicts."""
        return say("collect.summary", lang, files=counted(files, "noun.file", lang),
                   forms=counted(len(self.used), "noun.form", lang), cells=counted(self.copied, "noun.cell", lang),
                   conflicts=counted(self.conflicts, "noun.conflict", lang))


def collect(raw: RawBook, master: Result, forms: list[ReturnedForm], *, overwrite: bool = False) -> Collection:
    """Decide what of ``forms`` goes into the master (read as ``raw``, recalculated as ``master``)."""
    inputs = master.inputs
    own_sheet = self_assessment(inputs)
    fingerprint = criteria_fingerprint(inputs.criteria)
    issues: list[Issue] = []
    valid: dict[str, list[ReturnedForm]] = {}
    for form in sorted(forms, key=lambda f: f.file):
        problem = _refusal(form, inputs, fingerprint, own_sheet)
        if problem is not None:
            issues.append(problem)
            continue
        valid.setdefault(form.identity.unit, []).append(form)
    used = {unit: _newest(unit, listed, issues) for unit, listed in valid.items()}
    layouts = {f.unit: f for f in form_layouts(inputs, list(used), dt.date.min)}
    taken: dict[str, dict[str, object]] = {}  # unit -> form cell -> value, after refusals
    for unit, form in list(used.items()):
        found = _read_layout(form, layouts[unit], issues)
        if found is None:
            del used[unit]
        else:
            taken[unit] = found
    if not used:
        return Collection({}, issues, used)
    candidate = _with_forms(raw, inputs, own_sheet, {u: (layouts[u], taken[u]) for u in used})
    issues += _form_flags(recalculate(candidate), inputs, own_sheet, {u: (layouts[u], used[u]) for u in used})
    out = Collection({}, issues, used)
    for unit, form in used.items():
        _merge(out, inputs, own_sheet, layouts[unit], form, taken[unit], overwrite)
    return out


def _refusal(form: ReturnedForm, inputs: Inputs, fingerprint: str, own_sheet: str | None) -> Issue | None:
    s, ident = inputs.settings, form.identity
    if ident is None:
        return issue("form_not_a_form", form.file)
    if ident.version > FORM_VERSION:
        return issue("form_newer", form.file, version=ident.version)
    if C.normalize(ident.cluster) != C.normalize(s.cluster_name):
        return issue("form_other_cluster", form.file, value=ident.cluster, cluster=s.cluster_name)
    if ident.year != s.year or ident.period != s.period:
        return issue("form_other_period", form.file, value=f"{ident.period} {ident.year}",
                     period=f"{s.period} {s.year}")
    unit = next((u for u in inputs.units.index if code_key(u) == code_key(ident.unit)), None)
    if unit is None:
        return issue("form_unit_unknown", form.file, unit=ident.unit)
    if ident.criteria != fingerprint:
        return issue("form_criteria_changed", form.file, unit=unit)
    if own_sheet is None or inputs.grids[own_sheet].unit_positions(pd.Index([unit]))[0] < 0:
        return issue("form_no_master_column", form.file, unit=unit, master=own_sheet or C.SELF_SHEET.vi)
    if unit != ident.unit:
        form.identity = FormIdentity(**{**ident.__dict__, "unit": unit})
    return None


def _newest(unit: str, listed: list[ReturnedForm], issues: list[Issue]) -> ReturnedForm:
    """Of several returns for one unit, the last saved (then the last by name) is used."""
    ordered = sorted(listed, key=lambda f: (f.saved, f.file))
    chosen = ordered[-1]
    for other in ordered[:-1]:
        issues.append(issue("form_duplicate", other.file, unit=unit, used=chosen.file,
                            used_saved=_when(chosen.saved), saved=_when(other.saved)))
    return chosen


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def _value_at(values: list[list[object]], ref_row: int, col: int) -> object:
    if ref_row - 1 < len(values) and col - 1 < len(values[ref_row - 1]):
        value = values[ref_row - 1][col - 1]
        return None if value == "" else value
    return None


def _read_layout(form: ReturnedForm, layout: FormLayout, issues: list[Issue]) -> dict[str, object] | None:
    """The unit's input cells, after checking the rest of the form is as sent.  A changed code
    (rows moved, inserted or deleted) refuses the form; any other edit outside the two input
    columns is reported and left out."""
    inputs = {layout.score_cell(r.row) for r in layout.rows if r.kind} | \
             {layout.evidence_cell(r.row) for r in layout.rows if r.kind}
    edited, moved = [], False
    height = max(len(form.values), HEADER_ROW + len(layout.rows))
    width = max([EVIDENCE_COL, *(len(r) for r in form.values)])
    for row in range(HEADER_ROW, height + 1):
        for col in range(1, width + 1):
            ref = cell_ref(row, col)
            if ref in inputs:
                continue
            found, expected = _value_at(form.values, row, col), layout.cells.get(ref)
            if not _same(found, expected):
                edited.append((ref, expected, found))
                moved |= col == CODE_COL and row > HEADER_ROW
    if moved:
        cells = ", ".join(ref for ref, _, _ in edited if ref.startswith("A"))
        issues.append(issue("form_rows_changed", form.file, cells.split(",")[0], unit=layout.unit, cells=cells))
        return None
    for ref, expected, found in edited:
        issues.append(issue("form_edited_outside", form.file, ref, unit=layout.unit,
                            expected=_shown(expected), value=_shown(found)))
    return {ref: v for ref in sorted(inputs) if (v := _value_at(form.values, *row_col(ref))) is not None}


def _shown(value: object) -> object:
    """A cell value for a message: numbers as numbers (written 3,5 or 3.5 by language), blank as ∅."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return text(value) or "∅"


def _same(a: object, b: object) -> bool:
    """Equal as a secretary would say: blank is blank, 8.5 is "8,5", text ignores outer spaces."""
    if text(a) == "" or text(b) == "":
        return text(a) == text(b)
    na, nb = number(a), number(b)
    if na is not None and nb is not None:
        return abs(na - nb) < 1e-9
    return text(a) == text(b)


def _with_forms(raw: RawBook, inputs: Inputs, own_sheet: str,
                taken: dict[str, tuple[FormLayout, dict[str, object]]]) -> RawBook:
    """The master with each returning unit's self-score and evidence columns as on its form."""
    candidate = copy.copy(raw)
    candidate.grids = dict(raw.grids)
    grids = {"score": (own_sheet, raw.grids[own_sheet])}
    if raw.evidence is not None:
        grids["evidence"] = (None, raw.evidence)
    for key, (name, grid) in grids.items():
        values = grid.values.copy()
        rows = dict(zip(inputs.criteria.index, grid.positions(inputs.criteria.index), strict=True))
        for unit, (layout, cells) in taken.items():
            col = grid.unit_positions(pd.Index([unit]))[0]
            if col < 0:
                continue
            for r in layout.rows:
                if r.kind and rows.get(r.criterion, -1) >= 0:
                    ref = layout.score_cell(r.row) if key == "score" else layout.evidence_cell(r.row)
                    values[rows[r.criterion], col] = cells.get(ref)
        new = Grid(grid.sheet, grid.header_row, grid.units, grid.criteria, values, grid.code_col)
        if key == "score":
            candidate.grids[name] = new
        else:
            candidate.evidence = new
    return candidate


def _form_flags(result: Result, inputs: Inputs, own_sheet: str,
                forms: dict[str, tuple[FormLayout, ReturnedForm]]) -> list[Issue]:
    """The check's flags on the returning units' cells, moved to the form's file and cell."""
    where: dict[tuple[str, str], tuple[str, str]] = {}  # (master sheet, master cell) -> (file, form cell)
    for grid, input_col in ((inputs.grids[own_sheet], SCORE_COL), (inputs.evidence, EVIDENCE_COL)):
        if grid is None:
            continue
        rows, sheet_rows, sheet_cols = _grid_positions(grid, inputs)
        for unit, (layout, form) in forms.items():
            col = grid.unit_positions(pd.Index([unit]))[0]
            for r in layout.rows:
                if r.kind and col >= 0 and rows.get(r.criterion, -1) >= 0:
                    master = cell_ref(sheet_rows[rows[r.criterion]], sheet_cols[col])
                    where[(grid.sheet, master)] = (form.file, cell_ref(r.row, input_col))
    flags = []
    for i in result.issues:
        if i.code not in FORM_CHECKS or i.unit not in forms:
            continue
        if i.code in ("unit_no_scores", "unit_not_scored") and i.sheet == own_sheet:
            flags.append(Issue(i.code, forms[i.unit][1].file, "", i.unit, i.criterion, i.params))
        elif (i.sheet, i.cell) in where:
            file, cell = where[(i.sheet, i.cell)]
            flags.append(Issue(i.code, file, cell, i.unit, i.criterion, i.params))
    return flags


def _merge(out: Collection, inputs: Inputs, own_sheet: str, layout: FormLayout, form: ReturnedForm,
           cells: dict[str, object], overwrite: bool) -> None:
    """Blank master cells take the form's value; a different non-empty one is a conflict,
    kept unless ``overwrite``; a blank on the form never erases the master."""
    for grid, input_col in ((inputs.grids[own_sheet], SCORE_COL), (inputs.evidence, EVIDENCE_COL)):
        if grid is None:
            continue
        col = grid.unit_positions(pd.Index([layout.unit]))[0]
        rows, sheet_rows, sheet_cols = _grid_positions(grid, inputs)
        for r in layout.rows:
            ref = cell_ref(r.row, input_col)
            value = cells.get(ref)
            if not r.kind or value is None or rows.get(r.criterion, -1) < 0:
                continue
            k = rows[r.criterion]
            master_cell = cell_ref(sheet_rows[k], sheet_cols[col])
            current = grid.values[k, col]
            if _same(current, value):
                continue
            if current is not None and text(current) != "":
                out.issues.append(issue("form_conflict", form.file, ref, unit=layout.unit, criterion=r.criterion,
                                        master=f"{grid.sheet}!{master_cell}", master_value=_shown(current),
                                        value=_shown(value), outcome=_outcome(overwrite)))
                out.conflicts += 1
                if not overwrite:
                    continue
            out.writes.setdefault(grid.sheet, {})[master_cell] = value
            out.copied += 1


def _grid_positions(grid: Grid, inputs: Inputs) -> tuple[dict[str, int], list[int], list[int]]:
    """Each criterion's row position in ``grid``, and the sheet row and column of every position."""
    rows = dict(zip(inputs.criteria.index, grid.positions(inputs.criteria.index), strict=True))
    return rows, [int(r) for r in grid.criteria["row"]], [int(c) for c in grid.units["col"]]


def _outcome(overwrite: bool) -> tuple[str, str]:
    if overwrite:
        return ("đã ghi đè bằng giá trị của phiếu (--overwrite)", "overwritten with the form's value (--overwrite)")
    return ("giữ giá trị trong bảng tổng hợp; dùng --overwrite để lấy giá trị của phiếu",
            "the master's value is kept; use --overwrite to take the form's")


def apply_writes(raw: RawBook, writes: dict[str, dict[str, object]]) -> RawBook:
    """``raw`` as it reads once ``writes`` (sheet -> cell -> value) are in the file."""
    if not writes:
        return raw
    after = copy.copy(raw)
    after.grids = dict(raw.grids)
    for name, cells in writes.items():
        grid = raw.evidence if raw.evidence is not None and raw.evidence.sheet == name else raw.grids.get(name)
        if grid is None:
            continue
        values = grid.values.copy()
        rows = {int(r): k for k, r in enumerate(grid.criteria["row"])}
        cols = {int(c): k for k, c in enumerate(grid.units["col"])}
        for ref, value in cells.items():
            row, col = row_col(ref)
            if row in rows and col in cols:
                values[rows[row], cols[col]] = value
        new = Grid(grid.sheet, grid.header_row, grid.units, grid.criteria, values, grid.code_col)
        if grid is raw.evidence:
            after.evidence = new
        else:
            after.grids[name] = new
    return after


@dataclass(frozen=True)
class Progress:
    """One unit's row of the Progress sheet."""

    unit: str
    name: str
    sent: str  # the form's file name and date, "" when none was made
    returned: str  # the copied form's file, "" when none came back
    returned_at: dt.datetime | None
    filled: int
    required: int
    missing: tuple[str, ...]  # required criteria without a self-score
    evidence_missing: tuple[str, ...]  # criteria the check says lack evidence
    verified: bool | None  # None without a verification sheet
    reminder: str


def progress(result: Result, sent: dict[str, str], returned: dict[str, tuple[str, dt.datetime | None]],
             lang: str) -> list[Progress]:
    """Per unit of ``result`` (the master as it now is): what came back, what is still owed,
    and the reminder to send where something is."""
    inputs = result.inputs
    own, verified_sheet = self_assessment(inputs), next(
        (a.sheet for a in inputs.assessments if a.role == "verified" and a.sheet in inputs.grids), None)
    scope = next((a for a in inputs.assessments if a.sheet == own), None)
    needed = [code for code, c in inputs.criteria.to_dict("index").items()
              if c["is_leaf"] and c["mandatory"] and c["kind"] != "veto" and (scope is None or scope.covers(code))]
    no_evidence: dict[str, list[str]] = {}
    for i in result.issues:
        if i.code == "evidence_missing":
            no_evidence.setdefault(i.unit, []).append(i.criterion)
    units = list(inputs.units.index)
    own_scores = _columns(inputs.grids.get(own) if own else None, inputs, units)
    verified = _columns(inputs.grids[verified_sheet], inputs, units) if verified_sheet else {}
    rows = []
    for unit, name in inputs.units["name"].items():
        scores = own_scores[unit]
        missing = tuple(c for c in needed if text(scores.get(c)) == "")
        checked = None
        if verified_sheet is not None:
            done = verified[unit]
            checked = all(text(done.get(c)) != "" for c in needed)
        file, at = returned.get(unit, ("", None))
        evidence = tuple(no_evidence.get(unit, ()))
        rows.append(Progress(unit, str(name), sent.get(unit, ""), file, at, len(needed) - len(missing),
                             len(needed), missing, evidence, checked,
                             reminder(inputs, str(name), bool(file), missing, evidence, lang)))
    return rows


def reminder(inputs: Inputs, name: str, returned: bool, missing: tuple[str, ...],
             evidence: tuple[str, ...], lang: str) -> str:
    """A message the secretary can paste into an e-mail; "" when nothing is owed."""
    if returned and not missing and not evidence:
        return ""
    s = inputs.settings
    period = say("period.midyear" if s.period == "midyear" else "period.year", lang, year=s.year)
    if not returned:
        what = say("reminder.not_returned", lang, period=period)
    else:
        parts = [say(key, lang, count=len(codes), codes=", ".join(codes))
                 for key, codes in (("reminder.scores", missing), ("reminder.evidence", evidence)) if codes]
        what = say("reminder.lacking", lang, period=period, parts=say("reminder.and", lang).join(parts))
    due = (say("reminder.by", lang, date=s.deadline.strftime("%d/%m/%Y")) if s.deadline
           else say("reminder.soon", lang))
    return say("reminder.text", lang, name=name, what=what, cluster=s.cluster_name, due=due)
