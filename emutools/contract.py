"""The sheet and column contract of the standard cluster workbook — the one place it lives.

Every adapter (openpyxl/calamine I/O, the xlwings layer, the template builder) reads
sheet names, table names and headers from here, and the core names its table columns
with the ``field`` keys defined here.  Headers are matched with :func:`normalize`, so a
secretary who types "ma don vi", "Mã  Đơn Vị" or "Unit code" hits the same column.

Vietnamese is the primary language, English the second; a workbook is one or the
other, recognised by the name of its settings sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from emutools.texts import LANGS, column, pick, say

LANGUAGES = LANGS  # a workbook is written in a language the catalogue has


@lru_cache(maxsize=65536)
def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", s.lower())


def normalize(text: object) -> str:
    """Fold a header or label for matching: no diacritics, no case, no spaces or punctuation.

    ``đ`` is not a combining form in Unicode, so it is mapped by hand.
    """
    return _fold(str(text))


@cache
def _header_keys(vi: str, en: str, aliases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize(h) for h in (vi, en, *aliases))


@dataclass(frozen=True)
class Column:
    """One column of a table: the core's field name and its headers in each language."""

    field: str
    vi: str
    en: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: float = 14
    number_format: str = "General"
    note_vi: str = ""

    def header(self, lang: str) -> str:
        return pick(lang, self.vi, self.en)

    def header_keys(self) -> frozenset[str]:
        return _header_keys(self.vi, self.en, self.aliases)


@dataclass(frozen=True)
class TableSpec:
    """A table on a sheet, found by its header row (the first row holding all required headers)."""

    key: str
    excel_name: str
    columns: tuple[Column, ...]

    def column(self, field_name: str) -> Column:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(field_name)

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.columns]


@dataclass(frozen=True)
class SheetSpec:
    key: str
    vi: str
    en: str
    tables: tuple[TableSpec, ...] = field(default_factory=tuple)
    aliases: tuple[str, ...] = ()  # names older workbooks used, still recognised

    def name(self, lang: str) -> str:
        return pick(lang, self.vi, self.en)


# --- settings (key / value) -------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One row of the settings table: a label per language, a kind, a default and its source."""

    key: str
    vi: str
    en: str
    kind: str  # text | int | number | date | choice | unit
    default: object = None
    note_vi: str = ""
    note_en: str = ""
    choices: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return pick(lang, self.vi, self.en)


