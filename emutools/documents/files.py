"""Where generated documents land: safe file names, no lost versions, stable bytes, PDF.

* Names come partly from the workbook (award and unit names), so they are cleaned for
  Windows (no ``<>:"/\\|?*`` or control characters, no reserved device names, no trailing
  dot or space, at most 120 characters) and checked to stay inside the output folder.
  Invisible format characters (bidi overrides such as U+202E, zero-width spaces, BOM) are
  removed, so a name can neither display reversed nor hide what it really says.
* A file is never overwritten while its older content would be lost: when the content
  differs, the old file is renamed with the time it was replaced, ``name (trước 2026-11-30
  10-15).docx`` (en ``name (before …)``) — never ``name (1).docx``, which Windows users read
  as the newer copy — and the new one takes the plain name.  Same content: nothing is
  touched, so re-running on an unchanged workbook adds no clutter.
* Zip entries get a fixed timestamp, so the same workbook gives byte-identical documents
  (:mod:`emutools.io.xlsx.zipwriter`); files are written and moved through
  :mod:`emutools.io.xlsx.safe_write`, as workbooks are.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from emutools.documents.errors import DocumentError
from emutools.io.xlsx import safe_write
from emutools.io.xlsx.errors import cannot_write
from emutools.io.xlsx.lock import locked
from emutools.texts import say

MAX_NAME = 120
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{k}" for k in range(1, 10)),
            *(f"LPT{k}" for k in range(1, 10))}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]')
_INVISIBLE = {"Cf", "Cs"}  # format characters (bidi controls, zero-width, BOM) and lone surrogates
SOFFICE_PATHS = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                 r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
                 "/Applications/LibreOffice.app/Contents/MacOS/soffice")
PDF_TIMEOUT = 120  # seconds for the first file, plus PDF_TIMEOUT_EACH per further file
PDF_TIMEOUT_EACH = 10


def template_file_name(name: str, lang: str) -> str:
    """'bien_ban.docx' / 'bien_ban_en.docx': a template's file, shipped or the user's copy."""
    return say("documents.template_file", lang, name=name)


def safe_name(stem: str, suffix: str = ".docx") -> str:
    """A file name that is valid on Windows, macOS and Linux and cannot name another folder."""
    text = unicodedata.normalize("NFC", stem)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")  # no hidden (leading dot) or trailing-dot names
    text = text[: MAX_NAME - len(suffix)].rstrip(" .")
    if not text:
        text = "_"
    if text.split(".")[0].rstrip().upper() in RESERVED:
        text = "_" + text
    return text[: MAX_NAME - len(suffix)] + suffix


def make_folder(folder: Path) -> None:
    """Create the output folder (and its parents); OS failures said plainly, naming it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(folder, exc) from exc


def path_inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would leave ``folder``.

    The folder is resolved, the name is not: a name that is a link is replaced as a link
    by :func:`write_keeping_old`, never followed to the file it points at.
    """
    base = folder.resolve()
    path = base / name
    if path.parent != base or name in {"", ".", ".."}:
        raise DocumentError(f"Tên tệp “{name}” không hợp lệ (nằm ngoài thư mục {folder}).",
                            f"File name '{name}' is not allowed (it leaves the folder {folder}).")
    return path


def write_keeping_old(path: Path, data: bytes, lang: str = "vi") -> tuple[bool, Path | None]:
    """Write ``data`` to ``path``; returns (written, where the older version went).

    Unchanged content is left alone (False, None).  The new file is written to a temporary
    file first (synced) and moved into place under the file's lock, so a crash never leaves
    half a document.  A link at ``path`` is moved aside like an older version: what it
    points at is never read or written.
    """
    try:
        with locked(path):
            safe_write.remove_stale_temps(path)
            if path.is_symlink() or path.exists():
                if not path.is_symlink() and path.read_bytes() == data:
                    return False, None
                kept = _older_version_name(path, lang)
                _move(path, kept)
            else:
                kept = None
            tmp = safe_write.temp_beside(path, lambda out: out.write(data))
            try:
                _move(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return True, kept


def _older_version_name(path: Path, lang: str) -> Path:
    """'name (trước 2026-11-30 10-15).docx': the time the version stopped being current; the
    seconds, then a count, are added only when that name is taken."""
    now = dt.datetime.now()
    for when in (f"{now:%Y-%m-%d %H-%M}", f"{now:%Y-%m-%d %H-%M-%S}"):
        candidate = path.with_name(f"{path.stem}{say('documents.older_version', lang, when=when)}{path.suffix}")
        if not (candidate.is_symlink() or candidate.exists()):
            return candidate
    k = 2
    while (candidate := path.with_name(
            f"{path.stem}{say('documents.older_version', lang, when=f'{when} {k}')}{path.suffix}")).is_symlink() \
            or candidate.exists():
        k += 1
    return candidate


def _move(source: Path, target: Path) -> None:
    try:
        safe_write.replace(source, target)
    except PermissionError as exc:
        raise DocumentError(
            f"Không ghi được “{target.name}”: tệp đang mở (Word) hoặc chỉ đọc. Hãy đóng tệp rồi chạy lại.",
            f"Cannot write '{target.name}': the file is open (Word) or read-only. Close it and retry.",
        ) from exc


# --- PDF ------------------------------------------------------------------------------------


def find_soffice() -> str | None:
    """LibreOffice's command: on the PATH, or where the installers put it on Windows and macOS."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in SOFFICE_PATHS if Path(p).is_file()), None)


def convert_to_pdf(soffice: str, files: list[Path], folder: Path,
                   lang: str = "vi") -> tuple[list[Path], list[Path], str]:
    """All ``files`` to PDF with ONE LibreOffice call, then into ``folder`` keeping old versions.

    LibreOffice runs with a throw-away profile so that an open LibreOffice window (which
    would otherwise swallow the request) or a stale lock cannot block the conversion.
    Returns (PDFs written, older PDFs kept, error text or "").
    """
    with tempfile.TemporaryDirectory(prefix="emutools-pdf-") as tmp:
        out_dir, profile = Path(tmp) / "out", Path(tmp) / "profile"
        command = [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, files)]
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=PDF_TIMEOUT + PDF_TIMEOUT_EACH * len(files))
            problem = "" if done.returncode == 0 else (done.stderr or done.stdout).strip()[-500:]
        except (OSError, subprocess.TimeoutExpired) as exc:
            problem = str(exc)
        written, kept = [], []
        for source in files:
            pdf = out_dir / f"{source.stem}.pdf"
            if not pdf.exists():
                problem = problem or f"{source.name}: no PDF produced"
                continue
            target = folder / pdf.name
            changed, old = write_keeping_old(target, pdf.read_bytes(), lang)
            written += [target] if changed else []
            kept += [old] if old else []
    return written, kept, problem
