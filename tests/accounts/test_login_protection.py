"""Issue 8, finding 3: failed logins are throttled and locked out (django-axes per address and client
address, the "login" rate limit per client address); the answer never says whether an address has an
account."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import comparable
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def _login(client, email, password):
    return client.post(reverse(LOGIN), {"username": email, "password": password})


def _error_box(response) -> str:
    text = response.content.decode()
    start = text.index('class="form-errors"')
    return text[start : text.index("</div>", start)]


def test_hundred_wrong_passwords_lock_out_even_the_right_one(client, login_lockout):
    user = UserFactory(email="target@example.org")
    statuses = [_login(client, "target@example.org", f"wrong-{i}").status_code for i in range(100)]
    # Four plain failures, the fifth locks out; every further attempt is refused without a check.
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}

    response = _login(client, "target@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldungen" in page
    assert "15 Minuten" in page

    # The address in another spelling is the same address.
    assert _login(client, " TARGET@example.org", DEFAULT_PASSWORD).status_code == 429

    # After the cool-off the right password works again (and resets the counter).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = _login(client, "target@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not AccessAttempt.objects.exists()


def test_lockout_is_per_client_address(login_lockout):
    user = UserFactory(email="target@example.org")
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for i in range(5):
        _login(attacker, "target@example.org", f"wrong-{i}")
    assert _login(attacker, "target@example.org", DEFAULT_PASSWORD).status_code == 429

    # The owner, from their own address, is not locked out by the attacker.
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert _login(owner, "target@example.org", DEFAULT_PASSWORD).status_code == 302
    assert owner.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_and_unknown_address_get_the_same_answer(login_lockout):
    UserFactory(email="known@example.org")
    known, unknown = Client(), Client()
    known_answers = [_login(known, "known@example.org", f"wrong-{i}") for i in range(6)]
    unknown_answers = [_login(unknown, "nobody@example.org", f"wrong-{i}") for i in range(6)]
    assert [r.status_code for r in known_answers] == [r.status_code for r in unknown_answers]
    assert _error_box(known_answers[0]) == _error_box(unknown_answers[0])
    assert "falsch" in _error_box(known_answers[0])
    assert comparable(known_answers[0], "known@example.org") == comparable(
        unknown_answers[0], "nobody@example.org"
    )
    # The lockout page, too, is the same for both.
    assert comparable(known_answers[-1], "known@example.org") == comparable(
        unknown_answers[-1], "nobody@example.org"
    )


def test_unconfirmed_account_gets_no_password_check_while_locked_out(client, login_lockout):
    UserFactory(email="waiting@example.org", email_confirmed=False)
    for i in range(5):
        _login(client, "waiting@example.org", f"wrong-{i}")
    mail.outbox.clear()
    response = _login(client, "waiting@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "bestätigen" not in response.content.decode()
    assert mail.outbox == []


def test_failed_logins_per_client_address_are_rate_limited(rate_limits):
    """Four tries on each of many addresses stay under the lockout; the "login" limit (failures per
    client address) stops that, before any password is checked."""
    users = [UserFactory(email=f"person{i}@example.org") for i in range(4)]
    attacker = Client(REMOTE_ADDR="198.51.100.99")
    statuses = []
    for user in users:
        for i in range(3):
            statuses.append(_login(attacker, user.email, f"wrong-{i}").status_code)
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}
    # Even the right password is refused from that address now ...
    response = _login(attacker, users[0].email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # ... but not from another one.
    assert (
        _login(Client(REMOTE_ADDR="192.0.2.20"), users[0].email, DEFAULT_PASSWORD).status_code
        == 302
    )


def test_successful_logins_do_not_use_up_the_rate_limit(rate_limits):
    office = [UserFactory(email=f"colleague{i}@example.org") for i in range(15)]
    for user in office:
        client = Client(REMOTE_ADDR="192.0.2.30")  # one office behind one address
        assert _login(client, user.email, DEFAULT_PASSWORD).status_code == 302


def test_unconfirmed_account_with_right_password_is_told_to_confirm(client, rate_limits):
    UserFactory(email="waiting@example.org", email_confirmed=False)
    response = _login(client, "waiting@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "bestätigen" in response.content.decode()
    assert len(mail.outbox) == 1
    # Asking again and again does not flood the inbox (scope "confirmation_mail").
    for _ in range(8):
        _login(Client(REMOTE_ADDR="192.0.2.40"), "waiting@example.org", DEFAULT_PASSWORD)
    assert len(mail.outbox) == 5


def test_admin_login_shares_the_limits(rate_limits, login_lockout):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    attacker = Client(REMOTE_ADDR="198.51.100.123")
    # The lockout per address and client address holds on the admin's login page, too ...
    statuses = [
        attacker.post(
            reverse("admin:login"), {"username": "admin@example.org", "password": f"wrong-{i}"}
        ).status_code
        for i in range(6)
    ]
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    # ... and so does the limit per client address over many addresses.
    for i in range(4):
        attacker.post(reverse("admin:login"), {"username": f"p{i}@example.org", "password": "x"})
    other = UserFactory(email="other@example.org", is_staff=True)
    response = attacker.post(
        reverse("admin:login"), {"username": other.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # The admin's own address stays usable from elsewhere.
    assert (
        _login(Client(REMOTE_ADDR="192.0.2.50"), admin.email, DEFAULT_PASSWORD).status_code == 302
    )