# Choice values: the canonical token first, then what a user may type (vi, en).
VOTE_BASES = {"all": ("Tổng số thành viên", "All members"), "present": ("Số có mặt", "Members present")}
PERIODS = {"annual": ("Năm", "Annual", "Cả năm"), "midyear": ("6 tháng đầu năm", "Mid-year", "6 tháng")}
COMBINE_METHODS = {
    "verified": ("Thẩm định thay tự chấm", "Verified overrides self", "Thẩm định"),
    "mean": ("Trung bình chấm chéo", "Mean of cross-scores", "Trung bình", "Mean"),
    "median": ("Trung vị chấm chéo", "Median of cross-scores", "Trung vị", "Median"),
    "trimmed": (
        "Trung bình bỏ cao nhất, thấp nhất",
        "Trimmed mean of cross-scores",
        "Trung bình cắt",
        "Trimmed mean",
    ),
}
ASSESSMENT_ROLES = {
    "self": ("Tự chấm", "Self-assessment", "Self"),
    "verified": ("Thẩm định", "Verification", "Verified"),
    "cross": ("Chấm chéo", "Cross-score", "Cross"),
}
CRITERION_KINDS = {
    "score": ("Chấm điểm", "Score", "Điểm", "Tiêu chí"),
    "bonus": ("Điểm thưởng", "Bonus", "Cộng", "Thưởng", "Điểm cộng"),
    "penalty": ("Điểm trừ", "Penalty", "Trừ"),
    "veto": ("Loại trừ", "Veto", "Tiêu chí loại trừ"),
}
MEASURE_RULES = {
    "proportional": ("Tỷ lệ", "Proportional", "Tỉ lệ", "Theo tỷ lệ"),
    "threshold": ("Bậc", "Threshold", "Ngưỡng", "Theo bậc"),
    "all_or_nothing": ("Đạt/Không đạt", "Full or zero", "Đạt không đạt", "Đủ/Không"),
    "inverse": ("Tỷ lệ nghịch", "Lower is better", "Nghịch", "Càng thấp càng tốt", "Inverse"),
    "grade": ("Xếp mức", "Grade", "Mức", "Xếp loại mức", "Graded"),
    "per_occurrence": ("Mỗi lần", "Per occurrence", "Theo số lần", "Mỗi trường hợp", "Occurrence"),
}
# Rules that need a target (the criterion's, or the unit's own on the Unit targets sheet).
TARGET_RULES = ("proportional", "inverse", "all_or_nothing")
# Rules that may earn an above-plan bonus (the result beats the plan by a measurable share).
OVERFLOW_RULES = ("proportional", "inverse")
AWARD_RULES = {
    "leader": ("Dẫn đầu cụm", "Cluster leader", "Dẫn đầu"),
    "top": ("Số lượng", "Top N", "Top"),
    "share": ("Tỷ lệ %", "Share %", "Tỷ lệ", "Phần trăm"),
    # a title granted to every unit meeting its standards, no quota (Law 2022, Art. 27:
    # "Tập thể lao động xuất sắc"); it goes beside a unit's award, not instead of it
    "standard": ("Đạt tiêu chuẩn", "Standards-based", "Tiêu chuẩn", "Không hạn chế số lượng", "Standards"),
}
# What a share quota is counted on: all members, or the units meeting the award's conditions.
QUOTA_BASES = {
    "all": ("Tổng số thành viên", "All members", "Tất cả"),
    "qualifying": ("Số đơn vị đạt điều kiện", "Units meeting its conditions", "Đạt điều kiện", "Qualifying"),
}
# What a classification's minimum share is measured on: each criterion, or each criteria group.
SHARE_SCOPES = {
    "criterion": ("Từng tiêu chí", "Each criterion", "Tiêu chí"),
    "group": ("Từng nhóm tiêu chí", "Each criteria group", "Nhóm", "Group"),
}
# A unit under discipline, investigation, inspection or complaint (Units sheet): left out of
# the proposals (today's rule), or ranked and shown with its award held until it is cleared.
UNDER_REVIEW = {
    "exclude": ("Không đề nghị khen thưởng", "Not proposed", "Loại", "Exclude"),
    "defer": ("Tạm hoãn, chưa khen thưởng", "Deferred, not yet awarded", "Tạm hoãn", "Hoãn", "Defer"),
}
# A veto row's "awards barred" cell saying it bars none (a reprimand: points off only).
BARS_NONE = {normalize(x) for x in ("không", "none", "không khen thưởng nào", "no award")}
YES = {normalize(x) for x in ("có", "c", "x", "yes", "y", "1", "true", "đúng", "rồi", "đã ký", "v")}
NO = {normalize(x) for x in ("không", "k", "ko", "no", "n", "0", "false", "sai", "chưa")}
# Marks that fold to nothing under normalize(), so they are matched as typed.
YES_MARKS = frozenset("✓✔☑✅")
NO_MARKS = frozenset("✗✘☐❌")
# A score cell saying the criterion does not apply to the unit ("không giao" a target).  "-" is
# not one: secretaries also type it for zero, and reading a zero as N/A would raise a total.
NOT_APPLICABLE = {normalize(x) for x in ("không áp dụng", "N/A", "KAD", "không giao", "not applicable")}
VERIFY_BLANK = {
    "self": ("Dùng điểm tự chấm", "Use the self-score", "Tự chấm"),
    "none": ("Không tính điểm", "Not awarded", "Không tính", "Không được điểm"),
}
NOT_APPLICABLE_POLICIES = {
    "rescale": ("Quy đổi về thang điểm chung", "Rescale to the common maximum", "Quy đổi"),
    "remaining": ("Chấm trên số điểm còn lại", "Score on the remaining maximum", "Điểm còn lại"),
}
NORMALISATIONS = {
    "none": ("Không chuẩn hóa", "None", "Không"),
    "center": ("Trừ trung bình của người chấm", "Mean-centring", "Trung bình", "Mean-centering"),
    "zscore": ("Điểm chuẩn z", "z-score", "z", "Chuẩn hóa z"),
}
DEFAULT_GRADES = "A = 100; B = 80; C = 50; D = 0"

# The citations messages give (editable in Settings, never written in code).
DEFAULT_CITATION_UNDER_REVIEW = "Điều 4 Nghị định 98/2023/NĐ-CP"

# The texts detailing the Law on Emulation and Commendation (06/2022/QH15), by the date from
# which they apply, newest first: Decree 98/2023/NĐ-CP and Circular 01/2024/TT-BNV until
# Decree 152/2025/NĐ-CP (14 June 2025, in force 1 July 2025) and Circular 15/2025/TT-BNV.
# A period takes the texts in force at its end (30 June, 31 December); the setting stays editable.
LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"
LEGAL_BASES: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2025, 7, 1), f"{LAW}; Nghị định số 152/2025/NĐ-CP; Thông tư số 15/2025/TT-BNV"),
    (dt.date(2024, 1, 1), f"{LAW}; Nghị định số 98/2023/NĐ-CP; Thông tư số 01/2024/TT-BNV"),
)
OLDER_LEGAL_BASES = (  # defaults earlier versions wrote: rolled like the table's own
    f"{LAW}; Nghị định số 98/2023/NĐ-CP (sửa đổi bởi Nghị định số 152/2025/NĐ-CP); Thông tư số 01/2024/TT-BNV",
)
DEFAULT_LEGAL_BASIS = LEGAL_BASES[0][1]


def legal_basis_for(year: int, period: str = "annual") -> str:
    """The default Căn cứ of a period: the texts in force at its end."""
    end = dt.date(year, 6, 30) if period == "midyear" else dt.date(year, 12, 31)
    return next((text for start, text in LEGAL_BASES if end >= start), LEGAL_BASES[-1][1])


def rolled_legal_basis(current: str, year: int, period: str) -> str:
    """The next period's legal basis: the default for that period when the current one is a
    default (of any date), else the cluster's own wording, untouched."""
    defaults = {normalize(text) for _, text in LEGAL_BASES} | {normalize(t) for t in OLDER_LEGAL_BASES}
    return legal_basis_for(year, period) if normalize(current or "") in defaults | {""} else current


