"""Entry numbers written one way: an entry imported as 2016-031 becomes 2016-00031, as the
entries numbered here are (years.counters.reference), unless that number is already taken."""

import re

from django.db import migrations

# The product's own entry numbers of any width; the pattern is copied, as migrations must not
# follow the code.
OWN = re.compile(r"([0-9]{4})-([0-9]{1,9})")


def refs_one_numbering(apps, schema_editor):
    Entry = apps.get_model("ledger", "Entry")
    taken = set(Entry.objects.values_list("year_id", "ref"))
    for entry in Entry.objects.select_related("year").order_by("id"):
        found = OWN.fullmatch(entry.ref)
        if found is None or int(found[1]) != entry.year.year:
            continue
        ref = f"{entry.year.year}-{int(found[2]):05d}"
        if ref == entry.ref or (entry.year_id, ref) in taken:
            continue
        taken.discard((entry.year_id, entry.ref))
        taken.add((entry.year_id, ref))
        Entry.objects.filter(pk=entry.pk).update(ref=ref)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_entry_persons_with_times")]

    operations = [migrations.RunPython(refs_one_numbering, migrations.RunPython.noop)]
