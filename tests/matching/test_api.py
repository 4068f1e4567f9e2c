import pytest

from matching import suggestions
from matching.models import Interest, Posting, Visibility
from tests.factories import OrganisationFactory, sector

from .factories import PostingFactory

pytestmark = pytest.mark.django_db


def test_list_and_detail_hide_anonymous_organisations(client, cluster):
    PostingFactory(title="Offen", organisation=OrganisationFactory(name="Offen GmbH"))
    anonymous = PostingFactory(
        title="Anonym", visibility=Visibility.ANONYMOUS, cluster=cluster,
        organisation=OrganisationFactory(name="Geheim GmbH"),
    )  # fmt: skip
    PostingFactory(title="Nur Cluster", visibility=Visibility.CLUSTER, cluster=cluster)
    data = client.get("/api/marketplace/postings").json()
    titles = {item["title"]: item for item in data["items"]}
    assert set(titles) == {"Offen", "Anonym"}
    assert titles["Offen"]["organisation"]["name"] == "Offen GmbH"
    assert titles["Anonym"]["organisation"] is None
    detail = client.get(f"/api/marketplace/postings/{anonymous.pk}").json()
    assert detail["organisation"] is None and detail["cluster"] == cluster.slug
    assert client.get("/api/marketplace/postings", {"q": "Offen"}).json()["count"] == 1


def test_suggestion_endpoints(client):
    org = OrganisationFactory(name="Robotik A", sectors=[sector("C28")])
    OrganisationFactory(name="Robotik B", sectors=[sector("C28")])
    suggestions.embed_organisations()
    posting = PostingFactory(organisation=org, sectors=[sector("C28")])
    data = client.get(f"/api/marketplace/postings/{posting.pk}/suggestions?limit=3").json()
    assert data[0]["name"] == "Robotik B" and data[0]["explanation"]
    data = client.get(f"/api/marketplace/organisations/{org.slug}/suggestions").json()
    assert data[0]["name"] == "Robotik B"
    assert any(line.startswith("Gleiche Branche") for line in data[0]["explanation"])


def test_create_posting_and_interest_need_login_and_membership(client_for, users, member_org):
    payload = {
        "organisation": member_org.slug,
        "kind": "tech_offer",
        "title": "API offer",
        "description": "Laser optics",
        "sectors": ["C26"],
        "regions_sought": ["FR"],
    }
    assert (
        client_for(None)
        .post("/api/marketplace/postings", payload, content_type="application/json")
        .status_code
        == 401
    )
    response = client_for(users["outsider"]).post(
        "/api/marketplace/postings", payload, content_type="application/json"
    )
    assert response.status_code == 403
    client = client_for(users["org_admin"])
    response = client.post("/api/marketplace/postings", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    posting = Posting.objects.get(title="API offer")
    assert response.json()["sectors"] == ["C26"] and response.json()["regions_sought"] == ["FR"]
    bad = client.post(
        "/api/marketplace/postings", {**payload, "visibility": "cluster"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 422
    other = OrganisationFactory()
    from tests.factories import PersonFactory

    PersonFactory(organisation=other, user=users["outsider"])
    outsider = client_for(users["outsider"])
    url = f"/api/marketplace/postings/{posting.pk}/interests"
    body = {"organisation": other.slug, "message": "Interessiert"}
    first = outsider.post(url, body, content_type="application/json")
    assert first.status_code == 201
    # the same submission again (a double submit) answers the first one
    again = outsider.post(url, body, content_type="application/json")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    other_message = {**body, "message": "Noch einmal, anders"}
    assert outsider.post(url, other_message, content_type="application/json").status_code == 409
    assert Interest.objects.filter(posting=posting, organisation=other).count() == 1


def test_openapi_lists_marketplace_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/marketplace/postings" in paths
    assert "/api/marketplace/postings/{posting_id}/suggestions" in paths
    assert "/api/marketplace/organisations/{slug}/suggestions" in paths
