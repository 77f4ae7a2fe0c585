"""The template builder: a cluster workbook laid out exactly as the reader expects (openpyxl).

Every sheet has its title in row 1, a one-line instruction in row 2, row 3 blank (or, on
score grids, the units' short names) and the table header in row 4, data from row 5:
:mod:`emutools.io.tables` finds tables by their header row, so this layout is what makes a
freshly built file readable.  Names and headers all come from :mod:`emutools.contract`.

What the builder adds on top of the values, for the secretary:
- input cells are light yellow; heading rows and informational cells grey; the two
  output sheets (written by emutools) have a blue tab and a blue header;
- data validation lists for every choice (labels of the chosen language), with the
  "warning" error style so an unusual but readable entry ("8,5") is still accepted —
  the engine, not Excel, decides what is wrong and says why;
- a conditional format on every input area that turns a cell red while its key
  ``Sheet!A1`` is listed in the Issues sheet (defined name ``emu_flag_keys``), so a
  highlight disappears by itself once the input is fixed and the workbook re-ranked.

The output is byte-for-byte reproducible (fixed document dates and zip timestamps), so
the committed templates can be compared with what the builder makes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from emutools import contract as C
from emutools.core.inputs import folded_list
from emutools.io import gridtexts as T
from emutools.io.gridtexts import VOTE_LABELS, YES_NO
from emutools.io.printing import INPUT_MARGIN_IN, PAGE_ORDER, page_print
from emutools.io.sheetdata import quote_sheet
from emutools.io.xlsx.safe_write import write_file
from emutools.io.xlsx.zipwriter import deterministic_zip
from emutools.texts import pick, say, sheet_title

# --- layout -----------------------------------------------------------------------------

TITLE_ROW, HELP_ROW, NAMES_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = HEADER_ROW + 1
GAP_ROWS = 2  # blank rows after each table stacked on the settings sheet
SPARE_ROWS = 200  # validation and highlight reach this far below a growing table
UNIT_WIDTH = 9  # score grid unit columns
EVIDENCE_WIDTH = 16  # evidence grid unit columns hold short document references
LIST_COLUMN = 26  # hidden helper lists on the settings sheet start at column Z
FIRST_UNIT_COLUMN = len(C.GRID_LEAD) + 1
CHAR_WIDTH = 1.0  # column-width units per character of Vietnamese text, word wrap included
LINE_HEIGHT = 15  # points per line of 11-pt text
DEFAULT_WIDTH = 8.43  # Excel's column width where none is set

FIXED_TIME = dt.datetime(2024, 1, 1)


TIE_BREAK_WORDS = {k: C.CRITERION_KINDS[k] for k in ("penalty", "bonus")}

# --- styles -----------------------------------------------------------------------------

OUTPUT_BLUE = "1F4E79"
INPUT_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
INFO_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
HEADING_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
HEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
OUTPUT_FILL = PatternFill("solid", start_color=OUTPUT_BLUE, end_color=OUTPUT_BLUE)
FLAG_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
FLAG_FONT = Font(color="9C0006")
TITLE_FONT = Font(bold=True, size=14)
HELP_FONT = Font(italic=True, color="7F7F7F")
SECTION_FONT = Font(bold=True, size=12, color=OUTPUT_BLUE)
BOLD = Font(bold=True)
OUTPUT_HEADER_FONT = Font(bold=True, color="FFFFFF")
NAMES_FONT = Font(size=8, color="7F7F7F")
NOTE_FONT = Font(italic=True, color="595959")
_THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


# --- content ----------------------------------------------------------------------------


@dataclass
class WorkbookContent:
    """Everything a built workbook holds, as plain values.

    Choices are canonical tokens ("annual", "verified", "leader", "score", "proportional")
    and yes/no answers are ``bool``; the builder writes them as the labels of ``lang``, the
    way a user would type them.  ``None`` for assessments, bands or awards means the
    defaults of ``lang`` (see :func:`default_assessments`, :func:`default_bands`,
    :func:`default_awards`).
    """

    lang: str = "vi"
    settings: dict[str, object] = field(default_factory=dict)
    # (sheet, role token, assessor[, scope: criteria or group codes, "3; 4.1"])
    assessments: list[tuple[str, ...]] | None = None
    bands: list[tuple] | None = None  # (label, minimum total[, minimum share %, scope]), best first
    awards: list[dict] | None = None  # keys: AWARDS_TABLE fields
    units: list[dict] = field(default_factory=list)  # keys: UNITS_TABLE fields, other keys: attribute columns
    criteria: list[dict] = field(default_factory=list)  # keys: CRITERIA_TABLE fields
    scores: dict[str, dict[tuple[str, str], object]] = field(default_factory=dict)
    evidence: dict[tuple[str, str], str] = field(default_factory=dict)
    # ballot rows: unit, award, votes_for/against/abstain (totals) or "votes": {member: word}
    ballot: list[dict] = field(default_factory=list)
    previous: list[dict] = field(default_factory=list)  # last period per unit: PREVIOUS_TABLE fields
    # each unit's own plan, keyed (criterion, unit); None = no Unit targets sheet, {} = an empty one
    targets: dict[tuple[str, str], object] | None = None
    todo: list[str] = field(default_factory=list)  # a new period's things to fill in, listed on the Guide

    def __post_init__(self) -> None:
        if self.lang not in C.LANGUAGES:
            raise ValueError(f"lang must be one of {C.LANGUAGES}, not {self.lang!r}")
        if self.assessments is None:
            self.assessments = default_assessments(self.lang)
        if self.bands is None:
            self.bands = default_bands(self.lang)
        if self.awards is None:
            self.awards = default_awards(self.lang)

    def setting(self, key: str) -> object:
        """The value given, else the default — for the legal basis, the texts in force for the period."""
        if key == "legal_basis" and key not in self.settings:
            year = self.setting("year")
            return C.legal_basis_for(year if isinstance(year, int) else C.SETTING_BY_KEY["year"].default,
                                     str(self.setting("period")))
        return self.settings.get(key, C.SETTING_BY_KEY[key].default)


def default_assessments(lang: str = "vi") -> list[tuple[str, str, str]]:
    """Self-assessment by each unit, overridden by the leader's verification (the usual way)."""
    return [
        (C.SELF_SHEET.name(lang), "self", pick(lang, "Các đơn vị thành viên", "Member units")),
        (C.VERIFIED_SHEET.name(lang), "verified", pick(lang, "Trưởng cụm", "Cluster leader")),
    ]


