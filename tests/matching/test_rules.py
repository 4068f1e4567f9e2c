"""Issue 8: the marketplace rules are declared once (matching/rules.py) and derived from current
roles; the list queries and the single-object checks agree."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actors.models import ClusterRole, Person
from core.policy import allowed
from matching import rules, services
from matching.forms import PostingForm
from matching.models import Interest, Posting, PostingStatus, Visibility
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

from .factories import InterestFactory, PostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cluster, other_cluster = ClusterFactory(), ClusterFactory()
    own_org, other_org = OrganisationFactory(), OrganisationFactory()
    for org in (own_org, other_org):
        MembershipFactory(cluster=cluster, organisation=org, status="active")
    users = {
        "anonymous": AnonymousUser(),
        "member": ClusterRoleFactory(
            cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=own_org
        ).user,
        "person": PersonFactory(organisation=own_org, user=UserFactory()).user,
        "manager": ClusterRoleFactory(cluster=cluster).user,
        "other_manager": ClusterRoleFactory(cluster=other_cluster).user,
        "outsider": UserFactory(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    revoked = ClusterRoleFactory(cluster=cluster)
    users["revoked_manager"] = revoked.user
    revoked.delete()
    left = PersonFactory(organisation=own_org, user=UserFactory())
    users["left_author"] = left.user
    postings = {}
    for visibility, status in itertools.product(Visibility.values, PostingStatus.values):
        for owner_name, owner in (("own", own_org), ("other", other_org)):
            postings[(visibility, status, owner_name)] = PostingFactory(
                organisation=owner,
                cluster=cluster,
                visibility=visibility,
                status=status,
                author=users["left_author"],
            )
    left.delete()  # the author has left the organisation: the author field grants nothing
    return users, postings


def _expected_view(role, visibility, status, owner):
    if role == "admin":
        return True
    if role in ("member", "person") and owner == "own":
        return True
    if status == PostingStatus.DRAFT:
        return False
    if visibility == Visibility.CLUSTER:
        return role in ("member", "manager")
    return True


def _expected_identity(role, visibility, owner):
    if visibility != Visibility.ANONYMOUS or role in ("admin", "manager"):
        return True
    return role in ("member", "person") and owner == "own"


def test_list_query_and_single_check_agree_for_every_user_and_posting(world):
    users, postings = world
    for role, user in users.items():
        visible = set(rules.visible_postings(user).values_list("pk", flat=True))
        identity = set(
            Posting.objects.filter(rules.identity_visible(user)).values_list("pk", flat=True)
        )
        for (visibility, status, owner), posting in postings.items():
            may_view = allowed(user, "matching.view_posting", posting)
            assert may_view == (posting.pk in visible), (role, visibility, status, owner)
            assert may_view == _expected_view(role, visibility, status, owner), (
                role, visibility, status, owner,
            )  # fmt: skip
            knows = allowed(user, "matching.see_identity", posting)
            assert knows == (may_view and posting.pk in identity)
            if may_view:
                assert knows == _expected_identity(role, visibility, owner), (role, visibility)
            shown = services.attach_identity(user, [posting])[0]
            assert shown.show_identity == (posting.pk in identity)


def test_edit_and_broker_rules_come_from_current_roles(world):
    users, postings = world
    posting = postings[(Visibility.ANONYMOUS, PostingStatus.PUBLISHED, "own")]
    interest = InterestFactory(posting=posting)
    edit = {r: allowed(u, "matching.edit_posting", posting) for r, u in users.items()}
    assert {r for r, ok in edit.items() if ok} == {"member", "person", "admin"}
    broker = {r: allowed(u, "matching.broker_interest", interest) for r, u in users.items()}
    assert {r for r, ok in broker.items() if ok} == {"manager", "admin"}
    to_broker = {
        r: set(rules.interests_to_broker(u).values_list("pk", flat=True)) for r, u in users.items()
    }
    assert {r for r, ids in to_broker.items() if interest.pk in ids} == {"manager"}


def test_services_check_the_rules_themselves(world):
    users, postings = world
    posting = postings[(Visibility.PUBLIC, PostingStatus.PUBLISHED, "own")]
    for role in ("revoked_manager", "left_author", "outsider", "other_manager"):
        with pytest.raises(PermissionDenied):
            services.change_status(users[role], posting, PostingStatus.CLOSED)
    interest = InterestFactory(posting=posting)
    for role in ("revoked_manager", "left_author", "outsider", "other_manager", "member"):
        with pytest.raises(PermissionDenied):
            services.broker_interest(users[role], interest)
        with pytest.raises(PermissionDenied):
            services.decline_interest(users[role], interest)
    assert Interest.objects.get(pk=interest.pk).status == Interest.Status.PENDING
    services.broker_interest(users["manager"], interest, "Bitte melden")
    assert Interest.objects.get(pk=interest.pk).status == Interest.Status.BROKERED
    form = PostingForm(
        {"organisation": posting.organisation_id, "kind": "tech_offer", "title": "Neu",
         "description": "Text", "visibility": "public"},
        organisations=posting.organisation.__class__.objects.all(),
    )  # fmt: skip
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.save_posting(users["outsider"], form)
    with pytest.raises(PermissionDenied):
        services.express_interest(users["outsider"], posting, OrganisationFactory(), "Hallo")


def test_revoked_manager_and_former_author_have_no_rights_through_the_pages(client, world):
    users, postings = world
    posting = postings[(Visibility.ANONYMOUS, PostingStatus.PUBLISHED, "own")]
    interest = InterestFactory(posting=posting)
    for role in ("revoked_manager", "left_author"):
        client.force_login(users[role])
        assert client.get(reverse("matching:posting_edit", args=[posting.pk])).status_code == 403
        status_url = reverse("matching:posting_status", args=[posting.pk])
        assert client.post(status_url, {"status": "closed"}).status_code == 403
        decide = reverse("matching:interest_decide", args=[interest.pk])
        assert client.post(decide, {"decision": "broker"}).status_code == 403
        html = client.get(posting.get_absolute_url()).content.decode()
        facts = html.split('<dl class="facts">')[1].split("</dl>")[0]
        assert posting.organisation.name not in facts and "Anonyme Organisation" in facts
    posting.refresh_from_db()
    interest.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED
    assert interest.status == Interest.Status.PENDING


def test_unconfirmed_users_can_neither_post_nor_express_interest():
    org = OrganisationFactory()
    user = UserFactory(email_confirmed=False)
    Person.objects.create(organisation=org, user=user, full_name="Una")
    posting = PostingFactory()
    assert not allowed(user, "matching.create_posting", org)
    assert not allowed(user, "matching.express_interest", posting)
    with pytest.raises(PermissionDenied):
        services.express_interest(user, posting, org, "Hallo")
    form = PostingForm(
        {"organisation": org.pk, "kind": "tech_offer", "title": "T", "description": "D",
         "visibility": "public"},
        organisations=services.user_organisations(user),
    )  # fmt: skip
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.save_posting(user, form)
    assert not Interest.objects.exists() and not Posting.objects.filter(title="T").exists()
    user.email_confirmed = True
    user.save()
    assert allowed(user, "matching.create_posting", org)
    assert allowed(user, "matching.express_interest", posting)
