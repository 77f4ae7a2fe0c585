"""Every flag of a recalculation as one collection, with the bulk ones held column by column.

Most checks find a few flags and make one :class:`~emutools.core.issues.Issue` each.  One
check can find hundreds of thousands: a messy national workbook has a "self vs verified
gap" warning on most cells.  One Python object and two worded messages per flag then cost
most of a run (≈ 80 µs and 6 KB per flag), so such a check hands its findings over as a
:class:`FlagBlock` — arrays of sheet rows and columns, units, criteria and the numbers of
the message — and :class:`Flags` counts, orders, groups and words them array-wise.  An
``Issue`` is made only for a flag someone reads one by one; iterating a ``Flags`` gives the
same ``Issue`` objects, in the same order, as a list of issues would.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from string import Formatter

import numpy as np
import pandas as pd

from emutools.core.issues import (
    CATALOGUE,
    ERROR,
    SEVERITY_ORDER,
    WARNING,
    Issue,
    cell_sort_key,
    show,
)
from emutools.core.model import cell_ref, column_letter
from emutools.core.numbers import decimal_of
from emutools.texts import column

CHUNK = 65_536  # flags worded at a time: the messages of a whole national list are ~0.5 GB


def fields(langs: Sequence[str]) -> tuple[str, ...]:
    """The columns ``Flags.columns`` gives: one message column per language."""
    return ("severity", "sheet", "cell", "unit", "criterion", "code", *(f"message_{lang}" for lang in langs))


@dataclass(frozen=True, eq=False)
class Scaled:
    """One number per flag, as the core's scaled integers at ``decimals`` (a message shows
    each as the exact Decimal ``numbers.decimal_of`` gives)."""

    values: np.ndarray  # int64
    decimals: int

    def at(self, k: int) -> Decimal:
        return decimal_of(int(self.values[k]), self.decimals)

    def texts(self, index: np.ndarray, lang: str) -> np.ndarray:
        """The numbers at ``index`` as a message writes them: each distinct value once."""
        distinct, where = np.unique(self.values[index], return_inverse=True)
        shown = np.array([show(decimal_of(int(v), self.decimals), lang) for v in distinct.tolist()], dtype=object)
        return shown[where]


@dataclass(frozen=True, eq=False)
class FlagBlock:
    """Flags of one check on one sheet, found at once and kept as arrays (one entry per flag,
    in the order found).  ``params`` fill the message's placeholders: a :class:`Scaled`
    column, or one value for every flag."""

    code: str
    sheet: str
    rows: np.ndarray  # int64 sheet row (0: the flag has no cell)
    cols: np.ndarray  # int64 sheet column (0: the flag has no cell)
    units: np.ndarray  # object: unit code
    criteria: np.ndarray  # object: criterion code
    params: tuple[tuple[str, object], ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code][0]

    def issue(self, k: int) -> Issue:
        """Flag ``k`` as the ``Issue`` a check would have made."""
        params = tuple((key, value.at(k) if isinstance(value, Scaled) else value) for key, value in self.params)
        row, col = int(self.rows[k]), int(self.cols[k])
        return Issue(self.code, self.sheet, cell_ref(row, col) if row and col else "", self.units[k],
                     self.criteria[k], params)

    @cached_property
    def _letters(self) -> tuple[np.ndarray, np.ndarray]:
        """The block's distinct sheet columns (sorted) and their letters, worked out once."""
        distinct = np.unique(self.cols)
        return distinct, np.array([column_letter(int(c)) for c in distinct.tolist()], dtype=object)

    def cells(self, index: np.ndarray) -> np.ndarray:
        """``A1`` addresses of the flags at ``index`` ("" where there is no cell)."""
        rows, cols = self.rows[index], self.cols[index]
        distinct, letters = self._letters
        out = letters[np.searchsorted(distinct, cols)] + rows.astype(str).astype(object)
        out[(rows == 0) | (cols == 0)] = ""
        return out

    def messages(self, index: np.ndarray, lang: str) -> np.ndarray:
        """The messages of the flags at ``index`` in ``lang``, exactly as ``Issue.message``
        words them, built placeholder by placeholder over the arrays."""
        template = CATALOGUE[self.code][1 + column(lang)]
        params = dict(self.params)
        pieces: list[str | np.ndarray] = [""]  # texts and per-flag columns, texts run together
        for literal, field, spec, conversion in Formatter().parse(template):
            if spec or conversion:  # not used by the catalogue: word each flag
                return np.array([self.issue(int(k)).message(lang) for k in index], dtype=object)
            pieces[-1] += literal
            if field == "unit":
                pieces += [self.units[index], ""]
            elif field == "criterion":
                pieces += [self.criteria[index], ""]
            elif isinstance(params.get(field), Scaled):
                pieces += [params[field].texts(index, lang), ""]
            elif field is not None:
                pieces[-1] += show(params[field], lang) if field in params else self.sheet
        out = np.full(len(index), pieces[0], dtype=object)
        for piece in pieces[1:]:
            if len(piece):
                out += piece
        return out


