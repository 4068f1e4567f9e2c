"""REST endpoints for events: the event calendar, my registrations and my meeting agenda.
Registrations and meeting requests are made through the web pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from accounts.models import User

from . import services
from .models import Event, Registration

router = Router()


class EventOut(Schema):
    slug: str
    title: str
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


class AgendaItemOut(Schema):
    slot: int
    table: int
    starts_at: datetime
    ends_at: datetime
    partner: str
    message: str


@router.get("/", response=list[EventOut])
@paginate(PageNumberPagination)
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


@router.get("/{slug}", response=EventDetailOut)
def get_event(request, slug: str):
    event = get_object_or_404(
        services.with_counts(Event.objects.select_related("cluster")), slug=slug
    )
    if not services.can_view(request.user, event):
        raise HttpError(404, "Not found")
    return event


@router.get("/{slug}/agenda", response=list[AgendaItemOut], auth=django_auth)
def agenda(request, slug: str, user_id: int | None = None):
    """Scheduled meetings of the caller, or of any participant (user_id) for the event's managers."""
    event = get_object_or_404(Event.objects.select_related("cluster"), slug=slug)
    if not services.can_view(request.user, event):
        raise HttpError(404, "Not found")
    person = request.user
    if user_id is not None and user_id != request.user.pk:
        if not services.can_manage(request.user, event):
            raise HttpError(403, "Only the event's managers can see other agendas.")
        person = get_object_or_404(User, pk=user_id)
    elif not services.is_participant(request.user, event):
        raise HttpError(403, "You are not registered for this event.")
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
