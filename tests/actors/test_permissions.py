"""Every role against every protected action of the actor registry."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from actors import permissions
from actors.models import ClusterRole, Membership
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "org_admin", "manager", "platform_admin"]


def _user(users, role):
    return users[role] or AnonymousUser()


@pytest.mark.parametrize(
    "role,expected",
    [("anonymous", False), ("outsider", False), ("member", False), ("org_admin", False),
     ("manager", True), ("platform_admin", True)],
)  # fmt: skip
def test_edit_cluster(users, cluster, role, expected):
    assert permissions.can_edit_cluster(_user(users, role), cluster) is expected


def test_manager_of_another_cluster_cannot_edit(users):
    assert not permissions.can_edit_cluster(users["manager"], ClusterFactory())


@pytest.mark.parametrize(
    "role,expected",
    [("anonymous", False), ("outsider", False), ("member", False), ("org_admin", True),
     ("manager", False), ("platform_admin", True)],
)  # fmt: skip
def test_edit_member_organisation(users, member_org, role, expected):
    assert permissions.can_edit_organisation(_user(users, role), member_org) is expected


def test_org_admin_cannot_edit_other_organisations(users, cluster):
    other = MembershipFactory(cluster=cluster).organisation
    assert not permissions.can_edit_organisation(users["org_admin"], other)
    # A cluster membership gives the cluster office no edit right (issue 8, takeover).
    assert not permissions.can_edit_organisation(users["manager"], other)


def test_manager_cannot_edit_organisations_outside_the_cluster(users):
    assert not permissions.can_edit_organisation(users["manager"], OrganisationFactory())


def test_manager_loses_contact_access_when_membership_ends(users, cluster, member_org):
    assert permissions.can_see_contact_details(users["manager"], member_org)
    Membership.objects.filter(cluster=cluster, organisation=member_org).update(status="ended")
    assert not permissions.can_see_contact_details(users["manager"], member_org)


@pytest.mark.parametrize(
    "role,expected",
    [("anonymous", False), ("outsider", False), ("member", True), ("org_admin", True),
     ("manager", True), ("platform_admin", True)],
)  # fmt: skip
def test_contact_details_visible_inside_cluster(users, cluster, role, expected):
    fellow = MembershipFactory(cluster=cluster).organisation
    assert permissions.can_see_contact_details(_user(users, role), fellow) is expected


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 302), ("outsider", 403), ("member", 403), ("org_admin", 200),
     ("manager", 403), ("platform_admin", 200)],
)  # fmt: skip
def test_organisation_edit_view(client_for, users, member_org, role, status):
    response = client_for(users[role]).get(
        reverse("actors:organisation_edit", args=[member_org.slug])
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 302), ("outsider", 403), ("member", 403), ("org_admin", 403),
     ("manager", 200), ("platform_admin", 200)],
)  # fmt: skip
def test_cluster_edit_and_manage_views(client_for, users, cluster, role, status):
    c = client_for(users[role])
    assert c.get(reverse("actors:cluster_edit", args=[cluster.slug])).status_code == status
    assert c.get(reverse("actors:cluster_manage", args=[cluster.slug])).status_code == status


@pytest.mark.parametrize("role,visible", [("outsider", False), ("member", True)])
def test_contact_email_shown_only_to_cluster_members(client_for, users, member_org, role, visible):
    PersonFactory(organisation=member_org, email="geheim@beispiel.example", is_public=True)
    body = client_for(users[role]).get(member_org.get_absolute_url()).content.decode()
    assert ("geheim@beispiel.example" in body) is visible


def test_non_public_people_hidden_from_outsiders(client_for, users, member_org):
    PersonFactory(organisation=member_org, full_name="Verena Verborgen", is_public=False)
    assert (
        "Verena Verborgen"
        not in client_for(users["outsider"]).get(member_org.get_absolute_url()).content.decode()
    )
    assert (
        "Verena Verborgen"
        in client_for(users["member"]).get(member_org.get_absolute_url()).content.decode()
    )


def test_org_admin_edits_profile(client_for, users, member_org):
    c = client_for(users["org_admin"])
    data = {
        "name": "Neu Benannt GmbH",
        "helix_type": "business",
        "is_sme": "on",
        "region": member_org.region_id,
        "city": "Gütersloh",
        "description_de": "Wasserstoff-Elektrolyseure",
        "description_en": "",
        "website": "",
        "employees": "",
        "founded": "",
    }
    response = c.post(reverse("actors:organisation_edit", args=[member_org.slug]), data)
    assert response.status_code == 302
    member_org.refresh_from_db()
    assert member_org.name == "Neu Benannt GmbH"
    assert "wasserstoff" in member_org.search_document


def test_organisation_form_rejects_bad_input_without_saving(client_for, users, member_org):
    c = client_for(users["org_admin"])
    response = c.post(
        reverse("actors:organisation_edit", args=[member_org.slug]),
        {"name": "", "helix_type": "nonsense", "region": "", "founded": "99999",
         "description_de": "", "description_en": "", "city": "Ort X"},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich" in body
    assert 'value="Ort X"' in body
    member_org.refresh_from_db()
    assert member_org.name != ""


def test_manager_invites_member_and_the_organisation_grants_roles(client_for, users, cluster):
    org = OrganisationFactory()
    org_admin = users["outsider"]
    PersonFactory(organisation=org, user=org_admin, is_admin=True)
    c = client_for(users["manager"])
    url = reverse("actors:cluster_manage", args=[cluster.slug])
    response = c.post(url, {"action": "invite", "organisation": org.slug})
    assert response.status_code == 302
    membership = Membership.objects.get(cluster=cluster, organisation=org)
    assert membership.status == "invited"

    client_for(org_admin).post(
        reverse("actors:membership_respond", args=[membership.pk]), {"decision": "accept"}
    )
    membership.refresh_from_db()
    assert membership.status == "active"

    colleague = UserFactory()
    response = client_for(org_admin).post(
        reverse("actors:organisation_roles", args=[org.slug]),
        {"action": "grant_role", "email": colleague.email, "role": "member_org_admin",
         "cluster": cluster.slug},
    )  # fmt: skip
    assert response.status_code == 302
    assert permissions.can_edit_organisation(colleague, org)

    c.post(reverse("actors:membership_end", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.status == "ended"
    assert not ClusterRole.objects.filter(user=colleague, organisation=org).exists()


def test_grant_role_form_errors(client_for, users, cluster):
    c = client_for(users["manager"])
    url = reverse("actors:cluster_manage", args=[cluster.slug])
    response = c.post(
        url, {"action": "grant_role", "email": "nobody@example.org", "role": "member_user"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kein Konto" in body
    assert "Mitgliedsorganisation" in body


def test_add_unknown_member_shows_error(client_for, users, cluster):
    c = client_for(users["manager"])
    url = reverse("actors:cluster_manage", args=[cluster.slug])
    response = c.post(url, {"action": "invite", "organisation": "gibt-es-nicht"})
    assert response.status_code == 200
    assert "Keine Organisation" in response.content.decode()


def test_logged_in_user_creates_organisation_and_may_edit_it(client_for, users):
    user = users["outsider"]
    c = client_for(user)
    from actors.models import NutsRegion, Organisation

    response = c.post(
        reverse("actors:organisation_create"),
        {"name": "Start-up Neu UG", "helix_type": "business", "region": NutsRegion.objects.get(code="DE30").pk,
         "city": "Berlin", "description_en": "Drones for farming", "description_de": ""},
    )  # fmt: skip
    assert response.status_code == 302
    org = Organisation.objects.get(name="Start-up Neu UG")
    assert permissions.can_edit_organisation(user, org)
    assert not permissions.can_edit_organisation(users["member"], org)
