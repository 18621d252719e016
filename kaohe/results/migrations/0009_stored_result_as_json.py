"""The stored computation as JSON, never a pickle: the pickled rows are dropped (each year is
computed again on its next read) and the stale decisions get their own JSON column."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def drop_pickled_rows(apps: Any, schema_editor: Any) -> None:
    """Every stored row written before: a pickle, never to be read again."""
    apps.get_model("results", "StoredResult").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("results", "0008_stored_result")]

    operations = [
        migrations.RunPython(drop_pickled_rows, migrations.RunPython.noop),
        migrations.AddField(
            model_name="storedresult",
            name="stale",
            field=models.JSONField(default=list),
        ),
    ]
