import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe

from actors.models import Cluster, HelixType, Organisation

from .start import start_page


@require_safe
def home(request):
    """The personal start page for a logged-in user; the public landing page for visitors."""
    if request.user.is_authenticated:
        return render(request, "core/start.html", start_page(request.user))
    helix_counts = dict(
        Organisation.objects.values_list("helix_type").annotate(n=Count("id")).order_by()
    )
    stats = {
        "organisations": sum(helix_counts.values()),
        "clusters": Cluster.objects.count(),
        "helix": [(label, helix_counts.get(value, 0)) for value, label in HelixType.choices],
    }
    clusters = Cluster.objects.select_related("region").annotate(
        member_count=Count("memberships", filter=Q(memberships__status="active"))
    )[:6]
    return render(request, "core/home.html", {"stats": stats, "clusters": clusters})


@require_safe
def privacy(request):
    return render(request, "core/privacy.html")


# Date of the self-assessment behind the accessibility statement; update it with every review.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 3)


def _operator():
    """Who runs this instance (settings OPENREGION_OPERATOR_*); empty values mean "not configured"."""
    operator = {
        "name": settings.OPENREGION_OPERATOR_NAME.strip(),
        "address": settings.OPENREGION_OPERATOR_ADDRESS.strip(),
        "email": settings.OPENREGION_OPERATOR_EMAIL.strip(),
    }
    operator["complete"] = all(operator.values())
    return operator


@require_safe
def imprint(request):
    """Impressum (§ 5 DDG): the operator's name, postal address and e-mail address."""
    return render(request, "core/imprint.html", {"operator": _operator()})


@require_safe
def accessibility(request):
    """Accessibility statement (BITV 2.0 / EN 301 549) with the feedback contact and the
    enforcement procedure (Schlichtungsstelle nach § 16 BGG)."""
    return render(
        request,
        "core/accessibility.html",
        {"operator": _operator(), "statement_date": ACCESSIBILITY_STATEMENT_DATE},
    )


def bad_request(request, exception=None):
    """handler400: the styled error page in the request's language. Django's default renders
    400.html without the request; a request that is itself broken falls back to the standalone
    page that needs neither request context nor database."""
    try:
        return render(request, "400.html", status=400)
    except Exception:  # noqa: BLE001 — the error page must never fail itself
        return HttpResponseBadRequest("<!DOCTYPE html><title>400</title><h1>Bad Request (400)</h1>")
