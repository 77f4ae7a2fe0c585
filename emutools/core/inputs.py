"""Typing the raw tables: settings, assessments, bands, awards, units, criteria.

Every value that cannot be used is flagged at its cell and replaced by a documented
default, so one typo never stops the whole recalculation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pandas as pd

from emutools import contract as C
from emutools.core import numbers as N
from emutools.core.codes import code_key, spelling
from emutools.core.issues import Issue, issue
from emutools.core.model import (
    Assessment,
    Award,
    Band,
    BandFloor,
    Candidate,
    Condition,
    Grid,
    Inputs,
    RawBook,
    RawTable,
    Settings,
    cell_ref,
)
from emutools.core.numbers import WEIGHT_DECIMALS, parse_text_number, scaled_of


def text(value: object) -> str:
    """A cell value as trimmed text; numbers typed into code cells lose a trailing '.0'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def yes_no(value: object) -> bool | None:
    """'Có'/'x'/'✓'/'Yes'/True -> True, 'Không'/'✗'/blank/'No' -> False, anything else None.

    Check marks fold to nothing under :func:`contract.normalize`, so they are matched as
    typed, and only a truly blank cell is No: a blank once matched "✓" and read as Yes.
    """
    if isinstance(value, bool):
        return value
    typed = text(value)
    if not typed:
        return False
    if typed in C.YES_MARKS:
        return True
    if typed in C.NO_MARKS:
        return False
    key = C.normalize(typed)
    if key in C.YES:
        return True
    if key in C.NO:
        return False
    return None


def under_review_note(value: object) -> str:
    """The Units sheet's "under discipline or investigation" cell: what is typed there, or ""
    when it says No.  The column sits beside "Agreement signed" and invites Có/Không, so a
    "Không" must not put the unit under review."""
    return "" if yes_no(value) is False else text(value)


def number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return parse_text_number(str(value))


def parse_inputs(raw: RawBook) -> tuple[Inputs, list[Issue]]:
    issues: list[Issue] = list(raw.problems)
    settings = _settings(raw.tables.get("settings"), issues)
    units = _units(raw.tables.get("units"), issues)
    targeted = frozenset(map(code_key, raw.targets.criteria["criterion"])) if raw.targets is not None \
        else frozenset()
    criteria = _criteria(raw.tables.get("criteria"), settings, targeted, issues)
    inputs = Inputs(
        lang=raw.lang,
        settings=settings,
        assessments=_assessments(raw, issues),
        bands=_bands(raw.tables.get("bands"), settings.decimals, issues),
        awards=_awards(raw.tables.get("awards"), issues),
        units=units,
        criteria=criteria,
        grids={g.sheet: _as_listed(g, units, criteria) for g in raw.grids.values()},  # by actual name
        evidence=_as_listed(raw.evidence, units, criteria),
        tables=raw.tables,
        sheet_names=list(raw.sheet_names),
        previous=_previous(raw.tables.get("previous"), units, issues),
        targets=_as_listed(raw.targets, units, criteria),
    )
    inputs.assessments = _scopes(inputs, raw, issues)
    inputs.ballot = _ballot(raw.tables.get("ballot"), inputs, issues)
    inputs.band_floors = _band_floors(raw.tables.get("bands"), issues)
    _check_settings_units(inputs, issues)
    _check_decision_links(inputs, issues)
    return inputs, issues


def _as_listed(grid: Grid | None, units: pd.DataFrame, criteria: pd.DataFrame) -> Grid | None:
    """The grid with each unit header and criterion code spelled as the Units and Criteria
    sheets spell it (``stc`` or an NFD "SỞ" find their unit); unknown codes stay as typed."""
    if grid is None:
        return None
    unit_of, criterion_of = spelling(units.index), spelling(criteria.index)
    return dataclasses.replace(
        grid,
        units=grid.units.assign(unit=[unit_of.get(code_key(u), u) for u in grid.units["unit"]]),
        criteria=grid.criteria.assign(criterion=[criterion_of.get(code_key(c), c)
                                                 for c in grid.criteria["criterion"]]))


def _ballot(table: RawTable | None, inputs: Inputs, issues: list[Issue]) -> list[Candidate]:
    """Ballot rows: totals when any total is given, else the member columns."""
    if table is None or table.data.empty:
        return []
    awards = {C.normalize(a.code): a.code for a in inputs.awards}
    unit_of = spelling(inputs.units.index)
    members = {unit_of[code_key(h)]: h for h in table.extra if code_key(h) in unit_of}
    candidates = []
    for rec in table.data.to_dict("records"):
        award, row = text(rec.get("award")), int(rec["row"])
        unit = unit_of.get(code_key(text(rec.get("unit"))), text(rec.get("unit")))
        if unit not in inputs.units.index:
            issues.append(issue("ballot_unknown_unit", table.sheet, table.cell("unit", row), unit=unit))
            continue
        if C.normalize(award) not in awards:
            issues.append(issue("ballot_unknown_award", table.sheet, table.cell("award", row), value=award))
            continue
        totals = _vote_totals(rec, table, row, issues)
        if totals is _INVALID:
            continue
        votes = tuple((m, rec.get(f"@{header}")) for m, header in members.items())
        candidates.append(Candidate(unit, awards[C.normalize(award)], totals, votes, row))
    return candidates


def _vote_totals(rec: dict, table: RawTable, row: int, issues: list[Issue]):
    raw = [rec.get(f) for f in ("votes_for", "against", "abstain")]
    if all(text(v) == "" for v in raw):
        return None
    counts = []
    for field_name, value in zip(("votes_for", "against", "abstain"), raw, strict=True):
        n = number(value) if text(value) else 0.0
        if n is None or n < 0 or not float(n).is_integer():
            issues.append(issue("ballot_count_invalid", table.sheet, table.cell(field_name, row),
                                value=text(value)))
            return _INVALID
        counts.append(int(n))
    return tuple(counts)


