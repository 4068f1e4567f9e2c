"""Issue 8, finding 1: a confirmation link never logs anybody in; its token is checked first, expires
and works once; a bad link offers a new one without revealing whether an address has an account."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import EmailConfirmationTokenGenerator, email_confirmation_token
from actors.models import ClusterRole, Person
from tests.accounts.helpers import comparable
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _confirm_url(uid: str, token: str) -> str:
    return reverse("accounts:confirm", args=[uid, token])


def _demo_accounts(confirmed: bool) -> dict[str, User]:
    """The demo's kinds of account: platform admin, cluster manager, organisation admin, member."""
    cluster = ClusterFactory()
    org = MembershipFactory(cluster=cluster).organisation
    admin = UserFactory(is_superuser=True, is_staff=True, email_confirmed=confirmed)
    manager = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MANAGER, user__email_confirmed=confirmed
    ).user
    org_admin = ClusterRoleFactory(
        cluster=cluster,
        role=ClusterRole.Role.MEMBER_ORG_ADMIN,
        organisation=org,
        user__email_confirmed=confirmed,
    ).user
    Person.objects.create(organisation=org, user=org_admin, full_name="Olga Admin", is_admin=True)
    member = ClusterRoleFactory(
        cluster=cluster,
        role=ClusterRole.Role.MEMBER_USER,
        organisation=org,
        user__email_confirmed=confirmed,
    ).user
    return {"platform_admin": admin, "manager": manager, "org_admin": org_admin, "member": member}


def _assert_nobody_logged_in(client):
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code != 200
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _bad_tokens(user) -> list[str]:
    other = UserFactory(email_confirmed=False)
    valid_for_other = email_confirmation_token.make_token(other)
    return [
        "anything",
        "bad-token",
        "MQ",
        "1-1",
        "zzzzzz-" + "0" * 20,
        "x" * 200,
        valid_for_other,  # a real token, but of another account
        valid_for_other.split("-")[0] + "-" + "a" * 20,  # a fresh timestamp with a forged hash
    ]


@pytest.mark.parametrize("confirmed", [True, False], ids=["confirmed", "unconfirmed"])
def test_bypass_url_logs_nobody_in_for_every_demo_account(confirmed):
    for role, user in _demo_accounts(confirmed).items():
        for token in _bad_tokens(user):
            client = Client()
            response = client.get(_confirm_url(_uid(user), token))
            assert response.status_code == 400, (role, token)
            _assert_nobody_logged_in(client)
            user.refresh_from_db()
            assert user.email_confirmed is confirmed, (role, token)


