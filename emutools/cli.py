"""The ``emutools`` command: the same engine as the Excel buttons, on any OS, for scripts and tests.

Every failure a user can cause (a missing file, a damaged or open workbook) ends in one
clear sentence and an exit code, never a traceback:
0 done; 1 the workbook has errors (``check``); 2 the file could not be used.

Everything printed holds data from the workbook (unit names, codes, paths, messages), and
a name like ``Sở [/] Công Thương`` or ``:smile:`` is data, not a style: the consoles read no
markup and no emoji codes at all, and colour is given only as a ``style``.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from emutools.core.engine import Result, rank_number
from emutools.core.issues import ERROR, SEVERITY_LABELS, WARNING, Issue
from emutools.core.numbers import points
from emutools.errors import UserError
from emutools.texts import LANGS, both, column, counted, known, plural, say

app = typer.Typer(add_completion=False, no_args_is_help=True, help=both("help.app", sep=" "))
console = Console(markup=False, emoji=False, highlight=False)
err_console = Console(stderr=True, markup=False, emoji=False, highlight=False)

LANG_METAVAR, LANG_HELP = "|".join(LANGS), " | ".join(LANGS)
LANG_OPTION = typer.Option(None, "--lang", metavar=LANG_METAVAR,
                           help=f"{LANG_HELP} ({both('help.default_lang')})")
WORKBOOK_ARGUMENT = typer.Argument(..., help=both("help.workbook"))
ALL_OPTION = typer.Option(False, "--all", help=both("help.all"))


class UsageError(UserError):
    """A problem with the command's arguments (a file that exists, a wrong suffix)."""


def _fail(exc: UserError, lang: str | None) -> None:
    """The error in ``lang``; in every language when it is not known (the workbook could not
    be read, and no --lang was given)."""
    for said in [lang] if lang else LANGS:
        err_console.print(Text.assemble((say("word.error_prefix", said), "bold red"), " ", exc.message(said)))
    raise typer.Exit(2)


def _lang_option() -> typer.Option:
    """--lang for a command that makes a new file: Vietnamese unless told."""
    return typer.Option("vi", "--lang", metavar=LANG_METAVAR, help=LANG_HELP)


@app.command(help=both("help.new"))
def new(file: Path = typer.Argument(..., help=both("help.new.file")),
        lang: str = _lang_option()) -> None:
    from emutools.io.template import build_workbook, default_content

    try:
        _new_path(file)
        build_workbook(file, default_content(lang))
    except UserError as exc:
        _fail(exc, lang)
    console.print(say("cli.created_template", lang, file=file))


WORKBOOKS_ARGUMENT = typer.Argument(..., metavar="FILE", help=both("help.workbooks"))


@app.command(help=both("help.rank"))
def rank(files: list[Path] = WORKBOOKS_ARGUMENT,
         lang: str | None = LANG_OPTION,
         no_backup: bool = typer.Option(False, "--no-backup", help=both("help.rank.no_backup")),
         everything: bool = ALL_OPTION,
         layout_first: bool = typer.Option(False, "--layout", help=both("help.rank.layout"))) -> None:
    from emutools.headless import layout_file, rank_file

    def ranked(path: Path) -> Result:
        if layout_first:  # laid out first, the backup is the file as it was before the command
            layout_file(path, backup=not no_backup)
        return rank_file(path, backup=not no_backup and not layout_first)[0]

    if _many(files):
        outcomes = _each(files, ranked, lang)
        raise typer.Exit(2 if any(o.result is None for o in outcomes) else 0)
    file = files[0]
    try:
        laid_out = layout_file(file, backup=not no_backup)[1] if layout_first else None
        result, report = rank_file(file, backup=not no_backup and not layout_first)
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or result.inputs.lang
    show_result(result, lang, everything)
    written = [*(laid_out.sheets_shown if laid_out else []), *report.sheets_shown]
    saved = say("cli.wrote_sheets", lang, sheets=", ".join(written), file=file)
    backup = laid_out.backup_path if laid_out else report.backup_path
    if backup:
        saved += say("cli.backup_kept", lang, name=backup.name)
    console.print(saved)


@app.command(help=both("help.check"))
def check(files: list[Path] = WORKBOOKS_ARGUMENT,
          lang: str | None = LANG_OPTION,
          everything: bool = ALL_OPTION) -> None:
    from emutools.headless import check_file

    if _many(files):
        outcomes = _each(files, check_file, lang)
        raise typer.Exit(2 if any(o.result is None for o in outcomes) else
                         1 if any(o.result.errors for o in outcomes) else 0)
    try:
        result = check_file(files[0])
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or result.inputs.lang
    show_issues(result, lang, everything)
    if result.errors:
        raise typer.Exit(1)


