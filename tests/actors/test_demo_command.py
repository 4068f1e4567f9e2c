import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from actors.demo import DemoBuilder
from actors.models import Cluster, ClusterRole, Membership, Organisation, Person
from actors.permissions import is_organisation_admin
from matching.rules import user_organisations

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


SIZE_WORDS_EN = {
    "micro": ("Micro-enterprise", "Very small"),
    "small": ("Small company", "Small "),
    "medium": ("Medium-sized",),
    "large": ("Large",),
}


def _size_class(employees):
    if employees < 10:
        return "micro"
    if employees < 50:
        return "small"
    if employees < 250:
        return "medium"
    return "large"


def test_demo_organisations_look_real():
    """Size words follow the head count (micro < 10, small < 50, medium < 250, large), names are
    distinct without "#2"/"#3" counters (at the size of `make demo`)."""
    DemoBuilder(clusters=5, organisations=1000, seed=2026).build()
    orgs = list(
        Organisation.objects.values("name", "employees", "description_en", "description_de")
    )
    names = [o["name"] for o in orgs]
    assert len(names) == len(set(names))
    assert not [n for n in names if "#" in n]
    wrong = []
    for org in orgs:
        size = _size_class(org["employees"])
        if not org["description_en"].startswith(SIZE_WORDS_EN[size]):
            wrong.append((org["employees"], org["description_en"][:40]))
        german = org["description_de"]
        if german.startswith(("Kleines", "Kleine ", "Kleinstunternehmen")) and size not in (
            "micro",
            "small",
        ):
            wrong.append((org["employees"], german[:40]))
    assert not wrong, wrong[:10]
    small_words = [o for o in orgs if o["description_en"].startswith("Small company")]
    assert small_words and all(o["employees"] < 50 for o in small_words)


def test_each_demo_account_works_for_one_organisation(settings):
    """Also after the marketplace demo (which used to make the org admin act for a second
    organisation): the org admin administers exactly one."""
    settings.OPENREGION_TEXT_ENCODER = "hashing"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    DemoBuilder(clusters=1, organisations=300).build()
    apps.get_app_config("matching").seed_demo(stdout=None, scale=False)
    org_admin = User.objects.get(email="orgadmin@openregion.example")
    administered = [o for o in Organisation.objects.all() if is_organisation_admin(org_admin, o)]
    assert len(administered) == 1
    for email in ("orgadmin@", "member@", "manager@"):
        user = User.objects.get(email=email + "openregion.example")
        assert user_organisations(user).count() == 1, email
