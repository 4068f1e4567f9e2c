"""REST endpoints for open calls (read-only; votes and submissions go through the web forms)."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from .models import Call, Idea

router = Router()


class CallOut(Schema):
    slug: str
    title: str
    description: str
    organiser: str
    phase: str
    submission_closes: datetime
    voting_opens: datetime
    voting_closes: datetime
    shortlist_size: int
    questions: list[str]

    @staticmethod
    def resolve_organiser(obj):
        return obj.organiser.name

    @staticmethod
    def resolve_phase(obj):
        return obj.current_phase

    @staticmethod
    def resolve_questions(obj):
        return [q.text for q in obj.questions.all()]


class IdeaOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    vote_count: int
    award: str
    submitted_at: datetime | None


@router.get("/", response=list[CallOut])
@paginate(PageNumberPagination)
def list_calls(request):
    """Published open calls."""
    return (
        Call.objects.filter(is_published=True)
        .select_related("organiser")
        .prefetch_related("questions")
    )


@router.get("/{slug}/ideas", response=list[IdeaOut])
@paginate(PageNumberPagination)
def list_ideas(request, slug: str):
    """Published ideas of a call with their vote counts (never who voted)."""
    call = get_object_or_404(Call, slug=slug, is_published=True)
    return call.ideas.filter(status__in=Idea.PUBLIC_STATUSES).order_by("-vote_count", "pk")
