"""Writing a file so that a crash, a full disk or a locked file never leaves it damaged.

The one place where emutools puts bytes on disk — workbooks after ``rank``, new templates
and ``.xlsm`` files, next period's workbook, Word documents and PDFs: the new content goes
to a hidden temporary file in the same folder (so the final rename stays on one file
system), is flushed and synced, then renamed over the target in one atomic step.  Errors
are raised as :class:`OSError`; each caller turns them into its own bilingual message,
since only it knows what the user should do (close Excel, close Word, free disk space).
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def temp_beside(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """A hidden temporary file next to ``path`` holding what ``write`` wrote, synced to disk.

    It has the permissions of the file it will replace (or the user's default for a new
    file).  On any failure it is removed and the error raised again.
    """
    tmp = path.with_name(f".{path.stem[:40]}.{secrets.token_hex(4)}.emutools.tmp")
    try:
        with open(tmp, "xb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def replace(source: Path, target: Path) -> None:
    """Rename ``source`` over ``target`` atomically (``PermissionError`` when it is locked)."""
    os.replace(source, target)


def commit(tmp: Path, path: Path) -> None:
    """Put a finished temporary file in place; it is removed if that fails."""
    try:
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_file(path: str | os.PathLike, data: bytes) -> None:
    """Create or replace the file at ``path`` with ``data``, atomically."""
    path = Path(path)
    commit(temp_beside(path, lambda out: out.write(data)), path)


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept: ``<stem>.bak<suffix>`` beside it."""
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def keep_backup(path: Path) -> Path:
    """Copy ``path`` (contents, mode, times) to its backup, overwriting an older backup."""
    backup = backup_path(path)
    shutil.copy2(path, backup)
    return backup
