"""Run the benchmark: every contender side by side, in fresh processes, medians and ratios.

    python benchmarks/run.py                        # cluster, province, nation (~20 min)
    python benchmarks/run.py --quick                # cluster and province, one run each
    python benchmarks/run.py --workloads province --repeats 5 --out ''   # no Markdown

Prints one table (workload, contender, median time, ratio to the floor, peak RSS, ranks
against the exact reference) and writes it, with the machine description, the phase split
of emutools' time, the Excel-path call counts and the targets, to ``docs/benchmarks.md``.
Contenders are described in ``benchmarks/contenders.py`` and ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import contenders as K  # noqa: E402
from benchmarks.generate import OUT, WORKLOADS, Workload, ensure, generate, reference  # noqa: E402

WORKER = Path(K.__file__)
TIMED = ["emutools", "emutools-phases", "emutools-cli", "floor", "read-once", "libreoffice", "openpyxl"]
LABELS = {
    "emutools": "emutools `rank_file` (in-process, end to end)",
    "emutools-core": "emutools core `recalculate(raw)`",
    "emutools-cli": "`emutools rank FILE` (whole process)",
    "floor": "floor: calamine + pandas + xlsxwriter (in-process)",
    "read-once": "read once: every sheet read by calamine, in parallel as emutools reads (in-process)",
    "libreoffice": "status quo: formula template, LibreOffice headless recalculation (whole process)",
    "openpyxl": "naive openpyxl, cell by cell (in-process)",
}
RANKED = {"emutools": "emutools", "emutools-cli": "emutools-cli", "libreoffice": "libreoffice",
          "openpyxl": "openpyxl"}
DEFAULT_REPEATS = {"cluster": 5, "province": 5, "nation": 3, "province-flags": 3, "nation-flags": 1}


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    phases: list[dict] = field(default_factory=list)
    phase_peaks: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def peak(self) -> float | None:
        return max(self.peaks) if self.peaks else None


def worker(contender: str, workbook: Path, timeout: float, **options) -> dict:
    """One contender in a fresh Python process; its JSON result, or {"error": ...}."""
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        cmd = [sys.executable, str(WORKER), contender, str(workbook), "--result", str(result)]
        for key, value in options.items():
            cmd += [f"--{key}", str(value)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s"}
        if done.returncode != 0 or not result.exists():
            return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:] or ["failed"]}
        return json.loads(result.read_text())


def say(text: str) -> None:
    print(text, flush=True)


# --- one workload -----------------------------------------------------------------------


@dataclass
class WorkloadResult:
    workload: Workload
    runs: dict[str, Runs]
    agreement: dict[str, tuple[int, int, str]]  # contender -> (differing, units, note)
    excel: dict | None = None
    reference_seconds: float = 0.0
    rows_written: dict[str, int] = field(default_factory=dict)  # emutools' output sheets


def run_workload(w: Workload, repeats: int, skip: set[str], timeout: float) -> WorkloadResult:
    if w.noisy:  # the flag-heavy workloads measure emutools' flags: no status-quo contenders
        skip = skip | {"libreoffice", "openpyxl"}
    lo = K.lo_command() is not None and "libreoffice" not in skip
    say(f"\n== {w.name}: {w.units} units × {w.leaves} criteria × {w.assessments} assessments "
        f"({w.score_cells:,} score cells), {repeats} run(s)")
    start = time.perf_counter()
    path = ensure(w)
    formulas = ensure(w, formulas=True) if lo else None
    say(f"   workbooks ready in {time.perf_counter() - start:.1f} s: {path.name}"
        + (f", {formulas.name}" if formulas else ""))
    start = time.perf_counter()
    data = generate(w)
    ref = reference(data)
    ref_seconds = time.perf_counter() - start
    say(f"   exact decimal reference: {len(ref.ranks)} ranked units in {ref_seconds:.1f} s")

    sheets = OUT / f"{w.name}.sheets.pkl"
    prep = worker("prepare", path, timeout, sheets=sheets)
    if "error" in prep:
        raise SystemExit(f"emutools could not rank {path}: {prep['error']}")
    if lo:
        with tempfile.TemporaryDirectory() as tmp:  # the profile exists and is warm: untimed
            K.convert(formulas if w.units <= 1000 else ensure(WORKLOADS["cluster"], formulas=True),
                      Path(tmp))

    contenders = [c for c in TIMED if c not in skip and (c != "libreoffice" or lo)]
    runs = {c: Runs() for c in contenders}
    rank_files = {}
    for rep in range(repeats):
        order = contenders[rep % len(contenders):] + contenders[:rep % len(contenders)]
        for c in order:
            options: dict[str, object] = {}
            if c == "floor":
                options["sheets"] = sheets
            if rep == 0 and c in RANKED:
                rank_files[c] = options["ranks"] = OUT / f"{w.name}.{c}.ranks.json"
            target = formulas if c == "libreoffice" else path
            out = worker(c, target, timeout, **options)
            r = runs[c]
            if "error" in out:
                r.errors.append(str(out["error"]))
                say(f"   run {rep + 1} {c:16s} FAILED: {out['error']}")
                continue
            r.seconds.append(out["seconds"])
            r.peaks.append(out["peak_rss_mb"])
            if "phases" in out:
                r.phases.append(out["phases"])
            if out.get("phase_peaks_mb"):
                r.phase_peaks.append(out["phase_peaks_mb"])
            say(f"   run {rep + 1} {c:16s} {out['seconds']:9.3f} s  {out['peak_rss_mb']:8.0f} MB")

    agreement = {}
    for c, file in rank_files.items():
        if file.exists():
            agreement[c] = compare(json.loads(file.read_text()), ref, data,
                                   exact_totals=c.startswith("emutools"))
    if "libreoffice" in rank_files and rank_files["libreoffice"].exists():
        runs["libreoffice"].extra["recalculated"] = recalculated(
            json.loads(rank_files["libreoffice"].read_text()), ref)
    excel = None
    if w.units <= 1000:
        excel = worker("excel-calls", path, timeout)
        if w.units <= 100:  # a cluster's click: cold import, warm recalculation
            excel["click"] = worker("excel-click", path, timeout)
    return WorkloadResult(w, runs, agreement, excel, ref_seconds, prep.get("rows", {}))


def compare(found: dict, ref, data, *, exact_totals: bool) -> tuple[int, int, str]:
    """How many ranks differ from the exact reference, how many designed ties are kept
    (and, for emutools, whether every total is exact)."""
    def rank(u):
        return (found.get(u) or [None])[0]

    differing = sum(1 for u, r in ref.ranks.items() if rank(u) != r)
    codes = data.unit_codes
    kept = sum(1 for a, b in data.tie_pairs if rank(codes[a]) == rank(codes[b]) is not None)
    notes = [f"designed ties kept {kept}/{len(data.tie_pairs)}"]
    if exact_totals:
        wrong = sum(1 for u, t in ref.totals.items()
                    if u in found and Decimal(repr(float(found[u][1]))) != t)
        notes.append("all totals exact" if not wrong else f"{wrong} totals differ")
    return differing, len(ref.ranks), "; ".join(notes)


def recalculated(found: dict, ref) -> str:
    """Did LibreOffice really recalculate?  Its totals against the float formula's."""
    close = sum(1 for u, t in ref.float_totals.items()
                if u in found and found[u][1] is not None and abs(float(found[u][1]) - t) < 1e-6)
    return f"{close}/{len(ref.float_totals)} totals equal the formulas' float values"


