"""Chain the rows written before the chain existed, in the order of their ids."""

from django.db import migrations

from kaohe.audit.chain import row_hash


def chain_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    previous, sequence = "", 0
    for event in AuditEvent.objects.select_related("actor").order_by("id").iterator():
        sequence += 1
        event.sequence = sequence
        event.actor_name = event.actor.username if event.actor is not None else ""
        event.previous_hash = previous
        event.hash = previous = row_hash(event)
        event.save(update_fields=["sequence", "actor_name", "previous_hash", "hash"])
    AuditChainHead.objects.update_or_create(pk=1, defaults={"sequence": sequence, "hash": previous})


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_rows, migrations.RunPython.noop),
    ]
