"""Never lose or expose a file (issue 13): backups written like workbooks, full disks, links,
a second run at once, modes and groups, files open in Excel or LibreOffice, and every
command's OS failures said as a message, with nothing partial left."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import stat
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from emutools.cli import app
from emutools.headless import rank_file
from emutools.io.template import build_workbook, default_content
from emutools.io.xlsx import WorkbookWriteError, lock, safe_write
from emutools.sample import demo_content

POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX links, modes and mounts")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200"})


def history_rows(path: Path) -> list[list]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Lịch sử").to_python()
    return [r for r in rows[4:] if any(v not in ("", None) for v in r)]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock", ".stale")))


@pytest.fixture
def ranked(tmp_path) -> Path:
    """A demo workbook ranked once: it has a History row and a backup of the fresh template."""
    path = tmp_path / "cum.xlsx"
    build_workbook(path, demo_content("vi"))
    rank_file(path)
    return path


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "1m", *options: str):
    """A small RAM disk at ``where`` (root only); the test is skipped, saying why, elsewhere."""
    where.mkdir()
    opts = ",".join((f"size={size}", *options))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "none", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not root'})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """A file taking all but ``leave`` bytes of the disk."""
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    st = os.statvfs(disk)
    size = max(0, st.f_bavail * st.f_frsize - leave)
    with open(filler, "wb") as out:
        out.write(b"\0" * size)
    return filler


# --- items 1 and 2: the backup is written like the workbook ------------------------------


@POSIX
def test_a_full_disk_never_damages_the_workbook_or_the_old_backup(tmp_path):
    with tmpfs(tmp_path / "disk") as disk:
        path = disk / "cum.xlsx"
        build_workbook(path, demo_content("vi"))
        rank_file(path)
        outcomes = set()
        for leave in range(0, 200_000, 12_000):  # the written runs need room for a backup and a temp copy
            before, backup_before = path.read_bytes(), safe_write.backup_path(path).read_bytes()
            filler = fill(disk, leave)
            try:
                rank_file(path)
            except WorkbookWriteError as exc:
                outcomes.add("refused")
                assert "đầy" in exc.message_vi and "full" in exc.message_en
                assert path.read_bytes() == before
                assert safe_write.backup_path(path).read_bytes() == backup_before
            else:
                outcomes.add("written")
                assert safe_write.backup_path(path).read_bytes() == before
                assert len(history_rows(path)) == len(history_rows(safe_write.backup_path(path))) + 1
            finally:
                filler.unlink()
            assert leftovers(disk) == []
        assert outcomes == {"refused", "written"}  # the disk was full for some runs only


def test_no_space_part_way_through_the_backup_keeps_the_old_backup(ranked, monkeypatch):
    backup = safe_write.backup_path(ranked)
    before, backup_before = ranked.read_bytes(), backup.read_bytes()
    real_sync = safe_write._sync

    def full_on_backup(out):
        if ".bak." in out.name:
            out.write(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        real_sync(out)

    monkeypatch.setattr(safe_write, "_sync", full_on_backup)
    with pytest.raises(WorkbookWriteError) as caught:
        rank_file(ranked)
    assert "cum.bak.xlsx" in caught.value.message_vi and "đầy" in caught.value.message_vi
    assert ranked.read_bytes() == before and backup.read_bytes() == backup_before
    assert leftovers(ranked.parent) == []


def test_temp_files_of_a_killed_run_are_removed_by_the_next_run(ranked):
    backup = safe_write.backup_path(ranked)
    half = [safe_write.temp_beside(p, lambda out: out.write(b"half")) for p in (ranked, backup)]
    other = safe_write.temp_beside(ranked.with_name("cum 2.xlsx"), lambda out: out.write(b"x"))
    rank_file(ranked)
    assert not any(p.exists() for p in half)
    assert other.exists()  # another workbook's temporary file is not this run's to remove


def test_the_backup_is_the_previous_version_and_keeps_the_workbooks_mode(ranked):
    ranked.chmod(0o640)
    before = ranked.read_bytes()
    rank_file(ranked)
    backup = safe_write.backup_path(ranked)
    assert backup.read_bytes() == before
    assert stat.S_IMODE(backup.stat().st_mode) == 0o640 == stat.S_IMODE(ranked.stat().st_mode)


# --- item 6: mode and group -----------------------------------------------------------------


@POSIX
def test_a_colleagues_run_keeps_mode_group_and_owner(ranked):
    if os.geteuid() != 0:
        pytest.skip("changing a file's group to another one needs root here")
    os.chown(ranked, 1234, 2345)
    ranked.chmod(0o664)
    rank_file(ranked)
    for path in (ranked, safe_write.backup_path(ranked)):
        st = path.stat()
        assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o664, 1234, 2345), path.name


# --- items 3 and 5: links --------------------------------------------------------------------


@POSIX
def test_a_backup_name_that_is_a_link_is_replaced_not_followed(ranked, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    backup = safe_write.backup_path(ranked)
    backup.unlink()
    backup.symlink_to(victim)
    before = ranked.read_bytes()
    rank_file(ranked)
    assert victim.read_text() == "someone else's file"
    assert not backup.is_symlink() and backup.read_bytes() == before


@POSIX
def test_a_workbook_opened_through_a_link_is_written_in_its_real_file(ranked, tmp_path):
    link = tmp_path / "shortcut.xlsx"
    link.symlink_to(ranked)
    rows = len(history_rows(ranked))
    report = invoke("rank", str(link))
    assert report.exit_code == 0, report.output
    assert link.is_symlink() and link.resolve() == ranked
    assert len(history_rows(ranked)) == rows + 1
    assert len(history_rows(safe_write.backup_path(ranked))) == rows  # beside the real file
    assert not safe_write.backup_path(link).exists()


@POSIX
def test_a_hard_linked_workbook_is_refused_saying_why(ranked, tmp_path):
    other = tmp_path / "ban-chung.xlsx"
    os.link(ranked, other)
    before = ranked.read_bytes()
    report = invoke("rank", str(other))
    assert report.exit_code == 2 and "liên kết cứng" in report.output and "Traceback" not in report.output
    assert ranked.read_bytes() == before and os.stat(ranked).st_ino == os.stat(other).st_ino


@POSIX
def test_no_command_writes_through_a_link_it_did_not_create(ranked, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "moi.xlsx"
    target.symlink_to(tmp_path / "victim-new.xlsx")  # dangling: the name is taken all the same
    refused = invoke("new", str(target))
    assert refused.exit_code == 2 and "đã có" in refused.output
    assert target.is_symlink() and not (tmp_path / "victim-new.xlsx").exists()
    out = tmp_path / "ky-moi.xlsx"
    out.symlink_to(tmp_path / "victim-period.xlsx")
    assert invoke("new-period", str(ranked), "--out", str(out)).exit_code == 2
    assert out.is_symlink() and not (tmp_path / "victim-period.xlsx").exists()
    letters = invoke("letters", str(ranked), "--draft")
    assert letters.exit_code == 0, letters.output
    folder = next((tmp_path / "Văn bản").rglob("Biên bản*.docx")).parent
    document = next(folder.glob("Biên bản*.docx"))
    document.unlink()
    document.symlink_to(victim)
    again = invoke("letters", str(ranked), "--draft")
    assert again.exit_code == 0, again.output
    assert victim.read_text() == "keep me"
    assert zipfile.is_zipfile(document) and not document.is_symlink()


# --- item 4: one writer at a time --------------------------------------------------------------

PAIR_CHILD = """
import sys
from emutools.headless import rank_file
from emutools.errors import UserError
print("ready", flush=True)
for line in sys.stdin:
    try:
        rank_file(sys.argv[1])
        print("ok", flush=True)
    except UserError as exc:
        print("refused " + exc.message_en, flush=True)
