"""Accounts: login, logout, registration, e-mail confirmation, profile, password reset.

Everything but the profile is open to everybody (a logged-in person is sent on from the login and
registration pages). An account whose address is not confirmed cannot hold a session
(accounts.backends.EmailBackend refuses it), so the "unconfirmed" role meets the site as a visitor.
A confirmation link never logs anybody in: a valid one confirms and sends
everybody to the login page; a forged one (the old bypass: an existing account's id and any token)
is answered 400 for every role."""

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.tokens import email_confirmation_token
from tests.factories import UserFactory

from .matrix import LOGIN, NOT_ALLOWED, Page, all_roles, everyone, logged_in


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def build(w):
    w.waiting_user = UserFactory(full_name="Wanda Wartend", email_confirmed=False)
    w.waiting_token = email_confirmation_token.make_token(w.waiting_user)


ROUTES = [
    Page("accounts:login", get=everyone(), post=everyone()),
    Page("accounts:logout", get=NOT_ALLOWED, post=everyone()),
    Page("accounts:register", get=everyone(), post=everyone()),
    Page("accounts:resend_confirmation", get=everyone(), post=everyone()),
    # The bypass: the platform admin's id with a made-up token. 400 for everybody, nobody logged in.
    Page(
        "accounts:confirm",
        args=lambda w: [_uid(w.users["platform_admin"]), "anything"],
        get=everyone(),
        post=NOT_ALLOWED,
    ),
    # A valid link confirms and sends everybody, whoever is logged in, to the login page.
    Page(
        "accounts:confirm",
        args=lambda w: [_uid(w.waiting_user), w.waiting_token],
        get=all_roles(LOGIN),
        post=NOT_ALLOWED,
    ),
    # An account whose address is not confirmed has no session (the backend refuses it), so it is
    # sent to log in like a visitor.
    Page(
        "accounts:profile",
        get=logged_in(unconfirmed=LOGIN),
        post=logged_in(unconfirmed=LOGIN),
    ),
    Page("accounts:password_reset", get=everyone(), post=everyone()),
    Page("accounts:password_reset_done", get=everyone(), post=NOT_ALLOWED),
    Page(
        "accounts:password_reset_confirm",
        args=lambda w: [_uid(w.users["member"]), "set-password"],
        get=everyone(),
        post=everyone(),
    ),
    Page("accounts:password_reset_complete", get=everyone(), post=NOT_ALLOWED),
]
