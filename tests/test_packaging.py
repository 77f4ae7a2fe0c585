"""The wheel's contents are declared by hand in pyproject.toml (macros/ ships as
emutools.vba), so a new subpackage or data folder must be listed there too."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def setuptools_config() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_python_package_is_declared_for_the_wheel():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "emutools").rglob("__init__.py")}
    assert found <= set(setuptools_config()["packages"])


def test_word_templates_and_vba_sources_ship_in_the_wheel():
    config = setuptools_config()
    assert config["package-dir"]["emutools.vba"] == "macros"
    data = config["package-data"]
    for package, folder in (("emutools.templates", ROOT / "emutools" / "templates"),
                            ("emutools.vba", ROOT / "macros")):
        shipped = {p.name for pattern in data[package] for p in folder.glob(pattern)}
        assert shipped == {p.name for p in folder.iterdir() if p.name != "README.md"}