def _previous(table: RawTable | None, units: pd.DataFrame, issues: list[Issue]) -> pd.Series:
    """Last period's total per unit, spelled as the Units sheet spells it (a later row for
    the same unit wins); a total that is not a number is flagged and that unit left out of
    the comparison."""
    if table is None:
        return pd.Series(dtype=object)
    unit_of = spelling(units.index)
    totals: dict[str, float | None] = {}
    for rec in table.data.to_dict("records"):
        unit, value = unit_of.get(code_key(text(rec.get("unit"))), text(rec.get("unit"))), rec.get("total")
        totals[unit] = number(value)
        if unit and totals[unit] is None and text(value):
            issues.append(issue("previous_total_invalid", table.sheet, table.cell("total", rec["row"]),
                                unit_code=unit, value=text(value)))
    return pd.Series({u: Decimal(repr(v)) for u, v in totals.items() if u and v is not None},
                     dtype=object)


# --- settings ---------------------------------------------------------------------------


def _settings(table: RawTable | None, issues: list[Issue]) -> Settings:
    settings = Settings(**{s.key: s.default for s in C.SETTINGS
                           if s.key not in ("tie_break", "rotation")})
    settings.tie_break = _tie_break_tokens(str(C.SETTING_BY_KEY["tie_break"].default))
    settings.rotation = []
    settings.gap_threshold = Decimal(C.SETTING_BY_KEY["gap_threshold"].default)
    settings.vote_threshold = Decimal(C.SETTING_BY_KEY["vote_threshold"].default)
    if table is None:
        return settings
    by_label = {}
    for s in C.SETTINGS:
        by_label[C.normalize(s.vi)] = s
        by_label[C.normalize(s.en)] = s
    for rec in table.data.itertuples(index=False):
        spec = by_label.get(C.normalize(text(rec.label)))
        if spec is None:
            continue
        cell = table.cell("value", rec.row)
        settings.cells[spec.key] = cell
        value = _setting_value(spec, rec.value)
        if value is _INVALID:
            issues.append(issue("setting_invalid", table.sheet, cell, setting=(spec.vi, spec.en),
                                value=text(rec.value), hint=_HINTS[spec.kind], default=_default_shown(spec)))
            continue
        if value is None:
            continue
        if spec.key == "grades" and value and grade_scale(value) is None:
            issues.append(issue("setting_invalid", table.sheet, cell, setting=(spec.vi, spec.en),
                                value=value, hint=_GRADES_HINT, default=spec.default))
            continue
        if spec.key == "tie_break":
            value = _tie_break_tokens(value)
        elif spec.key == "rotation":
            value = [p.strip() for p in re.split(r"[;,\n]+", value) if p.strip()]
        setattr(settings, spec.key, value)
    return settings


_INVALID = object()
MAX_WEIGHT = 1000  # a weight beyond this is a typo; it also keeps products inside 64-bit integers
_HINTS = {  # (vi, en): each message shows the hint in its own language
    "int": ("cần một số nguyên", "a whole number is needed"),
    "number": ("cần một số", "a number is needed"),
    "date": ("cần một ngày", "a date is needed"),
    "choice": ("chọn một giá trị trong danh sách", "pick a value from the list"),
    "text": ("", ""),
    "unit": ("", ""),
}



_GRADES_HINT = ("dạng “A = 100; B = 80; C = 50”, mỗi mức một tỷ lệ % từ 0 đến 100",
                "the form 'A = 100; B = 80; C = 50', each grade a share from 0 to 100 %")


def grade_scale(value: str) -> dict[str, tuple[str, int]] | None:
    """'Tốt = 100; Khá = 80' -> {'tot': ('Tốt', 10000), 'kha': ('Khá', 8000)}: each grade,
    folded (any case, with or without diacritics), to its label and its share of the points
    in hundredths of a percent; None when the text is not such a list.  A blank scale is
    the default one."""
    scale = {}
    for part in re.split(r"[;\n]+", value or C.DEFAULT_GRADES):
        if not part.strip():
            continue
        bits = re.split(r"\s*(?:=|:|→|->)\s*", part.strip())
        share = scaled_of(bits[1].rstrip("% "), 2) if len(bits) == 2 else None
        key = C.normalize(bits[0])
        if share is None or not key or not 0 <= share <= 10_000 or key in scale:
            return None
        scale[key] = (bits[0].strip(), share)
    return scale or None


def _default_shown(spec: C.Setting) -> object:
    """A setting's default as a flag shows it: a blank default (no cap) in words."""
    return spec.default if spec.default is not None else ("để trống", "blank")


def _setting_value(spec: C.Setting, value: object) -> object:
    """A blank text setting is blank on purpose (e.g. no tie-break); other blanks keep the default."""
    if spec.kind in ("text", "unit"):
        return text(value)
    if text(value) == "":
        return None
    if spec.kind == "int":
        n = number(value)
        top = N.MAX_DECIMALS if spec.key == "decimals" else 10_000
        return int(n) if n is not None and n.is_integer() and 0 <= n <= top else _INVALID
    if spec.kind == "number":
        n = number(value)
        return Decimal(repr(n)) if n is not None and 0 <= n <= N.MAX_ABS else _INVALID
    if spec.kind == "date":
        return _date(value)
    if spec.kind == "choice":
        token = C.choice_token(value, C.SETTING_CHOICES[spec.key])
        return token if token else _INVALID
    raise ValueError(spec.kind)


