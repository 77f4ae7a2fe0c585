"""Self-assessment forms out to the nine demo units and back, with the mistakes units make.

Outcomes are hand-worked from the demo (emutools/sample.py): the master is the demo with an
empty self-assessment sheet and evidence sheet (the units have not answered yet); each unit
fills its form with the demo's own self-scores, and some get it wrong.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from emutools import contract as C
from emutools.cli import app
from emutools.headless import check_file
from emutools.io.forms import collect_forms, write_forms
from emutools.io.template import build_workbook
from emutools.sample import UNIT_CODES, demo_content

SELF, EVIDENCE = C.SELF_SHEET.vi, C.EVIDENCE_SHEET.vi
DEADLINE = dt.date(2025, 12, 10)
SENT = dt.date(2025, 11, 20)


def _master(path: Path, *, blank: bool = True, **changes) -> dict:
    """The demo at ``path`` (self-scores and evidence emptied when ``blank``); returns the demo's
    own self-scores and evidence, which the units type into their forms."""
    content = demo_content("vi")
    own = dict(content.scores[SELF]), dict(content.evidence)
    content.settings["deadline"] = DEADLINE
    if blank:
        content.scores[SELF], content.evidence = {}, {}
    for key, value in changes.items():
        setattr(content, key, value)
    build_workbook(path, content)
    return {"scores": own[0], "evidence": own[1]}


def _forms(master: Path) -> dict[str, Path]:
    report = write_forms(master, check_file(master), SENT)
    return {p.name.split(" - ")[0]: p for p in report.written}


def _rows(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value}


def _fill(form: Path, unit: str, own: dict, *, out: Path, edits: dict[str, object] = (), skip=()) -> dict[str, int]:
    """The unit types its own self-scores and evidence, then ``edits`` (cell -> value) on top."""
    wb = openpyxl.load_workbook(form)
    ws = wb["Phiếu tự chấm"]
    rows = _rows(ws)
    for (criterion, who), value in own["scores"].items():
        if who == unit and criterion not in skip:
            ws.cell(rows[criterion], 5, value)
    for (criterion, who), value in own["evidence"].items():
        if who == unit:
            ws.cell(rows[criterion], 6, value)
    for ref, value in dict(edits).items():
        ws[ref] = value
    wb.save(out)
    return rows


def _saved(path: Path, when: dt.datetime) -> None:
    """Set the document's save time, as Excel stamps it."""
    with zipfile.ZipFile(path) as src:
        parts = [(i, src.read(i)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                              data)
            dst.writestr(info, data)


def test_forms_for_the_nine_units_carry_the_criteria_the_unit_column_and_a_locked_identity(tmp_path):
    master = tmp_path / "cum.xlsx"
    _master(master, blank=False, targets={("1.3", "SCT"): 90})
    forms = _forms(master)
    assert sorted(forms) == sorted(UNIT_CODES)
    assert forms["SNNMT"] == tmp_path / "Phiếu tự chấm" / "2025" / "SNNMT - Sở Nông nghiệp và Môi trường.xlsx"
    wb = openpyxl.load_workbook(forms["SCT"])
    assert wb.sheetnames == ["Phiếu tự chấm", "emutools"]
    assert wb["emutools"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    ws = wb["Phiếu tự chấm"]
    assert ws.protection.sheet
    assert ws["A3"].value == "Hạn gửi lại phiếu cho thư ký cụm: 10/12/2025"
    assert "SCT – Sở Công Thương" in ws["A2"].value
    assert [c.value for c in ws[7]] == ["Mã tiêu chí", "Nội dung tiêu chí", "Điểm tối đa", "Chỉ tiêu, cách ghi",
                                        "Tự chấm (SCT)", "Minh chứng"]
    rows = _rows(ws)
    assert ws.cell(rows["2.4"], 3).value == 5  # the maximum
    assert ws.cell(rows["1.2.a"], 2).value.endswith("(*)")  # evidence required
    # SCT's own plan for 1.3 (90 %) instead of the common 100 %; another unit sees the common one
    assert ws.cell(rows["1.3"], 4).value == "Chỉ tiêu (riêng của đơn vị): 90 %; ghi kết quả đạt được"
    other = openpyxl.load_workbook(forms["STC"])["Phiếu tự chấm"]
    assert other.cell(rows["1.3"], 4).value == "Chỉ tiêu (chung): 100 %; ghi kết quả đạt được"
    # only SCT's column, prefilled with what the master holds (veto 7.1 answered "Không")
    assert ws.max_column == 6
    assert ws.cell(rows["7.1"], 5).value == "Không"
    assert openpyxl.load_workbook(forms["SNNMT"])["Phiếu tự chấm"].cell(rows["1.2.b"], 5).value == "8,5"
    # input cells unlocked, the rest locked; headings take no input
    assert not ws.cell(rows["1.1"], 5).protection.locked and not ws.cell(rows["1.1"], 6).protection.locked
    assert ws.cell(rows["1.1"], 3).protection.locked and ws.cell(rows["1"], 5).protection.locked
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    score_rule = next(dv for ref, dv in rules.items() if f"E{rows['1.1']}" in ref.split())
    assert (score_rule.type, score_rule.formula1, score_rule.formula2) == ("decimal", "0", f"$C{rows['1.1']}")
    assert any(f"E{rows['7.1']}" in ref.split() and dv.type == "list" for ref, dv in rules.items())
    assert any(f"E{rows['1.1']}" in str(cf.sqref) for cf in ws.conditional_formatting)
    ident = {r[0]: r[1] for r in wb["emutools"].iter_rows(values_only=True)}
    assert ident["kind"] == "emutools-self-assessment-form" and ident["unit"] == "SCT"
    assert (ident["cluster"], ident["year"], ident["period"], ident["sent"]) == (
        "Cụm thi đua số 3 – Các sở, ngành khối kinh tế", 2025, "annual", "2025-11-20")
    assert re.fullmatch(r"[0-9a-f]{16}", ident["criteria"])
    # made again the same day from the same master: the same bytes, nothing rewritten
    again = write_forms(master, check_file(master), SENT)
    assert not again.written and len(again.unchanged) == 9


@pytest.fixture
def returned(tmp_path):
    """The master, and a folder of returned forms with the realistic mistakes."""
    master = tmp_path / "cum.xlsx"
    own = _master(master)
    # the verification sheet is the leader's; the master already holds QDTPT's 1.1 (typed by the secretary)
    wb = openpyxl.load_workbook(master)
    ws = wb[SELF]
    code_rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    unit_cols = {ws.cell(4, c).value: c for c in range(4, ws.max_column + 1)}
    ws.cell(code_rows["1.1"], unit_cols["QDTPT"], 3)
    wb.save(master)
    forms = _forms(master)
    back = tmp_path / "nhận về"
    back.mkdir()
    rows = _fill(forms["STC"], "STC", own, out=back / "STC.xlsx", skip={"1.1"})  # a blank
    _fill(forms["SXD"], "SXD", own, out=back / "phieu SXD.xlsx", edits={f"E{rows['1.2.b']}": "8,5"})
    _fill(forms["SNNMT"], "SNNMT", own, out=back / "SNNMT.xlsx", edits={f"E{rows['2.4']}": 6})  # max 5
    other = openpyxl.load_workbook(forms["SCT"])  # a form of another cluster
    other["emutools"]["B3"] = "Cụm thi đua số 9"
    other.save(back / "SCT cụm khác.xlsx")
    # SKHCN unprotected the sheet and changed a maximum, and typed a note beside the table
    _fill(forms["SKHCN"], "SKHCN", own, out=back / "SKHCN.xlsx", edits={f"C{rows['2.4']}": 10, "H9": "xem lại"})
    # BQLKKT returns a form made before criterion 2.4's maximum changed (made from an older master)
    older = tmp_path / "cũ" / "cum.xlsx"
    older.parent.mkdir()
    _master(older)
    wb = openpyxl.load_workbook(older)
    crit = wb[C.CRITERIA_SHEET.vi]
    for r in range(5, crit.max_row + 1):
        if crit.cell(r, 1).value == "2.6":
            crit.cell(r, 4, 4)
    wb.save(older)
    _fill(_forms(older)["BQLKKT"], "BQLKKT", own, out=back / "BQLKKT.xlsx")
    # SDL sends twice: the later file is the newer save
    _fill(forms["SDL"], "SDL", own, out=back / "SDL lần 1.xlsx", edits={f"E{rows['1.1']}": 2})
    _fill(forms["SDL"], "SDL", own, out=back / "SDL lần 2.xlsx")
    _saved(back / "SDL lần 1.xlsx", dt.datetime(2025, 12, 1, 9, 0))
    _saved(back / "SDL lần 2.xlsx", dt.datetime(2025, 12, 3, 15, 30))
    # QDTPT: 3.5 on 1.1 where the master already has 3
    _fill(forms["QDTPT"], "QDTPT", own, out=back / "QDTPT.xlsx", edits={f"E{rows['1.1']}": 3.5})
    # a stray workbook that is no form, and Excel's lock file
    shutil.copy(master, back / "bảng tổng hợp.xlsx")
    (back / "~$STC.xlsx").write_bytes(b"lock")
    # TTXT sends nothing
    return master, back, rows, own


def _flags(report) -> dict[tuple[str, str, str], str]:
    return {(i.sheet, i.cell, i.code): i.message("vi") for i in report.issues}


def _sheet_values(path: Path, sheet: str) -> dict[tuple[str, str], object]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value}
    cols = {ws.cell(4, c).value: c for c in range(4, ws.max_column + 1) if ws.cell(4, c).value}
    return {(crit, unit): ws.cell(r, c).value for crit, r in rows.items() for unit, c in cols.items()}


def test_collect_copies_flags_refuses_and_lists_conflicts(returned):
    master, back, rows, own = returned
    before = zipfile.ZipFile(master)
    report = collect_forms(master, back, backup=False)
    flags = _flags(report)
    # refused, with the reason, naming the file
    assert flags[("SCT cụm khác.xlsx", "", "form_other_cluster")] == (
        "Phiếu “SCT cụm khác.xlsx” thuộc cụm “Cụm thi đua số 9”, không phải cụm “Cụm thi đua số 3 – Các sở, "
        "ngành khối kinh tế” của bảng tổng hợp này; không được chép.")
    assert flags[("BQLKKT.xlsx", "", "form_criteria_changed")].startswith(
        "Phiếu “BQLKKT.xlsx” của đơn vị “BQLKKT” được tạo trước khi bảng tiêu chí thay đổi")
    assert ("bảng tổng hợp.xlsx", "", "form_not_a_form") in flags
    assert not any(f[0].startswith("~$") for f in flags)
    # the check's own messages, at the cell of the unit's form
    assert flags[("STC.xlsx", f"E{rows['1.1']}", "score_missing")] == \
        "Thiếu điểm bắt buộc của đơn vị “STC” ở tiêu chí “1.1”."
    assert flags[("phieu SXD.xlsx", f"E{rows['1.2.b']}", "score_text_number")] == \
        "Ô chứa chữ “8,5”, đã đọc thành số 8,5."
    assert flags[("SNNMT.xlsx", f"E{rows['2.4']}", "score_out_of_range")] == \
        "Điểm 6 vượt điểm tối đa 5 của tiêu chí “2.4”: chỉ tính 5 điểm; hãy sửa."
    # edits outside the two columns: reported per cell, not copied; the scores are
    assert flags[("SKHCN.xlsx", f"C{rows['2.4']}", "form_edited_outside")] == (
        "Ô ngoài cột Tự chấm và Minh chứng đã bị sửa (phiếu gửi đi: “5”, nhận về: “10”); ô này không được chép.")
    assert ("SKHCN.xlsx", "H9", "form_edited_outside") in flags
    # the duplicate: which was used and why, the other listed
    assert flags[("SDL lần 1.xlsx", "", "form_duplicate")] == (
        "Đơn vị “SDL” gửi nhiều phiếu: dùng phiếu “SDL lần 2.xlsx” (lưu lúc 03/12/2025 15:30:00, mới nhất); "
        "phiếu này (lưu lúc 01/12/2025 09:00:00) không được chép.")
    # the conflict: master value, form value, file, cell — and the master keeps its value
    assert flags[("QDTPT.xlsx", f"E{rows['1.1']}", "form_conflict")] == (
        "Tiêu chí “1.1” của đơn vị “QDTPT”: bảng tổng hợp (Tự chấm!K6) đã có “3”, phiếu ghi “3,5”: giữ giá trị "
        "trong bảng tổng hợp; dùng --overwrite để lấy giá trị của phiếu.")
    assert report.collection.conflicts == 1
    assert sorted(report.collection.used) == ["QDTPT", "SDL", "SKHCN", "SNNMT", "STC", "SXD"]
    scores, evidence = _sheet_values(master, SELF), _sheet_values(master, EVIDENCE)
    assert scores[("1.1", "QDTPT")] == 3 and scores[("1.1", "STC")] is None and scores[("1.1", "SDL")] == 3.5
    assert scores[("1.2.b", "SXD")] == "8,5" and scores[("2.4", "SNNMT")] == 6
    assert scores[("2.4", "SKHCN")] == own["scores"][("2.4", "SKHCN")]
    assert scores[("1.1", "SCT")] is None and scores[("1.1", "BQLKKT")] is None and scores[("1.1", "TTXT")] is None
    assert evidence[("1.2.a", "STC")] == own["evidence"][("1.2.a", "STC")]
    # only the two input sheets' parts and the new Progress sheet changed in the package
    after = zipfile.ZipFile(master)
    changed = {n for n in after.namelist() if n not in before.namelist() or after.read(n) != before.read(n)}
    # (sheet5: Tự chấm, sheet7: Minh chứng; sheet14 with its table: the new Tiến độ sheet)
    assert changed == {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                       "xl/worksheets/sheet5.xml", "xl/worksheets/sheet7.xml", "xl/worksheets/sheet14.xml",
                       "xl/worksheets/_rels/sheet14.xml.rels", "xl/tables/table9.xml"}, changed
    assert check_file(master).ranking.loc["SXD", "total"] is not None


def test_collect_overwrite_takes_the_forms_value_and_lists_it(returned):
    master, back, rows, _ = returned
    report = collect_forms(master, back, overwrite=True, backup=False)
    assert "đã ghi đè bằng giá trị của phiếu (--overwrite)" in _flags(report)[
        ("QDTPT.xlsx", f"E{rows['1.1']}", "form_conflict")]
    assert _sheet_values(master, SELF)[("1.1", "QDTPT")] == 3.5


def test_progress_sheet_rows_after_collect(returned):
    master, back, _, _ = returned
    collect_forms(master, back, backup=False)
    ws = openpyxl.load_workbook(master)[C.PROGRESS_SHEET.vi]
    assert ws["A1"].value == "TIẾN ĐỘ PHIẾU TỰ CHẤM – Cụm thi đua số 3 – Các sở, ngành khối kinh tế – NĂM 2025"
    header = [c.value for c in ws[4]]
    assert header == [c.vi for c in C.PROGRESS_TABLE.columns]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=5, values_only=True)}
    assert list(rows) == UNIT_CODES
    stc, sdl, ttxt = rows["STC"], rows["SDL"], rows["TTXT"]
    assert stc["Phiếu đã gửi"].startswith("STC - Sở Tài chính.xlsx (")
    assert (stc["Phiếu nhận về"], stc["Ô đã tự chấm"], stc["Ô phải chấm"]) == ("STC.xlsx", 22, 23)
    assert stc["Lời nhắc gửi đơn vị"] == (
        "Kính gửi Sở Tài chính: Phiếu tự chấm năm 2025 của đơn vị còn thiếu điểm tự chấm của 1 tiêu chí (1.1). "
        "Đề nghị đơn vị hoàn thiện và gửi lại thư ký Cụm thi đua số 3 – Các sở, ngành khối kinh tế trước ngày "
        "10/12/2025. Trân trọng.")
    assert (sdl["Phiếu nhận về"], sdl["Lưu lúc"]) == ("SDL lần 2.xlsx", dt.datetime(2025, 12, 3, 15, 30))
    assert (sdl["Thiếu minh chứng"], sdl["Đã thẩm định"]) == (1, "Có")  # the demo's SDL lacks evidence for 2.4
    assert (ttxt["Phiếu nhận về"], ttxt["Ô đã tự chấm"], ttxt["Đã thẩm định"]) == (None, 0, "Không")
    assert ttxt["Lời nhắc gửi đơn vị"].startswith(
        "Kính gửi Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch: Thư ký cụm chưa nhận được phiếu tự chấm "
        "điểm thi đua năm 2025 của đơn vị.")
    assert rows["SXD"]["Lời nhắc gửi đơn vị"] is None  # nothing owed
    # rank keeps what came back and counts afresh
    done = CliRunner().invoke(app, ["rank", str(master), "--no-backup"])
    assert done.exit_code == 0, done.output
    ws = openpyxl.load_workbook(master)[C.PROGRESS_SHEET.vi]
    again = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert again["SDL"][3:5] == ("SDL lần 2.xlsx", dt.datetime(2025, 12, 3, 15, 30))


