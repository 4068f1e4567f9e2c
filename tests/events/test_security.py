"""Issue 8 for events: bounded sizes (form, API, service, database), formula-safe CSV exports,
rate-limited and idempotent meeting requests and registrations, 404 for bad ids, and the rules
(events/rules.py) that views, API and services share."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from actors.models import ClusterRole
from core.policy import allowed
from events import services
from events.models import MAX_MEETING_SLOTS, MAX_TABLES, Event, MeetingRequest, Registration
from events.services import RuleError
from tests.factories import PersonFactory, UserFactory

from .factories import (
    BrokerageEventFactory,
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
)
from .test_views import form_data

pytestmark = pytest.mark.django_db
State = Registration.State
HUGE = 32_767


# --- 1. sizes are bounded -------------------------------------------------------------------------


def brokerage_form(cluster, **overrides):
    data = form_data(
        cluster,
        format="brokerage",
        title="Kooperationsbörse",
        meetings_start=form_data(cluster)["starts_at"][:11] + "09:30",
        meeting_slots="6",
        tables="5",
    )
    data.update(overrides)
    return data


def test_form_refuses_32767_slots_and_tables_with_clear_messages(client_for, users, cluster):
    client = client_for(users["manager"])
    response = client.post(
        "/events/new/", brokerage_form(cluster, meeting_slots=str(HUGE), tables=str(HUGE))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Eine Kooperationsbörse hat höchstens 48 Gesprächsrunden." in html
    assert "Eine Kooperationsbörse hat höchstens 200 Tische." in html
    response = client.post(
        "/en/events/new/",
        brokerage_form(cluster, capacity="100000", meeting_minutes="600"),
    )
    html = response.content.decode()
    assert "An event can have at most 5000 places." in html
    assert "Meetings last at most 240 minutes." in html
    assert not Event.objects.exists()
    # the largest allowed sizes are accepted (the benchmark uses 24 slots x 150 tables)
    start = timezone.localtime() + timedelta(days=10)
    response = client.post(
        "/events/new/",
        brokerage_form(
            cluster,
            starts_at=start.strftime("%Y-%m-%dT06:00"),
            ends_at=start.strftime("%Y-%m-%dT23:00"),
            meetings_start=start.strftime("%Y-%m-%dT06:30"),
            meeting_minutes="20",
            meeting_slots=str(MAX_MEETING_SLOTS),
            tables=str(MAX_TABLES),
            capacity="5000",
        ),
    )
    assert response.status_code == 302
    assert Event.objects.get().tables == MAX_TABLES


def api_event(cluster, **overrides):
    start = timezone.now() + timedelta(days=10)
    data = {
        "cluster": cluster.slug,
        "title": "Kooperationsbörse API",
        "format": "brokerage",
        "mode": "onsite",
        "location": "Stadthalle",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=5)).isoformat(),
        "meetings_start": (start + timedelta(minutes=30)).isoformat(),
        "meeting_minutes": 20,
        "meeting_slots": 6,
        "tables": 5,
        "capacity": 50,
        "is_public": True,
    }
    data.update(overrides)
    return data


def test_api_refuses_32767_slots_and_tables_with_clear_messages(client_for, users, cluster):
    client = client_for(users["manager"])
    response = client.post(
        "/api/events/",
        api_event(cluster, meeting_slots=HUGE, tables=HUGE),
        content_type="application/json",
    )
    assert response.status_code == 422
    problems = {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}
    assert problems["meeting_slots"] == "Input should be less than or equal to 48"
    assert problems["tables"] == "Input should be less than or equal to 200"
    assert not Event.objects.exists()
    # the OpenAPI schema publishes the bounds
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["EventIn"]
    assert schema["properties"]["meeting_slots"]["maximum"] == MAX_MEETING_SLOTS
    assert schema["properties"]["tables"]["maximum"] == MAX_TABLES
    # a valid event is created; changing it is bounded the same way
    response = client.post("/api/events/", api_event(cluster), content_type="application/json")
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    assert Event.objects.get(slug=slug).tables == 5
    response = client.put(
        f"/api/events/{slug}", api_event(cluster, tables=HUGE), content_type="application/json"
    )
    assert response.status_code == 422
    # rules of the form hold too (messages of the web form)
    response = client.put(
        f"/api/events/{slug}",
        api_event(cluster, meeting_minutes=2),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["meeting_minutes"] == [
        "Gespräche dauern mindestens 5 Minuten."
    ]
    assert Event.objects.get(slug=slug).meeting_minutes == 20
    # dates at the end of the calendar would overflow the slot arithmetic: refused, no error 500
    end_of_time = {
        "starts_at": "9999-12-31T20:00:00+00:00",
        "ends_at": "9999-12-31T23:00:00+00:00",
        "meetings_start": "9999-12-31T23:50:00+00:00",
    }
    response = client.post(
        "/api/events/", api_event(cluster, **end_of_time), content_type="application/json"
    )
    assert response.status_code == 422
    assert "zwischen 2000 und 2100" in response.json()["errors"]["starts_at"][0]


def test_api_event_writes_follow_the_rules(client_for, users, cluster):
    body = api_event(cluster)
    assert (
        client_for(None).post("/api/events/", body, content_type="application/json").status_code
        == 401
    )
    for role in ("member", "outsider"):
        response = client_for(users[role]).post(
            "/api/events/", body, content_type="application/json"
        )
        assert response.status_code == 403
    # a manager of another cluster cannot put an event into this one
    other = ClusterRole.objects.create(
        user=UserFactory(), cluster=EventFactory().cluster, role=ClusterRole.Role.MANAGER
    ).user
    response = client_for(other).post("/api/events/", body, content_type="application/json")
    assert response.status_code == 403
    unknown = {**body, "cluster": "no-such-cluster"}
    response = client_for(other).post("/api/events/", unknown, content_type="application/json")
    assert response.status_code == 422 and "cluster" in response.json()["errors"]
    event = EventFactory(cluster=cluster)
    response = client_for(other).put(
        f"/api/events/{event.slug}", body, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Event.objects.filter(title=body["title"]).exists()


def test_service_and_database_refuse_oversized_events(users, cluster):
    event = BrokerageEventFactory(cluster=cluster)
    event.meeting_slots = event.tables = HUGE
    with pytest.raises(RuleError, match="höchstens 48 Gesprächsrunden"):
        services.save_event(event, users["manager"])
    assert Event.objects.get(pk=event.pk).tables == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(tables=HUGE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(capacity=10**6)


def test_schedule_page_grows_with_meetings_not_with_tables(client_for, users, cluster):
    """A grid of slots x tables was rendered cell by cell (32,767 x 32,767 ate 8.7 GB)."""
    sizes = {}
    for tables in (2, MAX_TABLES):
        event = BrokerageEventFactory(
            cluster=cluster, meeting_slots=MAX_MEETING_SLOTS, tables=tables, meeting_minutes=5
        )
        a, b = UserFactory(full_name="Ada Alpha"), UserFactory(full_name="Bert Beta")
        for user in (a, b):
            RegistrationFactory(event=event, user=user)
        MeetingRequestFactory(event=event, requester=a, recipient=b, state="accepted")
        services.run_scheduler(event, users["manager"])
        html = client_for(users["manager"]).get(f"/events/{event.slug}/schedule/").content
        assert "Ada Alpha – Bert Beta".encode() in html
        sizes[tables] = len(html.replace(event.slug.encode(), b""))
    assert abs(sizes[MAX_TABLES] - sizes[2]) < 100


def test_waiting_list_and_open_events_are_bounded(monkeypatch):
    monkeypatch.setattr(services, "MAX_WAITING_LIST", 2)
    event = EventFactory(capacity=1)
    people = UserFactory.create_batch(4)
    assert [services.register(u, event).state for u in people[:3]] == [
        State.REGISTERED,
        State.WAITLISTED,
        State.WAITLISTED,
    ]
    with pytest.raises(RuleError, match="Warteliste"):
        services.register(people[3], event)
    monkeypatch.setattr(services, "MAX_CAPACITY", 2)
    open_event = EventFactory(capacity=None)
    services.register(people[0], open_event)
    services.register(people[1], open_event)
    with pytest.raises(RuleError, match="Höchstzahl von 2 Teilnehmenden"):
        services.register(people[2], open_event)
    assert open_event.registrations.count() == 2


def test_meeting_requests_per_participant_are_bounded(monkeypatch):
    monkeypatch.setattr(services, "MAX_REQUESTS_PER_PARTICIPANT", 2)
    event = BrokerageEventFactory()
    me, *others = UserFactory.create_batch(4)
    for user in [me, *others]:
        RegistrationFactory(event=event, user=user)
    services.request_meeting(event, me, others[0])
    services.request_meeting(event, me, others[1])
    with pytest.raises(RuleError, match="höchstens 2 Gesprächsanfragen"):
        services.request_meeting(event, me, others[2])
    assert MeetingRequest.objects.filter(requester=me).count() == 2


def test_api_page_and_user_id_out_of_range_are_422_not_500(client_for, users, cluster):
    event = BrokerageEventFactory(cluster=cluster)
    client = client_for(users["manager"])
    assert client.get("/api/events/?page=99999999999999999999").status_code == 422
    response = client.get(f"/api/events/{event.slug}/agenda?user_id=99999999999999999999")
    assert response.status_code == 422


# --- 2. exports neutralise formulas ------------------------------------------------------------------


def test_participant_and_schedule_csv_neutralise_formulas(client_for, users, cluster):
    event = BrokerageEventFactory(cluster=cluster, title="Börse")
    evil = UserFactory(full_name='=HYPERLINK("http://x")')
    PersonFactory(user=evil, organisation__name="+cmd|' /C calc'!A0")
    other = UserFactory(full_name="@SUM(1+1)")
    for user in (evil, other):
        RegistrationFactory(event=event, user=user)
    MeetingRequestFactory(event=event, requester=evil, recipient=other, state="accepted")
    services.run_scheduler(event, users["manager"])
    client = client_for(users["manager"])

    def rows(url):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    participants = {row[1]: row for row in rows(f"/events/{event.slug}/participants.csv")[1:]}
    assert participants[evil.email][:3] == [
        '\'=HYPERLINK("http://x")',
        evil.email,
        "'+cmd|' /C calc'!A0",
    ]
    assert participants[other.email][0] == "'@SUM(1+1)"
    schedule = rows(f"/events/{event.slug}/schedule.csv")
    assert schedule[1][3:7] == [
        '\'=HYPERLINK("http://x")',
        "'+cmd|' /C calc'!A0",
        "'@SUM(1+1)",
        "",
    ]
    for row in rows(f"/events/{event.slug}/participants.csv") + schedule:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), cell


# --- 3. rate limit and double submits -----------------------------------------------------------


def test_meeting_requests_are_rate_limited(client_for, rate_limits):
    rate_limits.OPENREGION_RATE_LIMITS = {"meeting_request": (2, 3600)}
    event = BrokerageEventFactory()
    me, *others = UserFactory.create_batch(4)
    for user in [me, *others]:
        RegistrationFactory(event=event, user=user)
    client = client_for(me)
    for other in others[:2]:
        response = client.post(f"/events/{event.slug}/brokerage/request/{other.pk}/", {})
        assert response.status_code == 302
    response = client.post(f"/events/{event.slug}/brokerage/request/{others[2].pk}/", {})
    assert response.status_code == 429 and response.has_header("Retry-After")
    assert MeetingRequest.objects.filter(requester=me).count() == 2


def test_double_submitted_meeting_request_and_registration_create_one(client_for):
    event = BrokerageEventFactory()
    me, other = UserFactory.create_batch(2)
    for user in (me, other):
        RegistrationFactory(event=event, user=user)
    first = services.request_meeting(event, me, other, "Pilot?")
    assert services.request_meeting(event, me, other, " Pilot? ").pk == first.pk
    client = client_for(me)
    url = f"/events/{event.slug}/brokerage/request/{other.pk}/"
    html = client.post(url, {"message": "Pilot?"}, follow=True).content.decode()
    assert "Ihre Anfrage wurde an" in html and "bereits" not in html
    assert MeetingRequest.objects.count() == 1

    workshop = EventFactory(capacity=1)
    newcomer = UserFactory()
    registration = services.register(newcomer, workshop)
    assert services.register(newcomer, workshop).pk == registration.pk
    client = client_for(newcomer)
    html = client.post(f"/events/{workshop.slug}/register/", follow=True).content.decode()
    assert "bereits angemeldet" not in html
    assert workshop.registrations.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_double_submits_create_one_request_and_one_registration():
    from tests.concurrency import run_at_once

    event = BrokerageEventFactory(capacity=10)
    me, other = UserFactory.create_batch(2)
    for user in (me, other):
        RegistrationFactory(event=event, user=user)
    results = []
    run_at_once(
        [
            lambda: results.append(services.request_meeting(event, me, other, "Hallo"))
            for _ in range(4)
        ]
    )
    assert MeetingRequest.objects.count() == 1 and len({m.pk for m in results}) == 1
    newcomer = UserFactory()
    registrations = []
    run_at_once(
        [lambda: registrations.append(services.register(newcomer, event)) for _ in range(4)]
    )
    assert event.registrations.filter(user=newcomer).count() == 1
    assert len({r.pk for r in registrations}) == 1


# --- 4. bad ids ---------------------------------------------------------------------------------------


def test_bad_ids_in_urls_and_forms_give_404_or_a_message_never_500(client_for, users, cluster):
    event = BrokerageEventFactory(cluster=cluster)
    member = users["member"]
    RegistrationFactory(event=event, user=member)
    office = client_for(users["manager"])
    huge = "9" * 25
    for url in (
        f"/events/{event.slug}/participants/{huge}/attendance/",
        f"/events/{event.slug}/participants/abc/attendance/",
        f"/events/{event.slug}/meetings/{huge}/answer/",
        f"/events/{event.slug}/brokerage/request/{huge}/",
        f"/events/{event.slug}/brokerage/request/x1/",
    ):
        assert office.post(url).status_code == 404, url
    assert office.get(f"/events/{event.slug}/participants/{huge}/availability/").status_code == 404
    client = client_for(member)
    response = client.post(
        f"/events/{event.slug}/brokerage/availability/", {"unavailable": ["abc", huge]}
    )
    assert (
        response.status_code == 200
        and "keine der verfügbaren Optionen" in response.content.decode()
    )
    for url in (
        "/events/?page=abc",
        f"/events/?page={huge}",
        f"/events/{event.slug}/brokerage/?page=x",
    ):
        assert client.get(url).status_code == 200, url


# --- 5. the rules ------------------------------------------------------------------------------------


def test_a_cancelled_event_refuses_through_the_rules_even_for_platform_admins(users, cluster):
    event = BrokerageEventFactory(cluster=cluster)
    RegistrationFactory(event=event, user=users["platform_admin"])
    for perm in ("events.register", "events.request_meeting", "events.schedule"):
        assert allowed(users["platform_admin"], perm, event), perm
    services.cancel_event(event, users["manager"], "Abgesagt wegen Sturm.")
    event.refresh_from_db()
    for perm in (
        "events.register",
        "events.request_meeting",
        "events.schedule",
        "events.cancel_event",
    ):
        for role in ("platform_admin", "manager", "member"):
            assert not allowed(users[role], perm, event), (perm, role)
    with pytest.raises(RuleError, match="abgesagt"):
        services.run_scheduler(event, users["platform_admin"])


def test_rights_come_from_the_current_role(client_for, users, cluster):
    event = BrokerageEventFactory(cluster=cluster)
    manager = users["manager"]
    registration = RegistrationFactory(event=event)
    assert allowed(manager, "events.manage_event", event)
    ClusterRole.objects.filter(user=manager, cluster=cluster).delete()  # role revoked
    assert not allowed(manager, "events.manage_event", event)
    client = client_for(manager)
    for url in (
        f"/events/{event.slug}/edit/",
        f"/events/{event.slug}/participants/",
        f"/events/{event.slug}/participants.csv",
        f"/events/{event.slug}/schedule/",
    ):
        assert client.get(url).status_code in (403, 404), url
    with pytest.raises(PermissionDenied):
        services.set_attended(registration, manager, True)
    with pytest.raises(PermissionDenied):
        services.run_scheduler(event, manager)
    event.tables = 1
    with pytest.raises(PermissionDenied):
        services.save_event(event, manager)


def test_every_write_checks_the_acting_user(users, cluster):
    event = BrokerageEventFactory(cluster=cluster)
    mine = RegistrationFactory(event=event, user=users["member"])
    theirs = RegistrationFactory(event=event, user=users["org_admin"])
    meeting = services.request_meeting(event, users["member"], users["org_admin"])
    member = users["member"]
    with pytest.raises(PermissionDenied):
        services.cancel(theirs, member)
    with pytest.raises(PermissionDenied):
        services.save_profile(theirs, member, "fremdes Profil")
    with pytest.raises(PermissionDenied):
        services.set_unavailable(theirs, member, [0])
    with pytest.raises(PermissionDenied):
        services.set_attended(mine, member, True)
    with pytest.raises(PermissionDenied):
        services.answer_request(meeting, member, accept=True)
    with pytest.raises(PermissionDenied):
        services.run_scheduler(event, member)
    with pytest.raises(PermissionDenied):
        services.cancel_event(event, member, "Nein")
    # the office may set a participant's availability; the participant their own
    services.set_unavailable(theirs, users["manager"], [1])
    services.set_unavailable(mine, member, [0])
    assert Registration.objects.get(pk=theirs.pk).unavailable_slots == [1]
    assert Registration.objects.get(pk=mine.pk).unavailable_slots == [0]


def test_unconfirmed_users_cannot_register_or_request_meetings(cluster):
    event = BrokerageEventFactory(cluster=cluster)
    unconfirmed = UserFactory(email_confirmed=False)
    other = RegistrationFactory(event=event).user
    with pytest.raises(PermissionDenied):
        services.register(unconfirmed, event)
    with pytest.raises(PermissionDenied):
        services.register(AnonymousUser(), event)
    assert not allowed(unconfirmed, "events.register", event)
    Registration.objects.create(event=event, user=unconfirmed, state=State.REGISTERED)
    with pytest.raises(PermissionDenied):
        services.request_meeting(event, unconfirmed, other)