def _date(value: object) -> dt.date | object:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value < 100_000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))  # Excel serial date
    m = re.match(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$", str(value))
    if m:
        day, month, year = map(int, m.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return _INVALID
    return _INVALID


def _label(key: str) -> tuple[str, str]:
    """A setting's label in both languages, for flags."""
    spec = C.SETTING_BY_KEY[key]
    return spec.vi, spec.en


def _tie_break_tokens(value: str) -> list[str]:
    """'1; 2; điểm trừ' -> ['1', '2', 'penalty'] (unknown words are checked later)."""
    tokens = []
    for part in re.split(r"[;,\n]+", str(value)):
        part = part.strip()
        if not part:
            continue
        kind = C.choice_token(part, {"penalty": C.CRITERION_KINDS["penalty"],
                                     "bonus": C.CRITERION_KINDS["bonus"]})
        tokens.append(kind or re.sub(r"^(nhóm|nhom|group)\s*", "", part, flags=re.I))
    return tokens


def _assessments(raw: RawBook, issues: list[Issue]) -> list[Assessment]:
    table = raw.tables.get("assessments")
    if table is None:
        return []
    result = []
    for rec in table.data.itertuples(index=False):
        sheet = text(rec.sheet)
        if not sheet:
            continue
        role = C.choice_token(rec.role, C.ASSESSMENT_ROLES)
        if role is None:
            issues.append(issue("assessment_role_unknown", table.sheet, table.cell("role", rec.row),
                                value=text(rec.role)))
            continue
        if sheet not in raw.grids:
            issues.append(issue("assessment_sheet_missing", table.sheet,
                                table.cell("sheet", rec.row), listed=sheet))
            continue
        assessor = text(getattr(rec, "assessor", ""))
        sheet = raw.grids[sheet].sheet  # as the tab is named: "tự chấm" listed as "Tự chấm"
        result.append(Assessment(sheet, role, assessor, scope_text=text(getattr(rec, "scope", "")),
                                 row=int(rec.row)))
    return result


def _scopes(inputs: Inputs, raw: RawBook, issues: list[Issue]) -> list[Assessment]:
    """'I; II' or '3; 4.1' -> the leaf criteria under those codes; unknown codes are flagged."""
    crit = inputs.criteria
    table = raw.tables.get("assessments")
    leaves = [c for c in crit.index if crit.at[c, "is_leaf"]] if len(crit) else []
    resolved = []
    for a in inputs.assessments:
        codes: set[str] = set()
        for part in (p.strip() for p in re.split(r"[;,\n]+", a.scope_text)):
            if not part:
                continue
            code = code_key(re.sub(r"^(nhóm|nhom|group)\s*", "", part, flags=re.I))
            under = [leaf for leaf in leaves if code_key(leaf) == code or code_key(leaf).startswith(code + ".")]
            if not under:
                issues.append(issue("assessment_scope_unknown", table.sheet, table.cell("scope", a.row),
                                    listed=a.sheet, value=part))
            codes.update(under)
        resolved.append(Assessment(a.sheet, a.role, a.assessor, frozenset(codes), a.scope_text, a.row))
    return resolved


def _bands(table: RawTable | None, decimals: int, issues: list[Issue]) -> list[tuple[str, int]]:
    if table is None:
        return []
    bands = []
    for rec in table.data.itertuples(index=False):
        label = text(rec.band)
        if not label:
            continue
        minimum = scaled_of(rec.min_total, decimals)
        if minimum is None:
            issues.append(issue("band_invalid", table.sheet, table.cell("min_total", rec.row),
                                band=label, value=text(rec.min_total)))
            continue
        bands.append((label, minimum))
    return sorted(bands, key=lambda b: -b[1])


def _awards(table: RawTable | None, issues: list[Issue]) -> list[Award]:
    if table is None:
        return []
    awards = []
    first_row: dict[str, int] = {}  # code key -> row: "cp" repeats "CP"
    get = _getter(table)
    for rec in table.data.itertuples(index=False):
        code, name = text(get(rec, "code")), text(get(rec, "name"))
        if not code and not name:
            continue
        key = code_key(code or name)
        if key in first_row:
            issues.append(issue("award_invalid", table.sheet, table.cell("code", rec.row) or table.cell("name", rec.row),
                                award=name or code, hint=(f"mã “{code or name}” trùng với dòng {first_row[key]}",
                                                          f"code '{code or name}' repeats row {first_row[key]}")))
            continue
        first_row[key] = int(rec.row)
        rule = C.choice_token(get(rec, "rule"), C.AWARD_RULES)
        if rule is None:
            issues.append(issue("award_invalid", table.sheet, table.cell("rule", rec.row),
                                award=name or code, hint=("cách chọn không hợp lệ", "unknown selection rule")))
            continue
        quota = number(get(rec, "quota"))
        if quota is None:
            quota = 1.0 if rule == "leader" else 0.0 if rule == "standard" else None
        if quota is None or quota < 0:
            issues.append(issue("award_invalid", table.sheet, table.cell("quota", rec.row),
                                award=name or code, hint=("số lượng hoặc tỷ lệ không hợp lệ", "invalid count or share")))
            continue
        awards.append(Award(
            code=code or name, name=name or code, rule=rule, quota=Decimal(repr(quota)),
            min_band=text(get(rec, "min_band")) or None,
            needs_registration=bool(yes_no(get(rec, "needs_registration"))),
            needs_agreement=bool(yes_no(get(rec, "needs_agreement"))),
            basis=text(get(rec, "basis")), row=int(rec.row),
            vote_threshold=_percent(get(rec, "vote_threshold")),
            **_award_conditions(table, rec, get, name or code, issues),
        ))
    return awards


ATTRIBUTE_DECIMALS = 6  # Units-sheet numbers (award conditions, tie-breaks) compared at 6 decimals
_CONDITION = re.compile(r"^(.*?)\s*(≥|>=|=)\s*(.+?)$")


def _award_conditions(table: RawTable, rec, get, award: str, issues: list[Issue]) -> dict:
    """An award's own conditions: Units-sheet columns ("Tỉnh đánh giá HTXSNV; Tỷ lệ nữ ≥ 70"),
    a floor on every criteria group, what a share quota is counted on, and its fallback."""
    row = int(rec.row)
    conditions = []
    for part in (p.strip() for p in re.split(r"[;\n]+", text(get(rec, "conditions")))):
        if not part:
            continue
        m = _CONDITION.match(part)
        if m is None:
            conditions.append(Condition(part, "yes", text=part))
            continue
        column, sign, value = m.groups()
        scaled = scaled_of(value, ATTRIBUTE_DECIMALS) if sign != "=" else None
        if sign != "=" and scaled is None:
            issues.append(issue("award_invalid", table.sheet, table.cell("conditions", row), award=award,
                                hint=(f"điều kiện “{part}”: sau “≥” cần một số",
                                      f"condition '{part}': a number is needed after '≥'")))
            continue
        conditions.append(Condition(column.strip(), "eq" if sign == "=" else "ge", value.strip(),
                                    scaled or 0, part))
    share_text = text(get(rec, "min_group_share"))
    share = scaled_of(share_text.rstrip("% "), 2) if share_text else None
    if share_text and (share is None or not 0 <= share <= 10_000):
        issues.append(issue("award_invalid", table.sheet, table.cell("min_group_share", row), award=award,
                            hint=("tỷ lệ tối thiểu mỗi nhóm cần một số từ 0 đến 100",
                                  "the minimum share of each group needs a number from 0 to 100")))
        share = None
    base = C.choice_token(get(rec, "quota_base"), C.QUOTA_BASES) if text(get(rec, "quota_base")) else "all"
    if base is None:
        issues.append(issue("award_invalid", table.sheet, table.cell("quota_base", row), award=award,
                            hint=("“Tỷ lệ tính trên”: chọn Tổng số thành viên hoặc Số đơn vị đạt điều kiện",
                                  "'Quota counted on': pick All members or Units meeting its conditions")))
        base = "all"
    return {"conditions": tuple(conditions), "min_group_share": share, "quota_base": base,
            "fallback": text(get(rec, "fallback"))}


def _band_floors(table: RawTable | None, issues: list[Issue]) -> dict[str, BandFloor]:
    """Each classification's minimum share of points on every criterion (or group), if any."""
    if table is None:
        return {}
    get = _getter(table)
    floors = {}
    for rec in table.data.itertuples(index=False):
        label, share_text = text(rec.band), text(get(rec, "min_share"))
        if not label or not share_text:
            continue
        share = scaled_of(share_text.rstrip("% "), 2)
        scope_text = text(get(rec, "share_of"))
        scope = C.choice_token(scope_text, C.SHARE_SCOPES) if scope_text else "criterion"
        if share is None or not 0 <= share <= 10_000:
            issues.append(issue("band_share_invalid", table.sheet, table.cell("min_share", rec.row),
                                band=label, value=share_text))
            continue
        if scope is None:
            issues.append(issue("band_share_invalid", table.sheet, table.cell("share_of", rec.row),
                                band=label, value=scope_text))
            continue
        floors[label] = BandFloor(share, scope, int(rec.row))
    return floors


def _percent(value: object) -> Decimal | None:
    n = number(value)
    return Decimal(repr(n)) if n is not None and 0 <= n <= 100 else None


def _getter(table: RawTable):
    """Read optional columns that a user may have deleted as blank."""
    return lambda rec, name: getattr(rec, name, None)


# --- units ------------------------------------------------------------------------------

UNIT_COLUMNS = ["name", "short_name", "signed", "registered", "veto_note", "note", "ranking_group", "attributes",
                "row"]


def _units(table: RawTable | None, issues: list[Issue]) -> pd.DataFrame:
    rows: dict[str, dict] = {}
    first: dict[str, str] = {}  # code key -> the code as first written
    if table is not None:
        get = _getter(table)
        extras = [f for f in table.data.columns if f.startswith("@")]
        attributes = table.data[extras].to_dict("records") if extras else [{}] * len(table.data)
        for rec, found in zip(table.data.itertuples(index=False), attributes, strict=True):
            code, name = text(rec.code), text(rec.name)
            if not code:
                if name:
                    issues.append(issue("unit_code_missing", table.sheet,
                                        table.cell("code", rec.row), row=rec.row))
                continue
            if code_key(code) in first:  # "stc" repeats "STC"
                issues.append(issue("unit_code_duplicate", table.sheet, table.cell("code", rec.row),
                                    unit=code, first_row=rows[first[code_key(code)]]["row"]))
                continue
            first[code_key(code)] = code
            registered = frozenset(p.strip() for p in re.split(r"[;,\n]+", text(get(rec, "registered")))
                                   if p.strip())
            rows[code] = {
                "name": name or code, "short_name": text(get(rec, "short_name")) or name or code,
                "signed": yes_no(get(rec, "signed")), "registered": registered,
                "veto_note": under_review_note(get(rec, "veto_note")), "note": text(get(rec, "note")),
                "ranking_group": text(get(rec, "ranking_group")),
                "attributes": {k[1:]: v for k, v in found.items()}, "row": int(rec.row),
            }
        if not rows:
            issues.append(issue("no_units", table.sheet, table.cell("code", table.header_row + 1)))
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=UNIT_COLUMNS).astype(object)
    frame.index.name = "unit"
    return frame


# --- criteria ---------------------------------------------------------------------------

CRITERION_COLUMNS = ["name", "kind", "max", "weight", "mandatory", "needs_evidence", "target",
                     "rule", "tiers", "lower", "grades", "occurrence", "over_rate", "over_cap", "cap",
                     "veto_points", "bars", "ranking_groups", "parent", "group", "is_leaf", "row"]


def _criteria(table: RawTable | None, settings: Settings, targeted: frozenset[str],
              issues: list[Issue]) -> pd.DataFrame:
    """Typed criteria; ``targeted`` are the codes listed on the Unit targets sheet, whose
    common target may be blank (each unit has its own)."""
    rows: dict[str, dict] = {}
    first: dict[str, str] = {}  # code key -> the code as first written
    if table is None:
        return pd.DataFrame(columns=CRITERION_COLUMNS)
    get = _getter(table)
    cell = table.cell
    for rec in table.data.itertuples(index=False):
        code, name = text(rec.code), text(rec.name)
        if not code:
            if name:
                issues.append(issue("criterion_code_missing", table.sheet, cell("code", rec.row), row=rec.row))
            continue
        if code_key(code) in first:
            issues.append(issue("criterion_code_duplicate", table.sheet, cell("code", rec.row),
                                criterion=code, first_row=rows[first[code_key(code)]]["row"]))
            continue
        first[code_key(code)] = code
        rows[code] = {"name": name, "raw": rec, "row": int(rec.row)}
    if not rows:
        issues.append(issue("no_criteria", table.sheet, cell("code", table.header_row + 1)))
        return pd.DataFrame(columns=CRITERION_COLUMNS)

    decimals = settings.decimals
    parents = _parents(list(rows), table, issues)
    has_children = set(parents.values())
    result = {}
    for code, info in rows.items():
        rec, row = info["raw"], info["row"]
        is_leaf = code not in has_children
        entry = {
            "name": info["name"], "parent": parents.get(code), "group": _root(code, parents),
            "is_leaf": is_leaf, "row": row, "kind": "score", "max": 0,
            "weight": 10**WEIGHT_DECIMALS, "mandatory": False, "needs_evidence": False,
            "target": float("nan"), "rule": "", "tiers": [], "lower": False, "grades": {},
            "occurrence": None, "over_rate": 0, "over_cap": None, "cap": None,
            "veto_points": 0, "bars": None, "ranking_groups": folded_list(get(rec, "ranking_groups")),
        }
        if is_leaf:
            _leaf(entry, code, rec, get, table, settings, targeted, issues)
        else:
            entry["max"] = scaled_of(get(rec, "max_points"), decimals) or 0
            entry["cap"] = _cap(code, get(rec, "cap"), table, row, decimals, issues)
        result[code] = entry
    # column by column as objects: a mostly-blank column of ints (a cap, points per occurrence)
    # would otherwise become floats with NaN for None
    frame = pd.DataFrame({col: pd.Series([entry[col] for entry in result.values()], dtype=object)
                          for col in CRITERION_COLUMNS})
    frame.index = pd.Index(list(result), name="criterion")
    _group_max(frame, table, decimals, issues)
    return frame


def _parents(codes: list[str], table: RawTable, issues: list[Issue]) -> dict[str, str]:
    """Parent of '1.2.a' is '1.2' (or '1.2.A' of 'I.2') — the longest listed prefix; orphans are flagged."""
    known = spelling(codes)
    parents = {}
    for code in codes:
        parts = code.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            prefix = code_key(".".join(parts[:cut]))
            if prefix in known:
                parents[code] = known[prefix]
                break
        else:
            if len(parts) > 1:
                row = table.data.loc[table.data["code"].map(text) == code, "row"].iloc[0]
                issues.append(issue("criterion_orphan", table.sheet, table.cell("code", row),
                                    criterion=code, parent=".".join(parts[:-1])))
    return parents


def _root(code: str, parents: dict[str, str]) -> str:
    seen = set()
    while code in parents and code not in seen:
        seen.add(code)
        code = parents[code]
    return code


def _cap(code: str, value: object, table: RawTable, row: int, decimals: int,
         issues: list[Issue]) -> int | None:
    """A heading's cap on what its rows add up to (blank: none)."""
    if not text(value):
        return None
    cap = scaled_of(value, decimals)
    if cap is None or cap < 0:
        issues.append(issue("criterion_cap_invalid", table.sheet, table.cell("cap", row), criterion=code,
                            value=text(value)))
        return None
    return cap


def _leaf(entry: dict, code: str, rec, get, table: RawTable, settings: Settings,
          targeted: frozenset[str], issues: list[Issue]) -> None:
    row, decimals = entry["row"], settings.decimals
    raw_kind = get(rec, "kind")
    kind = C.choice_token(raw_kind, C.CRITERION_KINDS) if text(raw_kind) else "score"
    if kind is None:
        issues.append(issue("criterion_kind_unknown", table.sheet, table.cell("kind", row),
                            criterion=code, value=text(raw_kind)))
        kind = "score"
    entry["kind"] = kind
    entry["mandatory"] = bool(yes_no(get(rec, "mandatory")))
    entry["needs_evidence"] = bool(yes_no(get(rec, "needs_evidence")))
    if kind == "veto":
        _veto_consequences(entry, code, rec, get, table, decimals, issues)
        return
    for field_name in ("veto_points", "bars"):
        if text(get(rec, field_name)):
            issues.append(issue("criterion_veto_column_ignored", table.sheet, table.cell(field_name, row),
                                criterion=code, column=C.CRITERIA_TABLE.column(field_name).vi))
    maximum = scaled_of(get(rec, "max_points"), decimals)
    per_occurrence = C.choice_token(get(rec, "rule"), C.MEASURE_RULES) == "per_occurrence"
    if per_occurrence and not text(get(rec, "max_points")):
        maximum = 0  # a per-occurrence rule needs no maximum: without one, nothing is capped
    elif maximum is None or maximum <= 0:
        issues.append(issue("criterion_max_missing", table.sheet, table.cell("max_points", row),
                            criterion=code))
        maximum = 0
    entry["max"] = maximum
    raw_weight = get(rec, "weight")
    if text(raw_weight):
        weight = scaled_of(raw_weight, WEIGHT_DECIMALS)
        if weight is None or weight < 0 or weight > MAX_WEIGHT * 10**WEIGHT_DECIMALS:
            issues.append(issue("criterion_weight_invalid", table.sheet, table.cell("weight", row),
                                criterion=code, value=text(raw_weight)))
        else:
            entry["weight"] = weight
    _measure(entry, code, rec, get, table, settings, targeted, issues)


def folded_list(value: object) -> frozenset[str]:
    """'Doanh nghiệp; Cơ quan' -> the folded names (ranking groups), empty when blank."""
    return frozenset(C.normalize(p) for p in re.split(r"[;,\n]+", text(value)) if p.strip())


def _veto_consequences(entry: dict, code: str, rec, get, table: RawTable, decimals: int,
                       issues: list[Issue]) -> None:
    """A breached veto row may also take points off, and may bar only some awards ("a warning
    or worse: −20 points and no flag or Certificate of Merit; a reprimand: −10 only").
    Blank bars every award (the veto as it always was); "Không" bars none."""
    points_text = text(get(rec, "veto_points"))
    if points_text:
        points = scaled_of(points_text.replace("−", "-").lstrip("-+ "), decimals)
        if points is None:
            issues.append(issue("criterion_veto_points_invalid", table.sheet, table.cell("veto_points", entry["row"]),
                                criterion=code, value=points_text))
        else:
            entry["veto_points"] = points
    bars = text(get(rec, "bars"))
    if C.normalize(bars) in C.BARS_NONE:
        entry["bars"] = frozenset()
    elif bars:
        entry["bars"] = frozenset(p.strip() for p in re.split(r"[;,\n]+", bars) if p.strip())


def _measure(entry: dict, code: str, rec, get, table: RawTable, settings: Settings,
             targeted: frozenset[str], issues: list[Issue]) -> None:
    """Measured criteria: a rule that turns what the cell holds (a measured value, a grade, a
    count of occurrences) into points, with its target, tiers or scale."""
    raw_rule = get(rec, "rule")
    if not text(raw_rule):
        return
    row, decimals = entry["row"], settings.decimals
    rule = C.choice_token(raw_rule, C.MEASURE_RULES)
    if rule is None:
        issues.append(issue("criterion_rule_unknown", table.sheet, table.cell("rule", row),
                            criterion=code, value=text(raw_rule)))
        return
    tiers_text, tiers_cell = text(get(rec, "tiers")), table.cell("tiers", row)
    if rule == "threshold":
        parsed = _tiers(tiers_text, decimals)
        if parsed is None:
            issues.append(issue("criterion_tiers_invalid", table.sheet, tiers_cell, criterion=code,
                                value=tiers_text))
            return
        entry["tiers"], entry["lower"] = parsed
        over = [p for _, p in entry["tiers"] if p > entry["max"]]
        if over:
            issues.append(issue("criterion_tier_over_max", table.sheet, tiers_cell,
                                criterion=code, points=Decimal(over[0]).scaleb(-decimals),
                                max=Decimal(entry["max"]).scaleb(-decimals)))
    elif rule == "grade":
        scale = grade_scale(tiers_text or settings.grades)
        if scale is None:
            issues.append(issue("criterion_grades_invalid", table.sheet, tiers_cell if tiers_text else
                                settings.cells.get("grades", ""), criterion=code,
                                value=tiers_text or settings.grades))
            return
        entry["grades"] = scale
    elif rule == "per_occurrence":
        occurrence = _occurrence(tiers_text, decimals)
        if occurrence is None:
            issues.append(issue("criterion_occurrence_invalid", table.sheet, tiers_cell, criterion=code,
                                value=tiers_text))
            return
        entry["occurrence"] = occurrence
    else:
        target = number(get(rec, "target"))
        if target is not None and 0 < target <= N.MAX_ABS:
            entry["target"] = target
        elif code_key(code) not in targeted:
            issues.append(issue("criterion_target_missing", table.sheet, table.cell("target", row),
                                criterion=code))
            return
    entry["rule"] = rule
    _overflow(entry, code, rec, get, table, issues)


def _overflow(entry: dict, code: str, rec, get, table: RawTable, issues: list[Issue]) -> None:
    """The above-plan bonus: a rate (% of the points per 1 % above plan) and an optional cap."""
    rate_text, cap_text = text(get(rec, "over_rate")), text(get(rec, "over_cap"))
    if not rate_text and not cap_text:
        return
    row = entry["row"]
    if entry["rule"] not in C.OVERFLOW_RULES:
        issues.append(issue("criterion_overflow_rule", table.sheet, table.cell("over_rate", row), criterion=code))
        return
    rate = scaled_of(rate_text, WEIGHT_DECIMALS) if rate_text else 0
    cap = scaled_of(cap_text, WEIGHT_DECIMALS) if cap_text else None
    for field_name, value, typed in (("over_rate", rate, rate_text), ("over_cap", cap, cap_text)):
        if typed and (value is None or value < 0 or value > MAX_WEIGHT * 10**WEIGHT_DECIMALS):
            issues.append(issue("criterion_overflow_invalid", table.sheet, table.cell(field_name, row),
                                criterion=code, value=typed))
            return
    entry["over_rate"], entry["over_cap"] = rate, cap


_TIER = re.compile(r"^\s*(≥|>=|≤|<=|>|<)?\s*([^=:→>]*?)\s*(?:=|:|→|->)\s*(.+?)\s*$")


def _tiers(value: str, decimals: int) -> tuple[list[tuple[float, int]], bool] | None:
    """'95=5; 90=4' (or '≥ 95 = 5') -> ([(95.0, 500), (90.0, 400)], False), highest threshold
    first: the first threshold reached wins.  '≤ 2 = 5; ≤ 5 = 3' (lower is better) ->
    ([(2.0, 500), (5.0, 300)], True), lowest first.  None when not such a list, or mixed."""
    tiers, signs = [], set()
    for part in re.split(r"[;\n]+", value):
        if not part.strip():
            continue
        m = _TIER.match(part)
        if not m:
            return None
        sign, bound, points_text = m.groups()
        threshold, points = parse_text_number(bound), scaled_of(points_text, decimals)
        if threshold is None or points is None or abs(threshold) > N.MAX_ABS:
            return None
        signs.add(sign in ("≤", "<=", "<"))  # a bare ">" or "<" reads as "≥" or "≤", as it always has
        tiers.append((threshold, points))
    if not tiers or len(signs) > 1:
        return None
    lower = signs == {True}
    return sorted(tiers, key=lambda t: t[0] if lower else -t[0]), lower


_RANGE = re.compile(r"^(?:(≥|>=)?\s*([\d.,]+)\s*[-–—]\s*(<)?\s*([\d.,]+)|(≥|>=|>)\s*([\d.,]+)"
                    r"|(<|≤|<=)\s*([\d.,]+))$")
OCCURRENCE_DECIMALS = 6  # occurrence values (days late, amounts) are compared at 6 decimals


def _occurrence(value: str, decimals: int) -> int | list[Band] | None:
    """Points per occurrence: '5' (the cell counts occurrences) -> 500; or ranges of the value
    each occurrence has, '5-<10 = 5; 10-<15 = 10; >=15 = 20' (the cell lists values, '6; 12').
    Signs are dropped: the criterion's kind (bonus or penalty) says which way points go."""
    if "=" not in value and ":" not in value:
        points = scaled_of(value.replace("−", "-"), decimals)
        return abs(points) if points is not None and points != 0 else None
    bands = []
    for part in re.split(r"[;\n]+", value):
        if not part.strip():
            continue
        split = re.match(r"^(.*?)\s*[=:]\s*([−+-]?[\d.,]+)\s*$", part.strip())  # the last "=": ">=15 = 20"
        points = scaled_of(split.group(2).replace("−", "-"), decimals) if split else None
        m = _RANGE.match(split.group(1).replace(" ", "")) if points is not None else None
        if m is None:
            return None
        low_sign, low, open_high, high, from_sign, start, to_sign, end = m.groups()
        numbers = [parse_text_number(x) if x else None for x in (low, high, start, end)]
        if any(x is not None and x > N.MAX_ABS for x in numbers):
            return None
        scaled = [scaled_of(x, OCCURRENCE_DECIMALS) if x is not None else None for x in numbers]
        if low is not None:
            band = Band(scaled[0], scaled[1], open_high is None, abs(points))
        elif start is not None:
            band = Band(scaled[2] + (1 if from_sign == ">" else 0), None, False, abs(points))
        else:
            band = Band(0, scaled[3], to_sign != "<", abs(points))
        if band.high is not None and band.high < band.low:
            return None
        bands.append(band)
    return bands or None


def _group_max(frame: pd.DataFrame, table: RawTable, decimals: int, issues: list[Issue]) -> None:
    """A heading row's stated maximum should equal its children's (a common typo)."""
    children: dict[str, int] = {}
    for parent, m, w in zip(frame["parent"], frame["max"], frame["weight"], strict=True):
        if parent is not None:
            children[parent] = children.get(parent, 0) + int(N.round_div(m * w, 10**WEIGHT_DECIMALS))
    headings = frame[~frame["is_leaf"].astype(bool)]
    for code, stated, row in zip(headings.index, headings["max"], headings["row"], strict=True):
        total = children.get(code, 0)
        if stated and total and stated != total:
            issues.append(issue("group_max_mismatch", table.sheet, table.cell("max_points", row),
                                criterion=code, max=Decimal(int(stated)).scaleb(-decimals),
                                children=Decimal(total).scaleb(-decimals)))


def _check_settings_units(inputs: Inputs, issues: list[Issue]) -> None:
    """Unit and group codes in the settings, spelled as their own sheets spell them; unknown ones flagged."""
    table = inputs.table("settings")
    sheet = table.sheet if table else ""
    settings, unit_of = inputs.settings, spelling(inputs.units.index)
    settings.rotation = [unit_of.get(code_key(code), code) for code in settings.rotation]
    for code in settings.rotation:
        if code not in inputs.units.index:
            issues.append(issue("setting_unknown_unit", sheet, settings.cells.get("rotation", ""),
                                setting=_label("rotation"), value=code))
    for key in ("leader", "deputy", "next_leader", "next_deputy"):
        code = unit_of.get(code_key(getattr(settings, key)), getattr(settings, key))
        setattr(settings, key, code)
        if code and code not in inputs.units.index:
            issues.append(issue("setting_unknown_unit", sheet, settings.cells.get(key, ""),
                                setting=_label(key), value=code))
    group_of = spelling(inputs.criteria["group"]) if len(inputs.criteria) else {}
    column_of = _attribute_headers(inputs)
    tokens = []
    for token in settings.tie_break:
        if token in ("penalty", "bonus") or code_key(token) in group_of:
            tokens.append(group_of.get(code_key(token), token))
        elif C.normalize(token) in column_of:
            header = column_of[C.normalize(token)]
            tokens.append(f"@{header}")
            inputs.tie_values[f"@{header}"] = _tie_values(inputs, header, issues)
        else:
            tokens.append(token)
            issues.append(issue("tie_break_unknown", sheet, settings.cells.get("tie_break", ""),
                                value=token))
    settings.tie_break = tokens


BLANK_ATTRIBUTE = -(2**62)  # a blank tie-break cell: after every value given


def _attribute_headers(inputs: Inputs) -> dict[str, str]:
    """The Units sheet's other columns (unit attributes), folded header -> header as written."""
    table = inputs.table("units")
    return {C.normalize(h): h for h in table.extra} if table is not None else {}


def attribute_cell(inputs: Inputs, unit: str, header: str) -> tuple[str, str]:
    """(sheet, cell) of a unit's value in a Units-sheet attribute column."""
    table = inputs.table("units")
    return table.sheet, cell_ref(int(inputs.units.at[unit, "row"]), table.extra[header])


def attribute_number(value: object) -> int | None:
    """A Units-sheet value for a tie-break or a "≥" condition: Yes = 1, No = 0, else a number
    scaled by 1e6 (None when it is neither)."""
    if isinstance(value, bool):
        return int(value)
    if text(value) and (answer := yes_no(value)) is not None and number(value) is None:
        return int(answer)
    return scaled_of(value, ATTRIBUTE_DECIMALS)


def _tie_values(inputs: Inputs, header: str, issues: list[Issue]) -> list[int]:
    """Each unit's tie-break value from a Units-sheet column: higher first (Yes before No);
    blank last; anything else flagged and counted as blank."""
    values = _attribute_values(inputs, header, numbers=True, issues=issues)
    return [BLANK_ATTRIBUTE if value is None else value for value in values]


def _attribute_values(inputs: Inputs, header: str, *, numbers: bool, issues: list[Issue]) -> list[int | None]:
    """A Units-sheet column read as numbers (Yes = 1, No = 0) or as Yes/No only; a value that
    is neither is flagged once at its cell (a column used twice is flagged once) and None."""
    values, flagged = [], {(i.sheet, i.cell) for i in issues if i.code == "unit_attribute_invalid"}
    for unit, found in inputs.units["attributes"].items():
        raw = found.get(header)
        if not text(raw):
            values.append(None)
            continue
        value = attribute_number(raw) if numbers else (None if yes_no(raw) is None else int(yes_no(raw)))
        where = attribute_cell(inputs, unit, header)
        if value is None and where not in flagged:
            issues.append(issue("unit_attribute_invalid", *where, unit=unit, column=header, value=text(raw)))
        values.append(value)
    return values


def _check_decision_links(inputs: Inputs, issues: list[Issue]) -> None:
    """Award codes a veto row bars, award fallbacks, award conditions' columns and criteria's
    ranking groups: spelled as their own tables spell them; unknown ones flagged."""
    award_of = {C.normalize(a.code): a.code for a in inputs.awards} | \
        {C.normalize(a.name): a.code for a in inputs.awards}
    crit, table = inputs.criteria, inputs.table("criteria")
    for code in crit.index[crit["bars"].notna()] if len(crit) else []:
        bars = crit.at[code, "bars"]
        for bar in sorted(b for b in bars if C.normalize(b) not in award_of):
            issues.append(issue("criterion_bars_unknown", table.sheet, table.cell("bars", crit.at[code, "row"]),
                                criterion=code, value=bar))
        crit.at[code, "bars"] = frozenset(award_of[C.normalize(b)] for b in bars if C.normalize(b) in award_of)
    groups = {C.normalize(g) for g in inputs.units["ranking_group"]} if len(inputs.units) else set()
    for code in crit.index if len(crit) else []:
        for unknown in sorted(crit.at[code, "ranking_groups"] - groups):
            issues.append(issue("criterion_ranking_group_unknown", table.sheet,
                                table.cell("ranking_groups", crit.at[code, "row"]), criterion=code, value=unknown))
    columns = _attribute_headers(inputs)
    awards_table = inputs.table("awards")
    for k, award in enumerate(inputs.awards):
        found = []
        for condition in award.conditions:
            header = columns.get(C.normalize(condition.column))
            if header is None:
                issues.append(issue("award_invalid", awards_table.sheet, awards_table.cell("conditions", award.row),
                                    award=award.name, hint=(
                                        f"điều kiện “{condition.text}”: sheet Đơn vị không có cột “{condition.column}”",
                                        f"condition '{condition.text}': the Units sheet has no column "
                                        f"'{condition.column}'")))
                continue
            found.append(dataclasses.replace(condition, column=header))
            if condition.op != "eq":
                _attribute_values(inputs, header, numbers=condition.op == "ge", issues=issues)
        fallback = award_of.get(C.normalize(award.fallback), "") if award.fallback else ""
        if award.fallback and not fallback:
            issues.append(issue("award_invalid", awards_table.sheet, awards_table.cell("fallback", award.row),
                                award=award.name, hint=(f"mã “{award.fallback}” không có trong bảng khen thưởng",
                                                        f"code '{award.fallback}' is not in the awards table")))
        inputs.awards[k] = dataclasses.replace(award, conditions=tuple(found), fallback=fallback)
