"""Every row now has its place in the chain; the database refuses UPDATE and DELETE on the trail
(triggers on SQLite and PostgreSQL, kaohe/audit/guards.py)."""

from django.db import migrations, models

from kaohe.audit import guards


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_chain_existing_rows"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.RunPython(guards.GUARDS.create, guards.GUARDS.drop),
    ]
