import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Factories and the demo create many users; the production hasher would dominate test time
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
