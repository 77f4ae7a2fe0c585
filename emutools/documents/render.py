"""Fill the Word templates from a recalculated workbook and write the documents beside it.

Templates are user-editable files, so they are treated as untrusted: sandboxed, size-bounded
and rendered in a child process with time and memory limits (see
:mod:`emutools.documents.template`).  Anything a template does wrong — bad syntax, a refused
attribute, a damaged file, too much output, too long — becomes a :class:`DocumentError`
naming the template, and since every document is rendered in memory before the first file
is written, a refused template produces no file at all.

The user's templates win: ``Mẫu văn bản/`` (or ``templates/``) beside the workbook is
searched before the templates shipped in the package.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from emutools.core.engine import Result
from emutools.documents import context as ctx
from emutools.documents.chart import bar_chart
from emutools.documents.draft import mark_draft
from emutools.documents.errors import DocumentError
from emutools.documents.files import (
    convert_to_pdf,
    find_soffice,
    make_folder,
    path_inside,
    safe_name,
    template_file_name,
    write_keeping_old,
)
from emutools.documents.template import PACKAGE_TEMPLATES, Template, render_all
from emutools.texts import LANGS, column, counted, every, say

USER_TEMPLATE_FOLDERS = ("Mẫu văn bản", "templates")
OUTPUT_FOLDER = {lang: say("folder.documents", lang) for lang in LANGS}
LETTERS_FOLDER = {lang: say("folder.notices", lang) for lang in LANGS}
CHART_WIDTH_MM = 160
ERRORS_LISTED = 10  # errors named in the refusal; the Issues sheet lists them all


@dataclass
class DocumentsReport:
    """What a run produced, for the CLI and the Excel button to tell the user."""

    folder: Path
    written: list[Path] = field(default_factory=list)  # new or changed
    unchanged: list[Path] = field(default_factory=list)  # identical file already there
    kept: list[Path] = field(default_factory=list)  # older versions renamed "name (n).ext"
    pdfs: list[Path] = field(default_factory=list)
    notes: list[tuple[str, ...]] = field(default_factory=list)  # one text per language (texts.every)

    @property
    def documents(self) -> list[Path]:
        """Every document of this run, whether rewritten or already up to date."""
        return sorted(self.written + self.unchanged)

    def summary(self, lang: str) -> str:
        lines = [say("documents.folder", lang, folder=self.folder),
                 say("documents.counts", lang, written=counted(len(self.written), "noun.file", lang),
                     unchanged=len(self.unchanged), pdfs=counted(len(self.pdfs), "noun.pdf", lang))]
        if self.kept:
            lines.append(say("documents.kept", lang, names=", ".join(p.name for p in self.kept)))
        lines += [note[column(lang)] for note in self.notes]
        return "\n".join(lines)


# --- finding templates and folders ------------------------------------------------------------


def template_path(name: str, lang: str, workbook: Path) -> Path:
    """The user's copy beside the workbook (``Mẫu văn bản/`` or ``templates/``), else the shipped one."""
    file_name = template_file_name(name, lang)
    for folder in _user_template_folders(workbook.parent):
        for candidate in folder.iterdir():
            if _fold(candidate.name) == _fold(file_name) and candidate.is_file():
                return candidate
    return PACKAGE_TEMPLATES / file_name


def _user_template_folders(parent: Path) -> list[Path]:
    """Matched loosely (case, Unicode normal form): macOS hands back decomposed names."""
    if not parent.is_dir():
        return []
    wanted = [_fold(n) for n in USER_TEMPLATE_FOLDERS]
    found = [p for p in parent.iterdir() if p.is_dir() and _fold(p.name) in wanted]
    return sorted(found, key=lambda p: wanted.index(_fold(p.name)))


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def output_folder(result: Result, workbook: Path, out_dir: Path | None, lang: str) -> Path:
    """``Văn bản/<năm>/`` (en ``Documents/<year>/``) beside the workbook, unless ``out_dir`` is given."""
    if out_dir is not None:
        return Path(out_dir)
    year = result.inputs.settings.year
    folder = workbook.resolve().parent / OUTPUT_FOLDER[lang]
    return folder / str(year) if year else folder


