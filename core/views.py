from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from actors.models import Cluster, HelixType, Organisation


@require_safe
def home(request):
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
