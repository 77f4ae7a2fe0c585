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
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from emutools.core.engine import Result, rank_number
from emutools.core.issues import ERROR, SEVERITY_LABELS, WARNING
from emutools.core.numbers import counted
from emutools.errors import UserError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="emutools — chấm điểm, xếp hạng, đề nghị khen thưởng cụm/khối thi đua "
                       "(scoring, ranking and award proposals for emulation clusters).")
console = Console(markup=False, emoji=False, highlight=False)
err_console = Console(stderr=True, markup=False, emoji=False, highlight=False)

LANG_OPTION = typer.Option(None, "--lang", metavar="vi|en", help="vi | en (mặc định: ngôn ngữ của bảng tính / "
                                                 "default: the workbook's language)")


class UsageError(UserError):
    """A problem with the command's arguments (a file that exists, a wrong suffix)."""


def _fail(exc: UserError, lang: str | None) -> None:
    text = exc.message(lang or "vi")
    err_console.print(Text.assemble(("Lỗi:" if (lang or "vi") == "vi" else "Error:", "bold red"), " ", text))
    raise typer.Exit(2)




@app.command()
def new(file: Path = typer.Argument(..., help="Tệp .xlsx sẽ tạo / the .xlsx file to create"),
        lang: str = typer.Option("vi", "--lang", metavar="vi|en", help="vi | en")) -> None:
    """Tạo bảng tính mẫu trống / create a blank template workbook."""
    from emutools.io.template import build_workbook, default_content

    try:
        _new_path(file)
        build_workbook(file, default_content(lang))
    except UserError as exc:
        _fail(exc, lang)
    say = (f"Đã tạo {file}. Điền Cài đặt, Đơn vị, Tiêu chí rồi chạy: emutools rank \"{file}\""
           if lang == "vi" else f"Created {file}. Fill Settings, Units, Criteria, then run: "
           f"emutools rank \"{file}\"")
    console.print(say)


@app.command()
def rank(file: Path = typer.Argument(..., help="Bảng tính cụm / the cluster workbook"),
         lang: str | None = LANG_OPTION,
         no_backup: bool = typer.Option(False, "--no-backup", help="Không giữ bản sao cũ / keep no backup"),
         everything: bool = typer.Option(False, "--all", help="In mọi dòng / print every row")) -> None:
    """Tính điểm, xếp hạng, ghi các sheet kết quả (Xếp hạng, Kiểm tra, Công bằng, Lịch sử) / recalculate and write back."""
    from emutools.headless import rank_file

    try:
        result, report = rank_file(file, backup=not no_backup)
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or result.inputs.lang
    show_result(result, lang, everything)
    saved = (f"Đã ghi sheet {', '.join(report.sheets_written)} vào {file}"
             if lang == "vi" else f"Wrote sheets {', '.join(report.sheets_written)} into {file}")
    if report.backup_path:
        saved += (f" (bản cũ: {report.backup_path.name})" if lang == "vi"
                  else f" (previous version: {report.backup_path.name})")
    console.print(saved)


@app.command()
def check(file: Path = typer.Argument(..., help="Bảng tính cụm / the cluster workbook"),
          lang: str | None = LANG_OPTION,
          everything: bool = typer.Option(False, "--all", help="In mọi dòng / print every row")) -> None:
    """Chỉ kiểm tra số liệu, không ghi tệp; mã thoát 1 nếu có lỗi / flags only; exit 1 on errors."""
    from emutools.headless import check_file

    try:
        result = check_file(file)
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or result.inputs.lang
    show_issues(result, lang, everything)
    if result.errors:
        raise typer.Exit(1)


@app.command()
def demo(folder: Path = typer.Option(Path("emutools-demo"), "--folder", help="Thư mục / folder"),
         lang: str = typer.Option("vi", "--lang", metavar="vi|en", help="vi | en")) -> None:
    """Tạo bảng tính mẫu của một cụm giả định, xếp hạng và in kết quả / run on sample data."""
    from emutools.documents.files import make_folder
    from emutools.headless import rank_file
    from emutools.io.template import build_workbook
    from emutools.sample import demo_content

    name = "cum-thi-dua-mau.xlsx" if lang == "vi" else "sample-cluster.xlsx"
    path = folder / name
    try:
        make_folder(folder)
        build_workbook(path, demo_content(lang))
        result, _ = rank_file(path, backup=False)
    except UserError as exc:
        _fail(exc, lang)
    show_result(result, lang)
    console.print(f"{'Bảng tính' if lang == 'vi' else 'Workbook'}: {path}")


