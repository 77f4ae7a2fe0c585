"""The tables the core works on, as the adapters hand them over and as the core types them.

Adapters (openpyxl/calamine files, xlwings ranges) produce a :class:`RawBook`: raw cell
values plus where each came from.  :func:`emutools.core.inputs.parse_inputs` turns it
into typed :class:`Inputs`, flagging every value it cannot use.  Positions travel with
the data so that each flag can name the exact cell, without the core doing any I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from emutools.core.issues import Issue


def column_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


@dataclass
class RawTable:
    """A table found on a sheet: one column per contract field found, plus ``row``."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # field -> 1-based column
    data: pd.DataFrame
    extra: dict[str, int] = field(default_factory=dict)  # other headers (e.g. member codes) -> column

    def cell(self, field_name: str, row: int) -> str:
        col = self.columns.get(field_name)
        return cell_ref(int(row), col) if col else ""


@dataclass
class Grid:
    """A criteria × units sheet (scores or evidence), already in long form.

    ``units``: unit code and column of each unit column header; ``criteria``: criterion
    code and row of each criterion row; ``cells``: criterion, unit, value, row, col for
    every cell of the grid (blank cells included, as None).
    """

    sheet: str
    header_row: int
    units: pd.DataFrame  # unit, col
    criteria: pd.DataFrame  # criterion, row
    cells: pd.DataFrame  # criterion, unit, value, row, col
    code_col: int = 1  # 1-based column of the criterion codes


@dataclass
class RawBook:
    lang: str
    sheet_names: list[str]
    tables: dict[str, RawTable]  # key from contract TableSpec.key
    grids: dict[str, Grid]  # scores sheets by sheet name
    evidence: Grid | None
    problems: list[Issue] = field(default_factory=list)  # structural, found while reading


@dataclass(frozen=True)
class Assessment:
    sheet: str
    role: str  # self | verified | cross
    assessor: str = ""


@dataclass(frozen=True)
class Award:
    """A row of the awards table: who may be proposed for what, and how many."""

    code: str
    name: str
    rule: str  # leader | top | share
    quota: Decimal  # count for leader/top, percent of members for share
    min_band: str | None
    needs_registration: bool
    needs_agreement: bool
    basis: str
    row: int = 0
    vote_threshold: Decimal | None = None  # percent; None = the settings' threshold


@dataclass(frozen=True)
class Candidate:
    """A ballot row: totals (secret ballot) or each member's vote, and where it sits."""

    unit: str
    award: str
    totals: tuple[int, int, int] | None
    member_votes: tuple[tuple[str, object], ...]
    row: int


@dataclass
class Settings:
    cluster_name: str = ""
    superior_body: str = ""
    year: int = 0
    period: str = "annual"
    leader: str = ""
    deputy: str = ""
    chair: str = ""
    secretary: str = ""
    place: str = ""
    locality: str = ""
    meeting_date: dt.date | None = None
    decimals: int = 2
    combine: str = "verified"
    tie_break: list[str] = field(default_factory=list)  # group codes, "penalty", "bonus"
    gap_threshold: Decimal = Decimal(20)
    vote_threshold: Decimal = Decimal(50)
    vote_base: str = "all"
    rotation: list[str] = field(default_factory=list)  # unit codes in rotation order
    next_leader: str = ""
    next_deputy: str = ""
    legal_basis: str = ""
    cells: dict[str, str] = field(default_factory=dict)  # setting key -> value cell


@dataclass
class Inputs:
    """Everything the core needs, typed.

    ``units`` is indexed by unit code (sheet order kept): name, short_name, signed
    (True/False/None), registered (frozenset of award codes), veto_note, row.
    ``criteria`` is indexed by criterion code (sheet order): name, kind, max (scaled
    int), weight (int at WEIGHT_DECIMALS), mandatory, needs_evidence, target (float or
    NaN), rule ("" or a measure token), tiers (list of (threshold, scaled points)), parent,
    group, is_leaf, row.
    """

    lang: str
    settings: Settings
    assessments: list[Assessment]
    bands: list[tuple[str, int]]  # (label, scaled minimum), best first
    awards: list[Award]
    units: pd.DataFrame
    criteria: pd.DataFrame
    grids: dict[str, Grid]
    evidence: Grid | None
    tables: dict[str, RawTable]
    sheet_names: list[str] = field(default_factory=list)
    ballot: list[Candidate] = field(default_factory=list)

    def table(self, key: str) -> RawTable | None:
        return self.tables.get(key)

    @property
    def groups(self) -> list[str]:
        """Codes of criteria groups that hold scored (not bonus/penalty/veto) criteria."""
        leaves = self.criteria[self.criteria["is_leaf"] & (self.criteria["kind"] == "score")]
        return list(dict.fromkeys(leaves["group"]))
