"""The emutools command as a secretary or a script uses it: output, exit codes, no tracebacks."""

from __future__ import annotations

import unicodedata
import zipfile

import pytest
from typer.testing import CliRunner

from emutools.cli import app
from emutools.headless import check_file
from tests.cluster import sheets, write_xlsx

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200"})


def test_demo_prints_the_ranking_and_writes_the_workbook(tmp_path):
    result = invoke("demo", "--folder", str(tmp_path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Cụm thi đua số 3" in out
    lines = [line for line in out.splitlines() if "│" in line]
    ranks = [line.split("│")[1].strip() for line in lines if line.split("│")[2].strip()]
    codes = [line.split("│")[2].strip() for line in lines if line.split("│")[2].strip()]
    assert codes[:4] == ["SCT", "SXD", "STC", "SKHCN"] and ranks[:4] == ["1", "2", "3", "4"]
    assert "Cờ thi đua của Chính phủ" in next(line for line in lines if "│ STC " in line)
    workbook = tmp_path / "cum-thi-dua-mau.xlsx"
    assert workbook.exists()
    reread = check_file(workbook)  # the written file reads back to the same ranking
    assert list(reread.ranking.index[:3]) == ["SCT", "SXD", "STC"]


def test_new_creates_a_template_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "mau.xlsx"
    assert invoke("new", str(path)).exit_code == 0
    before = path.read_bytes()
    again = invoke("new", str(path))
    assert again.exit_code == 2 and "không ghi đè" in again.output
    assert path.read_bytes() == before


def test_new_says_the_steps_that_lay_the_grids_out_before_ranking(tmp_path):
    """The secretary replaces the sample units and runs what `new` printed, in order: the
    grids get a column for the new unit, so no "no column for unit" error is left (ranking
    straight away, as the old hint said, left one per unit and sheet)."""
    import re

    from emutools.io.xlsx.writer import write_output_sheets

    path = tmp_path / "Cụm 2026.xlsx"
    said = " ".join(invoke("new", str(path)).output.split())
    steps = re.findall(r'emutools ([a-z-]+) "', said)
    assert steps[:1] == ["layout"] and steps[-1:] == ["rank"], said
    write_output_sheets(path, [], cells={"Đơn vị": {"A5": "STC", "B5": "Sở Tài chính"}}, backup=False)
    assert "grid_unit_absent" in {i.code for i in check_file(path).issues}
    for step in steps:
        if step != "forms":
            assert invoke(step, str(path)).exit_code == 0
    assert "grid_unit_absent" not in {i.code for i in check_file(path).issues}


def test_check_exits_1_on_errors_and_does_not_touch_the_file(tmp_path):
    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    before = path.read_bytes()
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert "Tự chấm!D6" in result.output and "vượt điểm tối đa" in result.output
    assert path.read_bytes() == before


def test_check_in_english(tmp_path):
    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    result = invoke("check", str(path), "--lang", "en")
    assert "exceeds the maximum" in result.output


def test_rank_writes_results_and_keeps_a_backup(tmp_path):
    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    original = path.read_bytes()
    result = invoke("rank", str(path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cum.bak.xlsx").read_bytes() == original
    with zipfile.ZipFile(path) as package:
        assert "xl/workbook.xml" in package.namelist()
    assert check_file(path).ranking["rank"].to_dict() == {"A": 1, "B": 2, "C": 3, "D": 3, "E": 5}


@pytest.mark.parametrize("setup, fragment, english", [
    (lambda p: p.write_text("not a workbook"), "bị hỏng", "damaged"),
    (lambda p: None, "Không tìm thấy", "not found"),
])
def test_bad_files_get_a_message_and_exit_2(tmp_path, setup, fragment, english):
    """The workbook could not be read, so its language is unknown: the message is said in
    Vietnamese, then in English (with --lang, in that language only)."""
    path = tmp_path / "cum.xlsx"
    setup(path)
    result = invoke("rank", str(path))
    assert result.exit_code == 2
    assert fragment in result.output and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Lỗi:") and any(line.startswith("Error:") and english in line for line in lines)
    told = invoke("rank", "--lang", "en", str(path))
    assert english in told.output and fragment not in told.output


def test_workbook_open_in_excel_is_left_untouched(tmp_path):
    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    (tmp_path / "~$cum.xlsx").write_bytes(b"lock")
    before = path.read_bytes()
    result = invoke("rank", str(path))
    assert result.exit_code == 2 and "Excel" in result.output
    assert path.read_bytes() == before


def test_read_only_workbook_is_left_untouched(tmp_path):
    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        result = invoke("rank", str(path))
        assert result.exit_code == 2 and "chỉ đọc" in result.output
        assert path.read_bytes() == before
    finally:
        path.chmod(0o644)


def test_excel_command_makes_the_macro_workbook_and_says_what_to_do(tmp_path):
    from oletools.olevba import VBA_Parser

    path = tmp_path / "cum.xlsm"
    result = invoke("excel", str(path))
    assert result.exit_code == 0, result.output
    assert "Enable Content" in result.output
    code = "\n".join(c for _, _, _, c in VBA_Parser(str(path)).extract_macros())
    assert 'RunPython "import emutools.excel as x; x.run_recalculate()"' in code
    again = invoke("excel", str(path))
    assert again.exit_code == 2 and "không ghi đè" in again.output


def test_letters_writes_the_documents_beside_the_workbook(tmp_path):
    from docx import Document

    from emutools.io.template import build_workbook
    from tests.cluster import signable_demo

    path = tmp_path / "cum.xlsx"
    build_workbook(path, signable_demo("vi"))
    result = invoke("letters", str(path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "Văn bản" / "2025"
    names = sorted(p.name for p in folder.glob("*.docx"))
    assert "Biên bản họp bình xét.docx" in [unicodedata.normalize("NFC", n) for n in names], names
    docs = [Document(f) for f in folder.glob("*.docx")]
    text = "\n".join([p.text for d in docs for p in d.paragraphs] +
                     [c.text for d in docs for t in d.tables for row in t.rows for c in row.cells])
    assert "Thanh Hóa, ngày 18 tháng 12 năm 2025" in text


def test_names_and_codes_that_look_like_markup_are_printed_as_written(tmp_path):
    """Unit names, codes and the cluster name are data: ``[/]``, ``[b]``, ``[red]`` or
    ``:smile:`` are neither styles nor errors (rich's MarkupError crashed rank after writing)."""
    data = sheets()
    units = data["Đơn vị"]
    units[4][:3] = ["SCT[/b]", "Sở [/] Công Thương", "Sở [/] CT"]  # unit A
    units[5][1:3] = ["Xã [red]", "Xã [red] :smile:"]  # unit B
    for grid in ("Tự chấm", "Thẩm định", "Minh chứng"):
        data[grid][3][3] = "SCT[/b]"
    units[8][4] = "Y[/]"  # unit E registers an unknown award code: the flag quotes it
    data["Cài đặt"][4][1] = "Cụm [bold]số 3[/bold]"
    path = tmp_path / "cụm [x].xlsx"
    write_xlsx(path, data)
    ranked = invoke("rank", str(path), "--no-backup")
    assert ranked.exit_code == 0, ranked.output
    for shown in ("SCT[/b]", "Sở [/] CT", "Xã [red] :smile:", "Cụm [bold]số 3[/bold]", "cụm [x].xlsx"):
        assert shown in ranked.output
    checked = invoke("check", str(path))
    assert checked.exit_code == 1 and "“Y[/]”" in checked.output


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    """The installed `emutools` command (cli.main), its exit code, stdout and stderr."""
    from emutools.cli import main

    with pytest.raises(SystemExit) as stop:
        main(list(args))
    out = capsys.readouterr()
    return stop.value.code, out.out, out.err


def test_help_pages_speak_vietnamese_first_and_show_no_click_english(capsys):
    code, out, _ = run_main(capsys)
    assert code == 0
    assert "Cách dùng / usage: emutools LỆNH/COMMAND" in out and "Lệnh / commands:" in out
    assert "  new-period  Bắt đầu kỳ mới" in out
    code, out, _ = run_main(capsys, "rank", "--help")
    assert code == 0
    assert "Cách dùng / usage: emutools rank [TÙY CHỌN/OPTIONS] FILE" in out
    assert ("FILE  Bảng tính cụm; nhiều tệp hoặc một thư mục / the cluster workbook; several files\n"
            "        or a folder (bắt buộc / required)") in out
    assert "--lang vi|en" in out and "--help, -h    Hiện trợ giúp này / show this help" in out
    for english in ("Show this message and exit", "<bool>", "<path>", "<str>", "Usage:"):
        assert english not in out


@pytest.mark.parametrize("args, vietnamese, english", [
    (("rank",), "Thiếu FILE (Bảng tính cụm; nhiều tệp hoặc một thư mục / the cluster workbook; several files "
                "or a folder).", "Missing FILE."),
    (("xephang", "cum.xlsx"), "Không có lệnh “xephang”. Có phải ý bạn là “emutools rank”?",
     "No such command 'xephang'. Did you mean 'emutools rank'?"),
    (("rnak",), "Có phải ý bạn là “emutools rank”?", "Did you mean 'emutools rank'?"),
    (("zzz",), "Không có lệnh “zzz”. Các lệnh: new, rank, check,", "Commands: new, rank"),
    (("rank", "--al", "x.xlsx"), "Lệnh rank không có tùy chọn --al. Có phải ý bạn là --all?",
     "rank has no option --al. Did you mean --all?"),
    (("new", "a.xlsx", "b.xlsx"), "Thừa đối số: b.xlsx.", "Unexpected extra argument: b.xlsx."),
    (("new", "a.xlsx", "--lang"), "Tùy chọn --lang cần một giá trị.", "Option --lang needs a value."),
])
def test_usage_errors_are_bilingual_with_a_suggestion(capsys, args, vietnamese, english):
    code, _, err = run_main(capsys, *args)
    assert code == 2
    assert vietnamese in err and english in err
    assert "Traceback" not in err and "Try '" not in err


def test_commands_still_run_through_the_entry_point(capsys, tmp_path):
    code, out, _ = run_main(capsys, "demo", "--folder", str(tmp_path))
    assert code == 0 and "Cụm thi đua số 3" in out
    code, _, err = run_main(capsys, "check", str(tmp_path / "none.xlsx"))
    assert code == 2 and "Không tìm thấy tệp" in err


def _ranking_total(path, code: str) -> object:
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True)["Xếp hạng"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and "Mã đơn vị" in r and "Tổng điểm" in r)
    return next(r[header.index("Tổng điểm")] for r in rows if r and r[header.index("Mã đơn vị")] == code)


def test_letters_never_disagree_with_the_ranking_sheet(tmp_path):
    """A verified score edited after the last ranking: letters rewrites the result sheets first
    (and says so), so the Ranking sheet and the documents show the same total; then, with
    nothing changed, it only reads the workbook."""
    import openpyxl
    from docx import Document

    from emutools import contract as C
    from emutools.headless import rank_file
    from emutools.io.template import build_workbook
    from tests.cluster import signable_demo

    path = tmp_path / "cum.xlsx"
    build_workbook(path, signable_demo("vi"))
    rank_file(path, backup=False)
    assert _ranking_total(path, "TTXT") == 64.9
    book = openpyxl.load_workbook(path)
    grid = book[C.VERIFIED_SHEET.name("vi")]
    cells = list(grid.iter_rows())
    header = next(r for r in cells if any(c.value == "TTXT" for c in r))
    column = next(c.column for c in header if c.value == "TTXT")
    row = next(r for r in cells if r[0].value == "1.1")
    grid.cell(row=row[0].row, column=column).value = 4  # TTXT's verified 3 of 4 on 1.1 becomes 4
    book.save(path)
    result = invoke("letters", str(path))
    assert result.exit_code == 0, result.output
    assert "Số liệu đã thay đổi sau lần xếp hạng gần nhất: đã ghi lại các sheet kết quả" in result.output
    assert _ranking_total(path, "TTXT") == 65.9
    minutes = Document(next((tmp_path / "Văn bản" / "2025").glob("Bi*.docx")))
    table = next(t for t in minutes.tables if t.rows[0].cells[0].text == "Hạng")
    assert ["9", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "65,90"] in [
        [c.text for c in r.cells][:3] for r in table.rows]
    again = invoke("letters", str(path))
    assert again.exit_code == 0 and "Số liệu đã thay đổi" not in again.output, again.output


def test_letters_with_open_errors_writes_fresh_results_but_no_document(tmp_path):
    from emutools.io.template import build_workbook
    from emutools.sample import demo_content

    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))  # never ranked, and TTXT scored 6 on a 5-point criterion
    result = invoke("letters", str(path))
    assert result.exit_code == 2
    assert "Số liệu đã thay đổi" in result.output and "Bảng tính còn 1 lỗi" in result.output, result.output
    assert "Tự chấm!L18" in result.output
    assert _ranking_total(path, "TTXT") is not None and not (tmp_path / "Văn bản").exists()
    drafts = invoke("letters", str(path), "--draft")
    assert drafts.exit_code == 0 and "Bản DỰ THẢO: 1 lỗi" in drafts.output, drafts.output


def test_rank_names_the_sheets_a_user_can_find(tmp_path):
    """The input snapshot is very hidden (no tab, not even in Unhide): the sentence naming the
    sheets written leaves it out, and names the visible Changes sheet."""
    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    said = " ".join(invoke("rank", str(path)).output.split())
    assert "Đã ghi sheet Xếp hạng, Kiểm tra, Công bằng, Lịch sử, Thay đổi vào" in said
    assert "Ảnh chụp số liệu" not in said


def test_python_dash_m_runs_the_same_command_line(tmp_path):
    """Where pip's Scripts folder is not on PATH, ``python -m emutools`` is the way in."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "emutools", "check", str(tmp_path / "khong-co.xlsx")],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 2
    assert "khong-co.xlsx" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
