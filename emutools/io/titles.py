"""The title row of the sheets emutools does not rewrite, kept in step with the settings.

Every sheet's A1 reads "SHEET – cluster – NĂM 2026" (:func:`~emutools.texts.sheet_title`).
The grids and result sheets are written whole, so their titles are always current; the
Guide, Settings, Units and Criteria sheets are the secretary's, so only their A1 is set, and
only when it still holds a title emutools wrote (any other text there is the secretary's
own and stays) and it no longer matches the cluster name, period and year of Cài đặt.
``layout`` and ``rank`` write these cells headless (the package writer patches one cell of
each such sheet) and in Excel (one range call per sheet, at most four).
"""

from __future__ import annotations

import re

from emutools.core.model import RawBook, Settings
from emutools.texts import every, sheet_title

TITLE_CELL = "A1"
# "<SHEET> – <cluster> – NĂM 2026", in either language, whatever the cluster's name holds:
# the period words are the catalogue's own (texts "title.year", "title.midyear")
_PERIODS = "|".join(sorted({re.escape(words.strip()) for key in ("title.year", "title.midyear")
                            for words in every(key, year="")}, key=len, reverse=True))
_OURS = re.compile(rf"^(?P<sheet>.+?) – .* – (?:{_PERIODS}) \S*$", re.DOTALL)


def stale_titles(raw: RawBook, settings: Settings, lang: str) -> dict[str, dict[str, object]]:
    """``{sheet: {"A1": title}}`` for each of those sheets whose title is out of date."""
    out = {}
    for sheet, found in raw.titles.items():
        wanted = sheet_title(sheet, settings.cluster_name, settings.year, settings.period, lang)
        if found != wanted and is_our_title(found, sheet):
            out[sheet] = {TITLE_CELL: wanted}
    return out


def is_our_title(value: object, sheet: str) -> bool:
    """Whether ``value`` is a title emutools wrote on ``sheet``."""
    match = _OURS.match(value) if isinstance(value, str) else None
    return match is not None and match.group("sheet") == sheet.upper()
