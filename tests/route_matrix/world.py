"""The world every matrix cell runs in: two clusters, their offices, member organisations, and one
user per role. App tables add their own objects in ``build(world)``."""

from types import SimpleNamespace

from actors.models import ClusterRole, HelixType, Person
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

Role = ClusterRole.Role


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.org_manager_a = OrganisationFactory(
        name="Matrix Clusterbüro A GmbH", helix_type=HelixType.PUBLIC, is_sme=False
    )
    w.org_manager_b = OrganisationFactory(
        name="Matrix Clusterbüro B GmbH", helix_type=HelixType.PUBLIC, is_sme=False
    )
    w.cluster_a = ClusterFactory(name="Matrix Cluster A", managing_organisation=w.org_manager_a)
    w.cluster_b = ClusterFactory(name="Matrix Cluster B", managing_organisation=w.org_manager_b)
    w.org_a = OrganisationFactory(name="Matrix Mitglied A GmbH")
    w.org_b = OrganisationFactory(name="Matrix Mitglied B GmbH", city="Dortmund")
    w.outsider_org = OrganisationFactory(name="Matrix Außenstehend GmbH", city="Chemnitz")
    MembershipFactory(cluster=w.cluster_a, organisation=w.org_manager_a)
    MembershipFactory(cluster=w.cluster_b, organisation=w.org_manager_b)
    MembershipFactory(cluster=w.cluster_a, organisation=w.org_a)
    MembershipFactory(cluster=w.cluster_b, organisation=w.org_b)

    users = {"anonymous": None}
    users["unconfirmed"] = UserFactory(full_name="Una Unbestätigt", email_confirmed=False)
    users["member"] = UserFactory(full_name="Mia Mitglied")
    users["org_admin"] = UserFactory(full_name="Otto Orgadmin")
    users["manager_a"] = UserFactory(full_name="Mona Managerin A")
    users["manager_b"] = UserFactory(full_name="Max Manager B")
    users["revoked_manager"] = UserFactory(full_name="Rita Ehemals")
    users["juror"] = UserFactory(full_name="Jana Jurorin")
    users["platform_admin"] = UserFactory(
        full_name="Paul Plattform", is_superuser=True, is_staff=True
    )
    w.users = users

    ClusterRoleFactory(
        user=users["member"], cluster=w.cluster_a, role=Role.MEMBER_USER, organisation=w.org_a
    )
    ClusterRoleFactory(
        user=users["org_admin"],
        cluster=w.cluster_a,
        role=Role.MEMBER_ORG_ADMIN,
        organisation=w.org_a,
    )
    ClusterRoleFactory(user=users["manager_a"], cluster=w.cluster_a, role=Role.MANAGER)
    ClusterRoleFactory(user=users["manager_b"], cluster=w.cluster_b, role=Role.MANAGER)
    # The revoked manager held the role once; it has been taken away.
    ClusterRoleFactory(
        user=users["revoked_manager"], cluster=w.cluster_a, role=Role.MANAGER
    ).delete()

    Person.objects.create(
        organisation=w.org_a, user=users["member"], full_name="Mia Mitglied", is_public=True
    )
    Person.objects.create(
        organisation=w.org_a,
        user=users["org_admin"],
        full_name="Otto Orgadmin",
        is_admin=True,
        is_public=True,
    )
    w.hidden_contact = Person.objects.create(
        organisation=w.org_a,
        full_name="Hanna Verborgen",
        email="hanna@matrix-a.example",
        is_public=False,
    )
    Person.objects.create(
        organisation=w.org_manager_a, user=users["manager_a"], full_name="Mona Managerin A"
    )
    Person.objects.create(
        organisation=w.org_manager_b, user=users["manager_b"], full_name="Max Manager B"
    )
    Person.objects.create(
        organisation=w.org_manager_a, user=users["revoked_manager"], full_name="Rita Ehemals"
    )
    return w
