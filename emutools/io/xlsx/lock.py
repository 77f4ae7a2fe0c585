"""One writer at a time per file: a lock file beside it, as Office keeps its ``~$`` file.

Two secretaries on a shared drive (or a double click) must not both read a workbook, both
add their History row and both write: one row would be lost and the backup would hold the
other run's output.  So a run creates ``.~emutools.<name>.<tag>.lock`` beside the file
atomically, holding its process id, host, user and start time, and deletes it when done.
The content is written to a draft first and hard-linked into place (a link to an existing
name fails: exactly one process succeeds), so a lock never exists empty, even for a run
killed while making it; where the file system has no hard links (FAT, some network shares)
the lock is created with ``O_CREAT | O_EXCL`` and then filled.  A lock whose process is gone
(same host, pid no longer running) is taken over, and so is one that names no holder (empty,
unreadable, written by something else) once it is older than a short grace; a live one makes
the next run wait a few seconds, then refuse with a message saying who holds it.

The lock is re-entrant within a process: ``rank`` holds the workbook's lock from reading
to writing, and the writer it calls takes the same lock again without waiting for itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
import secrets
import socket
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from emutools.io.xlsx.errors import WorkbookWriteError
from emutools.texts import every

WAIT_SECONDS = 5.0  # how long a second run waits for the first before refusing
POLL_SECONDS = 0.05
# A lock naming no holder after this long was left by a run killed while making it (only
# the in-place fallback, or an older emutools, leaves one).  Shorter than WAIT_SECONDS, so
# the next run takes it over instead of refusing.
UNWRITTEN_GRACE = 2.0
DRAFT_SUFFIX = ".new"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

_held: dict[str, int] = {}  # lock files this process holds, with their nesting depth


def lock_path(path: Path) -> Path:
    """The lock file of ``path``: hidden, beside it, short enough for any file name."""
    name = unicodedata.normalize("NFC", path.name)
    tag = hashlib.sha1(name.encode()).hexdigest()[:8]
    return path.with_name(f".~emutools.{path.stem[:40]}.{tag}.lock")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``path``'s lock for the block (OSError if the folder refuses the lock file)."""
    lock = lock_path(Path(path))
    key = str(lock)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    _acquire(lock, Path(path))
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        with contextlib.suppress(OSError):
            os.unlink(lock)


def _acquire(lock: Path, path: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        if _create(lock):
            _remove_old_drafts(lock)
            return
        holder = _read(lock)
        if holder is not None and _is_stale(lock, holder) and _take_over(lock, holder):
            continue
        if time.monotonic() >= deadline:
            raise busy(path, lock, holder or {})
        time.sleep(POLL_SECONDS)


def _create(lock: Path) -> bool:
    """Make the lock with this run's holder in it; False if another run's lock is there."""
    me = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(),
          "time": dt.datetime.now().isoformat(timespec="seconds"), "nonce": secrets.token_hex(4)}
    draft = lock.with_name(f"{lock.name}.{me['nonce']}{DRAFT_SUFFIX}")
    try:
        _write_new(draft, me)
        try:
            os.link(draft, lock)
        except FileExistsError:
            return False
        except OSError:  # no hard links on this file system
            return _create_in_place(lock, me)
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(draft)


def _create_in_place(lock: Path, me: dict) -> bool:
    try:
        _write_new(lock, me)
    except FileExistsError:
        return False
    return True


def _write_new(path: Path, holder: dict) -> None:
    """Create ``path`` exclusively with ``holder`` in it; nothing is left if writing fails."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(holder, out)
    except BaseException:  # a full disk: no half-written lock left to block the next run
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _remove_old_drafts(lock: Path) -> None:
    """Drafts of this lock left by runs killed while making it (a live draft lives for
    microseconds; one older than the grace is nobody's)."""
    prefix = f"{lock.name}."
    with contextlib.suppress(OSError):
        for name in os.listdir(lock.parent):
            if name.startswith(prefix) and name.endswith(DRAFT_SUFFIX):
                draft = lock.parent / name
                with contextlib.suppress(OSError):
                    if time.time() - draft.stat(follow_symlinks=False).st_mtime > UNWRITTEN_GRACE:
                        os.unlink(draft)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (a service, a container)
        return ""


def _read(lock: Path) -> dict | None:
    """The holder written in the lock, None if the lock is gone, and {} for one that names no
    holder: empty, unreadable, not emutools' JSON, or without a process id and host."""
    try:
        text = lock.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return {}
    try:
        holder = json.loads(text)
    except ValueError:
        return {}
    named = (isinstance(holder, dict) and isinstance(holder.get("pid"), int)
             and isinstance(holder.get("host"), str) and holder["host"])
    return holder if named else {}


def _is_stale(lock: Path, holder: dict) -> bool:
    """Left by a dead process on this host, or naming no holder for longer than the grace."""
    if not holder:
        try:
            return time.time() - lock.stat().st_mtime > UNWRITTEN_GRACE
        except OSError:
            return False
    pid = holder.get("pid")
    return (holder.get("host") == socket.gethostname() and isinstance(pid, int)
            and not process_alive(pid))


def _take_over(lock: Path, holder: dict) -> bool:
    """Move the stale lock aside; only the run that moved exactly that lock goes on."""
    aside = lock.with_name(f"{lock.name}.{secrets.token_hex(4)}.stale")
    try:
        os.rename(lock, aside)
    except OSError:
        return False  # another run took it over first
    if _read(aside) != holder:  # a fresh lock was created between our read and the rename
        with contextlib.suppress(OSError):
            os.link(aside, lock)  # put it back unless a newer one is there
    with contextlib.suppress(OSError):
        os.unlink(aside)
    return True


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (Windows: without signalling it)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _windows_process_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.GetLastError() == 5  # access denied: it exists
    code = ctypes.c_ulong()
    kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE


def busy(path: Path, lock: Path, holder: dict) -> WorkbookWriteError:
    """The refusal: who holds the lock, or that the lock names nobody; either way which lock
    file to delete when no run is going on."""
    if not holder:
        return WorkbookWriteError(*every("lock.unnamed", file=path.name, lock=lock.name))
    who = ", ".join(x for x in (holder.get("user"), holder.get("host")) if x)
    return WorkbookWriteError(*every("lock.busy", file=path.name, lock=lock.name, who=who,
                                     pid=holder["pid"], since=holder.get("time", "?")))
