"""Writing a command's output: to a file all or nothing, or to standard output."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO


def write_output(text: str, output: str | None, stream: TextIO | None = None) -> None:
    """Write to a file atomically (all or nothing), or to standard output."""
    if output is None:
        (stream or sys.stdout).write(text)
        return
    import tempfile  # only here: its import costs every `kaohe compute` 5 ms

    target = Path(output)
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".kaohe-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
