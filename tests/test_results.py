"""The Ranking and Issues sheets as laid out for writing (the same for file and Excel)."""

from __future__ import annotations

import datetime as dt

from emutools.core.engine import recalculate
from emutools.core.history import input_hash
from emutools.io.results import history_sheet, issues_sheet, output_sheets, ranking_sheet
from emutools.io.tables import build_raw_book
from tests.cluster import sheets


def result():
    data = sheets()
    return recalculate(build_raw_book(list(data), lambda n: data[n]))


def test_ranking_sheet_rows_in_rank_order_with_group_columns():
    sheet = ranking_sheet(result(), "vi")
    assert sheet.name == "Xếp hạng" and sheet.table_name == "tblXepHang"
    assert sheet.header[:6] == ["Hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Nhóm 1. Nhiệm vụ",
                                "Nhóm 2. Phong trào"]
    assert [row[:4] for row in sheet.rows] == [
        [1, "A", "Sở An", 27.5], [2, "B", "Sở Bình", 26], [3, "C", "Sở Cường", 26],
        [3, "D", "Sở Dũng", 26], [5, "E", "Sở Em", 19]]
    award = sheet.header.index("Đề nghị khen thưởng")
    assert [row[award] for row in sheet.rows] == [
        None, "Cờ thi đua cấp tỉnh", "Cờ thi đua cấp tỉnh", "Cờ thi đua cấp tỉnh", "Bằng khen"]
    eligible = sheet.header.index("Đủ điều kiện khen thưởng")
    assert [row[eligible] for row in sheet.rows] == ["Không", "Có", "Có", "Có", "Có"]
    assert len(sheet.charts) == 1 and sheet.header[sheet.charts[0].value_col] == "Tổng điểm"


def test_english_ranking_sheet():
    sheet = ranking_sheet(result(), "en")
    assert sheet.name == "Ranking" and sheet.header[:4] == ["Rank", "Unit code", "Unit name", "Total"]


def test_issues_sheet_links_each_flag_to_its_cell_and_keys_the_highlight():
    sheet = issues_sheet(result(), "vi")
    assert sheet.header[0] == "Mức độ" and sheet.header[-1] == "Ô cần sửa"
    first = sheet.rows[0]
    assert first[:3] == ["Lỗi", "Tự chấm", "D6"] and first[-1] == "Tự chấm!D6"
    assert (0, 2, "'Tự chấm'!D6") in sheet.links
    assert len(sheet.rows) == 9 and len(sheet.links) == 9
    assert sheet.subtitle.startswith("1 lỗi, 6 cảnh báo")


def test_output_sheets_keep_the_names_the_workbook_uses():
    data = sheets()
    data["xếp hạng"] = data.pop("Xếp hạng")
    raw = build_raw_book(list(data), lambda n: data[n])
    names = [s.name for s in output_sheets(recalculate(raw), raw, dt.datetime(2025, 12, 18, 9))]
    assert names == ["xếp hạng", "Kiểm tra", "Công bằng", "Lịch sử", "Thay đổi", "Ảnh chụp số liệu"]


def test_history_appends_one_row_and_identical_inputs_have_one_fingerprint():
    data = sheets()
    raw = build_raw_book(list(data), lambda n: data[n])
    when = dt.datetime(2025, 12, 18, 9, 30)
    first = history_sheet(recalculate(raw), raw, when, "vi")
    assert len(first.rows) == 1
    row = dict(zip(["when", "hash", "rules", "leader", "top3", "errors", "warnings"], first.rows[0],
                   strict=True))
    assert row["when"] == when and row["leader"] == "B" and row["top3"] == "A, B, C"
    assert (row["errors"], row["warnings"]) == (1, 6)
    # the written sheet is read back as history: the next recalculation adds a row
    data["Lịch sử"] = [["LỊCH SỬ"], [], [], first.header, *first.rows]
    raw2 = build_raw_book(list(data), lambda n: data[n])
    second = history_sheet(recalculate(raw2), raw2, when, "vi")
    assert len(second.rows) == 2 and second.rows[1][1] == row["hash"]
    data["Tự chấm"][5][3] = 10  # one input changes, the fingerprint too
    raw3 = build_raw_book(list(data), lambda n: data[n])
    assert input_hash(raw3) != row["hash"]


def test_fingerprint_tells_text_from_numbers_and_ignores_output_sheets():
    def fingerprint(change) -> str:
        data = sheets()
        change(data)
        return input_hash(build_raw_book(list(data), lambda n: data[n]))

    base = fingerprint(lambda d: None)
    assert fingerprint(lambda d: None) == base
    assert fingerprint(lambda d: d["Tự chấm"][5].__setitem__(3, str(d["Tự chấm"][5][3]))) != base
    unit_a = lambda d: next(r for r in d["Đơn vị"] if r and r[0] == "A")  # noqa: E731
    assert fingerprint(lambda d: unit_a(d).__setitem__(1, "Sở An Giang")) != base
    assert fingerprint(lambda d: d["Xếp hạng"].append(["anything"])) == base


