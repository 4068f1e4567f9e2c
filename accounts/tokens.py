from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Token for the confirmation link; it stops working once the address is confirmed."""

    key_salt = "openregion.accounts.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_confirmed}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
