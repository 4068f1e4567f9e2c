"""Issue 8: a double submit creates one posting and one expression of interest, also when the two
requests run at the same time (SQLite and PostgreSQL)."""

import pytest

from actors.models import Organisation
from matching import services
from matching.forms import PostingForm
from matching.models import Interest, Posting
from tests.concurrency import run_at_once
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

from .factories import PostingFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def _posting_form(user, organisation, title="Doppelt abgeschickt"):
    form = PostingForm(
        {
            "organisation": organisation.pk,
            "kind": "tech_offer",
            "title": title,
            "description": "Laseroptik für die Fertigung.",
            "visibility": "public",
        },
        organisations=services.user_organisations(user),
    )
    assert form.is_valid(), form.errors
    return form


@pytest.fixture
def author():
    organisation = OrganisationFactory()
    user = PersonFactory(organisation=organisation, user=UserFactory()).user
    return user, organisation


def test_parallel_double_submits_create_one_posting(author, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user, organisation = author
    results = []

    def submit():
        org = Organisation.objects.get(pk=organisation.pk)
        results.append(services.save_posting(user, _posting_form(user, org), publish=True).pk)

    run_at_once([submit for _ in range(THREADS)])
    assert Posting.objects.filter(title="Doppelt abgeschickt").count() == 1
    assert len(set(results)) == 1 and len(results) == THREADS


def test_sequential_double_submit_creates_one_posting_but_new_content_a_new_one(author, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user, organisation = author
    first = services.save_posting(user, _posting_form(user, organisation))
    again = services.save_posting(user, _posting_form(user, organisation))
    assert first.pk == again.pk
    other = services.save_posting(user, _posting_form(user, organisation, title="Etwas anderes"))
    assert other.pk != first.pk and Posting.objects.count() == 2


def test_parallel_double_submits_create_one_interest(author):
    user, organisation = author
    posting = PostingFactory()
    results = []

    def submit():
        results.append(
            services.express_interest(
                user, Posting.objects.get(pk=posting.pk), organisation, "Wir sind interessiert."
            ).pk
        )

    run_at_once([submit for _ in range(THREADS)])
    assert Interest.objects.filter(posting=posting).count() == 1
    assert len(set(results)) == 1 and len(results) == THREADS


def test_sequential_double_submit_creates_one_interest(author, client):
    user, organisation = author
    posting = PostingFactory()
    client.force_login(user)
    url = f"/marketplace/{posting.pk}/interest/"
    data = {"organisation": organisation.pk, "message": "Wir sind interessiert."}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "Vielen Dank" in response.content.decode()  # the same answer, not an error
    assert Interest.objects.filter(posting=posting).count() == 1
