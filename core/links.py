"""Links that leave the site, e.g. in e-mails, need the site's address in front of the path."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` ("/marketplace/1/") as a full address, using the OPENREGION_SITE_URL setting."""
    if not path or "://" in path:
        return path
    base = getattr(settings, "OPENREGION_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/{path.lstrip('/')}"
