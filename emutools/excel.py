"""Excel entry points: the buttons and ribbon (classic xlwings) and scripts (xlwings Lite/Server).

Thin on purpose: read every input sheet with one range call, run the same core as the
command line, write each result block with one call.  The number of range calls is
therefore the same for 5 units or 10,000 (tests count them).

Highlights need no per-cell colouring: the template's conditional formatting turns a
cell red while its ``Sheet!A1`` key is listed in the Issues sheet, so writing that sheet
is what highlights — and un-highlights — the inputs.

Every failure reaches the user as one readable sentence in the workbook's language
(an alert), never a Python traceback dialog.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import xlwings as xw
from xlwings.constants import Order, PageOrientation, PaperSize

from emutools import contract as C
from emutools.core.engine import Result
from emutools.core.engine import recalculate as run_core
from emutools.core.model import RawBook, row_col
from emutools.errors import UserError
from emutools.io.changes import InputChanges, input_changes
from emutools.io.grids import lay_out, report_lines
from emutools.io.gridsheet import GridSheet
from emutools.io.issues_csv import write_full_lists
from emutools.io.printing import INPUT_MARGIN_IN, page_print
from emutools.io.progress import rank_sheets
from emutools.io.results import issues_sheet
from emutools.io.sheetdata import BarChart, OutputSheet, SheetRenderer
from emutools.io.tables import build_raw_book
from emutools.io.titles import stale_titles
from emutools.io.xlsx.input_rules import flag_formula
from emutools.io.xlsx.styles import FLAG_FILL, FLAG_FONT, GRID_LOOKS, SECONDARY_COLOR
from emutools.texts import counted, known, say

TITLE = "emutools"
SHOWN_FLAGS = 10  # problems of returned forms listed in the alert
FORMULA_STARTS = ("=", "+", "-", "@")


def read_book(book: xw.Book):
    """All input tables of an open workbook, one range read per sheet used."""
    names = [s.name for s in book.sheets]

    def values_of(name: str) -> list[list[object]]:
        sheet = book.sheets[name]
        last = sheet.used_range.last_cell
        return sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value

    return build_raw_book(names, values_of)


def recalculate(book: xw.Book) -> Result:
    """Recalculate: ranking, issues (and so highlights) and chart, then a short status."""
    raw = read_book(book)
    result = run_core(raw)
    _write_results(book, raw, result)
    _status(book, result, ranked=True)
    return result


def _write_results(book: xw.Book, raw: RawBook, result: Result) -> list[OutputSheet]:
    """What a recalculation writes (as ``emutools rank`` does): the result sheets, Changes
    with the input snapshot, Progress once forms are in use, the stale titles of the
    secretary's sheets, and the complete lists beside a saved book; the sheets written."""
    when = dt.datetime.now()
    changes = input_changes(raw, when)
    sheets = rank_sheets(_book_path(book), raw, result, when, _stem(book), changes)
    ExcelRenderer(book).render_all(sheets)
    _set_cells(book, stale_titles(raw, result.inputs.settings, result.inputs.lang))
    _full_lists(book, result, changes)
    return sheets


def check(book: xw.Book) -> Result:
    """Flags only: the Issues sheet (and the highlights) are refreshed, the ranking is not."""
    raw = read_book(book)
    result = run_core(raw)
    name = C.find_sheet(raw.sheet_names, C.ISSUES_SHEET)
    ExcelRenderer(book).render_all([issues_sheet(result, result.inputs.lang, name, _stem(book))])
    _full_lists(book, result)
    _status(book, result, ranked=False)
    return result


def layout(book: xw.Book) -> None:
    """Cập nhật bố cục: the grids laid out again from the Units and Criteria tables, in the
    open book (the same engine as ``emutools layout``), then what changed, in one alert."""
    raw = read_book(book)
    done = lay_out(raw)
    ExcelRenderer(book).render_all(done.sheets)
    _set_cells(book, done.titles)
    book.app.alert("\n".join(report_lines(done, done.lang)), title=TITLE)


