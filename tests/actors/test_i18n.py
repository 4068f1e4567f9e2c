import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_german_is_default(client):
    body = client.get("/").content.decode()
    assert '<html lang="de">' in body
    assert "Verzeichnis" in body


def test_english_under_prefix(client):
    body = client.get("/en/").content.decode()
    assert '<html lang="en">' in body
    assert "Directory" in body


def test_language_switch_keeps_the_page(client):
    org = OrganisationFactory(description_de="Nur Deutsch", description_en="English text")
    response = client.post(
        reverse("set_language"), {"language": "en", "next": org.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/organisations/{org.slug}/"
    body = client.get(response["Location"]).content.decode()
    assert "English text" in body
    assert "About" in body

    response = client.post(
        reverse("set_language"), {"language": "de", "next": f"/en/organisations/{org.slug}/"}
    )
    assert response["Location"] == f"/organisations/{org.slug}/"
    assert "Nur Deutsch" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_pages_have_landmarks_and_labels(client, prefix):
    body = client.get(f"{prefix}/organisations/").content.decode()
    for marker in ["<header", "<nav", '<main id="main"', "<footer", 'class="skip-link"']:
        assert marker in body
    assert '<label for="id_q">' in body
    assert '<label for="id_helix">' in body


def test_no_external_assets(client):
    body = client.get("/").content.decode()
    for tag in ['src="http', 'href="http://', "https://fonts", "cdn"]:
        assert tag not in body.replace('href="https://www.', "")
