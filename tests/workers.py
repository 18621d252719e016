"""Which pytest-xdist worker runs this process (`make pytest` runs the suite on both cores).

pytest-django already gives each worker its own test database (`test_<name>_gw0`, and on SQLite
the file name with `_gw0`); `tmp_path` is per worker too. What a test names itself (a scratch
database beside the test one) goes through `per_worker`, so two workers never share it.
"""

from __future__ import annotations

import os


def worker() -> str:
    """The worker's name (gw0, gw1, …) under xdist; empty when the tests run in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def per_worker(name: str) -> str:
    """`name` with this worker's suffix (`kaohe_ci_two_gw1`); unchanged in one process."""
    return f"{name}_{worker()}" if worker() else name
