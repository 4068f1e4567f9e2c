import pytest
from django.apps import apps

from accounts.models import User
from actors.models import ClusterRole, Membership
from services.models import Answer, Booking, Feedback, Service, StatusChange, Survey
from tests.factories import ClusterFactory, ClusterRoleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_catalogue_library_and_annual_survey(client):
    clusters = [ClusterFactory() for _ in range(3)]
    for _ in range(4):
        MembershipFactory(cluster=clusters[0])
    manager = UserFactory(email="manager@openregion.example")
    ClusterRoleFactory(user=manager, cluster=clusters[0], role=ClusterRole.Role.MANAGER)
    member = UserFactory(email="member@openregion.example")
    ClusterRoleFactory(
        user=member,
        cluster=clusters[0],
        role=ClusterRole.Role.MEMBER_USER,
        organisation=Membership.objects.filter(cluster=clusters[0]).first().organisation,
    )
    apps.get_app_config("services").seed_demo(stdout=None, scale=False)

    first = Service.objects.filter(cluster=clusters[0])
    assert first.count() >= 8 and {s.cluster_id for s in Service.objects.all()} >= {
        c.pk for c in clusters
    }
    assert len(set(first.values_list("status", flat=True))) >= 6
    assert StatusChange.objects.filter(to_status="authorised").exclude(authorised_by="").exists()
    assert Service.objects.filter(is_shared=True).exclude(cluster=clusters[0]).exists()
    assert first.filter(adopted_from__isnull=False).exists()
    ratings = Feedback.objects.filter(service__cluster=clusters[0])
    span = (
        ratings.order_by("rated_at").first().rated_at,
        ratings.order_by("rated_at").last().rated_at,
    )
    assert (span[1] - span[0]).days > 540 and ratings.count() > 50
    assert Booking.objects.filter(user=member).exists()
    annual = Survey.objects.get(kind=Survey.Kind.ANNUAL)
    assert annual.cluster == clusters[0] and 45 <= annual.responses.count() <= 60
    assert Answer.objects.filter(service_idea__isnull=False).exists()

    client.force_login(manager)
    assert client.get(f"/services/surveys/{annual.pk}/results/").status_code == 200
    assert client.get(f"/services/?cluster={clusters[0].slug}").status_code == 200
    count = Service.objects.count()
    apps.get_app_config("services").seed_demo(stdout=None, scale=False)  # idempotent
    assert Service.objects.count() == count
    assert User.objects.filter(email__startswith="mitglied").count() == 80


def test_seed_demo_without_clusters_does_nothing():
    apps.get_app_config("services").seed_demo(stdout=None, scale=False)
    assert not Service.objects.exists()