def test_english_history_sheet_avoids_the_name_excel_reserves_and_old_books_keep_theirs(tmp_path):
    """Excel refuses a sheet named "History"; English books made before 0.3 have one, and a
    recalculation keeps writing there (one more row) rather than adding "Run history"."""
    import openpyxl

    from emutools.headless import rank_file
    from emutools.io.template import build_workbook
    from emutools.sample import demo_content

    path = tmp_path / "old.xlsx"
    build_workbook(path, demo_content("en"))
    book = openpyxl.load_workbook(path)
    assert "Run history" in book.sheetnames and "History" not in book.sheetnames
    book["Run history"].title = "History"
    book.save(path)
    rank_file(path, backup=False)
    rank_file(path, backup=False)
    book = openpyxl.load_workbook(path, read_only=True)
    assert "History" in book.sheetnames and "Run history" not in book.sheetnames
    rows = [r for r in book["History"].iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert len(rows) == 2


def test_result_sheets_print_legibly_with_whole_charts_and_a_quiet_second_language(tmp_path):
    """Issue 17 items 10–11 on the demo: the wide Ranking and Issues tables print at 75 % across
    pages (fit-to-width would shrink 11 pt text below 8 pt), the narrow Fairness and History
    fit one page width; a page break sits above each chart; the totals axis ends at the
    criteria's maximum (100) with whole ticks; the Issues sheet's English message and check
    code come after the Vietnamese, narrower, in small grey type."""
    import re
    import zipfile

    import openpyxl

    from emutools.headless import rank_file
    from emutools.io.template import build_workbook
    from emutools.sample import demo_content

    path = tmp_path / "demo.xlsx"
    build_workbook(path, demo_content("vi"))
    rank_file(path, backup=False)
    book = openpyxl.load_workbook(path)
    names = {ws.title: f"xl/worksheets/sheet{k}.xml" for k, ws in enumerate(book.worksheets, 1)}
    with zipfile.ZipFile(path) as z:
        part = {title: z.read(name).decode() for title, name in names.items()}
        chart = z.read("xl/charts/chart1.xml").decode()
    for wide in ("Xếp hạng", "Kiểm tra"):
        assert 'scale="75"' in part[wide] and "fitToPage" not in part[wide]
    for narrow in ("Công bằng", "Lịch sử"):
        assert 'fitToWidth="1"' in part[narrow] and 'fitToPage="1"' in part[narrow]
    fairness = book["Công bằng"]
    anchors = sorted(c.anchor._from.row for c in fairness._charts)
    assert re.findall(r'<brk id="(\d+)"', part["Công bằng"]) == [str(a) for a in anchors]
    assert '<c:max val="100"/>' in chart and '<c:majorUnit val="10"/>' in chart
    assert '<c:numFmt formatCode="0" sourceLinked="0"/>' in chart
    issues = book["Kiểm tra"]
    header = [c.value for c in issues[4]]
    vi, en, code = (header.index(h) + 1 for h in ("Nội dung", "Message (English)", "Mã kiểm tra"))
    assert vi < en < code
    widths = {k: issues.column_dimensions[openpyxl.utils.get_column_letter(k)].width for k in (vi, en, code)}
    assert widths[en] < widths[vi] and widths[code] <= 12
    assert issues.cell(5, en).font.color.rgb == "FF7F7F7F" and issues.cell(5, en).font.sz == 9
    assert issues.cell(5, vi).font.color is None or issues.cell(5, vi).font.color.rgb != "FF7F7F7F"


def test_every_result_sheet_title_reads_heading_cluster_period():
    data = sheets()
    raw = build_raw_book(list(data), lambda n: data[n])
    titles = [s.title for s in output_sheets(recalculate(raw), raw, dt.datetime(2025, 12, 18, 9))]
    assert titles == [
        "KẾT QUẢ XẾP HẠNG – Cụm thi đua thử nghiệm – NĂM 2025",
        "KIỂM TRA SỐ LIỆU – Cụm thi đua thử nghiệm – NĂM 2025",
        "CÔNG BẰNG, ỔN ĐỊNH CỦA KẾT QUẢ – Cụm thi đua thử nghiệm – NĂM 2025",
        "LỊCH SỬ TÍNH ĐIỂM – Cụm thi đua thử nghiệm – NĂM 2025",
        "THAY ĐỔI SỐ LIỆU SO VỚI LẦN TÍNH TRƯỚC – Cụm thi đua thử nghiệm – NĂM 2025",
        "ẢNH CHỤP SỐ LIỆU ĐẦU VÀO CỦA LẦN TÍNH GẦN NHẤT"]  # the very hidden snapshot: no reader, no cluster


def test_a_midyear_english_title_ends_with_the_half_year():
    data = sheets()
    data["Cài đặt"] = [[*row[:1], "midyear", *row[2:]] if row[:1] == ["Kỳ đánh giá"] else row
                       for row in data["Cài đặt"]]
    raw = build_raw_book(list(data), lambda n: data[n])
    assert ranking_sheet(recalculate(raw), "en").title == "RANKING – Cụm thi đua thử nghiệm – FIRST HALF OF 2025"
