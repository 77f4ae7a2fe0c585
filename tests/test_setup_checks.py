"""The set-up checks: bands and awards against the criteria's scale, sample rows still in use.

The five-unit cluster of tests/cluster.py, worked by hand: scored criteria 1.1 (10 points),
1.2 (10) and 2.1 (5 × weight 2 = 10) make 30, bonus 3.1 adds 3, so no unit can total more
than 33.  Its Settings sheet puts the bands' minimum totals in column B, rows 21-23
(Xuất sắc, Tốt, Khá) and the awards' minimum classification in column E, rows 27-29 (CP,
T, BK; BK needs none).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from emutools.core.engine import recalculate
from emutools.headless import check_file
from emutools.io.tables import build_raw_book
from emutools.io.template import build_workbook, default_content
from emutools.sample import demo_content
from tests.cluster import sheets

SAMPLE_CODES = {"band_unreachable", "award_band_unreachable", "unit_sample", "award_sample", "cluster_name_sample"}


def run(data):
    return recalculate(build_raw_book(list(data), lambda n: data[n]))


def setup_flags(result):
    return sorted((i.code, i.sheet, i.cell) for i in result.issues if i.code in SAMPLE_CODES)


def _band(data, label, minimum):
    next(r for r in data["Cài đặt"] if r and r[0] == label)[1] = minimum


def test_the_worked_cluster_is_on_its_own_scale():
    assert setup_flags(run(sheets())) == []


def test_a_band_equal_to_the_maximum_total_is_reachable_one_above_is_not():
    data = sheets()
    _band(data, "Xuất sắc", 33)
    assert setup_flags(run(data)) == []
    _band(data, "Xuất sắc", 33.5)
    result = run(data)
    assert setup_flags(result) == [("band_unreachable", "Cài đặt", "B21")]
    flag = next(i for i in result.issues if i.code == "band_unreachable")
    assert flag.message("vi") == (
        "Xếp loại “Xuất sắc” cần tổng điểm tối thiểu 33,5, nhưng bảng tiêu chí cho tối đa 33 điểm "
        "(kể cả điểm thưởng): không đơn vị nào đạt được. Hãy ghi điểm tối thiểu theo thang điểm của "
        "bảng tiêu chí (hoặc sửa điểm tối đa các tiêu chí).")
    assert "needs a total of at least 33.5, but the criteria give at most 33 points" in flag.message("en")


def test_an_award_whose_minimum_band_cannot_be_reached_is_flagged_at_its_cell():
    data = sheets()
    _band(data, "Xuất sắc", 90)
    _band(data, "Tốt", 80)  # the template's 100-point bands on a 33-point table
    result = run(data)
    assert setup_flags(result) == [("award_band_unreachable", "Cài đặt", "E27"),
                                   ("award_band_unreachable", "Cài đặt", "E28"),
                                   ("band_unreachable", "Cài đặt", "B21"),
                                   ("band_unreachable", "Cài đặt", "B22")]
    cp = next(i for i in result.issues if i.code == "award_band_unreachable" and i.cell == "E27")
    assert cp.message("vi").startswith("Khen thưởng “Cờ thi đua của Chính phủ” cần xếp loại tối thiểu “Tốt” "
                                       "(80 điểm), cao hơn tổng điểm tối đa 33 của bảng tiêu chí")
    # nobody reaches Tốt, so nobody is proposed for it: the flag says why before the ranking does
    assert not (result.ranking["band"] == "Tốt").any()


def test_a_bonus_cap_lowers_the_reachable_total():
    data = sheets()
    settings = data["Cài đặt"]
    at = next(k for k, r in enumerate(settings) if r and r[0].startswith("Ngưỡng chênh lệch"))
    settings.insert(at + 1, ["Tổng điểm thưởng tối đa", 1, ""])  # every row below moves down one
    _band(data, "Xuất sắc", 32)  # 30 scored + 1 of bonus = 31 < 32 (33 without the cap)
    assert setup_flags(run(data)) == [("band_unreachable", "Cài đặt", "B22")]


def test_an_uncapped_above_plan_bonus_leaves_the_scale_open():
    data = sheets()
    criteria = data["Tiêu chí"]
    criteria[3] += ["", "Thưởng vượt chỉ tiêu (% điểm mỗi 1 % vượt)"]
    next(r for r in criteria if r and r[0] == "1.2").extend([None, 10])  # proportional, 10 %/%
    _band(data, "Xuất sắc", 90)
    assert not [f for f in setup_flags(run(data)) if f[0] == "band_unreachable"]


def test_sample_names_are_flagged_at_their_cells_a_real_name_is_not():
    data = sheets()
    next(r for r in data["Đơn vị"] if r and r[0] == "A")[1] = "Sở An (Mẫu)"
    next(r for r in data["Đơn vị"] if r and r[0] == "B")[1] = "Trường Mẫu giáo Hoa Sen"  # a real name
    next(r for r in data["Cài đặt"] if r and r[0] == "T")[1] = "Cờ thi đua cấp tỉnh (sample)"
    assert setup_flags(run(data)) == [("award_sample", "Cài đặt", "B28"), ("unit_sample", "Đơn vị", "B5")]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_blank_template_is_coherent_and_marks_its_samples(tmp_path, lang):
    content = default_content(lang)
    scored = sum(c["max_points"] for c in content.criteria if c.get("kind") == "score")
    assert scored == 100 and content.bands[0][1] == 90  # criteria and bands on one scale
    path = tmp_path / "new.xlsx"
    build_workbook(path, content)
    result = check_file(path)
    assert setup_flags(result) == [("award_sample", "Cài đặt" if lang == "vi" else "Settings", "B57"),
                                   ("award_sample", "Cài đặt" if lang == "vi" else "Settings", "B58"),
                                   ("cluster_name_sample", "Cài đặt" if lang == "vi" else "Settings", "B5"),
                                   ("unit_sample", "Đơn vị" if lang == "vi" else "Units", "B5"),
                                   ("unit_sample", "Đơn vị" if lang == "vi" else "Units", "B6"),
                                   ("unit_sample", "Đơn vị" if lang == "vi" else "Units", "B7")]
    wb = openpyxl.load_workbook(path)
    settings = wb["Cài đặt" if lang == "vi" else "Settings"]
    marker = "(mẫu)" if lang == "vi" else "(sample)"
    assert [settings["B57"].value, settings["B58"].value] == [
        f"Cờ thi đua cấp bộ, ngành, tỉnh {marker}", f"Bằng khen cấp bộ, ngành, tỉnh {marker}"] if lang == "vi" else [
        f"Ministry/provincial Emulation Flag {marker}", f"Ministry/provincial Certificate of Merit {marker}"]
    units = wb["Đơn vị" if lang == "vi" else "Units"]
    assert units["B5"].value.endswith(marker)
    assert settings["B5"].value == ("Cụm thi đua" if lang == "vi" else "Emulation cluster")


def _cluster_name(data, value):
    next(r for r in data["Cài đặt"] if r and r[0] == "Tên cụm, khối thi đua")[1] = value


@pytest.mark.parametrize("name", ["Cụm thi đua", "Emulation cluster", "  cụm  THI đua ",
                                  "Cu\u0323m thi đua"])  # decomposed ụ, as some keyboards type it
def test_the_default_cluster_name_is_flagged_at_its_cell(name):
    data = sheets()
    _cluster_name(data, name)
    result = run(data)
    assert setup_flags(result) == [("cluster_name_sample", "Cài đặt", "B5")]
    flag = next(i for i in result.issues if i.code == "cluster_name_sample")
    shown = name.strip()
    assert flag.severity == "warning"
    assert flag.message("vi") == (f"Tên cụm “{shown}” vẫn là tên mặc định của bảng tính trắng. Hãy ghi đúng tên "
                                  "cụm, khối thi đua (ví dụ “Cụm thi đua số 3 – Các sở, ngành khối kinh tế”): tên "
                                  "này được in ở tiêu đề các sheet và trên văn bản.")


@pytest.mark.parametrize("name", ["Cụm thi đua số 3", "Cụm thi đua thử nghiệm", "Khối thi đua"])
def test_a_real_cluster_name_is_not_flagged(name):
    data = sheets()
    _cluster_name(data, name)
    assert setup_flags(run(data)) == []


def test_the_kept_2025_demo_gets_no_new_warning():
    result = check_file(Path(__file__).parent / "data" / "demo-2025-v1.xlsx")
    assert not [i for i in result.issues if i.code in SAMPLE_CODES]


def test_the_demo_clusters_use_no_sample_and_stay_on_scale(tmp_path):
    from emutools.sample_rules import rules_content

    for content in (demo_content("vi"), rules_content("vi")):
        path = tmp_path / "demo.xlsx"
        build_workbook(path, content)
        assert setup_flags(check_file(path)) == []
