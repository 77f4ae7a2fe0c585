"""The one shape of error a user sees: a sentence in Vietnamese and in English.

Every adapter raises a subclass for what the user can fix (a damaged file, a workbook
open in Excel, a bad template); the CLI and the Excel layer show ``message(lang)`` and
never a traceback.  A message is best written once in the text catalogue and raised with
:meth:`UserError.said`.
"""

from __future__ import annotations

from emutools.texts import column, every


class UserError(Exception):
    def __init__(self, message_vi: str, message_en: str, *others: str):
        super().__init__(message_en)
        self.messages = (message_vi, message_en, *others)  # in the order of texts.LANGS
        self.message_vi, self.message_en = message_vi, message_en

    @classmethod
    def said(cls, key: str, **fields: object) -> UserError:
        """The error whose sentence is catalogue text ``key``, in every language."""
        return cls(*every(key, **fields))

    def message(self, lang: str = "vi") -> str:
        return self.messages[column(lang)]
