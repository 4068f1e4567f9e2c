import pytest

from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, sector

pytestmark = pytest.mark.django_db


def test_organisations_endpoint_filters(client):
    cluster = ClusterFactory()
    org = OrganisationFactory(name="Api Robotik GmbH", sectors=[sector("C28")])
    OrganisationFactory(name="Andere GmbH", description_de="Holz", description_en="Timber")
    MembershipFactory(cluster=cluster, organisation=org)
    data = client.get("/api/actors/organisations", {"q": "robotik"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["slug"] == org.slug
    assert item["sectors"][0]["code"] == "C28"
    assert item["clusters"][0]["slug"] == cluster.slug
    assert client.get("/api/actors/organisations", {"cluster": "nope"}).json()["count"] == 0
    assert client.get(f"/api/actors/organisations/{org.slug}").json()["name"] == "Api Robotik GmbH"


def test_cluster_endpoints(client):
    membership = MembershipFactory()
    data = client.get("/api/actors/clusters").json()
    assert data["items"][0]["member_count"] == 1
    slug = membership.cluster.slug
    members = client.get(f"/api/actors/clusters/{slug}/memberships").json()
    assert members["items"][0]["organisation"] == membership.organisation.slug
    assert client.get("/api/actors/clusters/unknown").status_code == 404


def test_reference_endpoints_and_schema(client):
    assert len(client.get("/api/actors/sectors").json()) == 109
    assert any(r["code"] == "DEA4" for r in client.get("/api/actors/regions").json())
    schema = client.get("/api/openapi.json").json()
    assert "/api/actors/organisations" in schema["paths"]
