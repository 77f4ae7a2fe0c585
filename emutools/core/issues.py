"""Flags: one row per problem found in the inputs, each pointing at the cell to fix.

Every message exists in Vietnamese and English; the catalogue below is the only place
message texts are written, so the checks, the CLI and the Excel layer all say the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np

from emutools.core.numbers import format_number
from emutools.texts import column

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_LABELS = {
    ERROR: ("Lỗi", "Error"),
    WARNING: ("Cảnh báo", "Warning"),
    INFO: ("Thông tin", "Info"),
}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

# code: (severity, Vietnamese, English).  Placeholders are filled from Issue.params.
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "sheet_missing": (ERROR, "Thiếu sheet “{sheet}”. Hãy khôi phục sheet này (hoặc tạo tệp mới bằng “emutools new”).",
                      "Sheet '{sheet}' is missing. Restore it (or create a new file with 'emutools new')."),
    "table_missing": (ERROR, "Không tìm thấy bảng “{table}” trên sheet “{sheet}”: cần dòng tiêu đề có các cột {columns}.",
                      "Table '{table}' not found on sheet '{sheet}': a header row with the columns {columns} is needed."),
    "column_missing": (ERROR, "Bảng “{table}” thiếu cột “{column}”. Hãy thêm lại cột này vào dòng tiêu đề.",
                       "Table '{table}' has no column '{column}'. Add it back to the header row."),
    "assessment_sheet_missing": (ERROR, "Bảng chấm “{listed}” được khai báo trong Cài đặt nhưng không có sheet này (hoặc sheet thiếu dòng tiêu đề “Mã tiêu chí”).",
                                 "Scores sheet '{listed}' is listed in Settings but does not exist (or has no 'Criterion code' header)."),
    "assessment_role_unknown": (ERROR, "Loại bảng chấm “{value}” không hợp lệ; chọn Tự chấm, Thẩm định hoặc Chấm chéo.",
                                "Unknown assessment role '{value}'; use Self-assessment, Verification or Cross-score."),
    "setting_invalid": (ERROR, "Giá trị “{value}” của “{setting}” không hợp lệ: {hint}. Đang dùng mặc định “{default}”.",
                        "Value '{value}' of '{setting}' is not valid: {hint}. Using the default '{default}'."),
    "setting_unknown_unit": (WARNING, "“{setting}”: mã đơn vị “{value}” không có trong sheet Đơn vị.",
                             "'{setting}': unit code '{value}' is not in the Units sheet."),
    "tie_break_unknown": (WARNING, "Tiêu chí phân định “{value}” không phải mã nhóm tiêu chí, “điểm trừ” hay “điểm thưởng”; bị bỏ qua.",
                          "Tie-break '{value}' is not a criteria group code, 'penalty' or 'bonus'; ignored."),
    "band_invalid": (ERROR, "Xếp loại “{band}”: điểm tối thiểu “{value}” không phải là số.",
                     "Classification '{band}': minimum '{value}' is not a number."),
    "award_invalid": (ERROR, "Khen thưởng “{award}”: {hint}.", "Award '{award}': {hint}."),
    "band_share_invalid": (ERROR, "Xếp loại “{band}”: “{value}” không hợp lệ; cần tỷ lệ % từ 0 đến 100 và áp dụng cho Từng tiêu chí hoặc Từng nhóm tiêu chí. Xếp loại này chỉ xét tổng điểm.",
                           "Classification '{band}': '{value}' is not valid; a share from 0 to 100 % applying to Each criterion or Each criteria group is needed. This classification checks the total only."),
    "band_unreachable": (WARNING, "Xếp loại “{band}” cần tổng điểm tối thiểu {value}, nhưng bảng tiêu chí cho tối đa {max} điểm (kể cả điểm thưởng): không đơn vị nào đạt được. Hãy ghi điểm tối thiểu theo thang điểm của bảng tiêu chí (hoặc sửa điểm tối đa các tiêu chí).",
                         "Classification '{band}' needs a total of at least {value}, but the criteria give at most {max} points (bonus included): no unit can reach it. Set the minimum on the criteria's scale (or correct the criteria's maximum points)."),
    "award_band_unreachable": (WARNING, "Khen thưởng “{award}” cần xếp loại tối thiểu “{band}” ({value} điểm), cao hơn tổng điểm tối đa {max} của bảng tiêu chí: không đơn vị nào được đề nghị. Hãy sửa bảng xếp loại hoặc xếp loại tối thiểu của khen thưởng này.",
                               "Award '{award}' needs at least the classification '{band}' ({value} points), above the criteria's maximum total of {max}: no unit can be proposed. Correct the bands or this award's minimum classification."),
    "unit_sample": (WARNING, "Đơn vị “{unit}” (“{value}”) vẫn là đơn vị mẫu của bảng tính trắng. Hãy ghi đơn vị của cụm đè lên dòng này (hoặc xóa dòng) rồi bấm “Cập nhật bố cục”, trước khi tạo văn bản.",
                    "Unit '{unit}' ('{value}') is still a sample unit of the blank template. Type the cluster's unit over this row (or delete it), then click “Cập nhật bố cục” (Update layout), before making documents."),
    "award_sample": (WARNING, "Tên khen thưởng “{award}” vẫn là tên mẫu của bảng tính trắng. Hãy ghi đúng tên hình thức khen thưởng và cấp tặng (ví dụ “Cờ thi đua của UBND tỉnh …”): tên này được in ở tiêu đề Tờ trình.",
                     "Award name '{award}' is still a sample of the blank template. Write the award's exact name and granting body (e.g. 'Emulation Flag of the … Provincial People's Committee'): it is printed in the proposal letter's title."),
    "cluster_name_sample": (WARNING, "Tên cụm “{value}” vẫn là tên mặc định của bảng tính trắng. Hãy ghi đúng tên cụm, khối thi đua (ví dụ “Cụm thi đua số 3 – Các sở, ngành khối kinh tế”): tên này được in ở tiêu đề các sheet và trên văn bản.",
                            "The cluster name '{value}' is still the blank template's default. Write the cluster's or block's exact name (e.g. 'Emulation cluster No. 3 – economic departments'): it is printed in every sheet title and on the documents."),
    "criterion_veto_points_invalid": (ERROR, "Tiêu chí loại trừ “{criterion}”: điểm trừ “{value}” không phải là số; không trừ điểm.",
                                      "Veto criterion '{criterion}': points off '{value}' is not a number; no points are taken off."),
    "criterion_veto_column_ignored": (WARNING, "Tiêu chí “{criterion}” không phải tiêu chí loại trừ: cột “{column}” bị bỏ qua.",
                                      "Criterion '{criterion}' is not a veto criterion: column '{column}' is ignored."),
    "criterion_bars_unknown": (WARNING, "Tiêu chí loại trừ “{criterion}”: mã khen thưởng “{value}” không có trong bảng khen thưởng; bị bỏ qua.",
                               "Veto criterion '{criterion}': award code '{value}' is not in the awards table; ignored."),
    "criterion_ranking_group_unknown": (WARNING, "Tiêu chí “{criterion}”: nhóm xếp hạng “{value}” không có ở cột Nhóm xếp hạng của sheet Đơn vị.",
                                        "Criterion '{criterion}': ranking group '{value}' is not in the Units sheet's Ranking group column."),
    "unit_attribute_invalid": (WARNING, "Đơn vị “{unit}”, cột “{column}”: “{value}” không đọc được (cần số hoặc Có/Không); được coi như để trống.",
                               "Unit '{unit}', column '{column}': '{value}' cannot be read (a number or Yes/No is needed); counted as blank."),
    "unit_code_missing": (ERROR, "Dòng {row} có tên đơn vị nhưng thiếu mã đơn vị.",
                          "Row {row} has a unit name but no unit code."),
    "unit_code_duplicate": (ERROR, "Mã đơn vị “{unit}” bị trùng (đã có ở dòng {first_row}). Mỗi đơn vị một mã.",
                            "Unit code '{unit}' is duplicated (already on row {first_row}). One code per unit."),
    "no_units": (ERROR, "Sheet Đơn vị chưa có đơn vị nào.", "The Units sheet lists no units."),
    "criterion_code_missing": (ERROR, "Dòng {row} có nội dung tiêu chí nhưng thiếu mã tiêu chí.",
                               "Row {row} has a criterion but no code."),
    "criterion_code_duplicate": (ERROR, "Mã tiêu chí “{criterion}” bị trùng (đã có ở dòng {first_row}).",
                                 "Criterion code '{criterion}' is duplicated (already on row {first_row})."),
    "criterion_orphan": (WARNING, "Tiêu chí “{criterion}” không có tiêu chí cha “{parent}”; được tính như một nhóm riêng.",
                         "Criterion '{criterion}' has no parent '{parent}'; it counts as a group of its own."),
    "criterion_kind_unknown": (ERROR, "Loại tiêu chí “{value}” không hợp lệ; chọn Chấm điểm, Điểm thưởng, Điểm trừ hoặc Loại trừ.",
                               "Criterion kind '{value}' is not valid; use Score, Bonus, Penalty or Veto."),
    "criterion_max_missing": (ERROR, "Tiêu chí “{criterion}” chưa có điểm tối đa (số dương).",
                              "Criterion '{criterion}' has no maximum points (a positive number)."),
    "criterion_weight_invalid": (ERROR, "Trọng số “{value}” của tiêu chí “{criterion}” không hợp lệ; dùng 1.",
                                 "Weight '{value}' of criterion '{criterion}' is not valid; using 1."),
    "criterion_rule_unknown": (ERROR, "Cách tính “{value}” không hợp lệ; chọn Tỷ lệ, Tỷ lệ nghịch, Bậc, Đạt/Không đạt, Xếp mức hoặc Mỗi lần.",
                               "Rule '{value}' is not valid; use Proportional, Lower is better, Threshold, Full or zero, Grade or Per occurrence."),
    "criterion_target_missing": (ERROR, "Tiêu chí đo lường “{criterion}” cần chỉ tiêu là số dương.",
                                 "Measured criterion '{criterion}' needs a positive target."),
    "criterion_tiers_invalid": (ERROR, "Bậc điểm “{value}” của tiêu chí “{criterion}” không đúng dạng “95=5; 90=4” (hoặc “≤ 2 = 5; ≤ 5 = 3” khi càng thấp càng tốt).",
                                "Tiers '{value}' of criterion '{criterion}' are not of the form '95=5; 90=4' (or '≤ 2 = 5; ≤ 5 = 3' when lower is better)."),
    "criterion_tier_over_max": (ERROR, "Bậc điểm của tiêu chí “{criterion}” cho {points} điểm, vượt điểm tối đa {max}: chỉ tính {max}.",
                                "A tier of criterion '{criterion}' gives {points} points, above the maximum {max}: {max} is counted."),
    "criterion_grades_invalid": (ERROR, "Thang mức “{value}” của tiêu chí “{criterion}” không đúng dạng “A = 100; B = 80; C = 50” (% điểm, từ 0 đến 100).",
                                 "Grade scale '{value}' of criterion '{criterion}' is not of the form 'A = 100; B = 80; C = 50' (% of points, 0 to 100)."),
    "criterion_occurrence_invalid": (ERROR, "Điểm mỗi lần “{value}” của tiêu chí “{criterion}” không đúng dạng “5” (mỗi lần 5 điểm) hoặc “5-<10 = 5; 10-<15 = 10; >=15 = 20”.",
                                     "Points per occurrence '{value}' of criterion '{criterion}' are not of the form '5' (5 points each) or '5-<10 = 5; 10-<15 = 10; >=15 = 20'."),
    "criterion_overflow_invalid": (ERROR, "Thưởng vượt chỉ tiêu “{value}” của tiêu chí “{criterion}” phải là số không âm (% điểm); không tính thưởng vượt.",
                                   "Above-plan bonus '{value}' of criterion '{criterion}' must be zero or more (% of points); no above-plan bonus is counted."),
    "criterion_overflow_rule": (WARNING, "Tiêu chí “{criterion}”: thưởng vượt chỉ tiêu chỉ áp dụng cho cách tính Tỷ lệ hoặc Tỷ lệ nghịch; bị bỏ qua.",
                                "Criterion '{criterion}': an above-plan bonus applies only to the Proportional or Lower-is-better rules; ignored."),
    "criterion_cap_invalid": (ERROR, "Giới hạn điểm “{value}” của nhóm “{criterion}” phải là số không âm; không giới hạn.",
                              "Cap '{value}' of group '{criterion}' must be zero or more; no cap applied."),
    "assessment_scope_unknown": (ERROR, "Phạm vi chấm “{value}” của bảng “{listed}” không phải mã tiêu chí hay nhóm tiêu chí; bị bỏ qua.",
                                 "Scope '{value}' of sheet '{listed}' is not a criterion or group code; ignored."),
    "group_max_mismatch": (WARNING, "Nhóm “{criterion}”: điểm tối đa {max} khác tổng các tiêu chí con ({children}).",
                           "Group '{criterion}': maximum {max} differs from the sum of its sub-criteria ({children})."),
    "no_criteria": (ERROR, "Sheet Tiêu chí chưa có tiêu chí nào.", "The Criteria sheet lists no criteria."),
    "grid_unit_unknown": (ERROR, "Cột có mã đơn vị “{unit}” nhưng đơn vị này không có trong sheet Đơn vị. Bấm “Cập nhật bố cục” (hoặc chạy emutools layout TÊN_TỆP) để sắp lại các sheet theo bảng Đơn vị và Tiêu chí.",
                          "A column is headed '{unit}' but no such unit is in the Units sheet. Click “Cập nhật bố cục” (Update layout) or run emutools layout FILE to lay the sheets out from the Units and Criteria tables."),
    "grid_unit_duplicate": (ERROR, "Mã đơn vị “{unit}” xuất hiện ở hai cột; chỉ cột đầu tiên được dùng.",
                            "Unit '{unit}' heads two columns; only the first is used."),
    "grid_unit_absent": (ERROR, "Sheet “{sheet}” không có cột cho đơn vị “{unit}”. Bấm “Cập nhật bố cục” (hoặc chạy emutools layout TÊN_TỆP) để sắp lại các sheet theo bảng Đơn vị và Tiêu chí.",
                         "Sheet '{sheet}' has no column for unit '{unit}'. Click “Cập nhật bố cục” (Update layout) or run emutools layout FILE to lay the sheets out from the Units and Criteria tables."),
    "grid_criterion_unknown": (ERROR, "Dòng có mã tiêu chí “{criterion}” không có trong sheet Tiêu chí; điểm dòng này bị bỏ qua. Bấm “Cập nhật bố cục” (hoặc chạy emutools layout TÊN_TỆP) để sắp lại các sheet theo bảng Đơn vị và Tiêu chí.",
                               "Row code '{criterion}' is not in the Criteria sheet; its scores are ignored. Click “Cập nhật bố cục” (Update layout) or run emutools layout FILE to lay the sheets out from the Units and Criteria tables."),
    "grid_criterion_absent": (ERROR, "Sheet “{sheet}” không có dòng cho tiêu chí “{criterion}”. Bấm “Cập nhật bố cục” (hoặc chạy emutools layout TÊN_TỆP) để sắp lại các sheet theo bảng Đơn vị và Tiêu chí.",
                              "Sheet '{sheet}' has no row for criterion '{criterion}'. Click “Cập nhật bố cục” (Update layout) or run emutools layout FILE to lay the sheets out from the Units and Criteria tables."),
    "grid_heading_value": (WARNING, "Dòng “{criterion}” là nhóm tiêu chí; điểm nhập ở đây bị bỏ qua, hãy chấm ở các tiêu chí con.",
                           "Row '{criterion}' is a group heading; points entered here are ignored — score its sub-criteria."),
    "formula_not_calculated": (ERROR, "Ô chứa công thức nhưng chưa có giá trị đã tính (tệp được lưu bằng chương trình khác Excel, không tính công thức): emutools không coi là ô trống. Hãy mở và lưu tệp trong Excel trước (hoặc nhập giá trị thay cho công thức).",
                               "The cell holds a formula but no calculated value (the file was saved by a program that does not calculate): emutools does not take it as blank. Save the file in Excel first (or enter the value instead of the formula)."),
    "score_text_number": (INFO, "Ô chứa chữ “{value}”, đã đọc thành số {number}.",
                          "The cell holds text '{value}', read as the number {number}."),
    "score_not_number": (ERROR, "“{value}” không phải là số điểm. Nhập một số (ví dụ 8,5).",
                         "'{value}' is not a score. Enter a number (e.g. 8.5)."),
    "score_out_of_range": (ERROR, "Điểm {value} vượt điểm tối đa {max} của tiêu chí “{criterion}”: chỉ tính {max} điểm; hãy sửa.",
                           "Score {value} exceeds the maximum {max} of criterion '{criterion}': only {max} is counted; fix it."),
    "grade_invalid": (ERROR, "Tiêu chí “{criterion}” chấm theo mức ({grades}); “{value}” không phải một mức nên không được tính.",
                      "Criterion '{criterion}' is graded ({grades}); '{value}' is not a grade and is not counted."),
    "occurrence_invalid": (ERROR, "Tiêu chí “{criterion}” tính theo số lần: “{value}” không hợp lệ; ghi {form}. Ô này không được tính.",
                           "Criterion '{criterion}' counts occurrences: '{value}' is not valid; enter {form}. The cell is not counted."),
    "target_invalid": (ERROR, "Chỉ tiêu “{value}” của đơn vị “{unit}” ở tiêu chí “{criterion}” phải là số dương hoặc “Không áp dụng”; dùng chỉ tiêu chung.",
                       "Target '{value}' of unit '{unit}' for criterion '{criterion}' must be a positive number or 'N/A'; the common target is used."),
    "target_missing": (ERROR, "Tiêu chí “{criterion}” không có chỉ tiêu chung và đơn vị “{unit}” chưa có chỉ tiêu riêng (sheet Chỉ tiêu đơn vị): không tính điểm.",
                       "Criterion '{criterion}' has no common target and unit '{unit}' has no own target (Unit targets sheet): no points."),
    "score_unverified_none": (WARNING, "Chưa thẩm định tiêu chí “{criterion}” của đơn vị “{unit}”: theo Cài đặt, ô thẩm định trống không được tính điểm (tự chấm {self}).",
                              "Criterion '{criterion}' of unit '{unit}' is not verified: by the settings a blank verification earns nothing (self-score {self})."),
    "cap_applied": (INFO, "{what}: đơn vị “{unit}” có {points}, vượt giới hạn {cap}; chỉ tính {cap}.",
                    "{what}: unit '{unit}' has {points}, above the cap {cap}; {cap} is counted."),
    "normalise_ignored": (WARNING, "Chuẩn hóa điểm chấm chéo chỉ dùng khi tổng hợp bằng trung bình, trung vị hoặc trung bình bỏ cao nhất, thấp nhất; bị bỏ qua.",
                          "Normalising cross-scores applies only to a mean, median or trimmed-mean combination; ignored."),
    "score_negative": (ERROR, "Điểm âm ({value}) không hợp lệ. Điểm trừ nhập số dương ở tiêu chí loại Điểm trừ.",
                       "Negative score ({value}). Enter penalty points as a positive number on a Penalty criterion."),
    "score_decimals": (WARNING, "Điểm {value} có nhiều hơn {decimals} chữ số thập phân; được làm tròn thành {number}.",
                       "Score {value} has more than {decimals} decimals; rounded to {number}."),
    "score_missing": (ERROR, "Thiếu điểm bắt buộc của đơn vị “{unit}” ở tiêu chí “{criterion}”.",
                      "Mandatory score of unit '{unit}' for criterion '{criterion}' is missing."),
    "score_unverified": (WARNING, "Chưa thẩm định tiêu chí “{criterion}” của đơn vị “{unit}”; đang dùng điểm tự chấm.",
                         "Criterion '{criterion}' of unit '{unit}' is not verified; the self-score is used."),
    "veto_value_invalid": (ERROR, "Tiêu chí loại trừ chỉ nhận “Có” hoặc “Không”, không phải “{value}”.",
                           "A veto criterion takes 'Yes' or 'No', not '{value}'."),
    "unit_no_scores": (ERROR, "Đơn vị “{unit}” chưa có điểm nào trên sheet “{sheet}”.",
                       "Unit '{unit}' has no scores at all on sheet '{sheet}'."),
    "sheet_no_scores": (INFO, "Sheet “{sheet}” chưa có điểm nào.", "Sheet '{sheet}' holds no scores yet."),
    "unit_not_scored": (ERROR, "Đơn vị “{unit}” chưa có điểm trên bảng chấm nào nên không được xếp hạng.",
                        "Unit '{unit}' has no scores in any assessment and is not ranked."),
    "evidence_missing": (WARNING, "Tiêu chí “{criterion}” yêu cầu minh chứng nhưng đơn vị “{unit}” chưa ghi minh chứng.",
                         "Criterion '{criterion}' requires evidence but unit '{unit}' gave none."),
    "self_verified_gap": (WARNING, "Tự chấm {self} nhưng thẩm định {verified} (chênh {gap}, trên ngưỡng {threshold} % điểm tối đa): cần thống nhất.",
                          "Self-score {self} but verified {verified} (gap {gap}, above {threshold} % of the maximum): to be discussed."),
    "agreement_unsigned": (WARNING, "Đơn vị “{unit}” chưa ký giao ước thi đua.",
                           "Unit '{unit}' has not signed the emulation agreement."),
    "veto_unit": (INFO, "Đơn vị “{unit}” không đủ điều kiện khen thưởng: {reason}.",
                  "Unit '{unit}' is not eligible for awards: {reason}."),
    "veto_unit_barred": (INFO, "Đơn vị “{unit}”: {reason}; vẫn được xét các khen thưởng khác.",
                         "Unit '{unit}': {reason}; still considered for the other awards."),
    "unit_deferred": (INFO, "Đơn vị “{unit}”: {reason}; vẫn được xếp hạng, khen thưởng được giữ lại đến khi có kết luận.",
                      "Unit '{unit}': {reason}; still ranked, its award held until the matter is concluded."),
    "band_floor_failed": (INFO, "Đơn vị “{unit}” đủ tổng điểm xếp loại “{band}” nhưng {what} chỉ đạt {share} % (cần ≥ {floor} %); xếp loại “{given}”.",
                          "Unit '{unit}' has the total for '{band}' but {what} reaches only {share} % (≥ {floor} % needed); classified '{given}'."),
    "registration_unknown": (WARNING, "Đơn vị “{unit}” đăng ký mã khen thưởng “{value}” không có trong bảng khen thưởng.",
                             "Unit '{unit}' registered award code '{value}', which is not in the awards table."),
    "title_not_registered": (WARNING, "Đơn vị “{unit}” (hạng {rank}) đủ điều kiện “{award}” nhưng chưa đăng ký danh hiệu này nên không được đề nghị.",
                             "Unit '{unit}' (rank {rank}) qualifies for '{award}' but did not register that title, so it is not proposed."),
    "ballot_unknown_unit": (ERROR, "Phiếu bầu cho mã đơn vị “{unit}” không có trong sheet Đơn vị.",
                            "A ballot row names unit '{unit}', which is not in the Units sheet."),
    "ballot_unknown_award": (ERROR, "Mã khen thưởng “{value}” trong phiếu bầu không có trong bảng khen thưởng.",
                             "Award code '{value}' on the ballot is not in the awards table."),
    "previous_total_invalid": (WARNING, "Tổng điểm kỳ trước “{value}” của đơn vị “{unit_code}” không phải là số; đơn vị này không được so sánh với kỳ trước.",
                               "Previous total '{value}' of unit '{unit_code}' is not a number; this unit is not compared with the previous period."),
    "ballot_member_unknown": (WARNING, "Cột “{unit}” của sheet “{sheet}” không mang mã đơn vị nào trong sheet Đơn vị: phiếu ghi ở cột này không được tính. Bấm “Cập nhật bố cục” (hoặc chạy emutools layout TÊN_TỆP) để sắp lại các cột thành viên theo bảng Đơn vị.",
                              "Column '{unit}' of sheet '{sheet}' is headed by no unit code of the Units sheet: votes in it are not counted. Click “Cập nhật bố cục” (Update layout) or run emutools layout FILE to lay the member columns out from the Units table."),
    "ballot_member_absent": (WARNING, "Sheet “{sheet}” không có cột cho thành viên “{unit}”: phiếu biểu quyết công khai của đơn vị này không ghi được. Bấm “Cập nhật bố cục” (hoặc chạy emutools layout TÊN_TỆP) để sắp lại các cột thành viên theo bảng Đơn vị.",
                             "Sheet '{sheet}' has no column for member '{unit}': its open vote cannot be entered. Click “Cập nhật bố cục” (Update layout) or run emutools layout FILE to lay the member columns out from the Units table."),
    "ballot_count_invalid": (ERROR, "Số phiếu “{value}” phải là số nguyên không âm.",
                             "Vote count '{value}' must be a whole number, zero or more."),
    "ballot_vote_invalid": (ERROR, "Phiếu “{value}” không hợp lệ; ghi Đồng ý, Không đồng ý, Không biểu quyết hoặc Vắng.",
                            "Vote '{value}' is not valid; write For, Against, Abstain or Absent."),
    "ballot_too_many": (ERROR, "Tổng số phiếu ({votes}) vượt số thành viên có quyền biểu quyết ({base}).",
                        "{votes} votes exceed the {base} members entitled to vote."),
    "vote_not_reached": (WARNING, "“{award}”: đơn vị “{unit}” được {share} % phiếu đồng ý, chưa đạt {threshold} %; không đề nghị.",
                         "'{award}': unit '{unit}' got {share} % of votes for, below {threshold} %; not proposed."),
    "vote_missing": (WARNING, "“{award}”: chưa có kết quả bỏ phiếu cho đơn vị “{unit}”.",
                     "'{award}': no vote recorded yet for unit '{unit}'."),
    "quota_tie": (WARNING, "“{award}”: các đơn vị {units} đồng hạng {rank} ở ngưỡng chỉ tiêu {quota}; cụm cần bình xét, bỏ phiếu.",
                  "'{award}': units {units} tie at rank {rank} on the quota limit {quota}; the cluster must decide by vote."),
    # Returned self-assessment forms (emutools collect): ``sheet`` is the form's file name.
    "form_not_a_form": (ERROR, "Tệp “{sheet}” không phải phiếu tự chấm do emutools tạo (không có phần nhận dạng phiếu); không được chép.",
                        "'{sheet}' is not a self-assessment form made by emutools (it has no form identity); not copied."),
    "form_newer": (ERROR, "Phiếu “{sheet}” được tạo bằng phiên bản emutools mới hơn (mẫu phiếu {version}); hãy cập nhật emutools. Không được chép.",
                   "Form '{sheet}' was made by a newer emutools (form version {version}); update emutools. Not copied."),
    "form_other_cluster": (ERROR, "Phiếu “{sheet}” thuộc cụm “{value}”, không phải cụm “{cluster}” của bảng tổng hợp này; không được chép.",
                           "Form '{sheet}' belongs to the cluster '{value}', not to this workbook's '{cluster}'; not copied."),
    "form_other_period": (ERROR, "Phiếu “{sheet}” là của kỳ “{value}”, không phải kỳ “{period}” của bảng tổng hợp; không được chép.",
                          "Form '{sheet}' is for the period '{value}', not this workbook's '{period}'; not copied."),
    "form_unit_unknown": (ERROR, "Phiếu “{sheet}” là của đơn vị “{unit}”, không có trong sheet Đơn vị; không được chép.",
                          "Form '{sheet}' is for unit '{unit}', which is not in the Units sheet; not copied."),
    "form_criteria_changed": (ERROR, "Phiếu “{sheet}” của đơn vị “{unit}” được tạo trước khi bảng tiêu chí thay đổi; không được chép. Hãy tạo lại phiếu (emutools forms) và gửi đơn vị.",
                              "Form '{sheet}' of unit '{unit}' was made before the criteria table changed; not copied. Make the forms again (emutools forms) and send it to the unit."),
    "form_no_master_column": (ERROR, "Sheet “{master}” của bảng tổng hợp không có cột cho đơn vị “{unit}”; phiếu “{sheet}” không được chép.",
                              "Sheet '{master}' of the master has no column for unit '{unit}'; form '{sheet}' is not copied."),
    "form_rows_changed": (ERROR, "Phiếu “{sheet}” của đơn vị “{unit}” đã bị thêm, xóa hoặc đổi dòng (ô {cells}); không được chép. Đề nghị đơn vị nhập lại vào phiếu gốc.",
                          "Form '{sheet}' of unit '{unit}' has rows added, deleted or changed (cells {cells}); not copied. Ask the unit to fill in the original form."),
    "form_edited_outside": (WARNING, "Ô ngoài cột Tự chấm và Minh chứng đã bị sửa (phiếu gửi đi: “{expected}”, nhận về: “{value}”); ô này không được chép.",
                            "A cell outside the Self-score and Evidence columns was changed (sent: '{expected}', returned: '{value}'); it is not copied."),
    "form_conflict": (WARNING, "Tiêu chí “{criterion}” của đơn vị “{unit}”: bảng tổng hợp ({master}) đã có “{master_value}”, phiếu ghi “{value}”: {outcome}.",
                      "Criterion '{criterion}' of unit '{unit}': the master ({master}) holds '{master_value}', the form '{value}': {outcome}."),
    "form_duplicate": (WARNING, "Đơn vị “{unit}” gửi nhiều phiếu: dùng phiếu “{used}” (lưu lúc {used_saved}, mới nhất); phiếu này (lưu lúc {saved}) không được chép.",
                       "Unit '{unit}' returned several forms: '{used}' is used (saved {used_saved}, the newest); this one (saved {saved}) is not copied."),
}


@dataclass(frozen=True)
class Issue:
    """A flag. ``sheet``/``cell`` locate the cell to fix (cell may be empty for a whole sheet)."""

    code: str
    sheet: str = ""
    cell: str = ""
    unit: str = ""
    criterion: str = ""
    params: tuple[tuple[str, object], ...] = ()

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code][0]

    def message(self, lang: str = "vi") -> str:
        values = {"sheet": self.sheet, "unit": self.unit, "criterion": self.criterion}
        for key, value in self.params:
            values[key] = show(value, lang)
        return CATALOGUE[self.code][1 + column(lang)].format_map(values)


def issue(code: str, sheet: str = "", cell: str = "", unit: str = "", criterion: str = "",
          **params: object) -> Issue:
    """Shorthand that keeps call sites to one line."""
    if code not in CATALOGUE:
        raise KeyError(code)
    return Issue(code, sheet, cell, unit, criterion, tuple(params.items()))


def show(value: object, lang: str) -> str:
    """Numbers the way each language writes them (8,5 / 8.5); (vi, en) pairs by language."""
    kind = type(value)
    if kind is str:
        return value
    if kind is Decimal or kind is int or kind is float:  # remembered: a flag-heavy workbook
        try:                                              # prints the same few hundred numbers
            return _number_text(value, lang)
        except TypeError:  # an unhashable value (a signalling NaN): format it afresh
            return format_number(value, lang)
    if isinstance(value, tuple) and len(value) == 2:
        return str(value[column(lang)])
    if isinstance(value, (int, float, Decimal, np.number)) and not isinstance(value, bool):
        try:
            return _number_text(value, lang)
        except TypeError:  # an unhashable value (a signalling NaN): format it afresh
            return format_number(value, lang)
    return str(value)


@lru_cache(maxsize=65_536)
def _number_text(value: int | float | Decimal, lang: str) -> str:
    """``format_number`` remembered: a flag-heavy workbook repeats the same few hundred
    scores in hundreds of thousands of messages.  Equal values print alike (trailing zeros
    are dropped), so 8.5 and Decimal("8.50") may share an entry."""
    return format_number(value, lang)


def cell_sort_key(cell: str) -> tuple[int, int]:
    """Sort A1 addresses by row then column, so flags read top to bottom."""
    plain = _PLAIN_A1.fullmatch(cell)
    if plain:  # the usual address, read without looping over its characters in Python
        letters, digits = plain.groups()
        return (int(digits), _column_number(letters))
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits) if digits else 0, _column_number(letters.upper()))


_PLAIN_A1 = re.compile(r"([A-Z]{1,3})([0-9]+)")


@lru_cache(maxsize=16_384)
def _column_number(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col