def default_bands(lang: str = "vi") -> list[tuple[str, float]]:
    """Classification on the 100-point scale common in cluster rules; each cluster edits it."""
    labels = {"vi": ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Chưa đạt"),
              "en": ("Excellent", "Good", "Fair", "Average", "Below standard")}[lang]
    return list(zip(labels, (90, 80, 70, 50, 0), strict=True))


def default_awards(lang: str = "vi") -> list[dict]:
    """The usual proposals of a provincial or ministry cluster, in priority order.

    The flags follow the Law on Emulation and Commendation 2022 (Art. 25: the Government
    flag goes to units leading their cluster; Art. 26: ministry/provincial flags; Art. 27:
    the Excellent Labour Collective is a standards-based title, granted to every collective
    meeting its standards, never top-N); the Certificate-of-Merit share is a typical cluster
    rule, so the basis says so and the number stays editable.
    """
    best, good = default_bands(lang)[0][0], default_bands(lang)[1][0]
    law = pick(lang, "Luật Thi đua, khen thưởng 2022", "Law on Emulation and Commendation 2022")
    rules = pick(lang, "Quy chế hoạt động của cụm, khối thi đua", "The cluster's operating rules")
    return [
        {"code": "CTDCP", "name": pick(lang, "Cờ thi đua của Chính phủ", "Government Emulation Flag"),
         "rule": "leader", "quota": 1, "min_band": best, "needs_registration": True,
         "needs_agreement": True, "basis": pick(lang, f"Điều 25 {law}", f"Art. 25, {law}")},
        {"code": "CTDT", "name": pick(lang, "Cờ thi đua cấp bộ, ngành, tỉnh",
                                     "Ministry/provincial Emulation Flag"),
         "rule": "top", "quota": 1, "min_band": best, "needs_registration": False,
         "needs_agreement": True, "basis": pick(lang, f"Điều 26 {law}", f"Art. 26, {law}")},
        {"code": "BKT", "name": pick(lang, "Bằng khen cấp bộ, ngành, tỉnh",
                                    "Ministry/provincial Certificate of Merit"),
         "rule": "share", "quota": 20, "min_band": good, "needs_registration": False,
         "needs_agreement": True,
         "basis": pick(lang, f"{rules}: tối đa 20 % số đơn vị", f"{rules}: at most 20 % of members")},
        {"code": "TTLDXS", "name": pick(lang, "Tập thể lao động xuất sắc", "Excellent Labour Collective"),
         "rule": "standard", "quota": None, "min_band": good, "needs_registration": False,
         "needs_agreement": False,
         "basis": pick(lang, f"Điều 27 {law}: mọi tập thể đạt tiêu chuẩn, không hạn chế số lượng",
                      f"Art. 27, {law}: every collective meeting the standards, no quota")},
    ]


def default_content(lang: str = "vi") -> WorkbookContent:
    """A blank template, but not an empty one: three example units and a small example
    criteria table (two scored groups plus one bonus, one penalty and one veto row) show
    how each table is filled in; the secretary overwrites them with the cluster's own.

    The scored criteria add up to 100 points, the scale of :func:`default_bands`, so the
    example ranks into every band.  What the secretary must replace before any letter is
    written — the example units and the generic award names — carries the visible sample
    marker "(mẫu)" in its name: typing the real name removes it,
    and until then ``check`` warns (:mod:`emutools.core.setup_checks`).
    """
    sample = say("sample.marker", lang)
    units = [{"code": f"DV0{k}", "name": pick(lang, f"Đơn vị {k}", f"Unit {k}") + f" {sample}",
              "short_name": pick(lang, f"ĐV mẫu {k}", f"Unit {k}"), "signed": True,
              "registered": "", "veto_note": "", "note": ""} for k in (1, 2, 3)]
    rows = [
        ("1", "Thực hiện nhiệm vụ chuyên môn", "Professional tasks", None, 60, {}),
        ("1.1", "Hoàn thành kế hoạch công tác năm", "Annual work plan completed", "score", 30, {}),
        ("1.2", "Tỷ lệ giải ngân vốn đầu tư công", "Public investment disbursement rate", "score", 30,
         {"target": 100, "rule": "proportional", "measure_unit": "%"}),
        ("2", "Công tác thi đua, khen thưởng", "Emulation and commendation work", None, 40, {}),
        ("2.1", "Tổ chức phát động phong trào thi đua", "Emulation movements launched", "score", 25,
         {"needs_evidence": True}),
        ("2.2", "Sáng kiến, giải pháp được công nhận", "Recognised initiatives", "score", 15,
         {"needs_evidence": True}),
        ("3", "Điểm thưởng", "Bonus points", None, None, {}),
        ("3.1", "Được khen thưởng đột xuất", "Ad-hoc commendation received", "bonus", 2,
         {"mandatory": False}),
        ("4", "Điểm trừ", "Penalty points", None, None, {}),
        ("4.1", "Chậm gửi báo cáo cho cụm", "Late reports to the cluster", "penalty", 2,
         {"mandatory": False}),
        ("5", "Tiêu chí loại trừ", "Veto criteria", None, None, {}),
        ("5.1", "Có cán bộ bị kỷ luật từ mức cảnh cáo trở lên",
         "Staff disciplined with a warning or heavier", "veto", None, {}),
    ]
    criteria = []
    for code, vi, en, kind, maximum, extra in rows:
        row = {"code": code, "name": pick(lang, vi, en)}
        if kind:
            row |= {"kind": kind, "max_points": maximum, "weight": 1 if maximum else None,
                    "mandatory": True, "needs_evidence": False} | extra
        elif maximum:  # a group's total, shown so the 100-point scale reads at a glance
            row["max_points"] = maximum
        criteria.append(row)
    settings = {"cluster_name": say("sample.cluster_name", lang)}
    awards = [a | {"name": f"{a['name']} {sample}"} if a["code"] in GENERIC_AWARDS else a
              for a in default_awards(lang)]
    return WorkbookContent(lang=lang, settings=settings, awards=awards, units=units, criteria=criteria)


