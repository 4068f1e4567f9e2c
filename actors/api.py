"""REST endpoints of the actor registry (read-only; writes go through the web forms)."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from core.api_pagination import BoundedPagination

from .directory import DirectoryQuery, search_organisations, with_list_details
from .models import Cluster, NaceSector, NutsRegion
from .rules import visible_memberships

router = Router()


class SectorOut(Schema):
    code: str
    level: int
    name_de: str
    name_en: str


class RegionOut(Schema):
    code: str
    level: int
    name: str


class ClusterRefOut(Schema):
    slug: str
    name: str


class OrganisationOut(Schema):
    slug: str
    name: str
    helix_type: str
    is_sme: bool
    city: str
    region: RegionOut
    sectors: list[SectorOut]
    description_de: str
    description_en: str
    website: str
    clusters: list[ClusterRefOut] = Field(default_factory=list)

    @staticmethod
    def resolve_sectors(obj):
        return list(obj.sectors.all())

    @staticmethod
    def resolve_clusters(obj):
        memberships = getattr(obj, "active_memberships", None)
        if memberships is None:
            memberships = obj.memberships.filter(status="active").select_related("cluster")
        return [m.cluster for m in memberships]


class ClusterOut(Schema):
    slug: str
    name: str
    acronym: str
    innovation_field: str
    region: RegionOut
    profile_de: str
    profile_en: str
    strategy_goals_de: str
    strategy_goals_en: str
    website: str
    member_count: int

    @staticmethod
    def resolve_member_count(obj):
        return getattr(obj, "member_count", None) or obj.memberships.filter(status="active").count()


class MembershipOut(Schema):
    organisation: str = Field(alias="organisation.slug")
    since: date | None
    status: str


class DirectoryFilters(Schema):
    q: str = Field("", max_length=200)
    helix: str = Field("", max_length=16)
    sector: str = Field("", max_length=8)
    region: str = Field("", max_length=5)
    cluster: str = Field("", max_length=270)
    sme: bool = False


@router.get("/organisations", response=list[OrganisationOut])
@paginate(BoundedPagination, page_size=50)
def list_organisations(request, filters: Query[DirectoryFilters]):
    cluster = Cluster.objects.filter(slug=filters.cluster).first() if filters.cluster else None
    query = DirectoryQuery(
        text=filters.q,
        helix_type=filters.helix,
        sector_code=filters.sector.upper(),
        region_code=filters.region.upper(),
        cluster=cluster,
        sme_only=filters.sme,
    )
    if filters.cluster and cluster is None:
        return []
    return with_list_details(search_organisations(query))


@router.get("/organisations/{slug}", response=OrganisationOut)
def get_organisation(request, slug: str):
    qs = with_list_details(search_organisations(DirectoryQuery()))
    return get_object_or_404(qs, slug=slug)


@router.get("/clusters", response=list[ClusterOut])
@paginate(BoundedPagination, page_size=50)
def list_clusters(request):
    from django.db.models import Count, Q

    return (
        Cluster.objects.select_related("region")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status="active")))
        .order_by("name")
    )


@router.get("/clusters/{slug}", response=ClusterOut)
def get_cluster(request, slug: str):
    return get_object_or_404(Cluster.objects.select_related("region"), slug=slug)


@router.get("/clusters/{slug}/memberships", response=list[MembershipOut])
@paginate(BoundedPagination, page_size=100)
def list_memberships(request, slug: str):
    """Active memberships; pending, declined and ended ones only for the cluster's office, the
    organisation's admins and platform admins (the rule "actors.view_membership")."""
    cluster = get_object_or_404(Cluster, slug=slug)
    return (
        visible_memberships(request.user)
        .filter(cluster=cluster)
        .select_related("organisation")
        .order_by("id")
    )


@router.get("/sectors", response=list[SectorOut])
def list_sectors(request):
    return NaceSector.objects.order_by("code")


@router.get("/regions", response=list[RegionOut])
def list_regions(request):
    return NutsRegion.objects.order_by("code")
