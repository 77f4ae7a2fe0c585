"""Self-assessment forms as files: one workbook per unit out, every returned one read back.

The layout and the decisions are the core's (:mod:`emutools.core.forms`); here they become
files.  A form is built with openpyxl like the template (same colours, same validation, a
red highlight on invalid values) and locked: the workbook's structure (no sheets added,
renamed or unhidden) and the sheet (only the yellow input cells unlocked), without a
password — the lock prevents accidents; ``collect`` checks the rest.  Its identity sits in
a veryHidden sheet named ``emutools`` (docs/forms.md).

``collect`` copies what the core accepted into the master through the package writer:
only the self-assessment and evidence sheets' cells change, and the Progress sheet is
written beside the result sheets (:mod:`emutools.io.progress`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree
from lxml import etree
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from emutools.core import forms as F
from emutools.core.engine import Result
from emutools.core.issues import Issue
from emutools.core.model import cell_ref
from emutools.documents.files import path_inside, safe_name, write_keeping_old
from emutools.errors import UserError
from emutools.io.reader import WorkbookReadError, check_package
from emutools.io.template import (
    BOLD,
    FLAG_FILL,
    FLAG_FONT,
    HEADING_FILL,
    HELP_FONT,
    INFO_FILL,
    INPUT_FILL,
    TITLE_FONT,
    YES_NO,
    _fit_row_heights,
    _header,
    _list_rule,
    _reproducible_bytes,
    _style,
    _text_stays_text,
    _validate,
)
from emutools.io.xlsx import WriteReport, safe_write, write_output_sheets
from emutools.io.xlsx.cells import patch_cells
from emutools.io.xlsx.errors import cannot_write
from emutools.io.xlsx.lock import locked
from emutools.io.xlsx.package_reader import XML_PARSER
from emutools.io.xlsx.zipwriter import deterministic_zip
from emutools.texts import LANGS, say

FORMS_FOLDER = {lang: say("folder.forms", lang) for lang in LANGS}
RETURNED_FOLDER = {lang: say("folder.returned", lang) for lang in LANGS}  # inside it: where the Excel button collects
FORM_SUFFIXES = (".xlsx", ".xlsm")
FORM_PART, IDENTITY_PART = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
WIDTHS = (10, 60, 9, 30, 12, 36)
DEADLINE_FONT = Font(bold=True, color="C00000")
UNLOCKED = Protection(locked=False)


class FormsError(UserError):
    """The forms folder cannot be written, or the returned-forms folder read."""


def forms_folder(master: Path, lang: str, year: int) -> Path:
    """``Phiếu tự chấm/<năm>/`` (en ``Self-assessment forms/<year>/``) beside the master."""
    return master.parent / FORMS_FOLDER[lang] / str(year)


@dataclass
class FormsReport:
    folder: Path
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # older versions renamed "(1)", …


def write_forms(master: Path, result: Result, today: dt.date | None = None) -> FormsReport:
    """One form per unit of ``result`` (the master recalculated), into the forms folder."""
    inputs = result.inputs
    folder = forms_folder(master, inputs.lang, inputs.settings.year)
    try:
        (folder / RETURNED_FOLDER[inputs.lang]).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FormsError(f"Không tạo được thư mục “{folder}” ({exc}).", f"Cannot create the folder '{folder}' ({exc}).") \
            from exc
    report = FormsReport(folder)
    layouts = F.form_layouts(inputs, list(inputs.units.index), today or dt.date.today())
    for layout, data in zip(layouts, forms_bytes(layouts), strict=True):
        path = path_inside(folder, safe_name(layout.file_stem, ".xlsx"))
        written, kept = write_keeping_old(path, data)
        (report.written if written else report.unchanged).append(path)
        report.kept += [kept] if kept else []
    return report


def forms_bytes(layouts: list[F.FormLayout]) -> Iterator[bytes]:
    """Each unit's form as .xlsx bytes.  The forms differ only in cell values, so the first is
    built with openpyxl (blank) and each is that package with its own values set
    (:mod:`emutools.io.xlsx.cells`): thirty forms cost one build."""
    if not layouts:
        return
    base = layouts[0]
    package = zipfile.ZipFile(io.BytesIO(form_bytes(dataclasses.replace(base, inputs={}))))
    parts = [(name, package.read(name)) for name in package.namelist()]
    for layout in layouts:
        form = {ref: v for ref, v in layout.cells.items() if base.cells.get(ref) != v}
        form |= {ref: None for ref in base.cells.keys() - layout.cells.keys()} | layout.inputs
        identity = {f"B{k}": value for k, (_, value, _) in enumerate(layout.identity.rows(), start=1)}
        patches = {FORM_PART: form, IDENTITY_PART: identity}
        yield deterministic_zip((name, patch_cells(etree.fromstring(data, XML_PARSER), patches[name])
                                 if name in patches else data) for name, data in parts)


def form_bytes(layout: F.FormLayout) -> bytes:
    """The form workbook of one unit, as the bytes of an .xlsx package (openpyxl: the form
    sheet is its first part, the identity sheet its second)."""
    wb = Workbook()
    ws = wb.active
    ws.title = layout.sheet
    _form_sheet(ws, layout)
    ident = wb.create_sheet(F.IDENTITY_SHEET)
    for row in layout.identity.rows():
        ident.append(row)
    ident.sheet_state = "veryHidden"
    ident.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    for sheet in wb.worksheets:
        _text_stays_text(sheet)
    _fit_row_heights(ws)
    return _reproducible_bytes(wb)


def _form_sheet(ws: Worksheet, layout: F.FormLayout) -> None:
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[cell_ref(1, col)[:-1]].width = width
    for ref, value in layout.cells.items():
        ws[ref] = value
    ws["A1"].font = TITLE_FONT
    ws["A2"].font = BOLD
    ws["A3"].font = DEADLINE_FONT
    for ref in ("A4", "A5"):
        ws[ref].font = HELP_FONT
    _header(ws, F.HEADER_ROW, [layout.cells[cell_ref(F.HEADER_ROW, c)] for c in range(1, F.EVIDENCE_COL + 1)])
    spans: dict[str, list[str]] = {"score": [], "measured": [], "veto": [], "free": []}
    for r in layout.rows:
        heading = r.kind is None
        for col in range(1, F.EVIDENCE_COL + 1):
            cell = ws.cell(r.row, col)
            fill = HEADING_FILL if heading else INPUT_FILL if col >= F.SCORE_COL else INFO_FILL
            _style(cell, fill, "0.00" if col == F.MAX_COL or (col == F.SCORE_COL and r.kind == "score")
                   else "@" if col in (F.CODE_COL, F.EVIDENCE_COL) else "General", bold=heading)
        if heading:
            continue
        for ref in (layout.score_cell(r.row), layout.evidence_cell(r.row)):
            ws[ref].protection = UNLOCKED
            if ref in layout.inputs:
                ws[ref] = layout.inputs[ref]
        ws[layout.score_cell(r.row)].alignment = Alignment(horizontal="center", vertical="top")
        spans[r.kind].append(layout.score_cell(r.row))
    _validation(ws, layout, spans)
    ws.freeze_panes = f"A{F.HEADER_ROW + 1}"
    ws.print_title_rows = f"{F.HEADER_ROW}:{F.HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may change; nothing else


def _validation(ws: Worksheet, layout: F.FormLayout, spans: dict[str, list[str]]) -> None:
    """The master's rules for the unit's column, and red where a value breaks them."""
    lang, max_col = layout.lang, cell_ref(1, F.MAX_COL)[:-1]
    score = spans["score"]
    if score:
        first = int(re.sub(r"\D", "", score[0]))
        _validate(ws, score, type="decimal", operator="between", formula1="0", formula2=f"${max_col}{first}",
                  message=say("grid.msg_score", lang))
        top = score[0]
        rule = f'OR(ISTEXT({top}),AND(ISNUMBER({top}),OR({top}<0,{top}>${max_col}{first})))'
        ws.conditional_formatting.add(" ".join(score), FormulaRule(formula=[rule], fill=FLAG_FILL, font=FLAG_FONT))
    measured = spans["measured"]
    if measured:
        _validate(ws, measured, type="decimal", operator="greaterThanOrEqual", formula1="0",
                  message=say("grid.msg_measured", lang))
        top = measured[0]
        ws.conditional_formatting.add(" ".join(measured), FormulaRule(
            formula=[f"OR(ISTEXT({top}),AND(ISNUMBER({top}),{top}<0))"], fill=FLAG_FILL, font=FLAG_FONT))
    if spans["veto"]:
        _validate(ws, spans["veto"], **_list_rule(YES_NO[lang]),
                  message=say("grid.msg_yes_no", lang))


# --- forms back -----------------------------------------------------------------------------


def returned_folder(master: Path, result: Result) -> Path:
    """Where returned forms are saved for the Excel button: ``Phiếu tự chấm/<năm>/Nhận về``."""
    inputs = result.inputs
    return forms_folder(master, inputs.lang, inputs.settings.year) / RETURNED_FOLDER[inputs.lang]


def returned_forms(folder: Path) -> list[Path]:
    """Every workbook in ``folder`` (not in sub-folders), but Excel's lock files and emutools' temporaries."""
    if not folder.is_dir():
        raise FormsError(f"Không tìm thấy thư mục “{folder}”.", f"Folder not found: '{folder}'.")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FORM_SUFFIXES
                  and not p.name.startswith(("~$", ".")))


def read_form(path: Path) -> F.ReturnedForm:
    """A returned form's identity, values and save time; a file that is not a readable
    workbook is a form without identity (refused, with the reader's reason)."""
    from python_calamine import CalamineWorkbook

    saved = _saved_at(path)
    try:
        check_package(path)
    except WorkbookReadError:  # encrypted, an .xls, damaged: refused as no form
        return F.ReturnedForm(path.name, saved, None)
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if F.IDENTITY_SHEET not in names:
            return F.ReturnedForm(path.name, saved, None)
        identity = F.FormIdentity.from_rows(book.get_sheet_by_name(F.IDENTITY_SHEET).to_python())
        sheet = next((n for n in names if n in F.FORM_SHEET), None)
        if identity is None or sheet is None:
            return F.ReturnedForm(path.name, saved, None)
        values = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        return F.ReturnedForm(path.name, saved, identity, values)
    except Exception:  # noqa: BLE001 — calamine's errors on a damaged file: not a form we can read
        return F.ReturnedForm(path.name, saved, None)


def _saved_at(path: Path) -> dt.datetime:
    """When the file was last saved: the document's own time (Excel writes it on every
    save, and it survives e-mail and copying), else the file system's."""
    try:
        with zipfile.ZipFile(path) as package:
            core = ElementTree.fromstring(package.read("docProps/core.xml"))
        stamp = next((e.text for e in core.iter() if e.tag.endswith("}modified") and e.text), None)
        if stamp:
            return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(tzinfo=None)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        pass
    return dt.datetime.fromtimestamp(os.path.getmtime(path))


@dataclass
class CollectReport:
    collection: F.Collection
    forms: list[Path]  # every workbook found in the folder
    write: WriteReport
    lang: str  # the master's

    @property
    def issues(self) -> list[Issue]:
        return self.collection.issues


def collect_forms(master: Path, folder: Path, *, overwrite: bool = False, backup: bool = True) -> CollectReport:
    """Read every returned form in ``folder``, copy what is accepted into ``master`` and write
    its Progress sheet, in one safe write."""
    from emutools.core.engine import recalculate
    from emutools.headless import recalculate_book
    from emutools.io.progress import progress_sheet

    paths = returned_forms(folder)
    real = safe_write.real_file(master)
    try:
        with locked(real):  # held from reading the master to writing it, as rank does
            raw, result = recalculate_book(real)
            collection = F.collect(raw, result, [read_form(p) for p in paths], overwrite=overwrite)
            after = recalculate(F.apply_writes(raw, collection.writes)) if collection.writes else result
            sheet = progress_sheet(master, raw, after, collection)
            write = write_output_sheets(master, [sheet], backup=backup, cells=collection.writes)
    except OSError as exc:  # the lock file could not be made: the folder refuses writes
        raise cannot_write(real, exc) from exc
    return CollectReport(collection, paths, write, result.inputs.lang)
