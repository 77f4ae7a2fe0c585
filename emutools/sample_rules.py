"""A second sample: a commune cluster whose (invented) guidance uses the scoring rules of
issue 14 — ``emutools demo --rules``.

"Hướng dẫn chấm điểm thi đua năm 2026, Cụm thi đua số 7 – các xã vùng cao" of a fictional
province, entered as a secretary would enter it (see docs/scoring-rules.md):

- I. Economic tasks (40): 1.1 budget revenue against each commune's own plan, with 1 % of
  the points per 1 % above plan (at most 10 %); 1.2 poverty rate, lower is better, against
  the own plan; 1.3 child malnutrition, descending tiers "≤ 15 = 5; ≤ 20 = 3; ≤ 25 = 1";
  1.4 public investment disbursement against the common 95 %; 1.5 model villages, full or
  zero against the own plan — not assigned to MTIEN (N/A, rescaled).
- II. Emulation work (30): 2.1 graded A/B/C/D (settings' scale); 2.2 graded
  Tốt/Khá/Trung bình/Yếu on its own scale; 2.3 scored directly.
- III. Political system (30): scored by the provincial board on its own sheet (scope "3"),
  while the cluster leader verifies everything else (scope "1; 2; 4; 5; 6").
- IV. Bonus, at most 5 in all (group cap): 4.1 2 points per commendation; 4.2 scored.
  The above-plan bonus is capped at 2 in all (settings).
- V. Penalty, at most 10 in all (settings): 5.1 2 points per returned dossier; 5.2 late
  reports by days late "5-<10 = 1; 10-<15 = 2; >=15 = 3" per report, at most 6.
- A blank verification earns nothing (settings): the board left 3.2 of TLAP blank.
- VI. Discipline (decision rules, docs/scoring-rules.md 10–15): 6.1 the commune disciplined
  bars every award; 6.2 a leader reprimanded takes 5 points off and bars nothing (YBINH).
- Excellent needs ≥ 90 and every criteria group ≥ 85 % of its points; the Government flag
  needs the province to have rated the commune "excellently completed its tasks" (a Units
  column) and falls back to the provincial flag; the Excellent Labour Collective is a
  standards-based title (no quota); a commune under inspection is deferred, not excluded
  (YBINH); among equals, the higher share of women ranks first (a Units column).

Worked totals (verification; rank in brackets): STHUY 104.00 (1) — group IV capped from
6 to 5; HPHONG 103.50 (2) — IV capped from 7 to 5, which decides the lead (uncapped it
would have 105.50 against 105.00); DTAM 93.50 (3); YBINH 77.20 (4); MTIEN 67.83 (5) —
71.09 earned on an applicable 95, rescaled to 74.83, +3 bonus, −10 penalty (at the cap;
5.2 capped at 6); TLAP 62.56 (6) — 3.2 unverified counts 0.

Decisions: STHUY the Government flag (if not granted: the provincial flag), HPHONG the
provincial flag, both Excellent; DTAM has the total for Excellent but group II reaches only
24.50 of 30 = 81.66 % < 85 %, so it is Good, and takes the Certificate of Merit (20 % of 6 =
1 place); the three are Excellent Labour Collectives (at least Good), beside their award.
YBINH: 77.20 − 5 (6.2) = 72.20 (4), Fair, under inspection: ranked and shown, deferred.
"""

from __future__ import annotations

import datetime as dt

from emutools import contract as C
from emutools.io.template import WorkbookContent, default_awards, default_bands

UNITS = [  # code, name (a fictional province: the names are common ones, the data invented)
    ("STHUY", "Xã Sơn Thủy"), ("TLAP", "Xã Tân Lập"), ("HPHONG", "Xã Hồng Phong"),
    ("MTIEN", "Xã Minh Tiến"), ("DTAM", "Xã Đồng Tâm"), ("YBINH", "Xã Yên Bình"),
]
CODES = [code for code, _ in UNITS]

