"""Rebuild the committed templates: ``python workbook/build.py``.

The files here must equal what ``emutools new`` makes (tests/test_workbook_files.py
checks it), so change the builder, never the files by hand.  The macro-enabled template
embeds the VBA of the installed xlwings (its quickstart project): rebuild it after
upgrading xlwings, so that its VBA module matches the Python package users install.
"""

from __future__ import annotations

from pathlib import Path

from emutools.io.template import build_workbook, default_content
from emutools.io.xlsm import build_xlsm

HERE = Path(__file__).resolve().parent
TEMPLATES = {"vi": HERE / "mau-cum-thi-dua.xlsx", "en": HERE / "cluster-template-en.xlsx"}
MACRO_TEMPLATES = {"vi": HERE / "mau-cum-thi-dua.xlsm"}


def main() -> None:
    for lang, path in TEMPLATES.items():
        build_workbook(path, default_content(lang))
        print(path.relative_to(HERE.parent))
    for lang, path in MACRO_TEMPLATES.items():
        build_xlsm(path, lang)
        print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
