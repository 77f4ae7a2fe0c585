"""The "Thay đổi" ("Changes") sheet: each input cell changed since the previous recalculation.

A recalculation compares its inputs with the snapshot the previous one left in the workbook
(:mod:`emutools.io.snapshot`, compared by :func:`emutools.core.changes.compare`) and lists the
cells that differ: sheet, cell (a link to it), unit, criterion, the table column, old and new
value, and when.  The first recalculation of a workbook says there is nothing to compare with
yet; one with no change says so with the time of the previous one — what the minutes' annex
shows when nothing was touched after the vote.  Like the Issues sheet, the list is bounded by
the ``issues_shown`` setting; the complete list then goes to a CSV file beside the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from emutools import contract as C
from emutools.core.changes import TABLE, Change, Comparison, Snapshot, Value, compare, snapshot
from emutools.core.model import RawBook
from emutools.core.numbers import format_number
from emutools.io.sheetdata import OutputSheet, quote_sheet
from emutools.io.snapshot import previous_snapshot
from emutools.texts import counted, moment, say, short_date

# The contract's tables by key, for the header of a changed table column.
TABLES = {t.key: t for spec in (*C.SHEETS, C.PREVIOUS_SHEET) for t in spec.tables}


@dataclass(frozen=True)
class InputChanges:
    """This recalculation's snapshot and what differs from the previous one."""

    snapshot: Snapshot  # to be stored for the next recalculation
    since: dt.datetime | None  # when the previous one ran (None: no snapshot to compare with)
    unreadable: bool  # a stored snapshot could not be read (edited by hand, newer emutools)
    changes: Comparison | None  # None: nothing compared

    @property
    def when(self) -> dt.datetime:
        return self.snapshot.when


def input_changes(raw: RawBook, when: dt.datetime) -> InputChanges:
    """The inputs of ``raw`` at ``when``, compared with the snapshot it holds."""
    new = snapshot(raw, when)
    old, unreadable = previous_snapshot(raw)
    return InputChanges(new, old.when if old else None, unreadable, compare(old, new) if old else None)


def changes_sheet(record: InputChanges, title: str, limit: int, lang: str, name: str | None = None,
                  book: str = "") -> OutputSheet:
    """The first ``limit`` changed cells, each linked to its cell; the subtitle says since when."""
    spec = C.CHANGES_TABLE
    shown = record.changes.first(limit) if record.changes is not None else []
    rows = [_row(change, record.when, lang) for change in shown]
    links = [(k, 1, f"{quote_sheet(c.sheet)}!{c.cell}") for k, c in enumerate(shown) if c.present]
    return OutputSheet(name or C.CHANGES_SHEET.name(lang), title,
                       _subtitle(record, limit, lang, book), [c.header(lang) for c in spec.columns], rows,
                       spec.excel_name, [c.number_format for c in spec.columns], [c.width for c in spec.columns],
                       links=links, optional=True)


def _subtitle(record: InputChanges, limit: int, lang: str, book: str) -> str:
    if record.since is None:
        return say("changes.unreadable" if record.unreadable else "changes.first", lang)
    since = moment(record.since, lang)
    count = len(record.changes)
    if not count:
        return say("changes.none", lang, since=since)
    text = say("changes.some", lang, cells=counted(count, "noun.cell", lang), since=since,
               when=moment(record.when, lang))
    if changes_bounded(record, limit):
        text += " " + say("changes.bounded", lang, shown=limit, file=full_changes_name(book, lang))
    return text


def changes_bounded(record: InputChanges, limit: int) -> bool:
    """True when the sheet cannot list every changed cell, so the complete list goes beside it."""
    return record.changes is not None and len(record.changes) > limit


def full_changes_name(stem: str, lang: str) -> str:
    """``Cụm 1 - Thay đổi đầy đủ.csv``: every changed cell, beside workbook ``stem``."""
    suffix = say("changes.full_file", lang)
    return f"{stem} - {suffix}.csv" if stem else f"{suffix}.csv"


def change_rows(record: InputChanges, lang: str) -> Iterator[list[object]]:
    """Every changed cell as a row of the sheet (header first), for the CSV file."""
    yield [c.header(lang) for c in C.CHANGES_TABLE.columns]
    for change in record.changes or ():
        yield _row(change, record.when, lang)


def _row(change: Change, when: dt.datetime, lang: str) -> list[object]:
    item = _item(change, lang)
    old, new = _shown(change.old, lang), _shown(change.new, lang)
    notes = [say("changes.gone", lang)] if not change.present else []
    if old == new:  # "8,5" typed as text, now the number 8,5: say what differs
        notes.append(say("changes.retyped", lang, old=_kind(change.old, lang), new=_kind(change.new, lang)))
    if notes:
        item = f"{item} ({'; '.join(notes)})" if item else "; ".join(notes)
    return [change.sheet, change.cell, change.unit or None, change.criterion or None, item or None, old, new, when]


def _kind(value: Value, lang: str) -> str:
    kind = ("number" if isinstance(value, float) else "text" if isinstance(value, str)
            else "date" if isinstance(value, dt.datetime) else "yes_no")
    return say(f"changes.kind_{kind}", lang)


def _item(change: Change, lang: str) -> str:
    """What a table cell is: its column's header (a setting: its label)."""
    key = change.part.removeprefix("table:")
    if not change.part.startswith(f"{TABLE}:"):
        return ""
    if key == "settings" and change.column == "value":
        return change.row
    column = change.column
    header = column[1:] if column.startswith("@") else TABLES[key].column(column).header(lang)
    return f"{change.row} – {header}" if key == "settings" else header


@cache
def _decimal_mark(lang: str) -> str:
    return say("number.decimal_mark", lang)


def _shown(value: Value, lang: str) -> str:
    """A value as the sheet shows it, as text: a number with the language's decimal mark (the
    old and new value of a cell read side by side, aligned alike), a blank in words."""
    if value is None:
        return say("changes.blank", lang)
    if isinstance(value, bool):
        return say("word.yes" if value else "word.no", lang)
    if isinstance(value, float):
        text = repr(value)  # the shortest text giving the number back: what was typed
        if "e" in text or "n" in text:  # 1e-05, inf: written out in full
            return format_number(value, lang)
        return text.removesuffix(".0").replace(".", _decimal_mark(lang))
    if isinstance(value, dt.datetime):
        return short_date(value) if value.time() == dt.time() else moment(value, lang)
    return value
