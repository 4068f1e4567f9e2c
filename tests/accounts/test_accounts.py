import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _link_from_mail(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _register(client, **overrides):
    data = {
        "full_name": "Hanna Hansen",
        "email": "Hanna@Example.org",
        "password1": "Sonnenblume-Weizenfeld-42",
        "password2": "Sonnenblume-Weizenfeld-42",
        "accept_privacy": "on",
        **overrides,
    }
    return client.post(reverse("accounts:register"), data)


def test_registration_sends_confirmation_and_login_only_after_confirming(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client)
    assert response.status_code == 200
    user = User.objects.get(email="hanna@example.org")
    assert not user.email_confirmed
    assert len(mail.outbox) == 1

    # Not confirmed yet: login refused with a clear message and a fresh link.
    response = client.post(
        reverse("accounts:login"),
        {"username": "hanna@example.org", "password": "Sonnenblume-Weizenfeld-42"},
    )
    assert "bestätigen" in response.content.decode()
    assert len(mail.outbox) == 2

    link = _link_from_mail(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session  # the link confirms, logging in needs the password
    user.refresh_from_db()
    assert user.email_confirmed

    response = client.post(
        reverse("accounts:login"),
        {"username": "HANNA@example.org", "password": "Sonnenblume-Weizenfeld-42"},
    )
    assert response.status_code == 302


def test_registration_rejects_bad_input_and_keeps_entries(client):
    UserFactory(email="taken@example.org")
    response = _register(client, email="taken@example.org", password2="different-password-1")
    body = response.content.decode()
    assert response.status_code == 200
    assert "existiert bereits" not in body  # no account enumeration
    assert "stimmen nicht überein" in body
    assert 'value="Hanna Hansen"' in body  # nothing typed is lost
    assert User.objects.count() == 1


def test_registration_rejects_weak_password(client):
    response = _register(client, password1="12345678", password2="12345678")
    assert response.status_code == 200
    assert not User.objects.filter(email="hanna@example.org").exists()


def test_invalid_confirmation_link(client):
    response = client.get(reverse("accounts:confirm", args=["MQ", "bad-token"]))
    assert response.status_code == 400


def test_password_reset_flow(client):
    user = UserFactory(email="reset@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "reset@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = _link_from_mail(mail.outbox[0])
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "Neues-Passwort-2026!", "new_password2": "Neues-Passwort-2026!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Neues-Passwort-2026!")


def test_login_with_wrong_password_shows_message(client):
    UserFactory(email="x@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "x@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "falsch" in response.content.decode()


def test_login_with_email(client):
    UserFactory(email="login@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "login@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


def test_profile_requires_login_and_saves(client):
    assert client.get(reverse("accounts:profile")).status_code == 302
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Neuer Name", "preferred_language": "en"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Neuer Name"
