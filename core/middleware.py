"""Request guards shared by every app: rate limits answered with 429, oversized bodies with 413."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .ratelimit import RateLimited


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def too_many_requests(request, exc: RateLimited):
    message = _("Too many requests. Please wait a moment and try again.")
    if _wants_json(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request,
            "core/429.html",
            {"message": message, "retry_after": exc.retry_after},
            status=429,
        )
    response["Retry-After"] = str(exc.retry_after)
    return response


def payload_too_large(request):
    message = _("The request is too large.")
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "core/413.html", {"message": message}, status=413)


class RequestGuardMiddleware:
    """Answers RateLimited with 429 and bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (non-file requests)
    with 413, before a view reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content_type = request.META.get("CONTENT_TYPE", "")
        if limit is not None and not content_type.startswith("multipart/form-data"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return payload_too_large(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        if isinstance(exception, RequestDataTooBig):
            return payload_too_large(request)
        return None
