"""Many clusters at once: which files a folder holds, and the board's overview workbook.

A provincial board or a ministry holds tens to hundreds of cluster workbooks.  ``rank`` and
``check`` run over all of them (a bad file is reported and skipped, never the end of the
run), and ``summary`` writes one workbook: a row per cluster (its leader, proposals per
award, errors and warnings, or why the file could not be read), and the units leading their
clusters in one table — the candidates for the Government Emulation Flag (Law on Emulation
and Commendation 2022, Art. 25), the board's input to its own vote.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from emutools.core.engine import Result, rank_number
from emutools.io.sheetdata import OutputSheet
from emutools.io.xlsx import write_output_sheets
from emutools.io.xlsx.safe_write import write_file

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SUMMARY_NAME = {"vi": "Tổng hợp các cụm thi đua.xlsx", "en": "Clusters overview.xlsx"}
SHEETS = {"vi": ("Các cụm", "Dẫn đầu cụm"), "en": ("Clusters", "Cluster leaders")}


def cluster_files(paths: list[Path]) -> list[Path]:
    """The workbooks named, and those directly inside the folders named, in name order —
    without Excel's lock files, emutools' backups and temporaries, or an overview it wrote."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and _is_cluster_file(p))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _is_cluster_file(path: Path) -> bool:
    name = path.name
    return (path.suffix.lower() in WORKBOOK_SUFFIXES and not name.startswith(("~$", "."))
            and not path.stem.endswith(".bak") and name not in SUMMARY_NAME.values())


@dataclass(frozen=True)
class Outcome:
    """One file of a run: its result, or the reason it could not be used."""

    path: Path
    result: Result | None
    problem: str = ""


def overview_sheets(outcomes: list[Outcome], lang: str) -> list[OutputSheet]:
    """The two sheets of the overview workbook."""
    vi = lang == "vi"
    awards: dict[str, str] = {}  # code -> name, in the order first met
    for o in outcomes:
        if o.result is not None:
            for a in o.result.inputs.awards:
                awards.setdefault(a.code, a.name)
    clusters, leaders = [], []
    for o in outcomes:
        if o.result is None:
            clusters.append([o.path.name, None, None, None, None, None, *[None] * len(awards), None, None,
                             o.problem])
            continue
        r, s = o.result, o.result.inputs.settings
        proposed = Counter(code for code in r.ranking["award"] if code)
        clusters.append([o.path.name, s.cluster_name, s.year, len(r.ranking), ", ".join(r.leaders) or None,
                         ", ".join(str(r.ranking.at[u, "name"]) for u in r.leaders) or None,
                         *[proposed.get(code, 0) for code in awards], len(r.errors), len(r.warnings), None])
        for unit in r.leaders:
            row = r.ranking.loc[unit]
            leaders.append([s.cluster_name, o.path.name, unit, str(row["name"]), rank_number(row["rank"]),
                            float(row["total"]) if row["total"] is not None else None, row["band"] or None,
                            row["award_name"] or None, len(r.errors)])
    head = (["Tệp", "Cụm, khối thi đua", "Năm", "Số đơn vị", "Mã đơn vị dẫn đầu", "Đơn vị dẫn đầu"] if vi else
            ["File", "Cluster", "Year", "Units", "Leader code", "Leading unit"])
    head += [f"{code}: {name}" for code, name in awards.items()]
    head += ["Số lỗi", "Số cảnh báo", "Không đọc được"] if vi else ["Errors", "Warnings", "Could not be read"]
    n_awards = len(awards)
    bad = sum(o.result is None for o in outcomes)
    first = OutputSheet(
        name=SHEETS[lang][0],
        title=("TỔNG HỢP KẾT QUẢ CÁC CỤM, KHỐI THI ĐUA" if vi else "OVERVIEW OF THE EMULATION CLUSTERS"),
        subtitle=(f"{len(outcomes)} tệp; {bad} không đọc được. Các cột khen thưởng: số đơn vị được đề nghị."
                  if vi else f"{len(outcomes)} files; {bad} could not be read. Award columns: units proposed."),
        header=head, rows=clusters, table_name="tblCacCum",
        number_formats=["@", "General", "0", "0", "@", "General", *["0"] * n_awards, "0", "0", "General"],
        widths=[30, 40, 7, 9, 12, 36, *[14] * n_awards, 8, 10, 50])
    second = OutputSheet(
        name=SHEETS[lang][1],
        title=("ĐƠN VỊ DẪN ĐẦU CÁC CỤM (xét Cờ thi đua của Chính phủ, Điều 25 Luật Thi đua, khen thưởng 2022)"
               if vi else "UNITS LEADING THEIR CLUSTERS (Government Emulation Flag, Art. 25, Law of 2022)"),
        subtitle=("Đơn vị đủ điều kiện xếp cao nhất của mỗi cụm; đồng hạng thì cùng ghi." if vi else
                  "Each cluster's best-ranked eligible unit; tied units are all listed."),
        header=(["Cụm, khối thi đua", "Tệp", "Mã đơn vị", "Tên đơn vị", "Hạng", "Tổng điểm", "Xếp loại",
                 "Đề nghị khen thưởng", "Số lỗi của cụm"] if vi else
                ["Cluster", "File", "Unit code", "Unit", "Rank", "Total", "Classification", "Proposed award",
                 "Cluster errors"]),
        rows=leaders, table_name="tblDanDauCum",
        number_formats=["General", "@", "@", "General", "0", "0.00", "General", "General", "0"],
        widths=[40, 30, 12, 40, 7, 10, 14, 34, 10])
    return [first, second]


def write_overview(path: Path, outcomes: list[Outcome], lang: str) -> None:
    """The overview workbook at ``path``: an empty package first, then the two sheets through
    the package writer (the same tables and styles as the result sheets of a cluster)."""
    sheets = overview_sheets(outcomes, lang)
    wb = Workbook()
    wb.active.title = sheets[0].name
    buffer = io.BytesIO()
    wb.save(buffer)
    write_file(path, buffer.getvalue())
    write_output_sheets(path, sheets, backup=False)
