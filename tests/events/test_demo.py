from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from events.demo import BROKERAGE_SLUG
from events.models import Event, MeetingRequest, Registration
from services.models import Survey
from tests.factories import ClusterFactory, ClusterRoleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_events_and_a_scheduled_brokerage_event(client_for):
    first = ClusterFactory()
    ClusterFactory()
    for _ in range(3):
        MembershipFactory(cluster=first)
    manager = UserFactory(email="manager@openregion.example")
    ClusterRoleFactory(user=manager, cluster=first)
    member = UserFactory(email="member@openregion.example")
    UserFactory(email="orgadmin@openregion.example")
    # the services demo (run before) leaves a closed event rating that only names its event
    now = timezone.now()
    rating = Survey.objects.create(
        cluster=first,
        title="Bewertung: Online-Mitglieder-Café",
        kind=Survey.Kind.EVENT,
        event_title="Online-Mitglieder-Café, Thema Lieferketten",
        state=Survey.State.CLOSED,
        opened_at=now - timedelta(days=90),
        closed_at=now - timedelta(days=60),
    )
    apps.get_app_config("events").seed_demo(stdout=None, scale=False)

    _assert_on_working_days(Event.objects.all())
    assert set(first.events.values_list("format", flat=True)) == set(Event.Format.values)
    assert Event.objects.filter(registrations__attended=True).exists()
    assert Event.objects.filter(registrations__state=Registration.State.WAITLISTED).exists()
    fair = Event.objects.get(slug=BROKERAGE_SLUG)
    assert fair.registrations.filter(state="registered").count() >= 60
    accepted = fair.meeting_requests.filter(state=MeetingRequest.State.ACCEPTED)
    assert accepted.count() > 100 and accepted.filter(slot__isnull=False).count() > 100
    assert fair.meeting_requests.filter(state="pending", recipient=member).exists()
    seats = list(fair.agenda_entries.values_list("user_id", "slot"))
    assert len(seats) == len(set(seats))
    # the first cluster's manager sees the module populated
    office = client_for(manager)
    assert office.get(f"/events/{fair.slug}/schedule/").status_code == 200
    assert office.get("/events/").content.decode().count("events-card") >= 5
    assert client_for(member).get(f"/events/{fair.slug}/brokerage/").status_code == 200
    # ...and is now linked to a fitting past event of the first cluster
    rating.refresh_from_db()
    assert rating.event is not None and rating.event.cluster == first
    assert rating.event.format == Event.Format.MEMBER_CAFE
    assert rating.event.ends_at <= rating.opened_at
    assert rating.event.registrations.filter(attended=True).exists()
    # one event of the first cluster has been called off and stays in the list with its reason
    cancelled = first.events.get(cancelled_at__isnull=False)
    assert cancelled.cancellation_reason
    assert "events-cancelled" in client_for(manager).get("/events/").content.decode()
    apps.get_app_config("events").seed_demo(stdout=None, scale=False)  # idempotent
    assert Event.objects.filter(slug=BROKERAGE_SLUG).count() == 1
    rating.refresh_from_db()
    assert rating.event.title.startswith("Mitglieder-Café online: Lieferketten")


def _assert_on_working_days(events):
    from events.demo import is_working_day

    for event in events:
        day = timezone.localtime(event.starts_at).date()
        assert day.weekday() < 5, (event.title, day)
        assert (day.month, day.day) not in {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}
        assert is_working_day(day), (event.title, day)


def test_easter_and_german_holidays():
    from datetime import date

    from events.demo import _easter, days_off, is_working_day

    assert _easter(2025) == date(2025, 4, 20)
    assert _easter(2026) == date(2026, 4, 5)
    assert _easter(2027) == date(2027, 3, 28)
    assert {date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= (
        days_off(2026)
    )
    assert not is_working_day(date(2026, 10, 3)) and is_working_day(date(2026, 12, 28))


@pytest.mark.parametrize("today", ["2026-12-18", "2026-12-22", "2026-12-30", "2027-03-24"])
def test_demo_events_fall_on_working_days_even_around_the_holidays(monkeypatch, today):
    """The demo programme is laid out around "now": seeded just before Christmas (or Easter),
    no event may land on 24–26 or 31 December, 1 January, a public holiday or a weekend."""
    import datetime

    frozen = timezone.make_aware(datetime.datetime.fromisoformat(today + "T10:00"))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    first = ClusterFactory()
    ClusterFactory()
    for _ in range(3):
        MembershipFactory(cluster=first)
    ClusterRoleFactory(user=UserFactory(email="manager@openregion.example"), cluster=first)
    UserFactory(email="member@openregion.example")
    UserFactory(email="orgadmin@openregion.example")
    apps.get_app_config("events").seed_demo(stdout=None, scale=False)
    events = list(Event.objects.all())
    assert len(events) > 10
    _assert_on_working_days(events)
