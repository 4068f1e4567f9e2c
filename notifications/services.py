"""Sending and reading notifications.

``notify(recipients, kind, link, **params)`` is the one way every module tells people something: it
stores one in-app notification per recipient (kind and parameters, no finished sentence) and, after
the transaction has committed, queues one e-mail per recipient who wants e-mails for the kind's
group (tasks.send_email renders it in the recipient's preferred language)."""

from django.conf import settings
from django.db import transaction
from django.urls import translate_url
from django.utils import timezone, translation

from core.policy import require

from . import kinds
from .models import Notification, Preference
from .rules import visible_notifications

MAX_LINK = 500


def neutral_link(link: str) -> str:
    """The link in the default language's form ("/en/calls/x/" → "/calls/x/"), so that it can be
    given to each reader in their language (``localized_link``). Links that are not pages of the
    site stay as they are."""
    if not link or "://" in link:
        return link or ""
    return translate_url(link, settings.LANGUAGE_CODE)


def localized_link(link: str, language: str | None = None) -> str:
    """A stored link in ``language`` (default: the active language)."""
    if not link or "://" in link:
        return link or ""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(link, language)


def email_groups_off(users) -> set[tuple[int, str]]:
    """(user id, group) pairs for which the person chose in-app only."""
    return set(
        Preference.objects.filter(
            user__in=[u.pk for u in users], channel=Preference.Channel.IN_APP
        ).values_list("user_id", "group")
    )


def wants_email(user, group: str) -> bool:
    return bool(user.email) and (user.pk, group) not in email_groups_off([user])


def notify(recipients, kind: str, link: str = "", **params) -> list[Notification]:
    """Tell each recipient (users; None and duplicates are skipped) about ``kind`` with ``params``.

    Parameters are data (names, titles, codes), stored as text; the message itself is rendered
    when read or sent. Call inside the transaction of the write it reports: the e-mails are queued
    only once it has committed."""
    registered = kinds.get(kind)  # unknown kinds are a programming error: fail loudly
    users = list({u.pk: u for u in recipients if u is not None}.values())
    if not users:
        return []
    stored = {key: str(value) for key, value in params.items()}
    link = neutral_link(link)[:MAX_LINK]
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind, params=stored, link=link, created_at=now)
            for user in users
        ]
    )
    off = email_groups_off(users)
    ids = [
        n.pk
        for n, user in zip(notifications, users, strict=True)
        if user.email and (user.pk, registered.group) not in off
    ]
    if ids:

        def enqueue():
            from .tasks import send_email

            for pk in ids:
                send_email.enqueue(pk)

        transaction.on_commit(enqueue)
    return notifications


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return visible_notifications(user).filter(read_at__isnull=True).count()


@transaction.atomic
def mark_read(user, notification: Notification) -> Notification:
    require(user, "notifications.mark_read", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def mark_all_read(user) -> int:
    require(user, "notifications.mark_all_read")
    return visible_notifications(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def preferences(user) -> dict[str, str]:
    """The person's channel for every group (defaults filled in)."""
    chosen = dict(
        Preference.objects.filter(user=user).values_list("group", "channel")
        if getattr(user, "is_authenticated", False)
        else []
    )
    return {
        group: chosen.get(group, Preference.Channel.IN_APP_AND_EMAIL)
        for group in kinds.Group.values
    }


@transaction.atomic
def save_preferences(user, choices: dict[str, str]) -> dict[str, str]:
    require(user, "notifications.set_preferences")
    for group, channel in choices.items():
        if group not in kinds.Group.values or channel not in Preference.Channel.values:
            raise ValueError(f"Unknown group or channel: {group!r}, {channel!r}")
        Preference.objects.update_or_create(user=user, group=group, defaults={"channel": channel})
    return preferences(user)