SETTINGS: tuple[Setting, ...] = (
    Setting("cluster_name", "Tên cụm, khối thi đua", "Cluster or block name", "text",
            say("sample.cluster_name", "vi"), "Tên in trên văn bản và tiêu đề các sheet.",
            "Printed on documents."),
    Setting("superior_body", "Cơ quan tổ chức cụm (cấp trên)", "Organising body (level above)",
            "text", "", "Ví dụ: Hội đồng Thi đua – Khen thưởng tỉnh.",
            "E.g. the provincial Emulation and Commendation Council."),
    Setting("year", "Năm", "Year", "int", 2026),
    Setting("period", "Kỳ đánh giá", "Period", "choice", "annual",
            "Năm hoặc 6 tháng đầu năm.", "Annual or mid-year review.", tuple(PERIODS)),
    Setting("leader", "Đơn vị trưởng cụm (mã)", "Leader unit (code)", "unit", "",
            "Mã đơn vị trong sheet Đơn vị.", "A code from the Units sheet."),
    Setting("deputy", "Đơn vị phó trưởng cụm (mã)", "Deputy leader unit (code)", "unit", ""),
    Setting("chair", "Người chủ trì", "Chair (name and title)", "text", ""),
    Setting("secretary", "Thư ký", "Secretary", "text", ""),
    Setting("place", "Địa điểm họp", "Meeting place", "text", ""),
    Setting("locality", "Địa danh ghi trên văn bản", "Place name on documents", "text", "",
            "Ví dụ: Thanh Hóa (dòng “Thanh Hóa, ngày … tháng … năm …”, Nghị định 30/2020/NĐ-CP).",
            "E.g. the province, printed before the date (Decree 30/2020/ND-CP)."),
    Setting("meeting_date", "Ngày họp bình xét", "Meeting date", "date", None),
    Setting("deadline", "Hạn gửi lại phiếu tự chấm", "Self-assessment forms due", "date", None,
            "In trên phiếu tự chấm gửi các đơn vị (emutools forms) và trong lời nhắc ở sheet Tiến độ.",
            "Printed on the forms sent to the units (emutools forms) and in the reminders on the "
            "Progress sheet."),
    Setting("decimals", "Số chữ số thập phân của điểm", "Decimals of scores", "int", 2,
            "Điểm từng tiêu chí và tổng được làm tròn (nửa lên) đến số chữ số này trước khi xếp hạng.",
            "Scores and totals are rounded half-up to this precision before ranking."),
    Setting("combine", "Cách tổng hợp điểm các bảng chấm", "How assessments combine", "choice",
            "verified", "Thẩm định thay tự chấm; hoặc trung bình / trung vị / trung bình bỏ cao "
            "nhất-thấp nhất của các bảng chấm chéo (quy chế cụm).",
            "Verified overrides self; or mean / median / trimmed mean of cross-scores.",
            tuple(COMBINE_METHODS)),
    Setting("verify_blank", "Ô thẩm định để trống", "Blank verification cell", "choice", "self",
            "Dùng điểm tự chấm (mặc định) hoặc không tính điểm (chỉ tính điểm thẩm định) theo hướng dẫn "
            "chấm điểm của cụm.",
            "Use the self-score (default) or not awarded (only verified points count), as the "
            "cluster's guidance says.", tuple(VERIFY_BLANK)),
    Setting("not_applicable", "Tiêu chí không áp dụng (N/A) cho đơn vị", "Criteria not applicable to a unit",
            "choice", "rescale",
            "Ô ghi “Không áp dụng” (N/A): quy đổi tổng điểm về thang điểm chung, hoặc chấm trên số "
            "điểm còn lại (không quy đổi). Xem docs/scoring-rules.md.",
            "A cell reading 'N/A': rescale the total to the common maximum, or score on the remaining "
            "maximum (no rescaling). See docs/scoring-rules.md.", tuple(NOT_APPLICABLE_POLICIES)),
    Setting("grades", "Thang xếp mức (mức = % điểm)", "Grade scale (grade = % of points)", "text",
            DEFAULT_GRADES,
            "Tiêu chí cách tính “Xếp mức”: mỗi mức được bao nhiêu % điểm tối đa, ví dụ "
            "“Tốt = 100; Khá = 80; Trung bình = 50; Yếu = 0”. Cột Bậc điểm của tiêu chí ghi đè.",
            "Graded criteria: the share of the points each grade earns, e.g. "
            "'Good = 100; Fair = 80; Average = 50; Weak = 0'. A criterion's Tiers column overrides it."),
    Setting("overflow_cap", "Tổng điểm thưởng vượt chỉ tiêu tối đa", "Cap on total above-plan bonus",
            "number", None, "Để trống nếu hướng dẫn không giới hạn.", "Blank when the guidance sets none."),
    Setting("bonus_cap", "Tổng điểm thưởng tối đa", "Cap on total bonus", "number", None,
            "Gồm cả thưởng vượt chỉ tiêu; để trống nếu không giới hạn.",
            "Above-plan bonus included; blank when there is no cap."),
    Setting("penalty_cap", "Tổng điểm trừ tối đa", "Cap on total penalty", "number", None,
            "Để trống nếu không giới hạn.", "Blank when there is no cap."),
    Setting("normalise", "Chuẩn hóa điểm chấm chéo theo người chấm", "Normalise cross-scores per assessor",
            "choice", "none",
            "Khi tổng hợp bằng trung bình/trung vị: trừ độ lệch trung bình của từng bảng chấm, hoặc "
            "điểm chuẩn z; sheet Công bằng ghi cả hạng khi chưa chuẩn hóa.",
            "With a mean/median combination: remove each sheet's mean offset, or z-scores; the "
            "Fairness sheet shows the ranking without normalisation beside.", tuple(NORMALISATIONS)),
    Setting("tie_break", "Thứ tự phân định khi bằng điểm", "Tie-break order", "text",
            "1; 2; điểm trừ",
            "Mã nhóm tiêu chí (điểm cao hơn xếp trên), “điểm trừ” (ít hơn xếp trên), "
            "“điểm thưởng” (nhiều hơn xếp trên), hoặc tên một cột của sheet Đơn vị (số: cao hơn xếp "
            "trên; Có/Không: Có xếp trên), cách nhau bởi dấu chấm phẩy.",
            "Group codes (higher first), 'penalty' (fewer first), 'bonus' (more first), or the header "
            "of a Units-sheet column (a number: higher first; Yes/No: Yes first), ';'-separated."),
    Setting("gap_threshold", "Ngưỡng chênh lệch tự chấm – thẩm định (% điểm tối đa)",
            "Self vs verified gap threshold (% of max)", "number", 20,
            "Tiêu chí có chênh lệch lớn hơn ngưỡng được đưa ra thảo luận.",
            "Criteria with a larger gap are flagged for discussion."),
    Setting("issues_shown", "Số cảnh báo liệt kê từng dòng ở sheet Kiểm tra",
            "Warnings listed row by row on the Issues sheet", "number", 5000,
            "Mọi lỗi luôn được liệt kê; cảnh báo vượt số này được gộp mỗi đơn vị một dòng, danh sách "
            "đầy đủ ghi ra tệp CSV bên cạnh bảng tính.",
            "Every error is always listed; warnings beyond this number are grouped one row per unit, "
            "the complete list is written to a CSV file beside the workbook."),
    Setting("vote_threshold", "Tỷ lệ phiếu đồng ý tối thiểu (%)", "Minimum share of votes for (%)",
            "number", 50,
            "Quy định của quy chế cụm, không phải của Luật: Luật Thi đua, khen thưởng 2022 (Điều 25, 26) "
            "không đặt tỷ lệ phiếu; 50 % là mức thường dùng, sửa theo quy chế của cụm. Tính trên tổng số "
            "thành viên có quyền biểu quyết (đơn vị được đề nghị không tự bỏ phiếu). Nghị định 91/2017 (đã "
            "hết hiệu lực) từng yêu cầu ≥ 90 % cho một số danh hiệu; cột “Tỷ lệ phiếu tối thiểu” của bảng "
            "khen thưởng ghi đè cho từng hình thức.",
            "A rule of the cluster's regulations, not of the Law: the Law on Emulation and Commendation "
            "2022 (Art. 25-26) sets no vote share; 50 % is the usual figure, change it to the cluster's rule. "
            "Of all members entitled to vote (a candidate does not vote on itself). The awards table may "
            "set its own minimum per award."),
    Setting("vote_base", "Tính tỷ lệ phiếu trên", "Vote share measured against", "choice", "all",
            "Tổng số thành viên (mặc định; thành viên vắng có thể gửi phiếu bằng văn bản) hoặc số có mặt.",
            "All members (default; absent members may vote in writing) or those present.",
            ("all", "present")),
    Setting("rotation", "Thứ tự luân phiên trưởng cụm (mã đơn vị)", "Leader rotation order (unit codes)",
            "text", "", "Ví dụ: STC; SXD; SNNMT. Năm sau: trưởng cụm là đơn vị kế tiếp trưởng cụm năm nay, "
            "phó trưởng cụm là đơn vị kế tiếp nữa. Để trống nếu cụm bầu.",
            "E.g. STC; SXD; SNNMT. Next year's leader follows this year's in the list, the deputy the one "
            "after. Leave blank when the cluster elects them."),
    Setting("next_leader", "Trưởng cụm năm sau (mã, nếu bầu)", "Next leader (code, if elected)", "unit", ""),
    Setting("next_deputy", "Phó trưởng cụm năm sau (mã, nếu bầu)", "Next deputy (code, if elected)",
            "unit", ""),
    Setting("under_review", "Đơn vị đang bị kỷ luật, điều tra, thanh tra, khiếu nại",
            "Unit under discipline, investigation, inspection or complaint", "choice", "exclude",
            "Không đề nghị khen thưởng (mặc định), hoặc tạm hoãn: vẫn xếp hạng, khen thưởng của đơn vị "
            "được giữ lại kèm lý do cho đến khi có kết luận.",
            "Not proposed (default), or deferred: still ranked, its award held with the reason until "
            "the matter is concluded.", tuple(UNDER_REVIEW)),
    Setting("citation_under_review", "Căn cứ chưa khen thưởng khi đang bị xử lý",
            "Citation: no award while under review", "text", DEFAULT_CITATION_UNDER_REVIEW,
            "Ghi trong lý do của đơn vị đang bị kỷ luật, điều tra, thanh tra, khiếu nại; sửa khi văn bản "
            "thay đổi, để trống nếu không trích dẫn.",
            "Quoted in the reason given for a unit under review; edit when the law changes, blank for "
            "none."),
    Setting("legal_basis", "Căn cứ pháp lý", "Legal basis", "text", DEFAULT_LEGAL_BASIS,
            "In trên văn bản, mỗi văn bản một dòng “Căn cứ”, cách nhau bởi dấu chấm phẩy. Mặc định theo kỳ: "
            "kỳ kết thúc trước 01/7/2025 — Nghị định 98/2023/NĐ-CP, Thông tư 01/2024/TT-BNV; từ 01/7/2025 — "
            "Nghị định 152/2025/NĐ-CP (14/6/2025), Thông tư 15/2025/TT-BNV. Kiểm tra và sửa khi văn bản thay đổi.",
            "Printed on documents, one 'Pursuant to' line per text, separated by semicolons. Default by "
            "period: ending before 1 July 2025 — Decree 98/2023, Circular 01/2024/TT-BNV; from 1 July 2025 — "
            "Decree 152/2025 (14 June 2025), Circular 15/2025/TT-BNV. Check and edit when the law changes."),
)

