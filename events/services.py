"""Domain rules for events: registration with a waiting list, attendance, and brokerage meetings
(requests, answers, scheduling).

Who may do what is declared once in ``events/rules.py``; every write function here takes the
acting user and asks the rule itself (``core.policy.require``: PermissionDenied, HTTP 403). When
the rule refuses because of the event's state (cancelled, over) and the user can see the event,
the refusal is a RuleError with a message for the page instead.

Every write runs in a transaction. Registration changes and meeting requests lock the event row
(select_for_update), so concurrent sign-ups and cancellations never overfill an event or promote a
person twice, and a double submit creates one registration or meeting request.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.idempotency import double_submit_cutoff
from core.policy import allowed, is_authenticated, require
from engines.scheduling import Meeting, schedule_meetings
from notifications.kinds import bilingual_params, person_params
from notifications.services import notify

from .models import (
    MAX_CAPACITY,
    MAX_REQUESTS_PER_PARTICIPANT,
    MAX_WAITING_LIST,
    AgendaEntry,
    Event,
    MeetingRequest,
    Registration,
)
from .rules import visible_events  # noqa: F401 - the list query lives with the rules

User = get_user_model()

State = Registration.State


class RuleError(Exception):
    """A request that breaks a domain rule; the message is shown to the user."""


# --- permissions (events/rules.py) -------------------------------------------------------------


def can_view(user, event: Event) -> bool:
    return allowed(user, "events.view_event", event)


def can_manage(user, event: Event) -> bool:
    return allowed(user, "events.manage_event", event)


def can_create_event(user) -> bool:
    return allowed(user, "events.create_event")


def _require(user, perm: str, obj, event: Event, cancelled=None, over=None) -> None:
    """Ask the rule; when it refuses and the user can see the event, explain a refusal caused by
    the event's state (cancelled, over) with a RuleError. Anything else is PermissionDenied."""
    if allowed(user, perm, obj):
        return
    if can_view(user, event):
        if event.is_cancelled:
            raise RuleError(cancelled or _("This event has been cancelled."))
        if over and event.is_over:
            raise RuleError(over)
    require(user, perm, obj)


def check_sizes(event: Event) -> None:
    """RuleError unless places, meeting length, slots and tables are within their bounds."""
    try:
        event.check_sizes()
    except ValidationError as exc:
        raise RuleError(" ".join(exc.messages)) from None


def with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        registered_count=Count("registrations", filter=Q(registrations__state=State.REGISTERED)),
        waiting_count=Count("registrations", filter=Q(registrations__state=State.WAITLISTED)),
    )


def free_places(event: Event) -> int | None:
    """Free places (None = no limit); uses the annotated count when present."""
    if event.capacity is None:
        return None
    registered = getattr(event, "registered_count", None)
    if registered is None:
        registered = event.registrations.filter(state=State.REGISTERED).count()
    return max(0, event.capacity - registered)


