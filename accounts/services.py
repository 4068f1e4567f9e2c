"""Account use cases: registration and e-mail confirmation."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import User
from .tokens import email_confirmation_token


def confirmation_link(request, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return request.build_absolute_uri(reverse("accounts:confirm", args=[uid, token]))


def send_confirmation_mail(request, user: User) -> None:
    body = render_to_string(
        "accounts/email/confirm_email.txt",
        {"user": user, "link": confirmation_link(request, user)},
    )
    send_mail(_("Confirm your OpenRegion account"), body, None, [user.email])


@transaction.atomic
def register_user(request, *, email: str, full_name: str, password: str, language: str) -> User:
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        preferred_language=language,
        email_confirmed=False,
    )
    transaction.on_commit(lambda: send_confirmation_mail(request, user))
    return user


def confirm_email(uidb64: str, token: str) -> User | None:
    """Mark the address confirmed if the link is valid; returns the user or None."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if user.email_confirmed:
        return user
    if not email_confirmation_token.check_token(user, token):
        return None
    user.email_confirmed = True
    user.save(update_fields=["email_confirmed"])
    return user
