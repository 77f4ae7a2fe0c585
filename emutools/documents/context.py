"""What a document template sees: the recalculated result as ready-to-print text (pure, no I/O).

Templates are edited by secretaries in Word, so every value arrives already formatted the
Vietnamese (or English) way — "97,10", "88,89 %", "ngày 05 tháng 02 năm 2025" — and a
template never needs arithmetic or number formatting.  The same field names serve the
Vietnamese and the English templates; only the values' language differs.  The fields are
documented in ``docs/templates.md``; keep that file in step with this module.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from emutools.contract import normalize
from emutools.core.engine import Result
from emutools.core.issues import ERROR, SEVERITY_LABELS, WARNING
from emutools.core.numbers import decimal_of, format_number, points
from emutools.io.results import award_text, period_label
from emutools.texts import TEXTS, column, counted, long_date, say, sentence_date

BLANK_NAME = "…………………………"
HONORIFICS = ("ong", "ba", "mr", "mrs", "ms", "dr")  # folded with contract.normalize

@dataclass(frozen=True)
class Picture:
    """A PNG for a template field; the renderer turns it into a docxtpl InlineImage."""

    png: bytes
    width_mm: float


# --- formatting -----------------------------------------------------------------------


def percent(value: Decimal, lang: str) -> str:
    """88,89 % (Vietnamese puts a space before the sign) or 88.89%."""
    return say("doc.percent", lang, number=format_number(value, lang))


def rank_text(rank: object) -> str:
    return "" if rank is None or pd.isna(rank) else str(int(rank))


# --- people and officers --------------------------------------------------------------


def person(text: str) -> dict[str, str]:
    """'Ông Nguyễn Văn Hùng, Giám đốc Sở Tài chính' -> name 'Nguyễn Văn Hùng' for the signature.

    The setting holds name and title in one cell; a signature block prints the bare name.
    """
    name, _, position = (text or "").partition(",")
    words = name.split()
    if len(words) > 1 and normalize(words[0]) in HONORIFICS:
        words = words[1:]
    return {"full": text or "", "name": " ".join(words) or BLANK_NAME, "position": position.strip()}


def officer(code: str, how: str, units: pd.DataFrame, lang: str) -> dict:
    """Next year's leader or deputy as printed: elected, proposed by rotation, or a blank
    marked "đề xuất" for the meeting to fill in."""
    if code in units.index:
        name = str(units.at[code, "name"])
        text = name if how == "elected" else f"{name} ({say('doc.rotation', lang)})"
        return {"code": code, "name": name, "known": how == "elected", "text": text}
    return {"code": "", "name": BLANK_NAME, "known": False, "text": f"{BLANK_NAME} ({say('doc.proposed', lang)})"}


def _unit_ref(code: str, units: pd.DataFrame) -> dict[str, str]:
    name = str(units.at[code, "name"]) if code in units.index else ""
    return {"code": code, "name": name}


# --- tables ---------------------------------------------------------------------------


def ranking_rows(result: Result, lang: str) -> list[dict]:
    """One printable row per unit, in rank order."""
    decimals = result.inputs.settings.decimals
    rows = []
    for no, (code, row) in enumerate(result.ranking.iterrows(), start=1):
        award = award_text(row, lang)
        eligible = (say("ranking.deferred", lang) if row["deferred"] else say("word.yes", lang)) \
            if row["eligible"] else say("word.no", lang)
        rows.append({
            "no": no, "rank": rank_text(row["rank"]), "code": code, "name": row["name"],
            "short_name": row["short_name"] or row["name"],
            "total": points(row["total"], decimals, lang),
            "groups": [points(row[g], decimals, lang) for g in result.groups],
            "bonus": points(row["bonus"], decimals, lang),
            "penalty": points(row["penalty"], decimals, lang),
            "band": row["band"] or "", "eligible": eligible,
            "award": award, "award_code": row["award"] or "", "tie": row["tie"] or "",
            "titles": row["titles"] or "", "title_codes": row["title_codes"],
            "reasons": row[f"reasons_{lang}"] or "", "vote": row["vote"] or "",
        })
    return rows


def proposals(result: Result, rows: list[dict], lang: str) -> list[dict]:
    """Awards that have proposed units, in the settings' priority order, units in rank order
    (a standards-based title lists every unit granted it, beside its award).

    ``action`` is how the award is asked for: a title is recognised ("công nhận danh hiệu"),
    a flag or certificate conferred ("tặng"), and the Government's flag is for the provincial
    or ministry council to put to the Prime Minister (Law 06/2022, Art. 25).  ``citation``
    is the award's basis up to its first colon — the rule's name, not its raw settings text.
    """
    out = []
    for award in result.inputs.awards:
        proposed = [r for r in rows if r["award_code"] == award.code or award.code in r["title_codes"]]
        units = [dict(r, no=k, vote=r["vote"] or say("doc.no_vote", lang)) for k, r in enumerate(proposed, 1)]
        if units:
            out.append({"code": award.code, "name": award.name, "basis": award.basis,
                        "citation": citation(award.basis),
                        "voted": any(r["vote"] for r in proposed),
                        "action": award_action(award.name, lang),
                        "count": len(units), "units": units,
                        "unit_names": ", ".join(u["name"] for u in units)})
    return out


def award_action(name: str, lang: str) -> str:
    """'tặng Cờ thi đua của UBND tỉnh', 'công nhận danh hiệu Tập thể lao động xuất sắc',
    'trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ' — read from the award's name."""
    folded = normalize(name)  # accents, case and spaces folded away
    if any(w in folded for w in ("chinhphu", "thutuong", "government", "primeminister")):
        key = "forward"
    elif folded.startswith(("tapthelaodong", "danhhieu")) or "labourcollective" in folded:
        key = "recognise"
    else:
        key = "confer"
    return say(f"doc.{key}", lang, award=name)


