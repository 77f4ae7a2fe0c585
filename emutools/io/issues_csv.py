"""The complete list of flags (and of changed input cells) as a CSV file beside the workbook.

A flag-heavy workbook (national scale, messy input) has hundreds of thousands of
warnings; the Issues sheet lists a bounded number of them (``io.results.issues_sheet``)
and this file keeps every one, in the sheet's columns and order.  UTF-8 with a byte order
mark, so Excel opens the Vietnamese text correctly on a double click; written a chunk of
flags at a time, never all at once; the file is replaced atomically.

The rows are the bytes Python's ``csv.writer`` (Excel dialect) writes, built a column at a
time: the csv module spends ~5 µs on each row of long messages, the bulk of a national list.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from emutools.core.engine import Result
from emutools.core.flags import CHUNK
from emutools.io.changes import InputChanges, change_rows, changes_bounded, full_changes_name
from emutools.io.results import full_issues_name, issue_columns, issues_bounded, issues_limit
from emutools.io.xlsx import safe_write
from emutools.io.xlsx.errors import cannot_write


def write_full_lists(workbook: Path, result: Result, changes: InputChanges | None = None) -> None:
    """Beside ``workbook``, the complete list of flags when its Issues sheet groups some, and
    of changed cells when its Changes sheet cannot list them all (``changes``: the inputs
    compared by this recalculation, None when it compared none)."""
    lang = result.inputs.lang
    if issues_bounded(result):
        write_full_issues(result, workbook.with_name(full_issues_name(workbook.stem, lang)))
    if changes is not None and changes_bounded(changes, issues_limit(result)):
        write_full_changes(changes, lang, workbook.with_name(full_changes_name(workbook.stem, lang)))


def write_full_issues(result: Result, path: Path) -> None:
    """Every flag of ``result`` to ``path`` (header row first), in the workbook's language first."""
    write_columns(issue_columns(result, result.inputs.lang, blank=""), path)


def write_full_changes(record: InputChanges, lang: str, path: Path) -> None:
    """Every input cell changed since the previous recalculation to ``path`` (header row first)."""
    write_columns(_columns(change_rows(record, lang)), path)


def _columns(rows: Iterable[list[object]]) -> Iterable[list[list[object]]]:
    """Rows as columns, ``CHUNK`` rows at a time."""
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        yield [list(column) for column in zip(*chunk, strict=True)]


def write_columns(chunks: Iterable[list[list[object]]], path: Path) -> None:
    """A complete list beside the workbook (the flags, the changed cells), given a chunk of rows
    at a time column by column, streamed to ``path``."""

    def write(out) -> None:  # the caller syncs and closes the file
        out.write(codecs.BOM_UTF8)
        for columns in chunks:
            out.write(csv_lines(columns).encode("utf-8"))

    try:
        safe_write.commit(safe_write.temp_beside(path, write), path)
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def csv_lines(columns: list[list[str]]) -> str:
    """Rows given column by column (text fields, "" for none) as CSV text, lines ended by CRLF."""
    fields = [_quoted(values) for values in columns]
    return "\r\n".join(map(",".join, zip(*fields, strict=True))) + "\r\n"


def _quoted(texts: list[str]) -> list[str]:
    """One column's fields, quoted where needed (quotes doubled), as the csv module does."""
    try:
        joined = "\x00".join(texts)  # one scan finds the (usual) column with nothing to quote
    except TypeError:  # a value that is not text (a number read from a cell): as csv writes it
        texts = ["" if t is None else str(t) for t in texts]
        joined = "\x00".join(texts)
    if "," not in joined and '"' not in joined and "\n" not in joined and "\r" not in joined:
        return texts
    if '"' in joined:
        texts = [t.replace('"', '""') for t in texts]
        return [f'"{t}"' if "," in t or '"' in t or "\n" in t or "\r" in t else t for t in texts]
    return [f'"{t}"' if "," in t or "\n" in t or "\r" in t else t for t in texts]