def _set_cells(book: xw.Book, cells: dict[str, dict[str, object]]) -> None:
    """Single cells of the secretary's sheets (their stale titles): one range call each, at
    most one per sheet whatever the number of units."""
    for sheet, values in cells.items():
        for ref, value in values.items():
            book.sheets[sheet].range(ref).value = value


def make_documents(book: xw.Book) -> None:
    """The proposal documents from the open workbook, beside its file; says where they went.

    The values come from the open book (saved or not); the folder from its file path, so a
    workbook that was never saved (or lives in the browser, in xlwings Lite) is told to save.
    When the inputs changed since the last ranking (History fingerprint), the result sheets
    are rewritten first, as Xếp hạng lại does, so the documents and the Ranking sheet agree;
    with errors open nothing is made (drafts: ``emutools letters --draft``).
    """
    from emutools.core.history import results_current
    from emutools.documents import make_documents as render

    path = _saved_path(book)
    raw = read_book(book)
    result = run_core(raw)
    lang = result.inputs.lang
    refreshed = not results_current(raw)
    if refreshed:
        sheets = _write_results(book, raw, result)
        _status(book, result, ranked=True)
    report = render(result, path, lang=lang)
    said = report.summary(lang)
    if refreshed:
        said = say("cli.results_refreshed", lang, sheets=", ".join(s.name for s in sheets if not s.hidden)) + "\n" + said
    book.app.alert(said, title=TITLE)


def new_period(book: xw.Book) -> None:
    """The next period's workbook beside this one (from its saved file), and where it went."""
    from emutools.newperiod import new_period_file

    path = _saved_path(book)
    target, result, carried = new_period_file(path)
    officers = result.next_officers
    lang = result.inputs.lang
    book.app.alert(say("excel.new_period_made", lang, file=target.name, leader=officers.leader or "—",
                       deputy=officers.deputy or "—") + " " + carried.summary(lang), title=TITLE)


def _stem(book: xw.Book) -> str:
    return Path(book.name).stem


def _book_path(book: xw.Book) -> Path | None:
    """The workbook's file, or None for one never saved (or living in the browser)."""
    path = Path(book.fullname) if book.fullname else None
    return path if path is not None and path.is_absolute() and path.parent.is_dir() else None


def _full_lists(book: xw.Book, result: Result, changes: InputChanges | None = None) -> None:
    """Beside a saved workbook, the complete list of flags when the Issues sheet groups some,
    and of changed cells when the Changes sheet cannot list them all."""
    path = _book_path(book)
    if path is not None:
        write_full_lists(path, result, changes)


def make_forms(book: xw.Book) -> None:
    """A self-assessment form per unit, from the saved file, into the forms folder beside it."""
    from emutools.headless import check_file
    from emutools.io.forms import RETURNED_FOLDER, write_forms

    path = _saved_path(book)
    result = check_file(path)
    report = write_forms(path, result)
    lang = result.inputs.lang
    forms = counted(len(report.written) + len(report.unchanged), "noun.form", lang)
    book.app.alert(say("excel.forms_written", lang, forms=forms, folder=report.folder,
                       returned=RETURNED_FOLDER[known(lang)]), title=TITLE)


def collect_forms(book: xw.Book) -> None:
    """The forms in the Returned folder into the open book's self-assessment and evidence
    sheets (one read and one write per sheet, however many cells), then its Progress sheet;
    an alert lists problems."""
    from emutools.core.forms import apply_writes, collect
    from emutools.io.forms import read_form, returned_folder, returned_forms
    from emutools.io.progress import progress_sheet

    path = _saved_path(book)
    raw = read_book(book)
    result = run_core(raw)
    folder = returned_folder(path, result)
    files = returned_forms(folder)
    collection = collect(raw, result, [read_form(p) for p in files])
    for sheet, cells in collection.writes.items():
        _write_cells(book.sheets[sheet], cells)
    after = run_core(apply_writes(raw, collection.writes)) if collection.writes else result
    ExcelRenderer(book).render_all([progress_sheet(path, raw, after, collection)])
    lang = result.inputs.lang
    lines = [collection.summary(len(files), lang)]
    lines += [f"{i.sheet}{'!' + i.cell if i.cell else ''}: {i.message(lang)}" for i in collection.issues[:SHOWN_FLAGS]]
    more = len(collection.issues) - SHOWN_FLAGS
    if more > 0:
        lines.append(say("excel.collect_more", lang, more=more))
    book.app.alert("\n".join(lines), title=TITLE)


