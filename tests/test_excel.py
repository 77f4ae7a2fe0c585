"""The Excel layer on real xw.Book objects (xlwings' remote engine), without Excel.

Payloads are built from real workbook files (tests/xlpayload.py); the assertions are on
the actions Excel would apply: values written, formats, tables, chart, alerts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings as xw

import emutools.excel as excel
from emutools import contract as C  # noqa: E402
from emutools.headless import check_file
from emutools.io.template import build_workbook
from emutools.sample import demo_content
from tests.cluster import signable_demo
from tests.generated import content
from tests.xlpayload import actions, book_from, payload

# sheet positions in the demo workbook (the standard sheets, plus last period's)
DEMO_SHEETS = [spec.name("vi") for spec in C.SHEETS]
DEMO_SHEETS.insert(DEMO_SHEETS.index(C.BALLOT_SHEET.name("vi")) + 1, C.PREVIOUS_SHEET.name("vi"))
RANKING, ISSUES, FAIRNESS = (DEMO_SHEETS.index(spec.name("vi"))
                             for spec in (C.RANKING_SHEET, C.ISSUES_SHEET, C.FAIRNESS_SHEET))


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("xl") / "demo.xlsx"
    build_workbook(path, demo_content("vi"))
    return path


def _block(book, position, start_row):
    return next(a["values"] for a in actions(book, "setValues")
                if a["sheet_position"] == position and a["start_row"] == start_row)


def test_recalculate_writes_the_exact_ranking(demo_path):
    book = book_from(demo_path)
    excel.recalculate(book)
    block = _block(book, RANKING, 3)
    assert block[0][:4] == ["Hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm"]
    rows = [r[:4] for r in block[1:]]
    assert rows == [
        [1, "SCT", "Sở Công Thương", 97.1], [2, "SXD", "Sở Xây dựng", 95.9],
        [3, "STC", "Sở Tài chính", 93.8], [4, "SKHCN", "Sở Khoa học và Công nghệ", 89],
        [5, "SNNMT", "Sở Nông nghiệp và Môi trường", 87.6],
        [6, "BQLKKT", "Ban Quản lý Khu kinh tế và các khu công nghiệp", 85.7],
        [6, "SDL", "Sở Du lịch", 85.7], [8, "QDTPT", "Quỹ Đầu tư phát triển tỉnh", 79.3],
        [9, "TTXT", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", 64.9]]
    headless = check_file(demo_path).ranking  # the same numbers as the command line
    assert [r[1] for r in rows] == list(headless.index)
    award = block[0].index("Đề nghị khen thưởng")
    assert block[3][award] == "Cờ thi đua của Chính phủ"  # STC, the flag passed over vetoed SCT
    tables = [a["args"] for a in actions(book, "addTable")]
    assert ["$A$4:$P$13", True, "TableStyleMedium2", "tblXepHang"] in tables
    chart = actions(book, "addChart")[0]["args"]
    assert chart[1] == "BarClustered" and chart[3] == "$C$4:$D$13"


def test_fairness_sheet_charts_inflation_and_the_change_on_last_period(demo_path):
    """Names and gaps are neighbours (one range); the change is not, so its chart takes the
    change column and the names as its axis labels."""
    book = book_from(demo_path)
    excel.recalculate(book)
    charts = [a["args"] for a in actions(book, "addChart") if a["sheet_position"] == FAIRNESS]
    assert [(c[0], c[3], c[9]) for c in charts] == [("emuTotals", "$C$4:$D$13", "$B$15"),
                                                    ("emuTotals2", "$H$4:$H$13", "$B$38")]
    assert [a["args"] for a in actions(book, "setChartXAxisValues")] == [[1, "Công bằng", "$C$5:$C$13"]]
    block = _block(book, FAIRNESS, 3)
    change = block[0].index("Tăng, giảm so với kỳ trước")
    assert {r[1]: r[change] for r in block[1:]}["TTXT"] == -5.6  # 70.50 last year, 64.90 now


def test_recalculate_highlights_by_listing_flagged_cells(demo_path):
    book = book_from(demo_path)
    excel.recalculate(book)
    block = _block(book, ISSUES, 3)
    keys = {row[-1] for row in block[1:]}
    assert {"Tự chấm!L18", "Tự chấm!F9", "Thẩm định!K12", "Đơn vị!D9"} <= keys
    first = block[1]
    assert first[:2] == ["Lỗi", "Tự chấm"]
    assert first[2] == '=HYPERLINK("#\'Tự chấm\'!L18","L18")'
    assert not actions(book, "setRangeColor")  # colouring is the template's conditional format


def test_check_writes_only_the_issues_sheet(demo_path):
    book = book_from(demo_path)
    result = excel.check(book)
    written = {a["sheet_position"] for a in actions(book) if a["func"] == "setValues"}
    assert written == {ISSUES} and len(result.errors) == 1


def _traffic(path, monkeypatch):
    reads = []
    original = xw.Range.value.fget
    monkeypatch.setattr(xw.Range, "value", property(
        lambda self: reads.append(1) or original(self), xw.Range.value.fset))
    book = book_from(path)
    excel.recalculate(book)
    return len(reads), len(actions(book))


def test_range_traffic_does_not_grow_with_units_or_criteria(tmp_path, monkeypatch):
    small, large = tmp_path / "small.xlsx", tmp_path / "large.xlsx"
    build_workbook(small, content(n_units=5, n_groups=2, per_group=3))
    build_workbook(large, content(n_units=40, n_groups=2, per_group=30))
    assert _traffic(small, monkeypatch) == _traffic(large, monkeypatch)
    reads, writes = _traffic(large, monkeypatch)
    assert reads <= 10 and writes <= 40  # one read per input sheet, a few writes per result sheet (six)


def test_text_that_looks_like_a_formula_is_written_as_text(demo_path):
    data = payload(demo_path)
    units = next(s for s in data["sheets"] if s["name"] == "Đơn vị")
    units["values"][4][1] = '=HYPERLINK("http://x")'  # STC's name, as a user might paste it
    book = xw.Book(json=data)
    excel.recalculate(book)
    names = [r[2] for r in _block(book, RANKING, 3)[1:]]
    assert """'=HYPERLINK("http://x")""" in names


