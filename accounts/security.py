"""Login protection helpers: the keys that failed logins and mails are counted under."""

from core.ratelimit import client_ip


def normalise_email(value) -> str:
    return str(value or "").strip().lower()


def axes_username(request, credentials=None) -> str:
    """The e-mail address of a login attempt, normalised so that "A@x.org" and " a@x.org" count as
    one address (AXES_USERNAME_CALLABLE)."""
    if credentials and credentials.get("username"):
        return normalise_email(credentials["username"])
    data = getattr(request, "POST", None) or {}
    return normalise_email(data.get("username"))


def ip_key(request) -> str:
    """Rate-limit key of the client address."""
    return f"ip:{client_ip(request)}"