def _write_cells(xl: xw.Sheet, cells: dict[str, object]) -> None:
    """Cells of one sheet (``"E6"`` -> value) in two range calls: the block they span is read,
    the values put in, and the block written back.  The cells between keep their values
    (the input grids hold typed values, not formulas); text goes in as text (a leading
    apostrophe), so "8,5" stays the text the unit typed, as the headless collect keeps it."""
    places = {ref: row_col(ref) for ref in cells}
    top, left = min(r for r, _ in places.values()), min(c for _, c in places.values())
    bottom, right = max(r for r, _ in places.values()), max(c for _, c in places.values())
    block = xl.range((top, left), (bottom, right))
    values = [[_as_typed(v) for v in row] for row in block.options(ndim=2).value]
    for ref, (row, col) in places.items():
        values[row - top][col - left] = _as_typed(cells[ref])
    block.value = values


def _as_typed(value: object) -> object:
    """Text with the apostrophe that keeps Excel from reading "8,5", "1/2" or "=x" as a number,
    date or formula; anything else as it is."""
    return "'" + value if isinstance(value, str) and value else value


def _saved_path(book: xw.Book) -> Path:
    """The workbook's file; one that was never saved (or lives in the browser) has none."""
    from emutools.documents import DocumentError

    path = _book_path(book)
    if path is None:
        raise DocumentError.said("excel.save_first")
    return path


# --- writing ----------------------------------------------------------------------------


class ExcelRenderer(SheetRenderer):
    """Output sheets into the open book, through xlwings: the Excel back end of
    :class:`~emutools.io.sheetdata.SheetRenderer` (the package writer is the headless one).

    A constant number of range calls per sheet: the data goes in as one 2-D block, links as
    HYPERLINK formulas inside that block, number formats per run of equal columns.
    """

    def __init__(self, book: xw.Book):
        self.book = book

    def render(self, sheet: OutputSheet | GridSheet) -> None:
        """One result sheet: title block, table block, formats, table object, charts."""
        if isinstance(sheet, GridSheet):
            _render_grid(_sheet(self.book, sheet.name)[0], sheet)
            return
        xl, added = _sheet(self.book, sheet.name)
        top = sheet.HEADER_ROW
        width = len(sheet.header)
        old_last = xl.used_range.last_cell
        if old_last.row > top:
            xl.range((top + 1, 1), (old_last.row, max(old_last.column, width))).clear_contents()
        xl.range((1, 1)).value = [[sheet.title], [sheet.subtitle]]
        block = [sheet.header, *(_row(sheet, k, row) for k, row in enumerate(sheet.rows))]
        if len(block) == 1:
            block.append([None] * width)
        target = xl.range((top, 1), (sheet.last_row, width))
        target.value = block
        for first, last, fmt in _format_runs(sheet.number_formats):
            xl.range((sheet.FIRST_DATA_ROW, first + 1), (sheet.last_row, last + 1)).number_format = fmt
        for col in sorted(sheet.secondary):
            xl.range((sheet.FIRST_DATA_ROW, col + 1), (sheet.last_row, col + 1)).font.color = \
                "#" + SECONDARY_COLOR
        _table(xl, sheet, target)
        for k, spec in enumerate(sheet.charts):
            _chart(xl, sheet, spec, CHART_NAME if k == 0 else f"{CHART_NAME}{k + 1}")
        if sheet.hidden and added:  # xlwings knows hidden only; one made very hidden stays so
            xl.visible = False

    def finish(self) -> None:
        """Nothing left to do: each sheet is in the book as soon as it is rendered."""


