"""Issue 8, organisation takeover: memberships need consent, and a cluster membership gives the cluster
office no right over an organisation (profile, contacts, admins). Every role change is announced to the
organisation's admins."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actors import services
from actors.models import ClusterRole, Membership, MembershipEvent, Person
from notifications.models import Notification
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Membership.Status


@pytest.fixture
def target(db):
    """An organisation outside every cluster, with its own admin and a hidden contact."""
    organisation = OrganisationFactory(name="Ziel Sensorik GmbH")
    admin = UserFactory(full_name="Alma Admin")
    Person.objects.create(
        organisation=organisation, user=admin, full_name="Alma Admin", is_admin=True
    )
    hidden = PersonFactory(
        organisation=organisation,
        full_name="Gerda Geheim",
        email="gerda@ziel.example",
        phone="+49 521 999",
        is_public=False,
    )
    return {"org": organisation, "admin": admin, "hidden": hidden}


def _invite(client, cluster, organisation, message="Willkommen"):
    return client.post(
        reverse("actors:cluster_manage", args=[cluster.slug]),
        {"action": "invite", "organisation": organisation.slug, "message": message},
    )


def _answer(client, membership, decision, url_name="actors:membership_respond"):
    return client.post(reverse(url_name, args=[membership.pk]), {"decision": decision})


def _edit_data(org, name="Übernommen GmbH"):
    return {
        "name": name,
        "helix_type": "business",
        "region": org.region_id,
        "city": "X",
        "description_de": "gekapert",
        "description_en": "",
    }


def test_manager_adding_an_outside_organisation_gains_nothing(client_for, users, cluster, target):
    org, hidden = target["org"], target["hidden"]
    c = client_for(users["manager"])
    response = _invite(c, cluster, org)
    assert response.status_code == 302

    membership = Membership.objects.get(cluster=cluster, organisation=org)
    assert membership.status == Status.INVITED  # not a member without its consent
    members = c.get(f"/api/actors/clusters/{cluster.slug}/memberships").json()["items"]
    assert org.slug not in [m["organisation"] for m in members if m["status"] == Status.ACTIVE]
    # no edit rights
    assert c.get(reverse("actors:organisation_edit", args=[org.slug])).status_code == 403
    assert (
        c.post(reverse("actors:organisation_edit", args=[org.slug]), _edit_data(org)).status_code
        == 403
    )
    org.refresh_from_db()
    assert org.name == "Ziel Sensorik GmbH"
    # hidden contacts stay hidden
    body = c.get(org.get_absolute_url()).content.decode()
    assert "Gerda Geheim" not in body and "gerda@ziel.example" not in body
    # cannot delete contacts
    delete_url = reverse("actors:person_delete", args=[org.slug, hidden.pk])
    assert c.post(delete_url).status_code == 403
    assert Person.objects.filter(pk=hidden.pk).exists()
    # cannot make anybody its admin
    response = c.post(
        reverse("actors:cluster_manage", args=[cluster.slug]),
        {"action": "grant_role", "email": users["outsider"].email,
         "role": "member_org_admin", "organisation": org.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert not ClusterRole.objects.filter(organisation=org).exists()
    with pytest.raises(PermissionDenied):
        services.grant_role(users["manager"], cluster, users["outsider"], "member_org_admin", org)
    assert c.get(reverse("actors:organisation_roles", args=[org.slug])).status_code == 403


def test_manager_of_an_active_member_still_cannot_edit_it(client_for, users, cluster, member_org):
    hidden = PersonFactory(organisation=member_org, full_name="Kurt Kontakt", is_public=False)
    c = client_for(users["manager"])
    assert c.get(reverse("actors:organisation_edit", args=[member_org.slug])).status_code == 403
    assert c.get(reverse("actors:person_add", args=[member_org.slug])).status_code == 403
    assert (
        c.post(reverse("actors:person_delete", args=[member_org.slug, hidden.pk])).status_code
        == 403
    )
    assert Person.objects.filter(pk=hidden.pk).exists()
    # contact details stay visible inside the cluster (the existing promise)
    assert "Kurt Kontakt" in c.get(member_org.get_absolute_url()).content.decode()
    # the office cannot grant or revoke the organisation's admin role
    response = c.post(
        reverse("actors:cluster_manage", args=[cluster.slug]),
        {"action": "grant_role", "email": users["outsider"].email,
         "role": "member_org_admin", "organisation": member_org.pk},
    )  # fmt: skip
    assert "Nur die Administratorinnen" in response.content.decode()
    assert not ClusterRole.objects.filter(user=users["outsider"]).exists()
    admin_role = ClusterRole.objects.get(role="member_org_admin", organisation=member_org)
    response = c.post(
        reverse("actors:cluster_manage", args=[cluster.slug]),
        {"action": "revoke_role", "role": admin_role.pk},
    )
    assert response.status_code == 403
    assert ClusterRole.objects.filter(pk=admin_role.pk).exists()


def test_org_admin_accepts_invitation_and_admins_are_notified(
    client_for, users, cluster, target, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    org, admin = target["org"], target["admin"]
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(users["manager"]), cluster, org, message="Kommen Sie zu uns")
    assert Notification.objects.filter(recipient=admin, params__cluster=cluster.name).exists()
    assert any(admin.email in m.to for m in mailoutbox)

    c = client_for(admin)
    body = c.get(org.get_absolute_url()).content.decode()
    assert "Kommen Sie zu uns" in body and "Einladung annehmen" in body

    membership = Membership.objects.get(cluster=cluster, organisation=org)
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(c, membership, "accept")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE and membership.since is not None
    moves = list(membership.events.order_by("at", "id").values_list("from_status", "to_status"))
    assert moves == [("", Status.INVITED), (Status.INVITED, Status.ACTIVE)]
    assert membership.events.filter(actor=admin, to_status=Status.ACTIVE).exists()
    assert Notification.objects.filter(
        recipient=users["manager"], kind="actors.invitation_accepted", params__organisation=org.name
    ).exists()
    # now a member: the cluster's people see the contacts, but the office still cannot edit
    assert (
        "Gerda Geheim" in client_for(users["member"]).get(org.get_absolute_url()).content.decode()
    )
    assert (
        client_for(users["manager"])
        .get(reverse("actors:organisation_edit", args=[org.slug]))
        .status_code
        == 403
    )
    # answering twice is refused
    assert _answer(client_for(admin), membership, "decline").status_code == 403


def test_declined_invitation_changes_nothing(client_for, users, cluster, target):
    org, admin = target["org"], target["admin"]
    _invite(client_for(users["manager"]), cluster, org)
    membership = Membership.objects.get(cluster=cluster, organisation=org)
    assert _answer(client_for(admin), membership, "decline").status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.DECLINED
    assert not org.memberships.filter(status=Status.ACTIVE).exists()
    assert "Gerda Geheim" not in (
        client_for(users["member"]).get(org.get_absolute_url()).content.decode()
    )
    # the office may invite again later; a second invitation is a new pending request
    assert _invite(client_for(users["manager"]), cluster, org).status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.INVITED


def test_only_the_organisation_answers_an_invitation(client_for, users, cluster, target):
    org = target["org"]
    _invite(client_for(users["manager"]), cluster, org)
    membership = Membership.objects.get(cluster=cluster, organisation=org)
    for role in ("manager", "member", "outsider", "platform_admin"):
        assert _answer(client_for(users[role]), membership, "accept").status_code in (403, 404)
    assert (
        client_for(None)
        .post(reverse("actors:membership_respond", args=[membership.pk]), {"decision": "accept"})
        .status_code
        == 302
    )  # to the login page
    membership.refresh_from_db()
    assert membership.status == Status.INVITED


def test_organisation_without_admin_needs_a_platform_admin(client_for, users, cluster):
    org = OrganisationFactory(name="Verwaist AG")
    _invite(client_for(users["manager"]), cluster, org)
    membership = Membership.objects.get(cluster=cluster, organisation=org)
    assert _answer(client_for(users["manager"]), membership, "accept").status_code == 403
    membership.refresh_from_db()
    assert membership.status == Status.INVITED
    body = client_for(users["platform_admin"]).get(org.get_absolute_url()).content.decode()
    assert "Plattform-Administration" in body
    assert _answer(client_for(users["platform_admin"]), membership, "accept").status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_double_invitation_creates_one_request(
    client_for, users, cluster, target, django_capture_on_commit_callbacks
):
    c = client_for(users["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(c, cluster, target["org"]).status_code == 302
        assert _invite(c, cluster, target["org"]).status_code == 302  # the same, resent
    assert Membership.objects.filter(organisation=target["org"]).count() == 1
    assert MembershipEvent.objects.filter(membership__organisation=target["org"]).count() == 1
    assert Notification.objects.filter(recipient=target["admin"]).count() == 1
    # another invitation while one is open is refused with a clear message
    response = _invite(c, cluster, target["org"], message="Noch einmal")
    assert response.status_code == 200
    assert "bereits eingeladen" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_parallel_double_submits_open_one_request():
    from tests.concurrency import run_at_once

    cluster = ClusterFactory()
    manager = ClusterRoleFactory(cluster=cluster, role="manager").user
    organisation = OrganisationFactory()
    admin = UserFactory()
    Person.objects.create(organisation=organisation, user=admin, full_name="A", is_admin=True)
    results = []
    run_at_once(
        [
            lambda: results.append(
                services.invite_organisation(manager, cluster, organisation, "Hallo")
            )
            for _ in range(4)
        ]
    )
    assert len({m.pk for m in results}) == 1
    assert MembershipEvent.objects.filter(membership__organisation=organisation).count() == 1

    other = ClusterFactory()
    applications = []
    run_at_once(
        [
            lambda: applications.append(
                services.apply_for_membership(admin, other, organisation, "Bitte")
            )
            for _ in range(4)
        ]
    )
    assert len({m.pk for m in applications}) == 1
    assert Membership.objects.filter(cluster=other, status="applied").count() == 1


def test_application_is_decided_by_the_office_and_the_applicant_is_told(
    client_for, users, cluster, target, django_capture_on_commit_callbacks
):
    org, admin = target["org"], target["admin"]
    c = client_for(admin)
    assert "Clusterbeitritt beantragen" in c.get(org.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("actors:membership_apply", args=[org.slug]),
            {"cluster": cluster.slug, "message": "Wir möchten mitmachen"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(cluster=cluster, organisation=org)
    assert membership.status == Status.APPLIED
    assert Notification.objects.filter(
        recipient=users["manager"], kind="actors.membership_applied", params__organisation=org.name
    ).exists()
    manage = client_for(users["manager"]).get(reverse("actors:cluster_manage", args=[cluster.slug]))
    assert "Wir möchten mitmachen" in manage.content.decode()

    # the applicant cannot accept itself, another cluster's manager cannot either
    assert (
        _answer(client_for(admin), membership, "accept", "actors:membership_decide").status_code
        == 403
    )
    other_manager = ClusterRoleFactory(cluster=ClusterFactory(), role="manager").user
    assert (
        _answer(
            client_for(other_manager), membership, "accept", "actors:membership_decide"
        ).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(
            client_for(users["manager"]), membership, "accept", "actors:membership_decide"
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    assert Notification.objects.filter(recipient=admin, kind="actors.application_accepted").exists()


def test_apply_form_errors(client_for, users, cluster, member_org):
    org_admin = users["org_admin"]
    response = client_for(org_admin).post(
        reverse("actors:membership_apply", args=[member_org.slug]),
        {"cluster": cluster.slug, "message": "x" * 2001},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "bereits Mitglied" in body or "Wählen Sie einen Cluster" in body
    assert "höchstens 2000 Zeichen" in body
    assert (
        client_for(users["manager"])
        .post(reverse("actors:membership_apply", args=[member_org.slug]), {"cluster": "x"})
        .status_code
        == 403
    )


def test_org_admin_grants_and_revokes_roles_and_admins_are_told(
    client_for, users, cluster, member_org, django_capture_on_commit_callbacks
):
    org_admin, newcomer = users["org_admin"], users["outsider"]
    c = client_for(org_admin)
    url = reverse("actors:organisation_roles", args=[member_org.slug])
    assert c.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            url,
            {"action": "grant_role", "email": newcomer.email, "role": "member_org_admin",
             "cluster": cluster.slug},
        )  # fmt: skip
    assert response.status_code == 302
    role = ClusterRole.objects.get(user=newcomer, organisation=member_org)
    assert Notification.objects.filter(
        recipient=org_admin, kind="actors.organisation_role_granted"
    ).exists()
    assert Notification.objects.filter(recipient=newcomer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(url, {"action": "revoke_role", "role": role.pk})
    assert not ClusterRole.objects.filter(pk=role.pk).exists()
    assert Notification.objects.filter(
        recipient=org_admin, kind="actors.organisation_role_revoked"
    ).exists()


def test_ending_a_membership_notifies_and_removes_member_roles(
    client_for, users, cluster, member_org, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(cluster=cluster, organisation=member_org)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users["manager"]).post(
            reverse("actors:membership_end", args=[membership.pk])
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.ENDED
    assert not ClusterRole.objects.filter(organisation=member_org, role="member_user").exists()
    assert Notification.objects.filter(
        recipient=users["org_admin"], kind="actors.membership_ended"
    ).exists()
    # an ended membership cannot be ended again
    assert (
        client_for(users["manager"])
        .post(reverse("actors:membership_end", args=[membership.pk]))
        .status_code
        == 403
    )


def test_transition_table_is_enforced(users, cluster, target):
    membership = services.invite_organisation(users["manager"], cluster, target["org"])
    services.respond_to_invitation(target["admin"], membership, accept=False)
    membership.refresh_from_db()
    with pytest.raises(services.RuleError):
        services._move(membership, Status.ACTIVE, users["manager"])
    with pytest.raises(PermissionDenied):
        services.end_membership(users["manager"], membership)


def test_last_admin_cannot_be_removed(client_for, target):
    org, admin = target["org"], target["admin"]
    person = org.people.get(user=admin)
    response = client_for(admin).post(
        reverse("actors:person_delete", args=[org.slug, person.pk]), follow=True
    )
    assert "letzte Administrator" in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()


def test_non_numeric_ids_give_404(client_for, users, cluster, member_org):
    c = client_for(users["manager"])
    url = reverse("actors:cluster_manage", args=[cluster.slug])
    assert c.post(url, {"action": "revoke_role", "role": "abc"}).status_code == 404
    assert c.post(url, {"action": "revoke_role", "role": "9" * 40}).status_code == 404
    roles_url = reverse("actors:organisation_roles", args=[member_org.slug])
    response = client_for(users["org_admin"]).post(
        roles_url, {"action": "revoke_role", "role": "1 OR 1=1"}
    )
    assert response.status_code == 404
    assert c.post("/memberships/abc/end/").status_code == 404


def test_pending_memberships_are_not_public_in_the_api(client, client_for, users, cluster, target):
    services.invite_organisation(users["manager"], cluster, target["org"])
    url = f"/api/actors/clusters/{cluster.slug}/memberships"
    public = [m["organisation"] for m in client.get(url).json()["items"]]
    assert target["org"].slug not in public
    office = [m["organisation"] for m in client_for(users["manager"]).get(url).json()["items"]]
    assert target["org"].slug in office


def test_api_page_numbers_are_bounded(client):
    for path in ("/api/actors/organisations", "/api/actors/clusters"):
        response = client.get(path, {"page": 10**15})
        assert response.status_code == 422
    assert client.get("/api/actors/organisations", {"page_size": 10**9}).status_code == 422


def test_organisation_numbers_are_bounded(client_for, users, member_org):
    data = {**_edit_data(member_org, name=member_org.name), "employees": 10**9, "founded": 30000}
    response = client_for(users["org_admin"]).post(
        reverse("actors:organisation_edit", args=[member_org.slug]), data
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "höchstens 10000000 Beschäftigte" in body or "höchstens 10.000.000" in body
    assert "zwischen 1000 und 2100" in body


def test_cluster_founded_is_bounded(client_for, users, cluster):
    response = client_for(users["manager"]).post(
        reverse("actors:cluster_edit", args=[cluster.slug]),
        {"name": cluster.name, "innovation_field": "x", "region": cluster.region_id,
         "profile_de": "p", "founded": 30000},
    )  # fmt: skip
    assert response.status_code == 200
    assert "zwischen 1000 und 2100" in response.content.decode()


def test_huge_ids_in_urls_give_404(client_for, users, member_org):
    c = client_for(users["org_admin"])
    huge = "9" * 30
    assert c.post(f"/memberships/{huge}/end/").status_code == 404
    assert c.post(f"/memberships/{huge}/respond/", {"decision": "accept"}).status_code == 404
    assert c.post(f"/organisations/{member_org.slug}/people/{huge}/delete/").status_code == 404


def test_consent_pages_in_german_and_english(client_for, users, cluster, member_org):
    url = reverse("actors:cluster_manage", args=[cluster.slug])
    roles_url = reverse("actors:organisation_roles", args=[member_org.slug])
    detail_url = member_org.get_absolute_url()
    c = client_for(users["manager"])
    assert "Organisation einladen" in c.get(url).content.decode()
    assert "Invite an organisation" in c.get(f"/en{url}").content.decode()
    admin = client_for(users["org_admin"])
    assert "Rollen und Administration" in admin.get(roles_url).content.decode()
    assert "Roles and administrators" in admin.get(f"/en{roles_url}").content.decode()
    assert "Apply to join a cluster" in admin.get(f"/en{detail_url}").content.decode()


def test_last_admin_role_cannot_be_revoked(client_for, users, member_org):
    role = ClusterRole.objects.get(role="member_org_admin", organisation=member_org)
    response = client_for(users["org_admin"]).post(
        reverse("actors:organisation_roles", args=[member_org.slug]),
        {"action": "revoke_role", "role": role.pk},
        follow=True,
    )
    assert "letzte Administrator" in response.content.decode()
    assert ClusterRole.objects.filter(pk=role.pk).exists()


def _new_org_data():
    from actors.models import NutsRegion

    return {
        "name": "Doppelt Gesendet UG",
        "helix_type": "business",
        "region": NutsRegion.objects.get(code="DE30").pk,
        "city": "Berlin",
        "description_de": "Drohnen",
        "description_en": "",
    }


def test_double_submitted_create_forms_create_one_object(client_for, users, member_org):
    from actors.models import Organisation

    c = client_for(users["outsider"])
    data = _new_org_data()
    first = c.post(reverse("actors:organisation_create"), data)
    second = c.post(reverse("actors:organisation_create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Organisation.objects.filter(name="Doppelt Gesendet UG").count() == 1

    admin = client_for(users["org_admin"])
    url = reverse("actors:person_add", args=[member_org.slug])
    person = {"full_name": "Doris Doppelt", "email": "doris@example.org", "job_title": "CTO"}
    assert admin.post(url, person).status_code == 302
    assert admin.post(url, person).status_code == 302
    assert member_org.people.filter(full_name="Doris Doppelt").count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_organisation_creates_make_one():
    from actors.forms import OrganisationForm
    from actors.models import Organisation
    from tests.concurrency import run_at_once

    user = UserFactory()
    data = _new_org_data()

    def create():
        form = OrganisationForm(data)
        assert form.is_valid(), form.errors
        services.save_organisation(user, form)

    run_at_once([create for _ in range(4)])
    assert Organisation.objects.filter(name="Doppelt Gesendet UG").count() == 1
