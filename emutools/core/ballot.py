"""The vote (bình xét, bỏ phiếu kín): tallies against the cluster's threshold.

Each ballot row is one candidate (a unit for an award).  Votes are given either as
totals (secret ballot) or member by member; absent members' written votes are counted
by the secretary into the totals or entered in their column.  A unit never votes on
itself: it is recused, and the base shrinks by one.

The base is every member entitled to vote (all members, not only those present —
absent members may vote in writing) unless the settings say "present": the old rule
(Decree 91/2017, repealed) asked ≥ 90 % of all council members for some titles, the
current threshold is the cluster's setting.  "Reaching" the threshold includes equality,
compared exactly in integers: votes × 100 ≥ threshold × base.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from emutools import contract as C
from emutools.core.codes import code_key
from emutools.core.issues import Issue, issue
from emutools.core.model import Inputs, cell_ref

FOR, AGAINST, ABSTAIN, ABSENT = "for", "against", "abstain", "absent"
VOTE_WORDS = {
    FOR: ("Đồng ý", "For", "đ", "dy", "x", "có", "yes", "y"),
    AGAINST: ("Không đồng ý", "Against", "k", "không", "no", "n"),
    ABSTAIN: ("Không biểu quyết", "Abstain", "b", "trắng", "phiếu trắng"),
    ABSENT: ("Vắng", "Absent", "v"),
}


@dataclass(frozen=True)
class Tally:
    unit: str
    award: str
    votes_for: int
    against: int
    abstain: int
    base: int  # members entitled to vote on this candidate
    threshold: Decimal  # percent

    @property
    def share(self) -> Decimal:
        """Votes for as a percent of the base, to two decimals (half-up, as everywhere), for the minutes."""
        if not self.base:
            return Decimal(0)
        return (Decimal(self.votes_for) * 100 / self.base).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def approved(self) -> bool:
        return self.base > 0 and self.votes_for * 100 >= self.threshold * self.base


def vote_token(value: object) -> str | None:
    """'Đồng ý' / 'x' / 'For' -> 'for'; blank -> None (not yet voted)."""
    key = C.normalize(value if value is not None else "")
    if not key:
        return None
    for token, words in VOTE_WORDS.items():
        if key in {C.normalize(w) for w in words}:
            return token
    return "invalid"


def tally(unit: str, award: str, totals: tuple[int, int, int] | None,
          member_votes: dict[str, object], members: list[str], threshold: Decimal,
          base_present: bool = False) -> Tally:
    """One candidate's result.

    ``totals`` (for, against, abstain) wins when given; otherwise ``member_votes``
    (member code -> vote word) are counted, the candidate's own vote ignored.
    """
    voters = [m for m in members if m != unit]
    if totals is not None:
        votes_for, against, abstain = totals
        present = votes_for + against + abstain
    else:
        tokens = {m: vote_token(member_votes.get(m)) for m in voters}
        votes_for = sum(t == FOR for t in tokens.values())
        against = sum(t == AGAINST for t in tokens.values())
        abstain = sum(t == ABSTAIN for t in tokens.values())
        present = votes_for + against + abstain
    base = present if base_present else len(voters)
    return Tally(unit, award, votes_for, against, abstain, base, threshold)


def count_votes(inputs: Inputs, issues: list[Issue]) -> dict[tuple[str, str], Tally]:
    """Every ballot row's tally, with the award's own threshold or the settings' one."""
    settings = inputs.settings
    members = list(inputs.units.index)
    thresholds = {a.code: a.vote_threshold if a.vote_threshold is not None else settings.vote_threshold
                  for a in inputs.awards}
    table = inputs.table("ballot")
    _check_member_columns(inputs, issues)
    result = {}
    for c in inputs.ballot:
        votes = dict(c.member_votes)
        for member, value in c.member_votes:
            if vote_token(value) == "invalid":
                issues.append(issue("ballot_vote_invalid", table.sheet,
                                    cell_ref(c.row, table.extra[member]), unit=c.unit, value=value))
        t = tally(c.unit, c.award, c.totals, votes, members, thresholds[c.award],
                  base_present=settings.vote_base == "present")
        if c.totals is not None and sum(c.totals) > len(members) - (c.unit in members):
            issues.append(issue("ballot_too_many", table.sheet, table.cell("votes_for", c.row),
                                unit=c.unit, votes=sum(c.totals), base=len(members) - 1))
        result[(c.unit, c.award)] = t
    return result


def _check_member_columns(inputs: Inputs, issues: list[Issue]) -> None:
    """The ballot's member columns in step with the Units table: a column whose header is no
    unit's code (its votes are not counted), and, once the sheet has member columns at all
    (a cluster voting only by secret ballot may have none), a member without its column."""
    table = inputs.table("ballot")
    if table is None or not table.extra:
        return
    listed = {code_key(u) for u in inputs.units.index}
    found = set()
    for header, col in table.extra.items():
        found.add(code_key(header))
        if code_key(header) not in listed:
            issues.append(issue("ballot_member_unknown", table.sheet, cell_ref(table.header_row, col), unit=header))
    for unit in inputs.units.index:
        if code_key(unit) not in found:
            issues.append(issue("ballot_member_absent", table.sheet, "", unit=unit))
