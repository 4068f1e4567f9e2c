"""Domain rules: registration, waiting list, promotion, brokerage requests and scheduling."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import services
from events.models import AgendaEntry, Event, MeetingRequest, Registration
from events.services import RuleError
from tests.factories import ClusterRoleFactory, UserFactory

from .factories import (
    BrokerageEventFactory,
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
    manager_of,
)

pytestmark = pytest.mark.django_db
State = Registration.State


def states(event):
    return list(event.registrations.order_by("pk").values_list("user__email", "state"))


def test_registration_fills_places_then_waiting_list():
    event = EventFactory(capacity=2)
    a, b, c, d = (UserFactory(email=f"{n}@example.org") for n in "abcd")
    assert services.register(a, event).state == State.REGISTERED
    assert services.register(b, event).state == State.REGISTERED
    assert services.register(c, event).state == State.WAITLISTED
    assert services.register(d, event).state == State.WAITLISTED
    # a double submit returns the registration; later, a second registration is refused
    assert services.register(a, event).state == State.REGISTERED
    event.registrations.filter(user=a).update(created_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(RuleError):
        services.register(a, event)
    assert event.registrations.count() == 4


def test_cancel_promotes_first_waiting_person_and_sends_mail(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    event = EventFactory(capacity=1, title="Mitglieder-Café")
    first = UserFactory()
    waiting1 = UserFactory(preferred_language="en")
    waiting2 = UserFactory()
    reg = services.register(first, event)
    services.register(waiting1, event)
    services.register(waiting2, event)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(reg, first)
    assert [r.user for r in promoted] == [waiting1]
    assert dict(event.registrations.values_list("user_id", "state")) == {
        first.pk: State.CANCELLED,
        waiting1.pk: State.REGISTERED,
        waiting2.pk: State.WAITLISTED,
    }
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [waiting1.email]
    assert (
        "You have a place" in mailoutbox[0].subject and "Mitglieder-Café" in mailoutbox[0].subject
    )
    with pytest.raises(RuleError):
        services.cancel(reg, first)


def test_reregistering_after_cancel_goes_to_the_end_of_the_waiting_list():
    event = EventFactory(capacity=1)
    a, b, c = UserFactory.create_batch(3)
    reg_a = services.register(a, event)
    services.register(b, event)
    services.cancel(reg_a, a)  # b moves up
    services.register(c, event)
    again = services.register(a, event)
    assert again.pk == reg_a.pk and again.state == State.WAITLISTED
    waiting = list(
        event.registrations.filter(state=State.WAITLISTED).values_list("user", flat=True)
    )
    assert waiting == [c.pk, a.pk]


def test_raising_the_capacity_promotes_waiting_people(users):
    event = EventFactory(capacity=1)
    regs = [services.register(u, event) for u in UserFactory.create_batch(4)]
    event.capacity = 3
    services.save_event(event, users["platform_admin"])
    assert [Registration.objects.get(pk=r.pk).state for r in regs] == [
        State.REGISTERED,
        State.REGISTERED,
        State.REGISTERED,
        State.WAITLISTED,
    ]


def test_members_only_events_need_a_cluster_role(cluster, users):
    event = EventFactory(cluster=cluster, is_public=False)
    with pytest.raises(PermissionDenied):
        services.register(users["outsider"], event)
    assert services.register(users["member"], event).state == State.REGISTERED
    past = EventFactory(
        cluster=cluster,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(RuleError):
        services.register(users["member"], past)


def test_visibility_by_role(cluster, users):
    public = EventFactory(cluster=cluster, is_public=True)
    members = EventFactory(cluster=cluster, is_public=False)
    draft = EventFactory(cluster=cluster, is_published=False)
    other = EventFactory(is_public=False)
    from django.contrib.auth.models import AnonymousUser

    seen = {
        role: set(services.visible_events(user or AnonymousUser())) for role, user in users.items()
    }
    assert seen["anonymous"] == {public} and seen["outsider"] == {public}
    assert seen["member"] == seen["org_admin"] == {public, members}
    assert seen["manager"] == {public, members, draft}
    assert seen["platform_admin"] == {public, members, draft, other}


def test_attendance_only_for_registered():
    event = EventFactory(capacity=0)
    waiting = services.register(UserFactory(), event)
    assert waiting.state == State.WAITLISTED
    office = manager_of(event)
    with pytest.raises(RuleError):
        services.set_attended(waiting, office, True)
    reg = RegistrationFactory(event=event)
    with pytest.raises(PermissionDenied):  # only the office checks people in
        services.set_attended(reg, reg.user, True)
    services.set_attended(reg, office, True)
    assert Registration.objects.get(pk=reg.pk).attended


# --- brokerage -----------------------------------------------------------------------------


@pytest.fixture
def brokerage():
    event = BrokerageEventFactory(meeting_slots=3, tables=2)
    people = UserFactory.create_batch(5)
    for user in people:
        RegistrationFactory(event=event, user=user)
    return event, people


def test_meeting_request_rules(brokerage):
    event, (a, b, c, *_rest) = brokerage
    outsider = UserFactory()
    meeting = services.request_meeting(event, a, b, "  Gemeinsamer Förderantrag?  ")
    assert (
        meeting.state == MeetingRequest.State.PENDING
        and meeting.message == "Gemeinsamer Förderantrag?"
    )
    for requester, recipient in [(a, b), (b, a), (a, a), (a, outsider)]:
        with pytest.raises(RuleError):
            services.request_meeting(event, requester, recipient)
    with pytest.raises(PermissionDenied):  # only participants ask for meetings
        services.request_meeting(event, outsider, a)
    workshop = EventFactory()
    RegistrationFactory(event=workshop, user=a)
    RegistrationFactory(event=workshop, user=b)
    with pytest.raises(RuleError):
        services.request_meeting(workshop, a, b)


def test_only_the_recipient_answers_and_only_once(brokerage):
    event, (a, b, c, *_rest) = brokerage
    meeting = services.request_meeting(event, a, b)
    for user in (a, c):
        with pytest.raises(PermissionDenied):
            services.answer_request(meeting, user, accept=True)
    assert services.answer_request(meeting, b, accept=True).state == MeetingRequest.State.ACCEPTED
    with pytest.raises(RuleError):
        services.answer_request(meeting, b, accept=True)
    declined = services.request_meeting(event, c, b)
    assert services.answer_request(declined, b, accept=False).state == MeetingRequest.State.DECLINED
    with pytest.raises(RuleError):
        services.answer_request(declined, b, accept=True)


def assert_conflict_free(event):
    meetings = list(event.meeting_requests.filter(slot__isnull=False))
    unavailable = dict(event.registrations.values_list("user_id", "unavailable_slots"))
    people, tables = set(), set()
    for m in meetings:
        assert m.state == MeetingRequest.State.ACCEPTED
        assert 0 <= m.slot < event.meeting_slots and 1 <= m.table <= event.tables
        assert (m.slot, m.table) not in tables
        tables.add((m.slot, m.table))
        for person in (m.requester_id, m.recipient_id):
            assert (person, m.slot) not in people
            assert m.slot not in unavailable.get(person, [])
            people.add((person, m.slot))
    assert AgendaEntry.objects.filter(event=event).count() == 2 * len(meetings)
    return meetings


def test_scheduler_places_accepted_meetings_without_conflicts(brokerage):
    event, people = brokerage
    # everybody wants to meet everybody: 10 pairs, 3 slots x 2 tables = 6 places at most
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            MeetingRequestFactory(event=event, requester=a, recipient=b, state="accepted")
    MeetingRequestFactory(event=event, requester=UserFactory(), recipient=people[0])  # pending
    Registration.objects.filter(event=event, user=people[4]).update(unavailable_slots=[0, 1])
    result = services.run_scheduler(event, manager_of(event))
    meetings = assert_conflict_free(event)
    assert result.scheduled == len(meetings) >= 5
    assert result.scheduled + result.unscheduled == 10
    rows, unscheduled = services.schedule_grid(event)
    assert len(rows) == 3 and len(unscheduled) == result.unscheduled
    # Re-running (after a change of plans) stays conflict-free
    services.set_unavailable(Registration.objects.get(event=event, user=people[0]), people[0], [2])
    assert_conflict_free(event)
    again = services.run_scheduler(event, manager_of(event))
    assert again.scheduled + again.unscheduled == 10
    assert_conflict_free(event)
    agenda = services.agenda(event, people[1])
    assert [m.slot for m in agenda] == sorted(m.slot for m in agenda)


def test_cancel_or_decline_frees_the_slot(brokerage):
    event, (a, b, c, *_rest) = brokerage
    m1 = MeetingRequestFactory(event=event, requester=a, recipient=b, state="accepted")
    m2 = MeetingRequestFactory(event=event, requester=a, recipient=c, state="accepted")
    services.run_scheduler(event, manager_of(event))
    services.answer_request(m1, b, accept=False)
    assert MeetingRequest.objects.get(pk=m1.pk).slot is None
    services.cancel(Registration.objects.get(event=event, user=c), c)
    assert MeetingRequest.objects.get(pk=m2.pk).slot is None
    assert not AgendaEntry.objects.filter(event=event).exists()
    assert services.run_scheduler(event, manager_of(event)).scheduled == 0


def test_smaller_grid_drops_meetings_that_no_longer_fit(brokerage, users):
    event, (a, b, c, d, e) = brokerage
    for x, y in [(a, b), (c, d), (a, e), (b, c)]:
        MeetingRequestFactory(event=event, requester=x, recipient=y, state="accepted")
    services.run_scheduler(event, manager_of(event))
    event.meeting_slots, event.tables = 1, 1
    services.save_event(event, users["platform_admin"])
    assert event.meeting_requests.filter(slot__isnull=False).count() <= 1
    assert_conflict_free(event)


def test_scheduler_needs_slots_and_tables():
    with pytest.raises(RuleError):
        services.run_scheduler(EventFactory(), UserFactory(is_superuser=True))
    with pytest.raises(RuleError):
        services.run_scheduler(BrokerageEventFactory(tables=0), UserFactory(is_superuser=True))


def test_database_rejects_double_booked_tables_and_people(brokerage):
    event, (a, b, c, d, _e) = brokerage
    first = MeetingRequestFactory(
        event=event, requester=a, recipient=b, state="accepted", slot=0, table=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequestFactory(
            event=event, requester=c, recipient=d, state="accepted", slot=0, table=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequestFactory(
            event=event, requester=c, recipient=d, state="pending", slot=1, table=1
        )
    m = MeetingRequestFactory(
        event=event, requester=a, recipient=c, state="accepted", slot=0, table=2
    )
    AgendaEntry.objects.create(event=event, user=a, slot=0, meeting=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaEntry.objects.create(event=event, user=a, slot=0, meeting=m)


def test_event_constraint_rejects_end_before_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(ends_at=timezone.now() - timedelta(days=30))
    assert not Event.objects.exists()


def test_cluster_manager_can_register_for_members_only_event(cluster):
    manager = ClusterRoleFactory(cluster=cluster).user
    event = EventFactory(cluster=cluster, is_public=False, capacity=1)
    assert services.register(manager, event).state == State.REGISTERED


def test_rerun_keeps_places_and_adds_late_acceptances(brokerage):
    event, (a, b, c, d, e) = brokerage
    first = [
        MeetingRequestFactory(event=event, requester=x, recipient=y, state="accepted")
        for x, y in [(a, b), (c, d), (a, c), (b, e)]
    ]
    office = manager_of(event)
    services.run_scheduler(event, office)
    places = dict(event.meeting_requests.values_list("pk", "slot"))
    tables = dict(event.meeting_requests.values_list("pk", "table"))
    late = MeetingRequestFactory(event=event, requester=d, recipient=e, state="accepted")
    result = services.run_scheduler(event, office)
    assert result.moved == 0 and result.scheduled == 5
    for m in first:
        m.refresh_from_db()
        assert (m.slot, m.table) == (places[m.pk], tables[m.pk])
    late.refresh_from_db()
    assert late.slot is not None
    assert_conflict_free(event)
    fresh = services.run_scheduler(event, office, keep_existing=False)
    assert fresh.scheduled == 5
    assert_conflict_free(event)


def test_slugs_do_not_clash_with_fixed_urls():
    assert EventFactory(title="Mine").slug == "mine-event"
    assert EventFactory(title="New").slug == "new-event"


def test_meeting_requests_and_answers_are_mailed(
    brokerage, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    event, (a, b, *_rest) = brokerage
    b.preferred_language = "en"
    b.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.request_meeting(event, a, b, "Sensorik-Pilot?")
    assert mailoutbox[-1].to == [b.email]
    assert mailoutbox[-1].subject.startswith(f"{a.full_name} would like to meet you")
    assert "Sensorik-Pilot?" in mailoutbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_request(meeting, b, accept=True)
    assert mailoutbox[-1].to == [a.email] and "hat Ihre Gesprächsanfrage" in mailoutbox[-1].subject


def test_cannot_cancel_after_the_event(users):
    now = timezone.now()
    event = EventFactory(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    reg = RegistrationFactory(event=event)
    with pytest.raises(RuleError):
        services.cancel(reg, reg.user)
