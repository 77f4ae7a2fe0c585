"""`emutools new-period`: the next year's workbook from this year's."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from emutools.cli import app
from emutools.headless import check_file, recalculate_book
from emutools.io.template import build_workbook
from emutools.newperiod import next_period, next_period_content
from emutools.sample import demo_content


def test_periods_follow_each_other():
    assert next_period(2025, "annual", False) == (2026, "annual")
    assert next_period(2025, "annual", True) == (2026, "midyear")
    assert next_period(2025, "midyear", False) == (2025, "annual")


def test_new_period_keeps_structure_clears_scores_and_rotates_the_leader(tmp_path):
    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    done = CliRunner().invoke(app, ["new-period", str(path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    new = tmp_path / "cum - 2026.xlsx"
    old, fresh = check_file(path), check_file(new)
    assert list(fresh.inputs.units.index) == list(old.inputs.units.index)
    assert list(fresh.inputs.criteria.index) == list(old.inputs.criteria.index)
    assert fresh.inputs.criteria.equals(old.inputs.criteria)
    s = fresh.inputs.settings
    assert (s.year, s.period, s.leader, s.deputy) == (2026, "annual", "SXD", "SNNMT")
    assert s.rotation == old.inputs.settings.rotation
    assert fresh.ranking["rank"].isna().all()  # no scores yet
    assert not any(fresh.inputs.units["signed"])
    previous = openpyxl.load_workbook(new)["Kỳ trước"]
    rows = [[c.value for c in r[:4]] for r in previous.iter_rows(min_row=5, max_row=7)]
    assert rows == [["SCT", "Sở Công Thương", 1, 97.1], ["SXD", "Sở Xây dựng", 2, 95.9],
                    ["STC", "Sở Tài chính", 3, 93.8]]
    again = CliRunner().invoke(app, ["new-period", str(path)])
    assert again.exit_code == 2 and "không ghi đè" in again.output


def test_units_and_awards_are_carried_as_the_core_typed_them(tmp_path):
    """A unit without a short name gets its name; a duplicated unit code and an award with
    an unusable quota were flagged and never applied, so they stay behind; notes are kept."""
    content = demo_content("vi")
    content.units[1]["short_name"] = ""
    content.units.append(dict(content.units[0], name="Bản sao"))
    content.awards.append(dict(content.awards[2], code="X", quota="nhiều"))
    path = tmp_path / "cum.xlsx"
    build_workbook(path, content)
    raw, result = recalculate_book(path)
    assert {"unit_code_duplicate", "award_invalid"} <= {i.code for i in result.issues}
    new = next_period_content(raw, result)
    assert [u["code"] for u in new.units] == [u["code"] for u in content.units[:-1]]
    assert new.units[1]["short_name"] == content.units[1]["name"]
    noted = next(k for k, u in enumerate(content.units) if u["note"])
    assert new.units[noted]["note"] == content.units[noted]["note"]
    assert [a["code"] for a in new.awards] == [a["code"] for a in content.awards[:-1]]
    assert [a["quota"] for a in new.awards] == [float(a["quota"]) for a in content.awards[:-1]]


def test_decision_rules_are_carried_to_the_next_period(tmp_path):
    """Ranking groups, unit attribute columns, band floors, a veto's points and bars, award
    conditions, quota base, fallback, a standards-based title, deferral and an attribute
    tie-break all reach next year's workbook and are read back the same."""
    content = demo_content("vi")
    for k, unit in enumerate(content.units):
        unit |= {"ranking_group": "Sở" if k < 5 else "Ban, trung tâm", "Tỷ lệ nữ (%)": 40 + k}
    content.bands[0] = (*content.bands[0], 85, "group")
    veto = next(c for c in content.criteria if c.get("kind") == "veto")
    veto |= {"veto_points": 20, "bars": "CTDCP; CTDT"}
    content.awards[0] |= {"conditions": "Tỷ lệ nữ (%) ≥ 42", "min_group_share": 80, "quota_base": "qualifying",
                          "fallback": "CTDT"}
    content.awards[3] |= {"rule": "standard", "quota": None}
    content.settings |= {"under_review": "defer", "tie_break": "1; Tỷ lệ nữ (%)"}
    path = tmp_path / "cum.xlsx"
    build_workbook(path, content)
    raw, result = recalculate_book(path)
    new_path = tmp_path / "cum-2026.xlsx"
    build_workbook(new_path, next_period_content(raw, result))
    _, again = recalculate_book(new_path)
    before, after = result.inputs, again.inputs
    assert after.units["ranking_group"].tolist() == before.units["ranking_group"].tolist()
    assert after.units["attributes"].tolist() == before.units["attributes"].tolist() != [{}] * 9
    assert after.band_floors == before.band_floors and before.band_floors
    assert after.awards[0].conditions == before.awards[0].conditions and before.awards[0].conditions
    assert [(a.rule, a.min_group_share, a.quota_base, a.fallback) for a in after.awards] == \
        [(a.rule, a.min_group_share, a.quota_base, a.fallback) for a in before.awards]
    assert after.criteria[["veto_points", "bars"]].equals(before.criteria[["veto_points", "bars"]])
    assert after.settings.under_review == "defer" and after.settings.tie_break == ["1", "@Tỷ lệ nữ (%)"]
    assert not [i for i in again.issues if i.code in ("award_invalid", "tie_break_unknown", "band_share_invalid")]
