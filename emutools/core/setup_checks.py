"""Checks of how the workbook is set up, before any score counts (pure).

Two mistakes no score check can see, both easy to carry over from the blank template:

- **Bands off the criteria's scale.**  A classification whose minimum total is above the
  most any unit can total (every scored criterion at its maximum, plus every bonus point
  the settings allow) is never reached, and an award that needs it is never proposed: a
  cluster with 35 points of criteria under 100-point bands comes out all "Chưa đạt".
  Flagged at the band's minimum and at the award's minimum band.  The reachable maximum
  errs high (group caps and ranking groups only lower it), so a flag is never wrong.
- **Sample rows still in use.**  The template's example units and generic award names end
  with the sample marker ("(mẫu)", texts ``sample.marker``); a real name never does, and
  typing the real one removes it.  Flagged at the name's cell until then, before such a
  name reaches a Tờ trình title.  The cluster name likewise, while it is still exactly the
  template's (and the setting's) default "Cụm thi đua" (texts ``sample.cluster_name``): it
  heads every sheet title and document, so it is flagged at the setting's value cell.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import numpy as np

from emutools.core import numbers as N
from emutools.core.inputs import text
from emutools.core.issues import Issue, issue
from emutools.core.model import Inputs
from emutools.texts import LANGS, say


def check_setup(inputs: Inputs, issues: list[Issue]) -> None:
    _check_scale(inputs, issues)
    _check_samples(inputs, issues)


def reachable_total(inputs: Inputs) -> int | None:
    """The most a unit can total (scaled to the settings' decimals): every scored criterion
    at its weighted maximum plus every bonus point, within the settings' caps; None when
    bonus points are unbounded (an above-plan bonus without any cap)."""
    crit = inputs.criteria
    if not len(crit):
        return 0
    leaves = crit[crit["is_leaf"].astype(bool)]
    maxima = N.round_div(leaves["max"].to_numpy(dtype=np.int64) * leaves["weight"].to_numpy(dtype=np.int64),
                         10**N.WEIGHT_DECIMALS)
    kinds = leaves["kind"].to_numpy(dtype=object)
    scored, bonus = int(maxima[kinds == "score"].sum()), int(maxima[kinds == "bonus"].sum())
    above: int | None = 0
    for maximum, kind, rate, cap in zip(maxima, kinds, leaves["over_rate"], leaves["over_cap"], strict=True):
        if kind == "veto" or not rate:
            continue
        if cap is None:
            above = None
        elif above is not None:
            above += int(N.round_div(int(maximum) * int(cap), 100 * 10**N.WEIGHT_DECIMALS))
    decimals = inputs.settings.decimals
    above = _capped(above, inputs.settings.overflow_cap, decimals)
    extra = _capped(None if above is None else bonus + above, inputs.settings.bonus_cap, decimals)
    return None if extra is None else scored + extra


def _capped(amount: int | None, cap: Decimal | None, decimals: int) -> int | None:
    if cap is None:
        return amount
    limit = N.scaled_of(cap, decimals)
    return limit if amount is None else min(amount, limit)


def _check_scale(inputs: Inputs, issues: list[Issue]) -> None:
    top = reachable_total(inputs)
    table = inputs.table("bands")
    if top is None or table is None or not len(inputs.criteria):
        return
    decimals = inputs.settings.decimals
    shown = N.decimal_of(top, decimals)
    rows = {}
    for label, row in zip(table.data["band"], table.data["row"], strict=True):
        rows.setdefault(text(label), int(row))
    unreachable = {}
    for label, minimum in inputs.bands:
        if minimum > top:
            unreachable[label] = minimum
            issues.append(issue("band_unreachable", table.sheet, table.cell("min_total", rows.get(label, 0)),
                                band=label, value=N.decimal_of(minimum, decimals), max=shown))
    awards = inputs.table("awards")
    if not unreachable or awards is None:
        return
    by_fold = {label.casefold(): label for label in unreachable}
    for award in inputs.awards:
        band = by_fold.get((award.min_band or "").casefold())
        if band is not None:
            issues.append(issue("award_band_unreachable", awards.sheet, awards.cell("min_band", award.row),
                                award=award.name, band=band, value=N.decimal_of(unreachable[band], decimals),
                                max=shown))


def _folded(name: object) -> str:
    """A name as compared: Unicode composed (typing tools differ), spaces and case folded."""
    return " ".join(unicodedata.normalize("NFC", text(name)).split()).casefold()


def is_sample(name: object) -> bool:
    """A name the blank template wrote as an example: it ends with the sample marker, in
    either language ("Đơn vị mẫu 1 (mẫu)", "Example unit 1 (sample)")."""
    folded = _folded(name)
    return any(folded.endswith(say("sample.marker", lang).casefold()) for lang in LANGS)


def is_default_cluster_name(name: object) -> bool:
    """The template's cluster name in either language, and nothing else ("Cụm thi đua số 3"
    is a real name)."""
    return _folded(name) in {_folded(say("sample.cluster_name", lang)) for lang in LANGS}


def _check_samples(inputs: Inputs, issues: list[Issue]) -> None:
    settings = inputs.table("settings")
    name = inputs.settings.cluster_name
    if settings is not None and is_default_cluster_name(name):
        issues.append(issue("cluster_name_sample", settings.sheet, inputs.settings.cells.get("cluster_name", ""),
                            value=name))
    units = inputs.table("units")
    if units is not None and len(inputs.units):
        for code, name, row in zip(inputs.units.index, inputs.units["name"], inputs.units["row"], strict=True):
            if is_sample(name):
                issues.append(issue("unit_sample", units.sheet, units.cell("name", row), unit=code, value=name))
    awards = inputs.table("awards")
    for award in inputs.awards if awards is not None else ():
        if is_sample(award.name):
            issues.append(issue("award_sample", awards.sheet, awards.cell("name", award.row), award=award.name))
