"""Background tasks (django_tasks): e-mails to a person promoted from the waiting list, about
meeting requests and about a cancelled event. Links in e-mails are absolute (core.links)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.links import absolute_url

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
        ) % {"title": event.title, "starts": starts, "url": absolute_url(event.get_absolute_url())}
        send_mail(
            _("You have a place at “%(title)s”") % {"title": event.title},
            body,
            None,
            [registration.user.email],
        )


MEETING_SUBJECTS = {
    "requested": lambda: _("%(name)s would like to meet you at “%(title)s”"),
    "accepted": lambda: _("%(name)s accepted your meeting request for “%(title)s”"),
    "declined": lambda: _("%(name)s declined your meeting request for “%(title)s”"),
}


@task()
def notify_meeting(meeting_id: int, kind: str):
    """Tell the recipient about a new request, or the requester about the answer."""
    from django.urls import reverse

    from .models import MeetingRequest

    meeting = (
        MeetingRequest.objects.select_related("event", "requester", "recipient")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or kind not in MEETING_SUBJECTS:
        return
    to, other = (
        (meeting.recipient, meeting.requester)
        if kind == "requested"
        else (meeting.requester, meeting.recipient)
    )
    with translation.override(to.preferred_language or settings.LANGUAGE_CODE):
        url = reverse("events:brokerage", args=[meeting.event.slug])
        lines = {
            "requested": _("Please accept or decline the request on the event page."),
            "accepted": _(
                "The cluster office will give the meeting a time and a table; you will find it "
                "in your agenda."
            ),
            "declined": _("You can ask other participants for a meeting."),
        }
        body = lines[kind]
        if kind == "requested" and meeting.message:
            body = f"„{meeting.message}“\n\n{body}"
        send_mail(
            MEETING_SUBJECTS[kind]()
            % {"name": other.get_full_name(), "title": meeting.event.title},
            f"{body}\n\n{absolute_url(url)}\n",
            None,
            [to.email],
        )


@task()
def notify_cancelled(registration_id: int):
    """Tell a registered or waiting participant that the event has been cancelled, and why."""
    registration = (
        Registration.objects.select_related("user", "event")
        .filter(
            pk=registration_id,
            state__in=[Registration.State.REGISTERED, Registration.State.WAITLISTED],
            event__cancelled_at__isnull=False,
        )
        .first()
    )
    if registration is None:
        return
    event = registration.event
    with translation.override(registration.user.preferred_language or settings.LANGUAGE_CODE):
        starts = formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
        body = _(
            "We are sorry: “%(title)s” (%(starts)s) has been cancelled.\n\n"
            "Reason given by the cluster office:\n%(reason)s\n\n"
            "You do not need to do anything. The event page:\n%(url)s\n"
        ) % {
            "title": event.title,
            "starts": starts,
            "reason": event.cancellation_reason,
            "url": absolute_url(event.get_absolute_url()),
        }
        send_mail(
            _("Cancelled: “%(title)s”") % {"title": event.title},
            body,
            None,
            [registration.user.email],
        )