def test_collect_command_prints_the_form_cells_and_refuses_a_missing_folder(returned, tmp_path):
    master, back, rows, own = returned
    done = CliRunner().invoke(app, ["collect", str(master), str(back), "--no-backup"])
    assert done.exit_code == 0, done.output
    said = " ".join(done.output.split())
    used = {"STC", "SXD", "SNNMT", "SKHCN", "SDL", "QDTPT"}
    typed = sum(1 for table in own.values() for (_, unit), v in table.items() if unit in used and v is not None)
    copied = typed - 1 - 1  # STC left 1.1 blank; QDTPT's 1.1 conflicts and is kept
    assert f"10 tệp trong thư mục; dùng 6 phiếu, chép {copied} ô" in said and "1 ô khác giá trị đã có" in said
    assert f"STC.xlsx!E{rows['1.1']}" in said
    missing = CliRunner().invoke(app, ["collect", str(master), str(tmp_path / "không có")])
    assert missing.exit_code == 2 and "Không tìm thấy thư mục" in missing.output


def test_excel_buttons_make_the_forms_and_collect_the_returned_ones_into_the_open_book(tmp_path):
    """The button writes each input sheet as one block, however many forms came back: one form
    and three forms cost the same range calls; cells between keep their values; text stays text."""
    import xlwings as xw

    import emutools.excel as excel
    from tests.xlpayload import actions, payload

    path = tmp_path / "cum.xlsx"
    own = _master(path)
    data = payload(path)
    data["book"]["name"] = str(path)  # classic Excel reports the full path
    book = xw.Book(json=data)
    excel.tao_phieu(book)
    assert actions(book, "alert")[0]["args"][0].startswith("Đã ghi 9 phiếu tự chấm vào thư mục")
    folder = tmp_path / "Phiếu tự chấm" / "2025"
    positions = [s["name"] for s in data["sheets"]]

    def collected() -> tuple[xw.Book, dict[str, list[dict]]]:
        book = xw.Book(json=copy.deepcopy(data))  # the engine adds the Progress sheet to the payload it got
        excel.thu_phieu(book)
        by_sheet = {name: [a for a in actions(book, "setValues") if a["sheet_position"] == positions.index(name)]
                    for name in (SELF, EVIDENCE)}
        return book, by_sheet

    rows = _fill(folder / "SXD - Sở Xây dựng.xlsx", "SXD", own, out=folder / "Nhận về" / "SXD.xlsx")
    one, blocks = collected()
    assert actions(one, "alert")[0]["args"][0].startswith("1 tệp trong thư mục; dùng 1 phiếu, chép ")
    [scores], [evidence] = blocks[SELF], blocks[EVIDENCE]
    # SXD is the second unit (column E, 0-based 4); criterion 1.1 on the master's row 6, the form's row 9
    assert rows["1.1"] == 9 and (scores["start_row"], scores["start_column"]) == (5, 4)
    master_rows = {code: 6 + k for k, code in enumerate(
        ["1.1", "1.2", "1.2.a", "1.2.b", "1.2.c", "1.3", "1.4", "1.5"])}  # the demo's rows, group 1
    assert scores["values"][0] == [own["scores"][("1.1", "SXD")]]
    assert scores["values"][master_rows["1.2.b"] - 6] == [own["scores"][("1.2.b", "SXD")]]
    assert scores["values"][master_rows["1.2"] - 6] == [""]  # a heading row inside the block, kept blank
    texts = [v for row in evidence["values"] for v in row if isinstance(v, str) and v]
    assert texts and all(v.startswith("'") for v in texts)  # "BC 117/BC-SXD" written as text
    assert f"'{own['evidence'][('1.2.a', 'SXD')]}" in texts

    for unit, name in (("STC", "Sở Tài chính"), ("SCT", "Sở Công Thương")):
        _fill(folder / f"{unit} - {name}.xlsx", unit, own, out=folder / "Nhận về" / f"{unit}.xlsx")
    three, blocks = collected()
    assert actions(three, "alert")[0]["args"][0].startswith("3 tệp trong thư mục; dùng 3 phiếu, chép ")
    [scores], [evidence] = blocks[SELF], blocks[EVIDENCE]
    assert (scores["start_row"], scores["start_column"]) == (5, 3)  # STC's column D to SCT's G
    first = scores["values"][0]
    assert first == [own["scores"][("1.1", "STC")], own["scores"][("1.1", "SXD")], "",  # SNNMT sent nothing
                     own["scores"][("1.1", "SCT")]]
    assert [(a["func"], a["sheet_position"]) for a in actions(three)] == \
        [(a["func"], a["sheet_position"]) for a in actions(one)]  # the same range calls for one form or three
    assert any(C.PROGRESS_SHEET.vi in map(str, a["args"]) for a in actions(three) if a["func"] == "addSheet")


