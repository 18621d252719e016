# Written by hand: Entry.persons gets a through model with each person's times (issue 10, point 2).

import django.db.models.deletion
from django.db import migrations, models

from kaohe.engine import parse_scheme

PERSON_TIME = "人次"


def times_for(count, n, person_time):
    """Each linked person's times, the persons in name order: 1 each; where a person-time
    entry's count exceeds its persons, the surplus goes to the first. Where it is below the
    number of persons (1 人次 with 3 persons), every person keeps 1 and the count stays as it
    was: the data is kept, and the ledger refuses to confirm the entry until it is put right."""
    times = [1] * n
    if person_time and n and count is not None and count > n:
        times[0] += count - n
    return times


def link_times(apps, schema_editor):
    """Copy every entry-person link into EntryPerson with its times (see times_for)."""
    Entry = apps.get_model("ledger", "Entry")
    EntryPerson = apps.get_model("ledger", "EntryPerson")
    schemes = {}
    rows = []
    for entry in (
        Entry.objects.select_related("year").prefetch_related("persons").iterator(chunk_size=500)
    ):
        persons = sorted(entry.persons.all(), key=lambda p: (p.name, p.pk))
        if not persons:
            continue
        if entry.year_id not in schemes:
            schemes[entry.year_id] = parse_scheme(entry.year.scheme_document)
        rule = schemes[entry.year_id].rules.get(entry.rule_id)
        person_time = rule is not None and rule.unit == PERSON_TIME
        for person, times in zip(
            persons, times_for(entry.count, len(persons), person_time), strict=True
        ):
            rows.append(EntryPerson(entry_id=entry.pk, person_id=person.pk, times=times))
    EntryPerson.objects.bulk_create(rows, batch_size=500)


def unlink_times(apps, schema_editor):
    """Back to the plain links (the times are lost)."""
    Entry = apps.get_model("ledger", "Entry")
    EntryPerson = apps.get_model("ledger", "EntryPerson")
    Through = Entry.persons.through
    Through.objects.bulk_create(
        Through(entry_id=link.entry_id, person_id=link.person_id)
        for link in EntryPerson.objects.order_by("id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_once_per_slot_batches_one_open_objection"),
        ("org", "0002_department_head_is_a_role"),
        ("years", "0003_year_counters"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntryPerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("times", models.PositiveIntegerField(default=1, verbose_name="times")),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="person_links",
                        to="ledger.entry",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.person",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "constraints": [
                    models.UniqueConstraint(fields=("entry", "person"), name="entry_person_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("times__gte", 1)), name="entry_person_times_positive"
                    ),
                ],
            },
        ),
        migrations.RunPython(link_times, unlink_times),
        migrations.RemoveField(model_name="entry", name="persons"),
        migrations.AddField(
            model_name="entry",
            name="persons",
            field=models.ManyToManyField(
                blank=True, related_name="entries", through="ledger.EntryPerson", to="org.person"
            ),
        ),
    ]
