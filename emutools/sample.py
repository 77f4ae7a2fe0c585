"""The demo cluster: a fictional cluster of nine economic departments of a province, year 2025.

Pure data for :func:`emutools.io.template.build_workbook`; the names of the province
(Thanh Hóa) are used only as place names, the units and people are invented.

Deliberate features (what ``emutools demo`` shows; tests may rely on them).  Combined
totals (verification over self-assessment) on the 100-point scale, rank in brackets:
SCT 97.10 (1), SXD 95.90 (2), STC 93.80 (3), SKHCN 89.00 (4), SNNMT 87.60 (5),
BQLKKT and SDL 85.70 (6), QDTPT 79.30 (8), TTXT 64.90 (9).

- SCT has the highest total but its verification answers "Có" to veto criterion 7.1
  (its self-assessment says "Không"): it keeps rank 1, is not eligible, and the
  Government flag passes on.
- SXD (2nd) would qualify for the Government flag (CTDCP) but did not register it
  (``title_not_registered``); it gets the provincial flag (CTDT).
- STC, the cluster leader, is 3rd and gets the Government flag (CTDCP).
- SKHCN (4th) did not sign the emulation agreement (``agreement_unsigned``): it is
  passed over for the Certificate of Merit (BKT, agreement required; 20 % of 9 = 1
  place), which goes to SNNMT (5th), and gets the Excellent Labour Collective (TTLDXS,
  30 % = 2 places, no agreement required).
- BQLKKT and SDL have identical verification columns: tied at rank 6 after every
  tie-break, across the last TTLDXS place; the secret ballot (Bỏ phiếu sheet) gives
  BQLKKT 6/8 and SDL 5/8, so BQLKKT takes it (without the ballot: ``quota_tie``).
- Self-assessment sheet: SNNMT typed "8,5" as text on 1.2.b (``score_text_number``);
  TTXT self-scored 6 on 2.4 whose maximum is 5 (``score_out_of_range``, and a gap);
  SKHCN self-scored 5 on 2.4 against a verified 3 (``self_verified_gap``).
- Verification sheet: mandatory cells left blank for QDTPT 1.4, QDTPT 3.5 and TTXT 2.7
  (``score_unverified``; the self-assessed scores are used).
- Evidence sheet: missing where required for SDL 2.4, QDTPT 3.1 and TTXT 2.3
  (``evidence_missing``).
- Measured criteria: 1.2.a (key tasks completed, target 6, full or zero: TTXT has 5
  and gets 0 of 8), 1.3 and 4.3 (percentages, proportional to target 100) and 4.2
  (tiers "95=5; 90=4; 80=2").
- Penalties: QDTPT 0.5, TTXT 2; bonus points: STC 1, SXD 1, SCT 2.
- Leader rotation follows the units' order: next year SXD leads, SNNMT is deputy.
- Last year's results (2024, "Kỳ trước" sheet): 4 units gained points and 5 lost; TTXT
  fell most (70.50 → 64.90); the Fairness sheet charts the change.
"""

from __future__ import annotations

import datetime as dt

from emutools import contract as C
from emutools.io.template import WorkbookContent, default_awards, default_bands

# code, name, short name, signed, registered award codes, note (vi, en)
UNITS = [
    ("STC", "Sở Tài chính", "Tài chính", True, "CTDCP; TTLDXS", ("Trưởng cụm", "Cluster leader")),
    ("SXD", "Sở Xây dựng", "Xây dựng", True, "TTLDXS", ("Phó trưởng cụm", "Deputy leader")),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Nông nghiệp và Môi trường", True, "TTLDXS", None),
    ("SCT", "Sở Công Thương", "Công Thương", True, "CTDCP; TTLDXS", None),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Khoa học và Công nghệ", False, "TTLDXS",
     ("Chưa ký giao ước thi đua năm 2025", "Did not sign the 2025 emulation agreement")),
    ("BQLKKT", "Ban Quản lý Khu kinh tế và các khu công nghiệp", "Ban QL Khu kinh tế", True,
     "TTLDXS", None),
    ("SDL", "Sở Du lịch", "Du lịch", True, "TTLDXS", None),
    ("QDTPT", "Quỹ Đầu tư phát triển tỉnh", "Quỹ Đầu tư phát triển", True, "", None),
    ("TTXT", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "TT Xúc tiến", True, "TTLDXS", None),
]
UNIT_CODES = [u[0] for u in UNITS]

