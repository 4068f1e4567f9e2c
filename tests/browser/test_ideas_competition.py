"""A whole idea competition in the browser: call, submission, moderation, voting, jury, results."""

import re

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


def suffixed(visible, hidden):
    """The accessible name of a button: its visible text plus a visually hidden ": <title>".

    Browsers may put a space before the hidden part (it is positioned absolutely)."""
    return re.compile(rf"^{re.escape(visible)}\s*: {re.escape(hidden)}$")


def next_phase(page, live_server, slug):
    page.goto(f"{live_server.url}/calls/{slug}/manage/")
    page.get_by_role("button", name="Nächste Phase jetzt starten …", exact=True).click()
    # a confirmation step shows the old and new dates before anything changes
    expect(page.get_by_role("columnheader", name="Bisher", exact=True)).to_be_visible()
    expect(page.get_by_role("columnheader", name="Neu", exact=True)).to_be_visible()
    page.get_by_role("button", name="Ja, Termine ändern und Phase starten", exact=True).click()
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
    # the German fields come first; the English version ("Titel (Englisch)" …) stays optional
    expect(page.get_by_label("Titel (Englisch)", exact=True)).to_be_visible()
    page.locator("#id_title").fill("Vom Cluster zur offenen Region")
    page.locator("#id_description").fill("Wie öffnen sich Cluster für neue Partner?")
    page.locator("#id_organiser").select_option(label="Clusteragentur OWL")
    page.locator("#id_is_published").check()
    page.locator("#id_shortlist_size").fill("1")
    page.locator("#id_questions").fill(
        "Welchen Nutzen haben Sie von Clustern?\nWie hilft die Digitalisierung?"
    )
    page.locator("#id_criteria").fill("Innovation | 2\nUmsetzbarkeit | 1")
    page.get_by_role("button", name="Aufruf speichern", exact=True).click()
    assert page.get_by_text("Der Aufruf wurde gespeichert.").is_visible()
    call = Call.objects.get()
    slug = call.slug

    # A citizen submits an idea answering the guiding questions
    login(page, live_server, "citizen@example.org")
    page.goto(f"{live_server.url}/calls/{slug}/")
    page.get_by_role("link", name="Idee einreichen", exact=True).click()
    page.locator("#id_title").fill("Digitale Kooperationsbörse")
    page.locator("#id_summary").fill("Betriebe finden Partner über Regionsgrenzen hinweg.")
    page.get_by_label("Welchen Nutzen haben Sie von Clustern?", exact=True).fill(
        "Kontakte zur Hochschule."
    )
    page.get_by_label("Wie hilft die Digitalisierung?", exact=True).fill("Online-Matching.")
    page.get_by_role("button", name="Idee einreichen", exact=True).click()
    assert page.get_by_text("Ihre Idee wurde eingereicht").is_visible()
    IdeaFactory(call=call, title="Offene Werkstatt", status=Idea.Status.SUBMITTED)

    # The organiser moderates: one idea published, one rejected with a reason
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/calls/{slug}/manage/")
    page.get_by_role(
        "button", name=suffixed("Veröffentlichen", "Digitale Kooperationsbörse")
    ).click()
    # only "Offene Werkstatt" is left to moderate
    page.get_by_label("Grund der Ablehnung", exact=True).fill("Kein Bezug zur Ausschreibung")
    page.get_by_role("button", name="Ablehnen", exact=True).click()
    assert page.get_by_text("Die Idee wurde abgelehnt.").is_visible()
    next_phase(page, live_server, slug)
    assert page.get_by_text("hat begonnen").is_visible()

    # The public votes (htmx) and can withdraw while voting is open
    login(page, live_server, "voter@example.org")
    page.goto(f"{live_server.url}/calls/{slug}/ideas/")
    page.get_by_role("button", name=suffixed("Abstimmen", "Digitale Kooperationsbörse")).click()
    withdraw = page.get_by_role(
        "button", name=suffixed("Stimme zurückziehen", "Digitale Kooperationsbörse")
    )
    expect(withdraw).to_be_visible()
    expect(page.get_by_text("1 Stimme", exact=True)).to_be_visible()

    # Jury phase: shortlist, a juror from civil society joins (the missing groups are flagged)
    login(page, live_server, "office@example.org")
    next_phase(page, live_server, slug)
    page.get_by_role("button", name="Shortlist festlegen", exact=True).click()
    assert page.get_by_text("Die Shortlist mit 1 Ideen wurde festgelegt.").is_visible()
    # the helix group is derived from the juror's organisation, so it is not asked at first
    expect(page.locator("#juror_helix_type")).to_be_hidden()
    page.locator("#juror_email").fill("juror@example.org")
    page.get_by_role("button", name="Jurymitglied hinzufügen", exact=True).click()
    # no organisation is recorded for this juror: only now does the form ask for the group
    helix = page.get_by_label("Helix-Gruppe", exact=True)
    expect(helix).to_be_visible()
    helix.select_option("civil")
    page.get_by_role("button", name="Jurymitglied hinzufügen", exact=True).click()
    expect(page.get_by_text("ist jetzt Mitglied der Jury")).to_be_visible()
    assert page.get_by_text("Warnung: Die Jury hat kein Mitglied").is_visible()

    login(page, live_server, "juror@example.org")
    page.goto(f"{live_server.url}/calls/{slug}/review/")
    # each idea is one line that opens to its scoring form
    idea = page.locator(
        "details", has=page.locator("summary", has_text="Digitale Kooperationsbörse")
    )
    page.locator("summary", has_text="Digitale Kooperationsbörse").click()
    idea.get_by_role("combobox", name="Innovation (Gewicht 2)", exact=True).select_option("5")
    idea.get_by_role("combobox", name="Umsetzbarkeit (Gewicht 1)", exact=True).select_option("4")
    idea.get_by_role("textbox", name="Kommentar zu Innovation", exact=True).fill("Sehr überzeugend")
    idea.get_by_role(
        "button", name="Bewertung für „Digitale Kooperationsbörse“ speichern", exact=True
    ).click()
    page.get_by_role("button", name="Meine Bewertung abgeben", exact=True).click()
    assert page.get_by_text("Ihre Bewertung wurde abgegeben").is_visible()
    assert page.get_by_role(
        "heading", name="Rangfolge der abgegebenen Bewertungen", exact=True
    ).is_visible()

    # Results: award, publish, the public sees the winner in German and English
    login(page, live_server, "office@example.org")
    next_phase(page, live_server, slug)
    assert "91.67" in page.locator("#ranking ~ table").first.inner_text().replace(",", ".")
    # the award table shows the jury rank next to each finalist
    awards = page.locator("#awards ~ table").first
    expect(awards.get_by_role("columnheader", name="Jury-Rang", exact=True)).to_be_visible()
    expect(
        awards.get_by_role("row")
        .filter(has_text="Digitale Kooperationsbörse")
        .get_by_role("cell")
        .first
    ).to_have_text("1")
    page.get_by_label("Auszeichnung für Digitale Kooperationsbörse", exact=True).fill("1. Preis")
    page.get_by_role("button", name="Auszeichnung speichern", exact=True).click()
    page.get_by_role("button", name="Ergebnisse veröffentlichen", exact=True).click()
    assert page.get_by_role(
        "heading", name="Ergebnisse von „Vom Cluster zur offenen Region“"
    ).is_visible()

    login(page, live_server, "voter@example.org")
    page.goto(f"{live_server.url}/en/calls/{slug}/results/")
    winners = page.locator("main").inner_text()
    assert (
        "Winners" in winners and "Digitale Kooperationsbörse" in winners and "1. Preis" in winners
    )
