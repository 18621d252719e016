"""The database refuses to change or delete a published supervision circular, as it does a
published version (kaohe/results/guards.py)."""

from django.db import migrations

from kaohe.results import guards


class Migration(migrations.Migration):
    dependencies = [("results", "0010_circulars")]

    operations = [migrations.RunPython(guards.CIRCULARS.create, guards.CIRCULARS.drop)]
