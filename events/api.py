"""REST endpoints for events: the event calendar, my registrations and my meeting agenda, and
creating and changing events for the cluster offices. Registrations and meeting requests are made
through the web pages.

Every number that sizes work has an upper bound in the schemas (``Field(le=...)``); the same
bounds are the model's validators, checked again by the form and the service function."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from accounts.models import User
from actors.models import Cluster
from actors.permissions import manageable_clusters
from core.api_pagination import BoundedPagination
from core.policy import allowed

from . import services
from .forms import EventForm
from .models import (
    MAX_CAPACITY,
    MAX_MEETING_MINUTES,
    MAX_MEETING_SLOTS,
    MAX_TABLES,
    Event,
    Registration,
)

router = Router()

MAX_ID = 2**63 - 1


class EventOut(Schema):
    slug: str
    title: str
    title_en: str = Field(description="English title; empty when there is none")
    format: str
    mode: str
    cluster: str
    starts_at: datetime
    ends_at: datetime
    location: str
    capacity: int | None
    registered: int
    waiting: int
    free_places: int | None
    is_public: bool
    cancelled: bool
    cancellation_reason: str
    url: str

    @staticmethod
    def resolve_cluster(obj):
        return obj.cluster.slug

    @staticmethod
    def resolve_registered(obj):
        return obj.registered_count

    @staticmethod
    def resolve_waiting(obj):
        return obj.waiting_count

    @staticmethod
    def resolve_free_places(obj):
        return services.free_places(obj)

    @staticmethod
    def resolve_cancelled(obj):
        return obj.is_cancelled

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class EventDetailOut(EventOut):
    description: str
    description_en: str


class RegistrationOut(Schema):
    event: str
    title: str
    starts_at: datetime
    state: str
    attended: bool

    @staticmethod
    def resolve_event(obj):
        return obj.event.slug

    @staticmethod
    def resolve_title(obj):
        return obj.event.title

    @staticmethod
    def resolve_starts_at(obj):
        return obj.event.starts_at


class EventIn(Schema):
    """A new event, or all fields of an event being changed. Brokerage events (format
    "brokerage" or "speed_dating") need meetings_start, meeting_minutes (5 or more),
    meeting_slots and tables."""

    cluster: str = Field(..., max_length=100, description="Slug of a cluster you manage.")
    title: str = Field(..., min_length=1, max_length=200)
    title_en: str = Field("", max_length=200, description="English title (optional)")
    format: Event.Format
    mode: Event.Mode
    description: str = Field("", max_length=20_000)
    description_en: str = Field("", max_length=20_000, description="English description")
    starts_at: datetime
    ends_at: datetime
    location: str = Field("", max_length=250)
    online_url: str = Field("", max_length=200)
    capacity: int | None = Field(
        None, ge=0, le=MAX_CAPACITY, description="Places; empty for no limit."
    )
    is_public: bool = False
    is_published: bool = True
    meetings_start: datetime | None = None
    meeting_minutes: int = Field(20, ge=0, le=MAX_MEETING_MINUTES)
    meeting_slots: int = Field(0, ge=0, le=MAX_MEETING_SLOTS)
    tables: int = Field(0, ge=0, le=MAX_TABLES)


class FormErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class AgendaItemOut(Schema):
    slot: int
    table: int
    starts_at: datetime
    ends_at: datetime
    partner: str
    message: str


@router.get("/", response=list[EventOut])
@paginate(BoundedPagination)
def list_events(request, format: str = "", mode: str = "", cluster: str = "", past: bool = False):
    """Events the caller may see (public ones for everybody); upcoming unless past=true."""
    qs = services.visible_events(request.user)
    now = timezone.now()
    qs = (
        qs.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else qs.filter(ends_at__gte=now).order_by("starts_at")
    )
    if format:
        qs = qs.filter(format=format)
    if mode:
        qs = qs.filter(mode=mode)
    if cluster:
        qs = qs.filter(cluster__slug=cluster)
    return services.with_counts(qs)


@router.get("/mine/registrations", response=list[RegistrationOut], auth=django_auth)
def my_registrations(request):
    """The caller's registrations (not the cancelled ones)."""
    return (
        Registration.objects.filter(user=request.user)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )


