"""The package writer's entry point: output sheets into a workbook file, safely.

It renders :class:`~emutools.io.sheetdata.OutputSheet` s as the headless back end of
:class:`~emutools.io.sheetdata.SheetRenderer`: the sheets are collected, then written in
one edit of the package (:mod:`.edit`), to a temporary file beside the workbook that
replaces it atomically, with a backup (:mod:`.safe_write`).  Whenever the file cannot be
written safely, the original is left untouched and a :class:`WorkbookWriteError` says
why in Vietnamese and English.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from emutools.io.gridsheet import GridSheet
from emutools.io.sheetdata import OutputSheet, SheetRenderer
from emutools.io.xlsx import safe_write
from emutools.io.xlsx.checks import check_target, name_problem, problem
from emutools.io.xlsx.edit import WorkbookEdit
from emutools.io.xlsx.errors import WorkbookWriteError, cannot_write, damaged
from emutools.io.xlsx.lock import locked
from emutools.io.xlsx.package_reader import SourcePackage


@dataclass
class WriteReport:
    path: Path
    backup_path: Path | None
    sheets_written: list[str]  # every sheet written, in the order given
    sheets_added: list[str]  # those of them that did not exist before
    sheets_hidden: list[str] = field(default_factory=list)  # those of them kept out of sight

    @property
    def sheets_shown(self) -> list[str]:
        """The sheets written that a user can find (what a message names)."""
        return [n for n in self.sheets_written if n not in self.sheets_hidden]


def write_output_sheets(path: str | os.PathLike, sheets: list[OutputSheet | GridSheet], *,
                        backup: bool = True, cells: dict[str, dict[str, object]] | None = None,
                        legible: tuple[str, ...] = ()) -> WriteReport:
    """Write ``sheets`` (result sheets, laid-out input grids) into the workbook at ``path``,
    replacing same-named sheets, and set ``cells`` (sheet name -> ``"E7"`` -> value) of
    existing sheets (:mod:`.cells`); the existing sheets named in ``legible`` that print one
    page wide below 8 pt print at 75 % instead (:mod:`.page_patch`).

    Everything else in the file is kept byte for byte.  With ``backup`` the previous file
    is kept as ``<stem>.bak<suffix>`` beside it (an older backup is overwritten).
    """
    renderer = PackageRenderer(path, backup=backup, cells=cells, legible=legible)
    renderer.render_all(sheets)
    return renderer.report


class PackageRenderer(SheetRenderer):
    """Output sheets into the workbook file at ``path``, written once, atomically, on finish.

    :meth:`render` checks each sheet (malformed sheet data is a ``ValueError``: a bug in the
    caller, not in the file); :meth:`finish` writes them all and sets :attr:`report`.
    """

    def __init__(self, path: str | os.PathLike, *, backup: bool = True,
                 cells: dict[str, dict[str, object]] | None = None, legible: tuple[str, ...] = ()):
        self.path, self.backup, self.cells, self.legible = Path(path), backup, cells or {}, legible
        self.sheets: list[OutputSheet | GridSheet] = []
        self.report: WriteReport | None = None

    def render(self, sheet: OutputSheet | GridSheet) -> None:
        found = name_problem(sheet.name) if isinstance(sheet, GridSheet) else problem(sheet)
        if not found and sheet.name.casefold() in {s.name.casefold() for s in self.sheets}:
            found = "the sheet is given twice"
        if found:
            raise ValueError(f"OutputSheet {sheet.name!r}: {found}")
        self.sheets.append(sheet)

    def finish(self) -> None:
        """Write under the file's lock: the real file behind a link, its backup, atomically."""
        path = safe_write.real_file(self.path)
        try:
            with locked(path):
                self.report = self._write(path)
        except OSError as exc:  # the lock file could not be made: the folder refuses writes
            raise cannot_write(path, exc) from exc

    def _write(self, path: Path) -> WriteReport:
        check_target(path)
        safe_write.remove_stale_temps(path)
        tmp, added, left_out = _new_package(path, self.sheets, self.cells, self.legible)
        # The source is closed by now: Windows cannot replace a file that is still open.
        try:
            backup_path = _keep_backup(path) if self.backup else None
            _replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return WriteReport(self.path, backup_path, [s.name for s in self.sheets if s.name not in left_out], added,
                           [s.name for s in self.sheets if isinstance(s, OutputSheet) and s.hidden])


def _new_package(path: Path, sheets: list[OutputSheet | GridSheet],
                 cells: dict[str, dict[str, object]], legible: tuple[str, ...]) -> tuple[Path, list[str], list[str]]:
    """The edited package in a temporary file beside ``path``, the sheets it added and the
    optional ones it left out."""
    try:
        with open(path, "rb") as source:
            try:
                edit = WorkbookEdit(SourcePackage(source, path.name))
                edit.apply(sheets, cells, legible)
            except (KeyError, ValueError, IndexError, etree.LxmlError) as exc:
                raise damaged(path.name, str(exc)) from exc
            return _write_temp(path, edit), edit.added, edit.left_out
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise WorkbookWriteError(
            f"Không đọc được tệp “{path.name}” để ghi kết quả ({exc}). Tệp gốc không bị thay đổi.",
            f"Cannot read '{path.name}' to write the results ({exc}). The file was not changed.",
        ) from exc


def _write_temp(path: Path, edit: WorkbookEdit) -> Path:
    try:
        return safe_write.temp_beside(path, edit.write)
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def _keep_backup(path: Path) -> Path:
    try:
        return safe_write.keep_backup(path)
    except OSError as exc:
        name = safe_write.backup_path(path).name
        because = cannot_write(safe_write.backup_path(path), exc)
        raise WorkbookWriteError(
            f"{because.message_vi} Bản sao lưu cũ “{name}” và tệp gốc vẫn nguyên vẹn; nếu bản sao "
            "lưu đang mở trong Excel, hãy đóng nó.",
            f"{because.message_en} The old backup '{name}' and the original are intact; if the "
            "backup is open in Excel, close it.",
        ) from exc


def _replace(tmp: Path, path: Path) -> None:
    try:
        safe_write.replace(tmp, path)
    except PermissionError as exc:
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{path.name}”: tệp đang bị khóa, có thể đang mở trong Excel. "
            "Hãy đóng tệp rồi chạy lại. Tệp gốc không bị thay đổi.",
            f"Cannot write '{path.name}': the file is locked, probably open in Excel. Close it "
            "and run again. The file was not changed.",
        ) from exc
    except OSError as exc:
        raise WorkbookWriteError(
            f"Không ghi được vào tệp “{path.name}” ({exc}). Tệp gốc không bị thay đổi.",
            f"Cannot write '{path.name}' ({exc}). The file was not changed.",
        ) from exc
