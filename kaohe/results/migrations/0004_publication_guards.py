"""The database refuses UPDATE and DELETE on published versions and their charts (triggers on
SQLite and PostgreSQL; kaohe/results/guards.py). After 0003: no version could be sealed later."""

from django.db import migrations

from kaohe.results import guards


class Migration(migrations.Migration):

    dependencies = [
        ("results", "0003_publication_seal"),
    ]

    operations = [
        migrations.RunPython(guards.PUBLISHED.create, guards.PUBLISHED.drop),
    ]
