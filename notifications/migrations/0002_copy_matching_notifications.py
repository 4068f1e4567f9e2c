"""Copy the marketplace's notifications (a stored, finished text) into this app as kind "legacy";
matching.0002 then drops the old table. Backwards: copy the rendered legacy texts back."""

from django.db import migrations

BATCH = 2000


def copy_forward(apps, schema_editor):
    Old = apps.get_model("matching", "Notification")
    New = apps.get_model("notifications", "Notification")
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            New(
                recipient_id=old.recipient_id,
                kind="legacy",
                params={"text": old.text},
                link=old.link,
                created_at=old.created_at,
                read_at=old.read_at,
            )
        )
        if len(batch) >= BATCH:
            New.objects.bulk_create(batch)
            batch = []
    if batch:
        New.objects.bulk_create(batch)


def copy_backward(apps, schema_editor):
    Old = apps.get_model("matching", "Notification")
    New = apps.get_model("notifications", "Notification")
    Old.objects.bulk_create(
        [
            Old(
                recipient_id=new.recipient_id,
                text=str((new.params or {}).get("text", new.kind))[:500],
                link=new.link,
                created_at=new.created_at,
                read_at=new.read_at,
            )
            for new in New.objects.filter(kind="legacy").iterator(chunk_size=BATCH)
        ],
        batch_size=BATCH,
    )
    New.objects.filter(kind="legacy").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("matching", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_backward)]
