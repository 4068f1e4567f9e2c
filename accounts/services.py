"""Account use cases: registration, e-mail confirmation and the mails that go with them.

No use case here logs anybody in: a confirmation link only marks the address confirmed; the person
then logs in with their password (and the failed-login lockout applies)."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.idempotency import double_submit_cutoff
from core.ratelimit import RateLimited, hit

from .models import User
from .security import normalise_email
from .tokens import email_confirmation_token


def confirmation_valid_days() -> int:
    return max(1, round(settings.ACCOUNTS_CONFIRMATION_TIMEOUT / 86400))


def confirmation_link(request, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return request.build_absolute_uri(reverse("accounts:confirm", args=[uid, token]))


def send_confirmation_mail(request, user: User) -> None:
    body = render_to_string(
        "accounts/email/confirm_email.txt",
        {
            "user": user,
            "link": confirmation_link(request, user),
            "valid_days": confirmation_valid_days(),
        },
    )
    send_mail(_("Confirm your OpenRegion account"), body, None, [user.email])


def send_confirmation_mail_limited(request, user: User) -> bool:
    """Send a new confirmation link unless this address had too many lately (scope
    "confirmation_mail"); returns whether a mail was sent. Never raises for the limit, so callers
    answer the same either way."""
    if not _mail_allowed("confirmation_mail", user.email):
        return False
    send_confirmation_mail(request, user)
    return True


def send_account_exists_mail(request, user: User) -> None:
    """Tell the owner of an address that somebody tried to register with it (in their language)."""
    with translation.override(user.preferred_language or "de"):
        context = {
            "user": user,
            "login_link": request.build_absolute_uri(reverse("accounts:login")),
            "reset_link": request.build_absolute_uri(reverse("accounts:password_reset")),
            "valid_days": confirmation_valid_days(),
            "confirm_link": None if user.email_confirmed else confirmation_link(request, user),
        }
        body = render_to_string("accounts/email/account_exists.txt", context)
        subject = _("Someone tried to register with your e-mail address")
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def register_user(
    request, *, email: str, full_name: str, password: str, language: str
) -> User | None:
    """Create an unconfirmed account and mail the confirmation link after commit.

    If the address already has an account, nothing is created and its owner is told by mail instead;
    the caller answers exactly as for a new account (no account enumeration). Returns the new user,
    or None when the address was taken."""
    email = normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    full_name=full_name.strip(),
                    preferred_language=language,
                    email_confirmed=False,
                )
        except IntegrityError:  # registered in parallel a moment ago
            existing = User.objects.filter(email__iexact=email).first()
        else:
            transaction.on_commit(lambda: send_confirmation_mail(request, user))
            return user
    make_password(password)  # costs as much time as creating an account
    if (
        existing is not None
        and existing.is_active
        and not _just_registered(existing)
        and _mail_allowed("register", email)
    ):
        transaction.on_commit(lambda: send_account_exists_mail(request, existing))
    return None


def _just_registered(user: User) -> bool:
    """A double submit of the registration form: the unconfirmed account is seconds old and its
    confirmation mail is on the way; no second mail."""
    return not user.email_confirmed and user.date_joined >= double_submit_cutoff()


def _mail_allowed(scope: str, email: str) -> bool:
    """Count a mail to ``email`` in ``scope``; False (quietly) when that address had too many."""
    try:
        hit(scope, f"email:{normalise_email(email)}")
    except RateLimited:
        return False
    return True


def resend_confirmation(request, email: str) -> None:
    """Send a new confirmation link if ``email`` belongs to an active, unconfirmed account.

    Answers nothing: the caller shows the same page whether or not such an account exists."""
    user = User.objects.filter(
        email__iexact=normalise_email(email), is_active=True, email_confirmed=False
    ).first()
    if user is not None:
        send_confirmation_mail(request, user)


def user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        if not 0 < pk < 2**63:
            return None
        return User.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@transaction.atomic
def confirm_email(uidb64: str, token: str) -> User | None:
    """Mark the address confirmed if the link is valid; returns the user, or None for a link that is
    unknown, forged, expired or used already.

    The token is checked first: a confirmed address never makes a link valid (the token covers the
    confirmation state, so a link works once). Nobody is logged in here."""
    user = user_from_uid(uidb64)
    if user is None or not email_confirmation_token.check_token(user, token):
        return None
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed or not user.is_active:
        return None
    if not email_confirmation_token.check_token(user, token):  # changed meanwhile
        return None
    user.email_confirmed = True
    user.save(update_fields=["email_confirmed"])
    return user