@app.command()
def letters(file: Path = typer.Argument(..., help="Bảng tính cụm / the cluster workbook"),
            pdf: bool = typer.Option(False, "--pdf", help="Cả bản PDF (cần LibreOffice) / PDFs too"),
            per_unit: bool = typer.Option(False, "--per-unit",
                                          help="Thông báo kết quả cho từng đơn vị / a notice per unit"),
            lang: str | None = LANG_OPTION) -> None:
    """Tạo Tờ trình, Biên bản, Danh sách, Báo cáo từ bảng tính / make the proposal documents."""
    from emutools.documents import make_documents, unit_letters
    from emutools.headless import check_file

    try:
        result = check_file(file)
        report = make_documents(result, file, pdf=pdf, lang=lang)
        notices = unit_letters(result, file, pdf=pdf, lang=lang) if per_unit else None
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or result.inputs.lang
    console.print(report.summary(lang))
    if notices is not None:
        console.print(notices.summary(lang))
    if result.errors:
        console.print(f"{len(result.errors)} lỗi chưa sửa trong bảng tính — xem sheet Kiểm tra."
                      if lang == "vi" else
                      f"{counted(len(result.errors), 'en', '', 'error')} still in the workbook — see the "
                      "Issues sheet.", style="yellow")


@app.command()
def excel(file: Path = typer.Argument(..., help="Tệp .xlsm sẽ tạo / the .xlsm file to create"),
          lang: str = typer.Option("vi", "--lang", metavar="vi|en", help="vi | en")) -> None:
    """Tạo bảng tính có nút bấm cho Excel và hướng dẫn cài đặt / make the macro-enabled workbook."""
    from emutools.io.xlsm import MACROS, build_xlsm
    from emutools.io.xlsx.safe_write import is_taken

    try:
        if is_taken(file):
            raise UsageError(f"Tệp “{file}” đã có; emutools không ghi đè. Hãy chọn tên khác.",
                             f"'{file}' already exists; emutools does not overwrite it.")
        if file.suffix.lower() != ".xlsm":
            raise UsageError("Tên tệp phải có đuôi .xlsm (bảng tính có macro).",
                             "The file name must end in .xlsm (macro-enabled workbook).")
        if not MACROS.is_dir():
            raise UsageError("Bản cài emutools thiếu module VBA (emutools/vba): hãy cài lại "
                             "(pip install --force-reinstall emutools).",
                             "This emutools install lacks its VBA module (emutools/vba): reinstall "
                             "it (pip install --force-reinstall emutools).")
        build_xlsm(file, lang)
    except UserError as exc:
        _fail(exc, lang)
    import xlwings

    steps = EXCEL_STEPS[lang].format(file=file, version=xlwings.__version__)
    console.print(steps)


EXCEL_STEPS = {
    "vi": """Đã tạo {file}.
Các bước trong Excel (không cần quyền quản trị):
  1. Mở tệp, bấm "Enable Content" (Bật nội dung) để cho phép macro.
  2. Sheet Hướng dẫn có bốn nút: Xếp hạng lại, Kiểm tra, Tạo văn bản, Kỳ mới; thẻ "Thi đua" trên ribbon có
     các nút tương tự. Chúng gọi Python qua xlwings (RunPython) — không cần cài add-in.
  3. Excel phải dùng đúng Python đã cài emutools: nếu báo không tìm thấy, chạy
     "xlwings config create" rồi ghi đường dẫn python vào Interpreter.
  4. Hàm trong ô (=EMU_TOTAL, =EMU_RANK, =EMU_MISSING): "xlwings addin install", mở lại Excel, bấm
     Import Functions trong thẻ xlwings.
  5. macOS: xlwings {version} phải trùng phiên bản trong tệp; sau khi nâng cấp xlwings, tạo lại tệp.""",
    "en": """Created {file}.
In Excel (no admin rights needed):
  1. Open the file and click "Enable Content" to allow its macros.
  2. The Guide sheet has four buttons: Recalculate, Check, Documents, New period; the "Thi đua" ribbon tab has
     the same. They call Python through xlwings (RunPython) — no add-in needed.
  3. Excel must use the Python that has emutools: if it cannot find it, run
     "xlwings config create" and set Interpreter to that python.
  4. Worksheet functions (=EMU_TOTAL, =EMU_RANK, =EMU_MISSING): "xlwings addin install", restart
     Excel, click Import Functions on the xlwings tab.
  5. macOS: xlwings {version} must match the version in the file; rebuild it after upgrading xlwings.""",
}


