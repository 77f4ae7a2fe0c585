"""What of the user's own work moves into next period's workbook, and what plainly does not.

`new-period` builds the new workbook from the contract (:mod:`emutools.io.template`), so
anything the user added is lost unless carried.  Carried: the user's own sheets (values,
formulas, styles, column widths and row heights, merged cells, comments, links, data
validation, conditional formats, frozen panes, protection, tab colour, pictures) and the
defined names that point only into them.  Not carried, and said so in the command's output
and on the new Guide sheet: charts, shapes, buttons and pivot tables on those sheets, macros
(the new file is .xlsx), the user's changes to emutools' own sheets (rebuilt from the
contract), and defined names pointing into emutools' sheets, by name.
"""

from __future__ import annotations

import zipfile
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from emutools import contract as C
from emutools.texts import say

# The Progress sheet is last period's forms: the new period sends its own (and rank would
# read the old sheet's returned forms back as this period's).
OWN_SHEETS = (*C.SHEETS, C.PREVIOUS_SHEET, C.CHANGES_SHEET, C.SNAPSHOT_SHEET, C.PROGRESS_SHEET)


@dataclass
class CarryOver:
    """The user's sheets and names carried into the new workbook, and what was left behind."""

    sheets: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    names_left: list[str] = field(default_factory=list)
    charts_left: list[str] = field(default_factory=list)  # sheets whose charts/shapes stay behind
    had_macros: bool = False

    def left_behind(self, lang: str) -> str:
        """One plain sentence of what did not come along."""
        items = [say("carry.own_sheets", lang)]
        if self.charts_left:
            items.append(say("carry.charts", lang, sheets=", ".join(self.charts_left)))
        if self.names_left:
            items.append(say("carry.names_left", lang, names=", ".join(self.names_left)))
        if self.had_macros:
            items.append(say("carry.macros", lang))
        return say("carry.left_behind", lang, items="; ".join(items))

    def summary(self, lang: str) -> str:
        if self.sheets:
            done = say("carry.done", lang, sheets=", ".join(self.sheets))
            if self.names:
                done += say("carry.names", lang, names=", ".join(self.names))
        else:
            done = say("carry.nothing", lang)
        return f"{done}. {self.left_behind(lang)}"


def user_sheet_names(sheet_names: list[str], grid_sheets: list[str]) -> list[str]:
    """The sheets that are neither emutools' own nor a score grid, in workbook order."""
    own = {C.find_sheet(sheet_names, spec) for spec in OWN_SHEETS} | set(grid_sheets)
    return [n for n in sheet_names if n not in own]


def carry_over(source: Path, target: Workbook, grid_sheets: list[str]) -> CarryOver:
    """Copy the user's sheets and names of the workbook at ``source`` into ``target``."""
    old = openpyxl.load_workbook(source, rich_text=True)
    report = CarryOver()
    with zipfile.ZipFile(source) as package:
        report.had_macros = any(n.lower().endswith("vbaproject.bin") for n in package.namelist())
    taken = {ws.title.casefold() for ws in target.worksheets}
    for name in user_sheet_names(old.sheetnames, grid_sheets):
        if name.casefold() in taken:  # a user sheet named like a new contract sheet
            continue
        src = old[name]
        if not isinstance(src, Worksheet):
            report.charts_left.append(name)  # a chart sheet
            continue
        dst = target.create_sheet(name)
        if _copy_sheet(src, dst):
            report.charts_left.append(name)
        report.sheets.append(name)
    carried = set(report.sheets)
    for name, defined in old.defined_names.items():
        sheets = {s for s, _ in defined.destinations}
        if sheets and sheets <= carried:
            target.defined_names[name] = copy(defined)
            report.names.append(name)
        elif not name.startswith("_xlnm") and name != C.FLAG_KEYS_NAME:
            report.names_left.append(name)
    return report


def _copy_sheet(src: Worksheet, dst: Worksheet) -> bool:
    """Cells and sheet settings from ``src`` to ``dst``; True if charts had to stay behind."""
    for row in src.iter_rows():
        for c in row:
            if c.value is None and not c.has_style and c.comment is None:
                continue
            n = dst.cell(c.row, c.column, c.value)
            if c.has_style:
                n.font, n.fill, n.border = copy(c.font), copy(c.fill), copy(c.border)
                n.alignment, n.protection = copy(c.alignment), copy(c.protection)
                n.number_format = c.number_format
            if c.hyperlink is not None:
                n.hyperlink = copy(c.hyperlink)
            if c.comment is not None:
                n.comment = Comment(c.comment.text, c.comment.author)
    for merged in src.merged_cells.ranges:
        dst.merge_cells(str(merged))
    for key, dim in src.column_dimensions.items():
        dst.column_dimensions[key].width, dst.column_dimensions[key].hidden = dim.width, dim.hidden
    for key, dim in src.row_dimensions.items():
        dst.row_dimensions[key].height, dst.row_dimensions[key].hidden = dim.height, dim.hidden
    for validation in src.data_validations.dataValidation:
        dst.add_data_validation(copy(validation))
    for formats in src.conditional_formatting:
        for rule in formats.rules:
            dst.conditional_formatting.add(str(formats.sqref), copy(rule))
    for image in src._images:
        dst.add_image(image)
    for name, defined in src.defined_names.items():
        dst.defined_names[name] = copy(defined)
    dst.freeze_panes = src.freeze_panes
    dst.sheet_properties.tabColor = copy(src.sheet_properties.tabColor)
    dst.protection = copy(src.protection)
    dst.sheet_state = src.sheet_state
    return bool(src._charts)