def test_the_rank_button_writes_the_progress_sheet_rank_writes(returned, tmp_path):
    """Xếp hạng lại in Excel and ``emutools rank`` give the same Progress sheet: the returned
    forms carried over (SDL's second file and its save time), the rest counted afresh."""
    import xlwings as xw

    import emutools.excel as excel
    from emutools.headless import rank_file
    from tests.xlpayload import actions, payload

    master, back, _, _ = returned
    collect_forms(master, back, backup=False)
    data = payload(master)
    data["book"]["name"] = str(master)
    twin = master.with_name("bản sao.xlsx")  # beside the master: the same forms folder
    shutil.copy(master, twin)
    rank_file(twin, backup=False)
    ws = openpyxl.load_workbook(twin)[C.PROGRESS_SHEET.vi]
    headless = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    book = xw.Book(json=data)
    excel.recalculate(book)
    position = [s["name"] for s in data["sheets"]].index(C.PROGRESS_SHEET.vi)
    [block] = [a["values"] for a in actions(book, "setValues") if a["sheet_position"] == position and a["start_row"] == 3]
    saved_at = headless[0].index(C.PROGRESS_TABLE.columns[4].vi)
    assert len(block) == len(headless) == 10 and block[0] == headless[0]
    for ours, theirs in zip(block[1:], headless[1:], strict=True):
        if isinstance(theirs[saved_at], dt.datetime):  # the engine sends a time as "2025-12-03 15:30:00"
            theirs[saved_at] = f"{theirs[saved_at]:%Y-%m-%d %H:%M:%S}"
        assert [v if v != "" else None for v in ours] == theirs
    sdl = next(r for r in block if r[0] == "SDL")
    assert (sdl[3], sdl[saved_at]) == ("SDL lần 2.xlsx", "2025-12-03 15:30:00")
    # a book with no file to look beside (xlwings Lite, a new unsaved book) keeps the sheet's "sent" column
    data["book"]["name"] = master.name
    lite = xw.Book(json=data)
    excel.recalculate(lite)
    [block] = [a["values"] for a in actions(lite, "setValues") if a["sheet_position"] == position and a["start_row"] == 3]
    assert [r[2] for r in block] == [r[2] for r in headless] and block[1][2].startswith("STC - Sở Tài chính.xlsx (")


