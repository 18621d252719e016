"""Helpers of the seal and guard tests: a published small year, SQL as an intruder writes it,
the guards dropped on the test database, and `kaohe verify` run in-process."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from kaohe.results import guards
from kaohe.results.actions import adjustment_record
from kaohe.results.models import Publication
from tests.web.conftest import World
from tests.web.results_support import hold_rounds, publish


def published_world(world: World, **options: Any) -> Publication:
    """The personas' year (three departments), complete, published as version 1."""
    hold_rounds(world.year)
    return publish(world.year, by=world.party, **options)


def corrected_world(world: World) -> tuple[Publication, Publication]:
    """Version 1 of the personas' year, then version 2 after a party-group adjustment."""
    first = published_world(world)
    adjustment_record(
        by=world.office,
        year=world.year,
        department=world.js,
        amount=Decimal("1"),
        reason="党组研究加分",
        meeting="党组会",
    )
    return first, publish(world.year, by=world.party)


def sql(statement: str, params: list[Any] | None = None) -> None:
    """Raw SQL on the test database, as someone holding the database would write it."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def alter(p: Publication, **columns: Any) -> None:
    """Change a version's columns by SQL (JSON documents given as Python values)."""
    for column, value in columns.items():
        cast = ""
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
            cast = "::jsonb" if connection.vendor == "postgresql" else ""
        sql(f"UPDATE results_publication SET {column} = %s{cast} WHERE id = %s", [value, p.pk])


@pytest.fixture(name="unguarded")
def unguarded_fixture(db: None) -> Iterator[None]:
    """The guards dropped on the test database (the test's transaction brings them back)."""
    for statement in guards.GUARDS.drop_statements(connection.vendor):
        sql(statement)
    yield


def verify(*args: str) -> tuple[int, str, str]:
    """`kaohe verify ARGS`: exit status, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
