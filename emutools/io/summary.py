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
from emutools.texts import every, say


def every_column(lang: str, key: str) -> list[str]:
    """A ``|``-separated list of column headers from the catalogue."""
    return say(key, lang).split("|")

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


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
            and not path.stem.endswith(".bak") and name not in every("overview.file"))


@dataclass(frozen=True)
class Outcome:
    """One file of a run: its result, or the reason it could not be used."""

    path: Path
    result: Result | None
    problem: str = ""


def overview_sheets(outcomes: list[Outcome], lang: str) -> list[OutputSheet]:
    """The two sheets of the overview workbook."""
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
    head = [*every_column(lang, "overview.col_cluster_lead"), *(f"{code}: {name}" for code, name in awards.items()),
            *every_column(lang, "overview.col_cluster_tail")]
    n_awards = len(awards)
    bad = sum(o.result is None for o in outcomes)
    first = OutputSheet(
        name=say("overview.sheet_clusters", lang), title=say("overview.title", lang),
        subtitle=say("overview.subtitle", lang, files=len(outcomes), bad=bad),
        header=head, rows=clusters, table_name="tblCacCum",
        number_formats=["@", "General", "0", "0", "@", "General", *["0"] * n_awards, "0", "0", "General"],
        widths=[30, 40, 7, 9, 12, 36, *[14] * n_awards, 8, 10, 50])
    second = OutputSheet(
        name=say("overview.sheet_leaders", lang), title=say("overview.leaders_title", lang),
        subtitle=say("overview.leaders_subtitle", lang), header=every_column(lang, "overview.col_leaders"),
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
