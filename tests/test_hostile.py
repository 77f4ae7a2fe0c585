"""Hostile files: zip bombs and entity bombs end in a clear message, fast, with nothing written."""

from __future__ import annotations

import zipfile

import pytest

from emutools.documents import DocumentError, make_documents
from emutools.headless import check_file
from emutools.io.reader import WorkbookReadError, read_book
from emutools.io.template import build_workbook
from emutools.sample import demo_content

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
    build_workbook(path, demo_content("vi"))
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
