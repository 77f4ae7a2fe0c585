"""The committed templates under workbook/ are exactly what the builder makes."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings

from emutools.io.template import build_workbook, default_content
from emutools.io.xlsm import VBA_PART, build_xlsm

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


@pytest.fixture(scope="module")
def fresh_xlsm(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsm") / "vi.xlsm"
    build_xlsm(path, "vi")
    return path


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _embedded_xlwings(vba_project: bytes) -> str:
    """The xlwings version whose VBA module the project holds (its XLWINGS_VERSION)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser("vbaProject.bin", data=vba_project)
    code = {name: text for _, _, name, text in parser.extract_macros()}["xlwings.bas"]
    return re.search(r'XLWINGS_VERSION As String = "([^"]+)"', code).group(1)


def test_committed_xlsm_matches_the_builder_but_for_its_vba(fresh_xlsm):
    """Everything the builder owns; the VBA project follows the installed xlwings (below)."""
    committed, fresh = _parts(build.MACRO_TEMPLATES["vi"]), _parts(fresh_xlsm)
    assert list(committed) == list(fresh)
    changed = [name for name in fresh if name != VBA_PART and committed[name] != fresh[name]]
    assert not changed, f"{changed} differ from the builder's output: run `python workbook/build.py`"
    assert olefile.isOleFile(io.BytesIO(committed[VBA_PART]))


def _pinned_xlwings() -> str:
    """The one xlwings version pyproject.toml allows (the committed .xlsm's)."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    spec = next(d for d in deps if d.startswith("xlwings"))
    return re.fullmatch(r"xlwings==([\w.]+)\s*;.*", spec).group(1)


def test_committed_xlsm_works_with_the_xlwings_users_install():
    """The xlwings VBA module loads xlwings64-<version>.dll: the committed .xlsm works with the
    xlwings it was built from and no other, so pyproject pins exactly that version."""
    vba = _parts(build.MACRO_TEMPLATES["vi"])[VBA_PART]
    embedded = _embedded_xlwings(vba)
    assert embedded == _pinned_xlwings() == xlwings.__version__, (
        f"the .xlsm embeds xlwings {embedded}, pyproject pins {_pinned_xlwings()}, "
        f"{xlwings.__version__} is installed: pin one version and run `python workbook/build.py`")
    dlls = set(re.findall(rb"xlwings(?:64|32)-([\w.]+)\.dll", _decompressed_modules(vba)))
    assert dlls == {embedded.encode()}


def _decompressed_modules(vba_project: bytes) -> bytes:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser("vbaProject.bin", data=vba_project)
    return "".join(text for _, _, _, text in parser.extract_macros()).encode()


def test_committed_xlsm_has_not_drifted(fresh_xlsm):
    committed = build.MACRO_TEMPLATES["vi"]
    assert committed.read_bytes() == fresh_xlsm.read_bytes(), (
        f"{committed.name} differs from the builder's output: run `python workbook/build.py`")