def document_time(result: Result) -> dt.datetime:
    """Core-property dates: the meeting date (else 1 January of the year), never 'now'."""
    s = result.inputs.settings
    day = s.meeting_date or dt.date(s.year or 2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


# --- the documents ------------------------------------------------------------------------


def refuse_while_errors(result: Result, draft: bool) -> None:
    """Documents to sign are never made from a workbook with open errors (a score above its
    maximum would be counted and ranked); drafts, asked for explicitly, are marked instead."""
    if not result.errors or draft:
        return
    listed, more = result.errors[:ERRORS_LISTED], len(result.errors) - ERRORS_LISTED

    def said(lang: str) -> str:
        lines = [f"- {f'{i.sheet}!{i.cell}: ' if i.cell else ''}{i.message(lang)}" for i in listed]
        if more > 0:
            lines.append(say("documents.more_errors", lang, errors=counted(more, "noun.error", lang)))
        return say("documents.refused_errors", lang, errors=counted(len(result.errors), "noun.error", lang),
                   lines="\n".join(lines))

    raise DocumentError(said("vi"), said("en"))


def make_documents(result: Result, workbook_path, out_dir=None, pdf: bool = False,
                   lang: str | None = None, draft: bool = False) -> DocumentsReport:
    """Proposal letters (one per award with proposed units), minutes, list and summary report.

    Written to ``Văn bản/<năm>/`` beside the workbook (or ``out_dir``) in the workbook's
    language; ``pdf=True`` also converts them with one LibreOffice call when installed.
    Refused while the workbook has errors, unless ``draft`` (every page then marked "DỰ THẢO").
    """
    refuse_while_errors(result, draft)
    lang = lang or result.inputs.lang
    workbook = Path(workbook_path)
    base = ctx.base_context(result, lang)
    base["chart"] = _chart(result, base, lang)
    when = document_time(result)
    jobs: list[tuple[str, str, dict]] = [
        ("to_trinh", say("documents.file_to_trinh", lang, award=a["name"]), dict(base, award=a))
        for a in base["proposals"]]
    jobs += [(name, say(f"documents.file_{name}", lang), base) for name in ("bien_ban", "danh_sach", "bao_cao")]
    templates = {name: Template(template_path(name, lang, workbook)) for name, _, _ in jobs}
    made = _drafts(render_all([(templates[name], context) for name, _, context in jobs], when), draft, lang)
    files = [(stem, data) for (_, stem, _), data in zip(jobs, made, strict=True)]
    report = DocumentsReport(output_folder(result, workbook, out_dir, lang))
    if not base["proposals"]:
        report.notes.append(every("documents.no_proposals"))
    return _save(files, report, pdf, lang)


def unit_letters(result: Result, workbook_path, out_dir=None, units: Iterable[str] | None = None,
                 pdf: bool = False, lang: str | None = None, draft: bool = False) -> DocumentsReport:
    """One notice of results per member unit (or per code in ``units``), named "<code> - <name>.docx".

    Written to ``Văn bản/<năm>/Thông báo kết quả/`` (en ``Documents/<year>/Notices of
    results/``) unless ``out_dir`` is given.  The template is read and compiled once.  Refused
    while the workbook has errors, unless ``draft``, like :func:`make_documents`.
    """
    refuse_while_errors(result, draft)
    lang = lang or result.inputs.lang
    workbook = Path(workbook_path)
    base = ctx.base_context(result, lang)
    wanted = None if units is None else set(units)
    template = Template(template_path("thong_bao", lang, workbook))
    when = document_time(result)
    rows = [row for row in base["ranking"] if wanted is None or row["code"] in wanted]
    made = _drafts(render_all([(template, ctx.unit_context(result, base, row)) for row in rows], when),
                   draft, lang)
    files = [(f"{row['code']} - {row['name']}", data) for row, data in zip(rows, made, strict=True)]
    folder = (Path(out_dir) if out_dir is not None
              else output_folder(result, workbook, None, lang) / LETTERS_FOLDER[lang])
    return _save(files, DocumentsReport(folder), pdf, lang)


def _drafts(made: list[bytes], draft: bool, lang: str) -> list[bytes]:
    return [mark_draft(data, lang) for data in made] if draft else made


def _chart(result: Result, base: dict, lang: str) -> ctx.Picture | None:
    rows = base["ranking"]
    png = bar_chart([r["short_name"] for r in rows], list(result.ranking["total"]),
                    [r["total"] for r in rows], lang)
    return ctx.Picture(png, CHART_WIDTH_MM) if png else None


def _save(files: list[tuple[str, bytes]], report: DocumentsReport, pdf: bool, lang: str) -> DocumentsReport:
    """Write rendered documents under unique safe names, then optionally convert them to PDF."""
    make_folder(report.folder)
    report.folder = report.folder.resolve()
    to_convert = []
    names = _unique(safe_name(stem) for stem, _ in files)
    for name, (_, data) in zip(names, files, strict=True):
        path = path_inside(report.folder, name)
        written, kept = write_keeping_old(path, data, lang)
        (report.written if written else report.unchanged).append(path)
        report.kept += [kept] if kept else []
        if written or not path.with_suffix(".pdf").exists():
            to_convert.append(path)
    if pdf:
        _pdf(to_convert, report, lang)
    return report


def _unique(names: Iterable[str]) -> list[str]:
    """Two awards or units whose cleaned names coincide get " - 2", " - 3"… appended."""
    seen: set[str] = set()
    out = []
    for name in names:
        stem, suffix = name.rsplit(".", 1)
        k, candidate = 1, name
        while _fold(candidate) in seen:
            k += 1
            candidate = safe_name(f"{stem[: 100]} - {k}", f".{suffix}")
        seen.add(_fold(candidate))
        out.append(candidate)
    return out


def _pdf(files: list[Path], report: DocumentsReport, lang: str) -> None:
    soffice = find_soffice()
    if soffice is None:
        report.notes.append(every("documents.no_soffice"))
        return
    if not files:  # every document unchanged and its PDF there
        report.notes.append(every("documents.pdfs_current"))
        return
    written, kept, problem = convert_to_pdf(soffice, files, report.folder, lang)
    report.pdfs += written
    report.kept += kept
    if problem:
        report.notes.append(every("documents.pdf_failed", problem=problem))
