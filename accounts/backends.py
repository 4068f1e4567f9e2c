from django.contrib.auth.backends import ModelBackend

from core.ratelimit import ensure_below

from .models import User
from .security import ip_key


class LoginRateLimitBackend:
    """Refuses every login attempt (site and admin) from a client address that has had too many
    failed logins lately, before any password is checked: raises RateLimited (answered with 429).
    Failures are counted by accounts.signals (scope "login"); successful logins do not count, so many
    people behind one address can still log in. Authenticates nobody itself.

    django-axes locks out one e-mail address per client address; this limit covers trying a few
    passwords on many addresses."""

    def authenticate(self, request, **credentials):
        if request is not None:
            ensure_below("login", ip_key(request))
        return None


class EmailBackend(ModelBackend):
    """Log in with the e-mail address (case-insensitive). Unconfirmed accounts cannot log in."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = email or username
        if not login or password is None:
            return None
        try:
            user = User.objects.get(email__iexact=login.strip())
        except User.DoesNotExist:
            User().set_password(password)  # equalise timing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.email_confirmed
