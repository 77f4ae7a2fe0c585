"""The file path: a real .xlsx read with python-calamine gives the same result as the lists."""

from __future__ import annotations

import pytest

from emutools.core.engine import recalculate
from emutools.io.reader import WorkbookReadError, read_book
from tests.cluster import write_xlsx


def test_xlsx_reads_into_the_hand_worked_ranking(tmp_path):
    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    result = recalculate(read_book(path))
    assert result.ranking["rank"].to_dict() == {"A": 1, "B": 2, "C": 3, "D": 3, "E": 5}
    assert ("score_text_number", "Thẩm định", "H9") in {(i.code, i.sheet, i.cell) for i in result.issues}


@pytest.mark.parametrize("name, content, fragment", [
    ("notes.txt", b"hello", "không phải .xlsx"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "bị hỏng"),
    ("missing.xlsx", None, "Không tìm thấy"),
])
def test_unreadable_files_get_one_clear_message(tmp_path, name, content, fragment):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WorkbookReadError) as info:
        read_book(path)
    assert fragment in info.value.message_vi
    assert name in info.value.message_en or str(path) in info.value.message_en
