"""Lay out the core's result tables as the result sheets (plain data, no I/O).

Both the headless writer and the Excel layer write exactly these rows, so a ranking
looks the same whichever way it was recalculated.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pandas as pd

from emutools import contract as C
from emutools.core import numbers as N
from emutools.core.engine import Result, rank_number
from emutools.core.flags import Flags
from emutools.core.history import previous_rows
from emutools.core.issues import SEVERITY_LABELS
from emutools.core.model import RawBook
from emutools.core.numbers import format_number
from emutools.core.ranking import rank_units
from emutools.io.changes import InputChanges, changes_sheet, input_changes
from emutools.io.sheetdata import BarChart, OutputSheet, quote_sheet
from emutools.io.snapshot import snapshot_sheet
from emutools.texts import LANGS, counted, known, say, sheet_title
from emutools.texts import column as lang_column

CHART_MAX_UNITS = 60  # a bar per unit stops being readable beyond a cluster's size


def period_label(result: Result, lang: str) -> str:
    s = result.inputs.settings
    return say("period.midyear" if s.period == "midyear" else "period.year", lang, year=s.year)


def result_title(key: str, result: Result, lang: str) -> str:
    """The title of a sheet about ``result``: its heading, the cluster, the period and year."""
    s = result.inputs.settings
    return sheet_title(say(key, lang), s.cluster_name, s.year, s.period, lang)


def ranking_sheet(result: Result, lang: str, name: str | None = None) -> OutputSheet:
    spec = C.RANKING_TABLE
    rules = _rule_columns(result)
    cols = {c.field: c for c in (*spec.columns, *rules)}
    groups = result.groups
    decisions = _decision_columns(result)
    shown = {c.field for c in decisions}
    fields = [*(["ranking_group"] if "ranking_group" in shown else []), "rank", "unit", "name", "total", *groups,
              "bonus", "penalty", *(c.field for c in rules), "band",
              *(["band_note"] if "band_note" in shown else []), "eligible", "reasons", "award",
              *(["titles"] if "titles" in shown else []), "vote", "flags"]
    cols |= {c.field: c for c in decisions}
    header, formats, widths = [], [], []
    for f in fields:
        if f in cols:
            header.append(cols[f].header(lang))
            formats.append(cols[f].number_format)
            widths.append(cols[f].width)
        else:
            header.append(say("ranking.group_header", lang, code=f, name=result.group_name(f)))
            formats.append("0.00")
            widths.append(14)
    extra = _rule_values(result, rules, lang)
    rule_fields = [c.field for c in rules]
    rows = []
    for unit, row in _records(result.ranking):
        values = _ranking_values(unit, row, groups, lang) | dict(zip(rule_fields, extra.get(unit, []), strict=True))
        rows.append([values[f] for f in fields])
    s = result.inputs.settings
    title = result_title("ranking.title", result, lang)
    subtitle = say("ranking.subtitle", lang, decimals=s.decimals)
    chart = None
    if 0 < len(rows) <= CHART_MAX_UNITS:  # below the table, so the sheet prints on one page
        chart = BarChart(title=say("ranking.chart", lang),
                         category_col=fields.index("name"), value_col=fields.index("total"),
                         anchor_col=1, anchor_row=OutputSheet.HEADER_ROW + len(rows) + 1,
                         width_cols=8, height_rows=max(14, 2 * len(rows) + 4),
                         axis_max=_axis_max(result))
    return OutputSheet(name or C.RANKING_SHEET.name(lang), title, subtitle, header, rows,
                       spec.excel_name, formats, widths, charts=(chart,) if chart else ())


def _rule_columns(result: Result) -> tuple[C.Column, ...]:
    """The Ranking columns of the scoring rules a workbook uses (none for an older one):
    points over caps when a cap is declared, the applicable maximum and the criteria left
    out when some criterion does not apply to some unit."""
    scores = result.scores
    if scores is None:
        return ()
    columns = []
    crit, settings = result.inputs.criteria, result.inputs.settings
    declared = any(getattr(settings, k) is not None for k in ("overflow_cap", "bonus_cap", "penalty_cap")) \
        or crit["cap"].notna().any() or ((crit["rule"] == "per_occurrence") & (crit["max"] > 0)).any()
    if declared:
        columns.append(C.RANKING_CAPPED)
    if any(scores.totals["not_applicable"]):
        columns += [C.RANKING_APPLICABLE_MAX, C.RANKING_NOT_APPLICABLE]
    return tuple(columns)


def _decision_columns(result: Result) -> tuple[C.Column, ...]:
    """The Ranking columns of the decision rules a workbook uses (none for an older one): the
    ranking group when the Units sheet has several, why a lower classification when bands set
    floors, standards-based titles when the awards table has one."""
    inputs = result.inputs
    columns = []
    if len(inputs.ranking_groups) > 1:
        columns.append(C.RANKING_GROUP)
    if inputs.band_floors:
        columns.append(C.RANKING_BAND_NOTE)
    if any(a.standard for a in inputs.awards):
        columns.append(C.RANKING_TITLES)
    return tuple(columns)


def _rule_values(result: Result, columns: tuple[C.Column, ...], lang: str) -> dict[str, list[object]]:
    if not columns:
        return {}
    totals, decimals = result.scores.totals, result.inputs.settings.decimals
    values = {}
    for unit in totals.index:
        row = []
        for column in columns:
            value = totals.at[unit, column.field]
            if column.field == "not_applicable":
                row.append("; ".join(value) or None)
            else:
                row.append(_num(N.decimal_of(int(value), decimals)))
        values[unit] = row
    return values


def _ranking_values(unit: str, row: dict, groups: list[str], lang: str) -> dict[str, object]:
    """One Ranking row by field (group columns by group code)."""
    rank = rank_number(row["rank"])
    award = award_text(row, lang)
    yes, no = say("word.yes", lang), say("word.no", lang)
    eligible = (say("ranking.deferred", lang) if row["deferred"] else yes) if row["eligible"] else no
    lang = known(lang)
    return {
        "ranking_group": row["ranking_group"] or None, "rank": rank, "unit": unit, "name": row["name"],
        "total": _num(row["total"]), **{g: _num(row[g]) for g in groups},
        "bonus": _num(row["bonus"]), "penalty": _num(row["penalty"]), "band": row["band"] or None,
        "band_note": row[f"band_note_{lang}"] or None, "eligible": eligible,
        "reasons": row[f"reasons_{lang}"] or None, "award": award or None,
        "titles": row["titles"] or None, "vote": row["vote"] or None, "flags": int(row["flags"]),
    }


def award_text(row, lang: str) -> str:
    """The proposed award (with its fallback), the award held while deferred, or the tie."""
    if row["held"]:
        return say("award.held", lang, award=row["held"])
    award = row["award_name"]
    if award and row["fallback"]:
        return say("award.with_fallback", lang, award=award, fallback=row["fallback"])
    if not award and row["tie"]:
        return say("award.tied", lang, award=row["tie"])
    return award


def _records(frame) -> list[tuple[str, dict]]:
    """(index, row as a dict) pairs, built column-wise: to_dict and iterrows are slow at
    10,000 units."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return [(unit, {c: values[k] for c, values in columns.items()})
            for k, unit in enumerate(frame.index)]


