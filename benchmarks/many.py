"""Forms and many clusters: `python benchmarks/many.py` (about a minute on 2 cores).

* forms for the 30 units of the ``cluster`` workload (60 criteria), and collect of the 30 forms
  returned filled in (each unit's column of the workload's self-assessment);
* rank of 100 small cluster workbooks in one command (``emutools rank FOLDER``), per workbook,
  beside one ``emutools rank FILE`` of the same workbook in its own process.

Prints the numbers (median of ``--repeats``); docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import WORKLOADS, ensure  # noqa: E402
from emutools.headless import check_file, rank_file  # noqa: E402
from emutools.io.forms import collect_forms, write_forms  # noqa: E402
from emutools.io.template import build_workbook  # noqa: E402
from tests.generated import content  # noqa: E402


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def forms_and_collect(tmp: Path, repeats: int) -> tuple[float, float]:
    """Median seconds of `forms` (30 units, prefilled from the workload's self-assessment) and of
    `collect` of those 30 forms into the same master with its self-assessment sheet emptied, so
    that every score and evidence cell is copied."""
    import openpyxl

    source = ensure(WORKLOADS["cluster"])
    make, take = [], []
    for k in range(repeats):
        folder = tmp / f"forms{k}"
        folder.mkdir()
        master = folder / "cluster.xlsx"
        shutil.copy(source, master)
        result = check_file(master)
        make.append(_timed(lambda m=master, r=result: write_forms(m, r)))
        wb = openpyxl.load_workbook(master)
        for row in wb["Tự chấm"].iter_rows(min_row=5, min_col=4):
            for cell in row:
                cell.value = None
        wb.save(master)
        back = next((folder / "Phiếu tự chấm").iterdir())
        take.append(_timed(lambda m=master, b=back: collect_forms(m, b, backup=False)))
    return statistics.median(make), statistics.median(take)


def many_clusters(tmp: Path, n: int) -> tuple[float, float, float]:
    """Seconds per workbook of one `rank FOLDER` over ``n`` small clusters, of one `rank FILE`
    (its own process: Python start-up and imports included) and of ranking that one workbook
    in this process (``rank_file``: the work alone)."""
    folder = tmp / "many"
    folder.mkdir()
    for k in range(n):
        book = content(12, 4, 5, seed=k)
        book.settings = {"cluster_name": f"Cụm {k}", "year": 2025}
        build_workbook(folder / f"cum-{k:03d}.xlsx", book)
    cli = [str(Path(sys.executable).parent / "emutools")]
    one = folder / "cum-000.xlsx"
    single = statistics.median(_timed(lambda: subprocess.run([*cli, "rank", str(one), "--no-backup"],
                                                             check=True, capture_output=True)) for _ in range(3))
    alone = statistics.median(_timed(lambda: rank_file(one, backup=False)) for _ in range(3))
    batch = _timed(lambda: subprocess.run([*cli, "rank", str(folder), "--no-backup"], check=True,
                                          capture_output=True))
    return batch / n, single, alone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clusters", type=int, default=100)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "emutools"), str(ROOT / "benchmarks")],
                   check=True)
    with tempfile.TemporaryDirectory() as tmp:
        make, take = forms_and_collect(Path(tmp), args.repeats)
        print(f"forms, 30 units × 60 criteria: {make:.2f} s; collect of 30 forms: {take:.2f} s")
        per_book, single, alone = many_clusters(Path(tmp), args.clusters)
        print(f"rank of {args.clusters} clusters (12 units × 20 criteria) in one command: {per_book:.3f} s per "
              f"workbook; one `emutools rank FILE` of one of them: {single:.2f} s; the same workbook ranked "
              f"in-process (rank_file): {alone:.3f} s")


if __name__ == "__main__":
    main()
