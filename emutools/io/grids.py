"""The input grids laid out from the Units and Criteria tables (``emutools layout``).

From a :class:`~emutools.core.model.RawBook` it builds one :class:`GridSheet` per grid —
every scores sheet listed in Settings (a listed sheet not yet in the workbook is created),
Minh chứng and Bỏ phiếu — with one column per unit in Units order and one row per
criterion in Criteria order, and carries every typed value to its (unit, criterion) cell
(:mod:`emutools.core.layout`).  What no longer has a cell goes to the kept-data sheet
("Dữ liệu đã bỏ"), an :class:`~emutools.io.sheetdata.OutputSheet` that only grows.
Looks, words and sizes are the template's (:mod:`emutools.io.template`, :mod:`.gridtexts`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from emutools import contract as C
from emutools.core.codes import code_key
from emutools.core.inputs import parse_inputs, text, yes_no
from emutools.core.layout import Changes, Placement, Removed, Typed, changes, merge_removed, place
from emutools.core.model import Grid, Inputs, RawBook, RawTable, cell_ref, column_letter
from emutools.core.scoring import outside_group
from emutools.io import gridtexts as T
from emutools.io.gridsheet import DataRule, GridRow, GridSheet, GridTable
from emutools.io.sheetdata import OutputSheet
from emutools.io.titles import stale_titles
from emutools.texts import TEXTS, counted, say, sheet_title

TITLE_ROW, HELP_ROW, NAMES_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = HEADER_ROW + 1
FIRST_UNIT_COLUMN = len(C.GRID_LEAD) + 1
SPARE_ROWS = 200  # the ballot's validation and highlight reach this far below its table
UNIT_WIDTH, EVIDENCE_WIDTH = 9, 16
NAMES_HEIGHT = 34
LINE_HEIGHT = 15  # points per line of 11-pt text
CHAR_WIDTH = 1.0  # column-width units per character, word wrap included
BALLOT_FIELDS = len(C.BALLOT_TABLE.columns)


@dataclass
class Layout:
    """What a layout writes, and what it found changed (for the report)."""

    grids: list[GridSheet]
    removed: list[Removed]  # the kept-data sheet's rows, earlier ones first
    removed_now: list[Removed]  # those this layout took off
    changes: dict[str, tuple[Changes, Changes]] = field(default_factory=dict)  # sheet -> (units, rows)
    removed_sheet: OutputSheet | None = None
    lang: str = "vi"
    titles: dict[str, dict[str, object]] = field(default_factory=dict)  # other sheets' stale titles
    tables: tuple[str, ...] = ()  # the Settings, Units and Criteria sheets, whose printing follows the rule

    @property
    def sheets(self) -> list[GridSheet | OutputSheet]:
        """What is written whole: the grids, and the kept-data sheet when it has rows."""
        return [*self.grids, *([self.removed_sheet] if self.removed_sheet else [])]


def lay_out(raw: RawBook) -> Layout:
    """Every grid of ``raw`` laid out from its tables, and the kept-data sheet."""
    inputs, _ = parse_inputs(raw)
    lang = inputs.lang
    units = list(inputs.units.index)
    criteria = _criteria(raw, inputs)
    frame = _Frame(inputs, units, criteria)
    grids, removed, found = [], [], {}
    for a in inputs.assessments:
        grid = raw.grids.get(a.sheet)
        name = grid.sheet if grid is not None else a.sheet
        placement, found[name] = frame.placement(grid)
        grids.append(frame.score_sheet(name, T.grid_help(lang, a.role, a.assessor), placement))
        removed += placement.removed
    if raw.targets is not None:  # the optional Unit targets sheet, laid out when the book has one
        targeted = {c["code"] for c in criteria if not c["heading"] and c["rule"] in C.TARGET_RULES}
        placement, found[raw.targets.sheet] = frame.placement(raw.targets, targeted)
        grids.append(frame.targets_sheet(raw.targets.sheet, placement))
        removed += placement.removed
    evidence = raw.evidence
    name = evidence.sheet if evidence is not None else C.EVIDENCE_SHEET.name(lang)
    placement, found[name] = frame.placement(evidence)
    grids.append(frame.evidence_sheet(name, placement))
    removed += placement.removed
    ballot = raw.tables.get("ballot")
    ballot_sheet, ballot_removed, found_ballot = frame.ballot_sheet(ballot)
    grids.append(ballot_sheet)
    found[ballot_sheet.name] = found_ballot
    removed += ballot_removed
    kept = _kept(raw.tables.get("removed"))
    everything = merge_removed(kept, removed)
    tables = tuple(raw.tables[k].sheet for k in ("settings", "units", "criteria") if k in raw.tables)
    layout = Layout(grids, everything, removed, found, lang=lang, titles=stale_titles(raw, inputs.settings, lang),
                    tables=tables)
    if everything:
        sheet = raw.tables["removed"].sheet if "removed" in raw.tables else C.REMOVED_SHEET.name(lang)
        layout.removed_sheet = removed_sheet(everything, inputs, sheet)
    return layout


# --- reading what was typed -------------------------------------------------------------


def _criteria(raw: RawBook, inputs: Inputs) -> list[dict]:
    """The Criteria rows as typed (names, maxima, targets and tiers shown as written),
    with the typed kind, rule and whether the row is a group heading."""
    table = raw.tables.get("criteria")
    by_row = {int(r["row"]): r for r in table.data.to_dict("records")} if table is not None else {}
    out = []
    for code, c in inputs.criteria.iterrows():
        rec = by_row.get(int(c["row"]), {})
        out.append({"code": code, "name": text(rec.get("name")), "kind": c["kind"], "rule": c["rule"],
                    "heading": not c["is_leaf"], "max_points": rec.get("max_points"),
                    "target": rec.get("target"), "tiers": text(rec.get("tiers")),
                    "measure_unit": text(rec.get("measure_unit")),
                    "needs_evidence": bool(yes_no(rec.get("needs_evidence"))),
                    "grades": tuple(label for label, _ in (c.get("grades") or {}).values())})
    return out


def typed_values(grid: Grid) -> Iterator[Typed]:
    """Every non-blank cell under a unit column and on a criterion row."""
    units = list(grid.units["unit"])
    cols = [int(c) for c in grid.units["col"]]
    for i, (code, row) in enumerate(zip(grid.criteria["criterion"], grid.criteria["row"], strict=True)):
        for j, value in enumerate(grid.values[i]):
            if value is not None and not (isinstance(value, str) and not value.strip()):
                yield Typed(grid.sheet, cell_ref(int(row), cols[j]), units[j], str(code), value)


def _kept(table: RawTable | None) -> list[Removed]:
    if table is None:
        return []
    return [Removed(text(r.get("sheet")), text(r.get("cell")), text(r.get("unit")), text(r.get("key")),
                    r.get("value"), text(r.get("reason"))) for r in table.data.to_dict("records")]


# --- the sheets -------------------------------------------------------------------------


class _Frame:
    """What every grid shares: the units, the criteria rows, the title."""

    def __init__(self, inputs: Inputs, units: list[str], criteria: list[dict]):
        self.inputs, self.lang, self.units, self.criteria = inputs, inputs.lang, units, criteria
        s = inputs.settings
        self.cluster, self.year, self.period = s.cluster_name, s.year, s.period
        self.inputs_rows = {c["code"] for c in criteria if not c["heading"]}
        leaves = pd.Index([c["code"] for c in criteria if not c["heading"]], dtype=object)
        outside = outside_group(inputs, leaves, pd.Index(units, dtype=object))
        # the units each leaf does not apply to (marked for other ranking groups): greyed, as the engine
        # treats them as not applicable
        self.outside = {code: {u for u, out in zip(units, row, strict=True) if out}
                        for code, row in zip(leaves, outside, strict=True) if row.any()}

    def title(self, sheet: str) -> str:
        return sheet_title(sheet, self.cluster, self.year, self.period, self.lang)

    def placement(self, grid: Grid | None, inputs: set[str] | None = None
                  ) -> tuple[Placement, tuple[Changes, Changes]]:
        codes = [c["code"] for c in self.criteria]
        typed = list(typed_values(grid)) if grid is not None else []
        found_units = list(grid.units["unit"]) if grid is not None else []
        found_rows = list(grid.criteria["criterion"]) if grid is not None else []
        return (place(typed, self.units, codes, self.inputs_rows if inputs is None else inputs),
                (changes(self.units, found_units), changes(codes, found_rows)))

    def _top(self, name: str, instruction: str, header: list[str], widths: list[float],
             names: list[str] | None) -> list[GridRow]:
        rows = [GridRow(TITLE_ROW, ((1, self.title(name), ("title", "General")),)),
                GridRow(HELP_ROW, ((1, instruction, ("help", "General")),))]
        if names is not None:
            rows.append(GridRow(NAMES_ROW, tuple((col, n, ("names", "General"))
                                                 for col, n in enumerate(names, start=FIRST_UNIT_COLUMN)),
                                NAMES_HEIGHT))
        rows.append(GridRow(HEADER_ROW, tuple((col, h, ("header", "General"))
                                              for col, h in enumerate(header, start=1)),
                            _height(header, widths)))
        return rows

    def _grid(self, name: str, instruction: str, width: float, placement: Placement,
              describe, input_style, classify=None) -> tuple[list[GridRow], list[float], dict[str, list[int]]]:
        """The frame every criteria × units sheet shares; ``classify(criterion)`` says what a
        leaf row's unit cells take ("none": no input on this sheet)."""
        classify = classify or _input_kind
        lang, units = self.lang, self.units
        widths = [c.width for c in C.GRID_LEAD] + [width] * len(units)
        header = [c.header(lang) for c in C.GRID_LEAD] + units
        names = [self.inputs.units.at[u, "short_name"] or self.inputs.units.at[u, "name"] for u in units]
        rows = self._top(name, instruction, header, widths, names if units else None)
        kinds: dict[str, list[int]] = {}
        for r, c in enumerate(self.criteria, start=FIRST_DATA_ROW):
            heading = c["heading"]
            look = "heading" if heading else "info"
            lead = [(1, c["code"], (look, "@")), (2, describe(c, heading), (look, "General")),
                    (3, None if heading else c["max_points"], (look, "0.00"))]
            if heading:
                cells = [(col, None, ("heading", "General")) for col in range(FIRST_UNIT_COLUMN,
                                                                             FIRST_UNIT_COLUMN + len(units))]
            else:
                kind = classify(c)
                kinds.setdefault(kind, []).append(r)
                style = input_style(kind) if kind != "none" else ("info", "General")
                outside = self.outside.get(c["code"], ())
                cells = [(col, placement.value(u, c["code"]) if kind != "none" else None,
                          ("outside", style[1]) if u in outside and kind != "none" else style)
                         for col, u in enumerate(units, start=FIRST_UNIT_COLUMN)]
            rows.append(GridRow(r, tuple(lead + cells), _height([lead[1][1]], [widths[1]])))
        return rows, widths, kinds

    def _last_unit_letter(self) -> str:
        return column_letter(FIRST_UNIT_COLUMN + len(self.units) - 1)

    def _highlight(self) -> tuple[str, ...]:
        if not self.units or not self.criteria:
            return ()
        last = FIRST_DATA_ROW + len(self.criteria) - 1
        return (f"{column_letter(FIRST_UNIT_COLUMN)}{FIRST_DATA_ROW}:{self._last_unit_letter()}{last}",)

    def score_sheet(self, name: str, instruction: str, placement: Placement) -> GridSheet:
        """Criteria × units; leaf cells are inputs validated by the criterion's kind."""
        rows, widths, kinds = self._grid(
            name, instruction, UNIT_WIDTH, placement, lambda c, h: T.score_label(c, h, self.lang),
            lambda kind: ("input", "0.00" if kind == "score" else "General"))
        return GridSheet(name, tuple(rows), tuple(widths), self._score_rules(kinds), self._highlight(),
                         "D5", (NAMES_ROW, HEADER_ROW), ("A", "C"))

    def _spans(self, rows: list[int]) -> tuple[str, ...]:
        first, last = column_letter(FIRST_UNIT_COLUMN), self._last_unit_letter()
        return tuple(f"{first}{r}:{last}{r}" for r in rows)

    def _score_rules(self, kinds: dict[str, list[int]]) -> tuple[DataRule, ...]:
        """One rule per kind of row: points 0..the row's maximum, a measured value ≥ 0, Yes/No,
        and one list per grade scale; counts and occurrence lists are free text."""
        if not self.units:
            return ()
        lang = self.lang
        rules = []
        if "score" in kinds:
            rules.append(DataRule(self._spans(kinds["score"]), "decimal", say("grid.msg_score", lang),
                                  "between", maximum=f"$C{kinds['score'][0]}"))
        if "measured" in kinds:
            rules.append(DataRule(self._spans(kinds["measured"]), "decimal",
                                  say("grid.msg_measured", lang), "greaterThanOrEqual"))
        if "veto" in kinds:
            rules.append(DataRule(self._spans(kinds["veto"]), "list", say("grid.msg_yes_no", lang),
                                  choices=T.YES_NO[lang]))
        scales: dict[tuple[str, ...], list[int]] = {}
        for kind, rows in kinds.items():
            if kind.startswith("grade:"):
                scales.setdefault(tuple(kind[6:].split("\n")), []).extend(rows)
        for labels, rows in scales.items():
            if _listable(labels):
                rules.append(DataRule(self._spans(sorted(rows)), "list", say("grid.msg_grade", lang),
                                      choices=labels))
        return tuple(rules)

    def targets_sheet(self, name: str, placement: Placement) -> GridSheet:
        """Each unit's own plan, on the rows whose rule compares with a target."""
        lang = self.lang
        rows, widths, kinds = self._grid(
            name, say("grid.help_targets", lang), UNIT_WIDTH, placement,
            lambda c, h: T.target_label(c, h, lang, C.TARGET_RULES), lambda kind: ("input", "General"),
            lambda c: "target" if c["rule"] in C.TARGET_RULES else "none")
        rules = (DataRule(self._spans(kinds["target"]), "decimal", say("grid.msg_target", lang),
                          "greaterThan"),) if self.units and "target" in kinds else ()
        return GridSheet(name, tuple(rows), tuple(widths), rules, self._highlight(), "D5",
                         (NAMES_ROW, HEADER_ROW), ("A", "C"))

    def evidence_sheet(self, name: str, placement: Placement) -> GridSheet:
        rows, widths, _ = self._grid(name, say("grid.help_evidence", self.lang), EVIDENCE_WIDTH, placement,
                                     T.evidence_label, lambda kind: ("text_input", "@"))
        return GridSheet(name, tuple(rows), tuple(widths), (), self._highlight(), "D5",
                         (NAMES_ROW, HEADER_ROW), ("A", "C"))

    def ballot_sheet(self, table: RawTable | None) -> tuple[GridSheet, list[Removed], tuple[Changes, Changes]]:
        """The candidates' rows as they are; one member column per unit, votes kept by member."""
        lang = self.lang
        name = table.sheet if table is not None else C.BALLOT_SHEET.name(lang)
        records = table.data.to_dict("records") if table is not None else []
        fields = C.BALLOT_TABLE.fields
        typed = []
        for rec in records:
            key = _ballot_key(rec)
            for member, col in (table.extra.items() if table is not None else []):
                value = rec.get(f"@{member}")
                if value is not None and text(value):
                    typed.append(Typed(name, cell_ref(int(rec["row"]), col), member, key, value))
        keys = [_ballot_key(r) for r in records]
        placement = place(typed, self.units, keys, set(keys))
        header = [c.header(lang) for c in C.BALLOT_TABLE.columns] + self.units
        widths = [c.width for c in C.BALLOT_TABLE.columns] + [UNIT_WIDTH] * len(self.units)
        rows = self._top(name, say("grid.help_ballot", lang), header, widths, None)
        formats = [c.number_format for c in C.BALLOT_TABLE.columns]
        for r, rec in enumerate(records or [{}], start=FIRST_DATA_ROW):
            key = _ballot_key(rec)
            cells = [(k, rec.get(f), ("input", formats[k - 1])) for k, f in enumerate(fields, start=1)]
            cells += [(col, placement.value(u, key) if records else None, ("input", "General"))
                      for col, u in enumerate(self.units, start=BALLOT_FIELDS + 1)]
            rows.append(GridRow(r, tuple(cells)))
        last_row = FIRST_DATA_ROW + max(1, len(records)) - 1
        spare = max(last_row, FIRST_DATA_ROW + SPARE_ROWS)
        last = column_letter(len(header))
        rules = ()
        if self.units:
            rules = (DataRule((f"{column_letter(BALLOT_FIELDS + 1)}{FIRST_DATA_ROW}:{last}{spare}",), "list",
                              say("grid.msg_vote", lang), choices=T.VOTE_LABELS[lang]),)
        table_name = C.BALLOT_TABLE.excel_name
        sheet = GridSheet(name, tuple(rows), tuple(widths), rules, (f"A{FIRST_DATA_ROW}:{last}{spare}",), "A5",
                          (HEADER_ROW, HEADER_ROW), ("A", "B"),
                          GridTable(table_name, f"A{HEADER_ROW}:{last}{last_row}", tuple(header)))
        members = list(table.extra) if table is not None else []
        return sheet, placement.removed, (changes(self.units, members), changes([], []))


