"""The words on the input grids, shared by the template builder and the layout.

``emutools new`` (:mod:`emutools.io.template`) and ``emutools layout``
(:mod:`emutools.io.grids`) write the same titles, instructions, hints and validation
messages, so a laid-out sheet reads exactly like a freshly built one.
"""

from __future__ import annotations

from emutools.texts import LANGS, say

YES_NO = {lang: (say("word.yes", lang), say("word.no", lang)) for lang in LANGS}
VOTE_LABELS = {lang: tuple(say(f"ballot.{vote}", lang) for vote in ("for", "against", "abstain", "absent"))
               for lang in LANGS}


def grid_help(lang: str, role: str, assessor: str) -> str:
    """Row 2 of a scores sheet: who types what, by the sheet's role."""
    return say(f"grid.help_{role}", lang, by=f" ({assessor})" if assessor else "")


def score_label(criterion: dict, heading: bool, lang: str) -> str:
    """A criterion's name; a measured row says to type the measured value, and against what."""
    name = criterion.get("name") or ""
    return name + measure_hint(criterion, lang) if criterion.get("rule") and not heading else name


def evidence_label(criterion: dict, heading: bool) -> str:
    """A criterion's name, with (*) where evidence is required."""
    name = criterion.get("name") or ""
    return f"{name} (*)" if criterion.get("needs_evidence") and not heading else name


def measure_hint(criterion: dict, lang: str) -> str:
    rule = criterion.get("rule")
    if rule == "grade":
        return say("grid.hint_grade", lang)
    if rule == "per_occurrence":
        ranges = "=" in str(criterion.get("tiers", ""))
        return say("grid.hint_values" if ranges else "grid.hint_count", lang)
    if rule == "threshold":
        basis = say("grid.basis_tiers", lang, tiers=criterion.get("tiers", ""))
    else:
        target = f"{_shown(criterion.get('target'))} {criterion.get('measure_unit') or ''}".strip()
        basis = say("grid.basis_target", lang, target=target)
    return say("grid.hint_measured", lang, basis=basis)


def target_label(criterion: dict, heading: bool, lang: str, target_rules) -> str:
    """A criterion's name on the targets sheet, with the common target it overrides."""
    name = criterion.get("name") or ""
    if heading or criterion.get("rule") not in target_rules:
        return name
    common = criterion.get("target")
    common = _shown(common) if common is not None else say("grid.no_common_target", lang)
    return name + say("grid.common_target", lang, target=common)


def _shown(value: object) -> str:
    """A target as typed: 100 rather than 100.0 (a reader gives whole numbers as floats)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)
