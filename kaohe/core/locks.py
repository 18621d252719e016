"""Reading a status under a shared lock: how a vote waits for its round's closing, and back."""

from __future__ import annotations

from django.db import connection, models


def status_for_share(model: type[models.Model], pk: int) -> str | None:
    """The row's `status`, read FOR SHARE on PostgreSQL (SQLite serialises writers anyway): a
    closing that locks the row FOR UPDATE waits for the caller's transaction, and the caller,
    arriving during a closing, reads the status once it has committed. None if no such row."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {table} WHERE id = %s{lock}", [pk])
        row = cursor.fetchone()
    return None if row is None else str(row[0])