# --- documents --------------------------------------------------------------------------


def run_documents(timeout: float, workloads: list[str]) -> list[tuple[str, dict]]:
    rows = []
    for name, api, label in (("cluster", "make_documents", "30-unit document set (target < 2 s)"),
                             ("province", "unit_letters", "500 per-unit letters (target < 20 s)")):
        path = OUT / f"{name}.xlsx"
        if name not in workloads and not path.exists():
            path = ensure(WORKLOADS[name])
        rows.append((label, worker("documents", path, timeout, api=api)))
    return rows


# --- report -----------------------------------------------------------------------------


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def fmt_mb(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt_x(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f} ×"


def core_runs(r: WorkloadResult) -> Runs:
    phases = r.runs.get("emutools-phases")
    out = Runs()
    if phases:
        out.seconds = [p["core"] for p in phases.phases if "core" in p]
        out.peaks = phases.peaks
    return out


def results_table(results: list[WorkloadResult]) -> list[str]:
    lines = ["| Workload | Contender | Median | Runs (min–max) | × floor | × read once | Peak RSS (MB) "
             "| Ranks vs exact |", "|---|---|---:|---|---:|---:|---:|---|"]
    for r in results:
        floor, once = r.runs.get("floor"), r.runs.get("read-once")
        for c in ["emutools", "emutools-core", "emutools-cli", "floor", "read-once", "libreoffice", "openpyxl"]:
            runs = core_runs(r) if c == "emutools-core" else r.runs.get(c)
            if runs is None:
                continue
            if not runs.seconds:
                lines.append(f"| {r.workload.name} | {LABELS[c]} | failed | {'; '.join(runs.errors)[:80]} "
                             "| – | – | – | – |")
                continue
            spread = (f"{len(runs.seconds)}: {fmt_s(min(runs.seconds))}–{fmt_s(max(runs.seconds))}"
                      if len(runs.seconds) > 1 else "1")
            agree = ""
            if c in r.agreement:
                differing, total, note = r.agreement[c]
                agree = f"{100 * (total - differing) / total:.1f} % agree ({differing}/{total} differ)"
                agree += f"; {note}" if note else ""
            if c == "libreoffice" and "recalculated" in runs.extra:
                agree += f"; {runs.extra['recalculated']}"
            peak = "(within the run above)" if c == "emutools-core" else fmt_mb(runs.peak)
            x = None if c == "emutools-core" else ratio(runs.median, floor.median if floor else None)
            y = None if c == "emutools-core" else ratio(runs.median, once.median if once else None)
            lines.append(f"| {r.workload.name} | {LABELS[c]} | {fmt_s(runs.median)} | {spread} | "
                         f"{fmt_x(x)} | {fmt_x(y)} | {peak} | {agree} |")
    return lines


PHASE_COLUMNS = ("read", "core", "changes", "layout", "write", "full list", "other")  # "full list": the CSV beside


def phases_table(results: list[WorkloadResult]) -> list[str]:
    """Median time (share of the total) of each step and, below it, the step's own peak RSS
    (median over the runs of the high-water mark reached during the step)."""
    lines = [f"| Workload | {' | '.join(PHASE_COLUMNS)} | total |", "|---|" + "---:|" * (len(PHASE_COLUMNS) + 1)]
    for r in results:
        runs = r.runs.get("emutools-phases")
        if not runs or not runs.phases:
            continue
        med = {k: statistics.median(p.get(k, 0.0) for p in runs.phases) for k in PHASE_COLUMNS}
        total = runs.median
        cells = " | ".join(f"{fmt_s(med[k])} ({100 * med[k] / total:.0f} %)" for k in med)
        lines.append(f"| {r.workload.name} | {cells} | {fmt_s(total)} |")
        if runs.phase_peaks:
            mem = [statistics.median(p[k] for p in runs.phase_peaks) if all(k in p for p in runs.phase_peaks)
                   else None for k in PHASE_COLUMNS[:-1]]
            cells = " | ".join(f"{fmt_mb(m)} MB" if m is not None else "–" for m in mem)
            lines.append(f"| {r.workload.name}: peak RSS within the step | {cells} | | "
                         f"{fmt_mb(max(runs.peaks))} MB |")
    return lines


def excel_table(results: list[WorkloadResult]) -> list[str]:
    lines = ["| Workload | Range reads (`Range.value` getter) | Sheets read | Actions in `book.json()` "
             "| Actions by kind |", "|---|---:|---:|---:|---|"]
    for r in results:
        e = r.excel
        if not e:
            continue
        if "error" in e:
            lines.append(f"| {r.workload.name} | failed: {e['error']} | | | |")
            continue
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(e["action_kinds"].items()))
        lines.append(f"| {r.workload.name} ({r.workload.units} units, {r.workload.assessments} "
                     f"assessment sheets) | {e['range_reads']} | {e.get('sheets_read', '–')} | "
                     f"{e['actions']} | {kinds} |")
    return lines


