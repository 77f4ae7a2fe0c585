"""The aids on an input grid's cells: data validation and the flag highlight, as worksheet XML.

Both follow the template (:mod:`emutools.io.template`): validations warn rather than stop
(the engine decides what is wrong and says why), and the highlight turns a cell red while
its ``Sheet!A1`` key is listed on the Issues sheet (defined name ``emu_flag_keys``).
"""

from __future__ import annotations

from emutools import contract as C
from emutools.io.gridsheet import DataRule, GridSheet
from emutools.io.xlsx.xmltext import attr, esc


def validations_xml(rules: tuple[DataRule, ...]) -> str:
    if not rules:
        return ""
    return f'<dataValidations count="{len(rules)}">{"".join(_rule(r) for r in rules)}</dataValidations>'


def _rule(r: DataRule) -> str:
    operator = f' operator="{r.operator}"' if r.operator else ""
    if r.kind == "list":
        formulas = f'<formula1>{esc(chr(34) + ",".join(r.choices) + chr(34))}</formula1>'
    else:
        formulas = f"<formula1>{esc(r.minimum)}</formula1>"
        if r.maximum is not None:
            formulas += f"<formula2>{esc(r.maximum)}</formula2>"
    return (f'<dataValidation type="{r.kind}" errorStyle="warning"{operator} allowBlank="1" '
            f'showErrorMessage="1" error="{attr(r.message)}" sqref="{" ".join(r.ranges)}">'
            f"{formulas}</dataValidation>")


def flag_formula(sheet: str) -> str:
    """True while the cell's key ``Sheet!A1`` is listed on the Issues sheet."""
    name = sheet.replace('"', '""')
    return f'COUNTIF({C.FLAG_KEYS_NAME},"{name}!"&ADDRESS(ROW(),COLUMN(),4))>0'


def highlight_xml(s: GridSheet, dxf_id: int) -> str:
    if not s.highlight:
        return ""
    return (f'<conditionalFormatting sqref="{" ".join(s.highlight)}"><cfRule type="expression" '
            f'dxfId="{dxf_id}" priority="1"><formula>{esc(flag_formula(s.name))}</formula></cfRule>'
            "</conditionalFormatting>")
