"""Recalculate a workbook file without Excel: read values, run the core, write result sheets.

Only the emutools-owned sheets (Ranking, Issues, Fairness, History) are rewritten, at package level, so
everything else in the file — other sheets, formulas, styles, shapes, buttons, VBA —
is kept byte for byte (see :mod:`emutools.io.xlsx`).
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile

from emutools.core.engine import Result, recalculate
from emutools.core.model import RawBook
from emutools.io.package import unwritable
from emutools.io.reader import read_book
from emutools.io.results import output_sheets
from emutools.io.xlsx import WorkbookWriteError, WriteReport, write_output_sheets


def recalculate_book(path: str | os.PathLike) -> tuple[RawBook, Result]:
    """The raw tables and the result of the workbook at ``path``; the file is only read."""
    raw = read_book(path)
    return raw, recalculate(raw)


def check_file(path: str | os.PathLike) -> Result:
    """Flags and ranking of the workbook at ``path``; the file is only read."""
    return recalculate_book(path)[1]


def rank_file(path: str | os.PathLike, *, backup: bool = True) -> tuple[Result, WriteReport]:
    """Recalculate and write the four result sheets back into the file."""
    raw, result = recalculate_book(path)
    with zipfile.ZipFile(path) as package:  # it was just read, so it is a workbook package
        problem = unwritable(package, os.path.basename(path))
    if problem:
        raise WorkbookWriteError(*problem)
    now = dt.datetime.now()
    report = write_output_sheets(path, output_sheets(result, raw, now), backup=backup)
    return result, report