# The default awards named for no real body ("cấp bộ, ngành, tỉnh"): a Tờ trình must name the
# ministry or province that grants them, so the blank template marks them as samples.
GENERIC_AWARDS = ("CTDT", "BKT")


# --- building ---------------------------------------------------------------------------


def build_workbook(path: str | Path, content: WorkbookContent,
                   extend: Callable[[Workbook], str] | None = None,
                   hidden: tuple[tuple[str, tuple[tuple[object, ...], ...]], ...] = ()) -> None:
    """Write ``content`` as a cluster workbook at ``path`` (overwritten if present).

    ``extend`` adds to the finished workbook (next period's carried-over sheets) and
    returns a sentence for the end of the Guide sheet, saying what it did.  ``hidden``:
    (name, rows) of hidden sheets added last (the macro template's xlwings.conf).
    """
    wb = Workbook()
    wb.remove(wb.active)
    lang = content.lang
    _guide_sheet(wb.create_sheet(C.GUIDE.name(lang)), content)
    _settings_sheet(wb.create_sheet(C.SETTINGS_SHEET.name(lang)), content)
    _units_sheet(wb.create_sheet(C.UNITS_SHEET.name(lang)), content)
    _criteria_sheet(wb.create_sheet(C.CRITERIA_SHEET.name(lang)), content)
    if content.targets is not None:
        _targets_grid(wb.create_sheet(C.TARGETS_SHEET.name(lang)), content)
    for sheet, role, assessor, *_ in content.assessments:
        _score_grid(wb.create_sheet(sheet), content, T.grid_help(lang, role, assessor),
                    content.scores.get(sheet, {}))
    _evidence_grid(wb.create_sheet(C.EVIDENCE_SHEET.name(lang)), content)
    _ballot_sheet(wb.create_sheet(C.BALLOT_SHEET.name(lang)), content)
    if content.previous:
        _previous_sheet(wb.create_sheet(C.PREVIOUS_SHEET.name(lang)), content)
    for spec in C.OUTPUT_SHEETS:
        _output_sheet(wb.create_sheet(spec.name(lang)), content, spec.tables[0])
    for name, rows in hidden:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        ws.sheet_state = "hidden"
    issues = C.ISSUES_SHEET.name(lang)
    key_col = get_column_letter(C.ISSUES_TABLE.fields.index("key") + 1)
    wb.defined_names[C.FLAG_KEYS_NAME] = DefinedName(
        C.FLAG_KEYS_NAME, attr_text=f"{quote_sheet(issues)}!${key_col}:${key_col}")
    wb.active = 0
    for k, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = k == 0
        if ws.sheet_state == "visible":
            _print_scale(ws)
        _fit_row_heights(ws)
        _text_stays_text(ws)
    if extend is not None:
        _guide_note(wb[C.GUIDE.name(lang)], lang, extend(wb))
    write_file(path, _reproducible_bytes(wb))


def _guide_note(ws: Worksheet, lang: str, text: str) -> None:
    row = ws.max_row + 2
    ws.cell(row, 1, say("guide.from_last_period", lang)).font = SECTION_FONT
    ws.cell(row + 1, 2, text).alignment = WRAP


def _text_stays_text(ws: Worksheet) -> None:
    """openpyxl stores any string starting with '=' as a formula; the builder writes none,
    so a unit named "=…" (pasted, or hostile) is kept as the text it is."""
    for cell in list(ws._cells.values()):  # only existing cells: iter_rows would create blanks
        if cell.data_type == "f":
            cell.data_type = "s"


def _reproducible_bytes(wb: Workbook) -> bytes:
    """The saved package with fixed document dates and zip timestamps.

    openpyxl stamps ``modified`` with the current time while saving, so docProps/core.xml
    is regenerated afterwards from the (fixed) properties.
    """
    wb.properties.creator = "emutools"
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.properties.modified = FIXED_TIME
    core = tostring(wb.properties.to_tree())
    with zipfile.ZipFile(buffer) as src:
        return deterministic_zip(
            (name, core if name == "docProps/core.xml" else src.read(name)) for name in src.namelist())


def _fit_row_heights(ws: Worksheet) -> None:
    """Tall enough rows for wrapped text: neither openpyxl nor LibreOffice measures text,
    so a wrapped cell would otherwise print over the row below.  An estimate by length."""
    for row in ws.iter_rows(min_row=HEADER_ROW):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                lines = max(lines, sum(math.ceil(max(len(part), 1) * CHAR_WIDTH / width)
                                       for part in cell.value.split("\n")))
        if lines > 1 and ws.row_dimensions[row[0].row].height is None:
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


# --- shared pieces ----------------------------------------------------------------------