# code, (vi, en) name, kind, max points, extra fields (a (vi, en) pair where the text
# differs by language); a row with no kind is a group heading
CRITERIA: list[tuple[str, tuple[str, str], str | None, float | None, dict]] = [
    ("1", ("Thực hiện nhiệm vụ chính trị được giao (40 điểm)",
           "Assigned political tasks (40 points)"), None, None, {}),
    ("1.1", ("Ban hành kế hoạch công tác năm đúng thời hạn, sát thực tế",
             "Annual work plan issued on time and realistic"), "score", 4, {}),
    ("1.2", ("Kết quả thực hiện nhiệm vụ chuyên môn", "Results of professional tasks"), None, None, {}),
    ("1.2.a", ("Số nhiệm vụ trọng tâm do UBND tỉnh giao hoàn thành đúng hạn",
               "Key tasks assigned by the provincial People's Committee completed on time"),
     "score", 8, {"target": 6, "rule": "all_or_nothing", "measure_unit": ("nhiệm vụ", "tasks"),
                  "needs_evidence": True}),
    ("1.2.b", ("Chất lượng tham mưu, thực hiện nhiệm vụ chuyên môn thường xuyên",
               "Quality of advice and of regular professional work"), "score", 10, {}),
    ("1.2.c", ("Thực hiện nhiệm vụ đột xuất được giao", "Ad-hoc tasks carried out"), "score", 4, {}),
    ("1.3", ("Tỷ lệ giải ngân vốn đầu tư công được giao", "Public investment disbursement rate"),
     "score", 8, {"target": 100, "rule": "proportional", "measure_unit": "%"}),
    ("1.4", ("Thực hiện chế độ thông tin, báo cáo đúng thời hạn", "Reports sent on time"),
     "score", 3, {}),
    ("1.5", ("Công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo",
             "Inspection and handling of complaints and denunciations"), "score", 3, {}),
    ("2", ("Công tác thi đua, khen thưởng (25 điểm)", "Emulation and commendation work (25 points)"),
     None, None, {}),
    ("2.1", ("Ban hành kế hoạch, tổ chức phát động phong trào thi đua",
             "Emulation movements planned and launched"), "score", 4, {}),
    ("2.2", ("Ký kết giao ước, đăng ký danh hiệu thi đua đúng thời hạn",
             "Agreement signed and titles registered on time"), "score", 3, {}),
    ("2.3", ("Sơ kết, tổng kết, phát hiện và nhân rộng điển hình tiên tiến",
             "Reviews held; good examples found and spread"), "score", 4, {"needs_evidence": True}),
    ("2.4", ("Sáng kiến, giải pháp được cấp có thẩm quyền công nhận",
             "Initiatives recognised by the competent level"), "score", 5, {"needs_evidence": True}),
    ("2.5", ("Tham gia đầy đủ các hoạt động của cụm thi đua", "Takes part in all cluster activities"),
     "score", 4, {}),
    ("2.6", ("Hồ sơ đề nghị khen thưởng đúng quy định, đúng thời hạn",
             "Award dossiers correct and on time"), "score", 3, {}),
    ("2.7", ("Tuyên truyền, biểu dương gương người tốt, việc tốt",
             "Good examples publicised and praised"), "score", 2, {}),
    ("3", ("Xây dựng Đảng, đoàn thể (20 điểm)", "Party and mass organisations (20 points)"),
     None, None, {}),
    ("3.1", ("Tổ chức đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên",
             "Party organisation rated 'tasks well done' or better"), "score", 6,
     {"needs_evidence": True}),
    ("3.2", ("Công đoàn, Đoàn Thanh niên được xếp loại vững mạnh",
             "Trade union and Youth Union rated strong"), "score", 4, {}),
    ("3.3", ("Thực hành tiết kiệm, chống lãng phí; phòng, chống tham nhũng, tiêu cực",
             "Thrift, waste prevention, anti-corruption"), "score", 4, {}),
    ("3.4", ("Thực hiện quy chế dân chủ ở cơ sở", "Grassroots democracy rules applied"), "score", 3, {}),
    ("3.5", ("Xây dựng văn hóa công sở", "Office culture"), "score", 3, {}),
    ("4", ("Cải cách hành chính, chuyển đổi số (15 điểm)",
           "Administrative reform and digital transformation (15 points)"), None, None, {}),
    ("4.1", ("Kết quả các chỉ số cải cách hành chính", "Administrative reform indices"), None, None, {}),
    ("4.1.a", ("Chỉ số cải cách hành chính (PAR Index) của đơn vị", "PAR Index of the unit"),
     "score", 3, {}),
    ("4.1.b", ("Chỉ số hài lòng của người dân, doanh nghiệp (SIPAS)",
               "Citizens' and businesses' satisfaction (SIPAS)"), "score", 2, {}),
    ("4.2", ("Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
             "Administrative procedures settled on time"), "score", 5,
     {"rule": "threshold", "tiers": "95=5; 90=4; 80=2", "measure_unit": "%"}),
    ("4.3", ("Tỷ lệ văn bản đi được ký số, gửi trên môi trường điện tử",
             "Outgoing documents digitally signed and sent electronically"), "score", 5,
     {"target": 100, "rule": "proportional", "measure_unit": "%"}),
    ("5", ("Điểm thưởng (tối đa 5 điểm)", "Bonus points (at most 5)"), None, None, {}),
    ("5.1", ("Có mô hình, cách làm hay được cấp tỉnh trở lên công nhận",
             "Good practice recognised at provincial level or above"), "bonus", 3,
     {"needs_evidence": True, "mandatory": False}),
    ("5.2", ("Được cấp có thẩm quyền khen thưởng đột xuất", "Ad-hoc commendation received"),
     "bonus", 2, {"needs_evidence": True, "mandatory": False}),
    ("6", ("Điểm trừ", "Penalty points"), None, None, {}),
    ("6.1", ("Chậm hoặc không gửi báo cáo theo yêu cầu của cụm (trừ 0,5 điểm/lần)",
             "Late or missing reports to the cluster (0.5 points each)"), "penalty", 3,
     {"mandatory": False}),
    ("6.2", ("Không tham dự hội nghị, hoạt động của cụm không có lý do",
             "Cluster meetings missed without reason"), "penalty", 2, {"mandatory": False}),
    ("7", ("Tiêu chí loại trừ", "Veto criteria"), None, None, {}),
    ("7.1", ("Có cán bộ, công chức, viên chức bị kỷ luật từ mức cảnh cáo trở lên",
             "Staff disciplined with a warning or heavier"), "veto", None, {}),
    ("7.2", ("Tập thể bị cơ quan có thẩm quyền kết luận có vi phạm pháp luật",
             "The unit found in breach of the law by a competent body"), "veto", None, {}),
]

