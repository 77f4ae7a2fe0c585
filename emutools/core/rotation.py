"""Next period's leader and deputy (trưởng cụm, phó trưởng cụm).

Clusters elect them at the year-end conference for one year, often by rotation
(DOMAIN: "elected ... for a 1-year term (often by rotation)").  An election result in the
settings wins; otherwise the rotation order in the settings moves one step: the new
leader is the unit after this year's leader, the deputy the unit after that.
"""

from __future__ import annotations

from dataclasses import dataclass

from emutools.core.model import Settings


@dataclass(frozen=True)
class Officers:
    leader: str
    deputy: str
    how: str  # "elected" | "rotation" | "" (still to be decided)


def next_officers(settings: Settings) -> Officers:
    order = settings.rotation
    if settings.next_leader:
        deputy = settings.next_deputy or _after(order, settings.next_leader)
        return Officers(settings.next_leader, deputy, "elected")
    if not order:
        return Officers("", settings.next_deputy, "")
    leader = _after(order, settings.leader) if settings.leader in order else order[0]
    deputy = settings.next_deputy or _after(order, leader)
    return Officers(leader, deputy, "rotation")


def _after(order: list[str], code: str) -> str:
    if code not in order or len(order) < 2:
        return ""
    return order[(order.index(code) + 1) % len(order)]