def _start(ws: Worksheet, content: WorkbookContent, instruction: str, *, freeze: str = "A5",
           title_rows: str | None = None, title_cols: str | None = None) -> None:
    """Title, instruction, frozen header and A4 landscape printing (its scale is set by
    :func:`_print_scale` once the sheet's columns are known)."""
    ws[f"A{TITLE_ROW}"] = sheet_title(ws.title, content.setting("cluster_name"), content.setting("year"),
                                      str(content.setting("period")), content.lang)
    ws[f"A{TITLE_ROW}"].font = TITLE_FONT
    ws[f"A{HELP_ROW}"] = instruction
    ws[f"A{HELP_ROW}"].font = HELP_FONT
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = INPUT_MARGIN_IN
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:  # the row's key, repeated on the left of every page of a wide sheet
        ws.print_title_cols = title_cols


def _print_scale(ws: Worksheet) -> None:
    """One page wide while the text stays legible, else 75 % across pages, over then down
    (:mod:`emutools.io.printing`), measured on the printed columns: the visible ones up to
    the last that holds a value."""
    last = max((c.column for row in ws.iter_rows() for c in row if c.value is not None), default=1)
    dims = [ws.column_dimensions.get(get_column_letter(k)) for k in range(1, last + 1)]
    page = page_print([d.width if d is not None and d.customWidth else DEFAULT_WIDTH
                       for d in dims if d is None or not d.hidden], INPUT_MARGIN_IN)
    ws.sheet_properties.pageSetUpPr.fitToPage = page.fits_width
    if page.fits_width:
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    else:
        ws.page_setup.scale, ws.page_setup.pageOrder = page.scale, PAGE_ORDER


def _header(ws: Worksheet, row: int, headers: Iterable[str], *, output: bool = False) -> None:
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row, col, text)
        cell.font = OUTPUT_HEADER_FONT if output else BOLD
        cell.fill = OUTPUT_FILL if output else HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGN


def _style(cell, fill: PatternFill | None, number_format: str = "General", *,
           bold: bool = False) -> None:
    if fill is not None:
        cell.fill = fill
    cell.border = BORDER
    cell.number_format = number_format
    cell.alignment = WRAP
    if bold:
        cell.font = BOLD


def _cell_value(value: object, lang: str, choices: dict[str, tuple[str, ...]] | None = None) -> object:
    """A content value as the user would type it: labels for tokens and booleans."""
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if choices is not None and value:
        return C.choice_label(str(value), choices, lang)
    return value