# code, (vi, en), kind, max points, extra fields; no kind = a group heading
CRITERIA: list[tuple[str, tuple[str, str], str | None, float | None, dict]] = [
    ("1", ("Nhiệm vụ kinh tế – xã hội (40 điểm)", "Economic and social tasks (40 points)"), None, None, {}),
    ("1.1", ("Thu ngân sách trên địa bàn so với kế hoạch giao", "Budget revenue against the plan"),
     "score", 10, {"rule": "proportional", "measure_unit": ("tỷ đồng", "bn VND"), "over_rate": 1, "over_cap": 10}),
    ("1.2", ("Tỷ lệ hộ nghèo cuối năm", "Poverty rate at year end"), "score", 10,
     {"rule": "inverse", "measure_unit": "%"}),
    ("1.3", ("Tỷ lệ trẻ dưới 5 tuổi suy dinh dưỡng thể thấp còi", "Stunting among children under 5"),
     "score", 5, {"rule": "threshold", "tiers": "≤ 15 = 5; ≤ 20 = 3; ≤ 25 = 1", "measure_unit": "%"}),
    ("1.4", ("Tỷ lệ giải ngân vốn đầu tư công", "Public investment disbursed"), "score", 10,
     {"rule": "proportional", "target": 95, "measure_unit": "%"}),
    ("1.5", ("Số thôn đạt chuẩn nông thôn mới kiểu mẫu trong năm", "Villages reaching the model rural standard"),
     "score", 5, {"rule": "all_or_nothing", "measure_unit": ("thôn", "villages")}),
    ("2", ("Công tác thi đua, khen thưởng (30 điểm)", "Emulation and commendation (30 points)"), None, None, {}),
    ("2.1", ("Ban hành kế hoạch, phát động phong trào thi đua", "Emulation plan and movements"),
     "score", 10, {"rule": "grade"}),
    ("2.2", ("Tuyên truyền, nhân rộng điển hình tiên tiến", "Good examples publicised"), "score", 10,
     {"rule": "grade", "tiers": ("Tốt = 100; Khá = 80; Trung bình = 60; Yếu = 0",
                                 "Good = 100; Fair = 80; Average = 60; Weak = 0")}),
    ("2.3", ("Chất lượng hồ sơ đề nghị khen thưởng", "Quality of award dossiers"), "score", 10, {}),
    ("3", ("Xây dựng hệ thống chính trị (30 điểm, Ban Thi đua – Khen thưởng tỉnh chấm)",
           "Political system (30 points, scored by the provincial board)"), None, None, {}),
    ("3.1", ("Tổ chức đảng được xếp loại", "Party organisation rating"), "score", 15, {"rule": "grade"}),
    ("3.2", ("Kết quả cải cách hành chính", "Administrative reform results"), "score", 15, {}),
    ("4", ("Điểm thưởng (tối đa 5 điểm)", "Bonus (at most 5 points)"), None, None, {"cap": 5}),
    ("4.1", ("Được Chính phủ, bộ, tỉnh khen thưởng (mỗi lần 2 điểm)", "Commendations received (2 points each)"),
     "bonus", None, {"rule": "per_occurrence", "tiers": "2", "mandatory": False}),
    ("4.2", ("Mô hình mới được nhân rộng", "New models spread"), "bonus", 3, {"mandatory": False}),
    ("5", ("Điểm trừ (tổng trừ tối đa 10 điểm)", "Penalty (at most 10 points in all)"), None, None, {}),
    ("5.1", ("Hồ sơ khen thưởng bị trả lại (mỗi hồ sơ trừ 2 điểm)", "Award dossiers returned (2 points each)"),
     "penalty", None, {"rule": "per_occurrence", "tiers": "2", "mandatory": False}),
    ("5.2", ("Báo cáo gửi chậm (ghi số ngày chậm của từng báo cáo)", "Late reports (days late of each report)"),
     "penalty", 6, {"rule": "per_occurrence", "tiers": "5-<10 = 1; 10-<15 = 2; >=15 = 3", "mandatory": False}),
    ("6", ("Tiêu chí loại trừ", "Veto criteria"), None, None, {}),
    ("6.1", ("Tập thể bị kỷ luật từ hình thức khiển trách trở lên", "The unit disciplined (reprimand or heavier)"),
     "veto", None, {}),
    ("6.2", ("Chủ tịch hoặc phó chủ tịch xã bị khiển trách (trừ 5 điểm)", "Chair or deputy chair reprimanded (−5)"),
     "veto", None, {"veto_points": 5, "bars": ("Không", "None"), "mandatory": False}),
]

# Own plans (Unit targets sheet), one value per unit in CODES order; "Không giao" = not assigned.
TARGETS = {
    "1.1": [120, 45, 60, 38, 52, 30],
    "1.2": [18, 25, 12, 30, 15, 22],
    "1.5": [3, 2, 2, "Không giao", 1, 2],
}

# The verification, one value per unit; None = blank.  The cluster leader verifies all but
# group 3, which the provincial board scores on its own sheet.
VERIFIED = {
    #        STHUY   TLAP    HPHONG  MTIEN   DTAM    YBINH
    "1.1": [132,    45,     57,     41.8,   54.6,   27],
    "1.2": [17.5,   27.5,   12,     33,     14,     23.1],
    "1.3": [14.2,   19.8,   15,     23.5,   16.1,   26],
    "1.4": [97,     90,     95,     85.5,   99,     92],
    "1.5": [3,      1,      2,      None,   1,      2],
    "2.1": ["A",    "B",    "a",    "C",    "B",    "B"],
    "2.2": ["Tốt",  "Khá",  "tot",  "Trung binh", "Khá", "Tốt"],
    "2.3": [9,      8,      9.5,    7,      8.5,    8],
    "4.1": [2,      0,      3,      1,      0,      1],
    "4.2": [2,      None,   1,      None,   2,      None],
    "5.1": [None,   1,      None,   2,      None,   1],
    "5.2": [None,   "6; 12", None,  "16; 20; 8", None, 11],
    "6.1": [False] * 6,
    "6.2": [None,   None,   None,   None,   None,   True],
}
BOARD = {
    "3.1": ["A",    "B",    "A",    "B",    "A",    "C"],
    "3.2": [14,     None,   14.5,   12,     13.5,   12.5],
}
# Self-assessment: the verification, except where a commune claimed more.
SELF_CHANGES = {("3.2", "TLAP"): 13, ("4.2", "HPHONG"): 3, ("2.1", "MTIEN"): "B"}

