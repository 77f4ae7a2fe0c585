"""The words on the input grids, shared by the template builder and the layout.

``emutools new`` (:mod:`emutools.io.template`) and ``emutools layout``
(:mod:`emutools.io.grids`) write the same titles, instructions, hints and validation
messages, so a laid-out sheet reads exactly like a freshly built one.
"""

from __future__ import annotations

YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}
VOTE_LABELS = {"vi": ("Đồng ý", "Không đồng ý", "Không biểu quyết", "Vắng"),
               "en": ("For", "Against", "Abstain", "Absent")}


def tr(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def period_title(year: object, period: str, lang: str) -> str:
    """'NĂM 2026' or '6 THÁNG ĐẦU NĂM 2026' (the settings' year and period)."""
    if period == "midyear":
        return tr(lang, f"6 THÁNG ĐẦU NĂM {year}", f"FIRST HALF OF {year}")
    return tr(lang, f"NĂM {year}", f"YEAR {year}")


def sheet_title(sheet: str, cluster: object, year: object, period: str, lang: str) -> str:
    """Row 1 of every input sheet: the sheet, the cluster, the period and year."""
    return f"{sheet.upper()} – {cluster} – {period_title(year, period, lang)}"


def grid_help(lang: str, role: str, assessor: str) -> str:
    by = f" ({assessor})" if assessor else ""
    return {
        "self": tr(lang, "Mỗi đơn vị chấm vào cột mang mã của mình. Tiêu chí đo lường ghi kết quả đo "
                         "(96,5 cho 96,5 %); tiêu chí loại trừ ghi Có/Không.",
                   "Each unit scores in the column headed by its code. Measured criteria: the measured "
                   "value (96.5 for 96.5 %); veto criteria: Yes/No."),
        "verified": tr(lang, f"Điểm thẩm định{by} thay điểm tự chấm; ô để trống thì dùng điểm tự chấm.",
                       f"Verified scores{by} override the self-assessment; a blank cell keeps it."),
        "cross": tr(lang, f"Điểm chấm chéo{by}; đơn vị không chấm cho chính mình.",
                    f"Cross-scores{by}; a unit does not score itself."),
    }[role]


def evidence_help(lang: str) -> str:
    return tr(lang, "Ghi số, ngày văn bản hoặc đường dẫn tài liệu minh chứng; bắt buộc ở tiêu chí đánh dấu (*).",
              "Document number and date, or a link to the evidence; required where marked (*).")


def ballot_help(lang: str) -> str:
    return tr(lang, "Mỗi dòng một đơn vị được đề nghị một hình thức khen thưởng. Bỏ phiếu kín: ghi tổng số "
                    "phiếu; biểu quyết công khai: ghi phiếu của từng thành viên ở cột mang mã của mình.",
              "One row per unit proposed for an award. Secret ballot: enter the totals; open vote: each "
              "member's vote in the column headed by its code.")


def score_label(criterion: dict, heading: bool, lang: str) -> str:
    """A criterion's name; a measured row says to type the measured value, and against what."""
    name = criterion.get("name") or ""
    return name + measure_hint(criterion, lang) if criterion.get("rule") and not heading else name


def evidence_label(criterion: dict, heading: bool) -> str:
    """A criterion's name, with (*) where evidence is required."""
    name = criterion.get("name") or ""
    return f"{name} (*)" if criterion.get("needs_evidence") and not heading else name


def measure_hint(criterion: dict, lang: str) -> str:
    rule = criterion.get("rule")
    if rule == "grade":
        return tr(lang, " — ghi mức xếp loại", " — enter the grade")
    if rule == "per_occurrence":
        ranges = "=" in str(criterion.get("tiers", ""))
        return tr(lang, " — ghi giá trị từng lần, cách nhau bởi “;”" if ranges else " — ghi số lần",
                  " — enter each occurrence's value, ';'-separated" if ranges else " — enter the count")
    if rule == "threshold":
        basis = tr(lang, f"bậc: {criterion.get('tiers', '')}", f"tiers: {criterion.get('tiers', '')}")
    else:
        target = f"{_shown(criterion.get('target'))} {criterion.get('measure_unit') or ''}".strip()
        basis = tr(lang, f"chỉ tiêu: {target}", f"target: {target}")
    return tr(lang, f" — ghi kết quả đo ({basis})", f" — enter the measured value ({basis})")


def target_label(criterion: dict, heading: bool, lang: str, target_rules) -> str:
    """A criterion's name on the targets sheet, with the common target it overrides."""
    name = criterion.get("name") or ""
    if heading or criterion.get("rule") not in target_rules:
        return name
    common = criterion.get("target")
    common = _shown(common) if common is not None else None
    return name + tr(lang, f" (chỉ tiêu chung: {common if common is not None else 'không có'})",
                     f" (common target: {common if common is not None else 'none'})")


def targets_help(lang: str) -> str:
    return tr(lang, "Chỉ tiêu được giao cho từng đơn vị (kế hoạch riêng). Để trống: dùng chỉ tiêu chung ở sheet "
                    "Tiêu chí; ghi “Không áp dụng” nếu đơn vị không được giao chỉ tiêu này.",
              "Each unit's own plan. Blank: the common target of the Criteria sheet applies; write 'N/A' "
              "when the unit is not assigned this target.")


TARGET_MESSAGE = ("Ghi chỉ tiêu (số dương) hoặc “Không áp dụng”.", "Enter the target (a positive number) or 'N/A'.")


def _shown(value: object) -> str:
    """A target as typed: 100 rather than 100.0 (a reader gives whole numbers as floats)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


SCORE_MESSAGE = ("Điểm phải từ 0 đến điểm tối đa ở cột C.", "Points must be between 0 and the maximum in column C.")
MEASURED_MESSAGE = ("Ghi kết quả đo (một số không âm), không ghi điểm.",
                    "Enter the measured value (zero or more), not points.")
GRADE_MESSAGE = ("Chọn một mức trong danh sách.", "Pick a grade from the list.")
YES_NO_MESSAGE = ("Chọn Có hoặc Không.", "Pick Yes or No.")
VOTE_MESSAGE = ("Chọn một phiếu trong danh sách.", "Pick a vote from the list.")


def message(lang: str, pair: tuple[str, str]) -> str:
    return pair[0] if lang == "vi" else pair[1]
