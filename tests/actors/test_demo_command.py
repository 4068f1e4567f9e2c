import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from actors.models import Cluster, ClusterRole, Membership, Organisation, Person

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_consistent_ecosystem():
    call_command("seed_demo", clusters=3, organisations=150, seed=7)
    assert Cluster.objects.count() == 3
    assert Organisation.objects.count() == 150
    assert set(Organisation.objects.values_list("helix_type", flat=True)) == {
        "business", "research", "public", "civil",
    }  # fmt: skip
    assert Organisation.objects.exclude(region__code__startswith="DE").exists()
    assert not Organisation.objects.filter(search_document="").exists()
    assert Organisation.objects.filter(sectors__isnull=True).count() == 0
    assert Membership.objects.count() > 100
    assert Person.objects.count() >= 150
    for cluster in Cluster.objects.all():
        assert cluster.managing_organisation is not None
        assert cluster.memberships.exists()
    manager = User.objects.get(email="manager@openregion.example")
    assert ClusterRole.objects.filter(user=manager, role="manager").exists()
    assert manager.check_password("openregion-demo")

    call_command("seed_demo")  # second run changes nothing
    assert Organisation.objects.count() == 150


def test_seed_demo_is_deterministic():
    with transaction.atomic():
        call_command("seed_demo", clusters=2, organisations=60, seed=3)
        first = list(Organisation.objects.order_by("slug").values_list("slug", flat=True))
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()
    call_command("seed_demo", clusters=2, organisations=60, seed=3)
    assert list(Organisation.objects.order_by("slug").values_list("slug", flat=True)) == first
