"""The database itself refuses to change or delete a published version or its charts: every ORM
bypass and raw SQL, on SQLite and on PostgreSQL; what must keep working still works."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.db.models import QuerySet

from kaohe.results import guards
from kaohe.results.actions import chart_store, publicity_objection_raise
from kaohe.results.models import PartyDecisions, Publication, PublicityObjection, PublishedChart
from tests.web.conftest import World
from tests.web.seal_support import published_world, sql

pytestmark = pytest.mark.django_db

POSTGRES = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="needs PostgreSQL (DATABASE_URL=postgres://…)"
)

Write = Callable[[Any], object]
TABLE = {Publication: "results_publication", PublishedChart: "results_publishedchart"}
COLUMN = {Publication: "meeting", PublishedChart: "name"}


def _set(obj: Any) -> None:
    setattr(obj, COLUMN[type(obj)], "改过")


def _update_by_base_manager(obj: Any) -> object:
    return type(obj)._base_manager.filter(pk=obj.pk).update(**{COLUMN[type(obj)]: "改过"})


def _update_by_plain_queryset(obj: Any) -> object:
    return QuerySet(type(obj)).filter(pk=obj.pk).update(**{COLUMN[type(obj)]: "改过"})


def _update_by_model_save(obj: Any) -> object:
    _set(obj)
    return models.Model.save(obj)


def _update_by_sql(obj: Any) -> object:
    table, column = TABLE[type(obj)], COLUMN[type(obj)]
    return sql(f"UPDATE {table} SET {column} = %s WHERE id = %s", ["改过", obj.pk])


def _delete_by_base_manager(obj: Any) -> object:
    return type(obj)._base_manager.filter(pk=obj.pk).delete()


def _delete_by_plain_queryset(obj: Any) -> object:
    return QuerySet(type(obj)).filter(pk=obj.pk).delete()


def _delete_raw_by_plain_queryset(obj: Any) -> object:
    return QuerySet(type(obj)).filter(pk=obj.pk)._raw_delete(connection.alias)


def _delete_by_model_delete(obj: Any) -> object:
    return models.Model.delete(obj)


def _delete_by_sql(obj: Any) -> object:
    return sql(f"DELETE FROM {TABLE[type(obj)]} WHERE id = %s", [obj.pk])


UPDATES = [
    _update_by_base_manager,
    _update_by_plain_queryset,
    _update_by_model_save,
    _update_by_sql,
]
DELETES = [
    _delete_by_base_manager,
    _delete_by_plain_queryset,
    _delete_raw_by_plain_queryset,
    _delete_by_model_delete,
    _delete_by_sql,
]


def _target(world: World, model: type[models.Model]) -> Any:
    version = published_world(world)
    if model is Publication:
        # The year's standing decisions name the version (PROTECT): the ORM would refuse the
        # delete before any SQL is sent; without them, each delete reaches the database.
        PartyDecisions.objects.filter(publication=version).delete()
        return version
    return chart_store(publication=version, name="ranking", png=b"\x89PNG stored")


def _stored(obj: Any) -> dict[str, Any]:
    return dict(type(obj)._base_manager.filter(pk=obj.pk).values()[0])


@pytest.mark.parametrize("model", [Publication, PublishedChart], ids=["version", "chart"])
@pytest.mark.parametrize("write", UPDATES + DELETES, ids=lambda w: w.__name__.lstrip("_"))
def test_the_database_refuses_every_change_and_delete(
    world: World, model: type[models.Model], write: Write
) -> None:
    # given a published version (and one of its charts)
    target = _target(world, model)
    before = _stored(target)
    # when it is changed or deleted behind the models' back, then the database refuses
    with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
        write(target)
    # and the row is as it was
    assert _stored(target) == before


def test_objections_and_charts_can_still_be_added_to_a_published_version(world: World) -> None:
    import datetime

    today = datetime.date.today()
    version = published_world(world, publicity_start=today, publicity_end=today)
    publicity_objection_raise(by=world.head_js, publication=version, department=None, text="有异议")
    chart_store(publication=version, name="distribution", png=b"\x89PNG")
    assert PublicityObjection.objects.filter(publication=version).count() == 1
    assert PublishedChart.objects.filter(publication=version).count() == 1


def test_the_guards_are_in_place_after_the_migrations() -> None:
    # a later migration that rebuilds a guarded table (SQLite does, to alter a column) drops its
    # triggers with it: this test then fails until the migration creates them again
    assert guards.GUARDS.missing(connection) == []
    assert len(guards.GUARDS.triggers(connection.vendor)) == 6  # versions, charts, circulars


def test_the_flush_permit_is_empty_outside_a_flush() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {guards.PERMIT}")
        assert cursor.fetchone() == (0,)


@pytest.mark.postgres
@POSTGRES
def test_truncating_published_versions_is_refused_on_postgresql(world: World) -> None:
    version = published_world(world)
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts checked now, not at its end
    tables = "results_publication, results_publishedchart, results_publicityobjection, "
    tables += "results_partydecisions"
    with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
        sql(f"TRUNCATE {tables}")
    with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
        sql("TRUNCATE results_publication CASCADE")
    assert Publication.objects.filter(pk=version.pk).exists()
