"""The seal migration applies forward on a database that already has published versions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kaohe.results import guards
from kaohe.results.models import Publication
from kaohe.results.seal import GENESIS, chain_problems, seal_of
from tests.web.factories import RoleFactory, make_year

BEFORE = ("results", "0002_attachments_publications_charts_objections")


def _old_version(apps: object, year: int, number: int, by: object) -> None:
    """A version as the schema before the seal stored it."""
    Publication = apps.get_model("results", "Publication")  # type: ignore[attr-defined]
    Publication.objects.create(
        year_id=year,
        number=number,
        bundle={"format": "kaohe-bundle/1", "year": 2016, "n": number},
        digest="d" * 64,
        results={"departments": []},
        honors={},
        decisions={"recommended": []},
        meeting=f"第{number}次党组会",
        confirmed_by_id=by,
        confirmed_at=datetime.datetime(2017, 1, 20 + number, tzinfo=datetime.UTC),
    )


@pytest.mark.django_db(transaction=True)
def test_existing_versions_are_sealed_in_order_per_year_then_guarded() -> None:
    # given a database migrated to before the seal, with versions 1 and 2 of 2016, 1 of 2017
    y2016, y2017 = make_year(2016), make_year(2017)
    party = RoleFactory(kind="party_group").user
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    assert len(guards.GUARDS.missing(connection)) == len(guards.GUARDS.triggers(connection.vendor))
    old = executor.loader.project_state([BEFORE]).apps
    for year, number in ((y2016, 2), (y2016, 1), (y2017, 1)):
        _old_version(old, year.pk, number, party.pk)
    # when the migrations apply forward (to the latest)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # then every version is sealed, each year's chain starting from the starting value,
    rows = Publication.objects.select_related("year", "confirmed_by").order_by("number")
    by_key = {(p.year.year, p.number): p for p in rows}
    assert sorted(by_key) == [(2016, 1), (2016, 2), (2017, 1)]
    assert by_key[2016, 1].previous_seal == GENESIS == by_key[2017, 1].previous_seal
    assert by_key[2016, 2].previous_seal == by_key[2016, 1].seal
    assert all(seal_of(p) == p.seal for p in by_key.values())
    assert chain_problems(list(rows.filter(year=y2016))) == []
    # and the guards are in place
    assert guards.GUARDS.missing(connection) == []
