"""Who may do what with notifications: everybody logged in reads their own; only the recipient
marks a notification read (anyone else's is not even visible: 404)."""

import rules

from core.policy import is_authenticated

from .models import Notification


def visible_notifications(user):
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


@rules.predicate
def is_recipient(user, notification) -> bool:
    return (
        notification is not None and visible_notifications(user).filter(pk=notification.pk).exists()
    )


rules.add_perm("notifications.read", is_authenticated)
rules.add_perm("notifications.mark_read", is_authenticated & is_recipient)
rules.add_perm("notifications.mark_all_read", is_authenticated)
rules.add_perm("notifications.set_preferences", is_authenticated)
