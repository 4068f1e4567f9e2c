"""The personal start page: "what needs me today", gathered from every app's own rules.

Each block reads the apps' list queries (``<app>/rules.py``: ``visible_memberships``,
``managed_calls``, ``visible_ideas``, ``visible_events``, ``visible_calls``, ``interests_to_broker``,
``user_organisations`` …) and the user's current roles; nothing here decides visibility itself. Every
block is a bounded number of queries (a count and the first few rows), so the page costs the same
for a user with three items or three thousand.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from actors.models import Membership, Organisation
from actors.permissions import administered_organisation_ids, managed_cluster_ids
from actors.rules import visible_memberships
from events.models import MeetingRequest, Registration
from events.rules import visible_events
from ideas.models import Call, Idea, JuryMember
from ideas.rules import managed_calls, phase_allows_action, visible_calls, visible_ideas
from matching.models import Interest
from matching.rules import interests_to_broker, user_organisations
from services.models import Booking

#: Rows shown per block (each block links to its full list).
BLOCK_SIZE = 5
#: Partner suggestions shown and how long they are kept (they change slowly).
SUGGESTIONS = 5
SUGGESTION_SECONDS = 15 * 60


@dataclass
class Task:
    """One line of "my tasks": what to do, how many, and where to do it."""

    kind: str
    label: str
    count: int
    url: str


@dataclass
class Block:
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


def _block(queryset) -> Block:
    items = list(queryset[:BLOCK_SIZE])
    total = len(items) if len(items) < BLOCK_SIZE else queryset.count()
    return Block(items, total)


# -- my tasks ------------------------------------------------------------------------------------


def tasks(user) -> list[Task]:
    """Decisions waiting for this user as a cluster office, call manager or organisation admin."""
    result: list[Task] = []
    clusters = managed_cluster_ids(user)
    administered = administered_organisation_ids(user)

    if clusters:
        applications = (
            visible_memberships(user)
            .filter(status=Membership.Status.APPLIED, cluster_id__in=clusters)
            .values("cluster__slug", "cluster__name")
            .annotate(n=Count("pk"))
            .order_by("cluster__name")
        )
        for row in applications:
            result.append(
                Task(
                    "applications",
                    row["cluster__name"],
                    row["n"],
                    reverse("actors:cluster_manage", args=[row["cluster__slug"]]),
                )
            )
        bookings = (
            Booking.objects.filter(state=Booking.State.REQUESTED, service__cluster_id__in=clusters)
            .values("service__slug", "service__title")
            .annotate(n=Count("pk"))
            .order_by("service__title")[:BLOCK_SIZE]
        )
        for row in bookings:
            result.append(
                Task(
                    "bookings",
                    row["service__title"],
                    row["n"],
                    reverse("services:service_bookings", args=[row["service__slug"]])
                    + "?state=requested",
                )
            )

    if administered:
        invitations = (
            visible_memberships(user)
            .filter(status=Membership.Status.INVITED, organisation_id__in=administered)
            .select_related("cluster", "organisation")
            .order_by("cluster__name")[:BLOCK_SIZE]
        )
        for membership in invitations:
            result.append(
                Task(
                    "invitation",
                    f"{membership.cluster.name} → {membership.organisation.name}",
                    1,
                    membership.organisation.get_absolute_url(),
                )
            )

    if clusters or user.is_superuser:
        moderation = (
            visible_ideas(user)
            .filter(status=Idea.Status.SUBMITTED, call__in=managed_calls(user).values("pk"))
            .values("call__slug", "call__title")
            .annotate(n=Count("pk"))
            .order_by("call__title")[:BLOCK_SIZE]
        )
        for row in moderation:
            result.append(
                Task(
                    "moderation",
                    row["call__title"],
                    row["n"],
                    reverse("ideas:call_manage", args=[row["call__slug"]]),
                )
            )

    brokering = interests_to_broker(user).filter(status=Interest.Status.PENDING).count()
    if brokering:
        result.append(Task("brokering", "", brokering, reverse("matching:my_interests")))
    return result


# -- what I am waiting for and what I take part in -----------------------------------------------


def pending_interests(user) -> Block:
    """Expressions of interest my organisations sent that the office has not answered yet."""
    return _block(
        Interest.objects.filter(
            organisation__in=user_organisations(user).values("pk"),
            status=Interest.Status.PENDING,
        )
        .select_related("posting")
        .order_by("-created_at")
    )


def pending_meetings(user) -> Block:
    """Meeting requests waiting for my answer at events that are neither cancelled nor over."""
    return _block(
        MeetingRequest.objects.filter(
            recipient=user,
            state=MeetingRequest.State.PENDING,
            event__cancelled_at__isnull=True,
            event__ends_at__gt=timezone.now(),
        )
        .select_related("event", "requester")
        .order_by("event__starts_at", "created_at")
    )


def my_bookings(user) -> Block:
    return _block(
        Booking.objects.filter(user=user, state__in=Booking.OPEN)
        .select_related("service", "service__cluster")
        .order_by("-created_at")
    )


def upcoming_events(user) -> Block:
    return _block(
        Registration.objects.filter(
            user=user,
            state__in=[Registration.State.REGISTERED, Registration.State.WAITLISTED],
            event__in=visible_events(user).values("pk"),
            event__cancelled_at__isnull=True,
            event__ends_at__gte=timezone.now(),
        )
        .select_related("event", "event__cluster")
        .order_by("event__starts_at")
    )


def _calls_in_phase(queryset, action: str) -> Block:
    """Calls whose current phase allows `action` (the phase table of the ideas app decides; the
    date filter only narrows the candidates)."""
    calls = [call for call in queryset[: BLOCK_SIZE * 4] if phase_allows_action(call, action)]
    return Block(calls[:BLOCK_SIZE], len(calls))


def calls_to_vote(user) -> Block:
    now = timezone.now()
    candidates = (
        visible_calls(user)
        .filter(is_published=True, voting_opens__lte=now, voting_closes__gt=now)
        .select_related("organiser")
        .order_by("voting_closes")
    )
    return _calls_in_phase(candidates, "vote")


def calls_to_score(user) -> Block:
    """Calls in jury review where this user holds a seat and has not submitted their scores."""
    now = timezone.now()
    seats = JuryMember.objects.filter(user=user, submitted_at__isnull=True).values("call_id")
    candidates = (
        Call.objects.filter(
            pk__in=seats, is_published=True, jury_opens__lte=now, jury_closes__gt=now
        )
        .select_related("organiser")
        .order_by("jury_closes")
    )
    return _calls_in_phase(candidates, "score")


# -- partner suggestions ---------------------------------------------------------------------------


def home_organisation(user) -> Organisation | None:
    """The organisation the user acts for (the first by name when there are several)."""
    return user_organisations(user).select_related("region").first()


def partner_suggestions(organisation: Organisation | None) -> list:
    """A few partner suggestions (matching.suggestions), kept for a while per organisation and
    language so the start page stays cheap; the organisations are re-read in one query."""
    if organisation is None:
        return []
    from matching import suggestions

    key = f"start:partners:{organisation.pk}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        matches = suggestions.partners_for_organisation(organisation, k=SUGGESTIONS)
        cached = [(m.object.pk, list(m.explanation)) for m in matches]
        cache.set(key, cached, SUGGESTION_SECONDS)
    organisations = Organisation.objects.select_related("region").in_bulk(
        [pk for pk, _lines in cached]
    )
    return [(organisations[pk], lines) for pk, lines in cached if pk in organisations]


def start_page(user) -> dict:
    organisation = home_organisation(user)
    return {
        "tasks": tasks(user),
        "pending_interests": pending_interests(user),
        "pending_meetings": pending_meetings(user),
        "bookings": my_bookings(user),
        "events": upcoming_events(user),
        "vote_calls": calls_to_vote(user),
        "jury_calls": calls_to_score(user),
        "organisation": organisation,
        "partners": partner_suggestions(organisation),
        "manages_clusters": bool(managed_cluster_ids(user)),
    }
