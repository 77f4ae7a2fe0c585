"""Where every typed value goes when a grid is laid out again from its tables (pure).

A grid holds values under (unit code, row code): a criterion code on the score and
evidence sheets, a "candidate / award" row on the ballot.  Laying it out again keeps each
value under the same pair, codes compared by :func:`~emutools.core.codes.code_key`; a value
whose unit or row left its table (or that sits on a group heading, or twice under one
pair) is not dropped but handed back as :class:`Removed`, for the kept-data sheet.  A code
is never guessed to be a renamed one: :func:`changes` only reports what appeared and what
went, so the secretary decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from emutools.core.codes import code_key

REASONS = ("unit", "row", "heading", "duplicate")


@dataclass(frozen=True)
class Typed:
    """One non-blank value found on a grid."""

    sheet: str
    cell: str  # where it was, e.g. "H7"
    unit: str  # the column's code as written
    key: str  # the row's code as written
    value: object


@dataclass(frozen=True)
class Removed:
    """A typed value with no place in the new layout, and why (one of :data:`REASONS`)."""

    sheet: str
    cell: str
    unit: str
    key: str
    value: object
    reason: str


@dataclass
class Placement:
    values: dict[tuple[str, str], object]  # (unit key, row key) -> value
    removed: list[Removed]

    def value(self, unit: str, key: str) -> object:
        return self.values.get((code_key(unit), code_key(key)))


def place(typed: Iterable[Typed], units: list[str], rows: list[str], inputs: set[str]) -> Placement:
    """Each typed value under its (unit, row) when both are still listed and the row takes
    input (``inputs``: row codes); otherwise a :class:`Removed` saying why."""
    unit_keys = {code_key(u) for u in units}
    row_keys = {code_key(r) for r in rows}
    input_keys = {code_key(r) for r in inputs}
    values: dict[tuple[str, str], object] = {}
    removed: list[Removed] = []
    for t in typed:
        pair = (code_key(t.unit), code_key(t.key))
        reason = ("unit" if pair[0] not in unit_keys else "row" if pair[1] not in row_keys
                  else "heading" if pair[1] not in input_keys else "duplicate" if pair in values else None)
        if reason is None:
            values[pair] = t.value
        else:
            removed.append(Removed(t.sheet, t.cell, t.unit, t.key, t.value, reason))
    return Placement(values, removed)


@dataclass(frozen=True)
class Changes:
    """How a grid's columns (or rows) differ from its table: codes added and codes gone."""

    added: tuple[str, ...]
    gone: tuple[str, ...]

    @property
    def may_be_renamed(self) -> bool:
        """Something went and something came: perhaps a code was renamed — said, never assumed."""
        return bool(self.added and self.gone)


def changes(listed: Iterable[str], found: Iterable[str]) -> Changes:
    """Codes of the table missing from the grid (added) and on the grid but not listed (gone)."""
    listed, found = list(listed), list(found)
    on_grid = {code_key(c) for c in found}
    in_table = {code_key(c) for c in listed}
    return Changes(tuple(c for c in listed if code_key(c) not in on_grid),
                   tuple(c for c in dict.fromkeys(found) if code_key(c) not in in_table))


def merge_removed(kept: list[Removed], new: list[Removed]) -> list[Removed]:
    """The kept-data rows: earlier ones first, then new ones not already kept (a value taken
    off twice, by two runs, is one row), so laying out again adds nothing."""
    seen = {_identity(r) for r in kept}
    out = list(kept)
    for r in new:
        if _identity(r) not in seen:
            seen.add(_identity(r))
            out.append(r)
    return out


def _identity(r: Removed) -> tuple:
    return (r.sheet, code_key(r.unit), code_key(r.key), str(r.value))
