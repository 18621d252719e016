"""Database triggers that refuse to change or delete published versions and their charts.

The models already refuse it (ImmutableModel); the triggers make the database itself refuse, so
that no ORM bypass (`_base_manager`, `QuerySet(Publication).update`, `models.Model.save`) and no
raw SQL can alter a version. Whoever owns the database can still drop a trigger: what they change
then is caught by the seal (kaohe/results/seal.py, `kaohe verify`).

The one exception is emptying the whole database between transactional tests (Django's `flush`):
on SQLite it deletes row by row, on PostgreSQL it truncates. Both are let through only while the
table PERMIT holds a row; the migrations create it empty, production never writes it, and the
test suite writes one around each flush (tests/conftest.py). Row deletes on PostgreSQL are always
refused (its flush never deletes rows).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from kaohe.audit.guards import PERMIT as PERMIT  # one permit for every guarded table

TABLES = ("results_publication", "results_publishedchart")  # guarded by migration 0004
CIRCULARS = ("results_circular",)  # the published supervision circulars, by migration 0011
GUARDED = TABLES + CIRCULARS
FUNCTION = "kaohe_refuse_published_change"


def _message(table: str) -> str:
    return f"{table}: a published version cannot be changed or deleted"


def _sqlite_create(table: str) -> list[str]:
    refuse = f"BEGIN SELECT RAISE(ABORT, '{_message(table)}'); END"
    return [
        f"CREATE TRIGGER kaohe_guard_{table}_update BEFORE UPDATE ON {table} {refuse}",
        f"CREATE TRIGGER kaohe_guard_{table}_delete BEFORE DELETE ON {table} "
        f"WHEN NOT EXISTS (SELECT 1 FROM {PERMIT}) {refuse}",
    ]


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND EXISTS (SELECT 1 FROM {PERMIT}) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '%: a published version cannot be changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$"""


def _postgres_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER kaohe_guard_{table} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
        f"CREATE TRIGGER kaohe_guard_{table}_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
    ]


def triggers(vendor: str, tables: tuple[str, ...] = GUARDED) -> list[tuple[str, str]]:
    """The guards on this database vendor: (trigger name, table)."""
    suffixes = {"sqlite": ("_update", "_delete"), "postgresql": ("", "_truncate")}
    if vendor not in suffixes:
        raise ImproperlyConfigured(f"no guards for the {vendor} database")
    return [(f"kaohe_guard_{t}{s}", t) for t in tables for s in suffixes[vendor]]


def create_statements(vendor: str, tables: tuple[str, ...] = TABLES) -> list[str]:
    """The SQL that creates the permit table and the guards of `tables` (the function they
    share on PostgreSQL is created or replaced each time)."""
    triggers(vendor)  # refuses an unknown vendor
    statements = [f"CREATE TABLE IF NOT EXISTS {PERMIT} (permit integer NOT NULL)"]
    if vendor == "sqlite":
        return statements + [s for t in tables for s in _sqlite_create(t)]
    return [*statements, POSTGRES_FUNCTION, *(s for t in tables for s in _postgres_create(t))]


def drop_statements(vendor: str, tables: tuple[str, ...] = GUARDED) -> list[str]:
    """The SQL that removes the guards of `tables` (all by default); the permit table stays, the
    audit trail's guards read it (kaohe/audit/guards.py). The function the triggers share on
    PostgreSQL goes with the published versions' guards, the last to be dropped."""
    on = vendor == "postgresql"
    drops = [
        f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if on else "")
        for name, table in triggers(vendor, tables)
    ]
    if on and set(TABLES) <= set(tables):
        drops.append(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    return drops


def guards_create(apps: Any, schema_editor: Any) -> None:
    """Migration step: create the guards (RunPython, for the database at hand)."""
    for sql in create_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)  # None: the SQL is sent as written


def guards_drop(apps: Any, schema_editor: Any) -> None:
    """Migration step backwards: remove them."""
    for sql in drop_statements(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(sql, params=None)


def circular_guards_create(apps: Any, schema_editor: Any) -> None:
    """Migration step: the same guards on the published circulars."""
    for sql in create_statements(schema_editor.connection.vendor, CIRCULARS):
        schema_editor.execute(sql, params=None)


def circular_guards_drop(apps: Any, schema_editor: Any) -> None:
    """Migration step backwards: remove them."""
    for sql in drop_statements(schema_editor.connection.vendor, CIRCULARS):
        schema_editor.execute(sql, params=None)


def missing_guards(connection: Any) -> list[str]:
    """The guards this database should have and has not (or has disabled)."""
    expected = [name for name, _table in triggers(connection.vendor)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
            )
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]


def permit_held(connection: Any) -> bool:
    """Whether the permit table holds a row: then raw SQL deletes versions, triggers in place."""
    if PERMIT not in connection.introspection.table_names():
        return False  # dropped with the guards, which missing_guards reports
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {PERMIT} LIMIT 1")
        return cursor.fetchone() is not None
