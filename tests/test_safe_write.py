"""The one way emutools puts a file on disk (io/xlsx/safe_write.py) and its one zip format
(io/xlsx/zipwriter.py): atomic, never half a file, same bytes for the same parts."""

from __future__ import annotations

import io
import os
import stat
import zipfile

import pytest

from emutools.io.template import build_workbook, default_content
from emutools.io.xlsx import safe_write
from emutools.io.xlsx.zipwriter import ZIP_EPOCH, deterministic_zip, rezip


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_write_file_replaces_keeping_the_mode_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")
    path.chmod(0o640)
    safe_write.write_file(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")

    def half_then_fail(out):
        out.write(b"ne")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        safe_write.temp_beside(path, half_then_fail)
    assert path.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_temp_file_is_hidden_beside_the_target_until_committed(tmp_path):
    path = tmp_path / "Bảng điểm.xlsx"
    tmp = safe_write.temp_beside(path, lambda out: out.write(b"data"))
    assert tmp.parent == tmp_path and tmp.name.startswith(".Bảng điểm.") and not path.exists()
    safe_write.commit(tmp, path)
    assert path.read_bytes() == b"data" and not tmp.exists()


def test_backup_is_a_copy_named_stem_bak_suffix(tmp_path):
    path = tmp_path / "cum.xlsm"
    path.write_bytes(b"v1")
    assert safe_write.keep_backup(path) == tmp_path / "cum.bak.xlsm"
    assert (tmp_path / "cum.bak.xlsm").read_bytes() == b"v1" and path.read_bytes() == b"v1"


def test_the_template_builder_writes_through_it(tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"not a workbook")
    path.chmod(0o600)
    build_workbook(path, default_content("vi"))
    assert zipfile.is_zipfile(path) and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_deterministic_zip_fixes_dates_and_attributes_and_keeps_order():
    parts = [("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>"),
             ("docProps/Tên.xml", "ư".encode())]
    data = deterministic_zip(parts)
    assert data == deterministic_zip(iter(parts))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert [(i.filename, z.read(i)) for i in z.infolist()] == parts
        assert {(i.date_time, i.create_system, i.compress_type)
                for i in z.infolist()} == {(ZIP_EPOCH, 0, zipfile.ZIP_DEFLATED)}
        assert len({i.external_attr for i in z.infolist()}) == 1  # never the host's modes


def test_rezip_makes_a_zip_from_any_clock_identical(tmp_path):
    stamped = io.BytesIO()
    with zipfile.ZipFile(stamped, "w") as z:  # today's date, stored, host attributes
        z.writestr("word/document.xml", b"<w:document/>")
        z.writestr("[Content_Types].xml", b"<Types/>")
    assert rezip(stamped.getvalue()) == deterministic_zip(
        [("word/document.xml", b"<w:document/>"), ("[Content_Types].xml", b"<Types/>")])


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_locked_target_raises_permission_error_and_keeps_the_old_file(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "book.xlsx"
    path.write_bytes(b"old")
    tmp = safe_write.temp_beside(path, lambda out: out.write(b"new"))
    folder.chmod(0o500)  # no renames in the folder: as a file locked by Excel on Windows
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(PermissionError):
            safe_write.commit(tmp, path)
    finally:
        folder.chmod(0o700)
    assert path.read_bytes() == b"old"


def test_deterministic_zip_writes_the_bytes_zipfile_writes_and_reuses_shared_parts():
    """One compression per shared part across a batch, and the same bytes zipfile gives
    for members with the fixed timestamp — so documents stay byte-identical."""
    parts = [("[Content_Types].xml", b"<Types/>" * 50), ("word/document.xml", "<w:t>Điểm</w:t>".encode() * 99),
             ("tài liệu/ghi chú.xml", b"<x/>")]
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            member = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            member.create_system = 0
            z.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
    remembered: dict = {}
    assert deterministic_zip(parts) == expected.getvalue()
    assert deterministic_zip(parts, remembered) == expected.getvalue()
    first = remembered["[Content_Types].xml"]
    changed = [parts[0], ("word/document.xml", b"<w:t>other</w:t>"), parts[2]]
    again = deterministic_zip(changed, remembered)
    assert remembered["[Content_Types].xml"] is first  # compressed once, reused
    assert remembered["word/document.xml"][0] == b"<w:t>other</w:t>"  # one entry per name
    assert again == deterministic_zip(changed)
