"""Issue 9: the cluster page as the cluster's home — profile, goals, figures, its services, events,
open calls and marketplace postings (each through its app's rules), members, and office actions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import ClusterRole, Membership
from ideas.models import Phase
from matching.models import Visibility
from services.models import Status
from tests.events.factories import EventFactory
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.ideas.factories import CallFactory
from tests.matching.factories import PostingFactory
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(db):
    office = OrganisationFactory(name="Geschäftsstelle Süd")
    cluster = ClusterFactory(name="Cluster Süd", managing_organisation=office)
    MembershipFactory(cluster=cluster, organisation=office)
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=cluster, role=ClusterRole.Role.MANAGER)
    member_org = OrganisationFactory(name="Mitglied Süd GmbH", helix_type="research")
    MembershipFactory(cluster=cluster, organisation=member_org)
    member = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=member_org
    ).user
    now = timezone.now()
    ServiceFactory(cluster=cluster, title="Öffentliche Beratung", status=Status.ACTIVE)
    ServiceFactory(cluster=cluster, title="Nur ein Konzept", status=Status.CONCEPT)
    ServiceFactory(title="Dienst anderer Cluster", status=Status.ACTIVE)
    EventFactory(cluster=cluster, title="Offene Werkstatt")
    EventFactory(cluster=cluster, title="Mitgliedertreffen", is_public=False)
    EventFactory(cluster=cluster, title="Entwurf Veranstaltung", is_published=False)
    EventFactory(
        cluster=cluster,
        title="Vorbei",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=2),
    )
    CallFactory(organiser=office, created_by=manager, title="Ideen für den Süden")
    CallFactory(organiser=office, created_by=manager, title="Ideen Entwurf", is_published=False)
    CallFactory(
        organiser=office, created_by=manager, title="Längst vorbei", phase=Phase.IMPLEMENTATION
    )
    CallFactory(title="Fremder Aufruf")
    PostingFactory(cluster=cluster, title="Öffentliches Angebot", visibility=Visibility.PUBLIC)
    PostingFactory(cluster=cluster, title="Nur für Mitglieder", visibility=Visibility.CLUSTER)
    Membership.objects.create(
        cluster=cluster, organisation=OrganisationFactory(), status=Membership.Status.APPLIED
    )
    return {"cluster": cluster, "manager": manager, "member": member, "office": office}


def _page(client, cluster, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(cluster.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_visitors_see_the_public_home_of_the_cluster(client, hub):
    body = _page(client, hub["cluster"])
    # profile and strategy goals
    assert "Netzwerk für Maschinenbau" in body and "Mehr Kooperation" in body
    # its public offer
    for text in ["Öffentliche Beratung", "Offene Werkstatt", "Ideen für den Süden"]:
        assert text in body
    assert "Öffentliches Angebot" in body
    # not what the apps' rules hide from visitors, nor other clusters' content
    for text in [
        "Nur ein Konzept",
        "Mitgliedertreffen",
        "Entwurf Veranstaltung",
        "Ideen Entwurf",
        "Nur für Mitglieder",
        "Dienst anderer Cluster",
        "Fremder Aufruf",
        "Längst vorbei",
        "Vorbei</a>",
    ]:
        assert text not in body, text
    # no office actions
    assert reverse("actors:cluster_manage", args=[hub["cluster"].slug]) not in body
    assert reverse("services:service_create") not in body
    # members list and directory link
    assert "Mitglied Süd GmbH" in body
    assert f"{reverse('actors:organisation_list')}?cluster={hub['cluster'].slug}" in body


def test_figures(client, hub):
    body = _page(client, hub["cluster"])
    figures = body.split('class="stats hub-figures"')[1].split("</ul>")[0]
    numbers = [part.split("</strong>")[0] for part in figures.split("<strong>")[1:]]
    # 2 members (office and member), 1 offered service, 2 public events this year (the past one
    # may fall into last year around new year), 1 open call
    assert numbers[0] == "2"
    assert numbers[1] == "1"
    assert numbers[3] == "1"
    assert numbers[2] in {"1", "2"}


def test_members_see_members_only_content(client, hub):
    body = _page(client, hub["cluster"], hub["member"])
    assert "Mitgliedertreffen" in body and "Nur für Mitglieder" in body
    assert "Nur ein Konzept" not in body  # concepts stay with the office
    assert reverse("actors:cluster_manage", args=[hub["cluster"].slug]) not in body


def test_the_office_runs_the_cluster_from_its_page(client, hub):
    cluster = hub["cluster"]
    body = _page(client, cluster, hub["manager"])
    for url in [
        reverse("actors:cluster_manage", args=[cluster.slug]),
        reverse("actors:cluster_edit", args=[cluster.slug]),
        reverse("services:service_create"),
        reverse("events:event_create"),
        reverse("ideas:call_create"),
    ]:
        assert url in body, url
    assert "open applications" in body or "offene Anträge" in body


def test_another_clusters_office_gets_no_actions_here(client, hub):
    other_manager = ClusterRoleFactory(cluster=ClusterFactory(), role="manager").user
    body = _page(client, hub["cluster"], other_manager)
    assert reverse("actors:cluster_manage", args=[hub["cluster"].slug]) not in body
    assert reverse("services:service_create") not in body
    assert "Mitgliedertreffen" not in body


def test_member_search_still_answers_htmx_with_the_results_only(client, hub):
    response = client.get(
        hub["cluster"].get_absolute_url(), {"q": "Mitglied"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "Mitglied Süd GmbH" in body
    assert "hub-figures" not in body


def test_hub_query_count_is_bounded(client, hub, django_assert_max_num_queries):
    client.force_login(hub["manager"])
    with django_assert_max_num_queries(45):
        client.get(hub["cluster"].get_absolute_url())
