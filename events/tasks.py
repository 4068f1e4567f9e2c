"""Background tasks (django_tasks): e-mail to a person promoted from the waiting list."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Registration


@task()
def notify_promoted(registration_id: int):
    registration = (
        Registration.objects.select_related("user", "event")
        .filter(pk=registration_id, state=Registration.State.REGISTERED)
        .first()
    )
    if registration is None:
        return
    event = registration.event
    with translation.override(registration.user.preferred_language or settings.LANGUAGE_CODE):
        starts = formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
        body = _(
            "Good news: a place has become free and you are now registered for “%(title)s” "
            "(%(starts)s).\n\nIf you can no longer attend, please cancel your registration so "
            "that the next person on the waiting list can take your place:\n%(url)s\n"
        ) % {"title": event.title, "starts": starts, "url": event.get_absolute_url()}
        send_mail(
            _("You have a place at “%(title)s”") % {"title": event.title},
            body,
            None,
            [registration.user.email],
        )
