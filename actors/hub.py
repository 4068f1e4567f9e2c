"""The cluster page as the cluster's home: what the cluster offers, read through each app's rules.

Every list comes from the owning app's "may see" query (``services.rules.visible_services``,
``events.rules.visible_events``, ``ideas.rules.visible_calls``, ``matching.rules.open_postings``),
narrowed to this cluster, so visitors see the public content and members and the office see more,
exactly as on the apps' own pages. The office actions are shown by the apps' create rules.
"""

from django.utils import timezone

from core.policy import allowed

from .models import Cluster

#: Items per section (each section links to the app's full list).
SECTION_SIZE = 4


def _open_calls(user, cluster: Cluster):
    """Published calls run by the cluster's office that still take ideas or votes."""
    from ideas.rules import visible_calls

    if cluster.managing_organisation_id is None:
        return visible_calls(user).none()
    return (
        visible_calls(user)
        .filter(
            organiser_id=cluster.managing_organisation_id,
            is_published=True,
            voting_closes__gt=timezone.now(),
        )
        .order_by("submission_closes")
    )


def cluster_hub(user, cluster: Cluster) -> dict:
    from events.rules import visible_events
    from matching.rules import open_postings
    from services.models import OFFERED
    from services.rules import visible_services

    now = timezone.now()
    services = visible_services(user).filter(cluster=cluster, status__in=OFFERED).order_by("title")
    events = visible_events(user).filter(cluster=cluster, is_published=True)
    upcoming = events.filter(cancelled_at__isnull=True, ends_at__gte=now).order_by("starts_at")
    calls = _open_calls(user, cluster)
    postings = open_postings(user).filter(cluster=cluster).order_by("-published_at", "-pk")
    return {
        "hub_services": list(services[:SECTION_SIZE]),
        "hub_events": list(upcoming[:SECTION_SIZE]),
        "hub_calls": list(calls[:SECTION_SIZE]),
        "hub_postings": list(postings[:SECTION_SIZE]),
        "figures": {
            "services": services.count(),
            "events_this_year": events.filter(starts_at__year=now.year).count(),
            "open_calls": calls.count(),
        },
        "office_actions": {
            "new_service": allowed(user, "services.create_service", cluster),
            "new_event": allowed(user, "events.create_event", cluster),
            "new_call": allowed(user, "ideas.create_call"),
        },
    }
