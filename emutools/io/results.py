"""Lay out the core's result tables as the Ranking and Issues sheets (plain data, no I/O).

Both the headless writer and the Excel layer write exactly these rows, so a ranking
looks the same whichever way it was recalculated.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from emutools import contract as C
from emutools.core import numbers as N
from emutools.core.engine import Result, rank_number
from emutools.core.history import previous_rows
from emutools.core.issues import SEVERITY_LABELS
from emutools.core.model import RawBook
from emutools.core.numbers import counted, format_number
from emutools.core.ranking import rank_units
from emutools.io.sheetdata import BarChart, OutputSheet, quote_sheet

YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}
DEFERRED = {"vi": "Tạm hoãn", "en": "Deferred"}
CHART_MAX_UNITS = 60  # a bar per unit stops being readable beyond a cluster's size


def period_label(result: Result, lang: str) -> str:
    s = result.inputs.settings
    if s.period == "midyear":
        return f"6 tháng đầu năm {s.year}" if lang == "vi" else f"first half of {s.year}"
    return f"năm {s.year}" if lang == "vi" else f"year {s.year}"


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
            header.append(f"{'Nhóm' if lang == 'vi' else 'Group'} {f}. {result.group_name(f)}")
            formats.append("0.00")
            widths.append(14)
    extra = _rule_values(result, rules, lang)
    rule_fields = [c.field for c in rules]
    rows = []
    for unit, row in _records(result.ranking):
        values = _ranking_values(unit, row, groups, lang) | dict(zip(rule_fields, extra.get(unit, []), strict=True))
        rows.append([values[f] for f in fields])
    s = result.inputs.settings
    title = (f"KẾT QUẢ XẾP HẠNG {period_label(result, lang).upper()} – {s.cluster_name}" if lang == "vi"
             else f"RANKING, {period_label(result, lang).upper()} – {s.cluster_name}")
    subtitle = ("Sheet do emutools ghi, không sửa tay. Điểm tính chính xác đến "
                f"{s.decimals} chữ số thập phân; đơn vị bằng điểm sau các tiêu chí phân định được xếp đồng hạng."
                if lang == "vi" else
                f"Written by emutools; do not edit. Points exact to {s.decimals} decimals; units still "
                "level after the tie-breaks share a rank.")
    chart = None
    if 0 < len(rows) <= CHART_MAX_UNITS:  # below the table, so the sheet prints on one page
        chart = BarChart(title="Tổng điểm" if lang == "vi" else "Total points",
                         category_col=fields.index("name"), value_col=fields.index("total"),
                         anchor_col=1, anchor_row=OutputSheet.HEADER_ROW + len(rows) + 1,
                         width_cols=8, height_rows=max(14, 2 * len(rows) + 4))
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
    yes, no = YES_NO[lang]
    eligible = (DEFERRED[lang] if row["deferred"] else yes) if row["eligible"] else no
    return {
        "ranking_group": row["ranking_group"] or None, "rank": rank, "unit": unit, "name": row["name"],
        "total": _num(row["total"]), **{g: _num(row[g]) for g in groups},
        "bonus": _num(row["bonus"]), "penalty": _num(row["penalty"]), "band": row["band"] or None,
        "band_note": row[f"band_note_{lang}"] or None, "eligible": eligible,
        "reasons": row["reasons_vi" if lang == "vi" else "reasons_en"] or None, "award": award or None,
        "titles": row["titles"] or None, "vote": row["vote"] or None, "flags": int(row["flags"]),
    }


def award_text(row, lang: str) -> str:
    """The proposed award (with its fallback), the award held while deferred, or the tie."""
    vi = lang == "vi"
    if row["held"]:
        return f"Tạm hoãn: {row['held']}" if vi else f"Deferred: {row['held']}"
    award = row["award_name"]
    if award and row["fallback"]:
        return (f"{award} (nếu không được: {row['fallback']})" if vi
                else f"{award} (if not granted: {row['fallback']})")
    if not award and row["tie"]:
        return (f"Đồng hạng, cần bình xét: {row['tie']}" if vi
                else f"Tied, to be decided by vote: {row['tie']}")
    return award


def _records(frame) -> list[tuple[str, dict]]:
    """(index, row as a dict) pairs, built column-wise: to_dict and iterrows are slow at
    10,000 units."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return [(unit, {c: values[k] for c, values in columns.items()})
            for k, unit in enumerate(frame.index)]


