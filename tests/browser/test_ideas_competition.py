"""A whole idea competition in the browser: call, submission, moderation, voting, jury, results."""

import pytest
from playwright.sync_api import expect

from actors.models import HelixType
from ideas.models import Call, Idea
from tests.browser.helpers import login
from tests.factories import ClusterFactory, ClusterRoleFactory, OrganisationFactory, UserFactory
from tests.ideas.factories import IdeaFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def next_phase(page, live_server, slug):
    page.goto(f"{live_server.url}/calls/{slug}/manage/")
    page.get_by_role("button", name="Nächste Phase jetzt starten").click()
    page.wait_for_load_state()


def test_run_a_competition_from_call_to_winners(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = OrganisationFactory(name="Clusteragentur OWL", helix_type=HelixType.PUBLIC)
    cluster = ClusterFactory(name="Cluster Offene Region", managing_organisation=office)
    ClusterRoleFactory(user__email="office@example.org", cluster=cluster)
    UserFactory(email="citizen@example.org", full_name="Carla Citizen")
    UserFactory(email="voter@example.org")
    UserFactory(email="juror@example.org", full_name="Jule Jurorin")

    # The cluster manager creates and publishes the call
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/calls/")
    page.get_by_role("link", name="Neuer Aufruf").click()
    page.get_by_label("Titel").fill("Vom Cluster zur offenen Region")
    page.get_by_label("Beschreibung").fill("Wie öffnen sich Cluster für neue Partner?")
    page.get_by_label("Veranstalter").select_option(label="Clusteragentur OWL")
    page.get_by_label("Veröffentlicht").check()
    page.get_by_label("Größe der Shortlist").fill("1")
    page.get_by_label("Leitfragen").fill(
        "Welchen Nutzen haben Sie von Clustern?\nWie hilft die Digitalisierung?"
    )
    page.get_by_label("Jurykriterien").fill("Innovation | 2\nUmsetzbarkeit | 1")
    page.get_by_role("button", name="Aufruf speichern").click()
    assert page.get_by_text("Der Aufruf wurde gespeichert.").is_visible()
    call = Call.objects.get()
    slug = call.slug

    # A citizen submits an idea answering the guiding questions
    login(page, live_server, "citizen@example.org")
    page.goto(f"{live_server.url}/calls/{slug}/")
    page.get_by_role("link", name="Idee einreichen").click()
    page.get_by_label("Titel").fill("Digitale Kooperationsbörse")
    page.get_by_label("Kurzbeschreibung").fill(
        "Betriebe finden Partner über Regionsgrenzen hinweg."
    )
    page.get_by_label("Welchen Nutzen haben Sie von Clustern?").fill("Kontakte zur Hochschule.")
    page.get_by_label("Wie hilft die Digitalisierung?").fill("Online-Matching.")
    page.get_by_role("button", name="Idee einreichen").click()
    assert page.get_by_text("Ihre Idee wurde eingereicht").is_visible()
    IdeaFactory(call=call, title="Offene Werkstatt", status=Idea.Status.SUBMITTED)

    # The organiser moderates: one idea published, one rejected with a reason
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/calls/{slug}/manage/")
    page.get_by_role("button", name="Digitale Kooperationsbörse veröffentlichen").click()
    page.get_by_label("Grund der Ablehnung").fill("Kein Bezug zur Ausschreibung")
    page.get_by_role("button", name="Ablehnen").click()
    assert page.get_by_text("Die Idee wurde abgelehnt.").is_visible()
    next_phase(page, live_server, slug)
    assert page.get_by_text("hat begonnen").is_visible()

    # The public votes (htmx) and can withdraw while voting is open
    login(page, live_server, "voter@example.org")
    page.goto(f"{live_server.url}/calls/{slug}/ideas/")
    page.get_by_role("button", name="Für Digitale Kooperationsbörse stimmen").click()
    withdraw = page.get_by_role("button", name="Stimme für Digitale Kooperationsbörse zurückziehen")
    expect(withdraw).to_be_visible()
    expect(page.get_by_text("1 Stimme", exact=True)).to_be_visible()

    # Jury phase: shortlist, a juror from civil society joins (the missing groups are flagged)
    login(page, live_server, "office@example.org")
    next_phase(page, live_server, slug)
    page.get_by_role("button", name="Shortlist festlegen").click()
    assert page.get_by_text("Die Shortlist mit 1 Ideen wurde festgelegt.").is_visible()
    page.get_by_label("E-Mail-Adresse des Jurymitglieds").fill("juror@example.org")
    page.get_by_label("Helix-Gruppe").select_option("civil")
    page.get_by_role("button", name="Jurymitglied hinzufügen").click()
    assert page.get_by_text("Warnung: Die Jury hat kein Mitglied").is_visible()

    login(page, live_server, "juror@example.org")
    page.goto(f"{live_server.url}/calls/{slug}/review/")
    page.get_by_label("Innovation (Gewicht 2)").select_option("5")
    page.get_by_label("Umsetzbarkeit (Gewicht 1)").select_option("4")
    page.get_by_label("Kommentar zu Innovation").fill("Sehr überzeugend")
    page.get_by_role("button", name="Bewertung für „Digitale Kooperationsbörse“ speichern").click()
    page.get_by_role("button", name="Meine Bewertung abgeben").click()
    assert page.get_by_text("Ihre Bewertung wurde abgegeben").is_visible()
    assert page.get_by_role("heading", name="Rangfolge der abgegebenen Bewertungen").is_visible()

    # Results: award, publish, the public sees the winner in German and English
    login(page, live_server, "office@example.org")
    next_phase(page, live_server, slug)
    assert "91.67" in page.locator("#ranking ~ table").first.inner_text().replace(",", ".")
    page.get_by_label("Auszeichnung für Digitale Kooperationsbörse").fill("1. Preis")
    page.get_by_role("button", name="Auszeichnung speichern").click()
    page.get_by_role("button", name="Ergebnisse veröffentlichen").click()
    assert page.get_by_role(
        "heading", name="Ergebnisse von „Vom Cluster zur offenen Region“"
    ).is_visible()

    login(page, live_server, "voter@example.org")
    page.goto(f"{live_server.url}/en/calls/{slug}/results/")
    winners = page.locator("main").inner_text()
    assert (
        "Winners" in winners and "Digitale Kooperationsbörse" in winners and "1. Preis" in winners
    )