"""


@POSIX
def test_ten_concurrent_pairs_of_rank_never_lose_a_history_row(ranked):
    root = Path(__file__).resolve().parents[1]
    children = [subprocess.Popen([sys.executable, "-c", PAIR_CHILD, str(ranked)], cwd=root,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                for _ in range(2)]
    try:
        assert [c.stdout.readline().strip() for c in children] == ["ready", "ready"]
        expected = len(history_rows(ranked))
        for _ in range(10):
            for child in children:  # both start at once
                child.stdin.write("go\n")
                child.stdin.flush()
            answers = [c.stdout.readline().strip() for c in children]
            assert all(a == "ok" for a in answers), answers  # the second waited, then wrote
            expected += 2
            rows = history_rows(ranked)
            assert len(rows) == expected
            assert history_rows(safe_write.backup_path(ranked)) == rows[:-1]
    finally:
        for child in children:
            child.stdin.close()
            child.wait(timeout=30)
    assert leftovers(ranked.parent) == []


@POSIX
def test_a_run_holding_the_lock_makes_the_next_wait_then_refuse(ranked, monkeypatch):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock.lock_path(ranked).write_text(
            f'{{"pid": {holder.pid}, "host": "{socket.gethostname()}", "user": "thuky", '
            '"time": "2026-11-30T07:00:00"}', encoding="utf-8")
        monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
        before = ranked.read_bytes()
        report = invoke("rank", str(ranked))
        assert report.exit_code == 2
        assert f"tiến trình {holder.pid}" in report.output and "thuky" in report.output
        assert ranked.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    # the holder is dead now: its lock is stale and the next run takes it over
    assert invoke("rank", str(ranked)).exit_code == 0
    assert not lock.lock_path(ranked).exists()


def test_a_lock_from_another_machine_is_never_taken_over(ranked, monkeypatch):
    lock.lock_path(ranked).write_text('{"pid": 1, "host": "may-khac", "time": "x"}', encoding="utf-8")
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    with pytest.raises(WorkbookWriteError, match="may-khac"):
        rank_file(ranked)
    assert lock.lock_path(ranked).exists()


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.mark.parametrize("content", [b"", b'{"pid": 41', b"\xff\xfe\x00garbage", b'{"user": "an"}',
                                     b'{"pid": "12", "host": ""}', b"[]"])
def test_a_lock_naming_no_holder_is_taken_over_after_the_grace(ranked, content):
    """Empty (a run killed between making and filling it), torn, not text, or JSON that names
    no process and host: nobody can be waited for, so once older than the grace it is stale."""
    stale = lock.lock_path(ranked)
    stale.write_bytes(content)
    _age(stale, 60)
    rows = len(history_rows(ranked))
    rank_file(ranked)
    assert len(history_rows(ranked)) == rows + 1
    assert leftovers(ranked.parent) == []


def test_a_fresh_empty_lock_is_taken_over_within_the_wait(ranked):
    """The kill-test case: the next run starts at once, so it must wait out the grace, not refuse."""
    lock.lock_path(ranked).write_bytes(b"")
    assert invoke("rank", str(ranked)).exit_code == 0
    assert leftovers(ranked.parent) == []


def test_an_empty_lock_that_cannot_be_cleared_is_named_in_the_refusal(ranked, monkeypatch):
    stale = lock.lock_path(ranked)
    stale.write_bytes(b"")
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)  # gives up inside the grace
    before = ranked.read_bytes()
    with pytest.raises(WorkbookWriteError) as caught:
        rank_file(ranked)
    assert caught.value.message_vi == (
        f"Không ghi được vào tệp “cum.xlsx”: tệp khóa “{stale.name}” bên cạnh không ghi tên lần chạy nào đang giữ "
        "nó (trống hoặc không đọc được, thường do một lần chạy bị dừng giữa chừng) và chưa gỡ được. Nếu chắc chắn "
        "không còn ai chạy emutools trên tệp này, hãy xóa tệp khóa đó rồi chạy lại. Tệp không bị thay đổi.")
    assert f"the lock file '{stale.name}' beside it names no run holding it" in caught.value.message_en
    assert ranked.read_bytes() == before and stale.read_bytes() == b""


def test_a_lock_appears_with_its_holder_already_written(ranked, monkeypatch):
    """Linked into place from a finished draft: no instant at which another run sees it empty."""
    seen = []
    link = os.link

    def watching(source, target, **kwargs):
        seen.append(Path(source).read_text(encoding="utf-8"))
        link(source, target, **kwargs)

    monkeypatch.setattr(lock.os, "link", watching)
    rank_file(ranked)
    holder = json.loads(seen[0])
    assert (holder["pid"], holder["host"]) == (os.getpid(), socket.gethostname())
    assert leftovers(ranked.parent) == [] and not list(ranked.parent.glob("*.new"))


def test_without_hard_links_the_lock_is_made_in_place(ranked, monkeypatch):
    def unsupported(source, target, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(lock.os, "link", unsupported)
    rows = len(history_rows(ranked))
    with lock.locked(ranked):
        assert json.loads(lock.lock_path(ranked).read_text(encoding="utf-8"))["pid"] == os.getpid()
        rank_file(ranked)  # re-entrant, as before
    assert len(history_rows(ranked)) == rows + 1
    assert leftovers(ranked.parent) == [] and not list(ranked.parent.glob("*.new"))


def test_a_draft_left_by_a_run_killed_while_making_its_lock_is_removed(ranked):
    draft = ranked.parent / f"{lock.lock_path(ranked).name}.0badc0de.new"
    draft.write_text('{"pid": 1}', encoding="utf-8")
    _age(draft, 60)
    young = ranked.parent / f"{lock.lock_path(ranked).name}.1234abcd.new"
    young.write_text("", encoding="utf-8")  # another run's, being linked right now
    rank_file(ranked)
    assert not draft.exists() and young.exists()


# --- item 13: open in Excel or LibreOffice --------------------------------------------------


def test_a_workbook_open_in_libreoffice_is_not_rewritten_and_the_user_is_named(ranked):
    (ranked.parent / ".~lock.cum.xlsx#").write_text(
        "Nguyễn Văn An,may-thu-ky,an,30.11.2026 07:00,file:///home/an/.config/libreoffice/4;",
        encoding="utf-8")
    before = ranked.read_bytes()
    report = invoke("rank", str(ranked))
    assert report.exit_code == 2 and "LibreOffice" in report.output
    assert "Nguyễn Văn An" in report.output and ranked.read_bytes() == before


@pytest.mark.parametrize("file_form,owner_form", [("NFC", "NFD"), ("NFD", "NFC")])
def test_an_excel_owner_file_in_the_other_normal_form_is_detected(tmp_path, file_form, owner_form):
    path = tmp_path / unicodedata.normalize(file_form, "Cụm thi đua.xlsx")
    build_workbook(path, demo_content("vi"))
    owner = bytes([5]) + b"Hoa  " + b" " * 48 + bytes([5, 0]) + "Hương".encode("utf-16-le")
    (tmp_path / unicodedata.normalize(owner_form, "~$Cụm thi đua.xlsx")).write_bytes(owner)
    before = path.read_bytes()
    with pytest.raises(WorkbookWriteError) as caught:
        rank_file(path)
    assert "Excel" in caught.value.message_vi and "Hương" in caught.value.message_vi
    assert path.read_bytes() == before


# --- item 8: every command on a bad disk, folder or name --------------------------------------


def test_commands_into_a_missing_folder_say_so(ranked, tmp_path):
    missing = tmp_path / "khong-co" / "x.xlsx"
    for args in (["new", str(missing)], ["new-period", str(ranked), "--out", str(missing)]):
        report = invoke(*args)
        assert report.exit_code == 2, args
        assert "không tồn tại" in report.output and "khong-co" in report.output, report.output
    assert not missing.parent.exists()


def test_a_name_too_long_is_called_too_long(ranked, tmp_path):
    long_name = tmp_path / ("Bảng điểm thi đua " * 15 + ".xlsx")  # 300+ bytes in UTF-8
    report = invoke("new", str(long_name))
    assert report.exit_code == 2 and "quá dài" in report.output, report.output
    fits = tmp_path / ("x" * 245 + ".xlsx")  # a 250-byte name is legal: it is written
    assert invoke("new", str(fits)).exit_code == 0 and zipfile.is_zipfile(fits)
    assert leftovers(tmp_path) == []


@POSIX
def test_every_command_on_a_read_only_drive_says_so_and_leaves_nothing(tmp_path):
    with tmpfs(tmp_path / "disk") as disk:
        path = disk / "cum.xlsx"
        build_workbook(path, demo_content("vi"))
        rank_file(path)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        before = sorted(p.name for p in disk.iterdir())
        for args in (["new", str(disk / "moi.xlsx")], ["new-period", str(path)],
                     ["letters", str(path), "--draft"], ["rank", str(path)],
                     ["demo", "--folder", str(disk / "demo")]):
            report = invoke(*args)
            assert report.exit_code == 2, (args, report.output)
            assert "chỉ cho đọc" in report.output or "chỉ đọc" in report.output, report.output
        assert sorted(p.name for p in disk.iterdir()) == before


@POSIX
def test_every_command_on_a_full_disk_says_so_and_leaves_nothing_partial(tmp_path):
    with tmpfs(tmp_path / "disk", "2m") as disk:
        path = disk / "cum.xlsx"
        build_workbook(path, demo_content("vi"))
        rank_file(path)
        names = sorted(p.name for p in disk.iterdir())
        filler = fill(disk, 0)
        for args in (["new", str(disk / "moi.xlsx")], ["new-period", str(path)],
                     ["letters", str(path), "--draft"], ["demo", "--folder", str(disk)]):
            report = invoke(*args)
            assert report.exit_code == 2, (args, report.output)
            assert "đầy" in report.output and "Traceback" not in report.output, report.output
            assert sorted(p.name for p in disk.iterdir()) == [*names, "filler"] or \
                all(p.is_dir() for p in disk.iterdir() if p.name not in {*names, "filler"})
        filler.unlink()
        # nothing partial blocks the re-run
        assert invoke("new-period", str(path)).exit_code == 0
        assert invoke("new", str(disk / "moi.xlsx")).exit_code == 0


def test_the_template_builder_turns_os_errors_into_a_message(tmp_path):
    with pytest.raises(WorkbookWriteError) as caught:
        build_workbook(tmp_path / "khong-co" / "mau.xlsx", default_content("en"))
    assert "does not exist" in caught.value.message_en and "mau.xlsx" in caught.value.message_en
