"""bench/web.py --smoke runs (a 20-department year, runs of half a second) so it does not rot."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _postgres() -> str:
    """Why PostgreSQL at 127.0.0.1:5432 cannot be used, or '' if it can."""
    try:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return ""
    except Exception as error:
        return f"bench/web.py needs PostgreSQL at postgres://postgres@127.0.0.1:5432 ({error})"


def _free_port() -> int:
    """A port nobody listens on (and the next one, the bare app's, most likely free too)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_bench_web_smoke_runs_and_adds_up() -> None:
    # Minutes of migrations and serving on 2 cores: run once, in the suite's PostgreSQL pass
    # (`.ci/run` runs the suite on SQLite, then on PostgreSQL), not in both.
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("bench/web.py's smoke run is part of the suite's PostgreSQL pass")
    reason = _postgres()
    if reason:
        pytest.skip(reason)
    env = {**os.environ, "KAOHE_BENCH_DATABASE": f"kaohe_bench_web_smoke_{os.getpid()}"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "bench/web.py", "--smoke", "--port", str(_free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "ballots stored" in done.stdout
    report = json.loads((ROOT / "bench" / "out" / "web.json").read_text())
    figures = {(f["figure"], f["departments"]) for f in report["figures"]}
    assert ("overview", 20) in figures and ("ballot submit", 20) in figures
    assert report["errors"] == 0
    assert report["ballots"]["stored"] == report["ballots"]["accepted"] > 0
