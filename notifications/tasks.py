"""Background tasks (django_tasks): the e-mail for a notification, in the recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_tasks import task

from core.links import absolute_url

from . import kinds
from .models import Notification


def compose(notification: Notification) -> tuple[str, str]:
    """Subject and body in the active language."""
    text = notification.text
    kind = kinds.KINDS.get(notification.kind)
    subject = (kind and kind.render_subject(notification.params)) or _("OpenRegion: %(text)s") % {
        "text": Truncator(text).chars(90)
    }
    lines = [text]
    if notification.link:
        from .services import localized_link

        lines.append(absolute_url(localized_link(notification.link)))
    lines.append(
        _("You can choose which notifications you also receive by e-mail: %(url)s")
        % {"url": absolute_url(reverse("notifications:preferences"))}
    )
    return subject, "\n\n".join(lines) + "\n"


@task()
def send_email(notification_id: int):
    from .services import wants_email

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return
    recipient = notification.recipient
    # the choice may have changed since the notification was queued
    if not recipient.is_active or not wants_email(recipient, notification.group):
        return
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject, body = compose(notification)
    send_mail(subject, body, None, [recipient.email])