def _input_kind(c: dict) -> str:
    """What a leaf row's unit cells take: score, measured, veto, grade:<labels>, free."""
    if c["kind"] == "veto":
        return "veto"
    if c["rule"] == "grade":
        return "grade:" + "\n".join(c["grades"]) if c["grades"] else "free"
    if c["rule"] == "per_occurrence":
        return "free"
    return "measured" if c["rule"] else "score"


def _listable(labels: tuple[str, ...]) -> bool:
    """Excel's in-cell list: no commas in a label, at most 255 characters in all."""
    return bool(labels) and not any("," in x or '"' in x for x in labels) and len(",".join(labels)) <= 255


def _ballot_key(rec: dict) -> str:
    return f"{text(rec.get('unit'))} / {text(rec.get('award'))}"


def _height(texts: list[object], widths: list[float]) -> float | None:
    """Tall enough for wrapped text (an estimate by length, as the template makes)."""
    lines = 1
    for value, width in zip(texts, widths, strict=True):
        if isinstance(value, str):
            lines = max(lines, sum(math.ceil(max(len(p), 1) * CHAR_WIDTH / width) for p in value.split("\n")))
    return LINE_HEIGHT * lines if lines > 1 else None


# --- the kept-data sheet ----------------------------------------------------------------

def removed_sheet(rows: list[Removed], inputs: Inputs, name: str) -> OutputSheet:
    lang, s = inputs.lang, inputs.settings
    spec = C.REMOVED_TABLE
    body = [[r.sheet, r.cell, r.unit, r.key, _kept_value(r.value),
             say(f"removed.reason_{r.reason}", lang) if f"removed.reason_{r.reason}" in TEXTS else r.reason]
            for r in rows]
    title = sheet_title(name, s.cluster_name, s.year, s.period, lang)
    subtitle = say("removed.subtitle", lang)
    return OutputSheet(name, title, subtitle, [c.header(lang) for c in spec.columns], body, spec.excel_name,
                       [c.number_format for c in spec.columns], [c.width for c in spec.columns])


