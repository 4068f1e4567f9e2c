"""The marketplace's old notifications (a stored text) move into the notifications app as kind
"legacy" and keep their text, link and read state; the old table goes away. Backwards, they return."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import UserFactory

BEFORE = [("notifications", "0001_initial"), ("matching", "0001_initial")]
AFTER = None  # every app at its latest migration


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_matching_notifications_are_copied_and_the_old_table_dropped():
    user = UserFactory()
    old_apps = _migrate(BEFORE)
    try:
        Old = old_apps.get_model("matching", "Notification")
        read_at = timezone.now()
        Old.objects.create(recipient_id=user.pk, text="Alte Nachricht", link="/marketplace/")
        Old.objects.create(recipient_id=user.pk, text="Gelesen", read_at=read_at)
    finally:
        new_apps = _migrate(AFTER)
    New = new_apps.get_model("notifications", "Notification")
    rows = {n.params["text"]: n for n in New.objects.filter(recipient_id=user.pk)}
    assert set(rows) == {"Alte Nachricht", "Gelesen"}
    assert {n.kind for n in rows.values()} == {"legacy"}
    assert rows["Alte Nachricht"].link == "/marketplace/" and rows["Alte Nachricht"].read_at is None
    assert rows["Gelesen"].read_at is not None
    assert "matching_notification" not in connection.introspection.table_names()

    from notifications.models import Notification

    assert Notification.objects.get(pk=rows["Alte Nachricht"].pk).text == "Alte Nachricht"

    # and back again: the texts return to the marketplace's table
    old_apps = _migrate(BEFORE)
    try:
        Old = old_apps.get_model("matching", "Notification")
        assert sorted(Old.objects.values_list("text", flat=True)) == ["Alte Nachricht", "Gelesen"]
    finally:
        _migrate(AFTER)
