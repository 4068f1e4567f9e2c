import pytest
from django.apps import apps
from django.db.models import F

from ideas.models import Call, Idea, Phase, Vote
from tests.factories import ClusterFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_running_call_with_hundreds_of_ideas_and_thousands_of_votes(client):
    office = OrganisationFactory(name="Clusteragentur")
    ClusterFactory(managing_organisation=office)
    UserFactory(email="manager@openregion.example")
    apps.get_app_config("ideas").seed_demo(stdout=None, scale=False)
    call = Call.objects.get()
    assert call.current_phase == Phase.VOTING and call.organiser == office
    assert call.questions.count() == 5 and call.criteria.count() == 4
    published = call.ideas.filter(status=Idea.Status.PUBLISHED)
    assert published.count() >= 250
    assert Vote.objects.filter(call=call).count() >= 4000
    for idea in published.order_by("-vote_count")[:20]:
        assert idea.vote_count == idea.votes.count()
    assert not Vote.objects.filter(idea__author=F("voter")).exists()
    assert set(call.jury.values_list("helix_type", flat=True)) == {"business", "research", "public"}
    assert client.get(f"/calls/{call.slug}/ideas/").status_code == 200
    apps.get_app_config("ideas").seed_demo(stdout=None, scale=False)  # idempotent
    assert Call.objects.count() == 1


def test_demo_ideas_have_distinct_titles_and_jurors_a_known_organisation(client_for):
    from ideas import services

    office = OrganisationFactory(name="Clusteragentur")
    ClusterFactory(managing_organisation=office)
    for helix in ("business", "research", "public"):
        OrganisationFactory(helix_type=helix)
    UserFactory(email="manager@openregion.example")
    apps.get_app_config("ideas").seed_demo(stdout=None, scale=False)
    call = Call.objects.get()
    titles = list(call.ideas.values_list("title", flat=True))
    assert len(titles) == 300
    assert len(set(titles)) == 300
    assert not any(title.rstrip().endswith(")") for title in titles)  # no "(17)" counters
    # each demo juror's helix group follows from their organisation, so adding them to another
    # call needs no hand-picked group
    for member in call.jury.select_related("user"):
        helix, organisation = services.helix_of_user(member.user)
        assert helix == member.helix_type and organisation == member.organisation


def test_idea_titles_scale_to_the_large_demo():
    import random

    from ideas.demo import idea_titles

    titles = idea_titles(random.Random(1), 1000)
    assert len(set(titles)) == 1000
