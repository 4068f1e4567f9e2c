import pytest

from tests.factories import DEFAULT_PASSWORD, ClusterRoleFactory, OrganisationFactory, sector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directory_live_search_and_language_switch(live_server, page):
    OrganisationFactory(name="Robotik Werk GmbH", sectors=[sector("C28")])
    OrganisationFactory(
        name="Hochschule Wasserstoff", helix_type="research", description_en="Hydrogen research"
    )
    page.goto(f"{live_server.url}/organisations/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_label("Suche").fill("robot")
    page.wait_for_function(
        "!document.querySelector('#results').textContent.includes('Wasserstoff')"
    )
    assert "Robotik Werk GmbH" in page.locator("#results").inner_text()
    assert "robot" in page.url  # filters are kept in the address for sharing

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/organisations/**")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Ecosystem directory").is_visible()
    assert "Robotik Werk GmbH" in page.locator("#results").inner_text()


def test_manager_logs_in_and_edits_cluster_with_keyboard(live_server, page):
    role = ClusterRoleFactory(user__email="clara@example.org")
    cluster = role.cluster
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill("clara@example.org")
    page.get_by_label("Passwort").fill(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/clusters/{cluster.slug}/edit/")
    page.get_by_label("Innovationsfeld").fill("Wasserstoffwirtschaft")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"{live_server.url}/clusters/{cluster.slug}/")
    assert "Wasserstoffwirtschaft" in page.content()
