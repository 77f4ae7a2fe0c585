"""The benchmark's contenders, each run in a fresh process by ``benchmarks/run.py``.

    python benchmarks/contenders.py CONTENDER WORKBOOK --result OUT.json [--sheets PKL] [--ranks OUT]

Every contender writes one JSON object to ``--result``: ``seconds`` (the timed part),
``peak_rss_mb`` (this process's VmHWM, or the measured child's ``ru_maxrss`` for whole
processes), and contender-specific details.  Work outside the timed part (copying the input,
reading results back for the exactness check) happens after the peak is taken where it
could raise it.

Contenders:

* ``emutools``         ``emutools.headless.rank_file`` on a fresh copy, in-process;
* ``emutools-phases``  the same steps timed one by one (read, core, layout, write), each
                       with its own peak RSS: "core" is ``recalculate(raw)`` on an already-read
                       RawBook;
* ``emutools-cli``     the whole ``emutools rank COPY`` process, Python start-up included;
* ``floor``            python-calamine (all sheets, ``to_python``) + pandas + xlsxwriter
                       (constant memory) writing the same Ranking and Issues rows to a new file;
* ``read-once``        python-calamine reading every sheet once (``to_python``), on as many
                       threads as emutools' reader uses, each with its own handle: the limit;
* ``libreoffice``      ``soffice --headless --convert-to xlsx`` of the formula template
                       (recalculation forced by the profile), whole process;
* ``openpyxl``         a naive cell-by-cell openpyxl implementation of the same ranking;
* ``excel-calls``      ``emutools.excel.recalculate`` on an xlwings remote-engine book built
                       from calamine values: range reads and actions counted;
* ``prepare``          not timed: pickles emutools' OutputSheets for the floor;
* ``documents``        ``emutools.documents``, when it has a usable API.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RANKING_SHEET, ISSUES_SHEET = "Xếp hạng", "Kiểm tra"
SETTINGS_SHEET, COMBINE_LABEL = "Cài đặt", "Cách tổng hợp điểm các bảng chấm"
LO_PROFILE = ROOT / "benchmarks" / "out" / "lo-profile"
# LibreOffice's "Recalculation on file load" for Excel files: 0 = always.  The default
# (1, never) would show the cached values xlsxwriter writes (0) instead of recalculating.
LO_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def compile_package() -> int:
    """Byte-compile emutools (and the benchmark's own modules) before anything is timed.

    With PYTHONDONTWRITEBYTECODE=1 (set on these machines) an editable install never writes
    .pyc files, so every fresh process would compile ~14,000 lines first: a one-click
    recalculation measured 2.8 s instead of 0.56 s.  Returns how many files were compiled."""
    import compileall

    for folder in (ROOT / "emutools", ROOT / "benchmarks"):
        compileall.compile_dir(str(folder), quiet=1)
    return sum(1 for folder in ("emutools", "benchmarks")
               for _ in (ROOT / folder).rglob("__pycache__/*.pyc"))


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """The largest waited-for descendant's peak RSS (a fresh worker has only the one we ran)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def fresh_copy(path: Path, folder: Path) -> Path:
    target = folder / path.name
    shutil.copyfile(path, target)
    return target


def ranks_from_sheet(path: Path, sheet: str, code_header: str, rank_header: str,
                     total_header: str | None = None) -> dict:
    """{unit: [rank, total]} read back with calamine from a written result sheet."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)
    header_row = next(k for k, row in enumerate(rows) if code_header in row and rank_header in row)
    header = rows[header_row]
    code, rank = header.index(code_header), header.index(rank_header)
    total = header.index(total_header) if total_header else None
    out = {}
    for row in rows[header_row + 1:]:
        if len(row) <= max(code, rank) or row[code] in (None, ""):
            continue
        value = row[rank]
        out[str(row[code])] = [int(value) if isinstance(value, (int, float)) else None,
                               row[total] if total is not None else None]
    return out


# --- emutools ----------------------------------------------------------------------------


def run_emutools(path: Path, args) -> dict:
    from emutools.headless import rank_file

    with tempfile.TemporaryDirectory() as tmp:
        copy = fresh_copy(path, Path(tmp))
        start = time.perf_counter()
        result, _ = rank_file(copy)
        seconds = time.perf_counter() - start
        peak = peak_rss_mb()
        out = {"seconds": seconds, "peak_rss_mb": peak, "issues": len(result.issues)}
        if args.ranks:
            dump(args.ranks, ranks_from_sheet(copy, RANKING_SHEET, "Mã đơn vị", "Hạng", "Tổng điểm"))
    return out


# The steps ``rank_file`` calls, by the names it calls them in ``emutools.headless`` (an older
# tree calls ``output_sheets``, a newer one ``rank_sheets``: whichever is there is timed; the
# input snapshot compared with the last one, ``input_changes``, is a step of its own: changes).
PHASES = {"read_book": "read", "recalculate": "core", "input_changes": "changes", "output_sheets": "layout",
          "rank_sheets": "layout", "write_output_sheets": "write", "write_full_issues": "full list",
          "write_full_changes": "full list"}


def _instrument(headless, spent: dict, captured: list, peaks: dict | None = None) -> None:
    """Time the steps ``rank_file`` calls, whatever their signatures (they move); with
    ``peaks``, also each step's own peak RSS (the high-water mark is reset before the step)."""
    for name, phase in PHASES.items():
        func = getattr(headless, name, None)
        if func is None:
            continue

        def timed(*a, _func=func, _phase=phase, **kw):
            exact = peaks is not None and reset_peak_rss()
            start = time.perf_counter()
            try:
                out = _func(*a, **kw)
            finally:
                spent[_phase] = spent.get(_phase, 0.0) + time.perf_counter() - start
                if exact:
                    peaks[_phase] = max(peaks.get(_phase, 0.0), peak_rss_mb())
            if _phase == "layout" and isinstance(out, list):  # the sheets (not the changes)
                captured.append(out)
            return out

        setattr(headless, name, timed)


def reset_peak_rss() -> bool:
    """Reset this process's VmHWM to its current RSS (Linux ``clear_refs``); False if refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def run_emutools_phases(path: Path, args) -> dict:
    """rank_file with its steps timed: "core" is recalculate(raw) on the RawBook just read.
    ``phase_peaks_mb``: the peak RSS within each step (empty where the kernel refuses the
    reset); the process's overall peak is only taken after them, so it is not reported."""
    import emutools.headless as headless

    spent: dict[str, float] = {}
    peaks: dict[str, float] = {}
    _instrument(headless, spent, [], peaks)
    with tempfile.TemporaryDirectory() as tmp:
        copy = fresh_copy(path, Path(tmp))
        start = time.perf_counter()
        headless.rank_file(copy)
        seconds = time.perf_counter() - start
    spent["other"] = max(0.0, seconds - sum(spent.values()))
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "phases": spent, "phase_peaks_mb": peaks}


