"""Redirects to a user-supplied address (``next``) only when it stays on this site."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, fallback: str) -> str:
    """The ``next`` value of the request (POST, then GET) if it is a local address, else ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def redirect_to_next(request, fallback: str):
    return redirect(safe_next_url(request, fallback))
