"""The file path: a real .xlsx read with python-calamine gives the same result as the lists."""

from __future__ import annotations

import threading

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


def test_grids_read_in_parallel_equal_grids_read_one_by_one(tmp_path, monkeypatch):
    """Big workbooks read their score sheets on threads; the result must not depend on it."""
    import emutools.io.reader as reader

    path = tmp_path / "cum.xlsx"
    write_xlsx(path)
    on_threads = []
    original = reader._values

    def spy(book, name):
        if threading.current_thread() is not threading.main_thread():
            on_threads.append(name)
        return original(book, name)

    monkeypatch.setattr(reader, "_values", spy)
    monkeypatch.setattr(reader, "PARALLEL_FROM_BYTES", 10**9)
    one_by_one = read_book(path)
    assert on_threads == []
    monkeypatch.setattr(reader, "PARALLEL_FROM_BYTES", 0)
    parallel = read_book(path)
    assert sorted(on_threads) == sorted([*one_by_one.grids, one_by_one.evidence.sheet])  # each once
    for name, grid in one_by_one.grids.items():
        assert (parallel.grids[name].values == grid.values).all()
        assert parallel.grids[name].criteria.equals(grid.criteria)
    assert recalculate(parallel).ranking.equals(recalculate(one_by_one).ranking)


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
