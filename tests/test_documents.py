"""Documents sent upward: content read back with python-docx, templates, safety of files and templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest

from emutools.core.model import Settings
from emutools.core.rotation import next_officers
from emutools.documents import DocumentError, make_documents, unit_letters
from emutools.documents import render as R
from emutools.documents.context import change_on_previous, person
from emutools.documents.files import find_soffice, safe_name
from emutools.documents.make_templates import build_all
from emutools.headless import check_file
from emutools.io.template import build_workbook
from emutools.sample import demo_content
from emutools.texts import long_date
from tests.cluster import sheets, signable_demo, write_xlsx

TEMPLATES = Path(R.__file__).resolve().parents[1] / "templates"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo cluster (vi), recalculated once; tests write documents beside their own path."""
    path = tmp_path_factory.mktemp("vi") / "cum.xlsx"
    build_workbook(path, signable_demo("vi"))
    return check_file(path)


@pytest.fixture(scope="module")
def demo_en(tmp_path_factory):
    path = tmp_path_factory.mktemp("en") / "cluster.xlsx"
    build_workbook(path, signable_demo("en"))
    return check_file(path)


def texts(path: Path) -> list[str]:
    """Every paragraph of the document, body and table cells, in order."""
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return out


def rows(path: Path, header: str) -> list[list[str]]:
    """The data rows of the first table whose header row starts with ``header``."""
    document = docx.Document(str(path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == header)
    return [[c.text for c in r.cells] for r in table.rows[1:]]


def all_rows(path: Path, header: str) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[c.text for c in r.cells] for r in t.rows[1:]] for t in document.tables
            if t.rows[0].cells[0].text == header]


# --- templates ---------------------------------------------------------------------------


def test_shipped_templates_are_what_the_script_makes():
    built = build_all()
    assert sorted(built) == sorted(p.name for p in TEMPLATES.glob("*.docx"))
    for name, data in built.items():
        with zipfile.ZipFile(io.BytesIO(data)) as new, zipfile.ZipFile(TEMPLATES / name) as old:
            assert new.namelist() == old.namelist(), name
            for part in new.namelist():
                assert new.read(part) == old.read(part), f"{name}: {part} differs; run make_templates"


# --- content -----------------------------------------------------------------------------


def test_documents_are_written_beside_the_workbook(demo, tmp_path):
    report = make_documents(demo, tmp_path / "cum.xlsx")
    folder = tmp_path / "Văn bản" / "2025"
    assert report.folder == folder
    assert sorted(p.name for p in report.written) == sorted([
        "Báo cáo tổng kết.docx", "Biên bản họp bình xét.docx", "Danh sách đề nghị khen thưởng.docx",
        "Tờ trình - Bằng khen của Chủ tịch UBND tỉnh.docx", "Tờ trình - Cờ thi đua của Chính phủ.docx",
        "Tờ trình - Cờ thi đua của UBND tỉnh.docx", "Tờ trình - Tập thể lao động xuất sắc.docx"])
    assert all(p.parent == folder and p.exists() for p in report.written)


def test_proposal_letter(demo, tmp_path):
    make_documents(demo, tmp_path / "cum.xlsx")
    letter = tmp_path / "Văn bản" / "2025" / "Tờ trình - Tập thể lao động xuất sắc.docx"
    lines = texts(letter)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines and "Độc lập - Tự do - Hạnh phúc" in lines
    assert "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH THANH HÓA" in lines
    assert "CỤM THI ĐUA SỐ 3 – CÁC SỞ, NGÀNH KHỐI KINH TẾ" in lines
    assert "Số:        /TTr-CTĐ" in lines
    assert "Thanh Hóa, ngày 18 tháng 12 năm 2025" in lines
    assert "Về việc đề nghị công nhận danh hiệu Tập thể lao động xuất sắc năm 2025" in lines
    # the Law cited once; the award's rule named in the body, not its raw settings text
    assert [t for t in lines if t.startswith("Căn cứ Luật")] == ["Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;"]
    assert not any("tối đa 30 %" in t for t in lines if t.startswith("Căn cứ"))
    assert any(t.endswith("xem xét, công nhận danh hiệu Tập thể lao động xuất sắc năm 2025 cho 2 đơn vị sau "
                          "(theo quy chế hoạt động của cụm, khối thi đua):") for t in lines), lines
    # the proposed units in rank order, with totals at the scoring precision
    assert rows(letter, "STT") == [["1", "Sở Khoa học và Công nghệ", "89,00", "4", "Tốt"],
                                   ["2", "Ban Quản lý Khu kinh tế và các khu công nghiệp", "85,70", "6", "Tốt"]]
    assert any("Đạt 87,5 % (7/8)" in t for t in lines)  # the vote behind the proposal
    assert "Nơi nhận:" in lines and "TRƯỞNG CỤM" in lines and "Nguyễn Văn Hùng" in lines


