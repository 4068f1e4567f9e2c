"""In-app notifications of every module, and each person's choice of e-mails per kind group.

The text of a notification is not stored: ``kind`` names a registered message (kinds.py) and
``params`` fill its placeholders, so the text is rendered in the language of whoever reads it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """The message in the currently active language."""
        return kinds.render(self.kind, self.params)

    @property
    def group(self) -> str:
        kind = kinds.KINDS.get(self.kind)
        return kind.group if kind else ""


class Preference(models.Model):
    """A person's choice for one group of kinds; without a row they get in-app and e-mail."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app only")
        IN_APP_AND_EMAIL = "in_app_and_email", _("In-app and e-mail")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    group = models.CharField(_("group"), max_length=30, choices=kinds.Group.choices)
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=Channel.choices,
        default=Channel.IN_APP_AND_EMAIL,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_preference_per_group")
        ]

    def __str__(self):
        return f"{self.user} · {self.group}: {self.channel}"
