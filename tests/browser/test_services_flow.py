"""Network services in the browser: the office publishes a service, a member books and rates it,
the office runs a needs survey, the member answers and the office reads the chart."""

import re

import pytest
from playwright.sync_api import expect

from actors.models import ClusterRole
from services.models import Booking, Feedback, Service, Status, Survey
from tests.browser.helpers import login
from tests.factories import ClusterFactory, ClusterRoleFactory, MembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_publish_book_rate_survey_and_chart(page, live_server):
    cluster = ClusterFactory(name="Cluster Sensorik")
    organisation = MembershipFactory(cluster=cluster).organisation
    ClusterRoleFactory(user__email="office@example.org", cluster=cluster)
    ClusterRoleFactory(
        user__email="member@example.org",
        cluster=cluster,
        role=ClusterRole.Role.MEMBER_USER,
        organisation=organisation,
    )

    # The office creates the service; an invalid price is refused with a message
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/services/")
    page.get_by_role("link", name="Neuer Netzwerkservice").click()
    page.locator("#id_title").fill("Sensorik-Fachkräftepool")
    page.get_by_label("Kategorie").select_option("personnel")
    page.locator("#id_target_group").fill("Mitgliedsunternehmen")
    page.locator("#id_problem").fill("Den Betrieben fehlen Fachkräfte.")
    page.get_by_label("Titel (Englisch)").fill("Sensor technology talent pool")
    page.get_by_label("Finanzierungsmodell").select_option("membership_fees")
    page.get_by_label("Preis (EUR)").fill("-10")
    page.get_by_role("button", name="Service speichern").click()
    expect(page.get_by_text("Der Preis kann nicht negativ sein.")).to_be_visible()
    page.get_by_label("Preis (EUR)").fill("")
    page.get_by_role("button", name="Service speichern").click()
    expect(page.get_by_text("Der Service wurde gespeichert.")).to_be_visible()
    # undecided: shown as such, not as a default
    expect(page.get_by_text("noch nicht entschieden")).to_have_count(2)

    # ... and moves it through the lifecycle up to "active"; authorisation needs the concept and
    # the decisions
    step = page.get_by_label("Nächster Schritt im Lebenszyklus")
    step.select_option("concept")
    page.get_by_role("button", name="In diesen Schritt wechseln").click()
    step.select_option("authorised")
    page.get_by_role("button", name="In diesen Schritt wechseln").click()
    expect(page.get_by_text("Bitte geben Sie an, wer den Service genehmigt hat.")).to_be_visible()
    step.select_option("authorised")
    page.get_by_label("Entschieden durch").select_option("board")
    page.get_by_role("button", name="In diesen Schritt wechseln").click()
    expect(
        page.get_by_text("Es fehlt noch: Umsetzung, Preis (EUR), Übertragbarkeit.")
    ).to_be_visible()
    page.get_by_role("link", name="Service bearbeiten").click()
    page.locator("#id_delivery").fill("Die Geschäftsstelle vermittelt Profile.")
    page.get_by_label("Preis (EUR)").fill("0")
    page.get_by_label("Übertragbarkeit").select_option("4")
    page.get_by_role("button", name="Service speichern").click()
    expect(page.get_by_text("kostenlos", exact=True)).to_be_visible()
    step.select_option("authorised")
    page.get_by_label("Entschieden durch").select_option("board")
    page.get_by_role("button", name="In diesen Schritt wechseln").click()
    step.select_option("active")
    page.get_by_role("button", name="In diesen Schritt wechseln").click()
    expect(page.get_by_text("Der Service ist jetzt im Schritt „Aktiv“.")).to_be_visible()
    expect(page.get_by_text("entschieden durch: Vorstand")).to_be_visible()
    service = Service.objects.get()
    assert service.status == Status.ACTIVE

    # A member finds it in the catalogue and books it; rating waits for the office's confirmation
    login(page, live_server, "member@example.org")
    page.goto(f"{live_server.url}/services/")
    page.get_by_label("Kategorie").select_option("personnel")
    page.get_by_role("button", name="Anzeigen").click()
    page.get_by_role("link", name="Sensorik-Fachkräftepool").click()
    page.get_by_label("Nachricht an die Geschäftsstelle").fill("Wir suchen zwei Fachkräfte.")
    page.get_by_role("button", name="Service buchen").click()
    expect(page.get_by_text("Ihre Buchung wurde an die Geschäftsstelle geschickt.")).to_be_visible()
    expect(
        page.get_by_text("sobald die Geschäftsstelle Ihre Buchung bestätigt hat")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Rückmeldung senden")).to_have_count(0)

    # The office confirms the booking
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}{service.get_absolute_url()}")
    page.get_by_role("link", name="Buchungen verwalten").click()
    expect(page.get_by_text("Wir suchen zwei Fachkräfte.")).to_be_visible()
    # visible state label first, the member's name follows as a visually hidden suffix
    page.get_by_role("button", name=re.compile(r"^Bestätigt\b")).click()
    expect(page.get_by_text("ist jetzt „Bestätigt“")).to_be_visible()
    assert Booking.objects.get().state == Booking.State.CONFIRMED

    # Now the member, who used the service, rates it
    login(page, live_server, "member@example.org")
    page.goto(f"{live_server.url}{service.get_absolute_url()}")
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page.get_by_text("Bitte wählen Sie eine Bewertung von 1 bis 5.")).to_be_visible()
    page.get_by_label("5 – sehr zufrieden").check()
    page.get_by_label("Kommentar").fill("Schnell und unkompliziert.")
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page.get_by_text("Vielen Dank für Ihre Rückmeldung!")).to_be_visible()
    expect(page.get_by_text("5,0 von 5 (1 Bewertung)")).to_be_visible()
    assert Feedback.objects.get().rating == 5

    # The office runs a needs survey
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/services/surveys/")
    page.get_by_role("link", name="Neue Umfrage").click()
    page.locator("#id_title").fill("Mitgliederbefragung 2027")
    page.get_by_role("button", name="Umfrage speichern").click()
    page.locator("#id_text").fill("Die Angebote passen zu unserem Bedarf.")
    page.locator("#id_kind").select_option("likert")
    page.get_by_role("button", name="Frage hinzufügen").click()
    expect(page.get_by_text("Die Frage wurde hinzugefügt.")).to_be_visible()
    page.locator("#id_text").fill("Welche Unterstützung fehlt Ihnen?")
    page.locator("#id_kind").select_option("text")
    page.locator("#id_required").uncheck()
    page.get_by_role("button", name="Frage hinzufügen").click()
    page.get_by_role("button", name="Umfrage öffnen").click()
    expect(page.get_by_text("Die Umfrage ist geöffnet.")).to_be_visible()
    survey = Survey.objects.get()

    # The member answers once
    login(page, live_server, "member@example.org")
    page.goto(f"{live_server.url}/services/surveys/")
    page.get_by_role("link", name="Jetzt antworten").click()
    page.get_by_role("button", name="Antworten senden").click()
    expect(page.get_by_text("Bitte beantworten Sie die markierten Fragen.")).to_be_visible()
    page.get_by_role("group", name="Die Angebote passen").get_by_label("4", exact=True).check()
    page.get_by_label("Welche Unterstützung fehlt Ihnen?").fill("Ein Cyber-Sicherheitscheck.")
    page.get_by_role("button", name="Antworten senden").click()
    expect(page.get_by_text("Vielen Dank für Ihre Teilnahme an der Umfrage!")).to_be_visible()
    assert survey.responses.count() == 1

    # The office sees the chart and turns the stated need into a service idea
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/services/surveys/{survey.pk}/")
    page.get_by_role("link", name="Ergebnisse anzeigen").click()
    expect(page.get_by_text("Mittelwert 4,00 von 5")).to_be_visible()
    expect(page.locator(".svc-bar-fill").first).to_be_attached()
    expect(page.get_by_text("1 Antwort (100 %)")).to_be_visible()
    page.get_by_role(
        "link", name=re.compile(r"^Zur Serviceidee machen\b.*Ein Cyber-Sicherheitscheck\.")
    ).click()
    page.get_by_label("Titel der Serviceidee").fill("Cyber-Check für Mitglieder")
    page.get_by_role("button", name="Serviceidee anlegen").click()
    expect(page.get_by_role("heading", name="Cyber-Check für Mitglieder")).to_be_visible()
    assert Service.objects.get(title="Cyber-Check für Mitglieder").status == Status.IDEA