def test_proposal_letter_styles_follow_decree_30(demo, tmp_path):
    make_documents(demo, tmp_path / "cum.xlsx")
    document = docx.Document(str(tmp_path / "Văn bản" / "2025" / "Tờ trình - Cờ thi đua của Chính phủ.docx"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    runs = {r.text: r for t in document.tables for row in t.rows for c in row.cells
            for p in c.paragraphs for r in p.runs}
    assert runs["Thanh Hóa, ngày 18 tháng 12 năm 2025"].italic
    assert runs["Nơi nhận:"].bold and runs["Nơi nhận:"].italic
    assert runs["Nguyễn Văn Hùng"].bold
    title = next(p for p in document.paragraphs if p.text == "TỜ TRÌNH")
    assert title.runs[0].bold and title.alignment == 1  # centred
    assert section.different_first_page_header_footer  # page numbers from page 2


def test_minutes(demo, tmp_path):
    make_documents(demo, tmp_path / "cum.xlsx")
    minutes = tmp_path / "Văn bản" / "2025" / "Biên bản họp bình xét.docx"
    lines = texts(minutes)
    assert "Số:        /BB-CTĐ" in lines and "Thanh Hóa, ngày 18 tháng 12 năm 2025" in lines
    assert any(t.startswith("Hôm nay, ngày 18 tháng 12 năm 2025, tại Hội trường tầng 3") for t in lines)
    assert "- Chủ trì: Ông Nguyễn Văn Hùng, Giám đốc Sở Tài chính, Trưởng cụm." in lines
    assert "9. Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch" in lines
    ranking = rows(minutes, "Hạng")
    assert [r[1] for r in ranking] == list(demo.ranking["name"])
    assert ranking[0] == ["1", "Sở Công Thương", "97,10", "Xuất sắc", ""]
    assert ranking[2] == ["3", "Sở Tài chính", "93,80", "Xuất sắc", "Cờ thi đua của Chính phủ"]
    ballot = rows(minutes, "STT")
    assert ballot[0] == ["1", "Sở Tài chính", "Cờ thi đua của Chính phủ", "8", "0", "0", "100 %", "Đạt"]
    assert ballot[-1][1] == "Sở Du lịch" and ballot[-1][-2:] == ["62,5 %", "Đạt"]
    assert "Chưa có kết quả bỏ phiếu." not in lines
    assert any("Sở Xây dựng (đề xuất, theo thứ tự luân phiên)" in t for t in lines)  # next leader
    assert {"THƯ KÝ", "CHỦ TRÌ", "Lê Thị Thu Hà", "Nguyễn Văn Hùng"} <= set(lines)


def test_minutes_without_a_vote_say_so_and_leave_next_officers_to_fill(demo, tmp_path):
    result = dataclasses.replace(demo, tallies={}, next_officers=next_officers(Settings()))  # no ballot, no rotation
    make_documents(result, tmp_path / "cum.xlsx")
    lines = texts(tmp_path / "Văn bản" / "2025" / "Biên bản họp bình xét.docx")
    assert "Chưa có kết quả bỏ phiếu." in lines
    assert any("năm 2026: ………………………… (đề xuất)" in t for t in lines)


def test_list_of_proposed_units_has_a_table_per_award(demo, tmp_path):
    make_documents(demo, tmp_path / "cum.xlsx")
    path = tmp_path / "Văn bản" / "2025" / "Danh sách đề nghị khen thưởng.docx"
    lines = texts(path)
    assert "1. Cờ thi đua của Chính phủ (1 đơn vị)" in lines
    assert "4. Tập thể lao động xuất sắc (2 đơn vị)" in lines
    assert all_rows(path, "STT") == [
        [["1", "Sở Tài chính", "93,80", "3", "Xuất sắc"]],
        [["1", "Sở Xây dựng", "95,90", "2", "Xuất sắc"]],
        [["1", "Sở Nông nghiệp và Môi trường", "87,60", "5", "Tốt"]],
        [["1", "Sở Khoa học và Công nghệ", "89,00", "4", "Tốt"],
         ["2", "Ban Quản lý Khu kinh tế và các khu công nghiệp", "85,70", "6", "Tốt"]]]


def test_summary_report(demo, tmp_path):
    make_documents(demo, tmp_path / "cum.xlsx")
    path = tmp_path / "Văn bản" / "2025" / "Báo cáo tổng kết.docx"
    lines = texts(path)
    assert any(t.startswith("Tổng điểm cao nhất 97,10 (Sở Công Thương), thấp nhất 64,90") for t in lines)
    assert ("So với kỳ trước: 4 đơn vị tăng điểm, 5 đơn vị giảm điểm; tăng nhiều nhất: Sở Công Thương "
            "(+1,90 điểm); giảm nhiều nhất: Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch (-5,60 điểm).") in lines
    ranking = rows(path, "Hạng")
    assert len(ranking) == 9 and ranking[-1][:3] == ["9", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "64,90"]
    # what remains open, in words: no cell address anywhere in a report sent upward
    assert "Số liệu còn 10 cảnh báo chưa xử lý xong:" in lines  # no "0 lỗi"
    assert "- 3 đơn vị chưa đủ minh chứng cho 3 tiêu chí;" in lines
    assert "- 1 đơn vị chưa ký giao ước thi đua;" in lines
    assert not [t for t in lines if re.search(r"![A-Z]{1,3}[0-9]+", t)]
    assert len(docx.Document(str(path)).inline_shapes) == 1  # the chart of totals


def test_change_on_previous_needs_last_periods_totals(demo):
    from emutools.core.engine import recalculate
    from emutools.io.tables import build_raw_book
    from tests.cluster import sheets

    data = sheets()  # the hand-worked cluster keeps no previous period
    assert change_on_previous(recalculate(build_raw_book(list(data), lambda n: data[n])), "vi") is None
    change = change_on_previous(demo, "en")
    assert (change["up"], change["down"]) == (4, 5)
    assert change["worst"] == {"name": "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "points": "-5.60"}


def test_english_documents(demo_en, tmp_path):
    report = make_documents(demo_en, tmp_path / "cluster.xlsx")
    folder = tmp_path / "Documents" / "2025"
    assert report.folder == folder
    letter = folder / "Proposal - Government Emulation Flag.docx"
    lines = texts(letter)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in lines and "Thanh Hóa, 18 December 2025" in lines
    assert "No.:        /TTr-CTĐ" in lines
    assert rows(letter, "No.") == [["1", "Sở Tài chính", "93.80", "3", "Excellent"]]
    assert any(" the following 1 unit (Art. 25, " in t for t in lines)  # not "1 unit(s)"
    assert "Proposing to submit to the Prime Minister for the Government Emulation Flag, year 2025" in lines
    assert ("Against the previous period: 4 units gained points and 5 lost points; the largest gain: "
            "Sở Công Thương (+1.90); the largest loss: Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch "
            "(-5.60).") in texts(folder / "Summary report.docx")
    minutes = texts(folder / "Minutes of the evaluation meeting.docx")
    assert ("- 2 units tie at rank 6 (Ban Quản lý Khu kinh tế và các khu công nghiệp; Sở Du lịch) with 1 place of "
            "the Excellent Labour Collective left, so the meeting voted by secret ballot: Ban Quản lý Khu kinh tế và "
            "các khu công nghiệp 75% (6 of 8 votes); Sở Du lịch 62.5% (5 of 8 votes); Ban Quản lý Khu kinh tế và các "
            "khu công nghiệp proposed (a minimum share of 50% under the cluster's rules).") in minutes, minutes
    assert "MINUTES" in minutes and "CHAIR" in minutes and "Nguyễn Văn Hùng" in minutes
    assert (folder / "Summary report.docx").exists() and (folder / "List of proposed units.docx").exists()


def test_unit_letters_one_per_unit(demo, tmp_path):
    report = unit_letters(demo, tmp_path / "cum.xlsx")
    folder = tmp_path / "Văn bản" / "2025" / "Thông báo kết quả"
    assert len(report.written) == 9 and all(p.parent == folder for p in report.written)
    lines = texts(folder / "STC - Sở Tài chính.docx")
    assert "Kết quả chấm điểm, xếp hạng thi đua năm 2025 của Sở Tài chính" in lines and "Số:        /TB-CTĐ" in lines
    assert "- Sở Tài chính;" in lines  # Nơi nhận
    assert ["Tổng điểm", "93,80"] in [lines[k:k + 2] for k in range(len(lines))]
    assert ["Xếp hạng", "3/9"] in [lines[k:k + 2] for k in range(len(lines))]
    assert ["1", "Thực hiện nhiệm vụ chính trị được giao (40 điểm)"] in [lines[k:k + 2] for k in range(len(lines))]
    only = unit_letters(demo, tmp_path / "cum.xlsx", out_dir=tmp_path / "one", units=["SCT"])
    assert [p.name for p in only.written] == ["SCT - Sở Công Thương.docx"]


def test_dates_and_names_are_formatted_the_vietnamese_way():
    assert long_date(dt.date(2025, 2, 5), 2025, "vi") == "ngày 05 tháng 02 năm 2025"
    assert long_date(dt.date(2025, 3, 4), 2025, "vi") == "ngày 04 tháng 3 năm 2025"
    assert long_date(None, 2025, "vi") == "ngày … tháng … năm 2025"
    assert person("Bà Lê Thị Thu Hà, Chánh Văn phòng")["name"] == "Lê Thị Thu Hà"
    assert person("Mr Nguyễn Văn Hùng, Director")["name"] == "Nguyễn Văn Hùng"


# --- user templates ---------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["Mẫu văn bản", "templates"])
def test_user_edited_template_is_used(demo, tmp_path, folder):
    edited = docx.Document(str(TEMPLATES / "bien_ban.docx"))
    heading = next(p for p in edited.paragraphs if p.text == "BIÊN BẢN")
    heading.runs[0].text = "BIÊN BẢN HỌP CỤM (MẪU RIÊNG)"
    (tmp_path / folder).mkdir()
    edited.save(str(tmp_path / folder / "bien_ban.docx"))
    make_documents(demo, tmp_path / "cum.xlsx")
    lines = texts(tmp_path / "Văn bản" / "2025" / "Biên bản họp bình xét.docx")
    assert "BIÊN BẢN HỌP CỤM (MẪU RIÊNG)" in lines and "BIÊN BẢN" not in lines
    assert "Thanh Hóa, ngày 18 tháng 12 năm 2025" in lines  # still filled
    other = texts(tmp_path / "Văn bản" / "2025" / "Báo cáo tổng kết.docx")
    assert "BÁO CÁO" in other  # templates not copied come from the package


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{% for x in ranking %}",  # does not parse
])
def test_malicious_or_broken_template_is_refused_and_writes_nothing(demo, tmp_path, payload):
    template = docx.Document(str(TEMPLATES / "bao_cao.docx"))
    template.add_paragraph(payload)
    (tmp_path / "Mẫu văn bản").mkdir()
    template.save(str(tmp_path / "Mẫu văn bản" / "bao_cao.docx"))
    with pytest.raises(DocumentError) as refused:
        make_documents(demo, tmp_path / "cum.xlsx")
    assert "bao_cao.docx" in refused.value.message_vi and "bao_cao.docx" in refused.value.message_en
    assert not (tmp_path / "Văn bản").exists()


def test_template_that_is_not_a_word_file_is_refused(demo, tmp_path):
    (tmp_path / "Mẫu văn bản").mkdir()
    (tmp_path / "Mẫu văn bản" / "thong_bao.docx").write_text("not a document")
    with pytest.raises(DocumentError, match="thong_bao.docx"):
        unit_letters(demo, tmp_path / "cum.xlsx")


def test_template_cannot_change_what_other_documents_show(demo, tmp_path):
    template = docx.Document(str(TEMPLATES / "bien_ban.docx"))
    template.add_paragraph("{{ ranking.clear() }}")
    (tmp_path / "Mẫu văn bản").mkdir()
    template.save(str(tmp_path / "Mẫu văn bản" / "bien_ban.docx"))
    with pytest.raises(DocumentError, match="bien_ban.docx"):
        make_documents(demo, tmp_path / "cum.xlsx")


# --- files -------------------------------------------------------------------------------------


def test_file_names_are_safe_on_windows():
    assert safe_name("CON") == "_CON.docx"
    assert safe_name("com1.backup") == "_com1.backup.docx"
    assert safe_name('a<b>:c"d/e\\f|g?h*') == "a_b__c_d_e_f_g_h_.docx"
    assert safe_name("../../etc/passwd") == "_.._etc_passwd.docx"
    assert safe_name("name. . ") == "name.docx"
    assert safe_name("") == "_.docx"
    assert len(safe_name("x" * 500)) == 120


def test_per_unit_file_names_carry_no_bidi_or_invisible_characters(tmp_path):
    """A right-to-left override in a unit name would make "A - Sở <U+202E>xcod.docx" show as a
    different name (and extension) in Explorer: every invisible format character is dropped."""
    data = sheets()
    data["Đơn vị"][4][1] = "Sở \u202eAn\u202c\u200b\ufeff\u2066 Mới"
    path = tmp_path / "cum.xlsx"
    write_xlsx(path, data)
    report = unit_letters(check_file(path), path, out_dir=tmp_path / "out", units=["A"], draft=True)
    assert [p.name for p in report.written] == ["A - Sở An Mới.docx"]
    assert safe_name("x\u202egpj.exe") == "xgpj.exe.docx" and safe_name("a\x9bb") == "a_b.docx"


def test_hostile_names_cannot_leave_the_folder(demo, tmp_path):
    ranking = demo.ranking.copy()
    ranking.loc["STC", "name"] = "../../../evil\\name"
    ranking.loc["SXD", "name"] = "<w:p>A & B</w:p>\x07"
    hostile = {"SCT": "CON", "SDL": "/tmp/x", "TTXT": ".."}
    result = dataclasses.replace(demo, ranking=ranking.rename(index=hostile), changes=demo.changes.rename(hostile))
    report = unit_letters(result, tmp_path / "cum.xlsx")
    folder = tmp_path / "Văn bản" / "2025" / "Thông báo kết quả"
    assert len(report.written) == 9
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in report.written)
    assert {"STC - .._.._.._evil_name.docx", "CON - Sở Công Thương.docx", "_tmp_x - Sở Du lịch.docx",
            "- Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch.docx"} <= {p.name for p in report.written}
    # markup in a name is text, not XML: the document opens and shows it literally
    assert "Kết quả chấm điểm, xếp hạng thi đua năm 2025 của <w:p>A & B</w:p>" in \
        texts(folder / "SXD - _w_p_A & B__w_p__.docx")


