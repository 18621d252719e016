"""Writing a command's output: to a file all or nothing, or to standard output."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import TextIO


def write_output(text: str, output: str | None, stream: TextIO | None = None) -> None:
    """Write to a regular file atomically, straight through to anything else, or to stdout."""
    if output is None:
        (stream or sys.stdout).write(text)
        return
    # A link stays a link: what is replaced is its target.
    target = Path(os.path.realpath(output))
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # A FIFO, a device (/dev/null) or a terminal: renaming over it would replace it.
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
        return
    _replace(target, text, existing)


def _replace(target: Path, text: str, existing: os.stat_result | None) -> None:
    """Write a temporary file beside target with the existing file's mode (and owner, where
    allowed) and rename it over target."""
    import tempfile  # only here: its import costs every `kaohe compute` 5 ms

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".kaohe-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            if existing is None:
                os.fchmod(f.fileno(), _new_file_mode())
            else:
                os.fchmod(f.fileno(), stat.S_IMODE(existing.st_mode))
                _keep_owner(f.fileno(), existing)
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keep_owner(fd: int, existing: os.stat_result) -> None:
    """Give the new file the old one's owner and group: root writing a user's file leaves it
    theirs; anyone else may not change them, and the file is then theirs, as with `cp`."""
    if (existing.st_uid, existing.st_gid) == (os.getuid(), os.getgid()):
        return
    with contextlib.suppress(PermissionError):
        os.fchown(fd, existing.st_uid, existing.st_gid)


def _new_file_mode() -> int:
    """The mode `open(..., "w")` would give a new file (mkstemp's is always 0600)."""
    umask = os.umask(0)  # the only way to read it; set straight back (a one-threaded command)
    os.umask(umask)
    return 0o666 & ~umask
