import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Factories create many users; the production hasher would dominate the test time
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
