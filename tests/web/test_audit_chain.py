"""The audit trail as evidence (issue 14 §3): append-only in the database, each row chained to
the one before by SHA-256, `kaohe audit verify` naming the first row that no longer holds."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.deletion import ProtectedError

from kaohe.audit import guards
from kaohe.audit.actions import audit_record
from kaohe.audit.chain import row_hash
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.models import AuditChainHead, AuditEvent
from tests.web.conftest import World
from tests.web.factories import UserFactory
from tests.web.threads import RACES, in_threads

pytestmark = pytest.mark.django_db


def write(by: Any, n: int, **after: Any) -> AuditEvent:
    return audit_record(
        by=by,
        action=AuditAction.DEPARTMENT_UPDATE,
        target_type=AuditTarget.DEPARTMENT,
        target_id=f"D{n}",
        department_code=f"D{n}",
        before={"name": "旧名"},
        after={"name": f"新名{n}", **after},
    )


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


def drop_guards() -> None:
    """What only the database's owner can do; the test's transaction puts them back."""
    for statement in guards.GUARDS.drop_statements(connection.vendor):
        sql(statement)


def test_each_row_is_chained_to_the_one_before(world: World) -> None:
    rows = [write(world.office, n) for n in range(3)] + [write(None, 9)]
    stored = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in stored] == [1, 2, 3, 4]
    assert stored[0].previous_hash == ""
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.previous_hash == before.hash
    assert all(row_hash(e) == e.hash and len(e.hash) == 64 for e in stored)
    assert [e.hash for e in stored] == [e.hash for e in rows]
    assert stored[0].actor_name == world.office.username and stored[3].actor_name == ""
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (4, stored[3].hash)


def test_the_database_refuses_to_change_or_delete_a_row(world: World) -> None:
    event = write(world.office, 1)
    attempts = [
        lambda: AuditEvent.objects.filter(pk=event.pk).update(target_id="X"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda: sql("UPDATE audit_auditevent SET after = NULL"),
        lambda: sql("DELETE FROM audit_auditevent"),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            attempt()
    event.refresh_from_db()
    assert event.target_id == "D1" and event.after == {"name": "新名1"}
    assert guards.GUARDS.missing(connection) == []


def test_a_user_with_audit_rows_cannot_be_deleted(world: World) -> None:
    user = UserFactory()
    write(user, 1)
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()
    assert AuditEvent.objects.get().actor_name == user.username


def test_verify_says_the_chain_is_intact(world: World) -> None:
    for n in range(5):
        write(world.office, n)
    code, out, err = verify()
    assert (code, err) == (0, "")
    assert "chain intact, 5 rows" in out


def test_verify_names_the_first_row_changed_behind_the_triggers(world: World) -> None:
    events = [write(world.office, n) for n in range(5)]
    drop_guards()
    sql("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"name": "改过"}', events[2].pk])
    sql("UPDATE audit_auditevent SET target_id = 'Z' WHERE id = %s", [events[3].pk])
    guards.GUARDS.create(None, connection.schema_editor())
    code, out, err = verify()
    assert code == 1 and "chain intact" not in out
    assert f"row 3 (id {events[2].pk}): content does not match its hash" in err


def test_verify_names_a_removed_row_and_missing_guards(world: World) -> None:
    events = [write(world.office, n) for n in range(4)]
    drop_guards()
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    code, _out, err = verify()
    assert code == 1
    assert "row 2 (id " in err and "expected sequence 2, found 3" in err
    assert "database guard kaohe_guard_audit_auditevent" in err


def test_verify_names_rows_cut_from_the_end(world: World) -> None:
    events = [write(world.office, n) for n in range(3)]
    drop_guards()
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    guards.GUARDS.create(None, connection.schema_editor())
    code, _out, err = verify()
    assert code == 1 and "chain head says row 3, the last row is 2" in err


def test_a_rewritten_chain_without_its_head_still_links(world: World) -> None:
    # the head is only the lock and the last link: lost (an emptied table), it is made again
    write(world.office, 1)
    AuditChainHead.objects.all().delete()
    second = write(world.office, 2)
    assert second.sequence == 2 and verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_chained_in_id_order_by_the_migration() -> None:
    user = UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0001_initial")])
    assert guards.GUARDS.missing(connection) == guards.GUARDS.triggers(connection.vendor)
    Old = executor.loader.project_state([("audit", "0001_initial")]).apps.get_model(
        "audit", "AuditEvent"
    )
    for n in range(3):
        Old.objects.create(
            actor_id=user.pk if n else None,
            action="department_update",
            target_type="department",
            target_id=str(n),
            after={"n": n},
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = list(AuditEvent.objects.order_by("id"))
    assert [(e.sequence, e.target_id) for e in rows] == [(1, "0"), (2, "1"), (3, "2")]
    assert [e.actor_name for e in rows] == ["", user.username, user.username]
    assert verify()[0] == 0
    assert guards.GUARDS.missing(connection) == []
    assert write(None, 4).sequence == 4


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: row triggers only")
def test_truncating_the_trail_is_refused_on_postgresql(world: World) -> None:
    write(world.office, 1)
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts checked now, not at its end
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql("TRUNCATE audit_auditevent")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql("TRUNCATE auth_user CASCADE")
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("writers", [20])
@RACES[0]
@RACES[1]
@RACES[2]
def test_concurrent_appends_take_turns_and_keep_one_chain(writers: int) -> None:
    user = UserFactory()
    in_threads([lambda n=n: write(user, n) for n in range(writers)])  # type: ignore[misc]
    assert AuditEvent.objects.count() == writers
    assert verify()[0] == 0
