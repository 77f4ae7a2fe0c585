"""Writing emutools' result sheets into an existing workbook at the zip-package level.

A workbook is a zip of XML parts.  Loading and saving it through openpyxl would drop what
openpyxl does not model (shapes, form buttons, some extensions) and xlsxwriter cannot edit
a file, so this package edits the package directly, one module per concept:

* :mod:`.writer` — the entry point, :func:`write_output_sheets` (the headless
  :class:`~emutools.io.sheetdata.SheetRenderer`), and its report;
* :mod:`.checks` — refusing what cannot be written safely, before reading;
* :mod:`.package_reader` and :mod:`.relationships` — the source zip, its parts and the
  relationship graph that says which parts go with a replaced sheet;
* :mod:`.edit` — the workbook edit: new parts in, old parts out, everything else verbatim;
* :mod:`.styles` — the registry of emutools' named cell styles;
* :mod:`.sheet_part`, :mod:`.table_part`, :mod:`.drawing_part`, :mod:`.chart_part` — the
  parts of one output sheet, with :mod:`.xmltext` and :mod:`.values` for their text;
* :mod:`.zipwriter` — deterministic zips (also for the templates and documents);
* :mod:`.safe_write` — temp file, fsync, atomic rename, backup (for every file emutools writes).

The output is a pure function of the input: no timestamps, and new parts take the
smallest free number, so writing twice gives the same bytes.
"""

from emutools.io.xlsx.errors import WorkbookWriteError
from emutools.io.xlsx.writer import PackageRenderer, WriteReport, write_output_sheets

__all__ = ["PackageRenderer", "WorkbookWriteError", "WriteReport", "write_output_sheets"]