@app.command("new-period")
def new_period(file: Path = typer.Argument(..., help="Bảng tính kỳ này / this period's workbook"),
               out: Path | None = typer.Option(None, "--out", help="Tệp mới / the new file"),
               midyear: bool = typer.Option(False, "--midyear",
                                            help="Kỳ sơ kết 6 tháng của năm sau / next year's mid-year review"),
               lang: str | None = LANG_OPTION) -> None:
    """Bắt đầu kỳ mới: giữ đơn vị, tiêu chí; xóa điểm; đặt trưởng cụm mới / start the next period."""
    from emutools.newperiod import new_period_file

    try:
        target, result = new_period_file(file, out, midyear)
    except UserError as exc:
        _fail(exc, lang)
    lang = lang or result.inputs.lang
    officers = result.next_officers
    if lang == "vi":
        who = (f"trưởng cụm {officers.leader}, phó trưởng cụm {officers.deputy or '(chưa có)'}"
               if officers.leader else "trưởng cụm, phó trưởng cụm: chưa có (ghi vào Cài đặt)")
        console.print(f"Đã tạo {target}: {who}. Điểm, minh chứng, phiếu bầu đã xóa; giao ước và đăng ký "
                      "danh hiệu cần làm lại; kết quả kỳ trước ở sheet Kỳ trước.")
    else:
        who = (f"leader {officers.leader}, deputy {officers.deputy or '(none)'}" if officers.leader
               else "leader and deputy: not decided (enter them in Settings)")
        console.print(f"Created {target}: {who}. Scores, evidence and votes cleared; agreements and "
                      "registrations to be renewed; last period's results on the Previous period sheet.")


def _new_path(file: Path) -> None:
    from emutools.io.xlsx.safe_write import is_taken

    if is_taken(file):
        raise UsageError(f"Tệp “{file}” đã có; emutools không ghi đè. Hãy chọn tên khác.",
                         f"'{file}' already exists; emutools does not overwrite it. Choose another name.")
    if file.suffix.lower() != ".xlsx":
        raise UsageError("Tên tệp mẫu phải có đuôi .xlsx.", "The template file name must end in .xlsx.")


# --- printing ---------------------------------------------------------------------------


SHOWN = 30  # rows printed by default: a cluster fits; a province is summarised


def show_result(result: Result, lang: str, everything: bool = False) -> None:
    """The ranking as a secretary reads it, then the flags (the first SHOWN of each)."""
    from emutools.io.results import award_text

    vi = lang == "vi"
    s = result.inputs.settings
    table = Table(title=f"{s.cluster_name} — {'năm' if vi else 'year'} {s.year}", title_style="bold")
    for header, justify in ((("Hạng", "Rank"), "right"), (("Mã", "Code"), "left"),
                            (("Đơn vị", "Unit"), "left"), (("Tổng điểm", "Total"), "right"),
                            (("Xếp loại", "Class"), "left"), (("Đề nghị", "Proposed"), "left"),
                            (("Ghi chú", "Notes"), "left")):
        table.add_column(header[0 if vi else 1], justify=justify)
    ranking = result.ranking if everything else result.ranking.head(SHOWN)
    for unit, row in ranking.iterrows():
        rank = str(rank_number(row["rank"]) or "")
        award = award_text(row, lang)
        table.add_row(rank, unit, row["short_name"], _points(row["total"], lang), row["band"], award,
                      row["reasons_vi" if vi else "reasons_en"])
    console.print(table)
    _more(len(result.ranking) - len(ranking), lang, "đơn vị", "units")
    show_issues(result, lang, everything)


def _more(hidden: int, lang: str, what_vi: str, what_en: str) -> None:
    if hidden > 0:
        console.print(f"… và {hidden} {what_vi} nữa (xem bảng tính, hoặc thêm --all)" if lang == "vi"
                      else f"… and {hidden} more {what_en} (see the workbook, or add --all)")


def show_issues(result: Result, lang: str, everything: bool = False) -> None:
    vi = lang == "vi"
    frame = result.issue_table
    n_err = len(result.errors)
    n_warn = len(result.warnings)
    if frame.empty:
        console.print("Không có lỗi hay cảnh báo." if vi else "No errors or warnings.", style="green")
        return
    table = Table(title=f"{counted(n_err, lang, 'lỗi', 'error')}, {counted(n_warn, lang, 'cảnh báo', 'warning')}")
    table.add_column("Mức độ" if vi else "Severity")
    table.add_column("Vị trí" if vi else "Where")
    table.add_column("Nội dung" if vi else "Message")
    colours = {ERROR: "red", WARNING: "yellow"}
    shown = frame if everything else frame.head(SHOWN)
    for i in shown.itertuples(index=False):
        label = SEVERITY_LABELS[i.severity][0 if vi else 1]
        where = f"{i.sheet}!{i.cell}" if i.cell else i.sheet
        table.add_row(Text(label, style=colours.get(i.severity, "cyan")), where,
                      i.message_vi if vi else i.message_en)
    console.print(table)
    _more(len(frame) - len(shown), lang, "vấn đề", "issues")


def _points(value, lang: str) -> str:
    """Totals at the scoring precision, as on the sheet: 97,10 (vi) or 97.10 (en)."""
    text = format(value, "f") if value is not None else ""
    return text.replace(".", ",") if lang == "vi" else text


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
