"""Issue 8: anonymous postings must not be re-identified through filters, the API or suggestions.

The attack of the probe: ``?country=DE``, ``DEA``, ``DEA4`` … narrowed the region of every anonymous
posting, two down to one organisation. The rule (matching/anonymity.py): to viewers who may not know
the organisation, an anonymous posting shows at most its country — only when at least k active
member organisations of its cluster are in that country — and filters and suggestions use only what
is shown.
"""

import pytest
from django.urls import reverse

from actors.models import Collaboration, NutsRegion
from matching import suggestions
from matching.models import Visibility
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    region,
    sector,
)

from .factories import PostingFactory

pytestmark = pytest.mark.django_db

# Ten anonymous postings from ten different regions: six German ones (so Germany has at least k=5
# member organisations in the cluster), two French, one Austrian, one Polish.
REGIONS = ["DEA4", "DEA1", "DE11", "DE21", "DE30", "DE60", "FR10", "FRK2", "AT13", "PL91"]
TEXT = "Wir suchen Partner für Roboterzellen und Automatisierung in der Montage."


@pytest.fixture
def anonymous_postings(settings):
    settings.OPENREGION_ANONYMITY_MIN_GROUP = 5
    cluster = ClusterFactory(name="Anonymitätscluster")
    postings = []
    for i, code in enumerate(REGIONS):
        org = OrganisationFactory(name=f"Verborgen {code} GmbH", region=region(code))
        MembershipFactory(cluster=cluster, organisation=org, status="active")
        postings.append(
            PostingFactory(
                organisation=org,
                cluster=cluster,
                visibility=Visibility.ANONYMOUS,
                title=f"Anonymes Gesuch {i}",
                description=TEXT,
                sectors=[sector("C28")],
            )
        )
    PostingFactory(title="Öffentliches Gesuch", description=TEXT, sectors=[sector("C28")])
    return postings


def _shown_country(posting):
    return (
        posting.organisation.region.code[:2] if posting.organisation.region.code[:2] == "DE" else ""
    )


def _attack_prefixes():
    prefixes = {code[:n] for code in REGIONS for n in range(1, len(code) + 1)}
    prefixes |= set(NutsRegion.objects.filter(level=0).values_list("code", flat=True))
    return sorted(prefixes)


def test_no_sequence_of_filters_narrows_an_anonymous_posting_below_its_shown_country(
    client, anonymous_postings
):
    outsider = UserFactory()
    client.force_login(outsider)
    anonymous_ids = {p.pk for p in anonymous_postings}
    signature = {pk: set() for pk in anonymous_ids}
    requests = [("country", p) for p in _attack_prefixes()]
    requests += [("sector", code) for code in ("C", "C2", "C28", "C26")]
    requests += [("helix_type", helix) for helix in ("business", "research", "public", "civil")]
    for name, value in requests:
        response = client.get("/api/marketplace/postings", {name: value, "page_size": 100})
        assert response.status_code == 200
        items = response.json()["items"]
        for item in items:
            if item["id"] in anonymous_ids:
                signature[item["id"]].add((name, value))
                # the API shows no more than the listing: no organisation, at most the country
                assert item["organisation"] is None
                assert item.get("country") in (None, "DE")
        returned = {item["id"] for item in items} & anonymous_ids
        if name == "country" and len(value) > 2:
            assert returned == set(), f"?country={value} narrowed anonymous postings"
    # postings that look alike on the page are returned by exactly the same requests
    by_shown = {}
    for posting in anonymous_postings:
        by_shown.setdefault(_shown_country(posting), set()).add(frozenset(signature[posting.pk]))
    assert all(len(signatures) == 1 for signatures in by_shown.values()), by_shown
    # Germany (six members) is shown and filterable; France (two), Austria, Poland are not
    assert ("country", "DE") in next(iter(by_shown["DE"]))
    assert not {r for r in next(iter(by_shown[""])) if r[0] == "country"}


def test_marketplace_page_country_filter_and_cards_show_only_the_k_anonymous_country(
    client, anonymous_postings
):
    url = reverse("matching:marketplace")
    html = client.get(url, {"country": "DE"}).content.decode()
    assert html.count("Anonymes Gesuch") == 6
    assert "Deutschland" in html  # the shown country on the cards
    for code in REGIONS:
        name = NutsRegion.objects.get(code=code).name
        assert name not in html and f"Verborgen {code}" not in html
    html = client.get(url, {"country": "FR"}).content.decode()
    assert "Anonymes Gesuch" not in html  # two French members: fewer than k
    html = client.get(url).content.decode()
    assert html.count("· Deutschland") == 6  # the cards of the German postings
    assert "· France" not in html and "· Österreich" not in html and "· Polska" not in html


def test_entitled_viewers_filter_their_own_anonymous_postings_precisely(client, anonymous_postings):
    posting = anonymous_postings[0]  # DEA4
    manager = ClusterRoleFactory(cluster=posting.cluster).user
    client.force_login(manager)
    data = client.get("/api/marketplace/postings", {"country": "DEA4"}).json()
    anonymous = [i for i in data["items"] if i["visibility"] == "anonymous"]
    assert [item["id"] for item in anonymous] == [posting.pk]
    assert anonymous[0]["organisation"]["name"] == "Verborgen DEA4 GmbH"


