"""Standard competition ranking (1, 2, 2, 4) on exact totals, with the cluster's tie-breaks.

Ties that the tie-break order does not separate stay ties: row order never decides.
A tie-break may name a Units-sheet column (a number, higher first; Yes before No; blank
last).  With ranking groups on the Units sheet, each group is ranked on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from emutools.core.model import Inputs


def rank_units(totals: pd.DataFrame, inputs: Inputs) -> pd.Series:
    """Competition ranks by total and the cluster's tie-breaks, within each ranking group."""
    keyed = with_tie_values(totals, inputs)
    keys = tie_break_keys(keyed, inputs.settings.tie_break)
    groups = inputs.units["ranking_group"].reindex(totals.index).fillna("").to_numpy()
    if len(set(groups)) <= 1:
        return competition_rank(keyed, keys)
    ranks = pd.Series(pd.NA, index=totals.index, dtype="Int64")
    for group in dict.fromkeys(groups):
        members = totals.index[groups == group]
        ranks.loc[members] = competition_rank(keyed.loc[members], keys)
    return ranks


def with_tie_values(totals: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """The totals with a column per Units-sheet column the tie-break order names ("@header")."""
    if not inputs.tie_values:
        return totals
    where = {u: k for k, u in enumerate(inputs.units.index)}
    position = [where[u] for u in totals.index]
    return totals.assign(**{token: np.asarray(values, dtype=np.int64)[position]
                            for token, values in inputs.tie_values.items()})


def tie_break_keys(totals: pd.DataFrame, order: list[str]) -> list[tuple[str, bool]]:
    """(column, higher_is_better) pairs for the total and each usable tie-break token."""
    keys = [("total", True)]
    for token in order:
        if token == "penalty":
            keys.append(("penalty", False))
        elif token == "bonus":
            keys.append(("bonus", True))
        elif token in totals.columns:
            keys.append((token, True))  # a group, or a Units-sheet column: higher first
    return keys


def competition_rank(totals: pd.DataFrame, keys: list[tuple[str, bool]]) -> pd.Series:
    """Rank = 1 + number of units strictly better on the keys compared in order.

    Only units with ``scored`` True are ranked; the others get NA.
    """
    ranked = totals[totals["scored"].astype(bool)]
    ranks = pd.Series(pd.NA, index=totals.index, dtype="Int64")
    if ranked.empty:
        return ranks
    matrix = np.column_stack([
        ranked[col].to_numpy(dtype=np.int64) * (-1 if better else 1) for col, better in keys
    ])
    order = np.lexsort(matrix.T[::-1])
    ordered = matrix[order]
    new_block = np.ones(len(ordered), dtype=bool)
    new_block[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    position = np.arange(1, len(ordered) + 1)
    block_rank = np.maximum.accumulate(np.where(new_block, position, 0))
    ranks.loc[ranked.index[order]] = block_rank
    return ranks


def leading(columns: dict[str, np.ndarray], keys: list[tuple[str, bool]],
            candidates: np.ndarray) -> np.ndarray:
    """Positions of the candidates with competition rank 1 among themselves: best on the
    first key, then the next among those level, and so on — those still level all lead.
    Arrays only, for analyses that rank hundreds of variants of the same totals."""
    who = np.flatnonzero(candidates)
    for col, better in keys:
        if not len(who):
            break
        values = columns[col][who] * (1 if better else -1)
        who = who[values == values.max()]
    return who


def rank_of(value: int, values: np.ndarray) -> int:
    """Competition rank of one scaled total among others (higher is better)."""
    return 1 + int((np.asarray(values, dtype=np.int64) > value).sum())
