"""Rebuild the committed templates: ``python workbook/build.py``.

The files here must equal what ``emutools new`` makes (tests/test_workbook_files.py
checks it), so change the builder, never the files by hand.
"""

from __future__ import annotations

from pathlib import Path

from emutools.io.template import build_workbook, default_content

HERE = Path(__file__).resolve().parent
TEMPLATES = {"vi": HERE / "mau-cum-thi-dua.xlsx", "en": HERE / "cluster-template-en.xlsx"}


def main() -> None:
    for lang, path in TEMPLATES.items():
        build_workbook(path, default_content(lang))
        print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