def test_k_is_a_setting(client, anonymous_postings, settings):
    settings.OPENREGION_ANONYMITY_MIN_GROUP = 7  # six German members are not enough any more
    data = client.get("/api/marketplace/postings", {"country": "DE", "page_size": 100}).json()
    assert not {i["id"] for i in data["items"]} & {p.pk for p in anonymous_postings}
    settings.OPENREGION_ANONYMITY_MIN_GROUP = 2  # two French members are enough
    data = client.get("/api/marketplace/postings", {"country": "FR", "page_size": 100}).json()
    assert len(data["items"]) == 2 and {i["country"] for i in data["items"]} == {"FR"}


@pytest.fixture
def twin_postings(settings):
    """Two anonymous postings with the same content in the same cluster, written by organisations
    in different German regions with different collaboration partners."""
    settings.OPENREGION_ANONYMITY_MIN_GROUP = 2
    cluster = ClusterFactory(name="Zwillingscluster")
    authors = []
    for code, partner_name in (("DEA4", "Partner Detmold AG"), ("DE21", "Partner Oberbayern AG")):
        author = OrganisationFactory(
            name=f"Autor {code} GmbH", region=region(code), sectors=[sector("C28")]
        )
        MembershipFactory(cluster=cluster, organisation=author, status="active")
        partner = OrganisationFactory(name=partner_name, region=region(code))
        Collaboration.objects.create(organisation_a=author, organisation_b=partner)
        # a partner of the partner: suggested through the collaboration graph
        friend = OrganisationFactory(
            name=f"Freund {code} GmbH", region=region(code), sectors=[sector("C28")]
        )
        Collaboration.objects.create(organisation_a=partner, organisation_b=friend)
        authors.append(author)
    for code in ("DEA1", "DE30", "FR10"):
        OrganisationFactory(
            name=f"Robotik {code} GmbH", region=region(code), sectors=[sector("C28")],
            description_de="Roboterzellen und Automatisierung für die Montage.",
        )  # fmt: skip
    suggestions.embed_organisations()
    twins = [
        PostingFactory(
            organisation=author,
            cluster=cluster,
            visibility=Visibility.ANONYMOUS,
            title="Zwilling",
            description=TEXT,
            sectors=[sector("C28")],
        )  # fmt: skip
        for author in authors
    ]
    return twins


def test_suggestions_for_an_anonymous_posting_depend_only_on_what_is_shown(client, twin_postings):
    first, second = twin_postings
    api = [
        client.get(f"/api/marketplace/postings/{p.pk}/suggestions", {"limit": 20}).json()
        for p in twin_postings
    ]
    assert api[0] and api[0] == api[1]  # the same shown facts give the same suggestions
    for item in api[0]:
        assert not item["name"].startswith("Autor")  # the cluster's members, authors included
        for line in item["explanation"]:
            assert "Gemeinsame Partner" not in line
            assert "Detmold" not in line and "Oberbayern" not in line
    pages = [client.get(p.get_absolute_url()).content.decode() for p in twin_postings]
    for page, posting in zip(pages, twin_postings, strict=True):
        assert posting.organisation.name not in page
    sections = [page.split('id="suggested"')[1].split("</section>")[0] for page in pages]
    assert "Gemeinsame Partner" not in sections[0] and sections[0] == sections[1]


def test_the_author_still_gets_full_suggestions(client, twin_postings):
    posting = twin_postings[0]
    author_user = UserFactory()
    from tests.factories import PersonFactory

    PersonFactory(organisation=posting.organisation, user=author_user)
    client.force_login(author_user)
    data = client.get(f"/api/marketplace/postings/{posting.pk}/suggestions", {"limit": 20}).json()
    names = [item["name"] for item in data]
    assert "Freund DEA4 GmbH" in names  # found through the author's own collaboration partner
    lines = [line for item in data for line in item["explanation"]]
    assert any("Gemeinsame Partner: Partner Detmold AG" in line for line in lines)


def test_partner_pages_do_not_single_out_the_author_of_an_anonymous_posting(client, twin_postings):
    """Leaving an organisation's anonymous posting out of its own "matching postings" would tell
    who wrote it: the author's page and a look-alike's page list the same postings."""
    author = twin_postings[0].organisation
    look_alike = OrganisationFactory(
        name="Doppelgänger GmbH", region=author.region, sectors=[sector("C28")],
        description_de=author.description_de, description_en=author.description_en,
    )  # fmt: skip
    suggestions.embed_organisations()

    def listed(org):
        html = client.get(reverse("matching:organisation_partners", args=[org.slug])).content
        return {p.pk for p in twin_postings if f'href="{p.get_absolute_url()}"' in html.decode()}

    assert listed(author) == listed(look_alike) == {p.pk for p in twin_postings}
