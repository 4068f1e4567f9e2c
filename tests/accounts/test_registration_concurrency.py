"""A registration submitted twice at the same moment creates one account and sends one mail."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_double_submit_creates_one_account_and_one_mail():
    data = {
        "full_name": "Hanna Hansen",
        "email": "hanna@example.org",
        "password1": "Sonnenblume-Weizenfeld-42",
        "password2": "Sonnenblume-Weizenfeld-42",
        "accept_privacy": "on",
    }
    statuses = []

    def submit():
        statuses.append(Client().post(reverse("accounts:register"), data).status_code)

    run_at_once([submit, submit, submit])
    assert statuses == [200, 200, 200]
    assert User.objects.filter(email="hanna@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanna@example.org"]
