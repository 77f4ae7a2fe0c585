"""Start the next period from the current workbook (`emutools new-period FILE`).

Same units, criteria, assessments (with their scopes), bands and awards; scores, evidence,
votes and each unit's own plans (the Unit targets sheet is kept, empty) cleared;
next year's leader and deputy set (elected, or by rotation — see core.rotation), with the
Units sheet's "Trưởng cụm"/"Phó trưởng cụm" notes moved to them; last year's chair,
secretary, meeting place and forms deadline cleared (the new leader's people fill them in); the legal basis
rolled to the texts in force for the new period when it was the default; the agreement and
title registration reset, since both are signed anew each year, with a unit's "under
discipline or investigation" status and the note's remarks on that period (listed on the
Guide, to enter again if they still hold); last period's totals kept
on a "Kỳ trước" sheet for comparison; the new workbook's Guide lists what to fill in.  The
new file is written beside the old one and never over an existing file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from openpyxl import Workbook

from emutools import contract as C
from emutools.core.engine import Result, rank_number
from emutools.core.inputs import number, text, yes_no
from emutools.core.model import Inputs, RawBook, RawTable
from emutools.core.numbers import decimal_of
from emutools.errors import UserError
from emutools.headless import recalculate_book
from emutools.io.carryover import CarryOver, carry_over
from emutools.io.template import WorkbookContent, build_workbook
from emutools.io.xlsx import safe_write
from emutools.texts import column, say


class NewPeriodError(UserError):
    """The next period's workbook cannot be made (its file exists)."""


def next_period(year: int, period: str, midyear: bool) -> tuple[int, str]:
    """After a mid-year review comes the annual review of the same year; after a year,
    the next year (its mid-year review when asked)."""
    if period == "midyear":
        return year, "annual"
    return year + 1, "midyear" if midyear else "annual"


def new_period_file(path: str | os.PathLike, out: str | os.PathLike | None = None,
                    midyear: bool = False) -> tuple[Path, Result, CarryOver]:
    """Next period's workbook beside ``path`` (or at ``out``), with the user's own sheets
    and names carried over (:mod:`emutools.io.carryover`) and what was not, said."""
    raw, result = recalculate_book(path)
    content = next_period_content(raw, result, midyear)
    target = Path(out) if out else _default_name(Path(path), content, result.inputs.settings.year)
    if safe_write.is_taken(target):
        raise NewPeriodError.said("new_period.file_exists", file=target)
    carried = CarryOver()
    grids = [a.sheet for a in result.inputs.assessments]

    def carry(wb: Workbook) -> str:
        nonlocal carried
        carried = carry_over(Path(path), wb, grids)
        return carried.summary(content.lang)

    build_workbook(target, content, carry)
    return target, result, carried


def _default_name(path: Path, content: WorkbookContent, old_year: int) -> Path:
    """"Cụm 2025.xlsx" -> "Cụm 2026.xlsx" when the name carries the old year on its own, as
    a secretary names the year's file; otherwise the new year is added: "cum - 2026.xlsx"."""
    year = content.settings["year"]
    suffix = "" if content.settings["period"] == "annual" else say("new_period.midyear_suffix", content.lang)
    named = re.compile(rf"(?<!\d){old_year}(?!\d)")
    if year != old_year and len(named.findall(path.stem)) == 1:
        return path.with_name(f"{named.sub(str(year), path.stem)}{suffix}.xlsx")
    return path.with_name(f"{path.stem} - {year}{suffix}.xlsx")


