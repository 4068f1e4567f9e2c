import pytest
from django.urls import reverse

from actors.directory import DirectoryQuery, search_organisations
from actors.models import HelixType, Membership
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    region,
    sector,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecosystem():
    cluster = ClusterFactory(name="Cluster Energie")
    orgs = {
        "robot": OrganisationFactory(
            name="Robotik Werk GmbH", sectors=[sector("C28")], region=region("DEA4"),
            description_de="Roboterzellen für die Montage.", description_en="Robot cells.",
        ),
        "uni": OrganisationFactory(
            name="Hochschule Köln", helix_type=HelixType.RESEARCH, is_sme=False,
            sectors=[sector("M72")], region=region("DEA2"), city="Köln",
            description_de="Forschung zu Wasserstoff.", description_en="Hydrogen research.",
        ),
        "city": OrganisationFactory(
            name="Stadt Leipzig Wirtschaftsförderung", helix_type=HelixType.PUBLIC, is_sme=False,
            sectors=[sector("O84")], region=region("DED5"), city="Leipzig",
            description_de="Ansiedlung und Innovation.", description_en="",
        ),
        "paris": OrganisationFactory(
            name="Lumière Optics SAS", sectors=[sector("C26")], region=region("FR10"), city="Paris",
            description_de="", description_en="Laser optics for industry.",
        ),
    }  # fmt: skip
    MembershipFactory(cluster=cluster, organisation=orgs["uni"])
    MembershipFactory(cluster=cluster, organisation=orgs["city"], status=Membership.Status.ENDED)
    return cluster, orgs


def names(qs):
    return {o.name for o in qs}


def test_full_text_matches_word_starts_in_any_language(ecosystem):
    _, orgs = ecosystem
    assert names(search_organisations(DirectoryQuery(text="robot"))) == {"Robotik Werk GmbH"}
    assert names(search_organisations(DirectoryQuery(text="hydrogen"))) == {"Hochschule Köln"}
    assert names(search_organisations(DirectoryQuery(text="wasserstoff koeln"))) == {
        "Hochschule Köln"
    }
    assert names(search_organisations(DirectoryQuery(text="Köln"))) == {"Hochschule Köln"}
    assert names(search_organisations(DirectoryQuery(text="laser"))) == {"Lumière Optics SAS"}
    assert names(search_organisations(DirectoryQuery(text="lumiere"))) == {"Lumière Optics SAS"}
    # sector names are searchable too
    assert "Robotik Werk GmbH" in names(search_organisations(DirectoryQuery(text="Maschinenbau")))
    assert not search_organisations(DirectoryQuery(text="robot wasserstoff")).exists()


def test_filters(ecosystem):
    cluster, orgs = ecosystem
    assert names(search_organisations(DirectoryQuery(helix_type="research"))) == {"Hochschule Köln"}
    assert names(search_organisations(DirectoryQuery(region_code="DEA"))) == {
        "Robotik Werk GmbH",
        "Hochschule Köln",
    }
    assert names(search_organisations(DirectoryQuery(region_code="FR"))) == {"Lumière Optics SAS"}
    assert names(search_organisations(DirectoryQuery(sector_code="C"))) == {
        "Robotik Werk GmbH",
        "Lumière Optics SAS",
    }
    assert names(search_organisations(DirectoryQuery(sector_code="C28"))) == {"Robotik Werk GmbH"}
    # ended memberships do not count
    assert names(search_organisations(DirectoryQuery(cluster=cluster))) == {"Hochschule Köln"}
    assert names(search_organisations(DirectoryQuery(sme_only=True))) == {
        "Robotik Werk GmbH",
        "Lumière Optics SAS",
    }


def test_name_hits_rank_first():
    OrganisationFactory(name="Aaa Consult", description_de="Beratung zu Sensorik")
    OrganisationFactory(name="Sensorik Zentrum")
    result = list(search_organisations(DirectoryQuery(text="sensorik")))
    assert result[0].name == "Sensorik Zentrum"


def test_directory_page_filters_and_paginates(client, ecosystem):
    url = reverse("actors:organisation_list")
    response = client.get(url, {"q": "wasserstoff", "helix": "research"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hochschule Köln" in body
    assert "Robotik Werk" not in body
    assert "1 Organisation gefunden" in body


def test_directory_ignores_invalid_filter_values(client, ecosystem):
    response = client.get(reverse("actors:organisation_list"), {"helix": "aliens", "region": "XX9"})
    assert response.status_code == 200
    assert "Ungültige Auswahl" in response.content.decode()


def test_htmx_request_returns_only_results(client, ecosystem):
    response = client.get(
        reverse("actors:organisation_list"), {"q": "robot"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "Robotik Werk GmbH" in body


def test_directory_query_count_is_constant(client, django_assert_max_num_queries):
    cluster = ClusterFactory()
    for i in range(30):
        org = OrganisationFactory(name=f"Firma {i}", sectors=[sector("C28"), sector("J62")])
        MembershipFactory(cluster=cluster, organisation=org)
    url = reverse("actors:organisation_list")
    # form choices (sectors, regions, clusters) + count + page + 2 prefetches (+ session)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count('class="card"') == 25
    with django_assert_max_num_queries(8):
        client.get(url, {"q": "firma", "sector": "C", "cluster": cluster.slug, "page": 2})


def test_cluster_page_lists_members(client, ecosystem, django_assert_max_num_queries):
    cluster, orgs = ecosystem
    with django_assert_max_num_queries(14):
        response = client.get(cluster.get_absolute_url())
    body = response.content.decode()
    assert "Hochschule Köln" in body
    assert "Stadt Leipzig" not in body  # ended membership
    assert "Mehr Kooperation" in body


def test_cluster_list_and_query_count(client, django_assert_max_num_queries):
    for _ in range(12):
        MembershipFactory()
    with django_assert_max_num_queries(4):
        response = client.get(reverse("actors:cluster_list"))
    assert response.content.decode().count('class="card"') == 12


def test_organisation_profile_page(client, ecosystem):
    _, orgs = ecosystem
    response = client.get(orgs["uni"].get_absolute_url())
    body = response.content.decode()
    assert "Forschung zu Wasserstoff." in body
    assert "Cluster Energie" in body
    assert "M72" in body
