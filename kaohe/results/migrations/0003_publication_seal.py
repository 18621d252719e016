"""Seal every published version: SHA-256 over its whole record, chained per year.

Versions already published are sealed here, year by year in version order (before 0004 makes the
database refuse any update of them), in the format kaohe-seal/1, whose columns are exactly the
ones this migration knows; a released format never changes.
"""

from django.db import migrations, models

from kaohe.results.seal import GENESIS, SEAL_V1


def seal_existing(apps, schema_editor):
    Publication = apps.get_model("results", "Publication")
    if SEAL_V1.unlisted(Publication):
        raise RuntimeError(f"kaohe-seal/1 does not cover {sorted(SEAL_V1.unlisted(Publication))}")
    previous = {}
    rows = Publication.objects.using(schema_editor.connection.alias).select_related("year", "confirmed_by")
    for p in rows.order_by("year__year", "number"):
        p.seal_format = SEAL_V1.name
        p.previous_seal = previous.get(p.year.year, GENESIS)
        p.seal = SEAL_V1.seal(p)
        p.save(update_fields=["seal_format", "previous_seal", "seal"])
        previous[p.year.year] = p.seal


class Migration(migrations.Migration):

    dependencies = [
        ("results", "0002_attachments_publications_charts_objections"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="seal_format",
            field=models.CharField(default="", max_length=20, verbose_name="seal format"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publication",
            name="previous_seal",
            field=models.CharField(default="", max_length=64, verbose_name="seal of the version before"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publication",
            name="seal",
            field=models.CharField(default="", max_length=64, verbose_name="seal (SHA-256)"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