def next_period_content(raw: RawBook, result: Result, midyear: bool = False) -> WorkbookContent:
    s = result.inputs.settings
    year, period = next_period(s.year, s.period, midyear)
    officers = result.next_officers
    settings = {spec.key: getattr(s, spec.key) for spec in C.SETTINGS}
    settings.update(year=year, period=period, leader=officers.leader, deputy=officers.deputy,
                    next_leader="", next_deputy="", meeting_date=None, deadline=None, chair="", secretary="",
                    place="",
                    legal_basis=C.rolled_legal_basis(s.legal_basis, year, period),
                    tie_break="; ".join(t.removeprefix("@") for t in s.tie_break), rotation="; ".join(s.rotation))
    units, cleared = _units(result.inputs, officers.leader, officers.deputy, year)
    return WorkbookContent(
        lang=raw.lang, settings=settings,
        assessments=[(a.sheet, a.role, a.assessor, a.scope_text) for a in result.inputs.assessments],
        bands=_bands(result.inputs),
        awards=_awards(result.inputs),
        units=units,
        criteria=_criteria(raw.tables.get("criteria")),
        previous=_previous(result),
        todo=_todo(raw.lang, result.inputs, officers.leader, officers.deputy, cleared),
        targets={} if raw.targets is not None else None,  # plans are set anew each period
    )


def _todo(lang: str, inputs: Inputs, leader: str, deputy: str, cleared: dict[str, str]) -> list[str]:
    """What the secretary fills in before the new period's first ranking (the Guide lists it),
    with the status and remarks of the period that ended, unit by unit, to enter again if they
    still hold."""
    names = inputs.units["name"]
    todo = [say("new_period.todo_people", lang, leader=names.get(leader, leader) or "—"),
            say("new_period.todo_units", lang, leader=names.get(leader, leader) or "—",
                deputy=names.get(deputy, deputy) or "—")]
    if cleared:
        items = ", ".join(say("new_period.cleared_item", lang, unit=code, text=text) for code, text in cleared.items())
        todo.append(say("new_period.todo_cleared", lang, items=items))
    return todo + [say("new_period.todo_scores", lang), say("new_period.todo_basis", lang)]


# Notes that name a unit's office in the cluster: rolled to the new leader and deputy.
ROLE_NOTES = {"leader": ("Trưởng cụm", "Cluster leader"), "deputy": ("Phó trưởng cụm", "Deputy leader")}
ROLE_PREFIXES = tuple(C.normalize(t) for t in ("Trưởng cụm", "Phó trưởng cụm", "Trưởng khối", "Phó trưởng khối",
                                              "Cluster leader", "Deputy leader", "Block leader"))
# A remark on the status the period ends with — the agreement, the registration, discipline,
# inspection, a complaint, a deferral — says what the columns reset for the new period said:
# it goes with them.  Matched on the folded text (no diacritics, case or spaces), in any part.
PERIOD_REMARKS = tuple(C.normalize(t) for t in (
    "giao ước", "đăng ký", "kỷ luật", "điều tra", "thanh tra", "khiếu nại", "tố cáo", "tạm hoãn",
    "agreement", "registered", "registration", "discipline", "investigat", "inspect", "complaint", "deferred"))


def _rolled_note(note: str, role: str | None, lang: str, ended_year: int | None) -> tuple[str, list[str]]:
    """The note for the new period and the remarks it drops.

    Last period's office ("Trưởng cụm", "Phó trưởng cụm"…) gives way to this one's, first;
    a part (the note's parts are separated by ";") about the ended period's status, or naming
    its year when the year changes (``ended_year``), is dropped; the rest (an identity remark
    such as "đầu mối khối kinh tế") stays."""
    parts = [p.strip() for p in (note or "").split(";")]
    kept, dropped = [], []
    for part in filter(None, parts):
        folded = C.normalize(part)
        if folded.startswith(ROLE_PREFIXES):
            continue
        about_period = any(r in folded for r in PERIOD_REMARKS) or (
            ended_year is not None and re.search(rf"(?<!\d){ended_year}(?!\d)", part))
        (dropped if about_period else kept).append(part)
    if role:
        kept.insert(0, ROLE_NOTES[role][column(lang)])
    return "; ".join(kept), dropped


def _records(table: RawTable | None) -> list[dict]:
    return [] if table is None else table.data.to_dict("records")


