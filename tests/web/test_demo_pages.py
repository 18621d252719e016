"""Smoke test: after `kaohe demo`, every demo login opens its pages without an error."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kaohe.assessment.management.commands.demo import DEMO_PASSWORD, DEMO_USERS
from kaohe.ledger.models import Entry
from tests.web.conftest import module_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_loaded")]


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """`kaohe demo` once for the module (it costs seconds): each test reads it in a savepoint of
    its own, so a session or a chart one test writes the next never sees."""
    with module_data(django_db_blocker):
        call_command("demo", stdout=io.StringIO())
        yield


PAGES = [
    "/",
    "/years/2016/overview/",
    "/years/2016/scheme/",
    "/years/2016/departments/CY/",
    "/ledger/2016/entries/",
    "/ledger/2016/review/",
    "/ballots/2016/rounds/",
    "/results/2016/proposal/",
    "/results/2016/",
    "/audit/",
]


def test_imported_entries_without_a_recorder_render_for_the_office() -> None:
    client = Client()
    assert client.login(username="kaoheban", password=DEMO_PASSWORD)
    for entry in Entry.objects.all():
        assert client.get(f"/ledger/entries/{entry.pk}/").status_code == 200, entry.ref


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_every_demo_login_opens_its_pages_without_a_server_error(username: str) -> None:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    for url in PAGES:
        status = client.get(url).status_code
        assert status in (200, 403, 404), (url, status)
    assert client.get("/").status_code == 200
