"""The demo: a German SME's request shows relevant partners, including non-German ones."""

import pytest
from django.apps import apps

from accounts.models import User
from actors.demo import DemoBuilder
from matching import suggestions
from matching.models import Interest, OrganisationEmbedding, Posting
from matching.services import user_organisations

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_postings_embeddings_and_a_german_request_with_foreign_partners(
    settings,
):
    settings.OPENREGION_TEXT_ENCODER = "use"
    suggestions.clear_cache()
    DemoBuilder(clusters=1, organisations=300).build()  # see report: >1 cluster
    apps.get_app_config("matching").seed_demo(stdout=None, scale=False)
    assert Posting.objects.count() >= 10
    assert OrganisationEmbedding.objects.count() == 300
    request = Posting.objects.get(title__startswith="Partner für Batteriesysteme")
    assert Interest.objects.filter(posting=request, status="pending").exists()
    matches = suggestions.partners_for_posting(request, k=10)
    assert all(m.explanation for m in matches)
    foreign = [m for m in matches if not m.object.region.code.startswith("DE")]
    assert foreign, [m.object.name for m in matches]
    assert any("Ähnliche Themen" in line for m in foreign for line in m.explanation)
    assert request.organisation.is_sme and request.organisation.region.code.startswith("DE")
    orgadmin = User.objects.get(email="orgadmin@openregion.example")
    assert request in Posting.objects.filter(organisation__in=user_organisations(orgadmin))
    # seeding twice adds nothing
    apps.get_app_config("matching").seed_demo(stdout=None, scale=False)
    assert Posting.objects.filter(title__startswith="Partner für Batteriesysteme").count() == 1
