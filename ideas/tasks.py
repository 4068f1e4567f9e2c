"""Background tasks (django_tasks): e-mails to idea authors when their idea moves on."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.links import absolute_url

from .models import Idea

SUBJECTS = {
    "published": lambda: _("Your idea “%(title)s” has been published"),
    "rejected": lambda: _("Your idea “%(title)s” was not published"),
    "shortlisted": lambda: _("Your idea “%(title)s” is on the shortlist"),
    "awarded": lambda: _("Congratulations: your idea “%(title)s” has been awarded"),
    "not_awarded": lambda: _("The results for your idea “%(title)s”"),
}


def _body(idea: Idea, kind: str, url: str) -> str:
    lines = {
        "published": _("Your idea is now visible to everyone and can collect votes."),
        "rejected": _("Reason given by the moderation: %(reason)s")
        % {"reason": idea.rejection_reason},
        "shortlisted": _("Your idea received enough support and will be reviewed by the jury."),
        "awarded": _("The jury has awarded your idea: %(award)s") % {"award": idea.award},
        "not_awarded": _("The results are published. Your idea was not awarded this time."),
    }
    return f"{lines[kind]}\n\n{url}\n"


@task()
def notify_author(idea_id: int, kind: str):
    idea = Idea.objects.select_related("author", "call").filter(pk=idea_id).first()
    if idea is None or kind not in SUBJECTS:
        return
    with translation.override(idea.author.preferred_language or settings.LANGUAGE_CODE):
        url = absolute_url(reverse("ideas:idea_detail", args=[idea.pk]))
        send_mail(
            SUBJECTS[kind]() % {"title": idea.title},
            _body(idea, kind, url),
            None,
            [idea.author.email],
        )
