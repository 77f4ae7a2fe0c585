"""Workbooks of any size in the standard layout, for tests that compare sizes."""

from __future__ import annotations

from emutools.io.template import WorkbookContent


def content(n_units: int, n_groups: int, per_group: int, seed: int = 0) -> WorkbookContent:
    units = [{"code": f"U{k:03d}", "name": f"Đơn vị {k}", "short_name": f"ĐV {k}", "signed": True,
              "registered": "", "veto_note": ""} for k in range(1, n_units + 1)]
    criteria, self_scores, verified = [], {}, {}
    for g in range(1, n_groups + 1):
        criteria.append({"code": str(g), "name": f"Nhóm {g}"})
        for c in range(1, per_group + 1):
            code = f"{g}.{c}"
            criteria.append({"code": code, "name": f"Tiêu chí {code}", "kind": "score",
                             "max_points": 10, "weight": 1, "mandatory": True})
            for k, unit in enumerate(units):
                points = (k * 7 + g * 3 + c * 5 + seed) % 21 / 2
                self_scores[(code, unit["code"])] = points
                verified[(code, unit["code"])] = points
    return WorkbookContent(lang="vi", units=units, criteria=criteria,
                           scores={"Tự chấm": self_scores, "Thẩm định": verified})