def _write_table(ws: Worksheet, spec: C.TableSpec, lang: str, header_row: int,
                 rows: list[list[object]], *, inputs: set[str] | None = None,
                 extra: tuple[str, ...] = ()) -> tuple[int, int]:
    """An Excel table (named from the contract) of ``rows`` below a header row.

    ``inputs`` are the fields the user fills in (yellow); the others are grey labels.
    ``extra``: headers of the cluster's own columns after the contract's (unit attributes),
    whose values end each row.  An Excel table needs one data row, so an empty table gets a
    blank one.  Returns the first and last data row.
    """
    _header(ws, header_row, [*(c.header(lang) for c in spec.columns), *extra])
    inputs = set(spec.fields) if inputs is None else inputs
    columns = [*spec.columns, *(C.Column(f"@{h}", h, h) for h in extra)]
    inputs |= {f"@{h}" for h in extra}
    rows = rows or [[None] * len(columns)]
    for r, values in enumerate(rows, start=header_row + 1):
        for k, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(r, k, value)
            _style(cell, INPUT_FILL if col.field in inputs else INFO_FILL, col.number_format)
    last = header_row + len(rows)
    ref = f"A{header_row}:{get_column_letter(len(columns))}{last}"
    table = Table(displayName=spec.excel_name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(table)
    return header_row + 1, last


def _column(spec: C.TableSpec, field_name: str) -> str:
    return get_column_letter(spec.fields.index(field_name) + 1)


def _widths(ws: Worksheet, widths: Iterable[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _validate(ws: Worksheet, ranges: Iterable[str], *, message: str, **rule) -> None:
    """A data validation with the warning style: Excel warns, the user may still confirm."""
    ranges = " ".join(ranges)
    if not ranges:
        return
    dv = DataValidation(errorStyle="warning", showErrorMessage=True, allow_blank=True,
                        error=message, sqref=ranges, **rule)
    ws.add_data_validation(dv)


def _list_rule(labels: Iterable[str]) -> dict:
    return {"type": "list", "formula1": '"' + ",".join(labels) + '"'}


def _highlight_flags(ws: Worksheet, ranges: Iterable[str]) -> None:
    """Red while the cell's ``Sheet!A1`` key is listed on the Issues sheet (see contract)."""
    ranges = " ".join(ranges)
    if not ranges:
        return
    sheet = ws.title.replace('"', '""')
    formula = f'COUNTIF({C.FLAG_KEYS_NAME},"{sheet}!"&ADDRESS(ROW(),COLUMN(),4))>0'
    ws.conditional_formatting.add(ranges, FormulaRule(formula=[formula], fill=FLAG_FILL, font=FLAG_FONT))


def _block(first_row: int, last_row: int, first_col: int, last_col: int) -> str:
    return f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"


# --- guide ------------------------------------------------------------------------------

# The Guide's rows: a step number (blank for a note) and the catalogue row of its text.
GUIDE_STEPS = (
    ("1", "guide.step_1"),
    ("2", "guide.step_2"),
    ("3", "guide.step_3"),
    ("4", "guide.step_4"),
    ("5", "guide.step_5"),
    ("6", "guide.step_6"),
    ("7", "guide.step_7"),
    ("8", "guide.step_8"),
    ("9", "guide.step_9"),
    ("10", "guide.step_10"),
    ("", "guide.note_layout"),
    ("", "guide.note_scoring_rules"),
    ("", "guide.note_decision_rules"),
)


def _guide_sheet(ws: Worksheet, content: WorkbookContent) -> None:
    """How to use the workbook, the colour legend and which sheets emutools writes."""
    lang = content.lang
    _start(ws, content, say("guide.intro", lang))
    _widths(ws, (12, 110))
    _header(ws, HEADER_ROW, (say("guide.col_step", lang), say("guide.col_todo", lang)))
    row = FIRST_DATA_ROW
    for step, key in GUIDE_STEPS:
        text = say(key, lang)
        _style(ws.cell(row, 1, step), None)
        _style(ws.cell(row, 2, text), None)
        ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="top")
        row += 1
    if content.todo:
        row += 1
        ws.cell(row, 1, say("new_period.todo_title", lang)).font = SECTION_FONT
        for k, item in enumerate(content.todo, 1):
            row += 1
            _style(ws.cell(row, 1, f"{k}."), None)
            _style(ws.cell(row, 2, item), INPUT_FILL)
            ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="top")
        row += 1
    row += 1
    ws.cell(row, 1, say("guide.colours", lang)).font = SECTION_FONT
    for fill, text in _legend(lang):
        row += 1
        _style(ws.cell(row, 1), fill)
        _style(ws.cell(row, 2, text), None)
    row += 2
    ws.cell(row, 1, say("guide.outputs_title", lang)).font = SECTION_FONT
    outputs = ", ".join(s.name(lang) for s in C.OUTPUT_SHEETS)
    ws.cell(row + 1, 2, say("guide.outputs", lang, sheets=outputs)).alignment = WRAP


def _legend(lang: str) -> list[tuple[PatternFill, str]]:
    return [
        (INPUT_FILL, say("guide.legend_input", lang)),
        (HEADING_FILL, say("guide.legend_heading", lang)),
        (FLAG_FILL, say("guide.legend_flag", lang)),
        (OUTPUT_FILL, say("guide.legend_output", lang)),
    ]


# --- settings ---------------------------------------------------------------------------


def _settings_sheet(ws: Worksheet, content: WorkbookContent) -> None:
    """Four tables stacked vertically: settings, assessments, bands, awards."""
    lang = content.lang
    _start(ws, content, say("settings.intro", lang))
    _widths(ws, _max_widths(C.SETTINGS_SHEET.tables))
    _section(ws, NAMES_ROW, say("settings.section_general", lang))
    _, last = _settings_table(ws, content)
    row = last + GAP_ROWS + 1
    _section(ws, row, say("settings.section_assessments", lang),
             say("settings.note_assessments", lang))
    _, last = _assessments_table(ws, content, row + 1)
    row = last + GAP_ROWS + 1
    _section(ws, row, say("settings.section_bands", lang),
             say("settings.note_bands", lang))
    bands = _bands_table(ws, content, row + 1)
    row = bands[1] + GAP_ROWS + 1
    _section(ws, row, say("settings.section_awards", lang),
             say("settings.note_awards", lang))
    _, last = _awards_table(ws, content, row + 1, bands)
    _highlight_flags(ws, [_block(FIRST_DATA_ROW, last, 1, len(C.AWARDS_TABLE.columns))])


def _max_widths(tables: Iterable[C.TableSpec]) -> list[float]:
    """Stacked tables share columns: each column is as wide as its widest use."""
    widths: list[float] = []
    for spec in tables:
        for k, col in enumerate(spec.columns):
            if k == len(widths):
                widths.append(col.width)
            widths[k] = max(widths[k], col.width)
    return widths


def _section(ws: Worksheet, row: int, title: str, note: str = "") -> None:
    ws.cell(row, 1, title).font = SECTION_FONT
    if note:
        ws.cell(row, 2, note).font = NOTE_FONT


def _settings_table(ws: Worksheet, content: WorkbookContent) -> tuple[int, int]:
    lang = content.lang
    rows = [[s.label(lang), _setting_value(s, content), pick(lang, s.note_vi, s.note_en) or None]
            for s in C.SETTINGS]
    first, last = _write_table(ws, C.SETTINGS_TABLE, lang, HEADER_ROW, rows, inputs={"value"})
    value_col = C.SETTINGS_TABLE.fields.index("value") + 1
    for row, spec in enumerate(C.SETTINGS, start=first):
        cell = ws.cell(row, value_col)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        _setting_cell(ws, cell, spec, lang)
    return first, last


def _setting_value(spec: C.Setting, content: WorkbookContent) -> object:
    value = content.setting(spec.key)
    if spec.kind == "choice":
        return _cell_value(value, content.lang, C.SETTING_CHOICES[spec.key])
    if spec.key == "tie_break":
        return _tie_break_text(str(value or ""), content.lang)
    return value


def _tie_break_text(value: str, lang: str) -> str:
    """'1; 2; điểm trừ' in the sheet's language ('1; 2; penalty' in English)."""
    parts = []
    for part in (p.strip() for p in value.split(";")):
        token = C.choice_token(part, TIE_BREAK_WORDS)
        parts.append(C.choice_label(token, TIE_BREAK_WORDS, lang).lower() if token else part)
    return "; ".join(p for p in parts if p)


def _setting_cell(ws: Worksheet, cell, spec: C.Setting, lang: str) -> None:
    """Validation and format by kind; choice lists come from hidden cells (labels may hold commas)."""
    ref = [cell.coordinate]
    if spec.kind == "int":
        low, high = (2000, 2100) if spec.key == "year" else (0, 6)
        cell.number_format = "0"
        _validate(ws, ref, type="whole", operator="between", formula1=str(low), formula2=str(high),
                  message=say("valid.whole_number", lang, low=low, high=high))
    elif spec.kind == "number":
        _validate(ws, ref, type="decimal", operator="between", formula1="0", formula2="100",
                  message=say("valid.percent", lang))
    elif spec.kind == "date":
        cell.number_format = "dd/mm/yyyy"
    elif spec.kind == "choice":
        _choice_list(ws, cell, spec, lang)
    elif spec.kind == "unit":
        code = _column(C.UNITS_TABLE, "code")
        units = quote_sheet(C.UNITS_SHEET.name(lang))
        _validate(ws, ref, type="list",
                  formula1=f"{units}!${code}${FIRST_DATA_ROW}:${code}${FIRST_DATA_ROW + SPARE_ROWS}",
                  message=say("valid.pick_unit", lang))


def _choice_list(ws: Worksheet, cell, spec: C.Setting, lang: str) -> None:
    """A hidden column of the choice's labels, one column per choice setting, as its list."""
    choice_keys = [s.key for s in C.SETTINGS if s.kind == "choice"]
    letter = get_column_letter(LIST_COLUMN + choice_keys.index(spec.key))
    choices = C.SETTING_CHOICES[spec.key]
    for row, token in enumerate(choices, start=FIRST_DATA_ROW):
        ws[f"{letter}{row}"] = C.choice_label(token, choices, lang)
    ws.column_dimensions[letter].hidden = True
    last = FIRST_DATA_ROW + len(choices) - 1
    _validate(ws, [cell.coordinate], type="list", formula1=f"${letter}${FIRST_DATA_ROW}:${letter}${last}",
              message=say("valid.pick_value", lang))


def _assessments_table(ws: Worksheet, content: WorkbookContent, header_row: int) -> tuple[int, int]:
    lang = content.lang
    rows = [[sheet, C.choice_label(role, C.ASSESSMENT_ROLES, lang), assessor, scope[0] if scope else None]
            for sheet, role, assessor, *scope in content.assessments]
    first, last = _write_table(ws, C.ASSESSMENTS_TABLE, lang, header_row, rows)
    role = _column(C.ASSESSMENTS_TABLE, "role")
    _validate(ws, [f"{role}{first}:{role}{last}"],
              **_list_rule(C.choice_label(t, C.ASSESSMENT_ROLES, lang) for t in C.ASSESSMENT_ROLES),
              message=say("valid.pick_role", lang))
    return first, last


def _bands_table(ws: Worksheet, content: WorkbookContent, header_row: int) -> tuple[int, int]:
    width = len(C.BANDS_TABLE.columns)
    rows = [[label, minimum, *floor, *[None] * (width - 2 - len(floor))] for label, minimum, *floor in content.bands]
    for row in rows:  # a floor's scope as its label ("Each criteria group")
        row[3] = _cell_value(row[3], content.lang, C.SHARE_SCOPES)
    first, last = _write_table(ws, C.BANDS_TABLE, content.lang, header_row, rows)
    scope = _column(C.BANDS_TABLE, "share_of")
    _validate(ws, [f"{scope}{first}:{scope}{last}"],
              **_list_rule(C.choice_label(t, C.SHARE_SCOPES, content.lang) for t in C.SHARE_SCOPES),
              message=say("valid.pick_share_of", content.lang))
    return first, last


def _awards_table(ws: Worksheet, content: WorkbookContent, header_row: int,
                  bands: tuple[int, int]) -> tuple[int, int]:
    lang = content.lang
    spec = C.AWARDS_TABLE
    choices = {"rule": C.AWARD_RULES, "quota_base": C.QUOTA_BASES}
    rows = [[_cell_value(a.get(f), lang, choices.get(f)) for f in spec.fields] for a in content.awards]
    first, last = _write_table(ws, spec, lang, header_row, rows)
    col = {f: _column(spec, f) for f in spec.fields}
    band = _column(C.BANDS_TABLE, "band")
    _validate(ws, [f"{col['rule']}{first}:{col['rule']}{last}"],
              **_list_rule(C.choice_label(t, C.AWARD_RULES, lang) for t in C.AWARD_RULES),
              message=say("valid.pick_award_rule", lang))
    _validate(ws, [f"{col['quota_base']}{first}:{col['quota_base']}{last}"],
              **_list_rule(C.choice_label(t, C.QUOTA_BASES, lang) for t in C.QUOTA_BASES),
              message=say("valid.pick_quota_base", lang))
    _validate(ws, [f"{col['min_band']}{first}:{col['min_band']}{last}"], type="list",
              formula1=f"${band}${bands[0]}:${band}${bands[1]}",
              message=say("valid.pick_band", lang))
    _validate(ws, [f"{col[f]}{first}:{col[f]}{last}" for f in ("needs_registration", "needs_agreement")],
              **_list_rule(YES_NO[lang]),
              message=say("grid.msg_yes_no", lang))
    return first, last


# --- units and criteria -----------------------------------------------------------------


def _units_sheet(ws: Worksheet, content: WorkbookContent) -> None:
    lang = content.lang
    spec = C.UNITS_TABLE
    _start(ws, content, say("units.intro", lang), title_rows="4:4", title_cols="A:B")
    extra = tuple(dict.fromkeys(k for u in content.units for k in u if k not in spec.fields))
    _widths(ws, [*(c.width for c in spec.columns), *(16 for _ in extra)])
    rows = [[_cell_value(u.get(f), lang) for f in (*spec.fields, *extra)] for u in content.units]
    first, last = _write_table(ws, spec, lang, HEADER_ROW, rows, extra=extra)
    spare = max(last, FIRST_DATA_ROW + SPARE_ROWS)
    signed = _column(spec, "signed")
    _validate(ws, [f"{signed}{first}:{signed}{spare}"], **_list_rule(YES_NO[lang]),
              message=say("grid.msg_yes_no", lang))
    _highlight_flags(ws, [_block(first, spare, 1, len(spec.columns) + len(extra))])


def _heading_codes(criteria: list[dict]) -> set[str]:
    """Codes with sub-criteria ('1' when '1.1' or '1.2.a' exists): group headings, never scored."""
    codes = [str(c["code"]) for c in criteria]
    return {c for c in codes if any(other.startswith(c + ".") for other in codes)}


def _criteria_sheet(ws: Worksheet, content: WorkbookContent) -> None:
    lang = content.lang
    spec = C.CRITERIA_TABLE
    _start(ws, content, say("criteria.intro", lang),
        title_rows="4:4", title_cols="A:B")
    _widths(ws, (c.width for c in spec.columns))
    choices = {"kind": C.CRITERION_KINDS, "rule": C.MEASURE_RULES}
    rows = [[_cell_value(c.get(f), lang, choices.get(f)) for f in spec.fields] for c in content.criteria]
    first, last = _write_table(ws, spec, lang, HEADER_ROW, rows)
    headings = _heading_codes(content.criteria)
    for row, criterion in enumerate(content.criteria, start=first):
        if str(criterion["code"]) in headings:
            for col in range(1, len(spec.columns) + 1):
                _style(ws.cell(row, col), HEADING_FILL, spec.columns[col - 1].number_format, bold=True)
    spare = max(last, FIRST_DATA_ROW + SPARE_ROWS)
    _criteria_validation(ws, lang, first, spare)
    _highlight_flags(ws, [_block(first, spare, 1, len(spec.columns))])


def _criteria_validation(ws: Worksheet, lang: str, first: int, last: int) -> None:
    spec = C.CRITERIA_TABLE

    def span(f: str) -> str:
        return f"{_column(spec, f)}{first}:{_column(spec, f)}{last}"

    _validate(ws, [span("kind")],
              **_list_rule(C.choice_label(t, C.CRITERION_KINDS, lang) for t in C.CRITERION_KINDS),
              message=say("valid.pick_kind", lang))
    _validate(ws, [span("rule")],
              **_list_rule(C.choice_label(t, C.MEASURE_RULES, lang) for t in C.MEASURE_RULES),
              message=say("valid.pick_rule", lang))
    _validate(ws, [span("mandatory"), span("needs_evidence")], **_list_rule(YES_NO[lang]),
              message=say("grid.msg_yes_no", lang))
    _validate(ws, [span(f) for f in ("max_points", "weight", "target", "over_rate", "over_cap", "cap", "veto_points")],
              type="decimal",
              operator="greaterThanOrEqual", formula1="0",
              message=say("valid.non_negative", lang))


# --- score and evidence grids -----------------------------------------------------------


def _grid_frame(ws: Worksheet, content: WorkbookContent, instruction: str, unit_width: float,
                describe: Callable[[dict, bool], str]) -> None:
    """Title, unit names above unit codes, criteria rows with lead cells, flag highlight.

    ``describe(criterion, is_heading)`` gives the text of column B."""
    lang = content.lang
    _start(ws, content, instruction, freeze="D5", title_rows="3:4", title_cols="A:C")
    _widths(ws, [c.width for c in C.GRID_LEAD] + [unit_width] * len(content.units))
    _header(ws, HEADER_ROW, [c.header(lang) for c in C.GRID_LEAD] + [u["code"] for u in content.units])
    for col, unit in enumerate(content.units, start=FIRST_UNIT_COLUMN):
        cell = ws.cell(NAMES_ROW, col, unit.get("short_name") or unit.get("name"))
        cell.font = NAMES_FONT
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="bottom")
    ws.row_dimensions[NAMES_ROW].height = 34
    headings = _heading_codes(content.criteria)
    for row, criterion in enumerate(content.criteria, start=FIRST_DATA_ROW):
        heading = str(criterion["code"]) in headings
        lead = (str(criterion["code"]), describe(criterion, heading),
                None if heading else criterion.get("max_points"))
        for col, (spec, value) in enumerate(zip(C.GRID_LEAD, lead, strict=True), start=1):
            _style(ws.cell(row, col, value), HEADING_FILL if heading else INFO_FILL,
                   spec.number_format, bold=heading)
        if heading:
            for col in range(FIRST_UNIT_COLUMN, FIRST_UNIT_COLUMN + len(content.units)):
                _style(ws.cell(row, col), HEADING_FILL)
    last = FIRST_DATA_ROW + len(content.criteria) - 1
    if content.units and content.criteria:
        _highlight_flags(ws, [_block(FIRST_DATA_ROW, last, FIRST_UNIT_COLUMN, _last_unit_column(content))])


