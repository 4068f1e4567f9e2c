"""A brokerage event in the browser: the office creates it, two participants register, one asks
for a meeting, the other accepts, the office computes the schedule, the participant sees the agenda."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actors.models import ClusterRole
from events.models import AgendaEntry, Event, MeetingRequest
from tests.browser.helpers import login
from tests.factories import ClusterFactory, ClusterRoleFactory, MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_brokerage_event_from_creation_to_personal_agenda(live_server, page):
    cluster = ClusterFactory(name="Cluster Offene Region")
    org = MembershipFactory(cluster=cluster).organisation
    ClusterRoleFactory(user__email="office@example.org", cluster=cluster)
    for email, name in [
        ("anna@example.org", "Anna Sensorik"),
        ("ben@example.org", "Ben Leichtbau"),
    ]:
        ClusterRoleFactory(
            user=UserFactory(email=email, full_name=name),
            cluster=cluster,
            role=ClusterRole.Role.MEMBER_USER,
            organisation=org,
        )
    day = (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%d")

    # The cluster office creates the brokerage event
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Neue Veranstaltung").click()
    page.locator("#id_title").fill("Kooperationsbörse Leichtbau")
    page.locator("#id_format").select_option("brokerage")
    page.locator("#id_mode").select_option("onsite")
    page.locator("#id_starts_at").fill(f"{day}T09:00")
    page.locator("#id_ends_at").fill(f"{day}T13:00")
    page.locator("#id_location").fill("Stadthalle")
    page.locator("#id_capacity").fill("40")
    page.locator("#id_meetings_start").fill(f"{day}T09:30")
    page.locator("#id_meeting_minutes").fill("20")
    page.locator("#id_meeting_slots").fill("6")
    page.locator("#id_tables").fill("4")
    page.get_by_role("button", name="Veranstaltung speichern").click()
    expect(page.get_by_text("Die Veranstaltung wurde gespeichert.")).to_be_visible()
    event = Event.objects.get()
    assert event.is_brokerage and event.tables == 4

    # Two participants register; Anna asks Ben for a meeting
    for email in ("ben@example.org", "anna@example.org"):
        login(page, live_server, email)
        page.goto(f"{live_server.url}/events/{event.slug}/")
        page.get_by_role("button", name="Zur Veranstaltung anmelden").click()
        expect(page.get_by_text("Sie sind angemeldet. Bis bald!")).to_be_visible()
    page.get_by_role("link", name="Partner finden und Gespräche anfragen").click()
    page.get_by_text("Gespräch mit Ben Leichtbau anfragen").click()
    page.get_by_label("Warum möchten Sie sich treffen?").fill("Gemeinsames Projekt zu Leichtbau?")
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_text("Ihre Anfrage wurde an Ben Leichtbau gesendet.")).to_be_visible()

    # Ben accepts
    login(page, live_server, "ben@example.org")
    page.goto(f"{live_server.url}/events/{event.slug}/brokerage/")
    expect(page.get_by_text("Gemeinsames Projekt zu Leichtbau?")).to_be_visible()
    page.get_by_role("button", name="Annehmen – Anna Sensorik").click()
    expect(page.get_by_text("Sie haben das Gespräch angenommen.")).to_be_visible()
    assert MeetingRequest.objects.get().state == "accepted"

    # The office computes the schedule
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/events/{event.slug}/")
    page.get_by_role("link", name="Terminplan der Gespräche").click()
    page.get_by_role("button", name="Terminplan berechnen").click()
    expect(page.get_by_text("Terminplan berechnet. Eingeplante Gespräche: 1;")).to_be_visible()
    grid = page.get_by_role("table", name="Gesprächsrunden und Tische")
    expect(grid).to_contain_text("Anna Sensorik")
    assert AgendaEntry.objects.count() == 2

    # ...and checks Ben in on the day (htmx toggle updates the counter)
    page.goto(f"{live_server.url}/events/{event.slug}/participants/")
    page.get_by_role("button", name="Einchecken – Ben Leichtbau").click()
    expect(page.get_by_role("button", name="Anwesend – Ben Leichtbau")).to_be_visible()
    expect(page.locator("#attended-count")).to_have_text("1")

    # Anna sees her agenda in English and can download it
    login(page, live_server, "anna@example.org")
    page.goto(f"{live_server.url}/en/events/{event.slug}/")
    agenda = page.get_by_role("table", name="My meetings")
    expect(agenda).to_contain_text("Ben Leichtbau")
    expect(agenda).to_contain_text("09:30")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my agenda (.ics)").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert "SUMMARY:Meeting with Ben Leichtbau" in text


def test_office_cancels_an_event_with_a_reason(live_server, page):
    cluster = ClusterFactory(name="Cluster Offene Region")
    ClusterRoleFactory(user__email="office@example.org", cluster=cluster)
    start = timezone.localtime() + timedelta(days=10)
    event = Event.objects.create(
        cluster=cluster,
        title="Werkstatt Kreislaufwirtschaft",
        format=Event.Format.WORKSHOP,
        mode=Event.Mode.ONSITE,
        location="Technologiepark",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        is_public=True,
    )
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/events/{event.slug}/")
    cancel = page.get_by_role("button", name="Diese Veranstaltung absagen")
    # without a reason the page explains what is missing
    cancel.click()
    expect(page.get_by_text("Bitte geben Sie einen Grund für die Absage an.").first).to_be_visible()
    page.get_by_label("Grund der Absage").fill("Der Referent ist erkrankt.")
    page.get_by_role("button", name="Diese Veranstaltung absagen").click()
    notice = page.get_by_role("status").filter(has_text="Diese Veranstaltung wurde abgesagt.")
    expect(notice).to_contain_text("Der Referent ist erkrankt.")
    expect(page.get_by_role("button", name="Diese Veranstaltung absagen")).to_have_count(0)
    page.goto(f"{live_server.url}/events/")
    card = page.locator(".events-card").filter(has_text="Werkstatt Kreislaufwirtschaft")
    expect(card.locator(".badge", has_text="Abgesagt")).to_be_visible()
    event.refresh_from_db()
    assert event.cancellation_reason == "Der Referent ist erkrankt."
