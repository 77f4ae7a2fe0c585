"""The audit trail: a fingerprint of the inputs, so identical inputs are seen to give
identical results, and one history row per recalculation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from emutools import __version__
from emutools.core.model import Grid, RawBook

INPUT_TABLES = ("settings", "assessments", "bands", "awards", "units", "criteria", "ballot", "previous")


def input_hash(raw: RawBook) -> str:
    """SHA-256 (first 16 hex digits) of every input value with its position.

    Output sheets are left out, so recalculating never changes the fingerprint; formats
    and anything that is not a value are left out too.
    """
    digest = hashlib.sha256()
    for key in INPUT_TABLES:
        table = raw.tables.get(key)
        if table is not None:
            digest.update(_canonical(key, table.data))
    grids = [(name, raw.grids[name]) for name in sorted(raw.grids)]
    if raw.evidence is not None:
        grids.append(("evidence", raw.evidence))
    for name, grid in grids:  # layout once, then the values in their fixed cell order
        digest.update(_canonical(name, grid.units))
        digest.update(_canonical(name, grid.criteria))
        digest.update(_values(grid))
    return digest.hexdigest()[:16]


def _values(grid: Grid) -> bytes:
    """A grid's values in cell order: numbers as float64 bytes (blank = NaN), anything else
    (text, dates, booleans) listed with its position and type — so "8" and 8 differ.  The
    numbers are the grid's own, converted once when it was read."""
    width = grid.numbers.shape[1]
    cells = [(int(k), grid.cell(*divmod(int(k), width))) for k in np.flatnonzero(grid.other)]
    listed = [[k, type(value).__name__, str(value)] for k, value in cells]
    return grid.numbers.tobytes() + json.dumps(listed, ensure_ascii=False).encode()


def _canonical(name: str, frame: pd.DataFrame) -> bytes:
    """Name, columns and a 64-bit hash per cell: vectorised, so a wide or long table hashes fast."""
    head = json.dumps([name, list(map(str, frame.columns))], ensure_ascii=False).encode()
    cells = frame.to_numpy(dtype=object).ravel()
    shown = np.array([_shown(v) for v in cells], dtype=object)
    return head + pd.util.hash_array(shown, categorize=False).tobytes()


def _shown(value: object) -> str:
    blank = value is None or (isinstance(value, float) and value != value)
    return "" if blank else f"{type(value).__name__}:{value}"


@dataclass(frozen=True)
class HistoryEntry:
    """What the History sheet records of one recalculation, but for its time: the inputs'
    fingerprint, the rules applied, who leads, the top three and how many flags.

    The fingerprint (:func:`input_hash` of ``raw``) is taken on first use, once: writing the
    History sheet needs it, ``check`` — which writes nothing — never pays for it."""

    rules: str
    leader: str
    top3: str
    errors: int
    warnings: int
    raw: RawBook = field(repr=False, compare=False)

    @cached_property
    def input_hash(self) -> str:
        return input_hash(self.raw)

    def row(self, when: dt.datetime) -> dict:
        """The History row, stamped with the time it is written (to the second)."""
        return {"when": when.replace(microsecond=0), "input_hash": self.input_hash, "rules": self.rules,
                "leader": self.leader, "top3": self.top3, "errors": self.errors, "warnings": self.warnings}


def history_entry(raw: RawBook, legal_basis: str, leaders: tuple[str, ...], ranking: pd.DataFrame,
                  errors: int, warnings: int) -> HistoryEntry:
    ranked = ranking[ranking["rank"].notna()]
    return HistoryEntry(f"emutools {__version__}; {legal_basis}", ", ".join(leaders),
                        ", ".join(list(ranked.index[:3])), errors, warnings, raw)


def results_current(raw: RawBook) -> bool:
    """Whether the result sheets were written from these very inputs: the last History row
    carries their fingerprint.  Documents must never disagree with the Ranking sheet, so a
    workbook edited since its last ranking (or never ranked) has its results rewritten first."""
    rows = previous_rows(raw)
    return bool(rows) and str(rows[-1].get("input_hash") or "") == input_hash(raw)


def previous_rows(raw: RawBook) -> list[dict]:
    """History rows already in the workbook, kept as they are."""
    table = raw.tables.get("history")
    if table is None:
        return []
    fields = [f for f in table.columns if f != "row"]
    return [{f: r.get(f) for f in fields} for r in table.data.to_dict("records")]