def _render_grid(xl: xw.Sheet, s: GridSheet) -> None:
    """An input grid in a number of range calls that does not grow with the units: one clear,
    one block of values, one block of fill colours, a number format per lead column and one
    for the unit block, a width per run of equal columns, the frozen panes, one call per
    validated row run, one highlight, the ballot's table; then, in Windows Excel, its page
    setup (:func:`set_page_print`, no range call).  Excel's own validation style (stop)
    applies: xlwings sets no warning style."""
    rows, cols = s.last_row, s.last_col
    values: list[list[object]] = [[None] * cols for _ in range(rows)]
    colors: list[list[object]] = [[None] * cols for _ in range(rows)]
    for row in s.rows:
        for col, value, (look, _) in row.cells:
            values[row.number - 1][col - 1] = ("'" + value) if isinstance(value, str) and \
                value.startswith(FORMULA_STARTS) else value
            colors[row.number - 1][col - 1] = "#" + GRID_LOOKS[look].fill if GRID_LOOKS[look].fill else None
    xl.clear()  # the old layout's values, formats, validation and highlight
    whole = xl.range((1, 1), (rows, cols))
    whole.value = values
    whole.set_colors(colors)
    for first, last, fmt in _format_runs(_column_formats(s)):
        xl.range((4, first + 1), (rows, last + 1)).number_format = fmt
    for first, last, width in _width_runs(s.widths):
        xl.range((1, first + 1), (1, last + 1)).column_width = width
    for row in s.rows[:4]:
        if row.height:
            xl.range((row.number, 1)).row_height = row.height
    xl.freeze_panes.freeze_at(s.freeze)
    for rule in s.rules:
        for area in rule.ranges:
            target = xl.range(area).data_validation
            if rule.kind == "list":
                target.set_list(list(rule.choices))
            else:
                operator = {"between": "between", "greaterThan": "greater_than"}.get(
                    rule.operator, "greater_than_or_equal")
                target.set_decimal(operator, rule.minimum, _own_row(rule.maximum, rule.ranges[0], area))
    for area in s.highlight:
        xl.range(area).conditional_formats.add_custom(
            "=" + flag_formula(s.name), fill_color="#" + FLAG_FILL, font_color="#" + FLAG_FONT)
    if s.table is not None:
        tables = {t.name: t for t in xl.tables}
        target = xl.range(s.table.ref)
        if s.table.name in tables:
            tables[s.table.name].resize(target)
        elif not tables:
            xl.tables.add(source=target, name=s.table.name)
    if xl.book.app.engine.type == "desktop" and sys.platform == "win32":
        set_page_print(xl.page_setup.api, xl.book.app.api, s)


def set_page_print(setup, app, s: GridSheet) -> None:
    """The grid's printing, as the package writer writes it (:mod:`emutools.io.printing`):
    A4 landscape, one page wide or 75 % over then down, its criterion columns and header
    rows repeated on every page.  Windows Excel's PageSetup object (``setup``), a fixed
    number of property calls, none on a range; printer talk suspended meanwhile, as each
    PageSetup call otherwise waits for the printer driver.

    Only desktop Excel on Windows is reached.  xlwings' remote engine (Office Scripts,
    Office.js, xlwings Lite) exposes no page setup but the print area, so there a grid keeps
    the page setup it had (the template's; a new scores sheet, Excel's default) — printing a
    wide grid legibly there is the secretary's File › Print › Scaling.  Excel on macOS
    (AppleScript) is not handled yet."""
    page = page_print(s.widths, INPUT_MARGIN_IN)
    app.PrintCommunication = False
    try:
        setup.Orientation = PageOrientation.xlLandscape
        setup.PaperSize = PaperSize.xlPaperA4
        setup.PrintTitleRows = f"${s.print_rows[0]}:${s.print_rows[1]}"
        setup.PrintTitleColumns = f"${s.print_cols[0]}:${s.print_cols[1]}" if s.print_cols else ""
        if page.fits_width:
            setup.Zoom = False
            setup.FitToPagesWide, setup.FitToPagesTall = 1, False
        else:
            setup.Zoom = page.scale
            setup.Order = Order.xlOverThenDown
    finally:
        app.PrintCommunication = True