def _last_unit_column(content: WorkbookContent) -> int:
    return FIRST_UNIT_COLUMN + len(content.units) - 1


def _leaf_rows(content: WorkbookContent) -> list[tuple[int, dict]]:
    headings = _heading_codes(content.criteria)
    return [(row, c) for row, c in enumerate(content.criteria, start=FIRST_DATA_ROW)
            if str(c["code"]) not in headings]


def _score_grid(ws: Worksheet, content: WorkbookContent, instruction: str,
                values: dict[tuple[str, str], object]) -> None:
    """Criteria × units; leaf cells are inputs, validated by the criterion's kind."""
    lang = content.lang
    _grid_frame(ws, content, instruction, UNIT_WIDTH, lambda c, heading: T.score_label(c, heading, lang))
    if not content.units:
        return
    rows: dict[str, list[int]] = {"score": [], "measured": [], "veto": [], "free": []}
    for row, criterion in _leaf_rows(content):
        kind = "veto" if criterion.get("kind") == "veto" else \
            "free" if criterion.get("rule") in ("grade", "per_occurrence") else \
            "measured" if criterion.get("rule") else "score"
        rows[kind].append(row)
        for col, unit in enumerate(content.units, start=FIRST_UNIT_COLUMN):
            value = _cell_value(values.get((str(criterion["code"]), unit["code"])), lang)
            cell = ws.cell(row, col, value)
            _style(cell, _input_fill(criterion, unit), "0.00" if kind == "score" else "General")
            cell.alignment = Alignment(horizontal="center", vertical="top")
    _grid_validation(ws, content, rows)


