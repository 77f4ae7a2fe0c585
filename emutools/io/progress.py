"""The Progress sheet (Tiến độ): per unit, form sent and returned, cells owed, a reminder.

Written by ``collect`` and, once a cluster uses forms (the forms folder or the sheet
exists), by ``rank``.  What was returned is known only to ``collect``; ``rank`` carries
it over from the sheet as it was, and counts the rest afresh from the workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from emutools import contract as C
from emutools.core import forms as F
from emutools.core.engine import Result
from emutools.core.inputs import text
from emutools.core.model import RawBook
from emutools.io.changes import InputChanges
from emutools.io.forms import forms_folder
from emutools.io.results import output_sheets
from emutools.io.sheetdata import OutputSheet
from emutools.texts import say, sheet_title


def rank_sheets(master: Path | None, raw: RawBook, result: Result, when: dt.datetime,
                book: str = "", changes: InputChanges | None = None) -> list[OutputSheet]:
    """What a recalculation writes, from the command line or the Excel button alike: the result
    sheets (with Changes and the input snapshot), and the Progress sheet once the cluster uses
    forms.  ``master``: the workbook's file (None for a book never saved, which can still carry
    a Progress sheet); ``changes``: the inputs already compared (see ``output_sheets``)."""
    sheets = output_sheets(result, raw, when, book, changes)
    if uses_forms(master, raw, result):
        sheets.append(progress_sheet(master, raw, result))
    return sheets


def uses_forms(master: Path | None, raw: RawBook, result: Result) -> bool:
    """A cluster uses forms once they were made for it, or collected into it."""
    s = result.inputs.settings
    return "progress" in raw.tables or (
        master is not None and forms_folder(master, result.inputs.lang, s.year).is_dir())


def progress_sheet(master: Path | None, raw: RawBook, result: Result,
                   collection: F.Collection | None = None) -> OutputSheet:
    """The sheet for ``result`` (the master as it now reads); ``collection`` what was just
    collected; ``master`` None: no forms folder to say what was sent."""
    lang = result.inputs.lang
    returned = _returned_before(raw)
    if collection is not None:
        returned |= {u: (f.file, f.saved) for u, f in collection.used.items()}
    rows = F.progress(result, _sent(master, raw, result), returned, lang)
    yes, no = say("word.yes", lang), say("word.no", lang)
    spec = C.PROGRESS_TABLE
    s = result.inputs.settings
    due = s.deadline.strftime("%d/%m/%Y") if s.deadline else say("progress.no_deadline", lang)
    owing = sum(1 for r in rows if r.reminder)
    return OutputSheet(
        name=C.find_sheet(raw.sheet_names, C.PROGRESS_SHEET) or C.PROGRESS_SHEET.name(lang),
        title=sheet_title(say("progress.title", lang), s.cluster_name, s.year, s.period, lang),
        subtitle=say("progress.subtitle", lang, due=due, owing=owing, units=len(rows)), header=[c.header(lang) for c in spec.columns],
        rows=[[r.unit, r.name, r.sent or None, r.returned or None, r.returned_at, r.filled, r.required,
               len(r.evidence_missing), None if r.verified is None else (yes if r.verified else no),
               r.reminder or None] for r in rows],
        table_name=spec.excel_name, number_formats=[c.number_format for c in spec.columns],
        widths=[c.width for c in spec.columns])


def _sent(master: Path | None, raw: RawBook, result: Result) -> dict[str, str]:
    """The form made for each unit: its file in the forms folder, and the day it was made;
    for a book with no file to look beside (xlwings Lite), what the sheet already says."""
    if master is None:
        return _sent_before(raw)
    folder = forms_folder(master, result.inputs.lang, result.inputs.settings.year)
    if not folder.is_dir():
        return {}
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xlsx")
    sent = {}
    for unit in result.inputs.units.index:
        mine = [p for p in files if p.name.startswith(f"{unit} - ") and " (" not in p.stem[len(unit):]]
        if mine:
            day = dt.date.fromtimestamp(mine[0].stat().st_mtime).strftime("%d/%m/%Y")
            sent[unit] = f"{mine[0].name} ({day})"
    return sent


def _sent_before(raw: RawBook) -> dict[str, str]:
    table = raw.tables.get("progress")
    if table is None or "sent" not in table.columns:
        return {}
    return {unit: sent for rec in table.data.to_dict("records")
            if (unit := text(rec.get("unit"))) and (sent := text(rec.get("sent")))}


def _returned_before(raw: RawBook) -> dict[str, tuple[str, dt.datetime | None]]:
    """What the Progress sheet already said came back (kept until a newer form is collected)."""
    table = raw.tables.get("progress")
    if table is None or "returned" not in table.columns:
        return {}
    out = {}
    for rec in table.data.to_dict("records"):
        unit, file = text(rec.get("unit")), text(rec.get("returned"))
        if unit and file:
            at = rec.get("returned_at")
            out[unit] = (file, at if isinstance(at, dt.datetime) else None)
    return out
