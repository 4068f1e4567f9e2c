"""Pages: list and detail per role, forms, registration buttons, office pages, brokerage flow."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event, MeetingRequest, Registration
from tests.factories import ClusterFactory, PersonFactory, UserFactory

from .factories import (
    BrokerageEventFactory,
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
    manager_of,
)

pytestmark = pytest.mark.django_db
State = Registration.State


def form_data(for_cluster, **overrides):
    start = timezone.localtime() + timedelta(days=10)
    data = {
        "cluster": for_cluster.pk,
        "title": "Runder Tisch Wasserstoff",
        "format": "roundtable",
        "mode": "onsite",
        "description": "Austausch zu Wasserstoff im Mittelstand.",
        "starts_at": start.strftime("%Y-%m-%dT09:00"),
        "ends_at": start.strftime("%Y-%m-%dT12:00"),
        "location": "Technologiezentrum",
        "online_url": "",
        "capacity": "20",
        "is_public": "on",
        "is_published": "on",
        "meeting_minutes": "20",
        "meeting_slots": "0",
        "tables": "0",
        "meetings_start": "",
    }
    data.update(overrides)
    return data


def test_event_list_shows_what_each_role_may_see(cluster, users, client_for):
    EventFactory(cluster=cluster, title="Öffentliche Werkstatt")
    EventFactory(cluster=cluster, title="Kaffeerunde Mitglieder", is_public=False)
    EventFactory(cluster=cluster, title="Entwurf Exkursion", is_published=False)
    expected = {
        "anonymous": {"Öffentliche Werkstatt"},
        "outsider": {"Öffentliche Werkstatt"},
        "member": {"Öffentliche Werkstatt", "Kaffeerunde Mitglieder"},
        "manager": {"Öffentliche Werkstatt", "Kaffeerunde Mitglieder", "Entwurf Exkursion"},
    }
    all_titles = {"Öffentliche Werkstatt", "Kaffeerunde Mitglieder", "Entwurf Exkursion"}
    for role, titles in expected.items():
        html = client_for(users[role]).get("/events/").content.decode()
        for title in all_titles:
            assert (title in html) == (title in titles), (role, title)
    assert "Neue Veranstaltung" in client_for(users["manager"]).get("/events/").content.decode()
    assert "Neue Veranstaltung" not in client_for(users["member"]).get("/events/").content.decode()


def test_event_list_filters_and_past_events(cluster, client):
    EventFactory(cluster=cluster, title="Webinar Fördermittel", format="webinar", mode="online",
                 online_url="https://meet.example.org/x", location="")  # fmt: skip
    EventFactory(cluster=cluster, title="Werkstatt KI")
    other = ClusterFactory(name="Cluster Gesundheit")
    EventFactory(cluster=other, title="Gesundheits-Café", format="member_cafe")
    now = timezone.now()
    EventFactory(cluster=cluster, title="Vergangene Exkursion", format="study_visit",
                 starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-4))  # fmt: skip
    html = client.get("/events/?format=webinar").content.decode()
    assert "Webinar Fördermittel" in html and "Werkstatt KI" not in html
    html = client.get("/events/?mode=onsite").content.decode()
    assert "Werkstatt KI" in html and "Webinar Fördermittel" not in html
    html = client.get(f"/events/?cluster={other.slug}").content.decode()
    assert "Gesundheits-Café" in html and "Werkstatt KI" not in html
    html = client.get("/events/").content.decode()
    assert "Vergangene Exkursion" not in html
    html = client.get("/events/?when=past").content.decode()
    assert "Vergangene Exkursion" in html and "Werkstatt KI" not in html


def test_event_list_query_count_is_constant(
    client_for, users, cluster, django_assert_max_num_queries
):
    client = client_for(users["member"])
    for _ in range(3):
        event = EventFactory(cluster=cluster, capacity=5)
        RegistrationFactory(event=event, user=users["member"])

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/events/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(12):
        event = EventFactory(cluster=ClusterFactory(), capacity=3)
        RegistrationFactory.create_batch(2, event=event)
    assert count() == few
    with django_assert_max_num_queries(12):
        client.get("/events/?format=workshop&mode=onsite")


def test_detail_in_german_and_english_with_online_link_for_participants(client_for, users, cluster):
    start = timezone.make_aware(timezone.datetime(2031, 3, 4, 14, 30))
    event = EventFactory(cluster=cluster, title="Webinar Wasserstoff", mode="online", location="",
                         online_url="https://meet.example.org/h2", starts_at=start,
                         ends_at=start + timedelta(hours=2), capacity=10)  # fmt: skip
    client = client_for(users["member"])
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "Dienstag" in html and "4. März 2031" in html and "14:30" in html
    assert "10 von 10 Plätzen frei" in html and "Zur Veranstaltung anmelden" in html
    assert "https://meet.example.org/h2" not in html
    RegistrationFactory(event=event, user=users["member"])
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert 'lang="en"' in html and "Tuesday" in html and "4 Mar 2031" in html
    assert "9 of 10 places free" in html and "You are registered." in html
    assert "https://meet.example.org/h2" in html
    html = client_for(users["outsider"]).get(f"/en/events/{event.slug}/").content.decode()
    assert "https://meet.example.org/h2" not in html


def test_members_only_detail_hidden_from_outsiders(client_for, users, cluster):
    event = EventFactory(cluster=cluster, is_public=False)
    assert client_for(users["outsider"]).get(f"/events/{event.slug}/").status_code == 404
    response = client_for(None).get(f"/events/{event.slug}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(users["member"]).get(f"/events/{event.slug}/").status_code == 200
    draft = EventFactory(cluster=cluster, is_published=False)
    assert client_for(users["member"]).get(f"/events/{draft.slug}/").status_code == 404
    assert client_for(users["manager"]).get(f"/events/{draft.slug}/").status_code == 200


def test_register_waiting_list_and_cancel_via_pages(client_for, cluster):
    event = EventFactory(cluster=cluster, capacity=1)
    first, second = UserFactory(), UserFactory()
    client = client_for(first)
    response = client.post(f"/events/{event.slug}/register/", follow=True)
    assert "Sie sind angemeldet" in response.content.decode()
    client = client_for(second)
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "Auf die Warteliste" in html
    html = client.post(f"/events/{event.slug}/register/", follow=True).content.decode()
    assert "Warteliste (Platz 1)" in html
    client = client_for(first)
    client.post(f"/events/{event.slug}/cancel/")
    assert Registration.objects.get(event=event, user=second).state == State.REGISTERED
    response = client_for(None).post(f"/events/{event.slug}/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "role, status", [("manager", 200), ("platform_admin", 200), ("member", 403), ("outsider", 403)]
)
def test_create_page_permission(client_for, users, role, status):
    assert client_for(users[role]).get("/events/new/").status_code == status


def test_office_pages_only_for_the_clusters_managers(client_for, users, cluster):
    event = BrokerageEventFactory(cluster=cluster)
    reg = RegistrationFactory(event=event, user=users["member"])
    other_manager = UserFactory()
    from tests.factories import ClusterRoleFactory

    ClusterRoleFactory(user=other_manager)  # manager of another cluster
    urls = [
        f"/events/{event.slug}/edit/",
        f"/events/{event.slug}/participants/",
        f"/events/{event.slug}/participants.csv",
        f"/events/{event.slug}/schedule/",
        f"/events/{event.slug}/participants/{reg.pk}/availability/",
    ]
    for url in urls:
        assert client_for(users["manager"]).get(url).status_code == 200, url
        for user in (users["member"], users["org_admin"], other_manager):
            assert client_for(user).get(url).status_code == 403, url
    for url in [
        f"/events/{event.slug}/schedule/run/",
        f"/events/{event.slug}/participants/{reg.pk}/attendance/",
    ]:
        assert client_for(users["member"]).post(url).status_code == 403


def test_manager_creates_event_and_bad_input_is_explained(client_for, users, cluster):
    client = client_for(users["manager"])
    response = client.post("/events/new/", form_data(cluster))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.created_by == users["manager"] and event.capacity == 20
    bad = [
        (
            {"ends_at": form_data(cluster)["starts_at"]},
            "Die Veranstaltung muss nach ihrem Beginn enden.",
        ),
        ({"capacity": "-1"}, "capacity"),
        ({"mode": "online", "online_url": ""}, "Online-Veranstaltungen brauchen einen Link."),
        ({"location": ""}, "Veranstaltungen vor Ort brauchen einen Veranstaltungsort."),
        ({"format": "brokerage"}, "Kooperationsbörsen brauchen den Beginn des ersten Gesprächs."),
        (
            {
                "format": "brokerage",
                "meetings_start": form_data(cluster)["starts_at"][:11] + "11:30",
                "meeting_slots": "6",
                "tables": "5",
            },
            "Alle Gesprächsrunden müssen innerhalb",
        ),  # fmt: skip
        ({"cluster": ClusterFactory().pk}, "Ungültige Auswahl"),
    ]
    for overrides, message in bad:
        response = client.post("/events/new/", form_data(cluster, **overrides))
        assert response.status_code == 200, overrides
        html = response.content.decode()
        assert 'class="field field-invalid"' in html, overrides
        if message != "capacity":
            assert message in html, overrides
    assert Event.objects.count() == 1
    response = client.post(
        f"/events/{event.slug}/edit/",
        form_data(
            cluster,
            format="brokerage",
            title="Kooperationsbörse",
            meetings_start=form_data(cluster)["starts_at"][:11] + "09:30",
            meeting_slots="6",
            tables="5",
        ),  # fmt: skip
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_brokerage and len(event.slot_times()) == 6


def test_participants_page_checkin_and_csv(
    client_for, users, cluster, django_assert_max_num_queries
):
    event = EventFactory(cluster=cluster, capacity=3, title="Werkstatt, „Förderung“")
    regs = [RegistrationFactory(event=event) for _ in range(3)]
    PersonFactory(user=regs[0].user, organisation__name="Müller & Söhne GmbH")
    RegistrationFactory(event=event, state=State.WAITLISTED)
    client = client_for(users["manager"])
    with django_assert_max_num_queries(10):
        html = client.get(f"/events/{event.slug}/participants/").content.decode()
    assert "Müller &amp; Söhne GmbH" in html and "Warteliste" in html
    RegistrationFactory.create_batch(5, event=event)
    with django_assert_max_num_queries(10):
        client.get(f"/events/{event.slug}/participants/")
    response = client.post(
        f"/events/{event.slug}/participants/{regs[1].pk}/attendance/",
        {"attended": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'aria-pressed="true"' in body
    assert "<html" not in body and 'id="attended-count" hx-swap-oob="true">1<' in body
    assert Registration.objects.get(pk=regs[1].pk).attended
    client.post(f"/events/{event.slug}/participants/{regs[1].pk}/attendance/", {"attended": "0"})
    assert not Registration.objects.get(pk=regs[1].pk).attended
    client.post(f"/events/{event.slug}/participants/{regs[2].pk}/attendance/", {"attended": "1"})
    response = client.get(f"/events/{event.slug}/participants.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "E-Mail", "Organisation", "Status", "Teilgenommen", "Angemeldet am"]
    assert len(rows) == 1 + 9
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email[regs[0].user.email][2] == "Müller & Söhne GmbH"
    assert by_email[regs[2].user.email][4] == "ja"
    assert "Auf der Warteliste" in {row[3] for row in rows[1:]}


# --- brokerage pages ----------------------------------------------------------------------------


@pytest.fixture
def fair(cluster, users):
    event = BrokerageEventFactory(cluster=cluster, meeting_slots=4, tables=2)
    people = [users["member"], users["org_admin"]] + UserFactory.create_batch(3)
    for i, user in enumerate(people):
        RegistrationFactory(event=event, user=user, profile=f"Profil {i}: Sensorik und Leichtbau")
    return event, people


def test_brokerage_request_accept_and_agenda_via_pages(client_for, fair):
    event, (member, org_admin, *others) = fair
    client = client_for(member)
    html = client.get(f"/events/{event.slug}/brokerage/").content.decode()
    assert "Profil 1: Sensorik und Leichtbau" in html and org_admin.full_name in html
    client.post(
        f"/events/{event.slug}/brokerage/request/{org_admin.pk}/", {"message": "Pilotprojekt?"}
    )
    meeting = MeetingRequest.objects.get()
    assert meeting.requester == member and meeting.message == "Pilotprojekt?"
    html = client.post(
        f"/events/{event.slug}/brokerage/request/{org_admin.pk}/",
        {"message": "nochmal"},
        follow=True,
    ).content.decode()
    assert "Es gibt bereits eine Gesprächsanfrage" in html
    # the requester cannot accept their own request
    client.post(f"/events/{event.slug}/meetings/{meeting.pk}/answer/", {"answer": "accept"})
    assert MeetingRequest.objects.get().state == "pending"
    client = client_for(org_admin)
    html = client.get(f"/events/{event.slug}/brokerage/").content.decode()
    assert "Pilotprojekt?" in html
    client.post(f"/events/{event.slug}/meetings/{meeting.pk}/answer/", {"answer": "accept"})
    assert MeetingRequest.objects.get().state == "accepted"
    services.run_scheduler(event, manager_of(event))
    html = client.get(f"/en/events/{event.slug}/brokerage/").content.decode()
    assert "My agenda" in html and member.full_name in html
    response = client.get(f"/events/{event.slug}/agenda.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 2 and "SUMMARY:Gespräch mit" in body


def test_brokerage_page_requires_registration(client_for, users, fair):
    event, _people = fair
    response = client_for(users["outsider"]).get(f"/events/{event.slug}/brokerage/")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    response = client_for(users["manager"]).get(f"/events/{event.slug}/brokerage/")
    assert response["Location"].endswith("/schedule/")
    assert client_for(users["outsider"]).get(f"/events/{event.slug}/agenda.ics").status_code == 403
    workshop = EventFactory(cluster=event.cluster)
    assert client_for(users["member"]).get(f"/events/{workshop.slug}/brokerage/").status_code == 404


def test_participant_marks_own_availability(client_for, fair):
    event, (member, *_rest) = fair
    client = client_for(member)
    html = client.get(f"/events/{event.slug}/brokerage/availability/").content.decode()
    assert "<legend>" in html
    response = client.post(
        f"/events/{event.slug}/brokerage/availability/", {"unavailable": ["0", "9"]}
    )
    assert (
        response.status_code == 200
        and "keine der verfügbaren Optionen" in response.content.decode()
    )
    client.post(f"/events/{event.slug}/brokerage/availability/", {"unavailable": ["0", "3"]})
    assert Registration.objects.get(event=event, user=member).unavailable_slots == [0, 3]


def test_schedule_grid_query_count_and_run(client_for, users, fair, django_assert_max_num_queries):
    event, people = fair
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            MeetingRequestFactory(event=event, requester=a, recipient=b, state="accepted")
    Registration.objects.filter(event=event, user=people[0]).update(unavailable_slots=[1])
    client = client_for(users["manager"])
    html = client.post(f"/events/{event.slug}/schedule/run/", follow=True).content.decode()
    assert "Terminplan berechnet. Eingeplante Gespräche:" in html
    html = client.post(
        f"/events/{event.slug}/schedule/run/", {"fresh": "1"}, follow=True
    ).content.decode()
    assert "Terminplan berechnet" in html
    placed = event.meeting_requests.filter(slot__isnull=False).count()
    assert placed >= 6
    with django_assert_max_num_queries(14):
        html = client.get(f"/events/{event.slug}/schedule/").content.decode()
    assert "Tisch 2" in html and people[2].full_name in html
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/events/{event.slug}/schedule.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][:3] == ["Beginn", "Ende", "Tisch"] and len(rows) == 1 + placed
    more = UserFactory.create_batch(6)
    for user in more:
        RegistrationFactory(event=event, user=user, unavailable_slots=[0])
    for a, b in zip(more[::2], more[1::2], strict=True):
        MeetingRequestFactory(event=event, requester=a, recipient=b, state="accepted")
    services.run_scheduler(event, manager_of(event))
    with django_assert_max_num_queries(14):
        assert client.get(f"/events/{event.slug}/schedule/").status_code == 200
    assert client_for(people[0]).get(f"/events/{event.slug}/schedule.csv").status_code == 403


def test_brokerage_page_query_count_is_constant(client_for, fair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event, (member, org_admin, *others) = fair
    client = client_for(member)
    MeetingRequestFactory(event=event, requester=member, recipient=org_admin, state="accepted")
    services.run_scheduler(event, manager_of(event))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/events/{event.slug}/brokerage/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for user in UserFactory.create_batch(8):
        RegistrationFactory(event=event, user=user, profile="Leichtbau")
        PersonFactory(user=user)
        MeetingRequestFactory(event=event, requester=user, recipient=member, state="accepted")
    services.run_scheduler(event, manager_of(event))
    assert count() == few
