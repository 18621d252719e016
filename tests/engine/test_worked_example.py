"""The worked example of bundle.md, input and output verbatim."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parent / "examples"


def test_bundle_md_example_gives_exactly_the_documented_output(tmp_path: Path) -> None:
    # given the input example of bundle.md
    bundle = EXAMPLES / "bundle_md_input.json"
    # when kaohe compute runs on it as a process
    proc = subprocess.run(
        [sys.executable, "-m", "kaohe.cli", "compute", str(bundle), "--format", "json"],
        capture_output=True,
        check=False,
    )
    # then it prints exactly the documented output
    assert proc.returncode == 0, proc.stderr.decode()
    expected = json.loads((EXAMPLES / "bundle_md_output.json").read_text(encoding="utf-8"))
    assert json.loads(proc.stdout) == expected
