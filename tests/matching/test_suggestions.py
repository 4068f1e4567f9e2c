import pytest

from actors.models import Collaboration, HelixType
from matching import suggestions
from matching.models import OrganisationEmbedding, Posting
from tests.factories import OrganisationFactory, region, sector

from .factories import PostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecosystem():
    orgs = {
        "sme": OrganisationFactory(
            name="Wasserstoff Technik GmbH", sectors=[sector("D35")], region=region("DEA4"),
            description_de="Brennstoffzellen und Wasserstoff Speicher für Lastwagen.",
            description_en="Hydrogen fuel cells and storage for trucks.",
        ),
        "paris": OrganisationFactory(
            name="Institut Hydrogène Paris", helix_type=HelixType.RESEARCH, is_sme=False,
            sectors=[sector("D35")], region=region("FR10"), city="Paris", description_de="",
            description_en="Research on hydrogen fuel cells and hydrogen storage tanks.",
        ),
        "bakery": OrganisationFactory(
            name="Bäckerei Korn", sectors=[sector("C10")], region=region("DEA4"),
            description_de="Brot und Kuchen.", description_en="Bread and cakes.",
        ),
        "partner": OrganisationFactory(
            name="Logistik Nord GmbH", sectors=[sector("H49")], region=region("DEA4"),
            description_de="Lastwagen Logistik.", description_en="Truck logistics.",
        ),
        "friend": OrganisationFactory(
            name="Fuel Cell Trucks B.V.", sectors=[sector("C29")], region=region("NL41"),
            description_de="", description_en="Fuel cell trucks with hydrogen storage.",
        ),
    }  # fmt: skip
    Collaboration.objects.create(organisation_a=orgs["sme"], organisation_b=orgs["partner"])
    Collaboration.objects.create(organisation_a=orgs["partner"], organisation_b=orgs["friend"])
    suggestions.embed_organisations()
    return orgs


def test_embeddings_are_stored_once_and_recomputed_when_the_profile_changes(ecosystem):
    assert OrganisationEmbedding.objects.count() == 5
    assert suggestions.embed_organisations() == 0  # nothing changed
    paris = ecosystem["paris"]
    paris.description_en = "Bakery research"
    paris.save()
    assert suggestions.embed_organisations([paris.pk]) == 1


def test_partners_for_organisation_rank_and_explain(ecosystem):
    matches = suggestions.partners_for_organisation(ecosystem["sme"], k=4)
    names = [m.object.name for m in matches]
    assert "Wasserstoff Technik GmbH" not in names  # never itself
    assert "Logistik Nord GmbH" not in names  # already a partner
    assert names[0] == "Institut Hydrogène Paris"
    assert names[-1] == "Bäckerei Korn"
    paris = matches[0].explanation
    assert any(line.startswith("Gleiche Branche: D35") for line in paris)
    assert any("hydrog" in line for line in paris if line.startswith("Gemeinsame Begriffe"))
    assert any(line.startswith("Ergänzender Partnertyp: Research") for line in paris) or any(
        line.startswith("Ergänzender Partnertyp: Forschung") for line in paris
    )
    friend = next(m for m in matches if m.object.name == "Fuel Cell Trucks B.V.")
    assert "Gemeinsame Partner: Logistik Nord GmbH" in friend.explanation


def test_partners_for_posting_prefer_regions_sought(ecosystem):
    posting = PostingFactory(
        organisation=ecosystem["sme"], title="Partner für Wasserstoff Speicher",
        description="Hydrogen storage tanks for fuel cell trucks", sectors=[sector("D35")],
        regions_sought=[region("FR")],
    )  # fmt: skip
    matches = suggestions.partners_for_posting(posting, k=3)
    assert matches[0].object.name == "Institut Hydrogène Paris"
    assert any("Region, die Sie suchen" in line for line in matches[0].explanation)


def test_index_cache_is_rebuilt_when_data_changes(ecosystem, django_assert_max_num_queries):
    suggestions.partners_for_organisation(ecosystem["sme"])
    with django_assert_max_num_queries(12):  # cached index: no per-candidate queries
        suggestions.partners_for_organisation(ecosystem["sme"])
    newcomer = OrganisationFactory(
        name="Hydrogen Storage Lab", helix_type=HelixType.RESEARCH,
        description_en="Hydrogen storage and fuel cells for trucks.", sectors=[sector("D35")],
    )  # fmt: skip
    suggestions.embed_organisations([newcomer.pk])
    names = [m.object.name for m in suggestions.partners_for_organisation(ecosystem["sme"])]
    assert "Hydrogen Storage Lab" in names[:2]


def test_saving_an_organisation_or_posting_embeds_in_the_background(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        org = OrganisationFactory(name="Neue Firma GmbH")
    assert OrganisationEmbedding.objects.filter(organisation=org, model="hashing-v1").exists()
    from matching.tasks import embed_posting

    posting = PostingFactory(organisation=org)
    assert Posting.objects.get(pk=posting.pk).embedding is None
    embed_posting.call(posting.pk)
    posting.refresh_from_db()
    assert posting.embedding_model == "hashing-v1" and len(bytes(posting.embedding)) == 256 * 4


def test_matching_postings_complement_offers_and_requests(ecosystem):
    request = PostingFactory(
        organisation=ecosystem["sme"], kind="tech_request", title="Wasserstoff Speicher gesucht",
        description="hydrogen storage tanks", sectors=[sector("D35")],
    )  # fmt: skip
    offer = PostingFactory(
        organisation=ecosystem["paris"], kind="tech_offer", title="Hydrogen storage tanks",
        description="We offer hydrogen storage tanks", sectors=[sector("D35")],
    )  # fmt: skip
    other = PostingFactory(organisation=ecosystem["bakery"], kind="supplier")
    suggestions.embed_postings()
    visible = [request.pk, offer.pk, other.pk]
    related = suggestions.postings_for_posting(request, visible, k=5)
    assert related[0].object == offer
    assert "Passende Art von Eintrag: Technologieangebot" in related[0].explanation
    assert request not in [m.object for m in related]
    for_org = suggestions.postings_for_organisation(ecosystem["sme"], visible, k=5)
    assert for_org[0].object == offer
    assert suggestions.postings_for_organisation(ecosystem["sme"], [other.pk], k=5)[0].object == (
        other
    )
