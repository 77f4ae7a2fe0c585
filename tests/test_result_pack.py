"""The result pack per unit (letters --per-unit): its own numbers, and no other unit's scores.

Hand-worked from the demo (emutools/sample.py): totals SCT 97.10, SXD 95.90, STC 93.80, SKHCN 89.00,
SNNMT 87.60, BQLKKT and SDL 85.70, QDTPT 79.30, TTXT 64.90 — the cluster average 779.00 / 9 = 86.56.
"""

from __future__ import annotations

import docx
import pytest

from emutools.documents import context as ctx
from emutools.documents import unit_letters
from emutools.headless import check_file
from emutools.io.template import build_workbook
from emutools.sample import UNITS, demo_content

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
    assert ["Tổng điểm", "64,90"] in rows and ["Xếp hạng", "9/9"] in rows
    assert ["Tổng điểm trung bình của cụm", "86,56"] in rows
    # 1.2.a: 5 tasks of a target of 6, full or zero; 2.4: self 6 above the maximum 5 counts 5, verified 3;
    # 2.7 left unverified: the self-score 1.50 counts
    assert ["1.2.a", "Số nhiệm vụ trọng tâm do UBND tỉnh giao hoàn thành đúng hạn", "8,00", "0,00", "0,00",
            "0,00"] in rows
    assert ["2.4", "Sáng kiến, giải pháp được cấp có thẩm quyền công nhận", "5,00", "5,00", "3,00", "3,00"] in rows
    assert ["2.7", "Tuyên truyền, biểu dương gương người tốt, việc tốt", "2,00", "1,50", "", "1,50"] in rows
    group1 = next(r for r in rows if r[0].startswith("1. Thực hiện nhiệm vụ chính trị"))
    assert group1[1:] == ["23,90", "35,20", "38,50"]  # TTXT, the cluster's average, its best (SXD)
    flags = [r for r in rows if r[0] in ("Lỗi", "Cảnh báo")]
    assert ["Lỗi", "Tự chấm!L18", "Điểm 6 vượt điểm tối đa 5 của tiêu chí “2.4”: chỉ tính 5 điểm; hãy sửa."] in flags


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