class Flags(Sequence[Issue]):
    """The flags of a recalculation (single ``Issue``s and ``FlagBlock``s, in the order found)
    or a selection of them in a given order — what ``Result.issues``, ``errors``, ``warnings``
    and ``ordered_issues`` are.  Read-only: a Result is finished."""

    def __init__(self, parts: Sequence[Issue | FlagBlock] = (), positions: np.ndarray | None = None):
        self._parts = tuple(p for p in parts if not isinstance(p, FlagBlock) or len(p))
        sizes = np.fromiter((len(p) if isinstance(p, FlagBlock) else 1 for p in self._parts), np.int64,
                            len(self._parts))
        self._starts = np.concatenate(([0], np.cumsum(sizes)))
        self._positions = positions  # flat positions selected, in order (None: all, as found)

    # --- a sequence of Issue ----------------------------------------------------------

    def __len__(self) -> int:
        return int(self._starts[-1]) if self._positions is None else len(self._positions)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._issue(p) for p in self._flat()[k].tolist()]
        return self._issue(int(self._flat()[k]))

    def __iter__(self) -> Iterator[Issue]:
        if self._positions is not None:
            yield from (self._issue(p) for p in self._positions.tolist())
            return
        for part in self._parts:
            if isinstance(part, FlagBlock):
                yield from (part.issue(k) for k in range(len(part)))
            else:
                yield part

    def __repr__(self) -> str:
        return f"Flags({len(self)} flags)"

    def _issue(self, flat: int) -> Issue:
        p = int(np.searchsorted(self._starts, flat, side="right")) - 1
        part = self._parts[p]
        return part.issue(flat - int(self._starts[p])) if isinstance(part, FlagBlock) else part

    def _flat(self) -> np.ndarray:
        return np.arange(self._starts[-1]) if self._positions is None else self._positions

    def _view(self, positions: np.ndarray) -> Flags:
        view = Flags.__new__(Flags)
        view._parts, view._starts, view._positions = self._parts, self._starts, positions
        return view

    # --- array-wise -------------------------------------------------------------------

    def _per_part(self, value) -> np.ndarray:
        """``value(part)`` of every flag, one call per part (a block's flags share it)."""
        sizes = np.diff(self._starts)
        return np.repeat(np.array([value(p) for p in self._parts], dtype=object), sizes)

    def _severities(self) -> np.ndarray:
        sizes = np.diff(self._starts)
        return np.repeat(np.fromiter((SEVERITY_ORDER[p.severity] for p in self._parts), np.int64,
                                     len(self._parts)), sizes)

    def take(self, part: slice) -> Flags:
        """A slice of this collection, as flags (``flags[a:b]`` gives ``Issue``s)."""
        return self._view(self._flat()[part])

    def of_severity(self, severity: str) -> Flags:
        """The flags of one severity, in this collection's order."""
        flat = self._flat()
        return self._view(flat[self._severities()[flat] == SEVERITY_ORDER[severity]])

    def unit_counts(self) -> dict[str, int]:
        """Errors and warnings per unit named (flags naming no unit are not counted)."""
        flat = self._flat()
        serious = np.isin(self._severities()[flat], (SEVERITY_ORDER[ERROR], SEVERITY_ORDER[WARNING]))
        units = pd.Series(self._units()[flat[serious]], dtype=object)
        return units[units != ""].value_counts(sort=False).to_dict()

    def _units(self) -> np.ndarray:
        pieces = [p.units if isinstance(p, FlagBlock) else np.array([p.unit], dtype=object) for p in self._parts]
        return np.concatenate(pieces) if pieces else np.empty(0, dtype=object)

    def in_table_order(self, sheet_order: Sequence[str] | None = None) -> Flags:
        """Errors first, then sheet by sheet in workbook order, top to bottom, left to right;
        equal keys keep the order they were found in (one stable sort over key arrays)."""
        flat = self._flat()
        position = {name: k for k, name in enumerate(sheet_order or [])}
        sheet = self._per_part(lambda p: position.get(p.sheet, len(position))).astype(np.int64)
        row, col = self._cell_keys()
        order = np.lexsort((col[flat], row[flat], sheet[flat], self._severities()[flat]))
        return self._view(flat[order])

    def _cell_keys(self) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = [], []
        for p in self._parts:
            if isinstance(p, FlagBlock):
                no_cell = (p.rows == 0) | (p.cols == 0)
                rows.append(np.where(no_cell, 0, p.rows))
                cols.append(np.where(no_cell, 0, p.cols))
            else:
                r, c = cell_sort_key(p.cell)
                rows.append(np.array([r], dtype=np.int64))
                cols.append(np.array([c], dtype=np.int64))
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)

    def firsts(self) -> tuple[Flags, list[int]]:
        """The first flag of each sheet, check and unit (in the order of the first flags) and
        how many flags each stands for."""
        flat = self._flat()
        if not len(flat):
            return self._view(flat), []
        checks: dict[tuple[str, str], int] = {}
        check = self._per_part(lambda p: checks.setdefault((p.sheet, p.code), len(checks))).astype(np.int64)[flat]
        unit, units = pd.factorize(self._units()[flat])
        _, first, count = np.unique(check * max(len(units), 1) + unit, return_index=True, return_counts=True)
        by_first = np.argsort(first, kind="stable")
        return self._view(flat[first[by_first]]), count[by_first].tolist()

    def columns(self, langs: Sequence[str]) -> Iterator[dict[str, np.ndarray]]:
        """The flags as columns — severity, sheet, cell, unit, criterion, code and one message
        column per language (``message_vi`` …) — ``CHUNK`` flags at a time, in this order."""
        flat = self._flat()
        for start in range(0, len(flat), CHUNK):
            yield self._chunk(flat[start:start + CHUNK], langs)

    def _chunk(self, flat: np.ndarray, langs: Sequence[str]) -> dict[str, np.ndarray]:
        n = len(flat)
        out = {name: np.empty(n, dtype=object) for name in fields(langs)}
        part_of = np.searchsorted(self._starts, flat, side="right") - 1
        single = np.zeros(n, dtype=bool)
        for p in np.unique(part_of).tolist():
            part = self._parts[p]
            where = np.flatnonzero(part_of == p)
            if not isinstance(part, FlagBlock):
                single[where] = True
                continue
            index = flat[where] - self._starts[p]
            out["severity"][where], out["sheet"][where], out["code"][where] = part.severity, part.sheet, part.code
            out["cell"][where] = part.cells(index)
            out["unit"][where], out["criterion"][where] = part.units[index], part.criteria[index]
            for lang in langs:
                out[f"message_{lang}"][where] = part.messages(index, lang)
        for k in np.flatnonzero(single).tolist():
            i = self._parts[int(part_of[k])]
            out["severity"][k], out["sheet"][k], out["cell"][k] = i.severity, i.sheet, i.cell
            out["unit"][k], out["criterion"][k], out["code"][k] = i.unit, i.criterion, i.code
            for lang in langs:
                out[f"message_{lang}"][k] = i.message(lang)
        return out
