"""The one error type of document generation, phrased for the secretary in both languages."""

from __future__ import annotations


class DocumentError(Exception):
    """A template or output file that cannot be used; ``message_vi`` / ``message_en`` say why."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.message_vi, self.message_en = message_vi, message_en

    def message(self, lang: str) -> str:
        return self.message_vi if lang == "vi" else self.message_en
