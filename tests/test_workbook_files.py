"""The committed templates under workbook/ are exactly what the builder makes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from emutools.io.template import build_workbook, default_content

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("workbook_build", ROOT / "workbook" / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_committed_template_has_not_drifted(tmp_path, lang):
    fresh = tmp_path / f"{lang}.xlsx"
    build_workbook(fresh, default_content(lang))
    committed = build.TEMPLATES[lang]
    assert committed.read_bytes() == fresh.read_bytes(), (
        f"{committed.name} differs from the builder's output: run `python workbook/build.py`")
