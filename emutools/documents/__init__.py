"""Documents a cluster sends upward — proposal letters, minutes, list of proposed units, summary
report, and a notice of results per unit — filled from the workbook into editable Word templates.

    from emutools.documents import make_documents, unit_letters
    report = make_documents(check_file(path), path, pdf=True)

See ``docs/templates.md`` for the template fields and how to use one's own templates.
"""

from emutools.documents.errors import DocumentError
from emutools.documents.render import DocumentsReport, make_documents, unit_letters

__all__ = ["DocumentError", "DocumentsReport", "make_documents", "unit_letters"]