# Units-sheet columns of the cluster's own (unit attributes), named in the awards table and
# the tie-break order.
RATED = {"vi": "Tỉnh đánh giá hoàn thành xuất sắc nhiệm vụ", "en": "Rated by the province: tasks excellently done"}
WOMEN = {"vi": "Tỷ lệ nữ (%)", "en": "Share of women (%)"}
WOMEN_SHARE = [42, 55, 61, 38, 70, 48]
UNDER_REVIEW = {"vi": "Đang thanh tra theo đơn thư", "en": "Under inspection after a complaint"}

GRADES_EN = {"Tốt": "Good", "tot": "good", "Khá": "Fair", "Trung binh": "Average"}  # 2.2 in English

SETTINGS = {
    "vi": {"cluster_name": "Cụm thi đua số 7 – các xã vùng cao",
           "superior_body": "Hội đồng Thi đua – Khen thưởng tỉnh (giả định)"},
    "en": {"cluster_name": "Emulation cluster No. 7 – highland communes",
           "superior_body": "Provincial Emulation and Commendation Council (fictional)"},
}


def rules_content(lang: str = "vi") -> WorkbookContent:
    """The commune cluster's workbook content in ``lang`` (commune names stay Vietnamese)."""
    leader_sheet = "Thẩm định của cụm" if lang == "vi" else "Cluster verification"
    board_sheet = "Thẩm định của Ban" if lang == "vi" else "Board verification"
    settings = SETTINGS[lang] | {
        "year": 2026, "period": "annual", "leader": "STHUY", "deputy": "HPHONG",
        "meeting_date": dt.date(2026, 12, 15), "verify_blank": "none", "not_applicable": "rescale",
        "overflow_cap": 2, "penalty_cap": 10, "under_review": "defer",
        "tie_break": "1; 3; điểm trừ; " + WOMEN[lang]}
    verified = {key: GRADES_EN.get(value, value) if lang == "en" else value
                for key, value in _cells(VERIFIED).items()}
    own = {**verified, **_cells(BOARD), **SELF_CHANGES}
    assessments = [
        (C.SELF_SHEET.name(lang), "self", "Các xã" if lang == "vi" else "Communes", ""),
        (leader_sheet, "verified", "Trưởng cụm" if lang == "vi" else "Cluster leader", "1; 2; 4; 5; 6"),
        (board_sheet, "verified", "Ban Thi đua – Khen thưởng tỉnh" if lang == "vi" else "Provincial board", "3"),
    ]
    return WorkbookContent(
        lang=lang, settings=settings, assessments=assessments,
        units=[{"code": code, "name": name, "short_name": name.removeprefix("Xã "), "signed": True,
                "registered": "CTDCP; TTLDXS" if code == "STHUY" else "TTLDXS",
                "veto_note": UNDER_REVIEW[lang] if code == "YBINH" else "",
                RATED[lang]: lang_yes(lang, code != "TLAP"), WOMEN[lang]: women}
               for (code, name), women in zip(UNITS, WOMEN_SHARE, strict=True)],
        bands=[(label, minimum, 85, "group") if k == 0 else (label, minimum)
               for k, (label, minimum) in enumerate(default_bands(lang))],
        awards=_awards(lang),
        criteria=_criteria(lang),
        scores={C.SELF_SHEET.name(lang): own, leader_sheet: verified, board_sheet: _cells(BOARD)},
        targets=_cells(TARGETS) if lang == "vi" else {
            k: ("N/A" if v == "Không giao" else v) for k, v in _cells(TARGETS).items()})


def _awards(lang: str) -> list[dict]:
    """The template's awards; the Government flag with the province's rating as its own
    condition, falling back to the provincial flag."""
    awards = default_awards(lang)
    awards[0] |= {"conditions": RATED[lang], "fallback": awards[1]["code"]}
    return awards


def lang_yes(lang: str, value: bool) -> str:
    return ("Có" if value else "Không") if lang == "vi" else ("Yes" if value else "No")


def _criteria(lang: str) -> list[dict]:
    rows = []
    for code, names, kind, maximum, extra in CRITERIA:
        row = {"code": code, "name": names[0 if lang == "vi" else 1]}
        if kind:
            row |= {"kind": kind, "max_points": maximum, "weight": 1 if kind != "veto" else None,
                    "mandatory": True, "needs_evidence": False}
        row |= {k: v[0 if lang == "vi" else 1] if isinstance(v, tuple) else v for k, v in extra.items()}
        rows.append(row)
    return rows


def _cells(table: dict[str, list[object]]) -> dict[tuple[str, str], object]:
    return {(code, unit): value for code, values in table.items()
            for unit, value in zip(CODES, values, strict=True) if value is not None}