def legal_basis(text: str) -> list[str]:
    """The Căn cứ lines: the setting split at ';' or line ends, each text printed once."""
    seen, out = set(), []
    for part in re.split(r"[;\n]", text or ""):
        part = part.strip().rstrip(".,")
        if part and normalize(part) not in seen:
            seen.add(normalize(part))
            out.append(part)
    return out


LAW_TEXTS = ("luat", "nghidinh", "thongtu", "law", "decree", "circular")


def citation(basis: str) -> str:
    """The rule an award rests on, for the proposal's body: each part of its basis up to a
    colon (the rule's name, not its raw detail), leaving out a whole law, decree or circular
    — those are cited once, in the Căn cứ lines — but keeping an article of one."""
    parts = [part.split(":")[0].strip() for part in re.split(r"[;\n]", basis or "")]
    return "; ".join(p for p in parts if p and not normalize(p).startswith(LAW_TEXTS))


DEFERRED = re.compile(r"^(tạm hoãn, chưa khen thưởng|deferred, not yet awarded): ", re.IGNORECASE)
VETO_CODE = re.compile(r"(tiêu chí loại trừ|[Vv]eto criterion) ([^\s,;()]+)")


def _named_vetoes(text: str, criteria: pd.DataFrame) -> str:
    """'vi phạm tiêu chí loại trừ 7.1' -> '… 7.1 “Có cán bộ … bị kỷ luật …”': the rule itself, named."""
    def named(match: re.Match) -> str:
        code = match.group(2)
        name = criteria.at[code, "name"] if code in criteria.index else ""
        return f"{match.group(0)} “{name}”" if name else match.group(0)
    return VETO_CODE.sub(named, text)