Y, N = True, False
# Verification, one value per unit in UNIT_CODES order; None = left blank on purpose.
VERIFIED: dict[str, list[object]] = {
    #        STC   SXD   SNNMT SCT   SKHCN BQLKKT SDL  QDTPT TTXT
    "1.1":   [4,    4,    3.5,  3.5,  4,    3.5,  3.5,  3.5,  3],
    "1.2.a": [6,    6,    6,    6,    6,    6,    6,    6,    5],
    "1.2.b": [8.5,  9,    8.5,  9,    9.5,  8,    8,    8,    7.5],
    "1.2.c": [3.5,  4,    3.5,  4,    3.5,  3.5,  3.5,  3,    3],
    "1.3":   [97.5, 100,  95,   97.5, 95,   92.5, 92.5, 85,   80],
    "1.4":   [3,    3,    2.5,  3,    3,    2.5,  2.5,  None, 2],
    "1.5":   [2.5,  2.5,  2.5,  2.5,  2.5,  2.5,  2.5,  2.5,  2],
    "2.1":   [4,    4,    3.5,  4,    4,    3.5,  3.5,  3,    3],
    "2.2":   [2.5,  3,    2.5,  3,    2,    3,    3,    2.5,  2.5],
    "2.3":   [4,    4,    3.5,  4,    3.5,  3.5,  3.5,  3,    3],
    "2.4":   [4.5,  4.5,  4,    4.5,  3,    4,    4,    3.5,  3],
    "2.5":   [4,    3.5,  3.5,  4,    3.5,  3,    3,    3,    3],
    "2.6":   [2.5,  3,    2,    2.5,  2.5,  2.5,  2.5,  2.5,  2],
    "2.7":   [1.5,  2,    1.5,  2,    1.5,  1.5,  1.5,  1.5,  None],
    "3.1":   [5.5,  6,    5.5,  5.5,  5.5,  5.5,  5.5,  5,    5],
    "3.2":   [3.5,  3.5,  3.5,  4,    3.5,  3.5,  3.5,  3.5,  3],
    "3.3":   [3.5,  4,    3.5,  4,    4,    3.5,  3.5,  3,    3],
    "3.4":   [3,    2.5,  2.5,  3,    2.5,  2,    2,    2.5,  2.5],
    "3.5":   [3,    3,    2.5,  2.5,  2.5,  2.5,  2.5,  None, 2],
    "4.1.a": [2.5,  2.5,  2.5,  2.5,  2.5,  2.5,  2.5,  2,    2],
    "4.1.b": [1.5,  2,    1.5,  2,    1.5,  1.5,  1.5,  1.5,  1.5],
    "4.2":   [98,   93,   96,   99,   93,   92,   92,   88,   85],
    "4.3":   [100,  98,   90,   96,   98,   86,   86,   90,   80],
    "5.1":   [1,    1,    None, None, None, None, None, None, None],
    "5.2":   [None, None, None, 2,    None, None, None, None, None],
    "6.1":   [None, None, None, None, None, None, None, 0.5,  1],
    "6.2":   [None, None, None, None, None, None, None, None, 1],
    "7.1":   [N,    N,    N,    Y,    N,    N,    N,    N,    N],
    "7.2":   [N,    N,    N,    N,    N,    N,    N,    N,    N],
}