def test_bypass_url_with_literal_admin_id_logs_nobody_in():
    """`MQ` is base64 for 1, the first account of a fresh demo (the platform admin)."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    User.objects.filter(pk=admin.pk).update(id=1)
    client = Client()
    response = client.get(_confirm_url("MQ", "anything"))
    assert response.status_code == 400
    _assert_nobody_logged_in(client)


@pytest.mark.parametrize("uid", ["MQ", "!!", "bm90LWEtbnVtYmVy", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5"])
def test_malformed_or_unknown_ids_give_the_invalid_link_page(client, uid):
    UserFactory()
    response = client.get(f"/accounts/confirm/{uid}/token-value/")
    assert response.status_code == 400
    _assert_nobody_logged_in(client)


def test_valid_link_confirms_without_logging_in_and_works_once(client):
    user = UserFactory(email_confirmed=False)
    url = _confirm_url(_uid(user), email_confirmation_token.make_token(user))

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.email_confirmed
    _assert_nobody_logged_in(client)
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Ihre E-Mail-Adresse ist bestätigt" in page

    # The same link a second time (the address is confirmed now): refused, still nobody logged in.
    response = client.get(url)
    assert response.status_code == 400
    _assert_nobody_logged_in(client)


def test_link_stops_working_when_the_address_changes(client):
    user = UserFactory(email_confirmed=False)
    url = _confirm_url(_uid(user), email_confirmation_token.make_token(user))
    User.objects.filter(pk=user.pk).update(email="new-address@example.org")
    assert client.get(url).status_code == 400
    user.refresh_from_db()
    assert not user.email_confirmed


def test_link_of_a_deactivated_account_is_refused(client):
    user = UserFactory(email_confirmed=False)
    url = _confirm_url(_uid(user), email_confirmation_token.make_token(user))
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(url).status_code == 400
    user.refresh_from_db()
    assert not user.email_confirmed


def test_link_expires(client, settings):
    settings.ACCOUNTS_CONFIRMATION_TIMEOUT = 3 * 24 * 60 * 60
    user = UserFactory(email_confirmed=False)
    url = _confirm_url(_uid(user), email_confirmation_token.make_token(user))
    later = datetime.now() + timedelta(days=3, minutes=1)
    with mock.patch.object(EmailConfirmationTokenGenerator, "_now", return_value=later):
        response = client.get(url)
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_confirmed
    _assert_nobody_logged_in(client)

    # Within the time the same link works.
    sooner = datetime.now() + timedelta(days=2, hours=23)
    with mock.patch.object(EmailConfirmationTokenGenerator, "_now", return_value=sooner):
        assert client.get(url).status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed


def test_expiry_follows_its_own_setting_not_the_password_reset_timeout(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 60
    settings.ACCOUNTS_CONFIRMATION_TIMEOUT = 3 * 24 * 60 * 60
    user = UserFactory(email_confirmed=False)
    url = _confirm_url(_uid(user), email_confirmation_token.make_token(user))
    later = datetime.now() + timedelta(days=1)
    with mock.patch.object(EmailConfirmationTokenGenerator, "_now", return_value=later):
        assert client.get(url).status_code == 302


def test_confirmation_link_is_get_only(client):
    user = UserFactory(email_confirmed=False)
    url = _confirm_url(_uid(user), email_confirmation_token.make_token(user))
    assert client.post(url).status_code == 405
    user.refresh_from_db()
    assert not user.email_confirmed


def test_invalid_link_page_offers_a_new_link_without_revealing_addresses(client):
    waiting = UserFactory(email="waiting@example.org", email_confirmed=False)
    UserFactory(email="done@example.org", email_confirmed=True)

    page = client.get(_confirm_url(_uid(waiting), "expired-token"))
    assert page.status_code == 400
    assert reverse("accounts:resend_confirmation") in page.content.decode()

    answers = {}
    for address in ["waiting@example.org", "done@example.org", "nobody@example.org"]:
        mail.outbox.clear()
        response = client.post(reverse("accounts:resend_confirmation"), {"email": address})
        assert response.status_code == 200
        answers[address] = comparable(response, address)
        if address == "waiting@example.org":
            assert len(mail.outbox) == 1
            assert mail.outbox[0].to == ["waiting@example.org"]
            link = next(w for w in mail.outbox[0].body.split() if "/accounts/confirm/" in w)
        else:
            assert mail.outbox == []
    assert len(set(answers.values())) == 1

    # The new link confirms (and does not log in).
    response = client.get(link)
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.email_confirmed
    _assert_nobody_logged_in(client)


def test_resending_confirmation_links_is_rate_limited(client, rate_limits):
    UserFactory(email="waiting@example.org", email_confirmed=False)
    statuses = [
        client.post(
            reverse("accounts:resend_confirmation"), {"email": "waiting@example.org"}
        ).status_code
        for _ in range(30)
    ]
    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    assert len(mail.outbox) == 5


def test_resend_limit_per_address_holds_across_client_addresses(rate_limits):
    UserFactory(email="waiting@example.org", email_confirmed=False)
    statuses = []
    for i in range(12):
        client = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
        statuses.append(
            client.post(
                reverse("accounts:resend_confirmation"), {"email": "Waiting@Example.org"}
            ).status_code
        )
    assert statuses.count(200) == 5
    assert len(mail.outbox) == 5