def _with_counts(event: Event) -> Event:
    return services.with_counts(Event.objects.select_related("cluster")).get(pk=event.pk)


def _save_event(request, payload: EventIn, event: Event | None):
    """Validate the payload with the event form of the web pages (same rules, same messages) and
    save it through the service function."""
    clusters = manageable_clusters(request.user)
    cluster = Cluster.objects.filter(slug=payload.cluster).first()
    if cluster is not None and not clusters.filter(pk=cluster.pk).exists():
        raise HttpError(403, _("You cannot manage events of this cluster."))
    data = payload.model_dump()
    data["cluster"] = cluster.pk if cluster is not None else ""
    data["service"] = event.service_id if event is not None and event.service_id else ""
    data["capacity"] = "" if payload.capacity is None else payload.capacity
    data["meetings_start"] = payload.meetings_start or ""
    form = EventForm(data, instance=event, clusters=clusters)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return Status(422, {"detail": _("The event has errors."), "errors": errors})
    try:
        with transaction.atomic():
            saved = services.save_event(form.save(commit=False), request.user)
    except services.RuleError as exc:
        return Status(422, {"detail": str(exc), "errors": {"__all__": [str(exc)]}})
    except PermissionDenied:
        raise HttpError(403, _("You cannot manage events of this cluster.")) from None
    return Status(201 if event is None else 200, _with_counts(saved))


@router.post("/", response={201: EventDetailOut, 422: FormErrorsOut}, auth=django_auth)
def create_event(request, payload: EventIn):
    """Create an event in a cluster you manage (cluster managers and platform admins)."""
    if not allowed(request.user, "events.create_event"):
        raise HttpError(403, _("Only cluster managers can create events."))
    return _save_event(request, payload, None)


@router.get("/{slug}", response=EventDetailOut)
def get_event(request, slug: str):
    event = get_object_or_404(
        services.with_counts(Event.objects.select_related("cluster")), slug=slug
    )
    if not services.can_view(request.user, event):
        raise HttpError(404, _("Not found"))
    return event


@router.put("/{slug}", response={200: EventDetailOut, 422: FormErrorsOut}, auth=django_auth)
def update_event(request, slug: str, payload: EventIn):
    """Change an event (all fields) of a cluster you manage."""
    event = get_object_or_404(Event.objects.select_related("cluster"), slug=slug)
    if not services.can_view(request.user, event):
        raise HttpError(404, _("Not found"))
    if not allowed(request.user, "events.manage_event", event):
        raise HttpError(403, _("Only the managers of the event's cluster can change it."))
    return _save_event(request, payload, event)


@router.get("/{slug}/agenda", response=list[AgendaItemOut], auth=django_auth)
def agenda(request, slug: str, user_id: int | None = Query(None, ge=1, le=MAX_ID)):
    """Scheduled meetings of the caller, or of any participant (user_id) for the event's managers."""
    event = get_object_or_404(Event.objects.select_related("cluster"), slug=slug)
    if not services.can_view(request.user, event):
        raise HttpError(404, _("Not found"))
    person = request.user
    if user_id is not None and user_id != request.user.pk:
        if not allowed(request.user, "events.view_agendas", event):
            raise HttpError(403, _("Only the event's managers can see other agendas."))
        person = get_object_or_404(User, pk=user_id)
    elif not allowed(request.user, "events.view_agenda", event):
        raise HttpError(403, _("You are not registered for this event."))
    items = []
    for meeting in services.agenda(event, person):
        start, end = meeting.time_range()
        items.append(
            {
                "slot": meeting.slot,
                "table": meeting.table,
                "starts_at": start,
                "ends_at": end,
                "partner": meeting.partner_of(person).get_full_name(),
                "message": meeting.message,
            }
        )
    return items
