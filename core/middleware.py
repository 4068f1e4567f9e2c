"""Request guards shared by every app: rate limits answered with 429, oversized bodies with 413,
NUL characters in the address or cookies with 400; the API's language from the request."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
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


def bad_request(request, message: str):
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=400)
    # the 413 page only shows the message and "nothing was saved", which holds for a 400 as well
    return render(request, "core/413.html", {"message": message}, status=400)


def _has_nul(request) -> bool:
    """A NUL character in the path, the query string or a cookie: no database column can hold it
    (PostgreSQL refuses it in every query), so it would end as a 500 wherever it is used."""
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in request.path or "%00" in query or "\x00" in query:
        return True
    return any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items())


class RequestGuardMiddleware:
    """Answers RateLimited with 429, bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (non-file requests)
    with 413 before a view reads them (and RequestDataTooBig raised while reading one, e.g. a large
    multipart form), and a NUL character in the address or a cookie with 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            # The API has no language prefix (LocaleMiddleware would always pick German): its
            # messages follow the language cookie or Accept-Language, German by default.
            request.LANGUAGE_CODE = translation.get_language_from_request(request)
            translation.activate(request.LANGUAGE_CODE)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content_type = request.META.get("CONTENT_TYPE", "")
        if limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                if not content_type.startswith("multipart/form-data"):
                    return payload_too_large(request)
                # Files may be large, the other fields not. Parse the form now: CSRF's check
                # would parse it next and turn RequestDataTooBig into a bare 400.
                try:
                    request.POST  # noqa: B018 - parsing is the point
                except RequestDataTooBig:
                    return payload_too_large(request)
        if _has_nul(request):
            return bad_request(
                request, _("The request contains a NUL character, which is not allowed.")
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        if isinstance(exception, RequestDataTooBig):
            return payload_too_large(request)
        return None


class HtmxRedirectMiddleware:
    """An htmx request answered with a redirect (e.g. to the login page when a visitor clicks
    "Abstimmen") would make htmx fetch the target and swap the whole page into the fragment. Such
    answers become an empty 204 with ``HX-Redirect``, so the browser goes to the page itself. A
    redirect to the login page returns to the page the user was on (``HX-Current-URL``), not to
    the fragment endpoint the request was sent to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true":
            return response
        if not (300 <= response.status_code < 400) or response.status_code == 304:
            return response
        location = response.get("Location")
        if not location or response.has_header("HX-Redirect"):
            return response
        if _is_login_url(location):
            location = _login_url_returning_to(request, location)
        redirect = HttpResponse(status=204)
        redirect["HX-Redirect"] = location
        for header in ("Vary", "Content-Language"):
            if response.has_header(header):
                redirect[header] = response[header]
        redirect.cookies = response.cookies
        return redirect


def _is_login_url(location: str) -> bool:
    path = urlsplit(location).path
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name == resolve(resolve_url(settings.LOGIN_URL)).view_name


def _login_url_returning_to(request, location: str) -> str:
    """The login address with ``next`` set to the page shown in the browser (HX-Current-URL) when
    that page is on this site; otherwise the address as the view built it."""
    current = request.headers.get("HX-Current-URL", "")
    if not current or not url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return location
    parts = urlsplit(current)
    next_url = parts.path + (f"?{parts.query}" if parts.query else "")
    login = urlsplit(location)
    query = [(k, v) for k, v in parse_qsl(login.query, keep_blank_values=True) if k != "next"]
    query.append(("next", next_url))
    return urlunsplit((login.scheme, login.netloc, login.path, urlencode(query), ""))
