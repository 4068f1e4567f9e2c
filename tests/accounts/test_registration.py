"""Issue 8, finding 4: registration applies the password rules (12 characters, no "Sommer2024"),
answers the same for taken addresses (their owner gets a mail) and is rate limited."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from tests.accounts.helpers import comparable
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Sonnenblume-Weizenfeld-42"


def _register(client, **overrides):
    data = {
        "full_name": "Hanna Hansen",
        "email": "hanna@example.org",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "accept_privacy": "on",
        **overrides,
    }
    return client.post(reverse("accounts:register"), data)


@pytest.mark.parametrize(
    "password",
    [
        "Sommer2024",
        "Sommer2024!!",
        "Winter2025!",
        "Winter2025!!!",
        "Passwort123",
        "Passwort1234!",
        "Dezember2024!!",
        "!!2024Fruehling",
        "Hansen-2024-01",  # the person's own name with a date
        "Kurz-Satz-1",  # several words, but shorter than 12 characters
    ],
)
def test_guessable_passwords_are_refused_at_registration(client, password):
    response = _register(client, password1=password, password2=password)
    assert response.status_code == 200
    assert not User.objects.filter(email="hanna@example.org").exists()
    body = response.content.decode()
    assert "leicht zu erraten" in body or "mindestens 12 Zeichen" in body


@pytest.mark.parametrize(
    "password", [GOOD_PASSWORD, "Lindenallee und Hafenkran", "correcthorsebatterystaple"]
)
def test_good_passwords_are_accepted(client, password):
    response = _register(client, password1=password, password2=password)
    assert response.status_code == 200
    assert User.objects.filter(email="hanna@example.org").exists()


def test_password_rules_show_their_help_text(client):
    body = client.get(reverse("accounts:register")).content.decode()
    assert "12 Zeichen" in body
    assert "Sommer2024" in body


def test_the_rules_apply_to_every_password_form():
    user = UserFactory(full_name="Hanna Hansen", email="hanna@example.org")
    for password in ["Sommer2024!!", "Hanna2024!!!", "kurz-1"]:
        with pytest.raises(ValidationError):
            validate_password(password, user)
    validate_password(GOOD_PASSWORD, user)


def test_taken_address_gets_the_same_answer_and_its_owner_a_mail(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="taken@example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        taken = _register(Client(), email="Taken@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        new = _register(Client(), email="fresh@example.org")

    assert taken.status_code == new.status_code == 200
    assert comparable(taken, "taken@example.org") == comparable(new, "fresh@example.org")
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(DEFAULT_PASSWORD)  # nothing about the account changed

    to_owner = [m for m in mail.outbox if m.to == ["taken@example.org"]]
    assert len(to_owner) == 1
    body = to_owner[0].body
    assert "tried to register" in to_owner[0].subject  # in the owner's language
    with translation.override("en"):  # links to the pages in the owner's language
        assert "http://testserver" + reverse("accounts:login") in body
        assert "http://testserver" + reverse("accounts:password_reset") in body
    assert "/en/accounts/login/" in body
    assert "/accounts/confirm/" not in body  # confirmed already: no confirmation link


def test_owner_mail_is_sent_only_after_commit(client, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _register(client, email="taken@example.org")
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_taken_unconfirmed_address_gets_a_confirmation_link(django_capture_on_commit_callbacks):
    UserFactory(
        email="waiting@example.org",
        email_confirmed=False,
        date_joined=timezone.now() - timedelta(hours=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _register(Client(), email="waiting@example.org")
    assert len(mail.outbox) == 1
    assert "/accounts/confirm/" in mail.outbox[0].body


def test_registration_is_rate_limited_per_client_address(rate_limits):
    client = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [_register(client, email=f"person{i}@example.org").status_code for i in range(8)]
    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    assert User.objects.count() == 5
    # Another client address may still register.
    assert _register(Client(REMOTE_ADDR="192.0.2.8"), email="late@example.org").status_code == 200


def test_owner_of_a_taken_address_is_not_flooded(rate_limits, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")
    for i in range(12):
        with django_capture_on_commit_callbacks(execute=True):
            response = _register(
                Client(REMOTE_ADDR=f"198.51.100.{i + 1}"), email="taken@example.org"
            )
        assert response.status_code == 200
    assert len(mail.outbox) == 5


def test_full_name_is_required(client):
    response = _register(client, full_name="   ")
    assert response.status_code == 200
    assert not User.objects.exists()


def test_double_submit_creates_one_account_and_one_mail(client, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert _register(client).status_code == 200
    assert User.objects.filter(email="hanna@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert "/accounts/confirm/" in mail.outbox[0].body
