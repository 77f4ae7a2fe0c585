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

import numpy as np
import pandas as pd

from emutools.core.issues import Issue
from emutools.core.numbers import as_floats


def column_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def row_col(ref: str) -> tuple[int, int]:
    """``cell_ref`` undone: 'AB12' -> (12, 28)."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(ref[len(letters):]), col


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
    """A criteria × units sheet (scores or evidence), as dense as it is on the sheet.

    ``units``: unit code and column of each unit column header, in sheet order;
    ``criteria``: criterion code and row of each criterion row, in sheet order;
    ``values``: the raw cell values, one row per entry of ``criteria`` and one column per
    entry of ``units`` (blank cells as None).  Dense rather than one record per cell: a nation-wide
    grid is 1.2 million cells, and matrices keep both memory and lookups small.
    ``numbers`` and ``other``: the same cells converted to numbers once, for typing the scores
    and fingerprinting the inputs (see :func:`emutools.core.numbers.as_floats`).

    The reader converts each sheet once and hands over only ``numbers``, ``other`` and the
    few ``kept`` cells a float cannot stand for (their row-major positions, sorted, and
    values: text, whole numbers typed as int, NaN): a score sheet's million floats are then
    not held as Python objects.
    ``values`` is made from them on first use (forms, layout); scoring and the fingerprint
    ask for single cells or rows (:meth:`cell`, :meth:`row`) and never make it.  Anyone else
    passes ``given``, the object matrix, and the numbers are made here.
    """

    sheet: str
    header_row: int
    units: pd.DataFrame  # unit, col
    criteria: pd.DataFrame  # criterion, row
    given: np.ndarray | None  # object, (len(criteria), len(units)); None: made from the numbers
    code_col: int = 1  # 1-based column of the criterion codes
    numbers: np.ndarray | None = field(default=None, repr=False)  # float64, NaN = blank or not a number
    other: np.ndarray | None = field(default=None, repr=False)  # bool: neither a number nor blank
    kept: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)  # positions, values

    def __post_init__(self) -> None:
        if self.numbers is None or self.other is None:
            numbers, other = as_floats(self.given.ravel())
            self.numbers, self.other = numbers.reshape(self.given.shape), other.reshape(self.given.shape)

    @property
    def values(self) -> np.ndarray:
        """The object matrix, made (once) from the numbers when the reader handed only those."""
        if self.given is None:
            self.given = self._made(0, self.numbers.size).reshape(self.numbers.shape)
        return self.given

    def row(self, r: int) -> np.ndarray:
        """Row ``r`` of ``values`` (made on its own when the grid holds only numbers)."""
        if self.given is not None:
            return self.given[r]
        width = self.numbers.shape[1]
        return self._made(r * width, (r + 1) * width)

    def cell(self, r: int, c: int) -> object:
        """``values[r, c]``, without making ``values``."""
        if self.given is not None:
            return self.given[r, c]
        k = r * self.numbers.shape[1] + c
        positions, values = self.kept
        at = np.searchsorted(positions, k)
        if at < len(positions) and positions[at] == k:
            return values[at]
        number = self.numbers[r, c]
        return None if number != number else float(number)

    def _made(self, start: int, stop: int) -> np.ndarray:
        """Cells ``start:stop`` in row-major order, made from the numbers and the kept cells:
        a float, None for a blank, else the value kept."""
        numbers = self.numbers.reshape(-1)[start:stop]
        out = np.empty(stop - start, dtype=object)
        plain = np.flatnonzero(~np.isnan(numbers))
        out[plain] = numbers[plain].tolist()
        positions, values = self.kept
        lo, hi = np.searchsorted(positions, [start, stop])
        out[positions[lo:hi] - start] = values[lo:hi]
        return out

    def positions(self, codes: pd.Index) -> np.ndarray:
        """For each code, its first row position in ``values`` (-1 when the sheet lacks it)."""
        return _first_positions(self.criteria["criterion"], codes)

    def unit_positions(self, codes: pd.Index) -> np.ndarray:
        """For each unit code, its first column position in ``values`` (-1 when absent)."""
        return _first_positions(self.units["unit"], codes)


def _first_positions(listed: pd.Series, codes: pd.Index) -> np.ndarray:
    """Where each of ``codes`` first occurs in ``listed`` (a duplicate's first row wins)."""
    first: dict[object, int] = {}
    for k, code in enumerate(listed):
        first.setdefault(code, k)
    return np.array([first.get(code, -1) for code in codes], dtype=np.int64)


@dataclass
class RawBook:
    lang: str
    sheet_names: list[str]
    tables: dict[str, RawTable]  # key from contract TableSpec.key
    grids: dict[str, Grid]  # scores sheets by sheet name
    evidence: Grid | None
    problems: list[Issue] = field(default_factory=list)  # structural, found while reading
    targets: Grid | None = None  # the optional Unit targets sheet
    titles: dict[str, object] = field(default_factory=dict)  # Guide and tables' sheets: A1 as read


@dataclass(frozen=True)
class Assessment:
    """A listed scores sheet.  ``scope``: the leaf criteria it covers (empty = all): cells
    outside it are neither read nor owed, so a board scoring only group III is not missing
    the leader's groups I–II."""

    sheet: str
    role: str  # self | verified | cross
    assessor: str = ""
    scope: frozenset[str] = frozenset()
    scope_text: str = ""  # as typed on the Settings sheet ("3; 4.1")
    row: int = 0

    def covers(self, code: str) -> bool:
        return not self.scope or code in self.scope


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
    conditions: tuple[Condition, ...] = ()  # Units-sheet columns each unit must satisfy
    min_group_share: int | None = None  # every criteria group ≥ this share (hundredths of a %)
    quota_base: str = "all"  # all | qualifying: what a share quota is counted on
    fallback: str = ""  # the award a unit proposed for this one falls back to if not granted

    @property
    def standard(self) -> bool:
        """A standards-based title: every unit meeting its conditions, no quota (Law 2022, Art. 27)."""
        return self.rule == "standard"


@dataclass(frozen=True)
class Condition:
    """One of an award's own conditions on a Units-sheet column: the column must read Yes
    ("Tỉnh đánh giá HTXSNV"), equal a text ("Loại hình = Doanh nghiệp") or reach a number
    ("Tỷ lệ nữ ≥ 70").  ``column`` is the header as the Units sheet spells it."""

    column: str
    op: str  # yes | eq | ge
    value: str = ""
    number: int = 0  # for ge: scaled by 1e6
    text: str = ""  # as typed, for messages


@dataclass(frozen=True)
class BandFloor:
    """A classification's minimum share of points on every criterion (or criteria group)."""

    share: int  # hundredths of a percent
    scope: str  # criterion | group
    row: int = 0


@dataclass(frozen=True)
class Band:
    """One range of a tiered per-occurrence rule ("5-<10 = 5"): bounds scaled by 1e6,
    ``high`` None when open above; the points (scaled) each occurrence in it costs or earns."""

    low: int
    high: int | None
    high_inclusive: bool
    points: int

    def holds(self, value: int) -> bool:
        if value < self.low:
            return False
        return self.high is None or value < self.high or (self.high_inclusive and value == self.high)


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
    deadline: dt.date | None = None  # self-assessment forms due back
    decimals: int = 2
    combine: str = "verified"
    tie_break: list[str] = field(default_factory=list)  # group codes, "penalty", "bonus"
    gap_threshold: Decimal = Decimal(20)
    issues_shown: Decimal = Decimal(5000)  # warnings and notes listed one by one on the Issues sheet
    vote_threshold: Decimal = Decimal(50)
    vote_base: str = "all"
    rotation: list[str] = field(default_factory=list)  # unit codes in rotation order
    next_leader: str = ""
    next_deputy: str = ""
    legal_basis: str = ""
    verify_blank: str = "self"  # self | none
    not_applicable: str = "rescale"  # rescale | remaining
    grades: str = ""  # the grade scale as typed ("A = 100; B = 80; …")
    overflow_cap: Decimal | None = None  # points; None = no cap
    bonus_cap: Decimal | None = None
    penalty_cap: Decimal | None = None
    normalise: str = "none"  # none | center | zscore
    under_review: str = "exclude"  # exclude | defer
    citation_under_review: str = ""
    cells: dict[str, str] = field(default_factory=dict)  # setting key -> value cell


@dataclass
class Inputs:
    """Everything the core needs, typed.

    ``units`` is indexed by unit code (sheet order kept): name, short_name, signed
    (True/False/None), registered (frozenset of award codes), veto_note, note, ranking_group
    ("" when the cluster ranks as one), attributes (the other Units-sheet columns: header
    -> raw value, for award conditions and tie-breaks), row.
    ``criteria`` is indexed by criterion code (sheet order): name, kind, max (scaled
    int), weight (int at WEIGHT_DECIMALS), mandatory, needs_evidence, target (float or
    NaN), rule ("" or a measure token), tiers (list of (threshold, scaled points)), lower
    (tiers read "≤ threshold"), grades (normalised grade -> share in hundredths of a percent),
    occurrence (per-occurrence points: an int per counted occurrence, or a list of
    :class:`Band` ranges), over_rate / over_cap (above-plan bonus, percent at
    WEIGHT_DECIMALS; over_cap None = no cap), cap (a heading's cap, scaled, or None),
    veto_points (a veto row's deduction when breached, scaled), bars (the award codes a
    breached veto row bars; None = every award), ranking_groups (folded ranking groups the
    criterion applies to; empty = all), parent, group, is_leaf, row.
    ``previous`` is last period's total per unit code (exact ``Decimal``), from the
    Previous period sheet that new-period writes; empty when the workbook has none.
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
    previous: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    targets: Grid | None = None  # each unit's own plan (optional sheet)
    band_floors: dict[str, BandFloor] = field(default_factory=dict)  # band label -> its floor
    tie_values: dict[str, list[int]] = field(default_factory=dict)  # "@column" -> per unit, for tie-breaks

    @property
    def ranking_groups(self) -> list[str]:
        """The Units sheet's ranking groups in order of first appearance ([""] = one ranking)."""
        return list(dict.fromkeys(self.units["ranking_group"])) if len(self.units) else [""]

    def table(self, key: str) -> RawTable | None:
        return self.tables.get(key)

    @property
    def groups(self) -> list[str]:
        """Codes of criteria groups that hold scored (not bonus/penalty/veto) criteria."""
        leaves = self.criteria[self.criteria["is_leaf"] & (self.criteria["kind"] == "score")]
        return list(dict.fromkeys(leaves["group"]))
