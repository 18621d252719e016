"""Database triggers that make the audit trail append-only: UPDATE and DELETE are refused.

`audit_record` only ever inserts; the triggers make the database itself refuse anything else, so
that no ORM bypass and no raw SQL alters or removes a row. Whoever owns the database can still
drop a trigger: what they change then breaks the hash chain (kaohe/audit/chain.py, `kaohe audit
verify`).

The one exception is emptying the whole database between transactional tests (Django's `flush`),
let through only while the permit table holds a row, as for published versions
(kaohe/results/guards.py, which shares the permit): production never writes it. On PostgreSQL a
TRUNCATE fires no row trigger, so a statement trigger refuses it too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

TABLE = "audit_auditevent"
# Emptying the database is let through while this table holds a row (tests/conftest.py).
PERMIT = "kaohe_flush_permit"
FUNCTION = "kaohe_refuse_audit_change"
MESSAGE = "audit_auditevent: the audit trail is append-only"

SQLITE_REFUSE = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
SQLITE = [
    f"CREATE TRIGGER kaohe_guard_{TABLE}_update BEFORE UPDATE ON {TABLE} {SQLITE_REFUSE}",
    f"CREATE TRIGGER kaohe_guard_{TABLE}_delete BEFORE DELETE ON {TABLE} "
    f"WHEN NOT EXISTS (SELECT 1 FROM {PERMIT}) {SQLITE_REFUSE}",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND EXISTS (SELECT 1 FROM {PERMIT}) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
END
$$""",
    f"CREATE TRIGGER kaohe_guard_{TABLE} BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
    f"CREATE TRIGGER kaohe_guard_{TABLE}_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
]


def triggers(vendor: str) -> list[str]:
    """The names of the audit trail's guards on this database vendor."""
    suffixes = {"sqlite": ("_update", "_delete"), "postgresql": ("", "_truncate")}
    if vendor not in suffixes:
        raise ImproperlyConfigured(f"no audit guards for the {vendor} database")
    return [f"kaohe_guard_{TABLE}{s}" for s in suffixes[vendor]]


def create_statements(vendor: str) -> list[str]:
    """The SQL that creates the permit table (if missing) and the guards."""
    triggers(vendor)  # refuses an unknown vendor
    permit = f"CREATE TABLE IF NOT EXISTS {PERMIT} (permit integer NOT NULL)"
    return [permit, *(SQLITE if vendor == "sqlite" else POSTGRES)]


def drop_statements(vendor: str) -> list[str]:
    """The SQL that removes the guards (the permit table stays: published versions use it)."""
    on = f" ON {TABLE}" if vendor == "postgresql" else ""
    drops = [f"DROP TRIGGER IF EXISTS {name}{on}" for name in triggers(vendor)]
    if vendor == "postgresql":
        drops.append(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    return drops


def guards_create(apps: Any, schema_editor: Any) -> None:
    """Migration step: create the guards (RunPython, for the database at hand)."""
    for sql in create_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)  # None: the SQL is sent as written


def guards_drop(apps: Any, schema_editor: Any) -> None:
    """Migration step backwards: remove them."""
    for sql in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def missing_guards(connection: Any) -> list[str]:
    """The audit guards this database should have and has not (or has disabled)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
            )
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in triggers(connection.vendor) if name not in present]