SETTING_BY_KEY = {s.key: s for s in SETTINGS}
# The choices of each choice setting (the canonical token first in each label list).
SETTING_CHOICES = {"period": PERIODS, "combine": COMBINE_METHODS, "vote_base": VOTE_BASES,
                   "verify_blank": VERIFY_BLANK, "not_applicable": NOT_APPLICABLE_POLICIES,
                   "normalise": NORMALISATIONS, "under_review": UNDER_REVIEW}

# --- tables ---------------------------------------------------------------------------

SETTINGS_TABLE = TableSpec("settings", "tblCaiDat", (
    Column("label", "Thông số", "Setting", required=True, width=44),
    Column("value", "Giá trị", "Value", required=True, width=36),
    Column("note", "Ghi chú", "Note", width=70),
))

ASSESSMENTS_TABLE = TableSpec("assessments", "tblBangCham", (
    Column("sheet", "Sheet chấm điểm", "Scores sheet", required=True, width=44),
    Column("role", "Loại bảng chấm", "Assessment role", required=True, width=36),
    Column("assessor", "Đơn vị, người chấm", "Assessor", width=30),
    Column("scope", "Phạm vi chấm (mã tiêu chí, nhóm)", "Scope (criteria or groups)", width=24),
))

BANDS_TABLE = TableSpec("bands", "tblXepLoai", (
    Column("band", "Xếp loại", "Classification", required=True, width=44),
    Column("min_total", "Tổng điểm tối thiểu", "Minimum total", required=True, width=36,
           number_format="0.00"),
    Column("min_share", "Tỷ lệ điểm tối thiểu (%)", "Minimum share of points (%)", width=30),
    Column("share_of", "Tỷ lệ tối thiểu áp dụng cho", "Minimum share applies to", width=18),
))

