"""REST endpoints of the marketplace: postings, expressions of interest and partner suggestions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from actors.models import Organisation

from . import services, suggestions
from .forms import PostingForm
from .models import Posting, PostingStatus

router = Router()


class OrganisationRef(Schema):
    slug: str
    name: str


class PostingOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    status: str
    visibility: str
    deadline: date | None
    organisation: OrganisationRef | None
    cluster: str | None
    sectors: list[str]
    regions_sought: list[str]


class PostingIn(Schema):
    organisation: str  # slug
    kind: str
    title: str
    description: str
    sectors: list[str] = []
    regions_sought: list[str] = []
    deadline: date | None = None
    visibility: str = "public"
    cluster: str | None = None  # slug
    publish: bool = True


class SuggestionOut(Schema):
    slug: str
    name: str
    helix_type: str
    region: str
    score: float
    explanation: list[str]


class InterestIn(Schema):
    organisation: str  # slug
    message: str


class InterestOut(Schema):
    id: int
    posting: int
    organisation: str
    status: str


class PostingFilters(Schema):
    q: str = ""
    kind: str = ""
    sector: str = ""
    country: str = ""


def _posting_out(posting, user) -> dict:
    identity = services.shows_identity(user, posting)
    return {
        "id": posting.pk,
        "kind": posting.kind,
        "title": posting.title,
        "description": posting.description,
        "status": posting.status,
        "visibility": posting.visibility,
        "deadline": posting.deadline,
        "organisation": (
            {"slug": posting.organisation.slug, "name": posting.organisation.name}
            if identity
            else None
        ),
        "cluster": posting.cluster.slug if posting.cluster_id else None,
        "sectors": [s.code for s in posting.sectors.all()],
        "regions_sought": [r.code for r in posting.regions_sought.all()],
    }


def _suggestions_out(matches) -> list[dict]:
    return [
        {
            "slug": m.object.slug,
            "name": m.object.name,
            "helix_type": m.object.helix_type,
            "region": m.object.region.code,
            "score": round(m.score, 4),
            "explanation": m.explanation,
        }
        for m in matches
    ]


def _visible_posting(request, posting_id) -> Posting:
    posting = get_object_or_404(
        Posting.objects.select_related("organisation__region", "cluster"), pk=posting_id
    )
    if not services.can_view(request.user, posting):
        raise Http404
    return posting


@router.get("/postings", response=list[PostingOut])
@paginate(PageNumberPagination, page_size=50)
def list_postings(request, filters: Query[PostingFilters]):
    qs = services.visible_postings(request.user).filter(status=PostingStatus.PUBLISHED)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.sector:
        qs = qs.filter(sectors__code__startswith=filters.sector.upper())
    if filters.country:
        qs = qs.filter(organisation__region__code__startswith=filters.country.upper())
    qs = qs.select_related("organisation", "cluster").prefetch_related("sectors", "regions_sought")
    if filters.q:
        ids = list(qs.values_list("pk", flat=True).distinct())
        order = suggestions.semantic_posting_order(filters.q, ids)
        keyword = set(
            qs.filter(
                Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
            ).values_list("pk", flat=True)
        )
        order += sorted(keyword - set(order))
        by_id = qs.in_bulk(order)
        postings = [by_id[i] for i in order if i in by_id]
    else:
        postings = qs.distinct().order_by("-published_at", "-pk")
    return [_posting_out(p, request.user) for p in postings]


@router.get("/postings/{posting_id}", response=PostingOut)
def get_posting(request, posting_id: int):
    return _posting_out(_visible_posting(request, posting_id), request.user)


@router.post("/postings", response={201: PostingOut}, auth=django_auth)
def create_posting(request, payload: PostingIn):
    organisations = services.user_organisations(request.user)
    org = organisations.filter(slug=payload.organisation).first()
    if org is None:
        raise HttpError(403, "You cannot post for this organisation.")
    from actors.models import Cluster, NaceSector, NutsRegion

    data = {
        "organisation": org.pk,
        "kind": payload.kind,
        "title": payload.title,
        "description": payload.description,
        "sectors": list(
            NaceSector.objects.filter(code__in=payload.sectors).values_list("pk", flat=True)
        ),
        "regions_sought": list(
            NutsRegion.objects.filter(code__in=payload.regions_sought).values_list("pk", flat=True)
        ),
        "deadline": payload.deadline,
        "visibility": payload.visibility,
        "cluster": Cluster.objects.filter(slug=payload.cluster).values_list("pk", flat=True).first()
        if payload.cluster
        else None,
    }
    form = PostingForm(data, organisations=organisations)
    if not form.is_valid():
        raise HttpError(422, form.errors.as_json())
    posting = services.save_posting(form, request.user, publish=payload.publish)
    return Status(201, _posting_out(posting, request.user))


@router.get("/postings/{posting_id}/suggestions", response=list[SuggestionOut])
def posting_suggestions(request, posting_id: int, limit: int = 10):
    posting = _visible_posting(request, posting_id)
    return _suggestions_out(suggestions.partners_for_posting(posting, k=min(max(limit, 1), 50)))


@router.post("/postings/{posting_id}/interests", response={201: InterestOut}, auth=django_auth)
def create_interest(request, posting_id: int, payload: InterestIn):
    posting = _visible_posting(request, posting_id)
    org = services.user_organisations(request.user).filter(slug=payload.organisation).first()
    if org is None:
        raise HttpError(403, "You cannot act for this organisation.")
    if not payload.message.strip():
        raise HttpError(422, "A message is required.")
    try:
        interest = services.express_interest(posting, org, request.user, payload.message)
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error
    return Status(
        201,
        {
            "id": interest.pk,
            "posting": posting.pk,
            "organisation": org.slug,
            "status": interest.status,
        },
    )


@router.get("/organisations/{slug}/suggestions", response=list[SuggestionOut])
def organisation_suggestions(request, slug: str, limit: int = 10):
    org = get_object_or_404(Organisation.objects.select_related("region"), slug=slug)
    return _suggestions_out(suggestions.partners_for_organisation(org, k=min(max(limit, 1), 50)))
