from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Token for the confirmation link.

    Single use: the hash covers the confirmation state, so the token stops working once the address
    is confirmed (and when the address or the active flag changes). Expiring: it is refused after
    ``settings.ACCOUNTS_CONFIRMATION_TIMEOUT`` seconds."""

    key_salt = "openregion.accounts.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_confirmed}{user.is_active}{timestamp}"

    def check_token(self, user, token):
        if not (user and token) or not isinstance(token, str):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - ts
        return age <= settings.ACCOUNTS_CONFIRMATION_TIMEOUT


email_confirmation_token = EmailConfirmationTokenGenerator()