AWARDS_TABLE = TableSpec("awards", "tblKhenThuong", (
    Column("code", "Mã khen thưởng", "Award code", required=True, width=44),
    Column("name", "Hình thức khen thưởng", "Award", required=True, width=36),
    Column("rule", "Cách chọn", "Selection rule", required=True, width=30),
    Column("quota", "Số lượng hoặc tỷ lệ %", "Quota (count or %)", width=18),
    Column("min_band", "Xếp loại tối thiểu", "Minimum classification", width=20),
    Column("needs_registration", "Phải đăng ký danh hiệu", "Registration required", width=18),
    Column("needs_agreement", "Phải ký giao ước", "Agreement required", width=18),
    Column("basis", "Căn cứ", "Legal basis", width=60),
    Column("vote_threshold", "Tỷ lệ phiếu tối thiểu (%)", "Minimum vote share (%)", width=14),
    Column("conditions", "Điều kiện riêng (cột sheet Đơn vị)", "Own conditions (Units-sheet columns)", width=30),
    Column("min_group_share", "Tỷ lệ điểm tối thiểu mỗi nhóm (%)", "Minimum share of each group (%)", width=14),
    Column("quota_base", "Tỷ lệ tính trên", "Quota counted on", width=18),
    Column("fallback", "Nếu không được, xét (mã)", "Falls back to (code)", width=14),
))

UNITS_TABLE = TableSpec("units", "tblDonVi", (
    Column("code", "Mã đơn vị", "Unit code", required=True, width=12, number_format="@"),
    Column("name", "Tên đơn vị", "Unit name", required=True, width=44),
    Column("short_name", "Tên viết tắt", "Short name", width=16),
    Column("signed", "Ký giao ước", "Agreement signed", width=12),
    Column("registered", "Đăng ký danh hiệu (mã)", "Registered titles (codes)", width=24,
           aliases=("Đăng ký danh hiệu", "Registered titles")),
    Column("veto_note", "Đang bị kỷ luật, điều tra, thanh tra, khiếu nại", "Under discipline or investigation",
           width=30),
    Column("ranking_group", "Nhóm xếp hạng", "Ranking group", width=16),
    Column("note", "Ghi chú", "Note", width=30),
))

