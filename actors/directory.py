"""Directory search over organisations: full-text terms plus helix, sector, region and cluster filters."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from .models import Cluster, Membership, Organisation
from .text import search_terms


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    helix_type: str = ""
    sector_code: str = ""
    region_code: str = ""
    cluster: Cluster | None = None
    sme_only: bool = False


def search_organisations(query: DirectoryQuery) -> QuerySet[Organisation]:
    """Organisations matching every word of the text (in any language field) and all filters.

    Words match the start of a word in the normalised search document, so "robot" finds "Robotik"
    and "Robotics", and "Koeln"/"Köln" are the same. Name hits are listed first.
    """
    qs = Organisation.objects.all()
    terms = search_terms(query.text)
    for term in terms:
        qs = qs.filter(search_document__contains=f" {term}")
    if query.helix_type:
        qs = qs.filter(helix_type=query.helix_type)
    if query.sme_only:
        qs = qs.filter(is_sme=True)
    if query.region_code:
        qs = qs.filter(region__code__startswith=query.region_code)
    if query.sector_code:
        through = Organisation.sectors.through
        qs = qs.filter(
            Exists(
                through.objects.filter(
                    organisation=OuterRef("pk"), nacesector__code__startswith=query.sector_code
                )
            )
        )
    if query.cluster is not None:
        qs = qs.filter(
            Exists(
                Membership.objects.filter(
                    organisation=OuterRef("pk"),
                    cluster=query.cluster,
                    status=Membership.Status.ACTIVE,
                )
            )
        )
    if terms:
        name_hit = Q()
        for term in terms:
            name_hit &= Q(name__icontains=term)
        qs = qs.annotate(
            name_hit=Case(
                When(name_hit, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        ).order_by("-name_hit", "name")
    else:
        qs = qs.order_by("name")
    return qs


def with_list_details(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What a directory row shows, fetched in a fixed number of queries."""
    return qs.select_related("region").prefetch_related(
        "sectors",
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(status=Membership.Status.ACTIVE).select_related(
                "cluster"
            ),
            to_attr="active_memberships",
        ),
    )
