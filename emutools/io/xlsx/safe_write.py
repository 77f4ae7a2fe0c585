"""Writing a file so that a crash, a full disk, a link or a second run never leaves it damaged.

The one place where emutools puts bytes on disk — workbooks after ``rank`` and their
backups, new templates and ``.xlsm`` files, next period's workbook, Word documents and
PDFs:

* the new content goes to a hidden temporary file in the same folder (so the final rename
  stays on one file system), created exclusively and never through a link, is flushed and
  synced, then renamed over the target in one atomic step — the backup too, so an old good
  backup is never truncated in place;
* a name that is a symbolic link is replaced as a link (the rename replaces the link
  itself), so a link planted in a shared folder can never aim a write at another file; a
  workbook opened through a link is resolved to its real file, which is written; a file
  with several hard links is refused (a rename would split it from its other names);
* the replaced file's mode, and its group (and owner, when allowed), carry over;
* temporary files left by a killed run are removed by the next run on the same file,
  under the file's lock (:mod:`.lock`), so no live write is ever touched.

Low-level steps raise :class:`OSError`; :func:`write_file` and the workbook writer turn
them into a bilingual message (:func:`~emutools.io.xlsx.errors.cannot_write`).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from emutools.io.xlsx.errors import WorkbookWriteError, cannot_write
from emutools.io.xlsx.lock import locked

TEMP_SUFFIX = ".emutools.tmp"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _tag(path: Path) -> str:
    """A short fingerprint of the whole name: two long names sharing 40 characters differ."""
    return hashlib.sha1(unicodedata.normalize("NFC", path.name).encode()).hexdigest()[:6]


def _temp_pattern(path: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(path.stem[:40])}\.{_tag(path)}\.[0-9a-f]{{8}}"
                      rf"{re.escape(TEMP_SUFFIX)}")


def _sync(out: BinaryIO) -> None:
    out.flush()
    os.fsync(out.fileno())


def _no_follow(name: str, flags: int) -> int:
    return os.open(name, flags | NOFOLLOW, 0o666)


def temp_beside(path: Path, write: Callable[[BinaryIO], None], *,
                like: Path | None = None) -> Path:
    """A hidden temporary file next to ``path`` holding what ``write`` wrote, synced to disk.

    It is created exclusively (an existing name, even a dangling link, is never opened).
    It gets the mode and group of ``like`` (default: the regular file it will replace; a
    new file keeps the user's defaults).  On any failure it is removed and the error raised.
    """
    tmp = path.with_name(f".{path.stem[:40]}.{_tag(path)}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    created = False
    try:
        with open(tmp, "xb", opener=_no_follow) as out:
            created = True
            write(out)
            _sync(out)
        _take_ownership_of(like or path, tmp)
    except BaseException:
        if created:  # never a file of the same name that was there before
            tmp.unlink(missing_ok=True)
        raise
    return tmp


def _take_ownership_of(model: Path, tmp: Path) -> None:
    """Mode and group (owner too, for root) of the regular file ``model``, if there is one."""
    try:
        st = os.stat(model, follow_symlinks=False)
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode):
        return
    if hasattr(os, "chown"):
        for uid in ((st.st_uid, -1) if os.geteuid() == 0 else (-1,)):
            try:
                os.chown(tmp, uid, st.st_gid)
                break
            except OSError:  # not a member of that group: the mode is still kept
                continue
    os.chmod(tmp, stat.S_IMODE(st.st_mode))  # after chown, which may clear set-id bits


def replace(source: Path, target: Path) -> None:
    """Rename ``source`` over ``target`` atomically (``PermissionError`` when it is locked).

    A ``target`` that is a symbolic link is itself replaced; what it pointed to is untouched.
    """
    os.replace(source, target)


def commit(tmp: Path, path: Path) -> None:
    """Put a finished temporary file in place; it is removed if that fails."""
    try:
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files of ``path`` left by a killed run (call with ``path`` locked)."""
    pattern = _temp_pattern(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if pattern.fullmatch(name):
            try:
                os.unlink(path.parent / name)
            except OSError:
                continue


def write_file(path: str | os.PathLike, data: bytes) -> None:
    """Create or replace the file at ``path`` with ``data``, atomically, under its lock.

    Any OS failure becomes a :class:`~emutools.io.xlsx.errors.WorkbookWriteError` naming the
    file and what to do; nothing partial is left behind.
    """
    path = Path(path)
    try:
        with locked(path):
            remove_stale_temps(path)
            commit(temp_beside(path, lambda out: out.write(data)), path)
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def is_taken(path: Path) -> bool:
    """Whether a file, folder or link already has the name ``path`` (a new file must not).

    A name the system cannot even look up (too long, a folder that is a file) is said as
    the message :func:`write_file` would give.
    """
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return True


def real_file(path: str | os.PathLike) -> Path:
    """The file to write when the user names ``path``: a link followed to its real file.

    A file with more than one hard link is refused: replacing it by rename would leave the
    other names on the old content, and writing it in place could leave it half written.
    """
    real = Path(os.path.realpath(path))
    try:
        links = real.stat().st_nlink
    except OSError:
        return real
    if links > 1 and real.is_file():
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{real.name}”: tệp có {links} liên kết cứng (hard link) — cùng "
            "nội dung mang nhiều tên; ghi an toàn (tệp mới thay tệp cũ) sẽ tách các tên đó ra. Hãy "
            "chép tệp thành một bản riêng (Save As) rồi chạy trên bản đó. Tệp gốc không bị thay đổi.",
            f"Cannot write '{real.name}': the file has {links} hard links (one content under several "
            "names); a safe write (new file replacing the old) would split those names apart. Save "
            "a separate copy (Save As) and run on it. The file was not changed.",
        )
    return real


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept: ``<stem>.bak<suffix>`` beside it."""
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def keep_backup(path: Path) -> Path:
    """Copy ``path`` to its backup like any other write: temporary file, sync, rename.

    The older backup stays whole until the new one is complete; a backup name that is a
    link is replaced as a link.  Mode, group and times are those of ``path``.
    """
    backup = backup_path(path)
    remove_stale_temps(backup)
    with open(path, "rb") as source:
        tmp = temp_beside(backup, lambda out: shutil.copyfileobj(source, out, 1 << 20), like=path)
    try:
        st = os.stat(path)
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    except OSError:
        pass
    commit(tmp, backup)
    return backup
