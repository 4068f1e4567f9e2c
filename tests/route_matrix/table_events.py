"""Events: calendar, registration, the office's pages and the brokerage (1:1 meetings).

The rules (events/rules.py): the event is a members-only brokerage event of cluster A, so it is seen
by the people of cluster A (member, org admin, manager A) and platform admins; everybody else meets
a 404 (visitors are sent to log in first). Its office is the current managers of cluster A and
platform admins: the revoked manager created the event, which gives no rights. Member and org admin
are registered participants; the org admin has asked the member for a meeting. Platform admins are
no members: they cannot register for a members-only event nor take part in its meetings.
Unconfirmed accounts cannot log in, so they meet what visitors meet.
"""

from datetime import timedelta

from django.utils import timezone

from events.models import MeetingRequest, Registration
from tests.events.factories import BrokerageEventFactory
from tests.factories import UserFactory

from .matrix import HIDDEN, LOGIN, NOT_ALLOWED, Api, Page, everyone, logged_in, only


def build(w):
    start = timezone.now() + timedelta(days=14)
    w.event = BrokerageEventFactory(
        cluster=w.cluster_a,
        title="Matrix Kooperationsbörse",
        is_public=False,
        capacity=20,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        meetings_start=start + timedelta(minutes=30),
        meeting_slots=6,
        tables=3,
        created_by=w.users["revoked_manager"],
    )
    registered = Registration.State.REGISTERED
    w.registration = Registration.objects.create(
        event=w.event, user=w.users["member"], state=registered
    )
    Registration.objects.create(event=w.event, user=w.users["org_admin"], state=registered)
    w.third = UserFactory(full_name="Dora Dritte")
    Registration.objects.create(event=w.event, user=w.third, state=registered)
    w.meeting = MeetingRequest.objects.create(
        event=w.event, requester=w.users["org_admin"], recipient=w.users["member"]
    )


def event_body(w, cluster=None):
    start = timezone.now() + timedelta(days=20)
    return {
        "cluster": (cluster or w.cluster_a).slug,
        "title": "Matrix Werkstatt",
        "format": "workshop",
        "mode": "onsite",
        "location": "Technologiepark",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "capacity": 30,
    }


def slug(w):
    return [w.event.slug]


VISITORS = {"unconfirmed": LOGIN}
NOT_OF_A = {"manager_b": HIDDEN, "revoked_manager": HIDDEN, "juror": HIDDEN}
office_a = only("manager_a", "platform_admin", **VISITORS)
# pages of the event that need a login: hidden from everybody outside cluster A
people_a = only("member", "org_admin", "manager_a", "platform_admin", **VISITORS, **NOT_OF_A)
participants = only("member", "org_admin", **VISITORS, **NOT_OF_A)

ROUTES = [
    Page("events:event_list", get=everyone(), post=NOT_ALLOWED),
    Page(
        "events:event_create",
        get=only("manager_a", "manager_b", "platform_admin", **VISITORS),
        post=only("manager_a", "manager_b", "platform_admin", **VISITORS),
    ),
    Page("events:my_events", get=logged_in(**VISITORS), post=NOT_ALLOWED),
    Page("events:my_calendar", get=logged_in(**VISITORS), post=NOT_ALLOWED),
    Page("events:event_detail", args=slug, get=people_a, post=NOT_ALLOWED),
    Page("events:event_edit", args=slug, get=office_a, post=office_a),
    # registering again is a double submit for the participants; managers of the cluster may join
    Page(
        "events:register",
        args=slug,
        get=NOT_ALLOWED,
        post=only("member", "org_admin", "manager_a", **VISITORS, **NOT_OF_A),
    ),
    # cancelling one's own registration: the office and admins have none (404)
    Page(
        "events:cancel",
        args=slug,
        get=NOT_ALLOWED,
        post=only(
            "member", "org_admin", manager_a=HIDDEN, platform_admin=HIDDEN, **VISITORS, **NOT_OF_A
        ),
    ),
    Page("events:event_cancel", args=slug, get=NOT_ALLOWED, post=office_a),
    Page("events:event_ics", args=slug, get=people_a, post=NOT_ALLOWED),
    Page("events:participants", args=slug, get=office_a, post=NOT_ALLOWED),
    Page("events:participants_csv", args=slug, get=office_a, post=NOT_ALLOWED),
    Page(
        "events:attendance",
        args=lambda w: [w.event.slug, w.registration.pk],
        get=NOT_ALLOWED,
        post=office_a,
        data=lambda w: {"attended": "1"},
    ),
    Page(
        "events:participant_availability",
        args=lambda w: [w.event.slug, w.registration.pk],
        get=only("manager_a", "platform_admin", **VISITORS, **NOT_OF_A),
        post=only("manager_a", "platform_admin", **VISITORS, **NOT_OF_A),
    ),
    # the office is sent on to the schedule
    Page("events:brokerage", args=slug, get=people_a, post=NOT_ALLOWED),
    Page(
        "events:profile",
        args=slug,
        get=NOT_ALLOWED,
        post=only(
            "member", "org_admin", manager_a=HIDDEN, platform_admin=HIDDEN, **VISITORS, **NOT_OF_A
        ),
        data=lambda w: {"profile": "Sensorik und Leichtbau"},
    ),
    Page(
        "events:availability",
        args=slug,
        get=only(
            "member", "org_admin", manager_a=HIDDEN, platform_admin=HIDDEN, **VISITORS, **NOT_OF_A
        ),
        post=only(
            "member", "org_admin", manager_a=HIDDEN, platform_admin=HIDDEN, **VISITORS, **NOT_OF_A
        ),
    ),
    Page(
        "events:meeting_request",
        args=lambda w: [w.event.slug, w.third.pk],
        get=NOT_ALLOWED,
        post=participants,
        data=lambda w: {"message": "Kurz sprechen?"},
    ),
    # only the person asked (the member) answers the org admin's request
    Page(
        "events:meeting_answer",
        args=lambda w: [w.event.slug, w.meeting.pk],
        get=NOT_ALLOWED,
        post=only("member", **VISITORS, **NOT_OF_A),
        data=lambda w: {"answer": "accept"},
    ),
    Page("events:schedule", args=slug, get=office_a, post=NOT_ALLOWED),
    Page("events:schedule_run", args=slug, get=NOT_ALLOWED, post=office_a),
    Page("events:schedule_csv", args=slug, get=office_a, post=NOT_ALLOWED),
    Page("events:agenda_ics", args=slug, get=participants, post=NOT_ALLOWED),
    # API
    Api("GET", "/api/events/", expect=everyone()),
    Api("GET", "/api/events/mine/registrations", expect=logged_in(**VISITORS)),
    Api(
        "POST",
        "/api/events/",
        body=event_body,
        expect=only("manager_a", "platform_admin", **VISITORS),
    ),
    Api(
        "GET",
        "/api/events/{slug}",
        params=lambda w: {"slug": w.event.slug},
        expect=everyone(anonymous=HIDDEN, unconfirmed=HIDDEN, **NOT_OF_A),
    ),
    Api(
        "PUT",
        "/api/events/{slug}",
        params=lambda w: {"slug": w.event.slug},
        body=event_body,
        expect=only("manager_a", "platform_admin", **VISITORS, **NOT_OF_A),
    ),
    Api(
        "GET",
        "/api/events/{slug}/agenda",
        params=lambda w: {"slug": w.event.slug},
        expect=only("member", "org_admin", **VISITORS, **NOT_OF_A),
    ),
]
