"""Request guards of core.middleware for the HTML pages: huge page numbers, oversized forms and NUL
characters never end in a 500."""

import pytest
from django.urls import reverse
from django.utils import translation

from actors.models import ClusterRole
from events.models import Registration
from tests.events.factories import BrokerageEventFactory, RegistrationFactory
from tests.factories import ClusterFactory, ClusterRoleFactory, MembershipFactory, PersonFactory
from tests.ideas.factories import CallFactory

HUGE_PAGE = "99999999999999999999"


@pytest.fixture
def world(db):
    cluster = ClusterFactory()
    org = MembershipFactory(cluster=cluster).organisation
    member = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=org
    ).user
    PersonFactory(organisation=org, user=member)
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    brokerage = BrokerageEventFactory(cluster=cluster)
    RegistrationFactory(event=brokerage, user=member, state=Registration.State.REGISTERED)
    RegistrationFactory(event=brokerage, state=Registration.State.REGISTERED)
    return {
        "cluster": cluster,
        "member": member,
        "manager": manager,
        "call": CallFactory(organiser=org),
        "brokerage": brokerage,
    }


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_paginated_html_list_survives_a_huge_page_number(client, world, lang):
    """Every list page with a paginator answers ?page=<huge> with a page, never a 500."""
    cluster = world["cluster"]
    with translation.override(lang):
        as_member = [
            reverse("actors:organisation_list"),
            reverse("actors:cluster_list"),
            reverse("actors:cluster_detail", args=[cluster.slug]),
            reverse("matching:marketplace"),
            reverse("notifications:list"),
            reverse("ideas:idea_list", args=[world["call"].slug]),
            reverse("services:catalogue"),
            reverse("services:library"),
            reverse("events:event_list"),
            reverse("events:brokerage", args=[world["brokerage"].slug]),
        ]
        as_manager = [reverse("actors:cluster_manage", args=[cluster.slug])]
    for user, urls in ((world["member"], as_member), (world["manager"], as_manager)):
        client.force_login(user)
        for url in urls:
            for page in (HUGE_PAGE, "-1", "abc"):
                response = client.get(url, {"page": page})
                assert response.status_code == 200, (url, page, response.status_code)


def test_a_multipart_form_over_the_limit_is_a_413_page(client, world):
    """A form whose fields (not files) exceed DATA_UPLOAD_MAX_MEMORY_SIZE: the 413 page (CSRF's
    check would otherwise turn Django's RequestDataTooBig into a bare 400)."""
    client.force_login(world["member"])
    client.raise_request_exception = False
    response = client.post(reverse("matching:posting_create"), {"title": "x" * 3_000_000})
    assert response.status_code == 413
    page = response.content.decode()
    assert "Die Anfrage ist zu groß." in page
    assert "Von dieser Anfrage wurde nichts gespeichert." in page


def test_a_small_multipart_form_is_not_touched(client, world):
    client.force_login(world["member"])
    response = client.post(reverse("matching:posting_create"), {"title": "x"})
    assert response.status_code == 200  # the form again, with its errors


@pytest.mark.parametrize(
    "url", ["/marketplace/?q=%00", "/organisations/?q=a%00b", "/en/events/?format=%00"]
)
def test_a_nul_character_in_the_address_of_a_page_is_a_400_page(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
