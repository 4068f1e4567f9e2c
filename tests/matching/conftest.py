import pytest

from matching import suggestions


@pytest.fixture(autouse=True)
def _matching_settings(settings):
    settings.OPENREGION_TEXT_ENCODER = "hashing"
    settings.OPENREGION_SEARCH_MIN_SIMILARITY = 0.15
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    suggestions.clear_cache()
    yield
    suggestions.clear_cache()
