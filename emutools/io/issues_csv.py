"""The complete list of flags (and of changed input cells) as a CSV file beside the workbook.

A flag-heavy workbook (national scale, messy input) has hundreds of thousands of
warnings; the Issues sheet lists a bounded number of them (``io.results.issues_sheet``)
and this file keeps every one, in the sheet's columns and order.  UTF-8 with a byte order
mark, so Excel opens the Vietnamese text correctly on a double click; rows are streamed,
never held all at once; the file is replaced atomically.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from emutools.core.engine import Result
from emutools.io.changes import InputChanges, change_rows
from emutools.io.results import issue_rows
from emutools.io.xlsx import safe_write
from emutools.io.xlsx.errors import cannot_write


def write_full_issues(result: Result, path: Path) -> None:
    """Every flag of ``result`` to ``path`` (header row first), in the workbook's language first."""
    write_rows(issue_rows(result, result.inputs.lang), path)


def write_full_changes(record: InputChanges, lang: str, path: Path) -> None:
    """Every input cell changed since the previous recalculation to ``path`` (header row first)."""
    write_rows(change_rows(record, lang), path)


def write_rows(rows: Iterable[list[object]], path: Path) -> None:
    """A complete list beside the workbook (the flags, the changed cells), streamed to ``path``."""

    def write(out) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        csv.writer(text).writerows(rows)
        text.flush()
        text.detach()  # the caller syncs and closes the file

    try:
        safe_write.commit(safe_write.temp_beside(path, write), path)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
