"""Real threads for the race tests on PostgreSQL (SQLite serialises writers and hides races)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.db import connection

T = TypeVar("T")
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
# Below PostgreSQL's default of 100 connections, with room for the test's own.
MAX_THREADS = 60

# The marks of a module of race tests: PostgreSQL only, with real transactions.
RACES = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not POSTGRES,
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises writers and hides races",
    ),
    pytest.mark.django_db(transaction=True),
]


def in_threads(jobs: list[Callable[[], T]]) -> list[T]:
    """Run the jobs on real threads, released together; each thread closes its own connection."""
    barrier = threading.Barrier(min(len(jobs), MAX_THREADS))

    def run(job: Callable[[], T], wait: bool) -> T:
        try:
            if wait:
                barrier.wait(timeout=30)
            return job()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=MAX_THREADS) as pool:
        futures = [pool.submit(run, job, i < MAX_THREADS) for i, job in enumerate(jobs)]
        return [f.result(timeout=120) for f in futures]