# The self-assessment equals the verification except for these cells (slight inflation,
# the scores of the cells left unverified, and the deliberate mistakes listed above).
SELF_CHANGES: dict[tuple[str, str], object] = {
    ("1.1", "TTXT"): 3.5, ("1.2.b", "STC"): 9.5, ("1.2.b", "SNNMT"): "8,5",
    ("1.2.b", "BQLKKT"): 9, ("1.2.b", "QDTPT"): 8.5, ("1.3", "SKHCN"): 97.5,
    ("1.4", "QDTPT"): 2.5, ("2.3", "SDL"): 4, ("2.4", "SKHCN"): 5, ("2.4", "TTXT"): 6,
    ("2.7", "TTXT"): 1.5, ("3.5", "QDTPT"): 2.5, ("4.1.a", "SDL"): 3,
    ("7.1", "SCT"): N,
}

EVIDENCE_DOCS = {"1.2.a": "BC {n}/BC-{u}", "2.3": "KH {n}/KH-{u}", "2.4": "QĐ {n}/QĐ-{u}",
                 "3.1": "QĐ {n}-QĐ/ĐU", "5.1": "QĐ {n}/QĐ-UBND", "5.2": "QĐ {n}/QĐ-UBND"}
EVIDENCE_MISSING = {("2.4", "SDL"), ("3.1", "QDTPT"), ("2.3", "TTXT")}

SETTINGS = {
    "vi": {"cluster_name": "Cụm thi đua số 3 – Các sở, ngành khối kinh tế",
           "superior_body": "Hội đồng Thi đua – Khen thưởng tỉnh Thanh Hóa",
           "chair": "Ông Nguyễn Văn Hùng, Giám đốc Sở Tài chính, Trưởng cụm",
           "secretary": "Bà Lê Thị Thu Hà, Chánh Văn phòng Sở Tài chính",
           "place": "Hội trường tầng 3, trụ sở Sở Tài chính tỉnh Thanh Hóa"},
    "en": {"cluster_name": "Emulation cluster No. 3 – economic departments",
           "superior_body": "Emulation and Commendation Council of Thanh Hóa province",
           "chair": "Mr Nguyễn Văn Hùng, Director of the Department of Finance, cluster leader",
           "secretary": "Ms Lê Thị Thu Hà, Head of Office, Department of Finance",
           "place": "3rd-floor hall, Department of Finance, Thanh Hóa"},
}


def demo_content(lang: str = "vi") -> WorkbookContent:
    """The demo cluster's workbook content in ``lang`` (unit names stay Vietnamese)."""
    settings = SETTINGS[lang] | {"year": 2025, "period": "annual", "leader": "STC", "deputy": "SXD",
                                 "locality": "Thanh Hóa", "meeting_date": dt.date(2025, 12, 18),
                                 "rotation": "; ".join(UNIT_CODES)}
    verified = _grid(VERIFIED)
    own = {**verified, **SELF_CHANGES}
    return WorkbookContent(
        lang=lang, settings=settings, awards=_awards(lang), units=_units(lang),
        criteria=_criteria(lang),
        scores={C.SELF_SHEET.name(lang): own, C.VERIFIED_SHEET.name(lang): verified},
        evidence=_evidence(own), ballot=BALLOT, previous=_previous(lang))


