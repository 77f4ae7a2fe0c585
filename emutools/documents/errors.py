"""The one error type of document generation, phrased for the secretary in both languages."""

from __future__ import annotations

from emutools.errors import UserError


class DocumentError(UserError):
    """A template or output file that cannot be used; ``message_vi`` / ``message_en`` say why."""