def _units(inputs: Inputs, leader: str, deputy: str, year: int) -> tuple[list[dict], dict[str, str]]:
    """Units for the new period and, per unit, the status and remarks of the ended one left behind.

    Carried: what a unit is — code, name, short name, ranking group and the attribute columns
    (as typed).  Reset: what it was this period — the agreement, the registration, the
    "under discipline or investigation" status (``veto_note``) and the note's remarks about
    them; the office notes rolled to the new leader and deputy."""
    units = inputs.units
    roles = {leader: "leader", deputy: "deputy"} if leader or deputy else {}
    ended_year = inputs.settings.year if inputs.settings.year != year else None
    rows, cleared = [], {}
    for code, name, short, veto_note, note, group, attributes in zip(
            units.index, units["name"], units["short_name"], units["veto_note"], units["note"],
            units["ranking_group"], units["attributes"], strict=True):
        kept, dropped = _rolled_note(note, roles.get(code), inputs.lang, ended_year)
        if left := "; ".join(filter(None, [veto_note, *dropped])):
            cleared[code] = left
        rows.append({"code": code, "name": name, "short_name": short, "signed": False, "registered": "",
                     "veto_note": "", "note": kept, "ranking_group": group, **attributes})
    return rows, cleared


def _bands(inputs: Inputs) -> list[tuple]:
    """(label, minimum total[, minimum share %, scope]) as the core typed them."""
    decimals = inputs.settings.decimals
    bands = []
    for label, minimum in inputs.bands:
        floor = inputs.band_floors.get(label)
        share = (float(decimal_of(floor.share, 2)), floor.scope) if floor else ()
        bands.append((label, float(decimal_of(minimum, decimals)), *share))
    return bands


def _criteria(table: RawTable | None) -> list[dict]:
    rows = []
    for r in _records(table):
        if not text(r.get("code")):
            continue
        rows.append({
            "code": text(r.get("code")), "name": text(r.get("name")),
            "kind": C.choice_token(r.get("kind"), C.CRITERION_KINDS) if text(r.get("kind")) else None,
            "max_points": number(r.get("max_points")), "weight": number(r.get("weight")),
            "mandatory": yes_no(r.get("mandatory")), "needs_evidence": yes_no(r.get("needs_evidence")),
            "target": number(r.get("target")),
            "rule": C.choice_token(r.get("rule"), C.MEASURE_RULES) if text(r.get("rule")) else None,
            "tiers": text(r.get("tiers")) or None, "measure_unit": text(r.get("measure_unit")) or None,
            "veto_points": number(r.get("veto_points")), "bars": text(r.get("bars")) or None,
            "ranking_groups": text(r.get("ranking_groups")) or None,
            "over_rate": number(r.get("over_rate")), "over_cap": number(r.get("over_cap")),
            "cap": number(r.get("cap")),
        })
    return rows


def _awards(inputs: Inputs) -> list[dict]:
    """The awards as the core typed them (a flagged row stays behind, as it was not applied)."""
    return [{"code": a.code, "name": a.name, "rule": a.rule, "quota": None if a.standard else float(a.quota),
             "min_band": a.min_band,
             "needs_registration": a.needs_registration, "needs_agreement": a.needs_agreement,
             "basis": a.basis, "vote_threshold": None if a.vote_threshold is None else float(a.vote_threshold),
             "conditions": "; ".join(c.text for c in a.conditions) or None,
             "min_group_share": None if a.min_group_share is None else float(decimal_of(a.min_group_share, 2)),
             "quota_base": a.quota_base, "fallback": a.fallback or None}
            for a in inputs.awards]


def _previous(result: Result) -> list[dict]:
    """Last period's outcome per unit, kept for the year-over-year comparison."""
    return [{"unit": unit, "name": row["name"], "rank": rank_number(row["rank"]),
             "total": float(row["total"]), "band": row["band"], "award": row["award_name"]}
            for unit, row in result.ranking.iterrows()]