def _num(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def issues_sheet(result: Result, lang: str, name: str | None = None) -> OutputSheet:
    spec = C.ISSUES_TABLE
    frame = result.issue_table
    other = "en" if lang == "vi" else "vi"
    rows, links = [], []
    for k, i in enumerate(frame.itertuples(index=False)):
        key = f"{i.sheet}!{i.cell}" if i.sheet and i.cell else ""
        severity = SEVERITY_LABELS[i.severity][0 if lang == "vi" else 1]
        rows.append([severity, i.sheet or None, i.cell or None, i.unit or None, i.criterion or None,
                     getattr(i, f"message_{lang}"), getattr(i, f"message_{other}"), i.code, key or None])
        if key:
            links.append((k, 2, f"{quote_sheet(i.sheet)}!{i.cell}"))
    n_err = int((frame["severity"] == "error").sum()) if len(frame) else 0
    n_warn = int((frame["severity"] == "warning").sum()) if len(frame) else 0
    s = result.inputs.settings
    title = (f"KIỂM TRA SỐ LIỆU – {s.cluster_name} – {period_label(result, lang)}" if lang == "vi"
             else f"INPUT CHECKS – {s.cluster_name} – {period_label(result, lang)}")
    subtitle = (f"{n_err} lỗi, {n_warn} cảnh báo. Bấm vào ô ở cột “Ô” để đến ô cần sửa; ô có vấn đề được tô đỏ."
                if lang == "vi" else
                f"{counted(n_err, lang, '', 'error')}, {counted(n_warn, lang, '', 'warning')}. Click a cell in the 'Cell' column to go to it; "
                "flagged cells are shaded red.")
    return OutputSheet(name or C.ISSUES_SHEET.name(lang), title, subtitle,
                       [c.header(lang) for c in spec.columns], rows, spec.excel_name,
                       [c.number_format for c in spec.columns], [c.width for c in spec.columns],
                       links=links)


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
        lines.append(f"“{item.sheet}” lệch {deviation} điểm/ô so với các bảng chấm khác ({item.cells} ô)."
                     if lang == "vi" else
                     f"'{item.sheet}' deviates {deviation} points per cell from the others ({item.cells} cells).")
    if changes:
        up, down = sum(c > 0 for c in changes.values()), sum(c < 0 for c in changes.values())
        lines.append(f"So với kỳ trước: {up} đơn vị tăng điểm, {down} đơn vị giảm điểm." if lang == "vi"
                     else f"Against the previous period: {counted(up, lang, '', 'unit')} gained points, "
                     f"{down} lost points.")
    if raw:
        lines.append("Điểm chấm chéo đã được chuẩn hóa theo từng người chấm; hai cột cuối là hạng, tổng "
                     "khi chưa chuẩn hóa." if lang == "vi" else
                     "Cross-scores are normalised per assessor; the last two columns are the rank and "
                     "total without normalisation.")
    s = result.inputs.settings
    title = (f"CÔNG BẰNG, ỔN ĐỊNH CỦA KẾT QUẢ – {s.cluster_name} – {period_label(result, lang)}"
             if lang == "vi" else f"FAIRNESS AND STABILITY – {s.cluster_name} – {period_label(result, lang)}")
    subtitle = " ".join(lines) or ("Sheet do emutools ghi, không sửa tay." if lang == "vi"
                                   else "Written by emutools; do not edit.")
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
        wanted.append(("gap", "Tự chấm cao hơn thẩm định" if lang == "vi" else "Self minus verified"))
    if any(row[fields.index("change")] is not None for row in rows):
        wanted.append(("change", "Tăng, giảm so với kỳ trước" if lang == "vi" else "Change on the previous period"))
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
    s = result.inputs.settings
    title = (f"LỊCH SỬ TÍNH ĐIỂM – {s.cluster_name}" if lang == "vi"
             else f"RECALCULATION HISTORY – {s.cluster_name}")
    subtitle = ("Mỗi lần xếp hạng thêm một dòng. Cùng mã số liệu đầu vào thì cùng kết quả."
                if lang == "vi" else "One row per recalculation. The same input fingerprint gives the same result.")
    return OutputSheet(name or C.HISTORY_SHEET.name(lang), title, subtitle,
                       [c.header(lang) for c in spec.columns],
                       [[r.get(f) for f in spec.fields] for r in rows], spec.excel_name,
                       [c.number_format for c in spec.columns], [c.width for c in spec.columns])


def output_sheets(result: Result, raw: RawBook, when: dt.datetime) -> list[OutputSheet]:
    """The result sheets, reusing the names they already have in the workbook."""
    lang, names = result.inputs.lang, raw.sheet_names
    sheets = [make(result, lang, C.find_sheet(names, spec)) for spec, make in (
        (C.RANKING_SHEET, ranking_sheet), (C.ISSUES_SHEET, issues_sheet),
        (C.FAIRNESS_SHEET, fairness_sheet))]
    return [*sheets, history_sheet(result, raw, when, lang, C.find_sheet(names, C.HISTORY_SHEET))]