def _num(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def issues_sheet(result: Result, lang: str, name: str | None = None, book: str = "") -> OutputSheet:
    """Every error, then the warnings and notes in table order up to the ``issues_shown``
    setting; past it, one row per unit and check with the count, the first cell and its
    message (a flag-heavy national workbook has hundreds of thousands of warnings, which
    no one reads row by row and Excel lays out slowly).  The complete list goes to the CSV
    file beside the workbook (``full_issues_name``)."""
    spec = C.ISSUES_TABLE
    lang = known(lang)
    other = next(code for code in LANGS if code != lang)  # the second message column
    ordered = result.ordered_issues
    n_err, n_warn = len(result.errors), len(result.warnings)
    limit = n_err + issues_limit(result)  # errors come first in table order
    rows = _issue_rows(ordered if len(ordered) <= limit else ordered.take(slice(0, limit)), lang, other)
    firsts, counts = ordered.take(slice(limit, None)).firsts() if len(ordered) > limit else (None, [])
    for row, count in zip(_issue_rows(firsts, lang, other) if counts else [], counts, strict=True):
        row[5] = say("issues.grouped", lang, count=count, message=row[5])
        row[6] = say("issues.grouped", other, count=count, message=row[6])
        rows.append(row)
    links = [(k, 2, f"{quote_sheet(row[1])}!{row[2]}") for k, row in enumerate(rows) if row[8]]
    title = result_title("issues.title", result, lang)
    subtitle = say("issues.subtitle", lang, errors=counted(n_err, "noun.error", lang),
                   warnings=counted(n_warn, "noun.warning", lang))
    if counts:
        subtitle += " " + say("issues.bounded", lang, shown=limit - n_err, total=len(ordered) - n_err,
                              file=full_issues_name(book, lang))
    return OutputSheet(name or C.ISSUES_SHEET.name(lang), title, subtitle,
                       [c.header(lang) for c in spec.columns], rows, spec.excel_name,
                       [c.number_format for c in spec.columns], [c.width for c in spec.columns],
                       links=links, secondary=frozenset(spec.fields.index(f) for f in SECONDARY_ISSUE_FIELDS))


# After the message in the workbook's language: the other language and the check code, kept
# for reference (support, scripts) but narrower and in grey, so the secretary reads one text.
SECONDARY_ISSUE_FIELDS = ("message_other", "code")


def _axis_max(result: Result) -> float | None:
    """Where the totals chart's axis ends: the criteria's maximum total (a unit with bonus
    points above it widens the axis to its total), so bars read against the full scale."""
    if result.scores is None or not len(result.scores.totals):
        return None
    decimals = result.inputs.settings.decimals
    top = float(N.decimal_of(int(result.scores.totals["applicable_max"].max()), decimals))
    best = max((float(t) for t in result.ranking["total"] if t is not None and not pd.isna(t)), default=0.0)
    return float(max(top, math.ceil(best))) or None


def issues_limit(result: Result) -> int:
    """How many warnings and notes the Issues sheet lists one by one (a setting)."""
    return max(0, int(result.inputs.settings.issues_shown))


def issues_bounded(result: Result) -> bool:
    """True when the Issues sheet cannot list every flag, so the complete list is written
    beside the workbook."""
    return len(result.issues) - len(result.errors) > issues_limit(result)


def full_issues_name(stem: str, lang: str) -> str:
    """``Cụm 1 - Kiểm tra đầy đủ.csv``: the complete list of flags beside workbook ``stem``."""
    suffix = say("issues.full_file", lang)
    return f"{stem} - {suffix}.csv" if stem else f"{suffix}.csv"


def issue_columns(result: Result, lang: str, blank: object = None) -> Iterator[list[list[object]]]:
    """Every flag in the Issues sheet's columns (the header first), a chunk of flags at a
    time, column by column (the CSV file is written column-wise); ``blank`` for an empty
    field (the sheet's None, or the CSV's "")."""
    spec = C.ISSUES_TABLE
    lang = known(lang)
    other = next(code for code in LANGS if code != lang)
    yield [[c.header(lang)] for c in spec.columns]
    for chunk in result.ordered_issues.columns((lang, other)):
        yield _columns(chunk, lang, other, blank)


def _issue_rows(flags: Flags, lang: str, other: str) -> list[list[object]]:
    return [list(row) for chunk in flags.columns((lang, other)) for row in zip(*_columns(chunk, lang, other), strict=True)]


def _columns(chunk: dict[str, np.ndarray], lang: str, other: str, blank: object = None) -> list[list[object]]:
    """Flags given column-wise (``Flags.columns``) in the Issues sheet's columns, ``blank``
    where a field is empty; the last one keys the red highlight."""
    labels = {severity: pair[lang_column(lang)] for severity, pair in SEVERITY_LABELS.items()}
    keys = [f"{s}!{c}" if s and c else blank for s, c in zip(chunk["sheet"], chunk["cell"], strict=True)]
    texts = (chunk[f].tolist() for f in ("sheet", "cell", "unit", "criterion"))
    return [[labels[s] for s in chunk["severity"]], *(texts if blank == "" else ([v or blank for v in t] for t in texts)),
            chunk[f"message_{lang}"].tolist(), chunk[f"message_{other}"].tolist(), chunk["code"].tolist(), keys]


def fairness_sheet(result: Result, lang: str, name: str | None = None) -> OutputSheet:
    """Inflation per unit (with last period's totals when known); stability and leniency
    in plain words in the subtitle, for the minutes."""
    spec = C.FAIRNESS_TABLE
    fair = result.fairness
    raw = _without_normalising(result)
    columns = (*spec.columns, *((C.FAIRNESS_RAW_RANK, C.FAIRNESS_RAW_TOTAL) if raw else ()))
    rows = []
    inflation = dict(_records(fair.inflation))
    previous, changes = fair.previous.to_dict(), result.changes.to_dict()
    for unit, row in _records(result.ranking[["rank", "name", "total"]]):
        own, ver, gap = (inflation[unit][k] if unit in inflation else None
                         for k in ("self", "verified", "gap"))
        before, change = previous.get(unit), changes.get(unit)
        rank = rank_number(row["rank"])
        rows.append([rank, unit, row["name"], *(_num(v) if v is not None else None
                                                for v in (gap, own, ver, before, change)),
                     *raw.get(unit, [])])
    lines = []
    if fair.stability is not None:
        lines.append(fair.stability.sentence(lang))
    for item in fair.leniency.itertuples(index=False):
        deviation = format_number(item.deviation, lang)
        lines.append(say("fairness.leniency", lang, sheet=item.sheet, deviation=deviation, cells=item.cells))
    if changes:
        up, down = sum(c > 0 for c in changes.values()), sum(c < 0 for c in changes.values())
        lines.append(say("fairness.changes", lang, up=counted(up, "noun.unit", lang), down=down))
    if raw:
        lines.append(say("fairness.normalised", lang))
    title = result_title("fairness.title", result, lang)
    subtitle = " ".join(lines) or say("sheet.written_by", lang)
    return OutputSheet(name or C.FAIRNESS_SHEET.name(lang), title, subtitle,
                       [c.header(lang) for c in columns], rows, spec.excel_name,
                       [c.number_format for c in columns], [c.width for c in columns],
                       charts=_fairness_charts(rows, lang, bool(len(fair.inflation))))


def _without_normalising(result: Result) -> dict[str, list[object]]:
    """Per unit, [rank, total] had cross-scores not been normalised (empty when they are not)."""
    raw = result.scores.raw_totals if result.scores is not None else None
    if raw is None:
        return {}
    ranks = rank_units(raw, result.inputs)
    decimals = result.inputs.settings.decimals
    return {unit: [rank_number(ranks[unit]), _num(N.decimal_of(int(raw.at[unit, "total"]), decimals))]
            for unit in raw.index}


def _fairness_charts(rows: list[list[object]], lang: str, inflation: bool) -> tuple[BarChart, ...]:
    """Below the table, one under the other: self minus verified per unit, then the change
    on the previous period (when the workbook has last period's totals)."""
    if not 0 < len(rows) <= CHART_MAX_UNITS:
        return ()
    fields = C.FAIRNESS_TABLE.fields
    wanted = []
    if inflation:
        wanted.append(("gap", say("fairness.chart_gap", lang)))
    if any(row[fields.index("change")] is not None for row in rows):
        wanted.append(("change", say("fairness.chart_change", lang)))
    height = max(14, 2 * len(rows) + 4)
    top = OutputSheet.HEADER_ROW + len(rows) + 1
    return tuple(BarChart(title=title, category_col=fields.index("name"), value_col=fields.index(field),
                          anchor_col=1, anchor_row=top + k * (height + 1), width_cols=8, height_rows=height)
                 for k, (field, title) in enumerate(wanted))


def history_sheet(result: Result, raw: RawBook, when: dt.datetime, lang: str,
                  name: str | None = None) -> OutputSheet:
    """The rows already there, plus this recalculation."""
    spec = C.HISTORY_TABLE
    rows = [*previous_rows(raw), result.history.row(when)]
    title = result_title("history.title", result, lang)
    subtitle = say("history.subtitle", lang)
    return OutputSheet(name or C.HISTORY_SHEET.name(lang), title, subtitle,
                       [c.header(lang) for c in spec.columns],
                       [[r.get(f) for f in spec.fields] for r in rows], spec.excel_name,
                       [c.number_format for c in spec.columns], [c.width for c in spec.columns])


def output_sheets(result: Result, raw: RawBook, when: dt.datetime, book: str = "",
                  changes: InputChanges | None = None) -> list[OutputSheet]:
    """The result sheets, reusing the names they already have in the workbook ``book``
    (its name without extension, which names the complete lists beside it): Ranking,
    Issues, Fairness, History, then Changes and the hidden input snapshot — ``changes``
    when the caller already compared the inputs (it writes the complete list beside)."""
    lang, names = result.inputs.lang, raw.sheet_names
    changes = changes or input_changes(raw, when)
    return [ranking_sheet(result, lang, C.find_sheet(names, C.RANKING_SHEET)),
            issues_sheet(result, lang, C.find_sheet(names, C.ISSUES_SHEET), book),
            fairness_sheet(result, lang, C.find_sheet(names, C.FAIRNESS_SHEET)),
            history_sheet(result, raw, when, lang, C.find_sheet(names, C.HISTORY_SHEET)),
            changes_sheet(changes, result_title("changes.title", result, lang), issues_limit(result), lang,
                          C.find_sheet(names, C.CHANGES_SHEET), book),
            snapshot_sheet(changes.snapshot, lang, C.find_sheet(names, C.SNAPSHOT_SHEET))]