def _own_row(maximum: str | None, first: str, area: str) -> str | None:
    """``$C6`` is relative to the rule's first range; set on another row's range, the row moves."""
    if maximum is None:
        return None
    col = maximum.rstrip("0123456789")
    shift = _row_of(area) - _row_of(first)
    return f"={col}{int(maximum[len(col):]) + shift}"


def _row_of(area: str) -> int:
    return int("".join(ch for ch in area.split(":")[0] if ch.isdigit()))


def _column_formats(s: GridSheet) -> list[str]:
    """One number format per column, from the data rows (the unit block takes "General": a
    score shows as typed)."""
    formats = ["General"] * s.last_col
    for row in s.rows[4:]:
        for col, _, (look, fmt) in row.cells:
            if look in ("info", "heading") and fmt != "General":
                formats[col - 1] = fmt
            elif look == "text_input":
                formats[col - 1] = "@"
    return formats


def _width_runs(widths: tuple[float, ...]) -> list[tuple[int, int, float]]:
    runs: list[tuple[int, int, float]] = []
    for k, width in enumerate(widths):
        if runs and runs[-1][2] == width:
            runs[-1] = (runs[-1][0], k, width)
        else:
            runs.append((k, k, width))
    return runs


def _sheet(book: xw.Book, name: str) -> tuple[xw.Sheet, bool]:
    """The sheet named ``name``, added after the last one if missing (and whether it was)."""
    existing = {s.name.casefold(): s for s in book.sheets}
    if name.casefold() in existing:
        return existing[name.casefold()], False
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1]), True


def _row(out: OutputSheet, k: int, row: list[object]) -> list[object]:
    """Values for Excel: text that looks like a formula stays text; links become HYPERLINK."""
    cells = [("'" + v) if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in row]
    for link_row, col, location in out.links:
        if link_row == k:
            label = str(row[col]).replace('"', '""')
            cells[col] = f'=HYPERLINK("#{location.replace(chr(34), chr(34) * 2)}","{label}")'
    return cells


def _format_runs(formats: list[str]) -> list[tuple[int, int, str]]:
    """Contiguous columns sharing a number format, so each run is one call."""
    runs: list[tuple[int, int, str]] = []
    for k, fmt in enumerate(formats):
        if fmt == "General":
            continue
        if runs and runs[-1][2] == fmt and runs[-1][1] == k - 1:
            runs[-1] = (runs[-1][0], k, fmt)
        else:
            runs.append((k, k, fmt))
    return runs


def _table(sheet: xw.Sheet, out: OutputSheet, target: xw.Range) -> None:
    tables = {t.name: t for t in sheet.tables}
    if out.table_name in tables:
        tables[out.table_name].resize(target)
    elif not tables:
        sheet.tables.add(source=target, name=out.table_name)


CHART_NAME = "emuTotals"


def _chart(sheet: xw.Sheet, out: OutputSheet, spec: BarChart, name: str) -> None:
    """A bar chart of one column against the unit names.  Neighbouring columns feed it as one
    range; otherwise the values feed it and the names become its axis labels (xlwings 0.37+
    has ``set_x_axis_values``; an older one leaves that chart out rather than plot columns
    nobody asked for)."""
    top, bottom = out.HEADER_ROW, out.last_row
    adjacent = abs(spec.category_col - spec.value_col) == 1
    existing = next((c for c in sheet.charts if c.name == name), None)
    if not adjacent and not hasattr(xw.Chart, "set_x_axis_values"):
        return
    if adjacent:
        first, last = sorted((spec.category_col, spec.value_col))
        source = sheet.range((top, first + 1), (bottom, last + 1))
    else:
        source = sheet.range((top, spec.value_col + 1), (bottom, spec.value_col + 1))
    chart = existing
    if chart is None:
        anchor = sheet.range((spec.anchor_row + 1, spec.anchor_col + 1))
        chart = sheet.charts.add(0, 0, 480, 14 * spec.height_rows, chart_type="bar_clustered",
                                 name=name, anchor=anchor)
    chart.set_source_data(source)
    if not adjacent:
        chart.set_x_axis_values(sheet.range((out.FIRST_DATA_ROW, spec.category_col + 1),
                                            (bottom, spec.category_col + 1)))