def emutools_command() -> list[str]:
    """The installed console script itself (a pyenv shim would add its own start-up)."""
    script = Path(sysconfig.get_path("scripts")) / "emutools"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from emutools.cli import main; main()"]


def run_emutools_cli(path: Path, args) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        copy = fresh_copy(path, Path(tmp))
        start = time.perf_counter()
        done = subprocess.run([*emutools_command(), "rank", str(copy)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})  # this tree, not the install
        seconds = time.perf_counter() - start
        peak = children_peak_rss_mb()
        if done.returncode != 0:
            raise RuntimeError(f"emutools rank exited {done.returncode}: {done.stderr[-2000:]}")
        if args.ranks:
            dump(args.ranks, ranks_from_sheet(copy, RANKING_SHEET, "Mã đơn vị", "Hạng", "Tổng điểm"))
    return {"seconds": seconds, "peak_rss_mb": peak}


def run_prepare(path: Path, args) -> dict:
    """emutools' result sheets, pickled for the floor (so it writes exactly the same rows)."""
    import emutools.headless as headless

    captured: list = []
    _instrument(headless, {}, captured)
    with tempfile.TemporaryDirectory() as tmp:
        headless.rank_file(fresh_copy(path, Path(tmp)))
    sheets = captured[-1]
    with open(args.sheets, "wb") as f:
        pickle.dump([(s.name, s.title, s.subtitle, s.header, s.rows) for s in sheets], f)
    return {"seconds": 0.0, "peak_rss_mb": peak_rss_mb(),
            "rows": {s.name: len(s.rows) for s in sheets}}


# --- the floor ----------------------------------------------------------------------------


