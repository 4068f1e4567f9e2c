import pytest

from actors.models import ClusterRole, HelixType
from matching import suggestions
from tests.browser.helpers import login
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    region,
    sector,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _matching_settings(settings):
    settings.OPENREGION_TEXT_ENCODER = "hashing"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    suggestions.clear_cache()
    yield
    suggestions.clear_cache()


def test_request_suggestions_interest_and_brokering(live_server, page):
    cluster = ClusterFactory(name="Cluster Mobilität")
    sme = OrganisationFactory(name="Akku Technik GmbH", sectors=[sector("C29")])
    MembershipFactory(cluster=cluster, organisation=sme)
    OrganisationFactory(
        name="Batteries Lyon SAS", region=region("FRK2"), helix_type=HelixType.RESEARCH,
        sectors=[sector("C29")], description_de="",
        description_en="Battery systems research for electric vehicles.",
    )  # fmt: skip
    partner = OrganisationFactory(name="Zell Chemie AG", sectors=[sector("C20")])
    MembershipFactory(cluster=cluster, organisation=partner)
    ClusterRoleFactory(
        user__email="sme@example.org", cluster=cluster,
        role=ClusterRole.Role.MEMBER_ORG_ADMIN, organisation=sme,
    )  # fmt: skip
    ClusterRoleFactory(
        user__email="partner@example.org", cluster=cluster,
        role=ClusterRole.Role.MEMBER_USER, organisation=partner,
    )  # fmt: skip
    ClusterRoleFactory(user__email="office@example.org", cluster=cluster)

    # The SME publishes a German request and sees explained suggestions (also from France)
    login(page, live_server, "sme@example.org")
    page.goto(f"{live_server.url}/marketplace/")
    page.get_by_role("link", name="Neuer Eintrag").click()
    page.locator("#id_kind").select_option("rd_partner")
    page.locator("#id_title").fill("Partner für Batteriesysteme gesucht")
    page.get_by_label("Beschreibung").fill(
        "Batteriesysteme (battery systems) für Elektrofahrzeuge."
    )
    # The searchable multi-select: filter, then tick the sector
    page.get_by_role("searchbox", name="Branchen").fill("C29")
    page.get_by_role("checkbox", name="C29 " + sector("C29").name_de).check()
    page.get_by_label("Sichtbarkeit").select_option("anonymous")
    page.get_by_label("Vermittelnder Cluster").select_option(label="Cluster Mobilität")
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url("**/marketplace/*/")
    assert page.get_by_role("heading", name="Partnervorschläge").is_visible()
    suggestions_text = page.locator("section[aria-labelledby=suggested]").inner_text()
    assert "Batteries Lyon SAS" in suggestions_text and "Gleiche Branche" in suggestions_text
    posting_url = page.url

    # Another member expresses interest without seeing who posted
    login(page, live_server, "partner@example.org")
    page.goto(posting_url)
    assert "Akku Technik GmbH" not in page.content()
    page.get_by_label("Nachricht").fill("Wir bringen Zellchemie ein.")
    page.get_by_role("button", name="Interessenbekundung senden").click()
    assert page.get_by_text("Ihr Interesse wurde übermittelt").is_visible()

    # The cluster office sees both sides and introduces them
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}/marketplace/interests/")
    assert "Zu vermitteln" in page.content()
    page.get_by_role("button", name="Vermitteln Zell Chemie AG").click()
    assert page.get_by_text("Die Vermittlung ist erfolgt").is_visible()

    # The SME is notified (unread count in the header) and learns who is interested
    login(page, live_server, "sme@example.org")
    page.goto(f"{live_server.url}/notifications/")
    assert "Zell Chemie AG" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Benachrichtigungen 1 ungelesen").is_visible()
