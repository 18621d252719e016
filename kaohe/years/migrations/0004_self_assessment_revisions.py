"""Every submission of a self-assessment form kept as a revision; each existing form becomes its
revision 1 (its lines, who and when; it had no 填表日期 or 处室负责人)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def forms_as_first_revisions(apps, schema_editor):
    SelfAssessment = apps.get_model("years", "SelfAssessment")
    Revision = apps.get_model("years", "SelfAssessmentRevision")
    Revision.objects.bulk_create(
        Revision(
            form=form,
            number=1,
            lines=form.lines,
            submitted_by_id=form.submitted_by_id,
            submitted_at=form.submitted_at,
        )
        for form in SelfAssessment.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("years", "0003_year_counters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SelfAssessmentRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("lines", models.JSONField(default=dict, verbose_name="items")),
                ("filled_on", models.DateField(null=True, verbose_name="date filled in")),
                ("head_name", models.CharField(blank=True, max_length=40, verbose_name="head of the department")),
                ("submitted_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("form", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="revisions", to="years.selfassessment")),
                ("submitted_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-number"],
                "constraints": [models.UniqueConstraint(fields=("form", "number"), name="self_assessment_revision_unique")],
            },
        ),
        migrations.RunPython(forms_as_first_revisions, migrations.RunPython.noop),
    ]