# Last year's outcome (2024), as `emutools new-period` keeps it on the "Kỳ trước" sheet.
PREVIOUS = [  # code, rank, total, band (position in the bands table), award code
    ("SXD", 1, 96.0, 0, "CTDCP"),
    ("SCT", 2, 95.2, 0, "CTDT"),
    ("STC", 3, 92.5, 0, "CTDT"),
    ("SKHCN", 4, 90.1, 0, "BKT"),
    ("SDL", 5, 86.4, 1, "TTLDXS"),
    ("SNNMT", 6, 86.0, 1, "TTLDXS"),
    ("BQLKKT", 7, 84.3, 1, ""),
    ("QDTPT", 8, 80.2, 1, ""),
    ("TTXT", 9, 70.5, 2, ""),
]


# The secret ballot at the meeting (8 members vote on each candidate; it does not vote on
# itself): the Government flag for STC, and the Excellent Labour Collective places, where
# the vote settles the tie between BQLKKT and SDL for the last place.
BALLOT = [
    {"unit": "STC", "award": "CTDCP", "votes_for": 8, "against": 0, "abstain": 0},
    {"unit": "SKHCN", "award": "TTLDXS", "votes_for": 7, "against": 1, "abstain": 0},
    {"unit": "BQLKKT", "award": "TTLDXS", "votes_for": 6, "against": 2, "abstain": 0},
    {"unit": "SDL", "award": "TTLDXS", "votes_for": 5, "against": 2, "abstain": 1},
]


def _awards(lang: str) -> list[dict]:
    """The default awards, named for a province: its flag and its chairman's Certificate of Merit."""
    awards = default_awards(lang)
    awards[1]["name"] = "Cờ thi đua của UBND tỉnh" if lang == "vi" else "Provincial Emulation Flag"
    # The demo cluster's own rule caps its Excellent Labour Collective proposals at 30 % of
    # members (the tie across the last place is what the ballot settles); the template's
    # default, like Law 2022 Art. 27, grants it to every unit meeting its standards.
    awards[3] |= {"rule": "share", "quota": 30,
                  "basis": ("Luật Thi đua, khen thưởng 2022; quy chế hoạt động của cụm, khối thi đua: tối đa 30 % "
                            "số đơn vị" if lang == "vi" else "Law on Emulation and Commendation 2022; the cluster's "
                            "operating rules: at most 30 % of members")}
    awards[2]["name"] = ("Bằng khen của Chủ tịch UBND tỉnh" if lang == "vi"
                         else "Certificate of Merit of the Provincial Chairman")
    return awards


def _previous(lang: str) -> list[dict]:
    names = {code: name for code, name, *_ in UNITS}
    bands = [label for label, _ in default_bands(lang)]
    awards = {a["code"]: a["name"] for a in _awards(lang)}
    return [{"unit": code, "name": names[code], "rank": rank, "total": total, "band": bands[band],
             "award": awards.get(award, "")} for code, rank, total, band, award in PREVIOUS]


def _units(lang: str) -> list[dict]:
    return [{"code": code, "name": name, "short_name": short, "signed": signed,
             "registered": registered, "veto_note": "",
             "note": note[0 if lang == "vi" else 1] if note else ""}
            for code, name, short, signed, registered, note in UNITS]


def _criteria(lang: str) -> list[dict]:
    rows = []
    for code, names, kind, maximum, extra in CRITERIA:
        row = {"code": code, "name": names[0 if lang == "vi" else 1]}
        if kind:
            row |= {"kind": kind, "max_points": maximum, "weight": 1 if maximum else None,
                    "mandatory": True, "needs_evidence": False}
            row |= {k: v[0 if lang == "vi" else 1] if isinstance(v, tuple) else v
                    for k, v in extra.items()}
        rows.append(row)
    return rows


def _grid(table: dict[str, list[object]]) -> dict[tuple[str, str], object]:
    """Cells keyed (criterion, unit), blanks left out; a veto answer stays a bool (Có/Không)."""
    return {(code, unit): value for code, values in table.items()
            for unit, value in zip(UNIT_CODES, values, strict=True) if value is not None}


def _evidence(own: dict[tuple[str, str], object]) -> dict[tuple[str, str], str]:
    """A document reference wherever a unit claimed points on a criterion that needs evidence."""
    evidence = {}
    for i, (code, pattern) in enumerate(EVIDENCE_DOCS.items()):
        for j, unit in enumerate(UNIT_CODES):
            claimed = own.get((code, unit))
            if claimed and (code, unit) not in EVIDENCE_MISSING:
                evidence[(code, unit)] = pattern.format(n=112 + 37 * i + 5 * j, u=unit)
    return evidence