def _grid_validation(ws: Worksheet, content: WorkbookContent, rows: dict[str, list[int]]) -> None:
    """One rule per criterion kind.  The score rule reads each row's maximum from column C:
    ``$C<first row>`` is relative to the first cell of the rule's (row-sorted) ranges."""
    lang = content.lang

    def spans(kind: str) -> list[str]:
        return [_block(r, r, FIRST_UNIT_COLUMN, _last_unit_column(content)) for r in rows[kind]]

    max_col = get_column_letter(len(C.GRID_LEAD))
    first = rows["score"][0] if rows["score"] else FIRST_DATA_ROW
    _validate(ws, spans("score"), type="decimal", operator="between", formula1="0",
              formula2=f"${max_col}{first}",
              message=say("grid.msg_score", lang))
    _validate(ws, spans("measured"), type="decimal", operator="greaterThanOrEqual", formula1="0",
              message=say("grid.msg_measured", lang))
    _validate(ws, spans("veto"), **_list_rule(YES_NO[lang]),
              message=say("grid.msg_yes_no", lang))


def _targets_grid(ws: Worksheet, content: WorkbookContent) -> None:
    """Each unit's own plan: criteria × units like the scores sheets; input cells on the rows
    whose rule compares with a target.  Blank keeps the criterion's common target."""
    lang = content.lang

    _grid_frame(ws, content, say("grid.help_targets", lang), UNIT_WIDTH,
                lambda c, heading: T.target_label(c, heading, lang, C.TARGET_RULES))
    spans = []
    for row, criterion in _leaf_rows(content):
        if criterion.get("rule") not in C.TARGET_RULES:
            continue
        spans.append(_block(row, row, FIRST_UNIT_COLUMN, _last_unit_column(content)))
        for col, unit in enumerate(content.units, start=FIRST_UNIT_COLUMN):
            value = content.targets.get((str(criterion["code"]), unit["code"])) if content.targets else None
            _style(ws.cell(row, col, value), _input_fill(criterion, unit))
            ws.cell(row, col).alignment = Alignment(horizontal="center", vertical="top")
    if content.units:
        _validate(ws, spans, type="decimal", operator="greaterThan", formula1="0",
                  message=say("grid.msg_target", lang))


