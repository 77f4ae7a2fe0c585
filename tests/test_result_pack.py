"""The result pack per unit (letters --per-unit): its own numbers, and no other unit's scores.

Hand-worked from the demo (emutools/sample.py): totals SCT 97.10, SXD 95.90, STC 93.80, SKHCN 89.00,
SNNMT 87.60, BQLKKT and SDL 85.70, QDTPT 79.30, TTXT 64.90 — the cluster average 779.00 / 9 = 86.56.
"""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest

from emutools.documents import context as ctx
from emutools.documents import unit_letters
from emutools.documents.files import find_soffice
from emutools.headless import check_file
from emutools.io.template import build_workbook
from emutools.sample import UNITS, demo_content
from tests import generated

TOTALS = ("97,10", "95,90", "93,80", "89,00", "87,60", "85,70", "79,30", "64,90")


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    path = tmp_path_factory.mktemp("pack") / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    result = check_file(path)
    unit_letters(result, path, draft=True)  # the demo keeps one error on purpose
    return result, path.parent / "Văn bản" / "2025" / "Thông báo kết quả"


def rows_of(path) -> list[list[str]]:
    """Every table row of the document as its cells' text."""
    return [[c.text for c in row.cells] for t in docx.Document(str(path)).tables for row in t.rows]


def text_of(path) -> str:
    document = docx.Document(str(path))
    return "\n".join([p.text for p in document.paragraphs] + ["|".join(r) for r in rows_of(path)])


def test_a_units_pack_has_its_criteria_its_rank_and_the_cluster_average_and_best(packs):
    _, folder = packs
    ttxt = folder / "TTXT - Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch.docx"
    rows = rows_of(ttxt)
    assert ["Tổng điểm", "64,90", "Xếp hạng", "9/9"] in rows
    assert ["Điểm trừ", "2,00", "Tổng điểm trung bình của cụm", "86,56"] in rows
    # 1.2.a: 5 tasks of a target of 6, full or zero; 2.4: self 6 above the maximum 5 counts 5, verified 3;
    # 2.7 left unverified: the self-score 1.50 counts
    assert ["1.2.a", "Số nhiệm vụ trọng tâm do UBND tỉnh giao hoàn thành đúng hạn", "8,00", "0,00", "0,00",
            "0,00", "", ""] in rows
    assert ["2.4", "Sáng kiến, giải pháp được cấp có thẩm quyền công nhận", "5,00", "5,00", "3,00", "3,00", "",
            ""] in rows
    assert ["2.7", "Tuyên truyền, biểu dương gương người tốt, việc tốt", "2,00", "1,50", "", "1,50", "", ""] in rows
    # group rows: maxima 4+8+10+4+8+3+3; self 3.5+0+7.5+3+6.4+2+2; verified 3+0+7.5+3+6.4+2+2; counted
    # 23.90 beside the cluster's average and its best (SXD)
    group1 = ["1", "Thực hiện nhiệm vụ chính trị được giao (40 điểm)", "40,00", "24,40", "23,90", "23,90", "35,20",
              "38,50"]
    # group 2: self 3+2.5+3+5+3+2+1.5 = 20; verified 16.50 (2.7 not verified); counted 16.50 + 1.50
    group2 = ["2", "Công tác thi đua, khen thưởng (25 điểm)", "25,00", "20,00", "16,50", "18,00", "21,17", "24,00"]
    # the penalty group counts the unit's penalty total; the cluster's average 2.50 / 9, no "best" penalty
    penalty = ["6", "Điểm trừ", "5,00", "2,00", "2,00", "2,00", "0,28", ""]
    assert rows.count(group1) == rows.count(group2) == rows.count(penalty) == 2  # page 1 and the annex
    flags = [r for r in rows if r[0] in ("Lỗi", "Cảnh báo")]
    assert ["Lỗi", "Tự chấm!L18", "Điểm 6 vượt điểm tối đa 5 của tiêu chí “2.4”: chỉ tính 5 điểm; hãy sửa."] in flags
    assert len(flags) == 4  # listed once: on the page, the annex holding only the criteria


