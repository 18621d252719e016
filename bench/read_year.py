"""Benchmark reading a year from the database against `kaohe compute` parsing it from JSON.

    .venv/bin/python bench/read_year.py                    # 200 departments, SQLite in a temp dir
    DATABASE_URL=postgres://… .venv/bin/python bench/read_year.py --scale 0.2

Generates bench/compute.py's bundle at the scale (0.2: 200 departments, 20,000 entries, the same
voters), imports it into a fresh database with the product's own import (year_import), then times,
in this process, with the cyclic collector as in a server (on):

- `parse`: the bundle's JSON bytes parsed by the engine (what `kaohe compute` does before computing);
- `year_bundle`: the year read from the database as the engine's Bundle (results/bundle.py);
- `live cold`: results.selectors.live_year with nothing stored (read, compute, store);
- `live warm`: live_year again (the stored result, this process's memo);
- `live stored`: live_year with the memo cleared (another process: the stored row unpickled).

Each figure is the median of --runs runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], Any], runs: int) -> float:
    """The median wall time of `fn` over `runs` runs, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Generate, import, time; print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.2, help="0.2 = 200 departments")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    data = tempfile.mkdtemp(prefix="kaohe-read-year-")
    os.environ.setdefault("KAOHE_DATA_DIR", data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases

    from bench.compute import generate
    from kaohe.assessment.bundle_io import year_import
    from kaohe.engine import parse_bundle_bytes
    from kaohe.results import stored
    from kaohe.results.bundle import year_bundle
    from kaohe.results.models import StoredResult
    from kaohe.results.selectors import live_year
    from kaohe.years.models import Year

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        setup_databases(verbosity=0, interactive=False)  # a test database: the real one untouched
    else:
        call_command("migrate", verbosity=0)
    path = Path(data) / "bundle.json"
    summary = generate(args.scale, 2016, path, export_fields=True)
    raw = path.read_bytes()
    start = time.perf_counter()
    year = year_import(by=None, bundle=parse_bundle_bytes(raw))
    imported = time.perf_counter() - start
    year = Year.objects.get(pk=year.pk)
    print(
        f"{summary['departments']} departments, {summary['entries']} entries, "
        f"{summary['grades']} grades, {len(raw) / 1e6:.1f} MB; imported in {imported:.1f} s"
    )

    def cold() -> None:
        StoredResult.objects.all().delete()
        stored._memo.clear()
        live_year(year)

    def from_row() -> None:
        stored._memo.clear()
        live_year(year)

    figures = {
        "parse": timed(lambda: parse_bundle_bytes(raw), args.runs),
        "year_bundle": timed(lambda: year_bundle(year), args.runs),
        "live cold": timed(cold, args.runs),
        "live stored": timed(from_row, args.runs),
        "live warm": timed(lambda: live_year(year), args.runs),
    }
    for name, ms in figures.items():
        print(f"{name:12} {ms:9.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