def _evidence_grid(ws: Worksheet, content: WorkbookContent) -> None:
    """Same frame as the score grids; text cells, criteria needing evidence marked by name."""
    lang = content.lang
    _grid_frame(ws, content, say("grid.help_evidence", lang), EVIDENCE_WIDTH, T.evidence_label)
    for row, criterion in _leaf_rows(content):
        for col, unit in enumerate(content.units, start=FIRST_UNIT_COLUMN):
            text = content.evidence.get((str(criterion["code"]), unit["code"]))
            _style(ws.cell(row, col, text), _input_fill(criterion, unit), "@")


def _input_fill(criterion: dict, unit: dict) -> PatternFill:
    """An input's yellow; grey where the criterion is marked for other ranking groups than the
    unit's (not applicable to it, as the engine counts it: ``core.scoring.outside_group``)."""
    groups = folded_list(criterion.get("ranking_groups"))
    return INFO_FILL if groups and C.normalize(unit.get("ranking_group") or "") not in groups else INPUT_FILL


# --- ballot ---------------------------------------------------------------------------


def _ballot_sheet(ws: Worksheet, content: WorkbookContent) -> None:
    """One row per candidate (unit, award); totals for a secret ballot, or one column per
    member (headed by its code) for an open vote — the candidate's own column is ignored."""
    lang = content.lang
    members = [u["code"] for u in content.units]
    spec = C.TableSpec(C.BALLOT_TABLE.key, C.BALLOT_TABLE.excel_name, C.BALLOT_TABLE.columns + tuple(
        C.Column(f"@{m}", m, m, width=UNIT_WIDTH) for m in members))
    _start(ws, content, say("grid.help_ballot", lang), title_rows="4:4", title_cols="A:B")
    _widths(ws, (c.width for c in spec.columns))
    rows = [[row.get(c.field) if not c.field.startswith("@") else row.get("votes", {}).get(c.field[1:])
             for c in spec.columns] for row in content.ballot]
    first, last = _write_table(ws, spec, lang, HEADER_ROW, rows)
    spare = max(last, FIRST_DATA_ROW + SPARE_ROWS)
    if members:
        start = len(C.BALLOT_TABLE.columns) + 1
        _validate(ws, [_block(first, spare, start, start + len(members) - 1)],
                  **_list_rule(VOTE_LABELS[lang]),
                  message=say("grid.msg_vote", lang))
    _highlight_flags(ws, [_block(first, spare, 1, len(spec.columns))])


def _previous_sheet(ws: Worksheet, content: WorkbookContent) -> None:
    """Last period's results, written by `emutools new-period`, read for comparisons."""
    lang = content.lang
    spec = C.PREVIOUS_TABLE
    _start(ws, content, say("previous.intro", lang), title_rows="4:4")
    _widths(ws, (c.width for c in spec.columns))
    _write_table(ws, spec, lang, HEADER_ROW, [[p.get(f) for f in spec.fields] for p in content.previous],
                 inputs=set())


# --- output placeholders ----------------------------------------------------------------


def _output_sheet(ws: Worksheet, content: WorkbookContent, spec: C.TableSpec) -> None:
    """Title, instruction and header only: emutools replaces the whole sheet when ranking."""
    lang = content.lang
    _start(ws, content, say("sheet.written_by", lang),
           title_rows="4:4")
    ws.sheet_properties.tabColor = OUTPUT_BLUE
    _widths(ws, (c.width for c in spec.columns))
    _header(ws, HEADER_ROW, (c.header(lang) for c in spec.columns), output=True)
