"""The one shape of error a user sees: a sentence in Vietnamese and in English.

Every adapter raises a subclass for what the user can fix (a damaged file, a workbook
open in Excel, a bad template); the CLI and the Excel layer show ``message(lang)`` and
never a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.message_vi, self.message_en = message_vi, message_en

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en
