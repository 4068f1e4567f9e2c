"""REST API (OpenAPI schema at /api/openapi.json, docs at /api/docs).

Robustness shared by every router:
- request bodies and query values with text the database cannot store (a lone UTF-16 surrogate such
  as an escaped "\\ud800", or a NUL character) are answered with 400 and a clear message;
- reads and writes are rate limited per user (or per address when anonymous) with the scopes
  "api_read" and "api_write" of core.ratelimit, answered with 429 JSON and Retry-After;
- bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are answered with 413 JSON, also when Django only notices
  while reading the body;
- PermissionDenied from a service function is a 403, a Django ValidationError a 422, both as JSON;
- list operations use core.api_pagination.BoundedPagination (page and page size bounded).
"""

import json
import threading

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.parser import Parser
from ninja.security import django_auth
from ninja.throttling import BaseThrottle

from actors.api import router as actors_router
from core import ratelimit
from core.middleware import payload_too_large, too_many_requests
from events.api import router as events_router
from ideas.api import router as ideas_router
from matching.api import router as matching_router
from notifications.api import router as notifications_router
from services.api import router as services_router

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnstorableText(ValueError):
    """Text in a request that no database column can hold."""


def unstorable_text_reason(value) -> str | None:
    """Why ``value`` (decoded JSON, or a query value) holds text the database cannot store, or None.

    Walks nested lists and dicts without recursion (a deeply nested body must not overflow the
    stack)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                return _("The request contains a NUL character (\\u0000), which is not allowed.")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return _(
                    "The request contains invalid Unicode text (a lone surrogate such as \\ud800)."
                )
    return None


class StrictParser(Parser):
    """ninja's JSON parser, refusing text the database cannot store (400 instead of a 500 on save)."""

    def parse_body(self, request):
        data = json.loads(request.body)
        reason = unstorable_text_reason(data)
        if reason:
            raise UnstorableText(reason)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        reason = unstorable_text_reason(result)
        if reason:
            raise UnstorableText(reason)
        return result


class ApiRateLimit(BaseThrottle):
    """Counts every API request against "api_read" (GET, HEAD, OPTIONS) or "api_write" (others) of
    core.ratelimit, per logged-in user or else per client address. Honours
    settings.OPENREGION_RATE_LIMITS_ENABLED and OPENREGION_RATE_LIMITS like every other limit."""

    def __init__(self):
        # one instance serves every request: the wait of a refused request is per thread
        self._state = threading.local()

    def allow_request(self, request) -> bool:
        scope = "api_read" if request.method in READ_METHODS else "api_write"
        self._state.wait = None
        try:
            ratelimit.check_request(request, scope)
        except ratelimit.RateLimited as exc:
            self._state.wait = exc.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self._state, "wait", None)


api = NinjaAPI(
    title="OpenRegion API",
    version="1.0.0",
    description="Actors, clusters, matchmaking, open calls, services and events of OpenRegion.",
    auth=None,
    urls_namespace="api",
    parser=StrictParser(),
    throttle=[ApiRateLimit()],
)
api.add_router("/actors/", actors_router, tags=["actors"])
api.add_router("/marketplace/", matching_router, tags=["matchmaking"])
api.add_router("/calls/", ideas_router, tags=["open calls"])
api.add_router("/services/", services_router, tags=["services"])
api.add_router("/events/", events_router, tags=["events"])
api.add_router("/notifications/", notifications_router, tags=["notifications"])


def _detail(request, message, status: int):
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja wraps every failure of the body parser into "Cannot parse request body"; say why.
    cause = exc.__cause__
    if isinstance(cause, UnstorableText):
        return _detail(request, str(cause), exc.status_code)
    if isinstance(cause, RequestDataTooBig):
        return payload_too_large(request)
    if exc.status_code == 400 and isinstance(cause, ValueError):
        return _detail(request, _("The request body is not valid JSON."), 400)
    return _detail(request, str(exc), exc.status_code)


@api.exception_handler(UnstorableText)
def unstorable_text(request, exc: UnstorableText):
    return _detail(request, str(exc), 400)


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    # ninja adds the Retry-After header from ApiRateLimit.wait()
    return _detail(request, _("Too many requests. Please wait a moment and try again."), 429)


@api.exception_handler(ratelimit.RateLimited)
def rate_limited(request, exc: ratelimit.RateLimited):
    # a limit of a service function (e.g. "posting") reached through the API
    return too_many_requests(request, exc)


@api.exception_handler(RequestDataTooBig)
def request_too_big(request, exc: RequestDataTooBig):
    return payload_too_large(request)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    # core.policy.require raises PermissionDenied("<app>.<action>"); a rule name is no message
    message = str(exc)
    if not message or " " not in message:
        message = _("You are not allowed to do this.")
    return _detail(request, message, 403)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request, exc: DjangoValidationError):
    return _detail(request, " ".join(exc.messages), 422)


@api.exception_handler(SuspiciousOperation)
def suspicious_operation(request, exc: SuspiciousOperation):
    return _detail(request, _("The request is not valid."), 400)


__all__ = ["api", "django_auth"]
