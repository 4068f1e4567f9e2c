"""Issue 8: rate limits (429), bounded numbers, safe redirects and 404 for bad ids in the
marketplace."""

import pytest
from django.urls import reverse

from matching.models import Interest, Posting
from notifications.models import Notification
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

from .factories import InterestFactory, PostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    organisation = OrganisationFactory()
    user = PersonFactory(organisation=organisation, user=UserFactory()).user
    return user, organisation


def _posting_data(organisation, n):
    return {
        "organisation": organisation.pk,
        "kind": "tech_offer",
        "title": f"Angebot {n}",
        "description": "Laseroptik",
        "visibility": "public",
        "action": "publish",
    }


def test_creating_postings_is_rate_limited_on_the_page_and_the_api(client, actor, rate_limits):
    rate_limits.OPENREGION_RATE_LIMITS = {"posting": (3, 3600)}
    user, organisation = actor
    client.force_login(user)
    url = reverse("matching:posting_create")
    for n in range(2):
        assert client.post(url, _posting_data(organisation, n)).status_code == 302
    body = {"organisation": organisation.slug, "kind": "tech_offer", "title": "API",
            "description": "Laseroptik"}  # fmt: skip
    api = "/api/marketplace/postings"
    assert client.post(api, body, content_type="application/json").status_code == 201
    response = client.post(url, _posting_data(organisation, 9))
    assert response.status_code == 429
    assert (
        client.post(api, {**body, "title": "API 2"}, content_type="application/json").status_code
        == 429
    )
    assert Posting.objects.count() == 3


def test_expressing_interest_is_rate_limited(client, actor, rate_limits):
    rate_limits.OPENREGION_RATE_LIMITS = {"interest": (2, 3600)}
    user, organisation = actor
    client.force_login(user)
    postings = PostingFactory.create_batch(4)
    for posting in postings[:2]:
        response = client.post(
            reverse("matching:interest_create", args=[posting.pk]),
            {"organisation": organisation.pk, "message": "Interesse"},
        )
        assert response.status_code == 302
    response = client.post(
        reverse("matching:interest_create", args=[postings[2].pk]),
        {"organisation": organisation.pk, "message": "Interesse"},
    )
    assert response.status_code == 429
    response = client.post(
        f"/api/marketplace/postings/{postings[3].pk}/interests",
        {"organisation": organisation.slug, "message": "Interesse"},
        content_type="application/json",
    )
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Interest.objects.count() == 2


def test_decision_redirects_only_to_local_addresses(client, actor):
    user, organisation = actor
    posting = PostingFactory(organisation=organisation)  # no cluster: its own people broker
    url = lambda i: reverse("matching:interest_decide", args=[i.pk])  # noqa: E731
    client.force_login(user)
    for target in ("https://evil.example/", "//evil.example/x", "http:///evil.example"):
        interest = InterestFactory(posting=posting)
        response = client.post(url(interest), {"decision": "decline", "next": target})
        assert response.status_code == 302 and response.url == posting.get_absolute_url()
    interest = InterestFactory(posting=posting)
    response = client.post(
        url(interest), {"decision": "decline", "next": "/marketplace/interests/"}
    )
    assert response.url == "/marketplace/interests/"


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999999",
        "page=0",
        "page=1001",
        "page_size=1000",
        "page_size=0",
        "page=-1",
        "country=DEA4XYZ",
        "q=" + "x" * 201,
    ],
)
def test_api_list_bounds_answer_422_not_500(client, query):
    PostingFactory()
    assert client.get(f"/api/marketplace/postings?{query}").status_code == 422


def test_api_suggestion_limits_and_ids_are_bounded(client):
    posting = PostingFactory()
    org = posting.organisation
    base = f"/api/marketplace/postings/{posting.pk}/suggestions"
    for limit in ("0", "51", "99999999999999999999", "abc"):
        assert client.get(f"{base}?limit={limit}").status_code == 422
        url = f"/api/marketplace/organisations/{org.slug}/suggestions?limit={limit}"
        assert client.get(url).status_code == 422
    assert client.get(f"{base}?limit=50").status_code == 200
    assert client.get("/api/marketplace/postings/99999999999999999999999").status_code == 422
    assert client.get("/api/marketplace/postings/abc").status_code == 422
    assert client.get("/api/marketplace/postings/2147483647").status_code == 404


def test_pages_bound_numbers_and_answer_404_for_bad_ids(client, actor):
    user, _organisation = actor
    PostingFactory.create_batch(3)
    url = reverse("matching:marketplace")
    for page in ("99999999999999999999999", "-5", "abc", "1e9"):
        assert client.get(url, {"page": page}).status_code == 200
    assert client.get("/marketplace/abc/").status_code == 404
    assert client.get("/marketplace/99999999999999999999999/").status_code == 404
    client.force_login(user)
    notifications = reverse("notifications:list")
    assert client.get(notifications, {"page": "99999999999999999999"}).status_code == 200
    assert client.post("/notifications/abc/read/").status_code == 404
    assert client.post(f"/notifications/{'9' * 40}/read/").status_code == 404
    note = Notification.objects.create(
        recipient=user, kind="legacy", params={"text": "Hallo"}, link="/marketplace/"
    )
    response = client.post(reverse("notifications:mark_read", args=[note.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/marketplace/"
