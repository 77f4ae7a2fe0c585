"""Hostile files: zip bombs and entity bombs end in a clear message, fast, with nothing written."""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path

import pytest

from emutools.documents import DocumentError, make_documents
from emutools.headless import check_file
from emutools.io.reader import WorkbookReadError, read_book
from emutools.io.template import build_workbook
from tests.cluster import signable_demo

ENTITIES = '<!ENTITY e0 "lol">' + "".join(
    f'<!ENTITY e{k} "{f"&e{k - 1};" * 10}">' for k in range(1, 10))


def _rewrite(src, dst, name, change):
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, change(data) if info.filename == name else data)


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "cum.xlsx"
    build_workbook(path, signable_demo("vi"))
    return path


def test_a_zip_bomb_workbook_is_refused(workbook, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    _rewrite(workbook, bomb, "xl/worksheets/sheet2.xml", lambda d: d + b" " * (12 * 1024**2))
    with pytest.raises(WorkbookReadError) as info:
        read_book(bomb)
    assert "quá lớn" in info.value.message_vi


def test_an_entity_bomb_workbook_is_refused(workbook, tmp_path):
    bomb = tmp_path / "bomb.xlsx"

    def add_bomb(data):
        text = data.decode().split("?>", 1)[-1]
        return (f'<?xml version="1.0"?><!DOCTYPE worksheet [{ENTITIES}]>'
                + text.replace("<t>", "<t>&e9;", 1)).encode()

    _rewrite(workbook, bomb, "xl/worksheets/sheet2.xml", add_bomb)
    with pytest.raises(WorkbookReadError) as info:
        read_book(bomb)
    assert "bị hỏng" in info.value.message_vi


def test_a_zip_bomb_template_is_refused_and_nothing_is_written(workbook):
    folder = workbook.parent / "Mẫu văn bản"
    folder.mkdir()
    with zipfile.ZipFile(folder / "bien_ban.docx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("word/document.xml", b" " * (12 * 1024**2))
    with pytest.raises(DocumentError) as info:
        make_documents(check_file(workbook), workbook)
    assert "quá lớn" in info.value.message_vi
    assert not (workbook.parent / "Văn bản").exists() or not any((workbook.parent / "Văn bản").rglob("*.docx"))


# --- templates built to exhaust the machine (issue 13, item 18) ---------------------------------
# Each was measured on main before the fix: the paragraphs template ran > 580 s at 620 MB,
# 'a' * 10**9 took 76 s and 6.9 GB, the nested loops never ended.  The bounds asserted here
# are generous (a loaded 2-core machine), and far below those.

SHIPPED = Path(__file__).resolve().parents[1] / "emutools" / "templates"


def _user_template(workbook, name: str, change) -> Path:
    folder = workbook.parent / "Mẫu văn bản"
    folder.mkdir(exist_ok=True)
    _rewrite(SHIPPED / name, folder / name, "word/document.xml", change)
    return folder / name


def _with_tag(tag: str):
    return lambda xml: xml.replace(b"</w:body>", f"<w:p><w:r><w:t>{tag}</w:t></w:r></w:p></w:body>".encode(), 1)


def _refused_quickly(workbook, name: str, seconds: float) -> DocumentError:
    result = check_file(workbook)
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        make_documents(result, workbook)
    assert time.monotonic() - started < seconds
    assert name in info.value.message_vi and name in info.value.message_en
    assert not (workbook.parent / "Văn bản").exists()  # nothing written, not even the other documents
    return info.value


def test_a_template_of_ten_megabytes_of_empty_paragraphs_is_refused_at_once(workbook):
    path = _user_template(workbook, "bien_ban.docx",
                          lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 1_600_000, 1))
    assert path.stat().st_size < 100_000  # 9.6 MB of XML in a small file, under the zip-bomb ratio
    refused = _refused_quickly(workbook, "bien_ban.docx", 20)
    assert "4 MB" in refused.message_vi and "empty paragraphs" in refused.message_en


def test_a_billion_character_text_is_refused_where_it_is_made(workbook):
    _user_template(workbook, "bao_cao.docx", _with_tag("{{ 'a' * 10**9 }}"))
    refused = _refused_quickly(workbook, "bao_cao.docx", 20)
    assert "quá lớn" in refused.message_vi and "too large" in refused.message_en


def test_a_template_needing_gigabytes_is_stopped_by_the_memory_cap(workbook):
    _user_template(workbook, "bao_cao.docx", _with_tag("{{ 'a' | center(3 * 10**9) }}"))
    refused = _refused_quickly(workbook, "bao_cao.docx", 30)
    assert "bộ nhớ" in refused.message_vi and "memory" in refused.message_en


def test_nested_loops_are_stopped_by_the_time_limit(workbook, monkeypatch):
    from emutools.documents import template

    monkeypatch.setattr(template, "SECONDS_PER_BATCH", 3.0)  # 60 s in use; the test keeps the suite fast
    monkeypatch.setattr(template, "SECONDS_PER_DOCUMENT", 0.0)
    _user_template(workbook, "danh_sach.docx", _with_tag(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"))
    refused = _refused_quickly(workbook, "danh_sach.docx", 30)
    assert "bị dừng sau 3 giây" in refused.message_vi and "stopped after 3 seconds" in refused.message_en


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_the_rendering_child_cannot_grow_beyond_its_memory_cap():
    import multiprocessing

    from emutools.documents.template import _limit_memory

    def grow(send):
        _limit_memory(256 * 1024**2)
        try:
            bytearray(512 * 1024**2)
            send.send("grew")
        except MemoryError:
            send.send("capped")

    mp = multiprocessing.get_context("fork")
    receive, send = mp.Pipe(duplex=False)
    child = mp.Process(target=grow, args=(send,))
    child.start()
    assert receive.recv() == "capped"
    child.join()


def test_shipped_templates_render_in_this_process_and_user_ones_in_a_child(workbook, monkeypatch):
    """The shipped templates are part of the program: no child for them.  A user's copy goes
    to one child for the whole batch and gives the very same document."""
    from emutools.documents import template

    children = []
    in_child = template._render_in_child
    monkeypatch.setattr(template, "_render_in_child",
                        lambda jobs, when: children.append([t.path.name for t, _ in jobs]) or in_child(jobs, when))
    result = check_file(workbook)
    shipped = make_documents(result, workbook, out_dir=workbook.parent / "shipped")
    assert children == []
    _user_template(workbook, "bien_ban.docx", lambda xml: xml)
    _user_template(workbook, "to_trinh.docx", lambda xml: xml)
    copied = make_documents(result, workbook, out_dir=workbook.parent / "copied")
    assert children == [["to_trinh.docx"] * 4 + ["bien_ban.docx"]]  # one child: 4 awards, the minutes
    assert [p.read_bytes() for p in copied.documents] == [p.read_bytes() for p in shipped.documents]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_rendering_child_that_dies_is_explained_by_how_it_died():
    import multiprocessing
    import os

    from emutools.documents.template import _ended

    mp = multiprocessing.get_context("fork")
    killed = mp.Process(target=time.sleep, args=(60,))
    killed.start()
    killed.kill()  # what the out-of-memory killer does
    assert "bộ nhớ" in _ended("bao_cao.docx", killed).message_vi
    broken = mp.Process(target=os._exit, args=(3,))
    broken.start()
    refused = _ended("bao_cao.docx", broken)
    assert "“bao_cao.docx”" in refused.message_vi and "mã 3" in refused.message_vi
    assert "ended with code 3" in refused.message_en