@app.command(help=both("help.layout"))
def layout(file: Path = WORKBOOK_ARGUMENT,
           lang: str | None = LANG_OPTION,
           no_backup: bool = typer.Option(False, "--no-backup", help=both("help.rank.no_backup"))) -> None:
    from emutools.headless import layout_file
    from emutools.io.grids import report_lines

    try:
        done, report = layout_file(file, backup=not no_backup)
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or done.lang
    for line in report_lines(done, lang):
        console.print(line)
    saved = say("cli.wrote_sheets", lang, sheets=", ".join(report.sheets_shown), file=file)
    if report.backup_path:
        saved += say("cli.backup_kept", lang, name=report.backup_path.name)
    console.print(saved)


@app.command(help=both("help.summary"))
def summary(folder: Path = typer.Argument(..., help=both("help.summary.folder")),
            out: Path | None = typer.Option(None, "--out", help=both("help.summary.out")),
            lang: str | None = LANG_OPTION) -> None:
    from emutools.headless import check_file
    from emutools.io.summary import write_overview

    if folder.is_file():
        _fail(UsageError.said("cli.summary_of_a_file", file=folder), lang)
    if not folder.is_dir():
        _fail(UsageError.said("cli.folder_missing", folder=folder), lang)
    outcomes = _each([folder], check_file, lang)
    read = [o.result for o in outcomes if o.result is not None]
    lang = lang or (read[0].inputs.lang if read else "vi")
    target = out or folder / say("overview.file", lang)
    try:
        write_overview(target, outcomes, lang)
    except UserError as exc:
        _fail(exc, lang)
    console.print(say("cli.summary_written", lang, files=counted(len(outcomes), "noun.file", lang), path=target))


def _many(files: list[Path]) -> bool:
    return len(files) > 1 or files[0].is_dir()


