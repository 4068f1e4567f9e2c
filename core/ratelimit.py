"""Rate limits for actions that cost others something (mails, comments, votes, requests).

Each scope has a limit of hits per window, configured in ``settings.OPENREGION_RATE_LIMITS`` as
``{"scope": (hits, seconds)}``. Counters live in Django's cache (fixed windows). Exceeding a limit
raises :class:`RateLimited`; ``core.middleware.RateLimitMiddleware`` answers it with HTTP 429 (an
HTML page, or JSON under /api/), and the API has its own handler. The service layer may call
:func:`hit` directly; views use :func:`check_request` or the :func:`rate_limit` decorator.

``settings.OPENREGION_RATE_LIMITS_ENABLED = False`` switches every limit off (the test suite does
this by default and switches it on in the tests that prove the limits).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS = {
    # scope: (hits, window in seconds)
    "login": (10, 15 * 60),
    "register": (5, 60 * 60),
    "password_reset": (5, 60 * 60),
    "confirmation_mail": (5, 60 * 60),
    "comment": (20, 10 * 60),
    "vote": (120, 10 * 60),
    "interest": (30, 60 * 60),
    "meeting_request": (60, 60 * 60),
    "posting": (20, 60 * 60),
    "idea": (20, 60 * 60),
    "report": (20, 60 * 60),
    "api_write": (120, 60),
    "api_read": (600, 60),
}


class RateLimited(Exception):
    def __init__(self, scope: str, retry_after: int):
        super().__init__(f"Rate limit for {scope} exceeded; retry after {retry_after} s")
        self.scope = scope
        self.retry_after = retry_after


def limits_enabled() -> bool:
    return getattr(settings, "OPENREGION_RATE_LIMITS_ENABLED", True)


def limit_for(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "OPENREGION_RATE_LIMITS", {}) or {}
    return configured.get(scope) or DEFAULT_LIMITS[scope]


def _cache_key(scope: str, key: str, window_start: int) -> str:
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window_start}"


def hit(scope: str, key: str) -> int:
    """Count one hit of ``key`` in ``scope``; raise RateLimited when over the limit.

    Returns the number of hits in the current window."""
    if not limits_enabled():
        return 0
    limit, window = limit_for(scope)
    now = int(time.time())
    window_start = now - now % window
    cache_key = _cache_key(scope, str(key), window_start)
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        raise RateLimited(scope, retry_after=max(1, window_start + window - now))
    return count


def ensure_below(scope: str, key: str) -> None:
    """Raise RateLimited if ``key`` has used up ``scope`` in the current window, without counting a
    hit (for limits that count only failures, e.g. failed logins: check first, hit on failure)."""
    if not limits_enabled():
        return
    limit, window = limit_for(scope)
    now = int(time.time())
    window_start = now - now % window
    if (cache.get(_cache_key(scope, str(key), window_start)) or 0) >= limit:
        raise RateLimited(scope, retry_after=max(1, window_start + window - now))


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def request_key(request) -> str:
    """The acting user if logged in, else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def check_request(request, scope: str, key: str | None = None) -> None:
    hit(scope, key or request_key(request))


def rate_limit(scope: str, methods: tuple[str, ...] = ("POST",), key=None):
    """View decorator: count requests with one of ``methods`` against ``scope``.

    ``key`` may be a function of the request returning the key (default: user, else address)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                check_request(request, scope, key(request) if key else None)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