def _status(book: xw.Book, result: Result, ranked: bool) -> None:
    """A short line in the status bar (classic Excel); Lite shows it in its output pane."""
    lang = result.inputs.lang
    n_units = int(result.ranking["rank"].notna().sum()) if len(result.ranking) else 0
    n_err, n_warn = len(result.errors), len(result.warnings)
    flags = {"errors": counted(n_err, "noun.error", lang), "warnings": counted(n_warn, "noun.warning", lang)}
    text = (say("excel.status_ranked", lang, units=counted(n_units, "noun.unit", lang), **flags) if ranked
            else say("excel.status_checked", lang, **flags))
    try:
        book.app.status_bar = text
    except (NotImplementedError, AttributeError, xw.XlwingsError):
        print(text)


# --- the guard every entry point goes through ------------------------------------------


def guarded(action: Callable[[xw.Book], object], book: xw.Book) -> None:
    """Run an entry point; any failure becomes one alert in the workbook's language."""
    try:
        action(book)
    except UserError as exc:
        _alert(book, exc)
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback dialog
        _alert(book, UserError.said("excel.failed", error=f"{type(exc).__name__}: {exc}"))


def _alert(book: xw.Book, error: UserError) -> None:
    lang = C.detect_language([s.name for s in book.sheets])
    book.app.alert(error.message(lang), title=TITLE)


# Classic RunPython (buttons, ribbon): `RunPython "import emutools.excel as x; x.run_recalculate()"`.
def run_recalculate() -> None:
    guarded(recalculate, xw.Book.caller())


def run_check() -> None:
    guarded(check, xw.Book.caller())


def run_layout() -> None:
    guarded(layout, xw.Book.caller())


def run_make_documents() -> None:
    guarded(make_documents, xw.Book.caller())


def run_new_period() -> None:
    guarded(new_period, xw.Book.caller())


def run_make_forms() -> None:
    guarded(make_forms, xw.Book.caller())


def run_collect_forms() -> None:
    guarded(collect_forms, xw.Book.caller())


# xlwings Lite / Server scripts: the same implementation, the book is passed in.
@xw.script
def xep_hang_lai(book: xw.Book) -> None:
    """Xếp hạng lại / Recalculate."""
    guarded(recalculate, book)


@xw.script
def kiem_tra(book: xw.Book) -> None:
    """Kiểm tra số liệu / Check inputs."""
    guarded(check, book)


@xw.script
def cap_nhat_bo_cuc(book: xw.Book) -> None:
    """Cập nhật bố cục / Update layout."""
    guarded(layout, book)


@xw.script
def tao_van_ban(book: xw.Book) -> None:
    """Tạo văn bản / Make documents."""
    guarded(make_documents, book)


@xw.script
def ky_moi(book: xw.Book) -> None:
    """Bắt đầu kỳ mới / Start the next period."""
    guarded(new_period, book)


@xw.script
def tao_phieu(book: xw.Book) -> None:
    """Tạo phiếu tự chấm / Make the self-assessment forms."""
    guarded(make_forms, book)


@xw.script
def thu_phieu(book: xw.Book) -> None:
    """Thu phiếu tự chấm / Collect the returned forms."""
    guarded(collect_forms, book)


__all__ = ["recalculate", "check", "layout", "make_documents", "new_period", "run_recalculate", "run_check",
           "run_layout", "run_make_documents", "run_new_period", "make_forms", "collect_forms", "run_make_forms",
           "run_collect_forms", "xep_hang_lai", "kiem_tra", "cap_nhat_bo_cuc", "tao_van_ban", "ky_moi", "tao_phieu",
           "thu_phieu"]
