"""Every text emutools shows a person, keyed, with its languages side by side.

One row per text: ``key: (Vietnamese, English)``.  Code names the text by its key and
:func:`say` fills it in the wanted language, so the command line, the result sheets, the
Excel alerts and the documents cannot drift apart, and a third language is one more column
in each row (and in :data:`LANGS` and :data:`PLURAL`), not an edit of every module.

Placeholders are ``str.format`` fields filled by name; a literal brace is doubled.  Numbers
and dates arrive already written (``emutools.core.numbers``, :func:`long_date`), so a row
never formats a value.  A noun counted with :func:`counted` holds its plural forms
separated by ``|`` ("error|errors"); :data:`PLURAL` picks the form for a count.

The input flags keep their own catalogue in ``emutools.core.issues`` (code, severity and the
same two columns), because each of those rows also carries its severity; both are read the
same way (:func:`column`).

Pure data and string work, no I/O: the core imports this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

LANGS = ("vi", "en")
FALLBACK = "en"  # a language not in LANGS reads the English column, as it always has

# Which plural form (index into the ``|``-separated forms) a count takes, per language.
PLURAL: dict[str, Callable[[int], int]] = {
    "vi": lambda n: 0,  # Vietnamese nouns do not change with the number
    "en": lambda n: 0 if n == 1 else 1,
}

# How each language writes a date inside a document's sentence (the meeting's date): Vietnamese
# minutes write 05/02/2025, English prose the long form.
SENTENCE_DATE: dict[str, Callable[[dt.date | None, int], str]] = {
    "vi": lambda date, year: short_date(date),
    "en": lambda date, year: long_date(date, year, "en"),
}

TEXTS: dict[str, tuple[str, str]] = {
    # --- nouns counted with counted() --------------------------------------------------
    "noun.error": ("lỗi", "error|errors"),
    "noun.warning": ("cảnh báo", "warning|warnings"),
    "noun.unit": ("đơn vị", "unit|units"),
    "noun.criterion": ("tiêu chí", "criterion|criteria"),
    "noun.tie": ("trường hợp đồng hạng", "tie|ties"),
    "noun.issue": ("vấn đề", "issue|issues"),
    "noun.file": ("tệp", "file|files"),
    "noun.pdf": ("tệp PDF", "PDF|PDFs"),
    "noun.form": ("phiếu", "form|forms"),
    "noun.cell": ("ô", "cell|cells"),
    "noun.conflict": ("ô", "conflict|conflicts"),
    "noun.place": ("suất", "place|places"),
    "noun.value": ("giá trị", "value|values"),
    "number.decimal_mark": (",", "."),
    # --- words shared by the command line, the sheets and the documents ----------------
    "word.yes": ("Có", "Yes"),
    "word.no": ("Không", "No"),
    "word.error_prefix": ("Lỗi:", "Error:"),
    # a unit's form given where the cluster workbook belongs (io/reader.py)
    "read.a_form": ("Tệp “{file}” là phiếu tự chấm của đơn vị {unit}, không phải bảng tính của cụm. Để chép các "
                    "phiếu nhận về vào bảng tính cụm: emutools collect BẢNG_TÍNH_CỤM THƯ_MỤC_PHIẾU.",
                    "'{file}' is the self-assessment form of unit {unit}, not a cluster workbook. To copy the "
                    "returned forms into the cluster workbook: emutools collect CLUSTER_WORKBOOK FORMS_FOLDER."),
    # why a unit under review is not proposed (core/proposals.py): the Units sheet's cell says Yes, or a note
    "reason.under_review": ("Đang bị kỷ luật, điều tra, thanh tra hoặc khiếu nại",
                            "Under discipline, investigation, inspection or complaint review"),
    "reason.under_review_note": ("Đang bị xử lý: {note}", "Under review: {note}"),
    "reason.deferred": ("Tạm hoãn, chưa khen thưởng", "Deferred, not yet awarded"),
    "reason.deferred_note": ("Tạm hoãn, chưa khen thưởng: {note}", "Deferred, not yet awarded: {note}"),
    # the blank template's example rows end with it (io/template.py); check warns while one is left
    "sample.marker": ("(mẫu)", "(sample)"),
    # the blank template's cluster name (and the setting's default): check warns while it is left
    "sample.cluster_name": ("Cụm thi đua", "Emulation cluster"),
    # --- new-period carry-over (io/carryover.py) -------------------------------------------
    "carry.own_sheets": ("các thay đổi của bạn trên các sheet của emutools (dựng lại theo mẫu)",
                         "your changes to emutools' own sheets (rebuilt from the template)"),
    "carry.charts": ("biểu đồ, hình vẽ, nút bấm, PivotTable trên sheet {sheets}",
                     "charts, shapes, buttons and pivot tables on {sheets}"),
    "carry.names_left": ("tên định nghĩa trỏ vào sheet của emutools ({names})",
                         "defined names pointing into emutools' sheets ({names})"),
    "carry.macros": ("macro VBA (tệp mới là .xlsx)", "VBA macros (the new file is .xlsx)"),
    "carry.left_behind": ("Không chép sang kỳ mới: {items}.", "Not carried into the new period: {items}."),
    "carry.done": ("Đã chép sang: sheet {sheets}", "Carried over: sheets {sheets}"),
    "carry.names": ("; tên định nghĩa {names}", "; defined names {names}"),
    "carry.nothing": ("Không có sheet riêng nào để chép", "No sheets of your own to carry over"),
    # --- wording the core writes into its results -----------------------------------------
    "vote.approved": ("Đạt {share} % ({votes}/{base})", "Approved {share} % ({votes}/{base})"),
    "vote.not_approved": ("Không đạt {share} % ({votes}/{base})", "Not approved {share} % ({votes}/{base})"),
    "stability.kept": ("Đơn vị dẫn đầu trong số đơn vị đủ điều kiện ({who}) giữ vị trí này trong "
                       "{kept}/{total} kịch bản",
                       "The leading unit among those eligible ({who}) keeps that place in {kept} of "
                       "{total} scenarios"),
    "stability.changes": (" (thay đổi khi: {when})", " (changes when: {when})"),
    "measure.count_form": ("số lần (số nguyên ≥ 0)", "a count (a whole number ≥ 0)"),
    "measure.values_form": ("giá trị từng lần, cách nhau bởi “;” (ví dụ 6; 12)",
                            "each occurrence's value, separated by ';' (e.g. 6; 12)"),
    "award.tied": ("Đồng hạng, cần bình xét: {award}", "Tied, to be decided by vote: {award}"),
    "award.held": ("Tạm hoãn: {award}", "Deferred: {award}"),
    "award.with_fallback": ("{award} (nếu không được: {fallback})", "{award} (if not granted: {fallback})"),
    "ranking.deferred": ("Tạm hoãn", "Deferred"),
    "period.midyear": ("6 tháng đầu năm {year}", "first half of {year}"),
    "period.year": ("năm {year}", "year {year}"),
    "sheet.written_by": ("Sheet do emutools ghi, không sửa tay.", "Written by emutools; do not edit."),
    # --- input grids: titles, help rows, hints, validation (io/gridtexts.py, io/grids.py,
    # io/template.py, io/forms.py); a laid-out sheet reads exactly like a freshly built one
    "title.year": ("NĂM {year}", "YEAR {year}"),  # the end of every sheet title (sheet_title)
    "title.midyear": ("6 THÁNG ĐẦU NĂM {year}", "FIRST HALF OF {year}"),
    "grid.help_self": ("Mỗi đơn vị chấm vào cột mang mã của mình. Tiêu chí đo lường ghi kết quả đo "
                       "(96,5 cho 96,5 %); tiêu chí loại trừ ghi Có/Không.",
                       "Each unit scores in the column headed by its code. Measured criteria: the measured "
                       "value (96.5 for 96.5 %); veto criteria: Yes/No."),
    "grid.help_verified": ("Điểm thẩm định{by} thay điểm tự chấm; ô để trống thì dùng điểm tự chấm.",
                           "Verified scores{by} override the self-assessment; a blank cell keeps it."),
    "grid.help_cross": ("Điểm chấm chéo{by}; đơn vị không chấm cho chính mình.",
                        "Cross-scores{by}; a unit does not score itself."),
    "grid.help_evidence": ("Ghi số, ngày văn bản hoặc đường dẫn tài liệu minh chứng; bắt buộc ở tiêu chí đánh dấu (*).",
                           "Document number and date, or a link to the evidence; required where marked (*)."),
    "grid.help_ballot": ("Mỗi dòng một đơn vị được đề nghị một hình thức khen thưởng. Bỏ phiếu kín: ghi tổng số "
                         "phiếu; biểu quyết công khai: ghi phiếu của từng thành viên ở cột mang mã của mình.",
                         "One row per unit proposed for an award. Secret ballot: enter the totals; open vote: each "
                         "member's vote in the column headed by its code."),
    "grid.help_targets": ("Chỉ tiêu được giao cho từng đơn vị (kế hoạch riêng). Để trống: dùng chỉ tiêu chung ở sheet "
                          "Tiêu chí; ghi “Không áp dụng” nếu đơn vị không được giao chỉ tiêu này.",
                          "Each unit's own plan. Blank: the common target of the Criteria sheet applies; write 'N/A' "
                          "when the unit is not assigned this target."),
    "grid.hint_grade": (" — ghi mức xếp loại", " — enter the grade"),
    "grid.hint_values": (" — ghi giá trị từng lần, cách nhau bởi “;”", " — enter each occurrence's value, ';'-separated"),
    "grid.hint_count": (" — ghi số lần", " — enter the count"),
    "grid.hint_measured": (" — ghi kết quả đo ({basis})", " — enter the measured value ({basis})"),
    "grid.basis_tiers": ("bậc: {tiers}", "tiers: {tiers}"),
    "grid.basis_target": ("chỉ tiêu: {target}", "target: {target}"),
    "grid.common_target": (" (chỉ tiêu chung: {target})", " (common target: {target})"),
    "grid.no_common_target": ("không có", "none"),
    "grid.msg_score": ("Điểm phải từ 0 đến điểm tối đa ở cột C.", "Points must be between 0 and the maximum in column C."),
    "grid.msg_measured": ("Ghi kết quả đo (một số không âm), không ghi điểm.",
                          "Enter the measured value (zero or more), not points."),
    "grid.msg_grade": ("Chọn một mức trong danh sách.", "Pick a grade from the list."),
    "grid.msg_yes_no": ("Chọn Có hoặc Không.", "Pick Yes or No."),
    "grid.msg_vote": ("Chọn một phiếu trong danh sách.", "Pick a vote from the list."),
    "grid.msg_target": ("Ghi chỉ tiêu (số dương) hoặc “Không áp dụng”.", "Enter the target (a positive number) or 'N/A'."),
    "ballot.for": ("Đồng ý", "For"),
    "ballot.against": ("Không đồng ý", "Against"),
    "ballot.abstain": ("Không biểu quyết", "Abstain"),
    "ballot.absent": ("Vắng", "Absent"),
    # --- the layout's kept-data sheet and report (io/grids.py) -----------------------------
    "removed.subtitle": ("Giá trị đã nhập nhưng không còn ô trên các sheet chấm điểm, Minh chứng, Bỏ phiếu sau khi "
                         "cập nhật bố cục. emutools không xóa số liệu: chép lại nếu cần, rồi xóa dòng ở đây.",
                         "Values typed on a grid that had no cell left after the layout. emutools deletes no data: "
                         "copy them back if needed, then delete the row here."),
    "removed.reason_unit": ("Mã đơn vị không còn trong sheet Đơn vị (nếu đã đổi mã, hãy chép giá trị sang cột mới).",
                            "The unit code is no longer on the Units sheet (if it was renamed, copy the value to its "
                            "new column)."),
    "removed.reason_row": ("Mã tiêu chí không còn trong sheet Tiêu chí (nếu đã đổi mã, hãy chép giá trị sang dòng "
                           "mới).",
                           "The criterion code is no longer on the Criteria sheet (if it was renamed, copy the value "
                           "to its new row)."),
    "removed.reason_heading": ("Dòng này không còn nhận giá trị trên sheet này (đã thành dòng nhóm tiêu chí, hoặc "
                               "không có chỉ tiêu riêng).",
                               "This row takes no value on this sheet any more (now a group heading, or no own "
                               "target)."),
    "removed.reason_duplicate": ("Ô trùng (cùng mã đơn vị và mã tiêu chí đã có giá trị khác).",
                                 "A second value for the same unit and criterion code."),
    "layout.added_column": ("thêm cột {codes}", "columns added: {codes}"),
    "layout.added_row": ("thêm dòng {codes}", "rows added: {codes}"),
    "layout.gone_column": ("bỏ cột {codes}", "columns taken off: {codes}"),
    "layout.gone_row": ("bỏ dòng {codes}", "rows taken off: {codes}"),
    "layout.renamed_column": ("{sheet}: mã {gone} không còn, mã {added} mới có — nếu đây là đổi mã, hãy chép số liệu "
                              "từ sheet “{kept}” sang cột mới (emutools không tự đổi mã).",
                              "{sheet}: {gone} went and {added} came — if a code was renamed, copy its values from "
                              "the '{kept}' sheet to the new column (emutools never re-keys a code)."),
    "layout.renamed_row": ("{sheet}: mã {gone} không còn, mã {added} mới có — nếu đây là đổi mã, hãy chép số liệu "
                           "từ sheet “{kept}” sang dòng mới (emutools không tự đổi mã).",
                           "{sheet}: {gone} went and {added} came — if a code was renamed, copy its values from "
                           "the '{kept}' sheet to the new row (emutools never re-keys a code)."),
    "layout.kept": ("{values} không còn ô được giữ ở sheet “{kept}”.",
                    "Kept on the '{kept}' sheet: {values} with no cell left."),
    "layout.in_step": ("Bố cục đã khớp với bảng Đơn vị và Tiêu chí.",
                       "The grids already match the Units and Criteria tables."),
    # --- the template's own sheets: Guide, Settings, Units, Criteria, Previous period (io/template.py)
    "guide.intro": ("Đọc một lần trước khi nhập số liệu. Các bước mỗi năm:",
                    "Read once before entering data. The yearly steps:"),
    "settings.intro": ("Điền các ô màu vàng. Mọi con số là cài đặt của cụm, có giá trị mặc định; cột Ghi chú nêu "
                       "nguồn.",
                       "Fill in the yellow cells. Every number is a setting of the cluster with a default; the Note "
                       "column gives its source."),
    "settings.section_general": ("1. Thông số chung", "1. General settings"),
    "settings.section_assessments": ("2. Các bảng chấm điểm", "2. Scores sheets"),
    "settings.note_assessments": ("Mỗi dòng một sheet chấm điểm (tự chấm, thẩm định, chấm chéo).",
                                  "One row per scores sheet (self-assessment, verification, cross-score)."),
    "settings.section_bands": ("3. Xếp loại", "3. Classification"),
    "settings.note_bands": ("Thang 100 điểm theo quy chế của cụm; sửa được. Xếp loại tốt nhất ở trên cùng.",
                            "100-point scale following the cluster's rules; editable. Best classification first."),
    "settings.section_awards": ("4. Khen thưởng", "4. Awards"),
    "settings.note_awards": ("Theo thứ tự ưu tiên; chỉ tiêu và điều kiện là cài đặt, cột Căn cứ nêu nguồn.",
                             "In priority order; quotas and conditions are settings, the Legal basis column cites "
                             "them."),
    "units.intro": ("Mỗi đơn vị một dòng. Mã đơn vị không trùng, là tiêu đề cột ở các sheet chấm điểm; danh hiệu "
                    "đăng ký ghi mã khen thưởng (sheet Cài đặt), cách nhau bởi dấu chấm phẩy.",
                    "One row per unit. Codes are unique and head the columns of the scores sheets; registered "
                    "titles are award codes (Settings sheet), separated by semicolons."),
    "criteria.intro": ("Mã phân cấp dạng chữ (1, 1.1, 1.1.a); dòng có tiêu chí con là dòng nhóm. Loại, điểm tối đa "
                       "ghi ở tiêu chí lá; tiêu chí đo lường ghi chỉ tiêu và cách tính (bậc: “95=5; 90=4”).",
                       "Hierarchical codes as text (1, 1.1, 1.1.a); a row with sub-criteria is a group. Kind and "
                       "max points go on leaf rows; measured criteria have a target and a rule (tiers: “95=5; "
                       "90=4”)."),
    "previous.intro": ("Kết quả kỳ trước, để so sánh; không cần sửa.",
                       "Last period's results, for comparison; no need to edit."),
    "guide.from_last_period": ("Từ kỳ trước", "From last period"),
    "guide.col_step": ("Bước", "Step"),
    "guide.col_todo": ("Việc cần làm", "What to do"),
    # the Guide's steps and notes (io/template.py GUIDE_STEPS)
    "guide.step_1": ("Cài đặt: điền tên cụm, năm, kỳ đánh giá, trưởng cụm, phó trưởng cụm, thư ký, ngày họp; kiểm "
                     "tra bảng xếp loại (điểm tối thiểu theo thang điểm của bảng tiêu chí, mẫu là thang 100 điểm) và "
                     "bảng khen thưởng (tên đúng, chỉ tiêu, điều kiện) theo quy chế của cụm. Dòng có chữ “(mẫu)” là "
                     "ví dụ: sửa thành của cụm hoặc xóa đi.",
                     "Settings: cluster name, year, period, leader, deputy, secretary, meeting date; check the "
                     "classification table (minimum totals on the criteria's scale: the sample's is 100 points) and "
                     "the award table (exact names, quotas, conditions) against the cluster's rules. Rows marked "
                     "“(sample)” are examples: make them the cluster's own or delete them."),
    "guide.step_2": ("Đơn vị: mỗi đơn vị thành viên một dòng, mã không trùng (ghi đè lên các đơn vị mẫu); ghi đã ký "
                     "giao ước chưa, danh hiệu đã đăng ký (mã khen thưởng) và đơn vị đang bị kỷ luật, điều tra, "
                     "thanh tra.",
                     "Units: one row per member unit with a unique code (type over the sample units); whether it "
                     "signed the agreement, the titles it registered (award codes) and whether it is under "
                     "discipline or investigation."),
    "guide.step_3": ("Tiêu chí: bảng tiêu chí, thang điểm đã thống nhất khi ký giao ước; mã phân cấp 1, 1.1, 1.1.a — "
                     "dòng có tiêu chí con là dòng nhóm, không chấm điểm. Sửa xong hai bảng Đơn vị, Tiêu chí thì bấm "
                     "“Cập nhật bố cục” (hoặc lệnh emutools layout TÊN_TỆP.xlsx).",
                     "Criteria: the criteria and points agreed in the emulation agreement; hierarchical codes 1, "
                     "1.1, 1.1.a — a row with sub-criteria is a group heading and is not scored. Once the Units and "
                     "Criteria tables are done, click “Cập nhật bố cục” (Update layout; emutools layout FILE.xlsx)."),
    "guide.step_4": ("Tự chấm: mỗi đơn vị tự chấm vào cột mang mã của mình (tiêu chí đo lường ghi kết quả đo, tiêu "
                     "chí loại trừ ghi Có/Không). Hoặc gửi mỗi đơn vị một phiếu: nút “Tạo phiếu tự chấm” (lệnh "
                     "emutools forms TÊN_TỆP.xlsx), hạn gửi lại ở Cài đặt; lưu phiếu nhận về vào thư mục Phiếu tự "
                     "chấm/<năm>/Nhận về rồi bấm “Thu phiếu tự chấm” (emutools collect); xem sheet Tiến độ.",
                     "Self-assessment: each unit scores itself in the column headed by its code (measured criteria: "
                     "the measured value; veto criteria: Yes/No). Or send each unit a form: click “Tạo phiếu tự "
                     "chấm” (Self-assessment forms; emutools forms FILE.xlsx), deadline in Settings; save the "
                     "returned forms in Self-assessment forms/<year>/Returned and click “Thu phiếu tự chấm” (Collect "
                     "forms; emutools collect); see the Progress sheet."),
    "guide.step_5": ("Thẩm định (và các sheet chấm chéo khai báo trong Cài đặt): trưởng cụm hoặc hội đồng chấm lại; "
                     "ô để trống thì dùng điểm tự chấm.",
                     "Verification (and any cross-score sheets listed in Settings): the leader or a council scores "
                     "again; a blank cell keeps the self-assessed score."),
    "guide.step_6": ("Minh chứng: ghi số, ngày văn bản hoặc tài liệu minh chứng cho tiêu chí cần minh chứng.",
                     "Evidence: the document number and date, or the file, for each criterion that needs it."),
    "guide.step_7": ("Bấm nút “Xếp hạng lại” trong Excel, hoặc chạy lệnh: emutools rank TÊN_TỆP.xlsx",
                     "Click “Xếp hạng lại” (Re-rank) in Excel, or run: emutools rank FILE.xlsx"),
    "guide.step_8": ("Đọc sheet Xếp hạng và Kiểm tra; sửa các ô được tô đỏ rồi xếp hạng lại, lặp lại đến khi hết lỗi.",
                     "Read the Ranking and Issues sheets; fix the cells shaded red, re-rank, and repeat until no "
                     "errors are left."),
    "guide.step_9": ("Họp bình xét: ghi kết quả biểu quyết vào sheet Bỏ phiếu, xếp hạng lại, rồi bấm “Tạo văn bản” "
                     "(hoặc lệnh emutools letters TÊN_TỆP.xlsx): Tờ trình, Biên bản, Danh sách, Báo cáo được ghi vào "
                     "thư mục bên cạnh tệp.",
                     "Review meeting: enter the votes on the Ballot sheet, re-rank, then click “Tạo văn bản” "
                     "(Documents) or run: emutools letters FILE.xlsx — the proposal letter, minutes, list and report "
                     "are written to a folder beside the file."),
    "guide.step_10": ("Hết kỳ: bấm “Kỳ mới” (hoặc lệnh emutools new-period TÊN_TỆP.xlsx) để tạo bảng tính kỳ sau bên "
                      "cạnh tệp này: giữ đơn vị, tiêu chí; xóa điểm, phiếu; đặt trưởng cụm mới. Tệp này không bị sửa.",
                      "End of the period: click “Kỳ mới” (New period) or run: emutools new-period FILE.xlsx — next "
                      "period's workbook is written beside this one with units and criteria kept, scores and votes "
                      "cleared and the new leader set. This file is not changed."),
    "guide.note_layout": ("Khi thêm, bớt đơn vị hoặc tiêu chí: chỉ sửa bảng Đơn vị, Tiêu chí rồi bấm “Cập nhật bố "
                          "cục”; các sheet chấm điểm, Minh chứng, Bỏ phiếu được sắp lại, số đã nhập giữ theo mã (số "
                          "không còn ô được giữ ở sheet “Dữ liệu đã bỏ”).",
                          "When units or criteria are added or removed: edit only the Units and Criteria tables, "
                          "then click “Cập nhật bố cục” (Update layout); the scores, Evidence and Ballot sheets are "
                          "laid out again, typed values kept under their codes (those left without a cell go to the "
                          "“Removed data” sheet)."),
    "guide.note_scoring_rules": ("Quy tắc chấm điểm của hướng dẫn (chỉ tiêu riêng từng đơn vị, thưởng vượt chỉ tiêu, "
                                 "giới hạn điểm, tỷ lệ nghịch, xếp mức A/B/C/D, trừ điểm mỗi lần, tiêu chí không áp "
                                 "dụng, bảng chấm một phần, ô thẩm định trống, chuẩn hóa chấm chéo): cách ghi từng "
                                 "quy tắc, có ví dụ tính sẵn, ở tài liệu “Quy tắc chấm điểm” "
                                 "(docs/scoring-rules.md); lệnh emutools demo --rules tạo một bảng tính mẫu dùng các "
                                 "quy tắc này.",
                                 "Your guidance's scoring rules (each unit's own plan, above-plan bonus, caps, lower "
                                 "is better, A/B/C/D grades, points per occurrence, criteria not applicable, partial "
                                 "assessment sheets, blank verification, normalised cross-scores): how to write "
                                 "each, with a worked example, is in “Scoring rules” (docs/scoring-rules.md); "
                                 "emutools demo --rules makes a sample workbook using them."),
    "guide.note_decision_rules": ("Quy tắc xét khen thưởng: tiêu chí loại trừ vừa trừ điểm vừa chỉ cấm một số khen "
                                  "thưởng; xếp loại cần tỷ lệ điểm tối thiểu mỗi tiêu chí; xếp hạng theo nhóm (cột "
                                  "Nhóm xếp hạng); điều kiện riêng, tỷ lệ tính trên số đơn vị đạt điều kiện, khen "
                                  "thưởng thay thế và danh hiệu đạt tiêu chuẩn (không hạn chế số lượng) ở bảng khen "
                                  "thưởng; tạm hoãn khen thưởng đơn vị đang bị thanh tra; phân định bằng một cột của "
                                  "sheet Đơn vị — cũng ở tài liệu đó.",
                                  "Decision rules: a veto row taking points off and barring only some awards; "
                                  "classification floors on every criterion; rankings by group (Ranking group "
                                  "column); an award's own conditions, a quota on the units meeting them, a fallback "
                                  "award and standards-based titles (no quota) in the awards table; awards deferred "
                                  "while a unit is under inspection; tie-breaks by a Units-sheet column — in the "
                                  "same document."),
    "guide.colours": ("Màu sắc", "Colours"),
    "guide.outputs": ("{sheets}: ghi lại toàn bộ mỗi lần xếp hạng lại (bản trước được giữ ở tệp .bak.xlsx). emutools "
                      "chỉ đọc các sheet khác, không bao giờ sửa số liệu bạn nhập.",
                      "{sheets}: rewritten in full at every re-rank (the previous file is kept as .bak.xlsx). "
                      "emutools only reads the other sheets and never changes what you entered."),
    "guide.outputs_title": ("Sheet do emutools ghi", "Sheets written by emutools"),
    "guide.legend_input": ("Ô nhập liệu (màu vàng nhạt).", "Input cell (light yellow)."),
    "guide.legend_heading": ("Dòng nhóm tiêu chí, ô thông tin: không nhập điểm.",
                             "Criteria group heading or information: no scores here."),
    "guide.legend_flag": ("Ô có lỗi hoặc cảnh báo (đỏ): xem lý do ở sheet Kiểm tra; tự hết tô khi đã sửa và xếp "
                          "hạng lại.",
                          "Flagged cell (red): see why on the Issues sheet; the shading goes once the cell is fixed "
                          "and the workbook re-ranked."),
    "guide.legend_output": ("Sheet kết quả (tab màu xanh đậm): do emutools ghi, không sửa tay.",
                            "Output sheet (dark blue tab): written by emutools, do not edit."),
    "valid.pick_value": ("Chọn một giá trị trong danh sách.", "Pick a value from the list."),
    "valid.pick_role": ("Chọn Tự chấm, Thẩm định hoặc Chấm chéo.",
                        "Pick Self-assessment, Verification or Cross-score."),
    "valid.pick_share_of": ("Chọn Từng tiêu chí hoặc Từng nhóm tiêu chí (để trống: từng tiêu chí).",
                            "Pick Each criterion or Each criteria group (blank: each criterion)."),
    "valid.pick_award_rule": ("Chọn Dẫn đầu cụm, Số lượng, Tỷ lệ % hoặc Đạt tiêu chuẩn.",
                              "Pick Cluster leader, Top N, Share % or Standards-based."),
    "valid.pick_quota_base": ("Chọn Tổng số thành viên hoặc Số đơn vị đạt điều kiện.",
                              "Pick All members or Units meeting its conditions."),
    "valid.pick_band": ("Chọn một xếp loại trong bảng Xếp loại.",
                        "Pick a classification from the Classification table."),
    "valid.pick_kind": ("Chọn Chấm điểm, Điểm thưởng, Điểm trừ hoặc Loại trừ.", "Pick Score, Bonus, Penalty or Veto."),
    "valid.pick_rule": ("Chọn một cách tính trong danh sách (để trống nếu chấm điểm trực tiếp).",
                        "Pick a rule from the list (blank when scored directly)."),
    "valid.non_negative": ("Cần một số không âm.", "A number of zero or more is expected."),
    "valid.whole_number": ("Cần một số nguyên từ {low} đến {high}.", "A whole number from {low} to {high} is expected."),
    "valid.percent": ("Cần một số từ 0 đến 100.", "A number from 0 to 100 is expected."),
    "valid.pick_unit": ("Chọn một mã đơn vị trong sheet Đơn vị.", "Pick a unit code from the Units sheet."),
    # --- result sheets (io/results.py) ---------------------------------------------------
    "ranking.group_header": ("Nhóm {code}. {name}", "Group {code}. {name}"),
    "ranking.title": ("KẾT QUẢ XẾP HẠNG", "RANKING"),
    "ranking.subtitle": (
        "Sheet do emutools ghi, không sửa tay. Điểm tính chính xác đến {decimals} chữ số thập phân; "
        "đơn vị bằng điểm sau các tiêu chí phân định được xếp đồng hạng.",
        "Written by emutools; do not edit. Points exact to {decimals} decimals; units still "
        "level after the tie-breaks share a rank."),
    "ranking.chart": ("Tổng điểm", "Total points"),
    "issues.title": ("KIỂM TRA SỐ LIỆU", "INPUT CHECKS"),
    "issues.subtitle": (
        "{errors}, {warnings}. Bấm vào ô ở cột “Ô” để đến ô cần sửa; ô có vấn đề được tô đỏ.",
        "{errors}, {warnings}. Click a cell in the 'Cell' column to go to it; flagged cells are shaded red."),
    "issues.bounded": (
        "Sheet này liệt kê từng dòng mọi lỗi và {shown} trong {total} cảnh báo, thông tin; phần còn lại gộp "
        "mỗi đơn vị, mỗi loại kiểm tra một dòng (số ô, ô đầu tiên). Danh sách đầy đủ: tệp “{file}” bên "
        "cạnh bảng tính.",
        "This sheet lists every error and {shown} of {total} warnings and notes one by one; the rest are "
        "grouped, one row per unit and check (count, first cell). The complete list: the file '{file}' "
        "beside the workbook."),
    "issues.grouped": ("{count} ô tương tự của đơn vị này, ô đầu tiên: {message}",
                       "{count} such cells of this unit, the first: {message}"),
    "issues.full_file": ("Kiểm tra đầy đủ", "Issues (full)"),
    "fairness.title": ("CÔNG BẰNG, ỔN ĐỊNH CỦA KẾT QUẢ", "FAIRNESS AND STABILITY"),
    "fairness.leniency": ("“{sheet}” lệch {deviation} điểm/ô so với các bảng chấm khác ({cells} ô).",
                          "'{sheet}' deviates {deviation} points per cell from the others ({cells} cells)."),
    "fairness.changes": ("So với kỳ trước: {up} tăng điểm, {down} đơn vị giảm điểm.",
                         "Against the previous period: {up} gained points, {down} lost points."),
    "fairness.normalised": ("Điểm chấm chéo đã được chuẩn hóa theo từng người chấm; hai cột cuối là hạng, tổng "
                            "khi chưa chuẩn hóa.",
                            "Cross-scores are normalised per assessor; the last two columns are the rank and "
                            "total without normalisation."),
    "cap.criterion": ("Tiêu chí {code}", "Criterion {code}"),
    "cap.group": ("Nhóm {code}", "Group {code}"),
    "cap.overflow_cap": ("Tổng điểm thưởng vượt chỉ tiêu", "Total above-plan bonus"),
    "cap.bonus_cap": ("Tổng điểm thưởng", "Total bonus"),
    "cap.penalty_cap": ("Tổng điểm trừ", "Total penalty"),
    "fairness.chart_gap": ("Tự chấm cao hơn thẩm định", "Self minus verified"),
    "fairness.chart_change": ("Tăng, giảm so với kỳ trước", "Change on the previous period"),
    # --- self-assessment forms (core/forms.py) ----------------------------------------------
    "form.sheet": ("Phiếu tự chấm", "Self-assessment"),
    "form.title": ("PHIẾU TỰ CHẤM ĐIỂM THI ĐUA {period}", "SELF-ASSESSMENT FORM, {period}"),
    "form.unit_line": ("{cluster} — Đơn vị: {unit} – {name}", "{cluster} — Unit: {unit} – {name}"),
    "form.deadline": ("Hạn gửi lại phiếu cho thư ký cụm: {date}", "Return this form to the cluster secretary by: {date}"),
    "form.deadline_unset": ("theo thông báo của cụm", "as the cluster announced"),
    "form.instruction": (
        "Chỉ nhập vào các ô màu vàng: cột Tự chấm (điểm; tiêu chí có chỉ tiêu ghi kết quả đo; tiêu chí loại trừ "
        "ghi Có/Không) và cột Minh chứng (số, ngày văn bản hoặc đường dẫn; bắt buộc ở tiêu chí đánh dấu (*)).",
        "Type only in the yellow cells: the Self-score column (points; the measured value for a criterion with a "
        "target; Yes/No for a veto criterion) and the Evidence column (document number and date, or a link; "
        "required where marked (*))."),
    "form.instruction_2": (
        "Ô tô đỏ là ô có giá trị chưa hợp lệ. Lưu tệp (giữ định dạng .xlsx, có thể đổi tên) và gửi lại; không thêm, "
        "xóa hay đổi thứ tự dòng, cột.",
        "A cell shaded red holds a value that is not valid. Save the file (keep it .xlsx; any name) and send it "
        "back; do not add, delete or reorder rows or columns."),
    "form.col_target": ("Chỉ tiêu, cách ghi", "Target, how to enter"),
    "form.col_score": ("Tự chấm ({unit})", "Self-score ({unit})"),
    "form.col_evidence": ("Minh chứng", "Evidence"),
    "form.enter_veto": ("Ghi Có hoặc Không", "Yes or No"),
    "form.target_unset": ("chưa giao", "not set"),
    "form.enter_target": ("Chỉ tiêu (chung): {target}; ghi kết quả đạt được",
                          "Target (common): {target}; enter the result achieved"),
    "form.enter_own_target": ("Chỉ tiêu (riêng của đơn vị): {target}; ghi kết quả đạt được",
                              "Target (the unit's own): {target}; enter the result achieved"),
    "form.enter_tiers": ("Bậc: {tiers}; ghi kết quả đo", "Tiers: {tiers}; enter the measured value"),
    "form.enter_grade": ("Ghi mức: {grades}", "Enter the grade: {grades}"),
    "form.enter_count": ("Ghi số lần (hoặc giá trị từng lần, cách nhau bởi “;”)",
                         "Enter the count (or each occurrence's value, ';'-separated)"),
    "form.enter_penalty": ("Ghi số điểm bị trừ (số dương); không bị trừ ghi 0",
                           "Enter the points deducted (a positive number); 0 when none"),
    "form.enter_bonus": ("Ghi số điểm thưởng; không có ghi 0", "Enter the bonus points; 0 when none"),
    "reminder.not_returned": ("Thư ký cụm chưa nhận được phiếu tự chấm điểm thi đua {period} của đơn vị.",
                              "The cluster secretary has not yet received your self-assessment form for {period}."),
    "reminder.scores": ("điểm tự chấm của {count} tiêu chí ({codes})", "self-scores for {count} criteria ({codes})"),
    "reminder.evidence": ("minh chứng của {count} tiêu chí ({codes})", "evidence for {count} criteria ({codes})"),
    "reminder.and": (" và ", " and "),
    "reminder.lacking": ("Phiếu tự chấm {period} của đơn vị còn thiếu {parts}.",
                         "Your self-assessment form for {period} still lacks {parts}."),
    "reminder.by": ("trước ngày {date}", "by {date}"),
    "reminder.soon": ("sớm nhất có thể", "as soon as possible"),
    "reminder.text": ("Kính gửi {name}: {what} Đề nghị đơn vị hoàn thiện và gửi lại thư ký {cluster} {due}. "
                      "Trân trọng.",
                      "To {name}: {what} Please complete it and send it back to the secretary of {cluster} {due}. "
                      "Thank you."),
    # --- folders emutools makes beside the workbook (io/forms.py, documents/render.py) ------
    "folder.forms": ("Phiếu tự chấm", "Self-assessment forms"),
    "folder.returned": ("Nhận về", "Returned"),  # inside the forms folder
    "folder.documents": ("Văn bản", "Documents"),
    "folder.notices": ("Thông báo kết quả", "Notices of results"),  # inside the documents folder
    # --- the board's overview of many clusters (io/summary.py) --------------------------------
    "overview.file": ("Tổng hợp các cụm thi đua.xlsx", "Clusters overview.xlsx"),
    "overview.sheet_clusters": ("Các cụm", "Clusters"),
    "overview.sheet_leaders": ("Dẫn đầu cụm", "Cluster leaders"),
    "overview.title": ("TỔNG HỢP KẾT QUẢ CÁC CỤM, KHỐI THI ĐUA", "OVERVIEW OF THE EMULATION CLUSTERS"),
    "overview.subtitle": ("{files} tệp; {bad} không đọc được. Các cột khen thưởng: số đơn vị được đề nghị.",
                          "{files} files; {bad} could not be read. Award columns: units proposed."),
    "overview.col_cluster_lead": ("Tệp|Cụm, khối thi đua|Năm|Số đơn vị|Mã đơn vị dẫn đầu|Đơn vị dẫn đầu",
                                  "File|Cluster|Year|Units|Leader code|Leading unit"),
    "overview.col_cluster_tail": ("Số lỗi|Số cảnh báo|Không đọc được", "Errors|Warnings|Could not be read"),
    "overview.leaders_title": (
        "ĐƠN VỊ DẪN ĐẦU CÁC CỤM (xét Cờ thi đua của Chính phủ, Điều 25 Luật Thi đua, khen thưởng 2022)",
        "UNITS LEADING THEIR CLUSTERS (Government Emulation Flag, Art. 25, Law of 2022)"),
    "overview.leaders_subtitle": ("Đơn vị đủ điều kiện xếp cao nhất của mỗi cụm; đồng hạng thì cùng ghi.",
                                  "Each cluster's best-ranked eligible unit; tied units are all listed."),
    "overview.col_leaders": ("Cụm, khối thi đua|Tệp|Mã đơn vị|Tên đơn vị|Hạng|Tổng điểm|Xếp loại|Đề nghị khen thưởng|"
                             "Số lỗi của cụm",
                             "Cluster|File|Unit code|Unit|Rank|Total|Classification|Proposed award|Cluster errors"),
    "progress.title": ("TIẾN ĐỘ PHIẾU TỰ CHẤM", "SELF-ASSESSMENT FORMS: PROGRESS"),
    "progress.subtitle": ("Hạn gửi lại: {due}. {owing}/{units} đơn vị còn thiếu; lời nhắc ở cột cuối, sao chép để gửi.",
                          "Due: {due}. {owing} of {units} units still owe something; copy the reminder in the last "
                          "column."),
    "progress.no_deadline": ("chưa đặt", "not set"),
    "changes.title": ("THAY ĐỔI SỐ LIỆU SO VỚI LẦN TÍNH TRƯỚC", "INPUT CHANGES SINCE THE PREVIOUS RECALCULATION"),
    "changes.first": ("Chưa có ảnh chụp số liệu của lần tính trước nên chưa có gì để so sánh: từ lần xếp hạng "
                      "sau, sheet này liệt kê từng ô số liệu đã sửa.",
                      "There is no snapshot of an earlier recalculation to compare with: from the next "
                      "recalculation on, this sheet lists every input cell edited."),
    "changes.unreadable": ("Không đọc được ảnh chụp số liệu của lần tính trước (sheet ẩn “Ảnh chụp số liệu” đã "
                           "bị sửa, hoặc do phiên bản emutools mới hơn ghi) nên lần này không so sánh được; lần "
                           "xếp hạng sau sẽ so sánh với lần này.",
                           "The snapshot of the earlier recalculation cannot be read (the hidden sheet 'Input "
                           "snapshot' was edited, or a newer emutools wrote it), so nothing is compared this "
                           "time; the next recalculation compares with this one."),
    "changes.none": ("Không có ô số liệu nào thay đổi kể từ lần tính lúc {since}.",
                     "No input cell has changed since the recalculation of {since}."),
    "changes.some": ("{cells} số liệu đã thay đổi kể từ lần tính lúc {since} (lần tính này: {when}). Bấm vào ô "
                     "ở cột “Ô” để đến ô đó.",
                     "{cells} changed since the recalculation of {since} (this one: {when}). Click a cell "
                     "in the 'Cell' column to go to it."),
    "changes.bounded": ("Sheet này liệt kê {shown} ô đầu tiên; danh sách đầy đủ: tệp “{file}” bên cạnh bảng tính.",
                        "This sheet lists the first {shown}; the complete list: the file '{file}' beside the "
                        "workbook."),
    "changes.full_file": ("Thay đổi đầy đủ", "Changes (full)"),
    "changes.gone": ("dòng hoặc cột đã bỏ", "row or column removed"),
    "changes.blank": ("(trống)", "(blank)"),
    "changes.retyped": ("kiểu dữ liệu: {old} → {new}", "type: {old} → {new}"),
    "changes.kind_number": ("số", "number"),
    "changes.kind_text": ("chữ", "text"),
    "changes.kind_date": ("ngày", "date"),
    "changes.kind_yes_no": ("có/không", "yes/no"),
    "snapshot.title": ("ẢNH CHỤP SỐ LIỆU ĐẦU VÀO CỦA LẦN TÍNH GẦN NHẤT", "INPUTS OF THE LAST RECALCULATION"),
    "snapshot.subtitle": ("Sheet ẩn do emutools ghi để lập sheet Thay đổi ở lần tính sau; không sửa. Cách đọc: "
                          "docs/changes.md.",
                          "A hidden sheet emutools writes for the next recalculation's Changes sheet; do not "
                          "edit. How to read it: docs/changes.md."),
    "history.title": ("LỊCH SỬ TÍNH ĐIỂM", "RECALCULATION HISTORY"),
    "history.subtitle": ("Mỗi lần xếp hạng thêm một dòng. Cùng mã số liệu đầu vào thì cùng kết quả.",
                         "One row per recalculation. The same input fingerprint gives the same result."),
    # --- the command line's messages (cli.py) --------------------------------------------
    "cli.created_template": ("Đã tạo {file}. Các bước tiếp theo:\n"
                             "1. Điền Cài đặt, Đơn vị, Tiêu chí (ghi đè các dòng mẫu).\n"
                             "2. emutools layout \"{file}\" — các sheet chấm điểm có cột cho từng đơn vị, dòng cho "
                             "từng tiêu chí.\n"
                             "3. emutools forms \"{file}\" — gửi phiếu tự chấm (hoặc nhập điểm vào sheet Tự chấm).\n"
                             "4. emutools rank \"{file}\" — xếp hạng.",
                             "Created {file}. Next steps:\n"
                             "1. Fill Settings, Units, Criteria (over the sample rows).\n"
                             "2. emutools layout \"{file}\" — the scores sheets get a column per unit and a row per "
                             "criterion.\n"
                             "3. emutools forms \"{file}\" — send the self-assessment forms (or type the scores into "
                             "the Self-assessment sheet).\n"
                             "4. emutools rank \"{file}\" — rank."),
    "cli.wrote_sheets": ("Đã ghi sheet {sheets} vào {file}", "Wrote sheets {sheets} into {file}"),
    "cli.backup_kept": (" (bản cũ: {name})", " (previous version: {name})"),
    "cli.demo_file": ("cum-thi-dua-mau.xlsx", "sample-cluster.xlsx"),
    "cli.demo_rules_file": ("cum-thi-dua-mau-quy-tac.xlsx", "sample-cluster-rules.xlsx"),
    "cli.workbook": ("Bảng tính: {path}", "Workbook: {path}"),
    "cli.errors_left": ("{errors} chưa sửa trong bảng tính — xem sheet Kiểm tra.",
                        "{errors} still in the workbook — see the Issues sheet."),
    "cli.drafts_errors_left": ("Bản DỰ THẢO: {errors} chưa sửa trong bảng tính — xem sheet Kiểm tra.",
                               "DRAFTS: {errors} still in the workbook — see the Issues sheet."),
    "cli.results_refreshed": (
        "Số liệu đã thay đổi sau lần xếp hạng gần nhất: đã ghi lại các sheet kết quả ({sheets}) trước khi tạo "
        "văn bản, để văn bản và sheet Xếp hạng khớp nhau.",
        "The inputs changed since the last ranking: the result sheets ({sheets}) were rewritten before the "
        "documents were made, so the documents and the Ranking sheet agree."),
    "cli.file_exists": ("Tệp “{file}” đã có; emutools không ghi đè. Hãy chọn tên khác.",
                        "'{file}' already exists; emutools does not overwrite it. Choose another name."),
    "cli.xlsm_exists": ("Tệp “{file}” đã có; emutools không ghi đè. Hãy chọn tên khác.",
                        "'{file}' already exists; emutools does not overwrite it."),
    "cli.xlsm_suffix": ("Tên tệp phải có đuôi .xlsm (bảng tính có macro).",
                        "The file name must end in .xlsm (macro-enabled workbook)."),
    "cli.template_suffix": ("Tên tệp mẫu phải có đuôi .xlsx.", "The template file name must end in .xlsx."),
    "cli.no_vba": ("Bản cài emutools thiếu module VBA (emutools/vba): hãy cài lại "
                   "(pip install --force-reinstall emutools).",
                   "This emutools install lacks its VBA module (emutools/vba): reinstall "
                   "it (pip install --force-reinstall emutools)."),
    "cli.excel_steps": ("""Đã tạo {file}.