def run_floor(path: Path, args) -> dict:
    import numpy as np
    import pandas as pd
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    with open(args.sheets, "rb") as f:
        sheets = pickle.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "floor.xlsx"
        start = time.perf_counter()
        book = CalamineWorkbook.from_path(str(path))
        values = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                  for name in book.sheet_names}
        # The minimum of computing: float matrices of the score grids, combined, summed, ranked.
        roles = _roles(values[SETTINGS_SHEET])
        mats = {}
        for sheet in roles:
            frame = pd.DataFrame(values[sheet][4:])
            leaf = (frame[2].notna() & (frame[2] != "")).to_numpy()
            mats[sheet] = frame.iloc[leaf, 3:].replace("", np.nan).to_numpy(dtype=float)
        jury = [mats[s] for s, r in roles.items() if r in ("verified", "cross")]
        final = np.nanmean(np.stack(jury), axis=0) if _combine(values[SETTINGS_SHEET]) == "mean" \
            else np.where(np.isnan(jury[0]), next(mats[s] for s, r in roles.items() if r == "self"),
                          jury[0])
        totals = pd.Series(np.nansum(final, axis=0))
        totals.rank(method="min", ascending=False)
        wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        bold = wb.add_format({"bold": True})
        for name, title, subtitle, header, rows in sheets:
            ws = wb.add_worksheet(name)
            ws.write_string(0, 0, title, bold)
            ws.write_string(1, 0, subtitle)
            ws.write_row(3, 0, header, bold)
            for r, row in enumerate(rows, start=4):
                ws.write_row(r, 0, row)
        wb.close()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def run_read_once(path: Path, args) -> dict:
    """Every sheet read once into Python values, in parallel as emutools' reader does (as
    many threads as sheets, at most one per core, each with its own calamine handle): what
    no tool that reads the whole workbook can beat."""
    from concurrent.futures import ThreadPoolExecutor

    from python_calamine import CalamineWorkbook

    def read(name: str) -> list[list]:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(
            skip_empty_area=False)

    start = time.perf_counter()
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    threads = min(len(names), os.cpu_count() or 1)
    with ThreadPoolExecutor(threads) as pool:
        values = dict(zip(names, pool.map(read, names), strict=True))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "threads": threads,
            "cells": sum(len(row) for rows in values.values() for row in rows)}


def _roles(settings: list[list]) -> dict[str, str]:
    """Assessment sheets and roles from the settings sheet's assessments table."""
    names = {"Tự chấm": "self", "Thẩm định": "verified", "Chấm chéo": "cross"}
    start = next(k for k, row in enumerate(settings) if "Sheet chấm điểm" in row)
    roles = {}
    for row in settings[start + 1:]:
        if not row or row[0] in (None, ""):
            break
        roles[str(row[0])] = names.get(str(row[1]), "cross")
    return roles


def _combine(settings: list[list]) -> str:
    label = next(row[1] for row in settings if row and row[0] == COMBINE_LABEL)
    return "mean" if str(label).lower().startswith("trung b") else "verified"


# --- LibreOffice --------------------------------------------------------------------------


def lo_command() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_profile() -> str:
    settings = LO_PROFILE / "user" / "registrymodifications.xcu"
    if not settings.exists():
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(LO_SETTINGS)
    return LO_PROFILE.as_uri()


def convert(path: Path, outdir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [lo_command(), f"-env:UserInstallation={lo_profile()}", "--headless", "--norestore",
         "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "xlsx", "--outdir", str(outdir),
         str(path)], capture_output=True, text=True, timeout=3600)


def run_libreoffice(path: Path, args) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        done = convert(path, Path(tmp))
        seconds = time.perf_counter() - start
        peak = children_peak_rss_mb()
        converted = Path(tmp) / path.name
        if done.returncode != 0 or not converted.exists():
            raise RuntimeError(f"soffice failed ({done.returncode}): {done.stdout} {done.stderr}")
        if args.ranks:
            dump(args.ranks, ranks_from_sheet(converted, "Kết quả", "Mã đơn vị", "Hạng", "Tổng điểm"))
    return {"seconds": seconds, "peak_rss_mb": peak}


# --- naive openpyxl -----------------------------------------------------------------------


