"""Issue 9: the personal start page after login ("what needs me today"), built from the apps' own
rules and list queries, with empty states, links to the full lists and a bounded query count."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from actors.models import ClusterRole, Membership, Person
from events.models import Registration
from ideas.models import Idea, JuryMember, Phase
from matching import suggestions
from matching.models import Visibility
from services.models import Booking
from tests.events.factories import BrokerageEventFactory, EventFactory, MeetingRequestFactory
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.ideas.factories import CallFactory, IdeaFactory
from tests.matching.factories import InterestFactory, PostingFactory
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture(autouse=True)
def _cheap_suggestions(settings):
    settings.OPENREGION_TEXT_ENCODER = "hashing"
    suggestions.clear_cache()
    cache.clear()
    yield
    suggestions.clear_cache()
    cache.clear()


@pytest.fixture
def hub(db):
    """A cluster run by its office, a member organisation with a member user and an admin."""
    office = OrganisationFactory(name="Geschäftsstelle Cluster Nord")
    cluster = ClusterFactory(name="Cluster Nord", managing_organisation=office)
    MembershipFactory(cluster=cluster, organisation=office)
    manager = UserFactory(full_name="Maria Managerin")
    ClusterRoleFactory(user=manager, cluster=cluster, role=ClusterRole.Role.MANAGER)
    Person.objects.create(organisation=office, user=manager, full_name="Maria Managerin")
    member_org = OrganisationFactory(name="Mitglied Robotik GmbH", description_en="robot cells")
    MembershipFactory(cluster=cluster, organisation=member_org)
    member = UserFactory(full_name="Max Mitglied")
    ClusterRoleFactory(
        user=member, cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=member_org
    )
    Person.objects.create(organisation=member_org, user=member, full_name="Max Mitglied")
    for i in range(3):  # something to suggest
        other = OrganisationFactory(name=f"Partner Sensorik {i} GmbH", description_en="robot cells")
        MembershipFactory(cluster=cluster, organisation=other)
    return {
        "cluster": cluster,
        "office": office,
        "manager": manager,
        "member_org": member_org,
        "member": member,
    }


def _manager_items(hub, n=3, tag=""):
    cluster, manager = hub["cluster"], hub["manager"]
    for i in range(n):
        Membership.objects.create(
            cluster=cluster,
            organisation=OrganisationFactory(name=f"Bewerberin {tag}{i} AG"),
            status=Membership.Status.APPLIED,
        )
    call = CallFactory(organiser=hub["office"], created_by=manager, title=f"Ideen Nord {tag}")
    for i in range(n):
        IdeaFactory(call=call, status=Idea.Status.SUBMITTED, title=f"Neue Idee {i}")
    for i in range(n):
        service = ServiceFactory(cluster=cluster, title=f"Beratung {i}")
        Booking.objects.create(service=service, user=UserFactory(), state=Booking.State.REQUESTED)
    posting = PostingFactory(cluster=cluster, visibility=Visibility.CLUSTER, title="Gesuch Nord")
    for _ in range(n):
        InterestFactory(posting=posting)
    return call


def _member_items(hub, n=3, tag=""):
    cluster, member, member_org = hub["cluster"], hub["member"], hub["member_org"]
    for i in range(n):
        service = ServiceFactory(cluster=cluster, title=f"Coaching {i}")
        Booking.objects.create(
            service=service, user=member, organisation=member_org, state=Booking.State.CONFIRMED
        )
        event = EventFactory(cluster=cluster, title=f"Werkstatt Nord {i}")
        Registration.objects.create(event=event, user=member, state=Registration.State.REGISTERED)
        brokerage = BrokerageEventFactory(cluster=cluster, title=f"Börse Nord {i}")
        MeetingRequestFactory(event=brokerage, recipient=member)
        InterestFactory(organisation=member_org, user=member, posting=PostingFactory())
        CallFactory(phase=Phase.VOTING, title=f"Abstimmung jetzt {i}")
        jury_call = CallFactory(phase=Phase.JURY, title=f"Jury gefragt {i}")
        JuryMember.objects.create(call=jury_call, user=member, helix_type="business")


def test_visitors_keep_the_public_landing_page(client, hub):
    body = client.get(HOME).content.decode()
    assert 'id="home-q"' in body  # the directory search of the landing page
    assert "start-tasks" not in body


def test_manager_sees_the_decisions_waiting_for_them(client, hub):
    call = _manager_items(hub)
    # another cluster's application is not the manager's task
    Membership.objects.create(
        cluster=ClusterFactory(name="Cluster Süd"),
        organisation=OrganisationFactory(),
        status=Membership.Status.APPLIED,
    )
    client.force_login(hub["manager"])
    body = client.get(HOME).content.decode()
    cluster = hub["cluster"]
    assert reverse("actors:cluster_manage", args=[cluster.slug]) in body
    assert "3 Mitgliedsanträge" in body or "3 membership applications" in body
    assert "Cluster Süd" not in body
    assert reverse("ideas:call_manage", args=[call.slug]) in body
    assert "?state=requested" in body
    assert reverse("matching:my_interests") in body


def test_org_admin_sees_invitations_to_answer(client, hub):
    admin = UserFactory()
    Person.objects.create(
        organisation=hub["member_org"], user=admin, full_name="Olga Orgadmin", is_admin=True
    )
    other = ClusterFactory(name="Cluster West")
    Membership.objects.create(
        cluster=other, organisation=hub["member_org"], status=Membership.Status.INVITED
    )
    # an invitation to somebody else's organisation is not this admin's task
    Membership.objects.create(
        cluster=ClusterFactory(name="Cluster Ost"),
        organisation=OrganisationFactory(),
        status=Membership.Status.INVITED,
    )
    client.force_login(admin)
    body = client.get(HOME).content.decode()
    assert "Cluster West → Mitglied Robotik GmbH" in body
    assert hub["member_org"].get_absolute_url() in body
    assert "Cluster Ost" not in body
    # the plain member of the same organisation has nothing to answer
    client.force_login(hub["member"])
    assert "Cluster West" not in client.get(HOME).content.decode()


def test_member_sees_bookings_events_meetings_interests_and_calls(client, hub):
    _member_items(hub)
    hidden = EventFactory(title="Geheime Sitzung", is_public=False, is_published=True)
    Registration.objects.create(event=hidden, user=hub["member"], state="registered")
    past = EventFactory(
        cluster=hub["cluster"],
        title="Vergangene Werkstatt",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=2),
    )
    Registration.objects.create(event=past, user=hub["member"], state="registered")
    CallFactory(phase=Phase.VOTING, title="Entwurf ohne Veröffentlichung", is_published=False)
    client.force_login(hub["member"])
    body = client.get(HOME).content.decode()
    for text in ["Coaching 0", "Werkstatt Nord 0", "Börse Nord 0", "Abstimmung jetzt 0"]:
        assert text in body
    assert "Jury gefragt 0" in body
    assert "Gesuch" in body  # the posting of a pending interest
    # the apps' visibility rules hold: a members-only event of another cluster, an event that
    # is over and an unpublished call do not show
    assert "Geheime Sitzung" not in body
    assert "Vergangene Werkstatt" not in body
    assert "Entwurf ohne Veröffentlichung" not in body
    # partner suggestions for the member's organisation, with a link to all of them
    assert reverse("matching:organisation_partners", args=[hub["member_org"].slug]) in body
    assert "Partner Sensorik" in body
    # links to every full list
    for name in ["services:my_bookings", "events:my_events", "ideas:call_list"]:
        assert reverse(name) in body


def test_a_new_user_sees_empty_states_with_links(client, hub):
    client.force_login(UserFactory())
    response = client.get(HOME)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="empty-state"') == 7  # tasks + six blocks
    assert reverse("actors:organisation_create") in body


def test_jury_block_forgets_submitted_scores(client, hub):
    call = CallFactory(phase=Phase.JURY, title="Schon bewertet")
    JuryMember.objects.create(
        call=call, user=hub["member"], helix_type="business", submitted_at=timezone.now()
    )
    client.force_login(hub["member"])
    assert "Schon bewertet" not in client.get(HOME).content.decode()


def test_start_page_in_english(client, hub):
    client.force_login(hub["member"])
    body = client.get("/en/").content.decode()
    assert "What needs you today." in body
    assert 'lang="en"' in body


def _query_count(client, user, django_assert_max_num_queries, limit):
    client.force_login(user)
    client.get(HOME)  # warm the suggestion cache
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(HOME).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["manager", "member"])
def test_query_count_is_bounded(client, hub, role, django_assert_max_num_queries):
    items = _manager_items if role == "manager" else _member_items
    items(hub, n=6)  # more than a block shows
    few = _query_count(client, hub[role], django_assert_max_num_queries, 30)
    items(hub, n=6, tag="more")
    many = _query_count(client, hub[role], django_assert_max_num_queries, 30)
    assert many <= few  # the cost depends on the blocks, not on the number of items
