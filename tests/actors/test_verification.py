"""Issue 9: organisations registered by users themselves are unverified until the office of a cluster
they are an active member of, or a platform admin, verifies them (rule actors.verify_organisation)."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actors import services
from actors.models import ClusterRole, Membership, Organisation, Person
from notifications.models import Notification
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    region,
)

pytestmark = pytest.mark.django_db

BADGE = "badge-unverified"


def _new_organisation_data(name="Selbst Registriert GmbH"):
    return {
        "name": name,
        "helix_type": "business",
        "region": region("DEA4").pk,
        "city": "Bielefeld",
        "description_de": "Neu hier.",
        "description_en": "",
    }


@pytest.fixture
def self_registered(client_for):
    """An organisation registered through the form by its own (confirmed) user."""
    founder = UserFactory(full_name="Frieda Gründerin")
    response = client_for(founder).post(
        reverse("actors:organisation_create"), _new_organisation_data()
    )
    assert response.status_code == 302
    return Organisation.objects.get(name="Selbst Registriert GmbH"), founder


def test_self_registered_organisation_is_unverified_and_shows_the_badge(
    client_for, self_registered
):
    org, founder = self_registered
    assert org.verified_at is None and org.verified_by is None
    visitor = client_for(None)
    assert BADGE in visitor.get(org.get_absolute_url()).content.decode()
    directory = visitor.get(reverse("actors:organisation_list"), {"q": "Selbst Registriert"})
    assert BADGE in directory.content.decode()
    # its own admin cannot verify it
    response = client_for(founder).post(reverse("actors:organisation_verify", args=[org.slug]))
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.verified_at is None


def test_organisation_created_by_a_platform_admin_is_verified(client_for):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client_for(admin).post(reverse("actors:organisation_create"), _new_organisation_data("Amt X"))
    org = Organisation.objects.get(name="Amt X")
    assert org.verified_at is not None and org.verified_by == admin
    assert BADGE not in client_for(None).get(org.get_absolute_url()).content.decode()


def test_office_of_a_cluster_it_actively_belongs_to_verifies_it(
    client_for, self_registered, django_capture_on_commit_callbacks
):
    org, founder = self_registered
    cluster = ClusterFactory()
    MembershipFactory(cluster=cluster, organisation=org)
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    c = client_for(manager)
    page = c.get(org.get_absolute_url()).content.decode()
    assert reverse("actors:organisation_verify", args=[org.slug]) in page  # the button is shown
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("actors:organisation_verify", args=[org.slug]),
            {"next": cluster.get_absolute_url()},
        )
    assert response.status_code == 302 and response["Location"] == cluster.get_absolute_url()
    org.refresh_from_db()
    assert org.verified_at is not None and org.verified_by == manager
    assert BADGE not in c.get(org.get_absolute_url()).content.decode()
    # the organisation's admin is told
    assert Notification.objects.filter(recipient=founder, link=org.get_absolute_url()).exists()
    # verifying again changes nothing and is not offered any more
    first = org.verified_at
    c.post(reverse("actors:organisation_verify", args=[org.slug]))
    org.refresh_from_db()
    assert org.verified_at == first
    page = c.get(org.get_absolute_url()).content.decode()
    assert reverse("actors:organisation_verify", args=[org.slug]) not in page


@pytest.mark.parametrize("status", [Membership.Status.APPLIED, Membership.Status.ENDED, None])
def test_other_offices_and_pending_applications_give_no_right_to_verify(
    client_for, self_registered, status
):
    org, _founder = self_registered
    cluster = ClusterFactory()
    if status is not None:
        Membership.objects.create(cluster=cluster, organisation=org, status=status)
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    response = client_for(manager).post(reverse("actors:organisation_verify", args=[org.slug]))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.verify_organisation(manager, org)
    org.refresh_from_db()
    assert org.verified_at is None


def test_members_and_visitors_cannot_verify(client_for, self_registered):
    org, _founder = self_registered
    cluster = ClusterFactory()
    MembershipFactory(cluster=cluster, organisation=org)
    colleague = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=org
    ).user
    url = reverse("actors:organisation_verify", args=[org.slug])
    assert client_for(colleague).post(url).status_code == 403
    response = client_for(None).post(url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client_for(colleague).get(url).status_code == 405
    org.refresh_from_db()
    assert org.verified_at is None


def test_platform_admin_verifies_an_organisation_outside_every_cluster(client_for):
    org = OrganisationFactory()
    admin = UserFactory(is_superuser=True)
    client_for(admin).post(reverse("actors:organisation_verify", args=[org.slug]))
    org.refresh_from_db()
    assert org.verified_by == admin


def test_the_office_sees_the_badge_on_applications(client_for):
    cluster = ClusterFactory()
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    applicant = OrganisationFactory(name="Bewerber Neu GmbH")
    admin = UserFactory()
    Person.objects.create(organisation=applicant, user=admin, full_name="A", is_admin=True)
    services.apply_for_membership(admin, cluster, applicant, "Bitte aufnehmen")
    page = client_for(manager).get(reverse("actors:cluster_manage", args=[cluster.slug]))
    body = page.content.decode()
    assert "Bewerber Neu GmbH" in body and BADGE in body


def test_existing_rows_are_verified_by_the_data_migration():
    org = OrganisationFactory()
    assert org.verified_at is None
    migration = importlib.import_module("actors.migrations.0004_organisation_verification")
    migration.verify_existing(apps, None)
    org.refresh_from_db()
    assert org.verified_at is not None


def test_demo_organisations_are_verified():
    from django.core.management import call_command

    call_command("seed_demo", clusters=2, organisations=40, seed=5)
    assert Organisation.objects.count() == 40
    assert not Organisation.objects.filter(verified_at__isnull=True).exists()