Các bước trong Excel (không cần quyền quản trị):
  1. Mở tệp, bấm "Enable Content" (Bật nội dung) để cho phép macro.
  2. Sheet Hướng dẫn có năm nút: Xếp hạng lại, Kiểm tra, Cập nhật bố cục, Tạo văn bản, Kỳ mới; thẻ "Thi đua" trên ribbon có
     các nút tương tự. Chúng gọi Python qua xlwings (RunPython) — không cần cài add-in.
  3. Excel phải dùng đúng Python đã cài emutools: nếu báo không tìm thấy, chạy
     "xlwings config create" rồi ghi đường dẫn python vào Interpreter.
  4. Hàm trong ô (=EMU_TOTAL, =EMU_RANK, =EMU_MISSING): "xlwings addin install", mở lại Excel, bấm
     Import Functions trong thẻ xlwings.
  5. macOS: xlwings {version} phải trùng phiên bản trong tệp; sau khi nâng cấp xlwings, tạo lại tệp.""",
                        """Created {file}.
In Excel (no admin rights needed):
  1. Open the file and click "Enable Content" to allow its macros.
  2. The Guide sheet has five buttons: Recalculate, Check, Update layout, Documents, New period; the "Thi đua" ribbon tab has
     the same. They call Python through xlwings (RunPython) — no add-in needed.
  3. Excel must use the Python that has emutools: if it cannot find it, run
     "xlwings config create" and set Interpreter to that python.
  4. Worksheet functions (=EMU_TOTAL, =EMU_RANK, =EMU_MISSING): "xlwings addin install", restart
     Excel, click Import Functions on the xlwings tab.
  5. macOS: xlwings {version} must match the version in the file; rebuild it after upgrading xlwings."""),
    "cli.officers": ("trưởng cụm {leader}, phó trưởng cụm {deputy}", "leader {leader}, deputy {deputy}"),
    "cli.no_deputy": ("(chưa có)", "(none)"),
    "cli.no_officers": ("trưởng cụm, phó trưởng cụm: chưa có (ghi vào Cài đặt)",
                        "leader and deputy: not decided (enter them in Settings)"),
    "cli.new_period_made": (
        "Đã tạo {file}: {officers}. Điểm, minh chứng, phiếu bầu đã xóa; giao ước và đăng ký "
        "danh hiệu cần làm lại; kết quả kỳ trước ở sheet Kỳ trước.",
        "Created {file}: {officers}. Scores, evidence and votes cleared; agreements and "
        "registrations to be renewed; last period's results on the Previous period sheet."),
    "cli.ranking_title": ("{cluster} — năm {year}", "{cluster} — year {year}"),
    "cli.col_rank": ("Hạng", "Rank"),
    "cli.col_code": ("Mã", "Code"),
    "cli.col_unit": ("Đơn vị", "Unit"),
    "cli.col_total": ("Tổng điểm", "Total"),
    "cli.col_band": ("Xếp loại", "Class"),
    "cli.col_award": ("Đề nghị", "Proposed"),
    "cli.col_notes": ("Ghi chú", "Notes"),
    "cli.col_severity": ("Mức độ", "Severity"),
    "cli.col_where": ("Vị trí", "Where"),
    "cli.col_message": ("Nội dung", "Message"),
    "cli.more": ("… và {hidden} {what} nữa (xem bảng tính, hoặc thêm --all)",
                 "… and {hidden} more {what} (see the workbook, or add --all)"),
    "cli.no_issues": ("Không có lỗi hay cảnh báo.", "No errors or warnings."),
    # --- documents' fixed phrases (documents/context.py) ----------------------------------
    "doc.percent": ("{number} %", "{number}%"),  # Vietnamese puts a space before the sign
    "doc.approved": ("Đạt", "Approved"),
    "doc.rejected": ("Không đạt", "Not approved"),
    "doc.proposed": ("đề xuất", "proposed"),
    "doc.rotation": ("đề xuất, theo thứ tự luân phiên", "proposed, by rotation"),
    "doc.cluster": ("cụm", "cluster"),
    "doc.block": ("khối", "block"),
    "doc.on_behalf": ("TM. {kind} THI ĐUA", "ON BEHALF OF THE {kind}"),
    "doc.head": ("TRƯỞNG {kind}", "{kind} LEADER"),
    "doc.chair": ("CHỦ TRÌ", "CHAIR"),
    "doc.secretary": ("THƯ KÝ", "SECRETARY"),
    # what remains open in the data, in words, for the summary report (never cell addresses)
    "open.evidence_missing": ("{units} chưa đủ minh chứng cho {criteria}", "{units} lack evidence for {criteria}"),
    "open.score_unverified": ("{units} có {criteria} chưa được thẩm định (tạm dùng điểm tự chấm)",
                              "{units} have {criteria} not yet verified (self-scores used)"),
    "open.score_unverified_none": ("{units} có {criteria} chưa được thẩm định (chưa tính điểm)",
                                   "{units} have {criteria} not yet verified (not scored)"),
    "open.self_verified_gap": ("{units} có {criteria} mà điểm tự chấm chênh lệch lớn với điểm thẩm định, cần "
                               "thống nhất", "{units} have {criteria} whose self-score differs widely from the "
                               "verified one, to be agreed"),
    "open.score_out_of_range": ("{units} có điểm chấm vượt điểm tối đa ở {criteria}",
                                "{units} have scores above the maximum on {criteria}"),
    "open.agreement_unsigned": ("{units} chưa ký giao ước thi đua", "{units} have not signed the emulation agreement"),
    "open.title_not_registered": ("{units} đủ điều kiện nhưng chưa đăng ký danh hiệu nên không được đề nghị",
                                  "{units} qualify but did not register for the title, so are not proposed"),
    "open.vote_missing": ("{units} chưa được bỏ phiếu", "{units} not yet voted on"),
    "open.quota_tie": ("{cases} ở ngưỡng chỉ tiêu chờ bỏ phiếu", "{cases} on a quota limit awaiting a vote"),
    "open.other": ("{cases} khác trong số liệu", "{cases} of other kinds in the data"),
    "doc.no_vote": ("chưa bỏ phiếu", "not yet voted on"),
    # how an award is asked for: a flag or certificate conferred, a title recognised, the
    # Government's flag put to the Prime Minister by the council above (Law 06/2022, Art. 25)
    "doc.confer": ("tặng {award}", "award the {award}"),
    "doc.recognise": ("công nhận danh hiệu {award}", "recognise with the title {award}"),
    "doc.forward": ("trình Thủ tướng Chính phủ tặng {award}", "submit to the Prime Minister for the {award}"),
    # why a unit was passed over, or how the vote settled a tie (minutes and proposal letters)
    "doc.passed_over": ("{unit} (hạng {rank}, {total} điểm) không được đề nghị khen thưởng vì {why}.",
                        "{unit} (rank {rank}, {total} points) is not proposed for an award: {why}."),
    "doc.held_back": ("{unit} (hạng {rank}, {total} điểm) được xét {held} nhưng tạm hoãn, chưa đề nghị khen "
                      "thưởng: {why}.",
                      "{unit} (rank {rank}, {total} points) qualifies for the {held} but is deferred, not yet "
                      "proposed: {why}."),
    "doc.lower_award": ("{unit} (hạng {rank}, {total} điểm) được đề nghị {award}, không được đề nghị hình thức "
                        "cao hơn vì {why}.",
                        "{unit} (rank {rank}, {total} points) is proposed for the {award}, not for a higher "
                        "award: {why}."),
    # The tied units are counted and listed in brackets, separated by semicolons: a unit's own
    # name may hold "và" or a comma ("Sở Văn hóa, Thể thao và Du lịch"), so "A và B" would not say
    # where one name ends.
    "doc.vote_tie": ("{units} đồng hạng {rank} ({names}), {award} chỉ còn {places} nên hội nghị bỏ phiếu kín: "
                     "{shares}; {chosen} được đề nghị (tỷ lệ phiếu đồng ý tối thiểu {threshold} theo quy chế "
                     "của cụm).",
                     "{units} tie at rank {rank} ({names}) with {places} of the {award} left, so the meeting "
                     "voted by secret ballot: {shares}; {chosen} proposed (a minimum share of {threshold} "
                     "under the cluster's rules)."),
    "doc.vote_share": ("{unit} {share} ({votes_for}/{base} phiếu)", "{unit} {share} ({votes_for} of {base} votes)"),
    # --- dates (long_date, short_date) ---------------------------------------------------
    "date.long": ("ngày {day:02d} tháng {month} năm {year}", "{day} {month} {year}"),
    "date.months": ("01|02|3|4|5|6|7|8|9|10|11|12",  # Decree 30/2020 pads months 1-2 only
                    "January|February|March|April|May|June|July|August|September|October|November|December"),
    "date.unknown": ("ngày … tháng … năm {year}", "… {year}"),
    "date.moment": ("{time} ngày {date}", "{date} {time}"),
    "cli.forms_written": ("Đã ghi {forms} tự chấm vào {folder}", "Wrote {forms} into {folder}"),
    "cli.forms_unchanged": (" ({count} phiếu không đổi)", " ({count} unchanged)"),
    "cli.forms_kept": ("Bản cũ được giữ: {names}", "Older versions kept: {names}"),
    "cli.no_deadline": ("Chưa đặt “Hạn gửi lại phiếu tự chấm” trong sheet Cài đặt.",
                        "No 'Self-assessment forms due' date in Settings."),
    "collect.summary": ("{files} trong thư mục; dùng {forms}, chép {cells}; {conflicts} khác giá trị đã có",
                        "{files} in the folder; {forms} used, {cells} copied; {conflicts}"),
    "cli.collect_written": ("; đã ghi vào {file}", "; written into {file}"),
    "cli.col_form_cell": ("Tệp phiếu, ô", "Form file, cell"),
    "cli.folder_missing": ("Không tìm thấy thư mục “{folder}”.", "Folder not found: '{folder}'."),
    "cli.summary_of_a_file": ("“{file}” là một tệp, không phải thư mục: emutools summary nhận thư mục chứa các bảng "
                              "tính cụm; một bảng tính thì dùng emutools check \"{file}\".",
                              "'{file}' is a file, not a folder: emutools summary takes the folder of cluster "
                              "workbooks; for one workbook use emutools check \"{file}\"."),
    "cli.batch_title": ("{good}/{total} tệp", "{good} of {total} files"),
    "cli.col_file": ("Tệp", "File"),
    "cli.col_cluster": ("Cụm", "Cluster"),
    "cli.col_leader": ("Dẫn đầu", "Leader"),
    "cli.col_errors": ("Lỗi", "Errors"),
    "cli.col_warnings": ("Cảnh báo", "Warnings"),
    "cli.unusable": ("Không dùng được:", "Could not use:"),
    "excel.forms_written": ("Đã ghi {forms} tự chấm vào thư mục {folder}. Lưu phiếu nhận về vào thư mục con "
                            "“{returned}” rồi bấm “Thu phiếu tự chấm”.",
                            "Wrote {forms} into {folder}. Save the returned ones in its '{returned}' sub-folder, "
                            "then click 'Collect forms'."),
    "excel.collect_more": ("… và {more} vấn đề nữa (lệnh emutools collect in đủ).",
                           "… and {more} more (the emutools collect command prints them all)."),
    "cli.summary_written": ("Đã ghi tổng hợp {files} vào {path}", "Wrote the overview of {files} into {path}"),
    # --- documents: what a run made (documents/render.py) --------------------------------
    "documents.folder": ("Thư mục: {folder}", "Folder: {folder}"),
    "documents.counts": ("Đã ghi {written}, {unchanged} tệp không đổi, {pdfs}.",
                         "Wrote {written}, {unchanged} unchanged, {pdfs}."),
    "documents.refused_errors": (
        "Bảng tính còn {errors} nên chưa tạo văn bản đề nghị khen thưởng. Hãy sửa rồi chạy lại; cần bản dự thảo "
        "để góp ý thì chạy “emutools letters --draft” (mỗi trang ghi “DỰ THẢO”):\n{lines}",
        "The workbook still has {errors}, so no proposal documents were made. Fix them and run again; for "
        "drafts to circulate run 'emutools letters --draft' (every page marked 'DRAFT'):\n{lines}"),
    "documents.more_errors": ("- … và {errors} khác (xem sheet Kiểm tra)", "- … and {errors} more (see the Issues sheet)"),
    "documents.older_version": (" (trước {when})", " (before {when})"),  # in a file name
    "documents.pdfs_current": ("Các tệp PDF đã khớp với văn bản (không văn bản nào thay đổi), không cần tạo lại.",
                               "The PDFs are current (no document changed); nothing to convert."),
    "documents.draft_mark": ("DỰ THẢO", "DRAFT"),
    "documents.template_file": ("{name}.docx", "{name}_en.docx"),  # a template's file name (templates/)
    # the documents' file names, without the extension
    "documents.file_to_trinh": ("Tờ trình - {award}", "Proposal - {award}"),
    "documents.file_bien_ban": ("Biên bản họp bình xét", "Minutes of the evaluation meeting"),
    "documents.file_danh_sach": ("Danh sách đề nghị khen thưởng", "List of proposed units"),
    "documents.file_bao_cao": ("Báo cáo tổng kết", "Summary report"),
    "documents.kept": ("Bản cũ được giữ: {names}", "Older versions kept: {names}"),
    "documents.no_proposals": ("Không có đơn vị được đề nghị khen thưởng nên không có tờ trình.",
                               "No unit is proposed for an award, so there is no proposal letter."),
    "documents.no_soffice": (
        "Không tìm thấy LibreOffice (soffice) nên chưa tạo PDF. Hãy cài LibreOffice, hoặc mở "
        "tệp .docx bằng Word và chọn Lưu dưới dạng PDF.",
        "LibreOffice (soffice) was not found, so no PDF was made. Install LibreOffice, or open "
        "the .docx in Word and save it as PDF."),
    "documents.pdf_failed": ("LibreOffice không chuyển được một số tệp sang PDF: {problem}",
                             "LibreOffice could not convert some files to PDF: {problem}"),
    # --- Excel: the Guide sheet's buttons and the ribbon tab (io/xlsm.py, macros/customUI.xml)
    "button.ribbon_tab": ("Thi đua", "Emulation"),
    "button.XepHangLai": ("Xếp hạng lại", "Recalculate"),
    "button.KiemTra": ("Kiểm tra", "Check"),
    "button.CapNhatBoCuc": ("Cập nhật bố cục", "Update layout"),
    "button.TaoVanBan": ("Tạo văn bản", "Documents"),
    "button.KyMoi": ("Kỳ mới", "New period"),
    "button.TaoPhieu": ("Tạo phiếu tự chấm", "Self-assessment forms"),
    "button.ThuPhieu": ("Thu phiếu tự chấm", "Collect forms"),
    # --- Excel: status bar and alerts (excel.py) ------------------------------------------
    "excel.status_ranked": ("Đã xếp hạng {units}, {errors}, {warnings}", "Ranked {units}, {errors}, {warnings}"),
    "excel.status_checked": ("Đã kiểm tra: {errors}, {warnings}", "Checked: {errors}, {warnings}"),
    "excel.new_period_made": ("Đã tạo {file} bên cạnh tệp này (từ bản đã lưu). Trưởng cụm: {leader}, "
                              "phó trưởng cụm: {deputy}.",
                              "Created {file} beside this file (from the saved version). Leader: "
                              "{leader}, deputy: {deputy}."),
    "excel.save_first": ("Hãy lưu bảng tính vào một thư mục trước: tệp mới được ghi bên cạnh tệp này.",
                         "Save the workbook to a folder first: new files are written beside it."),
    "excel.failed": ("emutools không hoàn thành được việc này: {error}. "
                     "Bảng tính không bị thay đổi ngoài các sheet kết quả.",
                     "emutools could not finish: {error}. Nothing but the result sheets was changed."),
    # --- one writer at a time (io/xlsx/lock.py) -------------------------------------------
    "lock.busy": ("Không ghi được vào tệp “{file}”: một lần chạy emutools khác đang ghi tệp này ({who}, tiến "
                  "trình {pid}, từ {since}). Hãy đợi lần chạy đó xong rồi chạy lại. Nếu chắc chắn không còn ai "
                  "chạy, xóa tệp khóa “{lock}” bên cạnh. Tệp không bị thay đổi.",
                  "Cannot write '{file}': another emutools run is writing it ({who}, process {pid}, since "
                  "{since}). Wait for it to finish and run again. If you are sure nobody is running it, delete "
                  "the lock file '{lock}' beside it. The file was not changed."),
    "lock.unnamed": ("Không ghi được vào tệp “{file}”: tệp khóa “{lock}” bên cạnh không ghi tên lần chạy nào đang "
                     "giữ nó (trống hoặc không đọc được, thường do một lần chạy bị dừng giữa chừng) và chưa gỡ "
                     "được. Nếu chắc chắn không còn ai chạy emutools trên tệp này, hãy xóa tệp khóa đó rồi chạy "
                     "lại. Tệp không bị thay đổi.",
                     "Cannot write '{file}': the lock file '{lock}' beside it names no run holding it (empty or "
                     "unreadable, usually left by a run that was stopped) and could not be cleared. If you are "
                     "sure nobody is running emutools on this file, delete that lock file and run again. The "
                     "file was not changed."),
    # --- new period (newperiod.py) --------------------------------------------------------
    "new_period.file_exists": ("Tệp “{file}” đã có; emutools không ghi đè. Hãy chọn tên khác (--out).",
                               "'{file}' already exists; emutools does not overwrite it. Use --out."),
    "new_period.todo_title": ("Kỳ mới: việc cần làm trước lần xếp hạng đầu tiên",
                              "New period: to do before the first ranking"),
    "new_period.todo_people": ("Cài đặt: ghi người chủ trì (lãnh đạo đơn vị trưởng cụm mới, {leader}), thư ký, "
                               "địa điểm và ngày họp của kỳ này — các ô này đã được xóa.",
                               "Settings: enter the chair (the head of the new leader, {leader}), the secretary, "
                               "the meeting place and date of this period — these cells were cleared."),
    # the two names are not joined by "và": a unit's own name may hold it
    "new_period.todo_units": ("Đơn vị: ghi chú “Trưởng cụm” đã chuyển sang {leader}, “Phó trưởng cụm” sang {deputy}; "
                              "đánh dấu đơn vị đã ký giao ước và danh hiệu đăng ký của kỳ này; ghi đơn vị đang bị "
                              "kỷ luật, điều tra, thanh tra, khiếu nại.",
                              "Units: the 'Cluster leader' note moved to {leader}, 'Deputy leader' to {deputy}; "
                              "mark who signed this period's agreement and the titles registered; enter units "
                              "under discipline or investigation."),
    "new_period.todo_cleared": ("Đơn vị: đã xóa tình trạng, ghi chú của kỳ trước: {items}. Ghi lại điều nào vẫn còn "
                                "(tệp kỳ trước giữ nguyên).",
                                "Units: last period's status and remarks were cleared: {items}. Enter again what "
                                "still holds (last period's file is unchanged)."),
    "new_period.cleared_item": ("{unit} (“{text}”)", "{unit} ('{text}')"),
    "new_period.todo_scores": ("Tự chấm, Thẩm định, Minh chứng, Bỏ phiếu: đã xóa, nhập số liệu của kỳ này.",
                               "Self-assessment, Verification, Evidence, Ballot: cleared; enter this period's."),
    "new_period.todo_basis": ("Cài đặt: kiểm tra căn cứ pháp lý (mặc định theo kỳ) và bảng khen thưởng theo quy chế "
                              "của cụm.", "Settings: check the legal basis (defaults by period) and the awards "
                              "table against the cluster's rules."),
    "new_period.midyear_suffix": (" 6 thang", " mid-year"),  # in a file name: no diacritics
    # --- the command line's help pages and usage errors (cliwords.py, cli.py) ----------
    # Printed in every language at once (both()), since the language is not known yet.
    "help.app": ("emutools — chấm điểm, xếp hạng, đề nghị khen thưởng cụm/khối thi đua",
                 "(scoring, ranking and award proposals for emulation clusters)."),
    "help.usage": ("Cách dùng", "usage"),
    "help.command": ("LỆNH", "COMMAND"),
    "help.options_word": ("TÙY CHỌN", "OPTIONS"),
    "help.commands": ("Lệnh", "commands"),
    "help.options": ("Tùy chọn", "options"),
    "help.arguments": ("Đối số", "arguments"),
    "help.help_line": ("Hiện trợ giúp này", "show this help"),
    "help.on_one_command": ("Trợ giúp từng lệnh", "help on one command"),
    "help.required": ("bắt buộc", "required"),
    "help.default": ("mặc định", "default"),
    "help.see": ("Xem", "see"),
    "help.default_lang": ("mặc định: ngôn ngữ của bảng tính", "default: the workbook's language"),
    "help.workbook": ("Bảng tính cụm", "the cluster workbook"),
    "help.all": ("In mọi dòng", "print every row"),
    "help.workbooks": ("Bảng tính cụm; nhiều tệp hoặc một thư mục", "the cluster workbook; several files or a folder"),
    "help.forms": ("Tạo phiếu tự chấm cho từng đơn vị (Phiếu tự chấm/<năm>/)", "one self-assessment form per unit."),
    "help.collect": ("Chép phiếu tự chấm nhận về vào sheet Tự chấm, Minh chứng; ghi sheet Tiến độ",
                     "copy returned forms in; write the Progress sheet."),
    "help.collect.folder": ("Thư mục phiếu nhận về", "the folder of returned forms"),
    "help.collect.overwrite": ("Lấy giá trị của phiếu khi khác ô đã có",
                               "take the form's value over a different one already in the workbook"),
    "help.summary": ("Tổng hợp nhiều cụm: dẫn đầu, đề nghị khen thưởng, lỗi; đơn vị dẫn đầu các cụm",
                     "many clusters in one overview workbook."),
    "help.summary.folder": ("Thư mục các bảng tính cụm", "the folder of cluster workbooks"),
    "help.summary.out": ("Tệp tổng hợp", "the overview file"),
    "help.new": ("Tạo bảng tính mẫu trống", "create a blank template workbook."),
    "help.new.file": ("Tệp .xlsx sẽ tạo", "the .xlsx file to create"),
    "help.rank": ("Tính điểm, xếp hạng, ghi các sheet kết quả (Xếp hạng, Kiểm tra, Công bằng, Lịch sử)",
                  "recalculate and write back."),
    "help.rank.no_backup": ("Không giữ bản sao cũ", "keep no backup"),
    "help.rank.layout": ("Cập nhật bố cục trước (như lệnh layout)", "lay the grids out first (as the layout command)"),
    "help.layout": ("Cập nhật bố cục: các sheet chấm điểm, Chỉ tiêu đơn vị, Minh chứng, Bỏ phiếu theo bảng Đơn vị "
                    "và Tiêu chí; không mất số liệu đã nhập", "lay the grids out from the Units and Criteria tables."),
    "help.check": ("Chỉ kiểm tra số liệu, không ghi tệp; mã thoát 1 nếu có lỗi", "flags only; exit 1 on errors."),
    "help.demo": ("Tạo bảng tính mẫu của một cụm giả định, xếp hạng và in kết quả", "run on sample data."),
    "help.demo.folder": ("Thư mục", "folder"),
    "help.demo.rules": ("Mẫu dùng các quy tắc chấm điểm (docs/scoring-rules.md)", "a sample using the scoring rules"),
    "help.letters": ("Tạo Tờ trình, Biên bản, Danh sách, Báo cáo từ bảng tính", "make the proposal documents."),
    "help.letters.pdf": ("Cả bản PDF (cần LibreOffice)", "PDFs too"),
    "help.letters.per_unit": ("Thông báo kết quả cho từng đơn vị", "a notice per unit"),
    "help.letters.draft": ("Bản dự thảo dù còn lỗi, mỗi trang ghi “DỰ THẢO”", "drafts despite errors, marked on every page"),
    "help.excel": ("Tạo bảng tính có nút bấm cho Excel và hướng dẫn cài đặt", "make the macro-enabled workbook."),
    "help.excel.file": ("Tệp .xlsm sẽ tạo", "the .xlsm file to create"),
    "help.new_period": ("Bắt đầu kỳ mới: giữ đơn vị, tiêu chí; xóa điểm; đặt trưởng cụm mới",
                        "start the next period."),
    "help.new_period.file": ("Bảng tính kỳ này", "this period's workbook"),
    "help.new_period.out": ("Tệp mới", "the new file"),
    "help.new_period.midyear": ("Kỳ sơ kết 6 tháng của năm sau", "next year's mid-year review"),
    "usage.unknown_command": ("Không có lệnh “{typed}”.", "No such command '{typed}'."),
    "usage.did_you_mean": (" Có phải ý bạn là “{guess}”?", " Did you mean '{guess}'?"),
    "usage.commands": (" Các lệnh: {names}.", " Commands: {names}."),
    "usage.missing": ("Thiếu {what} ({help}).", "Missing {what}."),
    "usage.no_such_option": ("Lệnh {name} không có tùy chọn {option}.", "{name} has no option {option}."),
    "usage.did_you_mean_option": (" Có phải ý bạn là {option}?", " Did you mean {option}?"),
    "usage.bad_value": ("Giá trị không hợp lệ cho {what}: {detail}", "Invalid value for {what}: {detail}"),
    "usage.needs_value": ("Tùy chọn {option} cần một giá trị.", "Option {option} needs a value."),
    "usage.extra": ("Thừa đối số: {extra}.", "Unexpected extra argument: {extra}.|Unexpected extra arguments: {extra}."),
    "usage.invalid": ("Lệnh không hợp lệ: {message}", "Invalid command: {message}"),
}


def known(lang: str) -> str:
    """``lang`` if the catalogue has its column, else the fallback (English)."""
    return lang if lang in LANGS else FALLBACK


def column(lang: str) -> int:
    """The column of ``lang`` in every catalogue row (English for a language not in LANGS)."""
    return LANGS.index(known(lang))


def pick(lang: str, *words: str) -> str:
    """The word for ``lang`` among ``words`` given in the order of LANGS (Vietnamese, English).

    For the pairs that live with what they describe rather than in :data:`TEXTS`: a table's
    headers and a setting's label (``emutools.contract``), a button's label, the example rows
    of a blank template.  The language is chosen the same way as for :func:`say`."""
    return words[column(lang)]


def say(key: str, lang: str, **fields: object) -> str:
    """The text ``key`` in ``lang``, its placeholders filled from ``fields``."""
    return TEXTS[key][column(lang)].format(**fields)


def sheet_title(heading: str, cluster: object, year: object, period: str, lang: str) -> str:
    """Row 1 of every sheet emutools writes, one pattern for the input grids, the result sheets
    and the templates: 'TỰ CHẤM – <cluster> – NĂM 2026' ('6 THÁNG ĐẦU NĂM 2026' for a mid-year
    period), so a reader finds the cluster and period in the same place on every page
    (io/titles.py recognises it to keep a title in step with the settings)."""
    when = say("title.midyear" if period == "midyear" else "title.year", lang, year=year)
    return f"{heading.upper()} – {cluster} – {when}"


def every(key: str, **fields: object) -> tuple[str, ...]:
    """The text ``key`` in every language, in the order of LANGS (for what both must read)."""
    return tuple(say(key, lang, **fields) for lang in LANGS)


def both(key: str, sep: str = " / ", **fields: object) -> str:
    """'Tùy chọn / options': every language on one line, Vietnamese first."""
    return sep.join(every(key, **fields))


def long_date(date: dt.date | None, year: int, lang: str) -> str:
    """'ngày 05 tháng 02 năm 2025' / '5 February 2025'; a blank to fill in for the year when
    the meeting date is not known.  Decree 30/2020 pads days below 10 and months 1-2 only."""
    if date is None:
        return say("date.unknown", lang, year=year)
    month = TEXTS["date.months"][column(lang)].split("|")[date.month - 1]
    return say("date.long", lang, day=date.day, month=month, year=date.year)


def sentence_date(date: dt.date | None, year: int, lang: str) -> str:
    """The date as ``lang`` writes it inside a sentence (:data:`SENTENCE_DATE`)."""
    return SENTENCE_DATE[known(lang)](date, year)


def short_date(date: dt.date | None) -> str:
    """05/02/2025, or a blank to fill in."""
    return date.strftime("%d/%m/%Y") if date else "…/…/…"


def moment(when: dt.datetime, lang: str) -> str:
    """'10:15:00 ngày 30/11/2026' / '30/11/2026 10:15:00': a recalculation's time, to the second."""
    return say("date.moment", lang, date=short_date(when), time=when.strftime("%H:%M:%S"))


def counted(count: int, key: str, lang: str) -> str:
    """'3 lỗi' / '1 error' / '3 errors': a number with the noun ``key`` in the form it takes."""
    return f"{count} {plural(count, key, lang)}"


def plural(count: int, key: str, lang: str, **fields: object) -> str:
    """The form of text ``key`` (forms separated by ``|``) that goes with ``count``."""
    forms = TEXTS[key][column(lang)].split("|")
    return forms[min(PLURAL.get(lang, PLURAL[FALLBACK])(count), len(forms) - 1)].format(**fields)
