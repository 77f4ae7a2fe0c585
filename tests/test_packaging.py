"""The wheel's contents are declared by hand in pyproject.toml (macros/ ships as
emutools.vba), so a new subpackage or data folder must be listed there too."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
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


def _declared_distributions() -> set[str]:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *(s for extra in project["optional-dependencies"].values()
                                         for s in extra)]
    return {_dist_key(re.split(r"[\s<>=!~;\[]", s, maxsplit=1)[0]) for s in specs}


def _dist_key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_modules(folder: Path) -> dict[str, Path]:
    """Every absolute import's top-level module under ``folder`` (first file that imports it)."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path)
    return found


def test_every_third_party_import_is_declared():
    """A fresh machine installs only what pyproject.toml declares (CI builds a fresh venv too):
    a module imported by the package, the tests or the benchmarks must come from a declared
    distribution, or the README's commands fail there (as xlsxwriter once did)."""
    local = {"emutools", "tests", "benchmarks", "conftest"}
    local |= {p.stem for folder in ("tests", "benchmarks") for p in (ROOT / folder).rglob("*.py")}
    owners = packages_distributions()
    declared = _declared_distributions()
    missing = {}
    for folder in ("emutools", "tests", "benchmarks"):
        for module, path in _imported_top_modules(ROOT / folder).items():
            if module in sys.stdlib_module_names or module in local:
                continue
            if not {_dist_key(d) for d in owners.get(module, [])} & declared:
                missing[module] = path.relative_to(ROOT)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_the_import_check_sees_an_undeclared_module(tmp_path):
    (tmp_path / "m.py").write_text("import xlsxwriter\nfrom lxml import etree\nimport os\n")
    assert set(_imported_top_modules(tmp_path)) == {"xlsxwriter", "lxml", "os"}
    assert "xlsxwriter" in _declared_distributions() and "xlrd" not in _declared_distributions()