def test_failures_become_one_alert_in_the_workbook_language(demo_path, monkeypatch):
    def boom(raw):
        raise ValueError("hỏng")

    monkeypatch.setattr(excel, "run_core", boom)
    book = book_from(demo_path)
    excel.xep_hang_lai(book)
    alert = actions(book, "alert")[0]["args"]
    assert alert[1] == "emutools" and alert[0].startswith("emutools không hoàn thành được việc này")
    assert "Traceback" not in alert[0]


def test_english_workbook_gets_english_messages(tmp_path, monkeypatch):
    path = tmp_path / "en.xlsx"
    build_workbook(path, demo_content("en"))
    book = book_from(path)
    excel.tao_van_ban(book)  # a payload book has no folder on disk
    assert actions(book, "alert")[0]["args"][0] == (
        "Save the workbook to a folder first: new files are written beside it.")


def test_make_documents_writes_beside_the_workbook_and_says_where(tmp_path):
    path = tmp_path / "cum.xlsx"
    build_workbook(path, signable_demo("vi"))
    data = payload(path)
    data["book"]["name"] = str(path)  # classic Excel reports the full path
    book = xw.Book(json=data)
    excel.make_documents(book)
    message = actions(book, "alert")[0]["args"][0]
    folder = tmp_path / "Văn bản" / "2025"
    assert str(folder) in message or "Văn bản" in message
    assert any(p.suffix == ".docx" for p in folder.iterdir())


def test_make_documents_rewrites_stale_results_first_and_refuses_while_errors_are_open(tmp_path):
    """Never ranked (no History row): the result sheets are written into the open book before
    the documents, and the alert says so; the demo's open error then stops the documents."""
    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    data = payload(path)
    data["book"]["name"] = str(path)
    book = xw.Book(json=data)
    excel.tao_van_ban(book)  # through the guard: the refusal becomes the alert
    assert {RANKING, ISSUES} <= {a["sheet_position"] for a in actions(book, "setValues")}
    message = actions(book, "alert")[0]["args"][0]
    assert message.startswith("Bảng tính còn 1 lỗi nên chưa tạo văn bản"), message
    assert not (tmp_path / "Văn bản").exists()
    clean = tmp_path / "sach.xlsx"
    build_workbook(clean, signable_demo("vi"))
    data = payload(clean)
    data["book"]["name"] = str(clean)
    book = xw.Book(json=data)
    excel.make_documents(book)
    said = actions(book, "alert")[0]["args"][0]
    assert said.startswith("Số liệu đã thay đổi sau lần xếp hạng gần nhất")
    # the sheets named are those a user can find: Changes yes, the very hidden snapshot no
    assert "Thay đổi" in said.split("\n")[0] and "Ảnh chụp số liệu" not in said


def test_runpython_entry_point_uses_the_calling_book(demo_path):
    book = book_from(demo_path)  # set as the mock caller
    excel.run_check()
    assert {a["sheet_position"] for a in actions(book, "setValues")} == {ISSUES}


SERVER_SCRIPT = r"""
import asyncio, json, sys
import xlwings as xw
from xlwings.server import custom_functions_meta, custom_scripts_meta, custom_scripts_call
import emutools.excel, emutools.udfs
sys.path.insert(0, sys.argv[2])
from tests.xlpayload import book_from
book = book_from(sys.argv[1])
asyncio.run(custom_scripts_call(emutools.excel, "kiem_tra", typehint_to_value={xw.Book: book}))
print(json.dumps({
    "scripts": [s["function_name"] for s in custom_scripts_meta(emutools.excel)],
    "functions": [f["name"] for f in custom_functions_meta(emutools.udfs)["functions"]],
    "actions": [a["func"] for a in book.json()["actions"]],
}))
"""


def test_scripts_and_functions_in_server_mode(demo_path):
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    root = str(Path(__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-c", SERVER_SCRIPT, str(demo_path), root],
                          capture_output=True, text=True, env=env, cwd=root, timeout=120)
    assert done.returncode == 0, done.stderr
    meta = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"xep_hang_lai", "kiem_tra", "tao_van_ban"} <= set(meta["scripts"])
    assert {"EMU_TOTAL", "EMU_RANK", "EMU_MISSING"} <= set(meta["functions"])
    assert "setValues" in meta["actions"]


def test_lite_path_needs_no_compiled_or_cli_packages():
    root = str(Path(__file__).resolve().parents[1])
    code = ("import runpy, sys; runpy.run_path('lite/main.py'); "
            "bad = {'python_calamine', 'typer', 'rich'} & set(sys.modules); print(sorted(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                          env={**os.environ}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_new_period_from_excel_writes_next_years_workbook_beside_it(tmp_path):
    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    data = payload(path)
    data["book"]["name"] = str(path)
    book = xw.Book(json=data)
    excel.ky_moi(book)
    assert (tmp_path / "cum - 2026.xlsx").exists()
    assert "Trưởng cụm: SXD, phó trưởng cụm: SNNMT" in actions(book, "alert")[0]["args"][0]
