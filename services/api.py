"""REST endpoints of network services: catalogue, surveys and aggregated survey results.

Bookings, feedback and answers go through the web forms."""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from core.api_pagination import BoundedPagination
from core.policy import allowed

from . import services
from .models import Survey
from .rules import visible_services, visible_surveys

router = Router()


class ServiceOut(Schema):
    slug: str
    title: str = Field(description="Title in the main language (German)")
    title_en: str = Field(description="English title; empty when there is none")
    cluster: str
    category: str
    category_label: str
    target_group: str
    target_group_en: str
    problem: str
    problem_en: str
    delivery: str
    delivery_en: str
    financing: str = Field(description="Financing model; empty while not decided")
    price: Decimal | None = Field(description="Price in EUR, 0 when free; null while not decided")
    transferability: int | None = Field(description="Grade 1 to 4; null while not decided")
    transferability_meaning: str
    status: str
    is_shared: bool
    bookings: int
    rating_average: float | None
    rating_count: int

    @staticmethod
    def resolve_cluster(obj):
        return obj.cluster.slug

    @staticmethod
    def resolve_category_label(obj):
        return str(obj.get_category_display())

    @staticmethod
    def resolve_transferability_meaning(obj):
        return str(obj.transferability_meaning)

    @staticmethod
    def resolve_bookings(obj):
        return obj.booking_count

    @staticmethod
    def resolve_rating_average(obj):
        return round(obj.rating_average, 2) if obj.rating_average is not None else None


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    authorised_by: str
    note: str
    changed_at: datetime


class PeriodOut(Schema):
    label: str
    average: float
    count: int


class ServiceDetailOut(ServiceOut):
    history: list[StatusChangeOut]
    satisfaction: list[PeriodOut]
    adopted_from: str | None

    @staticmethod
    def resolve_history(obj):
        return list(obj.history.all())

    @staticmethod
    def resolve_satisfaction(obj):
        return services.satisfaction_over_time(obj)

    @staticmethod
    def resolve_adopted_from(obj):
        return obj.adopted_from.slug if obj.adopted_from_id else None


class ServiceFilters(Schema):
    q: str = Field("", max_length=200)
    cluster: str = Field("", max_length=270)
    category: str = Field("", max_length=20)
    financing: str = Field("", max_length=20)
    status: str = Field("", max_length=12)
    shared: bool | None = None
    min_transferability: int | None = Field(
        None, ge=1, le=4, description="Lowest transferability grade (1 to 4)"
    )


class SurveyOut(Schema):
    id: int
    title: str
    title_en: str
    introduction: str
    introduction_en: str
    cluster: str
    kind: str
    state: str
    service: str | None
    event: str | None
    event_title: str
    opened_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_cluster(obj):
        return obj.cluster.slug

    @staticmethod
    def resolve_service(obj):
        return obj.service.slug if obj.service_id else None

    @staticmethod
    def resolve_event(obj):
        return obj.event.slug if obj.event_id else None


class BarOut(Schema):
    label: str
    count: int
    percent: int


class QuestionResultOut(Schema):
    question: str
    kind: str
    answers: int
    average: float | None
    distribution: list[BarOut]
    texts: list[str]


class SurveyResultsOut(Schema):
    survey: SurveyOut
    responses: int
    questions: list[QuestionResultOut]


@router.get("/surveys", response=list[SurveyOut], auth=django_auth)
def list_surveys(request):
    """Surveys of the clusters you manage, and open surveys of clusters you belong to."""
    return list(visible_surveys(request.user).order_by("-created_at"))


@router.get("/surveys/{int:survey_id}/results", response=SurveyResultsOut, auth=django_auth)
def survey_results(request, survey_id: int):
    """Answers aggregated per question (cluster managers only)."""
    survey = get_object_or_404(
        Survey.objects.select_related("cluster", "service", "event"), pk=survey_id
    )
    if not allowed(request.user, "services.view_survey_results", survey):
        raise HttpError(403, "Only managers of the cluster can see the results.")
    responses, results = services.survey_results(survey)
    return {
        "survey": survey,
        "responses": responses,
        "questions": [
            {
                "question": r.question.text,
                "kind": r.question.kind,
                "answers": r.count,
                "average": r.average,
                "distribution": r.bars,
                "texts": [a.text for a in r.texts],
            }
            for r in results
        ],
    }


@router.get("/", response=list[ServiceOut])
@paginate(BoundedPagination, page_size=50)
def list_services(request, filters: Query[ServiceFilters]):
    """Services you may see: offered ones, shared ones, and all of the clusters you manage."""
    qs = services.catalogue(
        request.user,
        query=filters.q.strip(),
        cluster=filters.cluster,
        category=filters.category,
        financing=filters.financing,
        status=filters.status,
    )
    if filters.shared is not None:
        qs = qs.filter(is_shared=filters.shared)
    if filters.min_transferability:
        qs = qs.filter(transferability__gte=filters.min_transferability)
    return qs


@router.get("/{slug}", response=ServiceDetailOut)
def get_service(request, slug: str):
    service = (
        services.with_figures(visible_services(request.user))
        .select_related("adopted_from")
        .filter(slug=slug)
        .first()
    )
    if service is None:
        raise Http404
    return service
