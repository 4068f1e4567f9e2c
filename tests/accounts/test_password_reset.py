"""Issue 8, finding 2: password reset links work once and for one hour, never log in; the request
answers the same for known and unknown addresses and is rate limited (30 mails in a row: no more)."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import comparable
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Neues-Passwort-Lindenallee-7"


def _request_reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def _reset_link() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


def _set_password(client, link, password=NEW_PASSWORD):
    """Open the link (Django moves the token into the session) and post the new password."""
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_reset_timeout_is_one_hour():
    assert django_settings.PASSWORD_RESET_TIMEOUT == 60 * 60


def test_reset_link_works_once_and_does_not_log_in(client):
    user = UserFactory(email="reset@example.org")
    _request_reset(client, "reset@example.org")
    link = _reset_link()

    response = _set_password(client, link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session  # post_reset_login stays False
    assert client.get(reverse("accounts:profile")).status_code == 302

    # Second use of the same link: refused, the password stays.
    other = Client()
    response = other.get(link, follow=True)
    assert response.context["validlink"] is False
    assert "nicht mehr gültig" in response.content.decode()
    response = _set_password(other, link, "Ganz-Anderes-Passwort-Eichenweg-9")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in other.session


def test_reset_link_expires_after_an_hour(client):
    user = UserFactory(email="reset@example.org")
    _request_reset(client, "reset@example.org")
    link = _reset_link()
    later = datetime.now() + timedelta(minutes=61)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = client.get(link, follow=True)
        assert response.context["validlink"] is False
        _set_password(client, link)
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)

    # Within the hour the link works.
    sooner = datetime.now() + timedelta(minutes=55)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=sooner):
        assert _set_password(Client(), link).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_request_answers_the_same_for_known_and_unknown_addresses(client):
    UserFactory(email="known@example.org")
    UserFactory(email="waiting@example.org", email_confirmed=False)
    answers = []
    for address in ["known@example.org", "waiting@example.org", "unknown@example.org"]:
        response = _request_reset(client, address)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_reset_done")
        answers.append(comparable(client.get(response["Location"])))
    assert len(set(answers)) == 1
    assert [m.to for m in mail.outbox] == [["known@example.org"], ["waiting@example.org"]]


def test_reset_form_applies_the_password_rules(client):
    user = UserFactory(email="reset@example.org")
    _request_reset(client, "reset@example.org")
    response = _set_password(client, _reset_link(), "Sommer2024!!")
    assert response.status_code == 200
    assert "leicht zu erraten" in response.content.decode()
    user.refresh_from_db()
    assert not user.check_password("Sommer2024!!")


def test_thirty_reset_requests_in_a_row_send_at_most_five_mails(client, rate_limits):
    UserFactory(email="victim@example.org")
    statuses = [_request_reset(client, "victim@example.org").status_code for _ in range(30)]
    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert len(mail.outbox) == 5


def test_reset_limit_per_address_holds_across_client_addresses(rate_limits):
    UserFactory(email="victim@example.org")
    statuses = []
    for i in range(30):
        client = Client(REMOTE_ADDR=f"203.0.113.{i + 1}")
        statuses.append(_request_reset(client, "Victim@Example.org ").status_code)
    assert statuses.count(302) == 5
    assert len(mail.outbox) == 5


def test_reset_limit_per_client_address_over_many_addresses(client, rate_limits):
    for i in range(10):
        UserFactory(email=f"person{i}@example.org")
    statuses = [_request_reset(client, f"person{i}@example.org").status_code for i in range(10)]
    assert statuses.count(302) == 5
    assert len(mail.outbox) == 5
    # The limit is not a hint: unknown addresses count the same.
    assert _request_reset(client, "unknown@example.org").status_code == 429