def run_openpyxl(path: Path, args) -> dict:
    """What a script written the obvious way does: load, loop over cells, float totals, save."""
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "openpyxl.xlsx"
        start = time.perf_counter()
        wb = openpyxl.load_workbook(path)
        settings = wb[SETTINGS_SHEET]
        combine, roles, found = "verified", {}, False
        for r in range(1, settings.max_row + 1):
            label, value = settings.cell(r, 1).value, settings.cell(r, 2).value
            if label == COMBINE_LABEL:
                combine = "mean" if str(value).lower().startswith("trung b") else "verified"
            elif label == "Sheet chấm điểm":
                found = True
            elif found:
                if not label:
                    found = False
                else:
                    roles[label] = {"Tự chấm": "self", "Thẩm định": "verified"}.get(value, "cross")
        grids = {name: wb[name] for name in roles}
        first = next(iter(grids.values()))
        units = []
        col = 4
        while first.cell(4, col).value is not None:
            units.append((col, str(first.cell(4, col).value)))
            col += 1
        leaf_rows = [r for r in range(5, first.max_row + 1) if first.cell(r, 3).value is not None]
        names = {}
        unit_sheet = wb["Đơn vị"]
        for r in range(5, unit_sheet.max_row + 1):
            names[str(unit_sheet.cell(r, 1).value)] = unit_sheet.cell(r, 2).value
        totals = {}
        for col, unit in units:
            total = 0.0
            for r in leaf_rows:
                values = {role: grids[name].cell(r, col).value for name, role in roles.items()}
                jury = [v for role, v in values.items() if role in ("verified", "cross") and v is not None]
                if combine == "mean" and jury:
                    total += sum(jury) / len(jury)
                elif values.get("verified") is not None:
                    total += values["verified"]
                elif values.get("self") is not None:
                    total += values["self"]
            totals[unit] = total
        ordered = sorted(totals.values())
        ranks = {u: 1 + len(ordered) - bisect.bisect_right(ordered, t) for u, t in totals.items()}
        ws = wb[RANKING_SHEET]
        for k, unit in enumerate(sorted(totals, key=lambda u: ranks[u]), start=5):
            ws.cell(k, 1, ranks[unit])
            ws.cell(k, 2, unit)
            ws.cell(k, 3, names.get(unit))
            ws.cell(k, 4, totals[unit])
        wb.save(out)
        seconds = time.perf_counter() - start
        peak = peak_rss_mb()
        del wb, grids, first, settings, unit_sheet, ws
        if args.ranks:
            dump(args.ranks, {u: [r, totals[u]] for u, r in ranks.items()})
    return {"seconds": seconds, "peak_rss_mb": peak}


# --- the Excel path -----------------------------------------------------------------------


def xl_payload(path: Path) -> dict:
    """The JSON Excel would send (as tests/xlpayload.py builds it), from calamine values."""
    import datetime as dt

    import xlwings as xw
    from python_calamine import CalamineWorkbook
    from xlsxwriter.utility import xl_col_to_name

    def value(v):
        if isinstance(v, dt.date):
            return dt.datetime(v.year, v.month, v.day).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return None if v == "" else v

    book = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False) or [[]]
        width = max((len(r) for r in rows), default=1) or 1
        rows = [[value(v) for v in r] + [None] * (width - len(r)) for r in rows]
        sheets.append({"name": name, "values": rows, "tables": [], "pictures": [], "charts": [],
                       "used_range_address": f"$A$1:${xl_col_to_name(width - 1)}${len(rows)}"})
    names = [{"name": "emu_flag_keys", "sheet_index": None, "address": f"='{ISSUES_SHEET}'!$I:$I",
              "book_scope": True}]
    return {"client": "Microsoft Office Scripts", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "sheets": sheets, "names": names}


def run_excel_calls(path: Path, args) -> dict:
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw

    import emutools.excel as excel

    book = xw.Book(json=xl_payload(path))
    book.set_mock_caller()
    reads: list[str] = []
    original = xw.Range.value

    def getter(self):
        reads.append(self.sheet.name)
        return original.fget(self)

    xw.Range.value = property(getter, original.fset)
    try:
        start = time.perf_counter()
        excel.recalculate(book)
        seconds = time.perf_counter() - start
    finally:
        xw.Range.value = original
    actions = book.json()["actions"]
    kinds: dict[str, int] = {}
    for a in actions:
        kinds[a["func"]] = kinds.get(a["func"], 0) + 1
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "range_reads": len(reads),
            "sheets_read": len(set(reads)), "actions": len(actions), "action_kinds": kinds}


