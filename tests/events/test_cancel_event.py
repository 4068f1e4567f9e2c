"""Cancelling an event: the cluster office's rule, e-mails in each person's language, what a
cancelled event refuses, and how pages, calendars and the API show it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.links import absolute_url
from events import services
from events.models import MeetingRequest, Registration
from events.services import RuleError
from tests.factories import UserFactory

from .factories import BrokerageEventFactory, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
State = Registration.State
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
REASON = "Der Referent ist erkrankt; wir holen die Werkstatt im Herbst nach."


@pytest.fixture
def tasks_now(settings):
    settings.TASKS = IMMEDIATE
    return settings


def test_manager_cancels_and_everybody_registered_or_waiting_is_told_in_their_language(
    cluster, users, tasks_now, mailoutbox, django_capture_on_commit_callbacks
):
    tasks_now.OPENREGION_SITE_URL = "https://openregion.example.org/"
    event = EventFactory(cluster=cluster, title="Werkstatt Wasserstoff", capacity=1)
    german = RegistrationFactory(event=event, user=UserFactory(preferred_language="de"))
    english = RegistrationFactory(
        event=event, user=UserFactory(preferred_language="en"), state=State.WAITLISTED
    )
    gone = RegistrationFactory(event=event, state=State.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event, users["manager"], f"  {REASON}  ")

    event.refresh_from_db()
    assert event.is_cancelled and event.cancellation_reason == REASON
    # registrations stay as they were (history)
    assert dict(event.registrations.values_list("pk", "state")) == {
        german.pk: State.REGISTERED,
        english.pk: State.WAITLISTED,
        gone.pk: State.CANCELLED,
    }
    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {german.user.email, english.user.email}
    de, en = mails[german.user.email], mails[english.user.email]
    assert de.subject == "Abgesagt: „Werkstatt Wasserstoff“"
    assert "wurde abgesagt" in de.body and REASON in de.body
    assert f"https://openregion.example.org/events/{event.slug}/" in de.body
    assert en.subject == "Cancelled: “Werkstatt Wasserstoff”"
    assert "has been cancelled" in en.body and REASON in en.body
    assert f"https://openregion.example.org/en/events/{event.slug}/" in en.body


def test_only_the_clusters_managers_may_cancel_and_only_with_a_reason(cluster, users):
    event = EventFactory(cluster=cluster)
    for role in ("member", "org_admin", "outsider"):
        with pytest.raises(PermissionDenied):
            services.cancel_event(event, users[role], REASON)
    with pytest.raises(RuleError, match="Grund"):
        services.cancel_event(event, users["manager"], "   ")
    event.refresh_from_db()
    assert not event.is_cancelled
    assert services.can_cancel_event(users["manager"], event)
    assert not services.can_cancel_event(users["member"], event)


def test_events_over_or_already_cancelled_cannot_be_cancelled(cluster, users):
    now = timezone.now()
    past = EventFactory(
        cluster=cluster,
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2, hours=-3),
    )
    with pytest.raises(RuleError, match="vorbei"):
        services.cancel_event(past, users["manager"], REASON)
    event = EventFactory(cluster=cluster)
    services.cancel_event(event, users["manager"], REASON)
    with pytest.raises(RuleError, match="bereits abgesagt"):
        services.cancel_event(event, users["manager"], "Noch einmal")
    event.refresh_from_db()
    assert event.cancellation_reason == REASON
    assert not services.can_cancel_event(users["manager"], event)


def test_a_cancelled_event_refuses_registration_cancellation_meetings_and_scheduling(
    cluster, users
):
    event = BrokerageEventFactory(cluster=cluster, capacity=1)
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, state=State.WAITLISTED)
    pending = MeetingRequest.objects.create(event=event, requester=a.user, recipient=b.user)
    services.cancel_event(event, users["manager"], REASON)
    event.refresh_from_db()

    assert not services.can_register(users["member"], event)
    with pytest.raises(RuleError, match="abgesagt"):
        services.register(users["member"], event)
    with pytest.raises(RuleError, match="abgesagt"):
        services.cancel(a, a.user)  # would promote the waiting person
    with pytest.raises(RuleError, match="abgesagt"):
        services.request_meeting(event, b.user, waiting.user)
    with pytest.raises(RuleError, match="abgesagt"):
        services.answer_request(pending, b.user, accept=True)
    with pytest.raises(RuleError, match="abgesagt"):
        services.run_scheduler(event, users["manager"])
    event.capacity = 5  # more places do not promote anybody into a cancelled event
    services.save_event(event, users["manager"])
    assert event.registrations.filter(state=State.REGISTERED).count() == 2
    waiting.refresh_from_db()
    assert waiting.state == State.WAITLISTED
    # the office may still record attendance
    services.set_attended(a, users["manager"], True)
    assert Registration.objects.get(pk=a.pk).attended


def test_absolute_url_uses_the_setting_or_a_local_default(settings):
    settings.OPENREGION_SITE_URL = "https://cluster.example.org/"
    assert absolute_url("/events/x/") == "https://cluster.example.org/events/x/"
    assert absolute_url("https://elsewhere.example/") == "https://elsewhere.example/"
    del settings.OPENREGION_SITE_URL
    assert absolute_url("/events/x/") == "http://127.0.0.1:8000/events/x/"


def test_promotion_and_meeting_mails_carry_absolute_links(
    cluster, tasks_now, mailoutbox, django_capture_on_commit_callbacks
):
    event = BrokerageEventFactory(cluster=cluster, capacity=2)
    first = RegistrationFactory(event=event)
    second = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, state=State.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_meeting(event, second.user, first.user, "Kurz sprechen?")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(first, first.user)
    assert [m.to[0] for m in mailoutbox] == [first.user.email, waiting.user.email]
    assert f"http://127.0.0.1:8000/events/{event.slug}/brokerage/" in mailoutbox[0].body
    assert f"http://127.0.0.1:8000/events/{event.slug}/" in mailoutbox[1].body


# --- pages, calendar, API ---------------------------------------------------------------------


def test_manager_cancels_on_the_event_page_and_every_page_shows_it(
    cluster, users, client_for, tasks_now, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(cluster=cluster, title="Werkstatt Kreislaufwirtschaft")
    RegistrationFactory(event=event, user=users["member"])
    office = client_for(users["manager"])
    html = office.get(f"/events/{event.slug}/").content.decode()
    assert "Veranstaltung absagen" in html and 'class="button danger"' in html
    assert '<label for="id_reason"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(f"/events/{event.slug}/cancel-event/", {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == f"/events/{event.slug}/"
    assert [m.to for m in mailoutbox] == [[users["member"].email]]

    html = office.get(f"/events/{event.slug}/").content.decode()
    assert 'role="status"' in html and "Diese Veranstaltung wurde abgesagt." in html
    assert REASON in html and "Veranstaltung absagen" not in html
    # the participant no longer sees registration buttons, nor does a new visitor
    member_html = client_for(users["member"]).get(f"/events/{event.slug}/").content.decode()
    assert "Diese Veranstaltung wurde abgesagt." in member_html
    assert "Meine Anmeldung stornieren" not in member_html
    other = client_for(users["outsider"]).get(f"/events/{event.slug}/").content.decode()
    assert "Zur Veranstaltung anmelden" not in other and "Die Anmeldung ist geschlossen" in other
    # the list keeps the event, with a badge
    listing = client_for(users["outsider"]).get("/events/").content.decode()
    assert "Werkstatt Kreislaufwirtschaft" in listing
    assert '<span class="badge events-cancelled">Abgesagt</span>' in listing
    # the office's participants list still works and says so
    participants = client_for(users["manager"]).get(f"/events/{event.slug}/participants/")
    assert participants.status_code == 200 and REASON in participants.content.decode()
    mine = client_for(users["member"]).get("/events/mine/").content.decode()
    assert "Veranstaltung abgesagt" in mine
    # English pages
    english = client_for(users["outsider"]).get(f"/en/events/{event.slug}/").content.decode()
    assert "This event has been cancelled." in english and REASON in english
    english_list = client_for(users["outsider"]).get("/en/events/").content.decode()
    assert '<span class="badge events-cancelled">Cancelled</span>' in english_list
    # registering through the page is refused with a clear message
    response = client_for(users["outsider"]).post(f"/events/{event.slug}/register/", follow=True)
    assert "Diese Veranstaltung wurde abgesagt." in response.content.decode()
    assert not event.registrations.filter(user=users["outsider"]).exists()


def test_reason_is_required_on_the_page_and_nothing_is_lost(cluster, users, client_for):
    event = EventFactory(cluster=cluster, title="Runder Tisch Fachkräfte")
    RegistrationFactory(event=event)
    office = client_for(users["manager"])
    response = office.post(f"/events/{event.slug}/cancel-event/", {"reason": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte geben Sie einen Grund für die Absage an." in html
    assert "Runder Tisch Fachkräfte" in html and 'action="/events/' in html
    event.refresh_from_db()
    assert not event.is_cancelled
    assert event.registrations.filter(state=State.REGISTERED).count() == 1
    # a long reason that is too long keeps what was typed
    too_long = "x" * 2001
    html = office.post(f"/events/{event.slug}/cancel-event/", {"reason": too_long}).content
    assert too_long in html.decode()


@pytest.mark.parametrize("role, status", [("member", 403), ("outsider", 403), ("org_admin", 403)])
def test_cancel_page_refused_to_others(cluster, users, client_for, role, status):
    event = EventFactory(cluster=cluster)
    response = client_for(users[role]).post(f"/events/{event.slug}/cancel-event/", {"reason": "x"})
    assert response.status_code == status
    assert (
        "Veranstaltung absagen"
        not in client_for(users[role]).get(f"/events/{event.slug}/").content.decode()
    )
    event.refresh_from_db()
    assert not event.is_cancelled


def test_ics_of_a_cancelled_event_has_status_cancelled(cluster, users, client_for):
    event = BrokerageEventFactory(cluster=cluster)
    RegistrationFactory(event=event, user=users["member"])
    member = client_for(users["member"])
    assert "STATUS:" not in member.get(f"/events/{event.slug}/calendar.ics").content.decode()
    services.cancel_event(event, users["manager"], REASON)
    for url in (f"/events/{event.slug}/calendar.ics", "/events/mine/calendar.ics"):
        text = member.get(url).content.decode()
        assert "STATUS:CANCELLED\r\n" in text and "BEGIN:VEVENT" in text


def test_api_reports_the_cancellation(cluster, users, client):
    event = EventFactory(cluster=cluster)
    data = client.get(f"/api/events/{event.slug}").json()
    assert data["cancelled"] is False and data["cancellation_reason"] == ""
    services.cancel_event(event, users["manager"], REASON)
    data = client.get(f"/api/events/{event.slug}").json()
    assert data["cancelled"] is True and data["cancellation_reason"] == REASON
    listed = client.get("/api/events/").json()["items"]
    assert [e["cancelled"] for e in listed if e["slug"] == event.slug] == [True]