def registration_of(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def is_participant(user, event: Event) -> bool:
    return allowed(user, "events.view_agenda", event)


# --- events -----------------------------------------------------------------------------------


@transaction.atomic
def save_event(event: Event, user) -> Event:
    """Create or change an event. The user must manage the event's cluster (also the cluster it
    had before a change); the sizes must be within their bounds."""
    if event.pk is not None:
        require(user, "events.manage_event", Event.objects.get(pk=event.pk))
    require(user, "events.create_event")
    if not event.cluster_id or not allowed(user, "events.manage_event", event):
        raise RuleError(_("You can only create events for clusters you manage."))
    check_sizes(event)
    if event.pk is None:
        event.created_by = user
    event.save()
    # A smaller grid (fewer slots or tables) drops the meetings that no longer fit
    outside = event.meeting_requests.filter(slot__isnull=False).filter(
        Q(slot__gte=event.meeting_slots) | Q(table__gt=event.tables)
    )
    ids = list(outside.values_list("pk", flat=True))
    if ids:
        AgendaEntry.objects.filter(meeting_id__in=ids).delete()
        MeetingRequest.objects.filter(pk__in=ids).update(slot=None, table=None)
    _promote_waiting(event)
    return event


# --- cancelling an event ---------------------------------------------------------------------


def can_cancel_event(user, event: Event) -> bool:
    """The managers of the event's cluster may cancel an event that is neither over nor
    cancelled."""
    return allowed(user, "events.cancel_event", event)


@transaction.atomic
def cancel_event(event: Event, user, reason: str) -> Event:
    """Cancel an event with a reason. Registrations stay as they are (history); every registered
    and waiting participant gets an e-mail after the commit."""
    event = _locked(event)
    _require(
        user,
        "events.cancel_event",
        event,
        event,
        cancelled=_("This event has already been cancelled."),
        over=_("This event is over and can no longer be cancelled."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise RuleError(_("Please give a reason for the cancellation."))
    event.cancelled_at = timezone.now()
    event.cancellation_reason = reason
    event.save(update_fields=["cancelled_at", "cancellation_reason"])
    participants = User.objects.filter(
        pk__in=event.registrations.filter(state__in=[State.REGISTERED, State.WAITLISTED]).values(
            "user_id"
        )
    ).order_by("pk")
    notify(
        participants,
        "events.event_cancelled",
        event.get_absolute_url(),
        **_event_params(event),
        reason=reason,
    )
    return event


def _event_params(event: Event) -> dict:
    """What a notification about the event shows: its title (both languages) and start."""
    return {**bilingual_params("title", event), "starts": event.starts_at.isoformat()}


# --- registration -----------------------------------------------------------------------------


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def can_register(user, event: Event) -> bool:
    return allowed(user, "events.register", event)


@transaction.atomic
def register(user, event: Event) -> Registration:
    """Register `user`; when the event is full they go on the waiting list. A second submit
    within a minute returns the registration the first one made."""
    if not is_authenticated(user):
        require(user, "events.register", event)
    # the event row lock serialises sign-ups (and double submits) of this event
    event = _locked(event)
    registration = Registration.objects.select_for_update().filter(event=event, user=user).first()
    if (
        registration is not None
        and registration.state != State.CANCELLED
        and registration.created_at >= double_submit_cutoff()
        and allowed(user, "events.view_event", event)
    ):
        return registration  # the same person pressed twice
    _require(user, "events.register", event, event, over=_("This event is over."))
    if registration is not None and registration.state != State.CANCELLED:
        raise RuleError(_("You are already registered for this event."))
    registered = event.registrations.filter(state=State.REGISTERED).count()
    capacity = MAX_CAPACITY if event.capacity is None else event.capacity
    if registered < capacity:
        state = State.REGISTERED
    elif event.capacity is None:
        raise RuleError(
            _("This event has reached the maximum of %(max)s participants.") % {"max": MAX_CAPACITY}
        )
    elif event.registrations.filter(state=State.WAITLISTED).count() >= MAX_WAITING_LIST:
        raise RuleError(_("The event is full and so is its waiting list."))
    else:
        state = State.WAITLISTED
    if registration is None:
        registration = Registration.objects.create(event=event, user=user, state=state)
    else:
        # Re-registering after a cancellation queues at the end of the waiting list
        registration.state = state
        registration.attended = False
        registration.created_at = timezone.now()
        registration.save(update_fields=["state", "attended", "created_at", "updated_at"])
    return registration


@transaction.atomic
def cancel(registration: Registration, user) -> list[Registration]:
    """The participant cancels their registration; returns the registrations promoted from the
    waiting list."""
    event = _locked(registration.event)
    registration = (
        Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    )
    registration.event = event
    _require(user, "events.cancel_registration", registration, event, over=_("This event is over."))
    if registration.state == State.CANCELLED:
        raise RuleError(_("This registration is already cancelled."))
    registration.state = State.CANCELLED
    registration.attended = False
    registration.save(update_fields=["state", "attended", "updated_at"])
    _unschedule(event, user_ids=[registration.user_id])
    return _promote_waiting(event)


def _promote_waiting(event: Event) -> list[Registration]:
    """Move waiting people into free places, first come first served. A step of the writes that
    free places (cancel, save_event), which have checked their rule; call inside their
    transaction. Locks the event row."""
    event = _locked(event)
    if event.is_cancelled:
        return []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - event.registrations.filter(state=State.REGISTERED).count()
        if free <= 0:
            return []
    waiting = event.registrations.select_for_update().filter(state=State.WAITLISTED)
    promoted = list(waiting if free is None else waiting[:free])
    if not promoted:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        state=State.REGISTERED, updated_at=timezone.now()
    )
    notify(
        User.objects.filter(pk__in=[r.user_id for r in promoted]).order_by("pk"),
        "events.waitlist_promoted",
        event.get_absolute_url(),
        **_event_params(event),
    )
    for r in promoted:
        r.state = State.REGISTERED
    return promoted


@transaction.atomic
def set_attended(registration: Registration, user, attended: bool) -> Registration:
    """The office checks a participant in (or out)."""
    require(user, "events.check_in", registration)
    if registration.state != State.REGISTERED and attended:
        raise RuleError(_("Only registered participants can be checked in."))
    Registration.objects.filter(pk=registration.pk).update(attended=attended)
    registration.attended = attended
    return registration


# --- brokerage: profiles, availability, requests ------------------------------------------------


def _participant(event: Event, user) -> Registration:
    registration = Registration.objects.filter(
        event=event, user=user, state=State.REGISTERED
    ).first()
    if registration is None:
        raise RuleError(_("Only registered participants can take part in the meetings."))
    return registration


@transaction.atomic
def save_profile(registration: Registration, user, profile: str) -> Registration:
    """A participant describes what they offer and look for."""
    require(user, "events.edit_profile", registration)
    registration.profile = profile.strip()
    registration.save(update_fields=["profile", "updated_at"])
    return registration


@transaction.atomic
def set_unavailable(registration: Registration, user, slots: list[int]) -> Registration:
    """Store the slots a participant cannot attend and unschedule their meetings in them (the
    participant themself or the office)."""
    require(user, "events.set_availability", registration)
    event = _locked(registration.event)
    valid = {index for index, _start, _end in event.slot_times()}
    slots = sorted({int(s) for s in slots} & valid)
    registration.unavailable_slots = slots
    registration.save(update_fields=["unavailable_slots", "updated_at"])
    if slots:
        _unschedule(event, user_ids=[registration.user_id], slots=slots)
    return registration


def _recent_duplicate(event, requester, recipient, message) -> MeetingRequest | None:
    return MeetingRequest.objects.filter(
        event=event,
        requester=requester,
        recipient=recipient,
        message=message,
        created_at__gte=double_submit_cutoff(),
    ).first()


@transaction.atomic
def request_meeting(event: Event, requester, recipient, message: str = "") -> MeetingRequest:
    """A participant (the requester, the acting user) asks another participant for a meeting. A
    second identical submit within a minute returns the first request."""
    message = (message or "").strip()
    # the event row lock serialises the checks below with concurrent requests (double submits)
    event = _locked(event)
    if not event.is_brokerage:
        raise RuleError(_("This event has no 1:1 meetings."))
    _require(requester, "events.request_meeting", event, event, over=_("This event is over."))
    if requester.pk == recipient.pk:
        raise RuleError(_("You cannot request a meeting with yourself."))
    if not is_participant(recipient, event):
        raise RuleError(_("This person is not a participant of the event."))
    duplicate = _recent_duplicate(event, requester, recipient, message)
    if duplicate is not None:
        return duplicate
    if MeetingRequest.objects.filter(
        Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester),
        event=event,
    ).exists():
        raise RuleError(_("There is already a meeting request between you two."))
    if (
        MeetingRequest.objects.filter(event=event, requester=requester).count()
        >= MAX_REQUESTS_PER_PARTICIPANT
    ):
        raise RuleError(
            _("You can send at most %(max)s meeting requests for this event.")
            % {"max": MAX_REQUESTS_PER_PARTICIPANT}
        )
    try:
        with transaction.atomic():
            meeting = MeetingRequest.objects.create(
                event=event, requester=requester, recipient=recipient, message=message
            )
    except IntegrityError:
        duplicate = _recent_duplicate(event, requester, recipient, message)
        if duplicate is not None:
            return duplicate
        raise RuleError(_("There is already a meeting request between you two.")) from None
    _notify_meeting(meeting, "requested")
    return meeting


def _notify_meeting(meeting: MeetingRequest, kind: str):
    """Tell the recipient about a new request, or the requester about the answer."""
    to, other = (
        (meeting.recipient, meeting.requester)
        if kind == "requested"
        else (meeting.requester, meeting.recipient)
    )
    notify(
        [to],
        f"events.meeting_{kind}",
        reverse("events:brokerage", args=[meeting.event.slug]),
        **_event_params(meeting.event),
        **person_params("name", other),
        message=meeting.message if kind == "requested" else "",
    )


@transaction.atomic
def answer_request(meeting: MeetingRequest, user, accept: bool) -> MeetingRequest:
    """The recipient accepts or declines a pending request. An accepted meeting may still be
    declined later (e.g. a change of plans); that frees its slot."""
    meeting = MeetingRequest.objects.select_for_update().select_related("event").get(pk=meeting.pk)
    _require(user, "events.answer_meeting", meeting, meeting.event)
    if accept and meeting.state != MeetingRequest.State.PENDING:
        raise RuleError(_("This request has already been answered."))
    if not accept and meeting.state == MeetingRequest.State.DECLINED:
        raise RuleError(_("This request has already been declined."))
    if accept:
        _participant(meeting.event, user)
    meeting.state = MeetingRequest.State.ACCEPTED if accept else MeetingRequest.State.DECLINED
    if not accept:
        AgendaEntry.objects.filter(meeting=meeting).delete()
        meeting.slot = meeting.table = None
    meeting.save(update_fields=["state", "slot", "table"])
    _notify_meeting(meeting, "accepted" if accept else "declined")
    return meeting


# --- brokerage: scheduling ----------------------------------------------------------------------


@dataclass
class ScheduleResult:
    scheduled: int
    unscheduled: int
    moved: int = 0  # meetings that had a place before and now have another one (or none)


def _unschedule(event: Event, user_ids, slots=None):
    meetings = MeetingRequest.objects.filter(event=event, slot__isnull=False).filter(
        Q(requester_id__in=user_ids) | Q(recipient_id__in=user_ids)
    )
    if slots is not None:
        meetings = meetings.filter(slot__in=slots)
    ids = list(meetings.values_list("pk", flat=True))
    if ids:
        AgendaEntry.objects.filter(meeting_id__in=ids).delete()
        MeetingRequest.objects.filter(pk__in=ids).update(slot=None, table=None)


def schedulable_meetings(event: Event) -> QuerySet[MeetingRequest]:
    """Accepted requests whose two people are both still registered."""
    registered = event.registrations.filter(state=State.REGISTERED).values("user_id")
    return event.meeting_requests.filter(
        state=MeetingRequest.State.ACCEPTED,
        requester_id__in=registered,
        recipient_id__in=registered,
    )


@transaction.atomic
def run_scheduler(event: Event, user, keep_existing: bool = True) -> ScheduleResult:
    """Assign accepted meetings to slots and tables with engines.scheduling.

    With keep_existing, meetings already on the schedule keep their slot and table where that is
    still allowed (stable agendas) and new acceptances fill the gaps; otherwise the schedule is
    computed from scratch. Either way the stored result is free of double-bookings (also enforced
    by unique constraints). Only meetings whose place changes are written."""
    event = _locked(event)
    if not event.is_brokerage:
        raise RuleError(_("Set the meeting slots and tables of the event first."))
    _require(user, "events.schedule", event, event)
    if not event.meeting_slots or not event.tables:
        raise RuleError(_("Set the meeting slots and tables of the event first."))
    check_sizes(event)
    registered = dict(
        event.registrations.filter(state=State.REGISTERED).values_list(
            "user_id", "unavailable_slots"
        )
    )
    # Accepted requests whose two people are both still registered (filtered here rather than
    # with subqueries: two plain queries plan well on every database)
    accepted = [
        m
        for m in event.meeting_requests.filter(state=MeetingRequest.State.ACCEPTED).order_by("pk")
        if m.requester_id in registered and m.recipient_id in registered
    ]
    current = {
        pk: (slot, table)
        for pk, slot, table in event.meeting_requests.filter(slot__isnull=False).values_list(
            "pk", "slot", "table"
        )
    }
    result = schedule_meetings(
        [Meeting(m.pk, m.requester_id, m.recipient_id) for m in accepted],
        n_slots=event.meeting_slots,
        tables=event.tables,
        unavailable={user_id: slots for user_id, slots in registered.items() if slots},
        previous=current if keep_existing else None,
    )
    new = result.assignments
    changed = {pk for pk, place in current.items() if new.get(pk) != place}
    changed |= {pk for pk in new if pk not in current}
    # Free the old places first, then write the new ones: one UPDATE per table and per slot (far
    # fewer statements than one per meeting); tables first, so that (slot, table) is complete and
    # unique as soon as a slot is set.
    AgendaEntry.objects.filter(event=event, meeting_id__in=changed).delete()
    MeetingRequest.objects.filter(pk__in=[pk for pk in changed if pk in current]).update(
        slot=None, table=None
    )
    by_table = defaultdict(list)
    by_slot = defaultdict(list)
    seats = []
    for m in accepted:
        if m.pk in changed and m.pk in new:
            slot, table = new[m.pk]
            by_table[table].append(m.pk)
            by_slot[slot].append(m.pk)
            seats.append(AgendaEntry(event=event, user_id=m.requester_id, slot=slot, meeting=m))
            seats.append(AgendaEntry(event=event, user_id=m.recipient_id, slot=slot, meeting=m))
    for table, ids in by_table.items():
        MeetingRequest.objects.filter(pk__in=ids).update(table=table)
    for slot, ids in by_slot.items():
        MeetingRequest.objects.filter(pk__in=ids).update(slot=slot)
    AgendaEntry.objects.bulk_create(seats, batch_size=1000)
    return ScheduleResult(
        scheduled=len(new),
        unscheduled=len(accepted) - len(new),
        moved=len([pk for pk in changed if pk in current]),
    )


def schedule_grid(event: Event):
    """Rows of (slot start, slot end, [meetings placed in the slot, by table]) and the
    unscheduled accepted requests. Two queries; the work grows with the slots and the meetings
    placed, never with slots x tables (empty tables are not listed)."""
    meetings = (
        event.meeting_requests.filter(slot__isnull=False)
        .select_related("requester", "recipient")
        .order_by("slot", "table")
    )
    by_slot = defaultdict(list)
    for m in meetings:
        by_slot[m.slot].append(m)
    rows = [(start, end, by_slot.get(index, [])) for index, start, end in event.slot_times()]
    unscheduled = list(
        schedulable_meetings(event)
        .filter(slot__isnull=True)
        .select_related("requester", "recipient")
    )
    return rows, unscheduled


def agenda(event: Event, user) -> list[MeetingRequest]:
    """A participant's scheduled meetings in time order."""
    return list(
        event.meeting_requests.filter(slot__isnull=False)
        .filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient", "event")
        .order_by("slot")
    )