CRITERIA_TABLE = TableSpec("criteria", "tblTieuChi", (
    Column("code", "Mã tiêu chí", "Criterion code", required=True, width=10, number_format="@"),
    Column("name", "Nội dung tiêu chí", "Criterion", required=True, width=60),
    Column("kind", "Loại", "Kind", width=14),
    Column("max_points", "Điểm tối đa", "Max points", width=11, number_format="0.00"),
    Column("weight", "Trọng số", "Weight", width=10, number_format="0.00"),
    Column("mandatory", "Bắt buộc chấm", "Mandatory", width=10),
    Column("needs_evidence", "Cần minh chứng", "Evidence required", width=11),
    Column("target", "Chỉ tiêu", "Target", width=10),
    Column("rule", "Cách tính", "Rule", width=14),
    Column("tiers", "Bậc điểm", "Tiers", width=18),
    Column("measure_unit", "Đơn vị tính", "Measure unit", width=10),
    Column("over_rate", "Thưởng vượt chỉ tiêu (% điểm mỗi 1 % vượt)", "Above-plan bonus (% of points per 1 % above)",
           width=14),
    Column("over_cap", "Thưởng vượt tối đa (% điểm)", "Above-plan bonus cap (% of points)", width=12),
    Column("cap", "Giới hạn điểm của nhóm", "Group cap (points)", width=11, number_format="0.00"),
    Column("veto_points", "Điểm trừ khi vi phạm (tiêu chí loại trừ)", "Points off when breached (veto)", width=12,
           number_format="0.00"),
    Column("bars", "Không được đề nghị (mã khen thưởng)", "Awards barred (codes)", width=18),
    Column("ranking_groups", "Áp dụng cho nhóm xếp hạng", "Ranking groups it applies to", width=16),
))

# Score grids: criteria as rows, one column per unit (headed by the unit code).
GRID_CODE = Column("criterion", "Mã tiêu chí", "Criterion code", required=True, width=10,
                   number_format="@")
GRID_NAME = Column("name", "Nội dung tiêu chí", "Criterion", width=50)
GRID_MAX = Column("max_points", "Điểm tối đa", "Max points", width=9, number_format="0.00")
GRID_LEAD = (GRID_CODE, GRID_NAME, GRID_MAX)

# The vote: one row per candidate (unit, award).  Totals for a secret ballot, or one
# column per member unit (headed by its code) with Đồng ý / Không đồng ý / Không biểu quyết.
BALLOT_TABLE = TableSpec("ballot", "tblBoPhieu", (
    Column("unit", "Mã đơn vị được đề nghị", "Candidate unit code", required=True, width=14,
           number_format="@"),
    Column("award", "Mã khen thưởng", "Award code", required=True, width=14),
    Column("votes_for", "Đồng ý", "For", width=9, number_format="0"),
    Column("against", "Không đồng ý", "Against", width=9, number_format="0"),
    Column("abstain", "Không biểu quyết", "Abstain", width=9, number_format="0"),
))

# Last period's outcome, kept by `emutools new-period` for the year-over-year comparison.
PREVIOUS_TABLE = TableSpec("previous", "tblKyTruoc", (
    Column("unit", "Mã đơn vị", "Unit code", required=True, width=12, number_format="@"),
    Column("name", "Tên đơn vị", "Unit name", width=44),
    Column("rank", "Hạng kỳ trước", "Previous rank", width=10, number_format="0"),
    Column("total", "Tổng điểm kỳ trước", "Previous total", required=True, width=12,
           number_format="0.00"),
    Column("band", "Xếp loại kỳ trước", "Previous classification", width=16),
    Column("award", "Khen thưởng kỳ trước", "Previous award", width=30),
))

RANKING_TABLE = TableSpec("ranking", "tblXepHang", (
    Column("rank", "Hạng", "Rank", width=7, number_format="0"),
    Column("unit", "Mã đơn vị", "Unit code", width=11),
    Column("name", "Tên đơn vị", "Unit name", width=40),
    Column("total", "Tổng điểm", "Total", width=11, number_format="0.00"),
    # one column per criteria group is inserted here, headed by the group code and name
    Column("bonus", "Điểm thưởng", "Bonus", width=10, number_format="0.00"),
    Column("penalty", "Điểm trừ", "Penalty", width=10, number_format="0.00"),
    Column("band", "Xếp loại", "Classification", width=14),
    Column("eligible", "Đủ điều kiện khen thưởng", "Eligible for awards", width=12),
    Column("reasons", "Lý do không đủ điều kiện", "Why not eligible", width=40),
    Column("award", "Đề nghị khen thưởng", "Proposed award", width=30),
    Column("vote", "Kết quả bỏ phiếu", "Vote", width=22),
    Column("flags", "Số lỗi, cảnh báo", "Flags", width=10, number_format="0"),
))

# Ranking columns shown only when the workbook uses the rule behind them (an old workbook's
# Ranking sheet keeps its layout): points over a cap, and criteria not applicable to a unit.
RANKING_CAPPED = Column("capped", "Điểm vượt giới hạn (không tính)", "Points over caps (not counted)", width=12,
                        number_format="0.00")
RANKING_APPLICABLE_MAX = Column("applicable_max", "Điểm tối đa áp dụng", "Applicable maximum", width=11,
                                number_format="0.00")
RANKING_GROUP = Column("ranking_group", "Nhóm xếp hạng", "Ranking group", width=14)
RANKING_BAND_NOTE = Column("band_note", "Lý do xếp loại thấp hơn", "Why a lower classification", width=36)
RANKING_TITLES = Column("titles", "Danh hiệu đạt tiêu chuẩn", "Standards-based titles", width=24)
RANKING_NOT_APPLICABLE = Column("not_applicable", "Tiêu chí không áp dụng", "Criteria not applicable",
                                width=16)