def click_table(results: list[WorkloadResult]) -> list[str]:
    lines = ["| Workload | Cold: `import emutools.excel` | Cold: fresh process to imported | First recalculation "
             "| Warm click (second recalculation, kept interpreter) | Warm click, CPU time |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        c = (r.excel or {}).get("click")
        if not c:
            continue
        if "error" in c:
            lines.append(f"| {r.workload.name} | failed: {c['error']} | | | | |")
            continue
        lines.append(f"| {r.workload.name} ({r.workload.units} units) | {fmt_s(c['import_s'])} | "
                     f"{fmt_s(c['cold_process_s'])} | {fmt_s(c['first_click_s'])} | {fmt_s(c['seconds'])} | "
                     f"{fmt_s(c.get('cpu_s'))} |")
    return lines


def targets(results: list[WorkloadResult], docs: list[tuple[str, dict]]) -> list[dict]:
    """Each target as {"target", "measured", "verdict"} (verdict "met", "missed" or "not measured")."""
    by = {r.workload.name: r for r in results}

    def med(w: str, c: str) -> float | None:
        if w not in by:
            return None
        runs = core_runs(by[w]) if c == "emutools-core" else by[w].runs.get(c)
        return runs.median if runs else None

    def peak(w: str, c: str) -> float | None:
        runs = by[w].runs.get(c) if w in by else None
        return runs.peak if runs else None

    rows = []

    def check(name: str, measured: float | None, limit: float, shown: str, higher_is_better=False):
        if measured is None:
            rows.append({"target": name, "measured": "not measured", "verdict": "not measured"})
            return
        ok = measured >= limit if higher_is_better else measured <= limit
        rows.append({"target": name, "measured": shown, "verdict": "met" if ok else "missed"})

    x = ratio(med("province", "emutools"), med("province", "floor"))
    check("Province: write-back ≤ 1.5 × floor (in-process)", x, 1.5, fmt_x(x))
    x = ratio(med("province", "emutools-cli"), med("province", "libreoffice"))
    check("Province: `emutools rank` process ≤ 0.5 × LibreOffice", x, 0.5, fmt_x(x))
    x = med("province", "emutools-core")
    check("Province: core ≤ 100 ms", x, 0.1, fmt_s(x))
    x = ratio(med("nation", "emutools"), med("nation", "floor"))
    check("Nation: write-back ≤ 2 × floor (in-process)", x, 2, fmt_x(x))
    for w in ("province", "nation"):
        x = ratio(med(w, "emutools"), med(w, "read-once"))
        check(f"{w.capitalize()}: `rank_file` ≤ 1.5 × reading every sheet once in parallel", x, 1.5, fmt_x(x))
    x = peak("nation", "emutools")
    check("Nation: peak RSS ≤ 400 MB (in-process rank_file, typical data)", x, 400, f"{fmt_mb(x)} MB")
    for c, label in (("emutools-cli", "`emutools rank` process"), ("emutools", "in-process rank_file")):
        x = peak("nation", c)
        check(f"Nation: peak RSS ≤ 600 MB ({label})", x, 600, f"{fmt_mb(x)} MB")
    x = ratio(med("nation", "libreoffice"), med("nation", "emutools-cli"))
    check("Nation: ≥ 2 × faster than LibreOffice (process vs process)", x, 2, f"{fmt_x(x)} faster",
          higher_is_better=True)
    x = ratio(med("nation", "openpyxl"), med("nation", "emutools"))
    check("Nation: ≥ 10 × faster than openpyxl (in-process)", x, 10, f"{fmt_x(x)} faster",
          higher_is_better=True)
    if "nation" in by and "province" in by:
        data = by["nation"].workload.score_cells / by["province"].workload.score_cells
        for c, label in (("emutools", "in-process"), ("emutools-cli", "process")):
            x = ratio(med("nation", c), med("province", c))
            shown = "–" if x is None else f"time × {x:.1f} for data × {data:.0f} ({x / data:.2f} of linear)"
            check(f"Linearity Nation/Province ({label}): time ratio ≤ 1.2 × data ratio", x, 1.2 * data, shown)
    x = ratio(med("nation-flags", "emutools"), med("nation", "emutools"))
    check("Flag-heavy Nation (≈ 740,000 flags): `rank_file` ≤ 2 × typical Nation (in-process)", x, 2,
          "–" if x is None else f"{fmt_x(x)} ({fmt_s(med('nation-flags', 'emutools'))} vs "
                                f"{fmt_s(med('nation', 'emutools'))})")
    for c, label in (("emutools", "in-process rank_file"), ("emutools-cli", "`emutools rank` process")):
        x = peak("nation-flags", c)
        check(f"Flag-heavy Nation: peak RSS ≤ 1 GB ({label})", x, 1024, f"{fmt_mb(x)} MB")
    click = (by["cluster"].excel or {}).get("click", {}) if "cluster" in by else {}
    x = click.get("seconds")
    check("A warm click ≤ 0.1 s (30-unit cluster, second recalculation in a kept interpreter)", x, 0.1,
          "–" if x is None else f"{fmt_s(x)} ({fmt_s(click.get('cpu_s'))} CPU); cold import "
                                f"{fmt_s(click.get('import_s'))}")
    for label, out in docs:
        seconds = out.get("seconds")
        limits = [2] if "set" in label else [20, 2.5]
        for limit in limits:
            name = f"Documents: {label.split(' (')[0]} < {limit:g} s"
            if seconds is None:
                note = out.get("note") or out.get("error") or "not yet measured"
                rows.append({"target": name, "measured": note, "verdict": "not measured"})
            else:
                check(name, seconds, limit, fmt_s(seconds))
    return rows


def targets_table(rows: list[dict], before: dict[str, dict] | None = None) -> list[str]:
    """The targets as a Markdown table; with ``before`` (a run of an older commit, by target),
    its measurement in a column of its own."""
    def verdict(row: dict) -> str:
        return {"missed": "**missed**"}.get(row["verdict"], row["verdict"])

    if before is None:
        return ["| Target | Measured | Verdict |", "|---|---|---|",
                *(f"| {r['target']} | {r['measured']} | {verdict(r)} |" for r in rows)]
    lines = ["| Target | Before | Measured | Verdict |", "|---|---|---|---|"]
    for r in rows:
        old = before.get(r["target"])
        lines.append(f"| {r['target']} | {old['measured'] if old else '–'} | {r['measured']} | {verdict(r)} |")
    return lines


def machine() -> list[str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024**2
    versions = []
    for package in ("emutools", "pandas", "numpy", "python-calamine", "openpyxl", "xlsxwriter", "xlwings",
                    "lxml"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    lo = "absent"
    if K.lo_command():
        done = subprocess.run([K.lo_command(), "--version"], stdout=subprocess.PIPE, text=True)
        lo = done.stdout.strip() or "present"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "emutools"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, cwd=ROOT).stdout.strip()
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    return [
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {mem:.0f} GB; {platform.platform()}",
        f"- Python {platform.python_version()}; {', '.join(versions)}",
        f"- LibreOffice: {lo}",
        f"- emutools at commit {commit or '?'}" + (" with uncommitted changes in emutools/" if dirty else ""),
        f"- Load average at the start: {', '.join(load)} (1, 5, 15 min; other work on the machine "
        "slows every contender alike, ratios hold better than absolute times)",
    ]


def markdown(results, docs, host, seconds, before: dict | None = None, repeats: int | None = None) -> str:
    workloads = "\n".join(
        f"- **{r.workload.name}**: {r.workload.units:,} units × {r.workload.leaves} criteria × "
        f"{r.workload.assessments} assessments = {r.workload.score_cells:,} score cells "
        f"(combine: {r.workload.combine}); emutools writes "
        + ", ".join(f"{sheet} {n:,} rows" for sheet, n in r.rows_written.items())
        + f"; exact reference in {r.reference_seconds:.1f} s"
        for r in results)
    docs_rows = "\n".join(
        f"| {label} | " + (f"{fmt_s(out['seconds'])} ({out.get('files', '?')} files, peak "
                           f"{fmt_mb(out.get('peak_rss_mb'))} MB)" if out.get("seconds") is not None
                           else out.get("note") or str(out.get("error", "not yet measured"))) + " |"
        for label, out in docs)
    command = "python benchmarks/run.py " + " ".join(sys.argv[1:])
    return "\n".join([
        "# Benchmarks",
        "",
        f"Generated by `{command.strip()}` in {seconds / 60:.1f} min; see `benchmarks/README.md` for "
        "what each contender does and how to run it. Do not edit by hand: rerun the script.",
        "",
        "## Machine",
        "",
        *host,
        "",
        "## Workloads",
        "",
        workloads,
        "",
        *([f"**Reduced repeats**: {repeats} run(s) per contender and workload instead of the default "
           f"({', '.join(f'{w} {n}' for w, n in DEFAULT_REPEATS.items())}), to finish in the time available; "
           "medians of fewer runs are noisier.", ""] if repeats else []),
        "Medians over fresh processes (contenders interleaved within each repetition); ratios are "
        "against the floor and the read-once time of the same workload; peak RSS is the largest over "
        "the runs. The floor reads its sheets one after another, as the benchmark's brief defines it; "
        "emutools parses the score sheets of a workbook over 256 KB on parallel threads "
        "(python-calamine releases the GIL), so on this machine's cores it can come in under the "
        "floor. \"Read once\" reads every sheet on the same number of threads and does nothing else: "
        "the limit of any tool that reads the whole workbook.",
        "",
        "## Results",
        "",
        *results_table(results),
        "",
        "## Where emutools' time goes (`rank_file`, medians)",
        "",
        *phases_table(results),
        "",
        "## Excel path: calls per recalculation (xlwings remote-engine book)",
        "",
        *excel_table(results),
        "",
        "## A click in Excel (xlwings remote-engine book; the template keeps the interpreter)",
        "",
        *click_table(results),
        "",
        "## Documents",
        "",
        "| Workload | Time |",
        "|---|---|",
        docs_rows,
        "",
        "## Targets",
        "",
        *([f"\"Before\" is {before['commit']}, measured by this script on the same machine "
           f"({before['date']}): {before['note']}", ""] if before else []),
        *targets_table(targets(results, docs), before and before["targets"]),
        "",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="one run each; cluster and province unless --workloads says otherwise")
    parser.add_argument("--workloads", help=f"comma-separated: {', '.join(WORKLOADS)}")
    parser.add_argument("--repeats", type=int, help="runs per contender (default 5; nation 3)")
    parser.add_argument("--skip", default="", help="comma-separated contenders to leave out")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per contender run")
    parser.add_argument("--out", default="docs/benchmarks.md", help="Markdown report ('' for none)")
    parser.add_argument("--before", type=Path,
                        help="the targets.json of a run of an older commit: shown in a Before column")
    parser.add_argument("--note", default="", help="what the run measured, said with its targets.json")
    args = parser.parse_args(argv)
    names = (args.workloads or ("cluster,province" if args.quick else ",".join(WORKLOADS))).split(",")
    skip = {s for s in args.skip.split(",") if s}
    if K.lo_command() is None:
        say("LibreOffice (soffice) not found: the status-quo contender is skipped.")
    compiled = K.compile_package()
    say(f"Compiled emutools and benchmarks/ to bytecode first ({compiled} .pyc files).")
    start = time.perf_counter()
    host = machine()  # at the start: the commit measured, not the one at the end
    host.append(f"- Bytecode: `python -m compileall` ran on emutools/ and benchmarks/ before timing "
                f"({compiled} .pyc files): with PYTHONDONTWRITEBYTECODE=1 an editable install "
                "otherwise recompiles the package in every fresh process")
    results = []
    for name in names:
        repeats = args.repeats or (1 if args.quick else DEFAULT_REPEATS.get(name, 3))
        results.append(run_workload(WORKLOADS[name], repeats, skip, args.timeout))
    docs = run_documents(args.timeout, names)
    seconds = time.perf_counter() - start
    measured = targets(results, docs)
    before = json.loads(args.before.read_text()) if args.before else None
    say("")
    for line in [*results_table(results), "", *phases_table(results), "", *excel_table(results), "",
                 *click_table(results), "", *targets_table(measured, before and before["targets"])]:
        say(line)
    saved = OUT / "targets.json"  # for a later run's Before column
    saved.write_text(json.dumps({"commit": host[4].removeprefix("- emutools at "), "date": host[0].removeprefix(
        "- Date: "), "note": args.note, "targets": {r["target"]: r for r in measured}}, ensure_ascii=False, indent=1))
    say(f"\nWrote {saved}")
    if args.out:
        out = ROOT / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(markdown(results, docs, host, seconds, before, args.repeats))
        say(f"Wrote {out}")


if __name__ == "__main__":
    main()