def _kept_value(value: object) -> object:
    """A number, date or text as typed; dates written back as dates."""
    if isinstance(value, (dt.date, int, float, str, bool)) or value is None:
        return value
    return str(value)


# --- the report -------------------------------------------------------------------------


def report_lines(layout: Layout, lang: str) -> list[str]:
    """What changed, sheet by sheet; a code that went while another came is pointed out as a
    possible renaming (its values are in the kept-data sheet, never moved by guesswork)."""
    kept = C.REMOVED_SHEET.name(lang)
    lines = []
    for sheet, (units, rows) in layout.changes.items():
        for what, line, attr in ((units, "column", "unit"), (rows, "row", "key")):
            if said := _added_gone(what, lang, line):
                lines.append(f"{sheet}: {said}")
            if what.may_be_renamed and _kept_from(layout.removed_now, sheet, attr, what.gone):
                lines.append(say(f"layout.renamed_{line}", lang, sheet=sheet, gone=", ".join(what.gone),
                                 added=", ".join(what.added), kept=kept))
    if layout.removed_now:
        lines.append(say("layout.kept", lang, values=counted(len(layout.removed_now), "noun.value", lang), kept=kept))
    return lines or [say("layout.in_step", lang)]


def _kept_from(removed: list[Removed], sheet: str, attr: str, gone: tuple[str, ...]) -> bool:
    """Whether this layout kept values of a gone code of ``sheet`` (its ``attr``, unit or
    row key): only then is there something on the kept-data sheet to copy to a renamed code."""
    keys = {code_key(c) for c in gone}
    return any(r.sheet == sheet and code_key(getattr(r, attr)) in keys for r in removed)


def _added_gone(c: Changes, lang: str, line: str) -> str:
    """'thêm cột DV04, DV05; bỏ cột DV02' / 'columns added: …; columns taken off: …'."""
    parts = [say(f"layout.{change}_{line}", lang, codes=", ".join(codes))
             for change, codes in (("added", c.added), ("gone", c.gone)) if codes]
    return "; ".join(parts)