FAIRNESS_TABLE = TableSpec("fairness", "tblCongBang", (
    Column("rank", "Hạng", "Rank", width=7, number_format="0"),
    Column("unit", "Mã đơn vị", "Unit code", width=11),
    Column("name", "Tên đơn vị", "Unit name", width=40),
    Column("gap", "Tự chấm cao hơn thẩm định", "Self minus verified", width=14, number_format="0.00"),
    Column("self", "Tổng tự chấm", "Self-assessed total", width=12, number_format="0.00"),
    Column("verified", "Tổng thẩm định", "Verified total", width=12, number_format="0.00"),
    Column("previous", "Tổng điểm kỳ trước", "Previous total", width=12, number_format="0.00"),
    Column("change", "Tăng, giảm so với kỳ trước", "Change on previous", width=14, number_format="0.00"),
))

# Fairness columns shown only when cross-scores are normalised: the ranking without it.
FAIRNESS_RAW_RANK = Column("raw_rank", "Hạng khi chưa chuẩn hóa", "Rank without normalisation", width=11,
                           number_format="0")
FAIRNESS_RAW_TOTAL = Column("raw_total", "Tổng điểm chưa chuẩn hóa", "Total without normalisation", width=12,
                            number_format="0.00")

# One row per recalculation (appended): what was decided from which inputs, under which rules.
HISTORY_TABLE = TableSpec("history", "tblLichSu", (
    Column("when", "Thời điểm tính", "Recalculated at", required=True, width=18,
           number_format="dd/mm/yyyy hh:mm"),
    Column("input_hash", "Mã số liệu đầu vào", "Input fingerprint", width=20),
    Column("rules", "Phiên bản quy tắc", "Rule version", width=50),
    Column("leader", "Dẫn đầu trong số đơn vị đủ điều kiện", "Leading eligible unit", width=14,
           aliases=("Đơn vị dẫn đầu", "Leading unit")),
    Column("top3", "Ba đơn vị đầu", "Top three", width=30),
    Column("errors", "Số lỗi", "Errors", width=8, number_format="0"),
    Column("warnings", "Số cảnh báo", "Warnings", width=10, number_format="0"),
))

# Self-assessment forms out and back (emutools forms / collect): one row per unit.
PROGRESS_TABLE = TableSpec("progress", "tblTienDo", (
    Column("unit", "Mã đơn vị", "Unit code", required=True, width=11),
    Column("name", "Tên đơn vị", "Unit name", width=36),
    Column("sent", "Phiếu đã gửi", "Form sent", width=30),
    Column("returned", "Phiếu nhận về", "Form returned", width=30),
    Column("returned_at", "Lưu lúc", "Saved at", width=16, number_format="dd/mm/yyyy hh:mm"),
    Column("filled", "Ô đã tự chấm", "Cells self-scored", width=10, number_format="0"),
    Column("required", "Ô phải chấm", "Cells required", width=10, number_format="0"),
    Column("evidence_missing", "Thiếu minh chứng", "Evidence missing", width=10, number_format="0"),
    Column("verified", "Đã thẩm định", "Verified", width=10),
    Column("reminder", "Lời nhắc gửi đơn vị", "Reminder to send", width=90),
))

ISSUES_TABLE = TableSpec("issues", "tblKiemTra", (
    Column("severity", "Mức độ", "Severity", width=10),
    Column("sheet", "Sheet", "Sheet", width=16),
    Column("cell", "Ô", "Cell", width=8),
    Column("unit", "Đơn vị", "Unit", width=10),
    Column("criterion", "Tiêu chí", "Criterion", width=10),
    Column("message", "Nội dung", "Message", width=80),
    Column("message_other", "Message (English)", "Nội dung (tiếng Việt)", width=40),
    Column("code", "Mã kiểm tra", "Check code", width=12),
    Column("key", "Ô cần sửa", "Flagged cell", width=24),
))

# Values `emutools layout` took off a grid because their unit, criterion or member left its
# table: kept here, never deleted, so a secretary can copy them back (a renamed code included).
REMOVED_TABLE = TableSpec("removed", "tblDuLieuDaBo", (
    Column("sheet", "Sheet", "Sheet", required=True, width=16),
    Column("cell", "Ô cũ", "Old cell", width=8),
    Column("unit", "Mã đơn vị", "Unit code", required=True, width=12, number_format="@"),
    Column("key", "Mã tiêu chí hoặc dòng phiếu", "Criterion code or ballot row", width=18,
           number_format="@"),
    Column("value", "Giá trị đã nhập", "Value entered", width=18),
    Column("reason", "Lý do", "Why", width=60),
))

# Input cells changed since the previous recalculation (io/changes.py): one row per cell.
CHANGES_TABLE = TableSpec("changes", "tblThayDoi", (
    Column("sheet", "Sheet", "Sheet", width=16),
    Column("cell", "Ô", "Cell", width=8),
    Column("unit", "Đơn vị", "Unit", width=10),
    Column("criterion", "Tiêu chí", "Criterion", width=10),
    Column("item", "Mục", "Item", width=22),
    Column("old", "Giá trị cũ", "Old value", width=30),
    Column("new", "Giá trị mới", "New value", width=30),
    Column("when", "Lần tính", "Recalculated at", width=18, number_format="dd/mm/yyyy hh:mm:ss"),
))

