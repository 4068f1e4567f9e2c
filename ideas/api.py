"""REST endpoints for open calls (read-only; votes and submissions go through the web forms).

What a caller sees comes from the same list queries as the web pages (ideas/rules.py)."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from core.api_pagination import BoundedPagination

from .models import Idea
from .rules import visible_calls, visible_ideas

router = Router()


class CallOut(Schema):
    slug: str
    title: str = Field(description="Title in the main language (German)")
    title_en: str = Field(description="English title; empty when there is none")
    description: str
    description_en: str
    organiser: str
    phase: str
    submission_closes: datetime
    voting_opens: datetime
    voting_closes: datetime
    shortlist_size: int
    questions: list[str]
    questions_en: list[str] = Field(
        description="English guiding questions; empty strings where none"
    )

    @staticmethod
    def resolve_organiser(obj):
        return obj.organiser.name

    @staticmethod
    def resolve_phase(obj):
        return obj.current_phase

    @staticmethod
    def resolve_questions(obj):
        return [q.text for q in obj.questions.all()]

    @staticmethod
    def resolve_questions_en(obj):
        return [q.text_en for q in obj.questions.all()]


class IdeaOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    vote_count: int
    award: str
    submitted_at: datetime | None


@router.get("/", response=list[CallOut])
@paginate(BoundedPagination)
def list_calls(request):
    """Published open calls (and, for their managers, calls not yet published)."""
    return (
        visible_calls(request.user)
        .select_related("organiser")
        .prefetch_related("questions")
        .order_by("-submission_opens", "pk")
    )


@router.get("/{slug}/ideas", response=list[IdeaOut])
@paginate(BoundedPagination)
def list_ideas(request, slug: str):
    """Published ideas of a call with their vote counts (never who voted)."""
    call = get_object_or_404(visible_calls(request.user), slug=slug)
    return (
        visible_ideas(request.user)
        .filter(call=call, status__in=Idea.PUBLIC_STATUSES)
        .order_by("-vote_count", "pk")
    )
