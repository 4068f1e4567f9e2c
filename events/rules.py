"""Who may do what with events, registrations and brokerage meetings.

Declared once here (django-rules) and used by the views, the API and the service functions alike
(``core.policy.require`` / ``allowed``). Rights come from the user's current cluster roles
(``actors.models.ClusterRole``) and registrations at request time; nothing is copied onto events.
Platform admins pass only the rules that name them, and an event's state holds for everybody: a
cancelled event takes no registrations, meeting requests or scheduling, and an event that is over
takes no registrations or meeting requests.

"May see" is the list query ``visible_events``; the single check is derived from it.
"""

import rules
from django.db.models import Q
from django.utils import timezone

from actors.models import ClusterRole
from actors.permissions import current_roles, managed_cluster_ids_query, member_cluster_ids_query
from core.policy import is_authenticated, is_confirmed, is_platform_admin

from .models import Event, Registration

Role = ClusterRole.Role
State = Registration.State


# --- list query ("may see") ----------------------------------------------------------------------


def visible_events(user):
    """Published public events for everyone, published members-only events for the cluster's
    people, every event of a cluster for its managers, all events for platform admins."""
    qs = Event.objects.select_related("cluster")
    if is_platform_admin(user):
        return qs
    if not is_authenticated(user):
        return qs.filter(is_published=True, is_public=True)
    return qs.filter(
        Q(is_published=True, is_public=True)
        | Q(is_published=True, cluster_id__in=member_cluster_ids_query(user))
        | Q(cluster_id__in=managed_cluster_ids_query(user))
    )


# --- predicates on an event ------------------------------------------------------------------------


@rules.predicate
def can_see_event(user, event) -> bool:
    return event is not None and visible_events(user).filter(pk=event.pk).exists()


@rules.predicate
def manages_event_cluster(user, event) -> bool:
    return (
        event is not None
        and current_roles(user).filter(role=Role.MANAGER, cluster_id=event.cluster_id).exists()
    )


@rules.predicate
def manages_a_cluster(user) -> bool:
    return current_roles(user).filter(role=Role.MANAGER).exists()


@rules.predicate
def may_join(user, event) -> bool:
    """Public events are open to every registered user, members-only events to the people of the
    cluster (any role); drafts to nobody."""
    if event is None or not event.is_published:
        return False
    return event.is_public or current_roles(user).filter(cluster_id=event.cluster_id).exists()


@rules.predicate
def event_not_cancelled(user, event) -> bool:
    return event is not None and not event.is_cancelled


@rules.predicate
def event_not_over(user, event) -> bool:
    return event is not None and event.ends_at > timezone.now()


@rules.predicate
def event_has_meetings(user, event) -> bool:
    return event is not None and event.is_brokerage


@rules.predicate
def is_participant(user, event) -> bool:
    """Registered (not waiting, not cancelled) for the event."""
    return (
        event is not None
        and is_authenticated(user)
        and Registration.objects.filter(event=event, user=user, state=State.REGISTERED).exists()
    )


# --- predicates on a registration or a meeting request ---------------------------------------------


@rules.predicate
def is_own_registration(user, registration) -> bool:
    return registration is not None and is_authenticated(user) and registration.user_id == user.pk


@rules.predicate
def manages_registration_event(user, registration) -> bool:
    return registration is not None and manages_event_cluster(user, registration.event)


@rules.predicate
def registration_event_open(user, registration) -> bool:
    return (
        registration is not None
        and not registration.event.is_cancelled
        and registration.event.ends_at > timezone.now()
    )


@rules.predicate
def registration_is_active(user, registration) -> bool:
    return registration is not None and registration.state == State.REGISTERED


@rules.predicate
def registration_has_meetings(user, registration) -> bool:
    return registration is not None and registration.event.is_brokerage


@rules.predicate
def is_recipient(user, meeting) -> bool:
    return meeting is not None and is_authenticated(user) and meeting.recipient_id == user.pk


@rules.predicate
def meeting_event_not_cancelled(user, meeting) -> bool:
    return meeting is not None and not meeting.event.is_cancelled


# --- the rules -------------------------------------------------------------------------------------

manages_event = is_platform_admin | manages_event_cluster
open_event = event_not_cancelled & event_not_over

rules.add_perm("events.view_event", can_see_event)
rules.add_perm("events.create_event", is_platform_admin | manages_a_cluster)
# edit the event, see participants and the schedule, mark availability for a participant
rules.add_perm("events.manage_event", manages_event)
rules.add_perm("events.cancel_event", manages_event & open_event)
rules.add_perm("events.export_participants", manages_event)
rules.add_perm("events.register", is_confirmed & may_join & open_event)
rules.add_perm("events.cancel_registration", is_own_registration & registration_event_open)
# the office records attendance (also after a cancellation, for the history)
rules.add_perm("events.check_in", is_platform_admin | manages_registration_event)
# brokerage: the registered participants take part (profile, availability, requests, agenda)
rules.add_perm("events.take_part", event_has_meetings & is_participant)
rules.add_perm(
    "events.edit_profile",
    registration_has_meetings & is_own_registration & registration_is_active,
)
rules.add_perm(
    "events.set_availability",
    registration_has_meetings
    & ((is_own_registration & registration_is_active) | is_platform_admin
       | manages_registration_event),
)  # fmt: skip
rules.add_perm(
    "events.request_meeting",
    is_confirmed & event_has_meetings & is_participant & open_event,
)
rules.add_perm("events.answer_meeting", is_recipient & meeting_event_not_cancelled)
rules.add_perm("events.schedule", manages_event & event_has_meetings & event_not_cancelled)
# a participant's own agenda; the office sees everybody's
rules.add_perm("events.view_agenda", is_participant)
rules.add_perm("events.view_agendas", manages_event)