# The inputs of the last recalculation, compressed (io/snapshot.py): the Changes sheet of the
# next one compares against it.  Written very hidden; docs/changes.md says how to read it.
SNAPSHOT_TABLE = TableSpec("snapshot", "tblAnhChup", (
    Column("part", "Phần", "Part", required=True, width=8, number_format="0"),
    Column("data", "Dữ liệu", "Data", required=True, width=100),
))

# --- sheets ---------------------------------------------------------------------------

GUIDE = SheetSpec("guide", "Hướng dẫn", "Guide")
SETTINGS_SHEET = SheetSpec("settings", "Cài đặt", "Settings",
                           (SETTINGS_TABLE, ASSESSMENTS_TABLE, BANDS_TABLE, AWARDS_TABLE))
UNITS_SHEET = SheetSpec("units", "Đơn vị", "Units", (UNITS_TABLE,))
CRITERIA_SHEET = SheetSpec("criteria", "Tiêu chí", "Criteria", (CRITERIA_TABLE,))
SELF_SHEET = SheetSpec("self", "Tự chấm", "Self-assessment")
VERIFIED_SHEET = SheetSpec("verified", "Thẩm định", "Verification")
EVIDENCE_SHEET = SheetSpec("evidence", "Minh chứng", "Evidence")
# Optional: each unit's own plan per measured criterion (criteria × units, like a scores sheet);
# a blank cell falls back to the criterion's common target, "N/A" marks a target not assigned.
TARGETS_SHEET = SheetSpec("targets", "Chỉ tiêu đơn vị", "Unit targets")
BALLOT_SHEET = SheetSpec("ballot", "Bỏ phiếu", "Ballot", (BALLOT_TABLE,))
PREVIOUS_SHEET = SheetSpec("previous", "Kỳ trước", "Previous period", (PREVIOUS_TABLE,))
RANKING_SHEET = SheetSpec("ranking", "Xếp hạng", "Ranking", (RANKING_TABLE,))
ISSUES_SHEET = SheetSpec("issues", "Kiểm tra", "Issues", (ISSUES_TABLE,))
FAIRNESS_SHEET = SheetSpec("fairness", "Công bằng", "Fairness", (FAIRNESS_TABLE,))
# Excel reserves the sheet name "History" (its UI refuses it): English workbooks made before
# 0.3 have it and are still read, and keep the name they have.
HISTORY_SHEET = SheetSpec("history", "Lịch sử", "Run history", (HISTORY_TABLE,), aliases=("History",))
REMOVED_SHEET = SheetSpec("removed", "Dữ liệu đã bỏ", "Removed data", (REMOVED_TABLE,))
CHANGES_SHEET = SheetSpec("changes", "Thay đổi", "Changes", (CHANGES_TABLE,))
SNAPSHOT_SHEET = SheetSpec("snapshot", "Ảnh chụp số liệu", "Input snapshot", (SNAPSHOT_TABLE,))
# Written by collect, and by rank once a cluster uses forms; its returned-form columns are read back.
PROGRESS_SHEET = SheetSpec("progress", "Tiến độ", "Progress", (PROGRESS_TABLE,))

INPUT_SHEETS = (SETTINGS_SHEET, UNITS_SHEET, CRITERIA_SHEET)
OUTPUT_SHEETS = (RANKING_SHEET, ISSUES_SHEET, FAIRNESS_SHEET, HISTORY_SHEET)
# Every sheet a recalculation rewrites in full: none of them is an input.
RECALCULATED_SHEETS = (*OUTPUT_SHEETS, CHANGES_SHEET, SNAPSHOT_SHEET)
SHEETS = (GUIDE, SETTINGS_SHEET, UNITS_SHEET, CRITERIA_SHEET, SELF_SHEET, VERIFIED_SHEET,
          EVIDENCE_SHEET, BALLOT_SHEET, RANKING_SHEET, ISSUES_SHEET, FAIRNESS_SHEET, HISTORY_SHEET)

# Defined name over the issues sheet's "flagged cell" column: the template's conditional
# formatting highlights an input cell while its "Sheet!A1" key is listed there, so the
# highlight disappears by itself on the next recalculation once the input is fixed.
FLAG_KEYS_NAME = "emu_flag_keys"


def detect_language(sheet_names: list[str]) -> str:
    """The workbook's language: English only when it has the English settings sheet."""
    names = {normalize(n) for n in sheet_names}
    if normalize(SETTINGS_SHEET.en) in names and normalize(SETTINGS_SHEET.vi) not in names:
        return "en"
    return "vi"


def find_sheet(sheet_names: list[str], spec: SheetSpec) -> str | None:
    """The actual name of the sheet matching ``spec`` in either language, if present."""
    wanted = {normalize(name) for name in (spec.vi, spec.en, *spec.aliases)}
    return next((n for n in sheet_names if normalize(n) in wanted), None)


def choice_token(value: object, choices: dict[str, tuple[str, ...]]) -> str | None:
    """Map a typed choice ('Thẩm định', 'mean', 'trung binh') to its canonical token."""
    key = normalize(value)
    if not key:
        return None
    for token, labels in choices.items():
        if key == normalize(token) or key in {normalize(x) for x in labels}:
            return token
    return None


def choice_label(token: str, choices: dict[str, tuple[str, ...]], lang: str) -> str:
    return choices[token][column(lang)]