def test_second_run_keeps_the_first_runs_files(demo, tmp_path):
    first = make_documents(demo, tmp_path / "cum.xlsx")
    again = make_documents(demo, tmp_path / "cum.xlsx")
    assert again.written == [] and sorted(again.unchanged) == sorted(first.written)  # nothing touched
    minutes = first.folder / "Biên bản họp bình xét.docx"
    edited = docx.Document(str(minutes))
    edited.add_paragraph("Ý kiến bổ sung của thư ký")
    edited.save(str(minutes))
    third = make_documents(demo, tmp_path / "cum.xlsx")
    [kept] = third.kept  # named with the time it was replaced, never "(1)", which reads as the newer copy
    assert re.fullmatch(r"Biên bản họp bình xét \(trước \d{4}-\d\d-\d\d \d\d-\d\d\)\.docx", kept.name), kept.name
    assert third.written == [minutes]
    assert "Ý kiến bổ sung của thư ký" in texts(kept)
    assert "Ý kiến bổ sung của thư ký" not in texts(minutes)


def test_same_workbook_gives_identical_files(demo, tmp_path):
    one = make_documents(demo, tmp_path / "a" / "cum.xlsx")
    two = make_documents(demo, tmp_path / "b" / "cum.xlsx")
    for a, b in zip(sorted(one.written), sorted(two.written), strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    props = docx.Document(str(one.written[0])).core_properties
    assert props.created == props.modified == dt.datetime(2025, 12, 18, tzinfo=dt.timezone.utc)


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_without_libreoffice_is_explained(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(R, "find_soffice", lambda: None)
    report = unit_letters(demo, tmp_path / "cum.xlsx", units=["STC"], pdf=True)
    assert report.pdfs == [] and len(report.written) == 1
    assert any("LibreOffice" in vi and "LibreOffice" in en for vi, en in report.notes)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_with_libreoffice(demo, tmp_path):
    report = unit_letters(demo, tmp_path / "cum.xlsx", units=["STC"], pdf=True)
    assert [p.name for p in report.pdfs] == ["STC - Sở Tài chính.pdf"], report.notes
    assert report.pdfs[0].read_bytes().startswith(b"%PDF")
    again = unit_letters(demo, tmp_path / "cum.xlsx", units=["STC"], pdf=True)
    assert again.pdfs == [] and "Các tệp PDF đã khớp với văn bản" in again.summary("vi"), again.summary("vi")


def test_a_template_reused_for_many_letters_gives_the_bytes_of_a_fresh_one(demo, tmp_path):
    """The template is opened from an uncompressed copy and shared parts are compressed once:
    the tenth letter is byte for byte what a template read just for it makes."""
    from emutools.documents import context as ctx
    from emutools.documents.template import Template

    base = ctx.base_context(demo, "vi")
    path = R.template_path("thong_bao", "vi", tmp_path / "cum.xlsx")
    when = R.document_time(demo)
    shared = Template(path)
    made = [shared.render(ctx.unit_context(demo, base, row), when) for row in base["ranking"]]
    assert len(set(made)) == len(base["ranking"])
    for row, data in zip(base["ranking"], made, strict=True):
        assert data == Template(path).render(ctx.unit_context(demo, base, row), when)
    with zipfile.ZipFile(io.BytesIO(made[-1])) as z:
        text = z.read("word/document.xml").decode()
    assert base["ranking"][-1]["name"] in text


# --- issue 17: documents a council would sign -------------------------------------------------


def _headers(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for s in document.sections for h in (s.header, s.first_page_header) for p in h.paragraphs]


def test_open_errors_refuse_every_document_unless_drafts_are_asked_for(tmp_path):
    """The demo counts TTXT's 6 on a 5-point criterion: nothing to sign is made from it."""
    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    result = check_file(path)
    for make in (make_documents, unit_letters):
        with pytest.raises(DocumentError) as info:
            make(result, path)
        assert "Bảng tính còn 1 lỗi nên chưa tạo văn bản" in info.value.message_vi
        assert "- Tự chấm!L18: Điểm 6 vượt điểm tối đa 5" in info.value.message_vi
        assert "--draft" in info.value.message_vi and "1 error" in info.value.message_en
    assert not (tmp_path / "Văn bản").exists()
    report = make_documents(result, path, draft=True)
    notices = unit_letters(result, path, draft=True)
    for document in report.documents + notices.documents:
        headers = _headers(document)
        assert headers.count("DỰ THẢO") == 2, (document.name, headers)  # first page and the others
    assert "2" not in _headers(report.documents[0])[:1]  # the mark comes before the page number


def test_signable_documents_carry_no_draft_mark(demo, tmp_path):
    report = make_documents(demo, tmp_path / "cum.xlsx")
    assert all("DỰ THẢO" not in _headers(d) for d in report.documents)


def test_reasons_for_the_vetoed_first_unregistered_unsigned_and_the_vote_decided_tie(demo, tmp_path):
    make_documents(demo, tmp_path / "cum.xlsx")
    folder = tmp_path / "Văn bản" / "2025"
    minutes = texts(folder / "Biên bản họp bình xét.docx")
    vetoed = ("- Sở Công Thương (hạng 1, 97,10 điểm) không được đề nghị khen thưởng vì vi phạm tiêu chí loại trừ "
              "7.1 “Có cán bộ, công chức, viên chức bị kỷ luật từ mức cảnh cáo trở lên”.")
    unregistered = ("- Sở Xây dựng (hạng 2, 95,90 điểm) được đề nghị Cờ thi đua của UBND tỉnh, không được đề nghị "
                    "hình thức cao hơn vì chưa đăng ký Cờ thi đua của Chính phủ.")
    unsigned = ("- Sở Khoa học và Công nghệ (hạng 4, 89,00 điểm) được đề nghị Tập thể lao động xuất sắc, không được "
                "đề nghị hình thức cao hơn vì chưa ký giao ước (điều kiện của Bằng khen của Chủ tịch UBND tỉnh).")
    # the tied units are counted and listed with semicolons: the first one's name holds "và" itself
    tie = ("- 2 đơn vị đồng hạng 6 (Ban Quản lý Khu kinh tế và các khu công nghiệp; Sở Du lịch), Tập thể lao động "
           "xuất sắc chỉ còn 1 suất nên hội nghị bỏ phiếu kín: Ban Quản lý Khu kinh tế và các khu công nghiệp 75 % (6/8 "
           "phiếu); Sở Du lịch 62,5 % (5/8 phiếu); Ban Quản lý Khu kinh tế và các khu công nghiệp được đề nghị "
           "(tỷ lệ phiếu đồng ý tối thiểu 50 % theo quy chế của cụm).")
    assert {vetoed, unregistered, unsigned, tie} <= set(minutes), minutes
    # each proposal letter states the cases that concern its own award
    flag = texts(folder / "Tờ trình - Cờ thi đua của Chính phủ.docx")
    assert vetoed in flag and unregistered in flag and tie not in flag
    titles = texts(folder / "Tờ trình - Tập thể lao động xuất sắc.docx")
    assert vetoed in titles and tie in titles and unregistered not in titles


def test_a_deferred_unit_is_explained_with_the_citation_of_the_settings(tmp_path):
    content = signable_demo("vi")
    content.settings |= {"under_review": "defer", "citation_under_review": "Điều 4 Nghị định 152/2025/NĐ-CP"}
    next(u for u in content.units if u["code"] == "SNNMT")["veto_note"] = "thanh tra việc quản lý đất đai"
    path = tmp_path / "cum.xlsx"
    build_workbook(path, content)
    make_documents(check_file(path), path)
    minutes = texts(tmp_path / "Văn bản" / "2025" / "Biên bản họp bình xét.docx")
    assert ("- Sở Nông nghiệp và Môi trường (hạng 5, 87,60 điểm) được xét Bằng khen của Chủ tịch UBND tỉnh nhưng "
            "tạm hoãn, chưa đề nghị khen thưởng: thanh tra việc quản lý đất đai (Điều 4 Nghị định "
            "152/2025/NĐ-CP).") in minutes, minutes


def test_a_proposed_unit_without_a_vote_leaves_no_dangling_clause(demo, tmp_path):
    make_documents(demo, tmp_path / "cum.xlsx")
    folder = tmp_path / "Văn bản" / "2025"
    provincial = texts(folder / "Tờ trình - Cờ thi đua của UBND tỉnh.docx")  # nobody voted on this flag
    assert not any(t.startswith("Kết quả bỏ phiếu") for t in provincial)
    result = dataclasses.replace(demo, tallies={k: v for k, v in demo.tallies.items() if k[0] != "BQLKKT"})
    result = dataclasses.replace(result, ranking=result.ranking.assign(
        vote=[v if u != "BQLKKT" else "" for u, v in result.ranking["vote"].items()]))
    make_documents(result, tmp_path / "cum.xlsx", out_dir=tmp_path / "partial")
    titles = texts(tmp_path / "partial" / "Tờ trình - Tập thể lao động xuất sắc.docx")
    assert ("Kết quả bỏ phiếu: Sở Khoa học và Công nghệ – Đạt 87,5 % (7/8); Ban Quản lý Khu kinh tế và các khu "
            "công nghiệp – chưa bỏ phiếu.") in titles
    assert not any(re.search(r"– ?[.;]", t) for t in titles)


def test_the_government_flag_is_put_to_the_prime_minister_and_titles_are_recognised(demo, tmp_path):
    make_documents(demo, tmp_path / "cum.xlsx")
    folder = tmp_path / "Văn bản" / "2025"
    flag = texts(folder / "Tờ trình - Cờ thi đua của Chính phủ.docx")
    assert "Về việc đề nghị trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ năm 2025" in flag
    assert any("kính đề nghị Hội đồng Thi đua – Khen thưởng tỉnh Thanh Hóa xem xét, trình Thủ tướng Chính phủ "
               "tặng Cờ thi đua của Chính phủ năm 2025 cho 1 đơn vị sau (theo Điều 25 Luật Thi đua, khen thưởng "
               "2022):" in t for t in flag)
    assert "Về việc đề nghị tặng Cờ thi đua của UBND tỉnh năm 2025" in texts(folder / "Tờ trình - Cờ thi đua của UBND tỉnh.docx")
    minutes = texts(folder / "Biên bản họp bình xét.docx")
    assert any(t.startswith("- Đề nghị công nhận danh hiệu Tập thể lao động xuất sắc cho 2 đơn vị") for t in minutes)
    assert not any("đề nghị tặng Tập thể" in t.lower() for t in minutes + flag)


def test_legal_basis_is_printed_once():
    from emutools.documents.context import citation, legal_basis

    assert legal_basis("Luật A; Nghị định B;\nLuật  A.; Thông tư C") == ["Luật A", "Nghị định B", "Thông tư C"]
    assert citation("Luật Thi đua, khen thưởng 2022; quy chế của cụm: tối đa 30 % số đơn vị") == "quy chế của cụm"
    assert citation("Điều 25 Luật Thi đua, khen thưởng 2022") == "Điều 25 Luật Thi đua, khen thưởng 2022"


def test_the_closing_paragraphs_stay_with_the_signature(demo, tmp_path):
    """Issue 17 item 7: a page never holds the signature alone or with only the closing line."""
    make_documents(demo, tmp_path / "cum.xlsx")
    for path in (tmp_path / "Văn bản" / "2025").glob("*.docx"):
        texts_kept = [(p.text, p.paragraph_format.keep_with_next) for p in docx.Document(str(path)).paragraphs
                      if p.text.strip()]
        assert all(kept for _, kept in texts_kept[-2:]), (path.name, texts_kept[-3:])


def test_report_statistics_count_only_ranked_units():
    """A 95, B 84, C no score at all (unranked, total 0).  The report's highest, lowest and
    mean are over the ranked units, as the per-unit notice's cluster average is:
    95,00; 84,00; (95 + 84) / 2 = 89,50 — not 0,00 and 59,67 with the unranked unit."""
    from emutools.documents.context import ranking_rows, statistics
    from tests.rulebook import book, heading, score

    r = book([heading("1"), score("1.1", 100)], {"Thẩm định": {"1.1": [95, 84, None]},
                                                  "Tự chấm": {"1.1": [95, 84, None]}})
    assert r.ranking["rank"].tolist()[:2] == [1, 2] and pd.isna(r.ranking.loc["C", "rank"])
    stats = statistics(r, ranking_rows(r, "vi"), "vi")
    assert (stats["highest"], stats["lowest"], stats["mean"]) == ("95,00", "84,00", "89,50")


def test_tabs_and_line_breaks_in_a_value_still_become_words_own_elements(tmp_path):
    """A name typed with a line break (Alt+Enter in Excel) or a tab is laid out by Word, not
    printed as a raw character; the quick path for text without them changes nothing."""
    from emutools.documents.template import Template

    source = docx.Document()
    source.add_paragraph("{{ name }}")
    path = tmp_path / "mau.docx"
    source.save(str(path))
    template, when = Template(path), dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)

    def body(name: str) -> str:
        with zipfile.ZipFile(io.BytesIO(template.render({"name": name}, when))) as z:
            return z.read("word/document.xml").decode()

    broken = body("Sở Tài chính\nTỉnh A\tB")
    texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)", broken)
    assert "<w:br/>" in broken and "<w:tab/>" in broken and texts == ["Sở Tài chính", "Tỉnh A", "B"]
    assert [p.text for p in docx.Document(io.BytesIO(template.render({"name": "Sở Tài chính"}, when))).paragraphs] \
        == ["Sở Tài chính"]
    assert "<w:br/>" not in body("Sở Tài chính") and "Sở Tài chính</w:t>" in body("Sở Tài chính")
