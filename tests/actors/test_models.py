import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from actors.models import ClusterRole, Collaboration, Competence, NaceSector, NutsRegion
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_with_real_codes():
    assert NaceSector.objects.filter(level=1).count() == 21
    assert NaceSector.objects.filter(level=2).count() == 88
    machinery = NaceSector.objects.get(code="C28")
    assert machinery.parent.code == "C"
    assert NutsRegion.objects.get(code="DEA4").parent.code == "DEA"
    assert NutsRegion.objects.filter(code__startswith="DE", level=2).count() == 38
    assert Competence.objects.count() > 30


def test_multilingual_description_follows_language_with_fallback():
    org = OrganisationFactory(description_de="Deutsch", description_en="")
    with translation.override("en"):
        assert org.description == "Deutsch"
    org.description_en = "English"
    with translation.override("en"):
        assert org.description == "English"
    with translation.override("de"):
        assert org.description == "Deutsch"


def test_slugs_are_unique():
    a = OrganisationFactory(name="Gleich GmbH", slug="")
    b = OrganisationFactory(name="Gleich GmbH", slug="")
    assert a.slug != b.slug


def test_search_document_is_normalised_and_covers_sectors():
    org = OrganisationFactory(
        name="Müller Präzision GmbH", sectors=[NaceSector.objects.get(code="C28")]
    )
    org.refresh_search_document()
    assert " mueller " in org.search_document
    assert "maschinenbau" in org.search_document


def test_membership_is_unique_per_cluster():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cluster=membership.cluster, organisation=membership.organisation)


def test_member_roles_require_an_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterRole.objects.create(
            user=UserFactory(), cluster=ClusterFactory(), role=ClusterRole.Role.MEMBER_USER
        )


def test_collaboration_needs_two_different_organisations():
    org = OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Collaboration.objects.create(organisation_a=org, organisation_b=org)


def test_cluster_strategy_goals_are_lines():
    cluster = ClusterFactory(strategy_goals_de="Eins\n\n Zwei ")
    assert cluster.strategy_goals == ["Eins", "Zwei"]
