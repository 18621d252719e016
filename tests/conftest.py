"""Shared test configuration."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def _flush_permitted() -> Iterator[None]:
    """pytest-django empties the database between transactional tests with Django's `flush`
    (DELETE on SQLite, TRUNCATE on PostgreSQL); the guards of published versions and of the audit
    trail refuse both unless the flush permit holds a row (kaohe/results/guards.py,
    kaohe/audit/guards.py). Only here is it ever written."""
    from django.core.management.commands import flush
    from django.db import connections

    from kaohe.results.guards import PERMIT

    original = flush.Command.handle

    def handle(self: Any, **options: Any) -> Any:
        with connections[options["database"]].cursor() as cursor:
            cursor.execute(f"INSERT INTO {PERMIT} (permit) VALUES (1)")
        try:
            return original(self, **options)
        finally:
            with connections[options["database"]].cursor() as cursor:
                cursor.execute(f"DELETE FROM {PERMIT}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush.Command, "handle", handle)
        yield


@pytest.fixture(scope="session", autouse=True)
def _files_per_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploaded files and the log file in this process's temporary directory (one per xdist
    worker), never in the checkout's var/: the developer's own data stays as it was, and two
    workers never write one file. A test that sets MEDIA_ROOT itself (tmp_path) still does."""
    import logging

    from django.test import override_settings

    from kaohe.logs import PrivateRotatingFileHandler

    data = tmp_path_factory.mktemp("data")
    for name in ("django", "kaohe"):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, PrivateRotatingFileHandler):
                handler.close()  # opened again, at the new name, by its next record
                handler.baseFilename = str(data / "logs" / "kaohe.log")
    with override_settings(MEDIA_ROOT=str(data / "media"), LOG_DIR=data / "logs"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _lockout_off() -> None:
    """Axes needs the request in `authenticate`, which Django's test client `login()` does not
    pass: lockout is off in the tests but those of the lockout, which turn it on
    (tests/web/test_lockout.py) and log in through the login page."""
    from django.conf import settings as django_settings

    django_settings.AXES_ENABLED = False