def test_the_rank_button_costs_the_same_range_calls_with_the_progress_sheet_for_5_or_40_units(tmp_path):
    import xlwings as xw

    import emutools.excel as excel
    from emutools.io.forms import forms_folder
    from tests.generated import content
    from tests.xlpayload import actions, payload

    calls = []
    for units, per_group in ((5, 3), (40, 30)):
        (tmp_path / str(units)).mkdir()
        path = tmp_path / str(units) / "cum.xlsx"
        build_workbook(path, content(n_units=units, n_groups=2, per_group=per_group))
        forms_folder(path, "vi", check_file(path).inputs.settings.year).mkdir(parents=True)  # forms in use
        data = payload(path)
        data["book"]["name"] = str(path)
        book = xw.Book(json=data)
        excel.recalculate(book)
        assert any(a["func"] == "addSheet" and C.PROGRESS_SHEET.vi in map(str, a["args"]) for a in actions(book))
        calls.append([(a["func"], a["sheet_position"]) for a in actions(book)])
    assert calls[0] == calls[1]


def test_a_form_given_where_the_cluster_workbook_is_expected_is_named_for_what_it_is(tmp_path):
    """The secretary runs check or rank on a unit's form instead of the cluster workbook: one
    bilingual sentence says it is SCT's form and how forms go in (collect), instead of three
    missing-sheet errors or advice to unlock the form's structure; the form is not touched."""
    master = tmp_path / "cum.xlsx"
    _master(master)
    form = _forms(master)["SCT"]
    before = form.read_bytes()
    for command in ("check", "rank"):
        done = CliRunner().invoke(app, [command, str(form)], env={"COLUMNS": "200"})
        said = " ".join(done.output.split())
        assert done.exit_code == 2, said
        assert "là phiếu tự chấm của đơn vị SCT" in said and "emutools collect" in said
        assert "is the self-assessment form of unit SCT" in said and "Protect Workbook" not in said
    assert form.read_bytes() == before