def test_the_demo_puts_its_groups_on_the_page_and_every_criterion_in_the_annex(packs):
    """25 criteria, 6 group rows and 4 flags do not fit one A4 page beside the Decree 30 header,
    the result and the signature: the page keeps the groups and the flags, the annex the rest."""
    _, folder = packs
    text = text_of(folder / "TTXT - Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch.docx")
    assert "Điểm theo nhóm tiêu chí (từng tiêu chí: xem Phụ lục):" in text
    assert "PHỤ LỤC" in text and "Điểm từng tiêu chí của Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch" in text
    annex = docx.Document(str(folder / "TTXT - Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch.docx"))
    heading = next(p for p in annex.paragraphs if p.text == "PHỤ LỤC")
    assert heading.paragraph_format.page_break_before


def small_cluster(folder, units: int = 3):
    path = folder / "cum.xlsx"
    build_workbook(path, generated.content(units, 2, 4))  # 2 groups × 4 criteria: 10 rows
    return check_file(path), path


def test_a_small_cluster_has_every_criterion_on_the_page_and_no_annex(tmp_path):
    result, path = small_cluster(tmp_path)
    report = unit_letters(result, path, units=["U001"], draft=bool(result.errors))
    text = text_of(report.written[0])
    assert "PHỤ LỤC" not in text and "Điểm từng tiêu chí (in đậm: nhóm tiêu chí):" in text
    rows = rows_of(report.written[0])
    assert [r[0] for r in rows if r[0] in ("1", "1.1", "1.2", "1.3", "1.4", "2", "2.1", "2.4")] == \
        ["1", "1.1", "1.2", "1.3", "1.4", "2", "2.1", "2.4"]


def pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def page_text(pdf, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(find_soffice() is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice (soffice) or poppler's pdfinfo is not installed")
def test_the_notice_is_one_page_and_the_annex_follows(packs, tmp_path):
    """Laid out by LibreOffice: the demo's notice fills page 1 down to the signature, the annex
    (its 25 criteria under 6 group rows) page 2; a 10-row cluster's notice is one page."""
    result, folder = packs
    workbook = folder.parents[2] / "cum.xlsx"
    report = unit_letters(result, workbook, out_dir=tmp_path / "demo", units=["TTXT"], draft=True, pdf=True)
    pdf = report.pdfs[0]
    assert pages(pdf) == 2
    first, second = page_text(pdf, 1), page_text(pdf, 2)
    assert "Nơi nhận" in first and "Nguyễn Văn Hùng" in first and "Những điểm còn phải làm rõ" in first
    assert "PHỤ LỤC" in second and "Tuyên truyền, biểu dương gương người tốt" in second
    small, path = small_cluster(tmp_path)
    report = unit_letters(small, path, units=["U001"], draft=True, pdf=True)
    assert pages(report.pdfs[0]) == 1


def test_no_pack_shows_another_units_score_or_name(packs):
    result, folder = packs
    for code, name, *_ in UNITS:
        text = text_of(folder / f"{code} - {name}.docx")
        own_total = ctx.points(result.ranking.at[code, "total"], 2, "vi")
        assert [t for t in TOTALS if t in text and t != own_total] == [], code
        others = [n for c, n, *_ in UNITS if c != code and n in text]
        assert others == [], (code, others)


def test_the_context_of_a_pack_leaves_out_every_other_units_rows(packs):
    result, _ = packs
    base = ctx.base_context(result, "vi")
    row = next(r for r in base["ranking"] if r["code"] == "SDL")
    context = ctx.unit_context(result, base, row)
    assert not set(ctx.OTHER_UNITS) & set(context)
    assert context["unit"]["code"] == "SDL" and context["unit"]["rank_of"] == "6/9"