def _each(files: list[Path], action, lang: str | None):
    """``action`` on every cluster workbook of ``files`` (folders opened), with a progress bar
    naming the current file; a file that fails is reported at the end, the others still run."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from emutools.io.summary import Outcome, cluster_files

    paths = cluster_files(files)
    outcomes = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[file]}"))
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("emutools", total=len(paths), file="")
        for path in paths:
            bar.update(task, file=path.name)
            try:
                outcomes.append(Outcome(path, action(path)))
            except UserError as exc:
                outcomes.append(Outcome(path, None, exc.message(lang or "vi")))
            except Exception as exc:  # noqa: BLE001 — one broken file must not stop a board's run
                outcomes.append(Outcome(path, None, f"{type(exc).__name__}: {exc}"))
            bar.advance(task)
    _show_outcomes(outcomes, lang or next((o.result.inputs.lang for o in outcomes if o.result), "vi"))
    return outcomes


def _show_outcomes(outcomes, lang: str) -> None:
    good = [o for o in outcomes if o.result is not None]
    table = Table(title=say("cli.batch_title", lang, good=len(good), total=len(outcomes)))
    for key in ("cli.col_file", "cli.col_cluster", "cli.col_leader", "cli.col_errors", "cli.col_warnings"):
        table.add_column(say(key, lang))
    for o in good:
        r = o.result
        table.add_row(o.path.name, r.inputs.settings.cluster_name, ", ".join(r.leaders),
                      str(len(r.errors)), str(len(r.warnings)))
    console.print(table)
    for o in outcomes:
        if o.result is None:
            err_console.print(Text.assemble((say("cli.unusable", lang), "bold red"), " ",
                                            f"{o.path.name} — {o.problem}"))


@app.command(help=both("help.demo"))
def demo(folder: Path = typer.Option(Path("emutools-demo"), "--folder", help=both("help.demo.folder")),
         lang: str = _lang_option(),
         rules: bool = typer.Option(False, "--rules", help=both("help.demo.rules"))) -> None:
    from emutools.documents.files import make_folder
    from emutools.headless import rank_file
    from emutools.io.template import build_workbook
    from emutools.sample import demo_content
    from emutools.sample_rules import rules_content

    name = say("cli.demo_rules_file" if rules else "cli.demo_file", lang)
    path = folder / name
    try:
        make_folder(folder)
        build_workbook(path, rules_content(lang) if rules else demo_content(lang))
        result, _ = rank_file(path, backup=False)
    except UserError as exc:
        _fail(exc, lang)
    show_result(result, lang)
    console.print(say("cli.workbook", lang, path=path))


@app.command(help=both("help.letters"))
def letters(file: Path = WORKBOOK_ARGUMENT,
            pdf: bool = typer.Option(False, "--pdf", help=both("help.letters.pdf")),
            per_unit: bool = typer.Option(False, "--per-unit", help=both("help.letters.per_unit")),
            draft: bool = typer.Option(False, "--draft", help=both("help.letters.draft")),
            no_backup: bool = typer.Option(False, "--no-backup", help=both("help.rank.no_backup")),
            lang: str | None = LANG_OPTION) -> None:
    """Stale result sheets are rewritten first (as rank does), so the documents and the
    Ranking sheet agree; with errors open nothing is written unless --draft."""
    from emutools.documents import make_documents, unit_letters
    from emutools.headless import current_result

    try:
        result, refreshed = current_result(file, backup=not no_backup)
        lang = lang or result.inputs.lang
        if refreshed is not None:
            console.print(_refreshed(refreshed, lang), style="yellow")
        report = make_documents(result, file, pdf=pdf, lang=lang, draft=draft)
        notices = unit_letters(result, file, pdf=pdf, lang=lang, draft=draft) if per_unit else None
    except UserError as exc:
        _fail(exc, lang)
    console.print(report.summary(lang))
    if notices is not None:
        console.print(notices.summary(lang))
    if result.errors:
        console.print(say("cli.drafts_errors_left", lang, errors=counted(len(result.errors), "noun.error", lang)),
                      style="yellow")


def _refreshed(report, lang: str) -> str:
    """Said when ``letters`` rewrote stale result sheets, so the user knows the file changed."""
    return say("cli.results_refreshed", lang, sheets=", ".join(report.sheets_shown))


@app.command(help=both("help.forms"))
def forms(file: Path = WORKBOOK_ARGUMENT, lang: str | None = LANG_OPTION) -> None:
    from emutools.headless import check_file
    from emutools.io.forms import write_forms

    try:
        result = check_file(file)
        report = write_forms(file, result)
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or result.inputs.lang
    said = say("cli.forms_written", lang, forms=counted(len(report.written), "noun.form", lang), folder=report.folder)
    if report.unchanged:
        said += say("cli.forms_unchanged", lang, count=len(report.unchanged))
    console.print(said)
    if report.kept:
        console.print(say("cli.forms_kept", lang, names=", ".join(p.name for p in report.kept)))
    if result.inputs.settings.deadline is None:
        console.print(say("cli.no_deadline", lang), style="yellow")


@app.command(help=both("help.collect"))
def collect(file: Path = WORKBOOK_ARGUMENT,
            folder: Path = typer.Argument(..., help=both("help.collect.folder")),
            overwrite: bool = typer.Option(False, "--overwrite", help=both("help.collect.overwrite")),
            no_backup: bool = typer.Option(False, "--no-backup", help=both("help.rank.no_backup")),
            lang: str | None = LANG_OPTION) -> None:
    from emutools.core.flags import Flags
    from emutools.io.forms import collect_forms

    try:
        report = collect_forms(file, folder, overwrite=overwrite, backup=not no_backup)
    except UserError as exc:
        _fail(exc, lang)
    c = report.collection
    lang = lang or report.lang
    console.print(c.summary(len(report.forms), lang) + say("cli.collect_written", lang, file=file))
    if c.issues:
        _show_flags(Flags(c.issues).in_table_order(), sum(i.severity == ERROR for i in c.issues),
                    sum(i.severity == WARNING for i in c.issues), lang, where="cli.col_form_cell")


@app.command(help=both("help.excel"))
def excel(file: Path = typer.Argument(..., help=both("help.excel.file")),
          lang: str = _lang_option()) -> None:
    from emutools.io.xlsm import MACROS, build_xlsm
    from emutools.io.xlsx.safe_write import is_taken

    try:
        if is_taken(file):
            raise UsageError.said("cli.xlsm_exists", file=file)
        if file.suffix.lower() != ".xlsm":
            raise UsageError.said("cli.xlsm_suffix")
        if not MACROS.is_dir():
            raise UsageError.said("cli.no_vba")
        build_xlsm(file, lang)
    except UserError as exc:
        _fail(exc, lang)
    import xlwings

    console.print(say("cli.excel_steps", lang, file=file, version=xlwings.__version__))


@app.command("new-period", help=both("help.new_period"))
def new_period(file: Path = typer.Argument(..., help=both("help.new_period.file")),
               out: Path | None = typer.Option(None, "--out", help=both("help.new_period.out")),
               midyear: bool = typer.Option(False, "--midyear", help=both("help.new_period.midyear")),
               lang: str | None = LANG_OPTION) -> None:
    from emutools.newperiod import new_period_file

    try:
        target, result, carried = new_period_file(file, out, midyear)
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or result.inputs.lang
    officers = result.next_officers
    who = (say("cli.officers", lang, leader=officers.leader,
               deputy=officers.deputy or say("cli.no_deputy", lang))
           if officers.leader else say("cli.no_officers", lang))
    console.print(say("cli.new_period_made", lang, file=target, officers=who))
    console.print(carried.summary(lang))


def _new_path(file: Path) -> None:
    from emutools.io.xlsx.safe_write import is_taken

    if is_taken(file):
        raise UsageError.said("cli.file_exists", file=file)
    if file.suffix.lower() != ".xlsx":
        raise UsageError.said("cli.template_suffix")


# --- printing ---------------------------------------------------------------------------


SHOWN = 30  # rows printed by default: a cluster fits; a province is summarised


def show_result(result: Result, lang: str, everything: bool = False) -> None:
    """The ranking as a secretary reads it, then the flags (the first SHOWN of each)."""
    from emutools.io.results import award_text

    s = result.inputs.settings
    table = Table(title=say("cli.ranking_title", lang, cluster=s.cluster_name, year=s.year), title_style="bold")
    for key, justify in (("cli.col_rank", "right"), ("cli.col_code", "left"), ("cli.col_unit", "left"),
                         ("cli.col_total", "right"), ("cli.col_band", "left"), ("cli.col_award", "left"),
                         ("cli.col_notes", "left")):
        table.add_column(say(key, lang), justify=justify)
    ranking = result.ranking if everything else result.ranking.head(SHOWN)
    reasons = f"reasons_{known(lang)}"
    for unit, row in ranking.iterrows():
        rank = str(rank_number(row["rank"]) or "")
        table.add_row(rank, unit, row["short_name"], points(row["total"], s.decimals, lang), row["band"],
                      award_text(row, lang), row[reasons])
    console.print(table)
    _more(len(result.ranking) - len(ranking), lang, "noun.unit")
    show_issues(result, lang, everything)


def _more(hidden: int, lang: str, noun: str) -> None:
    if hidden > 0:
        console.print(say("cli.more", lang, hidden=hidden, what=plural(hidden, noun, lang)))


def show_issues(result: Result, lang: str, everything: bool = False) -> None:
    """The flags in table order; only the rows shown are worded (a flag-heavy workbook has
    hundreds of thousands)."""
    ordered = result.ordered_issues
    if not ordered:
        console.print(say("cli.no_issues", lang), style="green")
        return
    _show_flags(ordered, len(result.errors), len(result.warnings), lang, everything)


def _show_flags(ordered: Sequence[Issue], n_err: int, n_warn: int, lang: str, everything: bool = False, *,
                where: str = "cli.col_where") -> None:
    """Flags (in table order) as a table; ``sheet!cell`` — for returned forms, ``file!cell``."""
    table = Table(title=f"{counted(n_err, 'noun.error', lang)}, {counted(n_warn, 'noun.warning', lang)}")
    for key in ("cli.col_severity", where, "cli.col_message"):
        table.add_column(say(key, lang))
    colours = {ERROR: "red", WARNING: "yellow"}
    shown = ordered if everything else ordered[:SHOWN]
    for i in shown:
        label = SEVERITY_LABELS[i.severity][column(lang)]
        spot = f"{i.sheet}!{i.cell}" if i.cell else i.sheet
        table.add_row(Text(label, style=colours.get(i.severity, "cyan")), spot, i.message(known(lang)))
    console.print(table)
    _more(len(ordered) - len(shown), lang, "noun.issue")


def main(argv: list[str] | None = None) -> None:
    """Entry point: the console set to UTF-8 (Vietnamese on Windows); help pages and usage
    errors in both languages (emutools.cliwords), then the typer app runs the command."""
    from typer.main import get_command

    from emutools import cliwords

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8")
    args = sys.argv[1:] if argv is None else list(argv)
    group, prog = get_command(app), "emutools"
    if not args or args[0] in cliwords.HELP_FLAGS:
        console.print(cliwords.group_help(prog, group), soft_wrap=True)
        raise SystemExit(0)
    name, names = args[0], list(group.commands)
    if name not in group.commands:
        err_console.print(cliwords.unknown_command(prog, name, names), soft_wrap=True)
        raise SystemExit(2)
    command = group.commands[name]
    if any(a in cliwords.HELP_FLAGS for a in args[1:]):
        console.print(cliwords.command_help(prog, name, command), soft_wrap=True)
        raise SystemExit(0)
    try:
        code = group.main(args, prog_name=prog, standalone_mode=False)
    except Exception as exc:  # click's usage errors, whichever copy of click typer uses
        if not cliwords.is_usage_error(exc):
            raise
        err_console.print(cliwords.usage_error(prog, name, command, exc), soft_wrap=True)
        raise SystemExit(2) from None
    raise SystemExit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]