def run_excel_click(path: Path, args) -> dict:
    """A button click, cold and warm.  Cold: a fresh interpreter importing ``emutools.excel``
    (what every click pays when xlwings starts Python per call).  Warm: the second
    ``recalculate`` in one process — what a click costs when the macro template's
    ``USE UDF SERVER`` keeps the interpreter (each call on its own remote-engine book, as
    Excel hands over the workbook on every click)."""
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    probe = ("import time; t = time.perf_counter(); import emutools.excel; "
             "print(time.perf_counter() - t)")
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    cold_process = time.perf_counter() - start
    import xlwings as xw

    import emutools.excel as excel

    data = xl_payload(path)
    first, second = xw.Book(json=data), xw.Book(json=data)
    start = time.perf_counter()
    excel.recalculate(first)
    first_click = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    excel.recalculate(second)
    warm, warm_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": warm, "cpu_s": warm_cpu, "first_click_s": first_click, "import_s": float(run.stdout.strip()),
            "cold_process_s": cold_process, "peak_rss_mb": peak_rss_mb()}


# --- documents ----------------------------------------------------------------------------


def run_documents(path: Path, args) -> dict:
    """Times ``emutools.documents.<args.api>`` when it exists; otherwise says why not.

    The API is being written while this benchmark is: it is called as ``func(result, ...)``
    with the workbook and an output folder passed by parameter name (``workbook_path``,
    ``out_dir``); any failure is reported as "not yet measured" with its reason.
    """
    import importlib
    import inspect

    try:
        documents = importlib.import_module("emutools.documents")
    except Exception as exc:  # noqa: BLE001 - any reason means "not measurable yet"
        return {"seconds": None, "peak_rss_mb": None,
                "note": f"not yet measured: emutools.documents does not import ({type(exc).__name__}: {exc})"}
    func = getattr(documents, args.api, None)
    if func is None:
        return {"seconds": None, "peak_rss_mb": None,
                "note": f"not yet measured: emutools.documents has no {args.api}()"}
    from emutools.documents import render
    from emutools.headless import check_file

    result = check_file(path)
    # The generated workbooks keep a few errors on purpose (blank mandatory scores), and
    # documents to sign are refused while errors are open; drafts add a watermark pass.  The
    # benchmark times the documents as they are made once the errors are fixed.
    render.refuse_while_errors = lambda result, draft: None
    params = inspect.signature(func).parameters
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "documents"
        kwargs = {}
        for name in params:
            if name in ("workbook_path", "workbook", "path"):
                kwargs[name] = path
            elif name in ("out_dir", "folder", "output", "out"):
                kwargs[name] = folder
        if not any(k in kwargs for k in ("out_dir", "folder", "output", "out")):
            return {"seconds": None, "peak_rss_mb": None,
                    "note": f"not yet measured: {args.api}{inspect.signature(func)} has no output "
                            "folder parameter (would write beside the workbook)"}
        try:
            start = time.perf_counter()
            out = func(result, **kwargs)
            seconds = time.perf_counter() - start
        except Exception as exc:  # noqa: BLE001
            return {"seconds": None, "peak_rss_mb": None,
                    "note": f"not yet measured: {args.api}{inspect.signature(func)} failed: "
                            f"{type(exc).__name__}: {exc}"}
        files = sum(1 for p in folder.rglob("*") if p.is_file())
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "files": files,
            "units": len(result.ranking), "report": type(out).__name__}


# --- entry point --------------------------------------------------------------------------

CONTENDERS = {
    "emutools": run_emutools,
    "emutools-phases": run_emutools_phases,
    "emutools-cli": run_emutools_cli,
    "prepare": run_prepare,
    "floor": run_floor,
    "read-once": run_read_once,
    "libreoffice": run_libreoffice,
    "openpyxl": run_openpyxl,
    "excel-calls": run_excel_calls,
    "excel-click": run_excel_click,
    "documents": run_documents,
}


def dump(path: str, data: object) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, default=str))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("contender", choices=sorted(CONTENDERS))
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--result", required=True)
    parser.add_argument("--sheets", help="pickled OutputSheets (prepare writes, floor reads)")
    parser.add_argument("--ranks", help="write {unit: [rank, total]} read back from the output")
    parser.add_argument("--api", default="make_documents", help="documents: the function to time")
    args = parser.parse_args(argv)
    # Imports are done before the clock starts: in-process timings exclude start-up.
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import python_calamine  # noqa: F401
    if args.contender.startswith("emutools") or args.contender == "prepare":
        import emutools.headless  # noqa: F401
        import emutools.io.xlsx  # noqa: F401
    dump(args.result, CONTENDERS[args.contender](args.workbook, args))


if __name__ == "__main__":
    main()
