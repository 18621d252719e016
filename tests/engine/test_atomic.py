"""`-o FILE` (`engine/atomic.py`): atomic for regular files, straight through to anything else."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kaohe.engine.atomic import write_output


def test_a_new_file_gets_the_usual_mode_not_0600(tmp_path: Path) -> None:
    # given no file yet and a umask of 022
    target = tmp_path / "results.json"
    old = os.umask(0o022)
    try:
        # when written
        write_output("{}", str(target))
    finally:
        os.umask(old)
    # then a regular file as `>` would create it
    assert target.read_text(encoding="utf-8") == "{}"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_an_existing_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    # given a file of that mode
    target = tmp_path / "results.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    # when written over
    write_output("new", str(target))
    # then the new text, the old mode
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_symlink_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    # given a link (relative, in another directory) to a file of mode 0644
    real = tmp_path / "data" / "results.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "latest.json"
    link.symlink_to(Path("data") / "results.json")
    # when written through the link
    write_output("new", str(link))
    # then the link is still the link and the target holds the text, its mode kept
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("data") / "results.json")
    assert real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert [p.name for p in real.parent.iterdir()] == ["results.json"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    # given a link to a file that does not exist yet
    link = tmp_path / "latest.json"
    link.symlink_to(tmp_path / "results.json")
    # when written / then the link stays and its target is created
    write_output("new", str(link))
    assert link.is_symlink()
    assert (tmp_path / "results.json").read_text(encoding="utf-8") == "new"


def test_a_fifo_is_written_to_not_replaced(tmp_path: Path) -> None:
    # given a FIFO with a reader (non-blocking, so a wrong implementation fails rather than hangs)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        # when written
        write_output("通报", str(fifo))
        # then the reader got the text and the FIFO is still a FIFO
        assert os.read(reader, 1024).decode("utf-8") == "通报"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_character_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    # given a link to the null device (through a link in tmp_path: a wrong implementation then
    # replaces the link, never the machine's /dev/null)
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    before = os.stat(os.devnull)
    # when written
    write_output("x" * 100_000, str(link))
    # then the device is untouched and the link is still the link
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev, after.st_mode) == (
        before.st_ino,
        before.st_rdev,
        before.st_mode,
    )
    assert link.is_symlink()
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an existing file and a rename that fails
    target = tmp_path / "results.json"
    target.write_text("old", encoding="utf-8")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    # when written / then the error, the old file, and no temporary left behind
    with pytest.raises(OSError):
        write_output("new", str(target))
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_root_writing_a_users_file_leaves_it_theirs(tmp_path: Path) -> None:
    # given a user's file (uid and gid no process here runs as)
    target = tmp_path / "results.json"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 4321, 4322)
    # when root writes over it / then it is still theirs
    write_output("new", str(target))
    assert (target.stat().st_uid, target.stat().st_gid) == (4321, 4322)
    assert target.read_text(encoding="utf-8") == "new"
