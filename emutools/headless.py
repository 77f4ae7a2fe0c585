"""Recalculate a workbook file without Excel: read values, run the core, write result sheets.

Only the emutools-owned sheets (Ranking, Issues, Fairness, History, Changes with the hidden
input snapshot, and Progress once the cluster uses self-assessment forms) are rewritten, at package level, so
everything else in the file — other sheets, formulas, styles, shapes, buttons, VBA —
is kept byte for byte (see :mod:`emutools.io.xlsx`).  ``layout`` rewrites the input grids
the same way, from the Units and Criteria tables (:mod:`emutools.io.grids`).
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from emutools.core.engine import Result, recalculate
from emutools.core.history import results_current
from emutools.core.model import RawBook
from emutools.io.changes import InputChanges, input_changes
from emutools.io.grids import Layout, lay_out
from emutools.io.issues_csv import write_full_lists
from emutools.io.package import unwritable
from emutools.io.progress import rank_sheets
from emutools.io.reader import read_book
from emutools.io.titles import stale_titles
from emutools.io.xlsx import WorkbookWriteError, WriteReport, safe_write, write_output_sheets
from emutools.io.xlsx.errors import cannot_write
from emutools.io.xlsx.lock import locked

T = TypeVar("T")


def recalculate_book(path: str | os.PathLike) -> tuple[RawBook, Result]:
    """The raw tables and the result of the workbook at ``path``; the file is only read."""
    raw = read_book(path)
    return raw, recalculate(raw)


def check_file(path: str | os.PathLike) -> Result:
    """Flags and ranking of the workbook at ``path``; the file is only read."""
    return recalculate_book(path)[1]


def _locked_write(path: str | os.PathLike, make: Callable[[Path], tuple[T, list, dict]], backup: bool,
                  legible: Callable[[T], tuple[str, ...]] = lambda decided: ()) -> tuple[T, WriteReport]:
    """Read, decide and write under the file's lock, so two runs at once queue up and each
    History row is kept (:mod:`emutools.io.xlsx.lock`): ``make(real path)`` reads the file and
    returns what it decided, the sheets to write and the cells to set on other sheets
    (their stale titles, :mod:`emutools.io.titles`)."""
    real = safe_write.real_file(path)
    try:
        with locked(real):
            decided, sheets, cells = make(real)
            with zipfile.ZipFile(real) as package:  # it was just read, so it is a workbook package
                problem = unwritable(package, os.path.basename(path))
            if problem:
                raise WorkbookWriteError(*problem)
            return decided, write_output_sheets(path, sheets, backup=backup, cells=cells,
                                                legible=legible(decided))
    except OSError as exc:  # the lock file could not be made: the folder refuses writes
        raise cannot_write(real, exc) from exc


def layout_file(path: str | os.PathLike, *, backup: bool = True) -> tuple[Layout, WriteReport]:
    """Lay the grid sheets out again from the Units and Criteria tables (``emutools layout``):
    only the grids (and the kept-data sheet, when a value lost its cell) are rewritten, and the
    title cell of the other sheets whose title no longer follows the settings; the Settings,
    Units and Criteria sheets print by the rule if a workbook from before it prints them too
    small (:mod:`emutools.io.xlsx.page_patch`)."""

    def make(real: Path) -> tuple[Layout, list, dict]:
        layout = lay_out(read_book(real))
        return layout, layout.sheets, layout.titles

    return _locked_write(path, make, backup, lambda layout: layout.tables)


def rank_file(path: str | os.PathLike, *, backup: bool = True) -> tuple[Result, WriteReport]:
    """Recalculate and write the result sheets back into the file (with the Changes sheet and
    the input snapshot, and the Progress sheet once the cluster uses self-assessment forms);
    stale titles of other sheets are set too."""

    def make(real: Path) -> tuple[tuple[Result, InputChanges], list, dict]:
        raw, result = recalculate_book(real)
        when = dt.datetime.now()
        changes = input_changes(raw, when)
        sheets = rank_sheets(Path(path), raw, result, when, real.stem, changes)
        return (result, changes), sheets, stale_titles(raw, result.inputs.settings, result.inputs.lang)

    (result, changes), report = _locked_write(path, make, backup)
    write_full_lists(safe_write.real_file(path), result, changes)
    return result, report


def current_result(path: str | os.PathLike, *, backup: bool = True) -> tuple[Result, WriteReport | None]:
    """The result documents are made from, with the workbook's result sheets brought in line first.

    When the inputs changed since the last ranking (the History fingerprint differs, or the
    book was never ranked), the result sheets are rewritten exactly as ``rank`` does and its
    report is returned; otherwise the file is only read and the report is None.
    """
    raw, result = recalculate_book(path)
    if results_current(raw):
        return result, None
    return rank_file(path, backup=backup)
