"""Database triggers that refuse UPDATE and DELETE on guarded tables, on SQLite and PostgreSQL.

Two sets use this: the audit trail (kaohe/audit/guards.py) and the published versions with their
charts (kaohe/results/guards.py). The models already refuse such writes; the triggers make the
database itself refuse them, so that no ORM bypass and no raw SQL alters or removes a row.
Whoever owns the database can still drop a trigger: what they change then breaks the audit chain
or the seal (`kaohe audit verify`, `kaohe verify`), and both commands report missing guards.

The one exception is emptying the whole database between transactional tests (Django's `flush`):
on SQLite it deletes row by row, on PostgreSQL it truncates. Both are let through only while the
table PERMIT holds a row; the migrations create it empty, production never writes it, and the
test suite writes one around each flush (tests/conftest.py). Row deletes on PostgreSQL are always
refused (its flush never deletes rows); a TRUNCATE fires no row trigger, so a statement trigger
refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Emptying the database is let through while this table holds a row (tests/conftest.py).
PERMIT = "kaohe_flush_permit"
_SUFFIXES = {"sqlite": ("_update", "_delete"), "postgresql": ("", "_truncate")}


@dataclass(frozen=True)
class Guards:
    """The guards of some tables: `function` names the PostgreSQL trigger function, `refusal`
    is the error after the table's name ("<table>: <refusal>"); `owns_function` False when
    another set of guards created the function and drops it."""

    tables: tuple[str, ...]
    function: str
    refusal: str
    owns_function: bool = True

    def triggers(self, vendor: str) -> list[str]:
        """The names of the guards on this database vendor."""
        if vendor not in _SUFFIXES:
            raise ImproperlyConfigured(f"no guards for the {vendor} database")
        return [f"kaohe_guard_{t}{s}" for t in self.tables for s in _SUFFIXES[vendor]]

    def create_statements(self, vendor: str) -> list[str]:
        """The SQL that creates the permit table (if missing) and every guard."""
        self.triggers(vendor)  # refuses an unknown vendor
        permit = f"CREATE TABLE IF NOT EXISTS {PERMIT} (permit integer NOT NULL)"
        if vendor == "sqlite":
            return [permit, *(s for t in self.tables for s in self._sqlite(t))]
        return [permit, self._postgres_function(), *(s for t in self.tables for s in self._pg(t))]

    def drop_statements(self, vendor: str) -> list[str]:
        """The SQL that removes the guards; the permit table stays (the other guards read it)."""
        on = vendor == "postgresql"
        drops = [
            f"DROP TRIGGER IF EXISTS kaohe_guard_{t}{s}" + (f" ON {t}" if on else "")
            for t in self.tables
            for s in _SUFFIXES[vendor]
        ]
        if on and self.owns_function:
            drops.append(f"DROP FUNCTION IF EXISTS {self.function}()")
        return drops

    def create(self, apps: Any, schema_editor: Any) -> None:
        """Migration step: create the guards (RunPython, for the database at hand)."""
        for sql in self.create_statements(schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)  # None: the SQL is sent as written

    def drop(self, apps: Any, schema_editor: Any) -> None:
        """Migration step backwards: remove them."""
        for sql in self.drop_statements(schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def missing(self, connection: Any) -> list[str]:
        """The guards this database should have and has not (or has disabled)."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            else:
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
                )
            present = {row[0] for row in cursor.fetchall()}
        return [name for name in self.triggers(connection.vendor) if name not in present]

    def _sqlite(self, table: str) -> list[str]:
        refuse = f"BEGIN SELECT RAISE(ABORT, '{table}: {self.refusal}'); END"
        return [
            f"CREATE TRIGGER kaohe_guard_{table}_update BEFORE UPDATE ON {table} {refuse}",
            f"CREATE TRIGGER kaohe_guard_{table}_delete BEFORE DELETE ON {table} "
            f"WHEN NOT EXISTS (SELECT 1 FROM {PERMIT}) {refuse}",
        ]

    def _postgres_function(self) -> str:
        return f"""CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND EXISTS (SELECT 1 FROM {PERMIT}) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '%: {self.refusal}', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$"""

    def _pg(self, table: str) -> list[str]:
        return [
            f"CREATE TRIGGER kaohe_guard_{table} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {self.function}()",
            f"CREATE TRIGGER kaohe_guard_{table}_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {self.function}()",
        ]


def permit_held(connection: Any) -> bool:
    """Whether the permit table holds a row: then raw SQL deletes guarded rows, triggers in place."""
    if PERMIT not in connection.introspection.table_names():
        return False  # dropped with the guards, which `missing` reports
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {PERMIT} LIMIT 1")
        return cursor.fetchone() is not None
