"""REST endpoints of the marketplace: postings, expressions of interest and partner suggestions.

The rules are those of rules.py (the same as the pages'); every number that sizes work (page, page
size, number of suggestions, ids) is bounded and answered with 422 when out of range."""

from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from actors.models import Cluster, NaceSector, NutsRegion, Organisation
from core.api_pagination import BoundedPagination
from core.policy import allowed

from . import services, suggestions
from .forms import PostingForm
from .models import Posting

router = Router()

MAX_PAGE = 1000
MAX_SUGGESTIONS = 50
MAX_ID = 2**63 - 1

PostingId = Annotated[int, Path(ge=1, le=MAX_ID)]
SuggestionLimit = Annotated[
    int,
    Query(ge=1, le=MAX_SUGGESTIONS, description=f"Number of suggestions, 1 to {MAX_SUGGESTIONS}."),
]


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
    # The organisation's country; for anonymous postings only when it is k-anonymous.
    country: str | None
    cluster: str | None
    sectors: list[str]
    regions_sought: list[str]


class PostingIn(Schema):
    organisation: str = Field(..., max_length=270)  # slug
    kind: str = Field(..., max_length=16)
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=20000)
    sectors: list[str] = Field([], max_length=50)
    regions_sought: list[str] = Field([], max_length=50)
    deadline: date | None = None
    visibility: str = Field("public", max_length=10)
    cluster: str | None = Field(None, max_length=270)  # slug
    publish: bool = True


class SuggestionOut(Schema):
    slug: str
    name: str
    helix_type: str
    region: str
    score: float
    explanation: list[str]


class InterestIn(Schema):
    organisation: str = Field(..., max_length=270)  # slug
    message: str = Field(..., max_length=2000)


class InterestOut(Schema):
    id: int
    posting: int
    organisation: str
    status: str


class PostingFilters(Schema):
    q: str = Field("", max_length=200)
    kind: str = Field("", max_length=16)
    sector: str = Field("", max_length=10)
    country: str = Field("", max_length=5)


def _posting_out(posting, user) -> dict:
    identity = getattr(posting, "show_identity", None)
    if identity is None:
        services.attach_identity(user, [posting])
        identity = posting.show_identity
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
        "country": posting.public_country or None,
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
    if not allowed(request.user, "matching.view_posting", posting):
        raise Http404
    return posting


def _guarded(action):
    """Run a service call; a rule of the marketplace that refuses it (ValidationError) answers
    409. Refused permissions (403) and rate limits (429) are answered by the API's handlers."""
    try:
        return action()
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error


@router.get("/postings", response=list[PostingOut])
@paginate(BoundedPagination, page_size=50, max_page=MAX_PAGE)
def list_postings(request, filters: Query[PostingFilters]):
    qs = services.filter_postings(
        services.open_postings(request.user),
        request.user,
        kind=filters.kind,
        sector=filters.sector,
        country=filters.country,
    )
    qs = qs.select_related("organisation__region", "cluster").prefetch_related(
        "sectors", "regions_sought"
    )
    if filters.q:
        ids = list(qs.values_list("pk", flat=True))
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
        postings = qs.order_by("-published_at", "-pk")
    return _LazyPostings(postings, request.user)


class _LazyPostings:
    """A sliceable list of postings whose page is turned into API items (identity attached once
    per page, not per posting)."""

    def __init__(self, postings, user):
        self.postings = postings
        self.user = user

    def __len__(self):
        if isinstance(self.postings, list):
            return len(self.postings)
        return self.postings.count()

    def __getitem__(self, item):
        page = list(self.postings[item])
        services.attach_identity(self.user, page)
        return [_posting_out(p, self.user) for p in page]


@router.get("/postings/{posting_id}", response=PostingOut)
def get_posting(request, posting_id: PostingId):
    return _posting_out(_visible_posting(request, posting_id), request.user)


@router.post("/postings", response={201: PostingOut}, auth=django_auth)
def create_posting(request, payload: PostingIn):
    organisations = services.user_organisations(request.user)
    org = organisations.filter(slug=payload.organisation).first()
    if org is None or not allowed(request.user, "matching.create_posting", org):
        raise HttpError(403, _("You cannot post for this organisation."))
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
    posting = _guarded(
        lambda: services.save_posting(request.user, form, publish=payload.publish),
    )
    return Status(201, _posting_out(posting, request.user))


@router.get("/postings/{posting_id}/suggestions", response=list[SuggestionOut])
def posting_suggestions(request, posting_id: PostingId, limit: SuggestionLimit = 10):
    posting = _visible_posting(request, posting_id)
    matches = suggestions.partners_for_posting(
        posting,
        k=limit,
        viewer_knows_identity=services.shows_identity(request.user, posting),
    )
    return _suggestions_out(matches)


@router.post("/postings/{posting_id}/interests", response={201: InterestOut}, auth=django_auth)
def create_interest(request, posting_id: PostingId, payload: InterestIn):
    posting = _visible_posting(request, posting_id)
    org = services.user_organisations(request.user).filter(slug=payload.organisation).first()
    if org is None:
        raise HttpError(403, _("You cannot act for this organisation."))
    if not payload.message.strip():
        raise HttpError(422, _("A message is required."))
    interest = _guarded(
        lambda: services.express_interest(request.user, posting, org, payload.message),
    )
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
def organisation_suggestions(request, slug: str, limit: SuggestionLimit = 10):
    org = get_object_or_404(Organisation.objects.select_related("region"), slug=slug)
    return _suggestions_out(suggestions.partners_for_organisation(org, k=limit))
