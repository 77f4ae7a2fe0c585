"""Codes as people type them: a unit, criterion or award code is one code however it is
cased or composed.

"stc" and "STC" are one unit, and so are "SỞ" typed precomposed (NFC, as Windows keyboards
give) and with combining accents (NFD, as macOS file names and some input methods give) —
otherwise a grid header would silently miss its unit.  Codes are compared by their key
everywhere they are matched; they are still shown as the Units or Criteria sheet writes them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def code_key(code: object) -> str:
    """The form codes are compared in: Unicode canonical caseless matching (NFD, casefold, NFD)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", str(code)).casefold())


def spelling(codes: Iterable[str]) -> dict[str, str]:
    """Each code's key -> the code as first written, to resolve a code typed another way."""
    found: dict[str, str] = {}
    for code in codes:
        found.setdefault(code_key(code), code)
    return found
