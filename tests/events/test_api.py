import pytest

from events import services

from .factories import (
    BrokerageEventFactory,
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def test_event_list_and_detail(client_for, users, cluster, django_assert_max_num_queries):
    public = EventFactory(cluster=cluster, title="Offene Werkstatt", capacity=3)
    RegistrationFactory(event=public)
    members = EventFactory(cluster=cluster, title="Mitglieder-Café", is_public=False)
    for _ in range(5):
        EventFactory(cluster=cluster)
    anonymous = client_for(None)
    with django_assert_max_num_queries(4):
        data = anonymous.get("/api/events/").json()
    assert data["count"] == 6
    item = next(i for i in data["items"] if i["slug"] == public.slug)
    assert item["registered"] == 1 and item["free_places"] == 2 and item["cluster"] == cluster.slug
    assert anonymous.get(f"/api/events/{members.slug}").status_code == 404
    member = client_for(users["member"])
    assert member.get("/api/events/").json()["count"] == 7
    assert member.get("/api/events/?format=roundtable").json()["count"] == 0
    detail = member.get(f"/api/events/{members.slug}").json()
    assert detail["title"] == "Mitglieder-Café" and "description" in detail


def test_my_registrations_and_agenda(client_for, users, cluster):
    event = BrokerageEventFactory(cluster=cluster)
    member, org_admin = users["member"], users["org_admin"]
    RegistrationFactory(event=event, user=member)
    RegistrationFactory(event=event, user=org_admin)
    MeetingRequestFactory(event=event, requester=member, recipient=org_admin, state="accepted")
    services.run_scheduler(event, users["manager"])
    assert client_for(None).get("/api/events/mine/registrations").status_code == 401
    client = client_for(member)
    regs = client.get("/api/events/mine/registrations").json()
    assert [r["event"] for r in regs] == [event.slug] and regs[0]["state"] == "registered"
    agenda = client.get(f"/api/events/{event.slug}/agenda").json()
    assert len(agenda) == 1 and agenda[0]["partner"] == org_admin.full_name
    assert agenda[0]["table"] >= 1
    assert client.get(f"/api/events/{event.slug}/agenda?user_id={org_admin.pk}").status_code == 403
    office = client_for(users["manager"])
    other = office.get(f"/api/events/{event.slug}/agenda?user_id={org_admin.pk}").json()
    assert other[0]["partner"] == member.full_name
    assert office.get(f"/api/events/{event.slug}/agenda").status_code == 403  # not a participant
