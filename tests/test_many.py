"""Many clusters at once: rank and check over a folder, and the board's overview workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from emutools.cli import app
from emutools.io.template import build_workbook
from tests.generated import content

N_CLUSTERS = 50


def _cluster(path: Path, k: int) -> None:
    """A small cluster: 4 units, 2 groups of 2 criteria, points (k·7 + g·3 + c·5 + seed) mod 21 / 2 for the
    k-th unit (0-based): U001 and U004 score alike in every cell (3·7 = 21), so they tie for the lead —
    seed 1: 26.0 each (U002 19.0, U003 12.0); seed 3: 30.0 each."""
    book = content(4, 2, 2, seed=k)
    book.settings = {"cluster_name": f"Cụm số {k:02d}", "year": 2025}
    build_workbook(path, book)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clusters")
    for k in range(1, N_CLUSTERS):
        _cluster(out / f"cum-{k:02d}.xlsx", k)
    (out / "cum-50.xlsx").write_bytes(b"this is not a workbook")  # the broken one
    (out / "~$khác.xlsx").write_bytes(b"lock")  # an Excel lock file: not a cluster
    return out


def test_rank_a_folder_continues_past_the_broken_file_and_names_it(folder, tmp_path):
    done = CliRunner().invoke(app, ["rank", str(folder), "--no-backup"])
    assert done.exit_code == 2  # one file could not be used
    said = " ".join(done.output.split())
    assert "49/50 tệp" in said
    assert "Không dùng được: cum-50.xlsx — Tệp “cum-50.xlsx” bị hỏng hoặc không phải bảng tính Excel." in said
    ranked = openpyxl.load_workbook(folder / "cum-49.xlsx", read_only=True)
    assert "Xếp hạng" in ranked.sheetnames and ranked["Xếp hạng"]["B5"].value is not None


def test_check_several_files_exits_one_when_any_has_errors(folder):
    files = [str(folder / "cum-01.xlsx"), str(folder / "cum-02.xlsx")]
    done = CliRunner().invoke(app, ["check", *files])
    assert done.exit_code in (0, 1)
    assert "2/2 tệp" in " ".join(done.output.split())


def test_summary_rows_for_fifty_clusters(folder):
    done = CliRunner().invoke(app, ["summary", str(folder)])
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(folder / "Tổng hợp các cụm thi đua.xlsx")
    clusters = book["Các cụm"]
    header = [c.value for c in clusters[4]]
    assert header[:6] == ["Tệp", "Cụm, khối thi đua", "Năm", "Số đơn vị", "Mã đơn vị dẫn đầu", "Đơn vị dẫn đầu"]
    assert header[-3:] == ["Số lỗi", "Số cảnh báo", "Không đọc được"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in clusters.iter_rows(min_row=5, values_only=True)}
    assert len(rows) == N_CLUSTERS and "~$khác.xlsx" not in rows
    broken = rows["cum-50.xlsx"]
    assert broken["Cụm, khối thi đua"] is None
    assert broken["Không đọc được"] == "Tệp “cum-50.xlsx” bị hỏng hoặc không phải bảng tính Excel."
    one = rows["cum-01.xlsx"]
    assert (one["Cụm, khối thi đua"], one["Năm"], one["Số đơn vị"], one["Số lỗi"]) == ("Cụm số 01", 2025, 4, 0)
    leaders = book["Dẫn đầu cụm"]
    lead_header = [c.value for c in leaders[4]]
    lead = [dict(zip(lead_header, r, strict=True)) for r in leaders.iter_rows(min_row=5, values_only=True)]
    assert {r["Cụm, khối thi đua"] for r in lead} == {f"Cụm số {k:02d}" for k in range(1, N_CLUSTERS)}
    assert one["Mã đơn vị dẫn đầu"] == "U001, U004" and one["Đơn vị dẫn đầu"] == "Đơn vị 1, Đơn vị 4"
    tied = {(r["Mã đơn vị"], r["Tổng điểm"]) for r in lead if r["Cụm, khối thi đua"] == "Cụm số 01"}
    assert tied == {("U001", 26.0), ("U004", 26.0)}
    assert {r["Tổng điểm"] for r in lead if r["Cụm, khối thi đua"] == "Cụm số 03"} == {30.0}
    expected = set()  # the best total(s) of each cluster, from the generator's formula
    for k in range(1, N_CLUSTERS):
        totals = [sum((u * 7 + g * 3 + c * 5 + k) % 21 / 2 for g in (1, 2) for c in (1, 2)) for u in range(4)]
        expected |= {(f"Cụm số {k:02d}", f"U{u + 1:03d}", t) for u, t in enumerate(totals) if t == max(totals)}
    assert {(r["Cụm, khối thi đua"], r["Mã đơn vị"], r["Tổng điểm"]) for r in lead} == expected
    assert len(lead) == len(expected) and all(r["Hạng"] == 1 for r in lead)


def test_summary_given_a_workbook_says_it_takes_a_folder(tmp_path):
    """`summary` on a cluster workbook (it exists): not "folder not found" but that it is a
    file, that summary takes the folder of workbooks, and check for one file — in both languages."""
    path = tmp_path / "Cụm 2026.xlsx"
    build_workbook(path, content(3, 1, 2))
    done = CliRunner().invoke(app, ["summary", str(path)], env={"COLUMNS": "200"})
    said = " ".join(done.output.split())
    assert done.exit_code == 2
    assert "là một tệp, không phải thư mục" in said and "is a file, not a folder" in said
    assert "emutools check" in said and "Không tìm thấy" not in said
