"""The marketplace shows "Neuer Eintrag" only to those the rule matching.create_posting lets post:
a cluster manager who acts for no organisation used to see it and be refused on submit."""

import pytest
from django.urls import reverse

from actors.models import ClusterRole
from core.policy import allowed
from tests.factories import ClusterRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _shows_button(client, user, url_name):
    client.force_login(user)
    html = client.get(reverse(url_name)).content.decode()
    return reverse("matching:posting_create") in html


@pytest.mark.parametrize("url_name", ["matching:marketplace", "matching:my_interests"])
def test_new_posting_button_follows_the_rule(client, cluster, member_org, url_name):
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    member = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=member_org
    ).user
    PersonFactory(organisation=member_org, user=member)

    assert not allowed(manager, "matching.create_posting")
    assert not _shows_button(client, manager, url_name)
    # and what the button would have led to is indeed refused
    refused = client.get(reverse("matching:posting_create"))
    assert refused.status_code in (302, 403)

    assert allowed(member, "matching.create_posting")
    assert _shows_button(client, member, url_name)
    assert client.get(reverse("matching:posting_create")).status_code == 200


def test_visitor_sees_no_new_posting_button(client, cluster):
    html = client.get(reverse("matching:marketplace")).content.decode()
    assert reverse("matching:posting_create") not in html
