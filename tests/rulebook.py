"""A tiny workbook for the scoring-rule tests: only what a rule needs, as sheets of rows.

``book(criteria, scores, ...)`` lays the sheets out the way emutools.io.tables reads them
(headers from the contract, so a renamed header cannot drift) and ranks them.
"""

from __future__ import annotations

from emutools import contract as C
from emutools.core.engine import Result, recalculate
from emutools.io.tables import build_raw_book


def _lead(title: str) -> list[list[object]]:
    return [[title], ["ghi chú"], []]


def _table(spec: C.TableSpec, rows: list[dict]) -> list[list[object]]:
    """The table's contract columns, then any other key of the rows as a column of its own
    (a unit attribute such as "Tỷ lệ nữ (%)")."""
    extra = list(dict.fromkeys(k for r in rows for k in r if k not in spec.fields))
    return [[c.vi for c in spec.columns] + extra, *[[r.get(f) for f in [*spec.fields, *extra]] for r in rows]]


def sheets(criteria: list[dict], scores: dict[str, dict[str, list[object]]], *,
           units: tuple[str, ...] = ("A", "B", "C"), settings: dict[str, object] | None = None,
           assessments: list[tuple[str, str, str, str]] | None = None,
           targets: dict[str, list[object]] | None = None,
           partial: frozenset[str] = frozenset(), bands: list[dict] | None = None,
           awards: list[dict] | None = None,
           unit_rows: dict[str, dict] | None = None) -> dict[str, list[list[object]]]:
    """``criteria``: CRITERIA_TABLE fields (Vietnamese words, as typed); ``scores``: sheet ->
    criterion code -> one value per unit; ``settings``: setting key -> value; ``partial``:
    sheets whose grid lists only the rows given (a board scoring part of the table);
    ``bands``, ``awards``: their tables' rows; ``unit_rows``: unit -> more Units-sheet cells
    (contract fields, or other headers: unit attributes)."""
    bands = bands or [{"band": "Xuất sắc", "min_total": 90}, {"band": "Khá", "min_total": 0}]
    awards = awards or [{"code": "BK", "name": "Bằng khen", "rule": "Số lượng", "quota": 1}]
    more = unit_rows or {}
    values = {"cluster_name": "Cụm thử", "year": 2025, "decimals": 2} | (settings or {})
    setting_rows = [{"label": C.SETTING_BY_KEY[k].vi, "value": v} for k, v in values.items()]
    assessments = assessments or [("Tự chấm", "Tự chấm", "", ""), ("Thẩm định", "Thẩm định", "Trưởng cụm", "")]
    data = {
        "Cài đặt": _lead("CÀI ĐẶT") + _table(C.SETTINGS_TABLE, setting_rows) + [[], []]
        + _table(C.ASSESSMENTS_TABLE, [dict(zip(C.ASSESSMENTS_TABLE.fields, a, strict=True))
                                       for a in assessments]) + [[], []]
        + _table(C.BANDS_TABLE, bands) + [[], []] + _table(C.AWARDS_TABLE, awards),
        "Đơn vị": _lead("ĐƠN VỊ") + _table(C.UNITS_TABLE, [{"code": u, "name": f"Đơn vị {u}", "signed": "Có"}
                                                             | more.get(u, {}) for u in units]),
        "Tiêu chí": _lead("TIÊU CHÍ") + _table(C.CRITERIA_TABLE, criteria),
    }
    codes = [str(c["code"]) for c in criteria]
    for name, table in scores.items():
        data[name] = _grid(name, list(table) if name in partial else codes, table, units)
    for sheet, _, _, _ in assessments:
        data.setdefault(sheet, _grid(sheet, codes, {}, units))
    if targets is not None:
        data["Chỉ tiêu đơn vị"] = _grid("CHỈ TIÊU", codes, targets, units)
    return data


def _grid(title: str, codes: list[str], table: dict[str, list[object]], units) -> list[list[object]]:
    rows = _lead(title)
    rows.append(["Mã tiêu chí", "Nội dung tiêu chí", "Điểm tối đa", *units])
    for code in codes:
        rows.append([code, code, None, *table.get(code, [None] * len(units))])
    return rows


def book(criteria: list[dict], scores: dict[str, dict[str, list[object]]], **kw) -> Result:
    data = sheets(criteria, scores, **kw)
    return recalculate(build_raw_book(list(data), lambda n: data[n]))


def score(code: str, maximum: float | None, kind: str = "Chấm điểm", **extra) -> dict:
    """A leaf criterion row, mandatory unless said otherwise."""
    return {"code": code, "name": f"Tiêu chí {code}", "kind": kind, "max_points": maximum,
            "mandatory": "Có"} | extra


def heading(code: str, **extra) -> dict:
    return {"code": code, "name": f"Nhóm {code}"} | extra


def flags(result: Result, code: str) -> list[tuple[str, str, str, str]]:
    return [(i.sheet, i.cell, i.unit, i.criterion) for i in result.issues if i.code == code]


def total(result: Result, unit: str) -> str:
    return str(result.ranking.loc[unit, "total"])


def decisions_book() -> dict[str, list[list[object]]]:
    """A workbook using every decision rule (issue 14, rules 10–15): veto points and bars,
    band floors, ranking groups and a criterion for one group, award conditions, a quota
    on the qualifying units, a fallback, a standards-based title, deferral, an attribute
    tie-break."""
    units = ("A", "B", "C", "D")
    rows = {u: {"ranking_group": "Cơ quan" if u in "AB" else "Doanh nghiệp", "Tỷ lệ nữ (%)": 60 + k * 10,
                "Tỉnh đánh giá HTXSNV": "Không" if u == "C" else "Có", "veto_note": "thanh tra" if u == "D" else None}
            for k, u in enumerate(units)}
    return sheets(
        [heading("1"), score("1.1", 50), score("1.2", 50, ranking_groups="Doanh nghiệp"), heading("2"),
         {"code": "2.1", "name": "Kỷ luật", "kind": "Loại trừ", "veto_points": 20, "bars": "CP"}],
        {"Thẩm định": {"1.1": [45, 40, 48, 50], "1.2": [None, None, 42, 50], "2.1": ["Không", "Có", None, None]}},
        units=units, unit_rows=rows,
        settings={"tie_break": "1; Tỷ lệ nữ (%)", "under_review": "Tạm hoãn"},
        bands=[{"band": "Xuất sắc", "min_total": 90, "min_share": 85},
               {"band": "Tốt", "min_total": 70, "min_share": 60, "share_of": "Từng nhóm tiêu chí"},
               {"band": "Khá", "min_total": 0}],
        awards=[{"code": "CP", "name": "Cờ CP", "rule": "Tỷ lệ %", "quota": 100, "quota_base": "Số đơn vị đạt điều kiện",
                 "conditions": "Tỉnh đánh giá HTXSNV; Tỷ lệ nữ (%) ≥ 55", "min_group_share": 80, "fallback": "CT"},
                {"code": "CT", "name": "Cờ tỉnh", "rule": "Số lượng", "quota": 1, "min_band": "Tốt"},
                {"code": "TTLDXS", "name": "Tập thể lao động xuất sắc", "rule": "Đạt tiêu chuẩn", "min_band": "Tốt"}])