def _sentence_case(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def decisions(result: Result, rows: list[dict], lang: str) -> list[dict]:
    """One sentence per unit passed over for a reason (veto, not registered, not signed,
    deferred…) and per tie the vote decided, in rank order; ``awards`` names the award codes
    a sentence concerns, so each proposal letter states only its own."""
    priority = {a.code: k for k, a in enumerate(result.inputs.awards)}
    worst = {}
    for r in rows:
        if r["award_code"]:
            worst[r["award_code"]] = max(worst.get(r["award_code"], 0), int(r["rank"] or 0))
    out = []
    for r in rows:
        why = _sentence_case(_named_vetoes(r["reasons"].rstrip("."), result.inputs.criteria))
        if not why or not r["rank"]:
            continue
        held = result.ranking.at[r["code"], "held"]
        key = "lower_award" if r["award_code"] else "held_back" if held else "passed_over"
        if held:
            why = DEFERRED.sub("", why)
        fields = {"unit": r["name"], "rank": r["rank"], "total": r["total"], "why": why, "award": r["award"],
                  "held": held}
        higher = [code for code, k in priority.items()
                  if (not r["award_code"] or k < priority[r["award_code"]]) and int(r["rank"]) <= worst.get(code, 0)]
        out.append({"code": r["code"], "text": say(f"doc.{key}", lang, **fields), "awards": higher})
    return out + _vote_ties(result, rows, lang)


def _vote_ties(result: Result, rows: list[dict], lang: str) -> list[dict]:
    """Blocks of equally ranked units that the ballot split for an award: figures and rule."""
    out = []
    for award in result.inputs.awards:
        voted = [r for r in rows if (r["code"], award.code) in result.tallies and r["rank"]]
        by_rank: dict[str, list[dict]] = {}
        for r in voted:
            by_rank.setdefault(r["rank"], []).append(r)
        for rank, block in by_rank.items():
            chosen = [r for r in block if r["award_code"] == award.code]
            if len(block) < 2 or not chosen or len(chosen) == len(block):
                continue
            tallies = [result.tallies[(r["code"], award.code)] for r in block]
            shares = "; ".join(say("doc.vote_share", lang, unit=r["name"], share=percent(t.share, lang),
                                                          votes_for=t.votes_for, base=t.base)
                               for r, t in zip(block, tallies, strict=True))
            text = say(
                "doc.vote_tie", lang, units=counted(len(block), "noun.unit", lang),
                names="; ".join(r["name"] for r in block), rank=rank, award=award.name,
                places=counted(len(chosen), "noun.place", lang), shares=shares,
                chosen=", ".join(r["name"] for r in chosen),
                threshold=percent(tallies[0].threshold, lang))
            out.append({"code": chosen[0]["code"], "text": text, "awards": [award.code]})
    return out


def ties(rows: list[dict]) -> list[dict]:
    """Places a tie left open (the cluster decides by vote), one entry per award."""
    by_award: dict[str, list[dict]] = {}
    for r in rows:
        if r["tie"] and not r["award_code"]:
            by_award.setdefault(r["tie"], []).append(r)
    return [{"award": award, "rank": units[0]["rank"], "units": units,
             "unit_names": ", ".join(u["name"] for u in units)} for award, units in by_award.items()]


def ballot_rows(result: Result, lang: str) -> list[dict] | None:
    """The vote tally per candidate, or None while the cluster has not voted."""
    tallies = result.tallies
    if not tallies:
        return None
    names = {a.code: a.name for a in result.inputs.awards}
    units = result.inputs.units
    order = {code: k for k, code in enumerate(result.ranking.index)}
    rows = []
    for t in sorted(tallies.values(), key=lambda t: (order.get(t.unit, len(order)), t.award)):
        rows.append({
            "code": t.unit, "name": _unit_ref(t.unit, units)["name"] or t.unit,
            "award": names.get(t.award, t.award), "votes_for": t.votes_for, "against": t.against,
            "abstain": t.abstain, "base": t.base, "share": percent(t.share, lang),
            "approved": t.approved, "result": say("doc.approved" if t.approved else "doc.rejected", lang),
        })
    return [dict(r, no=k) for k, r in enumerate(rows, 1)]


def issue_rows(result: Result, lang: str) -> list[dict]:
    """Errors and warnings still open (information notes are left out of documents)."""
    frame = result.issue_table
    rows = []
    for i in frame.itertuples(index=False):
        if i.severity not in (ERROR, WARNING):
            continue
        where = f"{i.sheet}!{i.cell}" if i.cell else (i.sheet or "")
        rows.append({"no": len(rows) + 1, "severity": SEVERITY_LABELS[i.severity][column(lang)],
                     "where": where, "message": getattr(i, f"message_{lang}")})
    return rows


def open_items(result: Result, lang: str) -> list[str]:
    """Errors and warnings still open, counted and said in words per kind — never cell addresses
    (the cells are listed in the workbook's Issues sheet): "3 đơn vị chưa đủ minh chứng cho 3 tiêu chí"."""
    grouped: dict[str, list] = {}
    for i in itertools.chain(result.errors, result.warnings):
        grouped.setdefault(i.code if f"open.{i.code}" in TEXTS else i.severity, []).append(i)
    out = []
    for key, found in grouped.items():
        if f"open.{key}" in TEXTS:
            out.append(say(f"open.{key}", lang, units=counted(len({i.unit for i in found if i.unit}), "noun.unit", lang),
                           criteria=counted(len({i.criterion for i in found if i.criterion}), "noun.criterion", lang),
                           cases=counted(len(found), "noun.tie", lang)))
        else:
            out.append(say("open.other", lang, cases=counted(len(found), f"noun.{key}", lang)))
    return out


def statistics(result: Result, rows: list[dict], lang: str) -> dict:
    """Highest, lowest and mean total of the ranked units (an unscored unit's 0 is no total,
    as in the per-unit notice's cluster average), and how many units fall in each classification."""
    decimals = result.inputs.settings.decimals
    ranked = result.ranking[result.ranking["rank"].notna()]
    totals = [t for t in ranked["total"] if t is not None and not pd.isna(t)]
    counts = [(label, sum(r["band"] == label for r in rows)) for label, _ in result.inputs.bands]
    bands = [{"band": label, "count": n} for label, n in counts if n]
    if not totals:
        return {"highest": "", "lowest": "", "mean": "", "top_unit": "", "bands": bands}
    mean = sum(totals) / len(totals)
    return {"highest": points(max(totals), decimals, lang), "lowest": points(min(totals), decimals, lang),
            "mean": points(mean, decimals, lang), "top_unit": rows[0]["name"], "bands": bands}


def change_on_previous(result: Result, lang: str) -> dict | None:
    """How totals moved since last period (when the workbook keeps it): how many units rose
    and fell, and who rose and fell most — None without last period's totals."""
    decimals = result.inputs.settings.decimals
    moves = [(change, result.ranking.at[unit, "name"]) for unit, change in result.changes.items()]
    if not moves:
        return None

    def shown(move: tuple[Decimal, str]) -> dict:
        sign = "+" if move[0] > 0 else ""
        return {"name": move[1], "points": sign + points(move[0], decimals, lang)}

    rise, fall = max(moves, key=lambda m: m[0]), min(moves, key=lambda m: m[0])
    return {"up": sum(m > 0 for m, _ in moves), "down": sum(m < 0 for m, _ in moves),
            "best": shown(rise) if rise[0] > 0 else None, "worst": shown(fall) if fall[0] < 0 else None}


# --- contexts -------------------------------------------------------------------------


def base_context(result: Result, lang: str) -> dict:
    """Everything common to all documents of one workbook."""
    s = result.inputs.settings
    units = result.inputs.units
    kind = "block" if normalize(s.cluster_name).startswith(("khoi", "block")) else "cluster"
    kind_vi = say(f"doc.{kind}", "vi").upper()  # the document symbol (CTĐ, KTĐ) is Vietnamese
    kind_word = say(f"doc.{kind}", lang).upper()
    rows = ranking_rows(result, lang)
    officers = result.next_officers
    chair = person(s.chair)
    date = long_date(s.meeting_date, s.year, lang)
    reasons = decisions(result, rows, lang)
    return {
        "lang": lang,
        "cluster_name": s.cluster_name, "superior_body": s.superior_body,
        "cluster_kind": say(f"doc.{kind}", lang), "symbol": f"{kind_vi[0]}TĐ",
        "year": s.year, "next_year": s.year + 1 if s.year else "",
        "period": period_label(result, lang),
        "locality": s.locality, "place": s.place,
        "meeting_date": sentence_date(s.meeting_date, s.year, lang),
        "meeting_date_long": date,
        "date_line": f"{s.locality or '……'}, {date}",
        "chair": chair, "secretary": person(s.secretary),
        "signer": {"on_behalf": say("doc.on_behalf", lang, kind=kind_word),
                   "title": say("doc.head", lang, kind=kind_word), "name": chair["name"]},
        "chair_title": say("doc.chair", lang), "secretary_title": say("doc.secretary", lang),
        "leader": _unit_ref(s.leader, units), "deputy": _unit_ref(s.deputy, units),
        "next_leader": officer(officers.leader, officers.how, units, lang),
        "next_deputy": officer(officers.deputy, officers.how, units, lang),
        "legal_basis": legal_basis(s.legal_basis),
        "members": [{"no": k, "code": code, "name": u["name"], "short_name": u["short_name"] or u["name"],
                     "signed": say("word.yes" if u["signed"] else "word.no", lang)}
                    for k, (code, u) in enumerate(units.iterrows(), 1)],
        "member_count": len(units),
        "signed_count": int(sum(bool(v) for v in units["signed"])) if len(units) else 0,
        "groups": [{"code": g, "name": result.group_name(g)} for g in result.groups],
        "ranking": rows,
        "proposals": [dict(a, decisions=[d for d in reasons if a["code"] in d["awards"]])
                      for a in proposals(result, rows, lang)],
        "decisions": reasons,
        "ties": ties(rows),
        "ballot": ballot_rows(result, lang),
        "issues": issue_rows(result, lang),
        "open_items": open_items(result, lang),
        "error_count": len(result.errors), "warning_count": len(result.warnings),
        "stats": statistics(result, rows, lang),
        "change": change_on_previous(result, lang),
        "chart": None,
    }


# What a unit's result pack must not show: other units' own scores, ranks and awards.
OTHER_UNITS = ("ranking", "proposals", "ties", "ballot", "issues", "stats", "change", "chart")


def unit_context(result: Result, base: dict, row: dict) -> dict:
    """One unit's result pack: its points per criterion (self-assessed, verified, counted) under
    group rows that set its group points beside the cluster's average and best, its rank
    "k/n", classification, award or why not, and the flags still open for it — and nothing of
    another unit's own scores (the base's ranking, proposals, votes, issues and statistics are
    left out; an average or a best is not a unit's own score)."""
    lang = base["lang"]
    decimals = result.inputs.settings.decimals
    ranked = result.ranking[result.ranking["rank"].notna()]

    def average(column: str) -> str:
        values = [v for v in ranked[column] if v is not None and not pd.isna(v)]
        return points(sum(values) / len(values), decimals, lang) if values else ""

    def best(column: str) -> str:
        values = [v for v in ranked[column] if v is not None and not pd.isna(v)]
        return points(max(values), decimals, lang) if values else ""

    criteria = criteria_points(result, row["code"], lang)
    rows = _with_group_rows(result, criteria, row, average, best, lang)
    groups = [{"code": g["code"], "name": g["name"], "points": p, "average": average(g["code"]),
               "best": best(g["code"])}
              for g, p in zip(base["groups"], row["groups"], strict=True)]
    open_flags = [i for i in result.issues if i.unit == row["code"] and i.severity in (ERROR, WARNING)]
    flags = [{"where": f"{i.sheet}!{i.cell}" if i.cell else i.sheet, "message": i.message(lang),
              "severity": SEVERITY_LABELS[i.severity][column(lang)]} for i in open_flags]
    unit = dict(row, rank_of=f"{row['rank']}/{base['member_count']}" if row["rank"] else "",
                group_points=groups, criteria=criteria, rows=rows,
                group_rows=[r for r in rows if r["group"]], flags=flags,
                error_count=sum(i.severity == ERROR for i in open_flags),
                warning_count=sum(i.severity == WARNING for i in open_flags),
                open_flags=", ".join(counted(n, noun, lang) for n, noun in (
                    (sum(i.severity == ERROR for i in open_flags), "noun.error"),
                    (sum(i.severity == WARNING for i in open_flags), "noun.warning")) if n),
                cluster_average=average("total"))
    return dict({k: v for k, v in base.items() if k not in OTHER_UNITS}, unit=unit)


def _with_group_rows(result: Result, criteria: list[dict], row: dict, average, best, lang: str) -> list[dict]:
    """The unit's criteria in table order, each top-level group announced by a row of its own:
    the group's maximum and the unit's self-assessed and verified points added up, its points
    as counted (the ranking's group column; the bonus or penalty total for a bonus or penalty
    group) with the cluster's average and best beside — the rows a unit compares itself on."""
    crit, decimals = result.inputs.criteria, result.inputs.settings.decimals
    by_group: dict[str, list[dict]] = {}
    for c in criteria:
        by_group.setdefault(str(crit.at[c["code"], "group"]), []).append(c)

    def added(members: list[dict], key: str) -> str:
        present = [c[f"{key}_scaled"] for c in members if c[f"{key}_scaled"] is not None]
        return points(decimal_of(sum(present), decimals), decimals, lang) if present else ""

    rows = []
    for group, members in by_group.items():
        kinds = {crit.at[c["code"], "kind"] for c in members}
        source = group if group in result.groups else \
            next(iter(kinds)) if kinds in ({"bonus"}, {"penalty"}) else ""
        rows.append({"group": True, "code": group, "name": result.group_name(group),
                     "max": added(members, "max"), "self": added(members, "self"),
                     "verified": added(members, "verified"),
                     "final": points(result.ranking.at[row["code"], source], decimals, lang) if source else "",
                     "average": average(source) if source else "",
                     "best": best(source) if source and source != "penalty" else ""})  # no "best" penalty
        rows += [dict(c, group=False, average="", best="") for c in members]
    return rows


def criteria_points(result: Result, unit: str, lang: str) -> list[dict]:
    """The unit's scored criteria: maximum, self-assessed and verified points, points counted
    (as text, and the first three also as scaled integers ``*_scaled``, None when blank)."""
    scores, criteria = result.scores, result.inputs.criteria
    if scores is None or unit not in scores.units:
        return []
    decimals, j = result.inputs.settings.decimals, scores.units.get_loc(unit)
    by_role = {role: next((s for s in scores.sheets if s.assessment.role == role), None)
               for role in ("self", "verified")}

    def scaled(values, present, i: int) -> int | None:
        return int(values[i, j]) if present[i, j] else None

    def shown(value: int | None) -> str:
        return "" if value is None else points(decimal_of(value, decimals), decimals, lang)

    rows = []
    for i, code in enumerate(scores.leaves):
        c = criteria.loc[code]
        if c["kind"] == "veto":
            continue
        sheet = {role: scaled(s.points, s.present, i) if s is not None else None for role, s in by_role.items()}
        maximum = int(c["max"]) if c["max"] else None
        rows.append({"code": code, "name": c["name"], "max": shown(maximum), "max_scaled": maximum,
                     "self": shown(sheet["self"]), "self_scaled": sheet["self"],
                     "verified": shown(sheet["verified"]), "verified_scaled": sheet["verified"],
                     "final": shown(scaled(scores.weighted, scores.present, i))})
    return rows
