"""An htmx request answered by a redirect (a visitor clicking "Abstimmen") must not swap the login
page into the idea page: core.middleware.HtmxRedirectMiddleware turns it into HX-Redirect."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from core.middleware import HtmxRedirectMiddleware
from ideas.models import Phase
from tests.ideas.factories import IdeaFactory


@pytest.fixture
def idea(db):
    return IdeaFactory(call__phase=Phase.VOTING)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_htmx_vote_by_visitor_redirects_the_browser_to_login(client, idea, lang):
    with translation.override(lang):
        vote_url = reverse("ideas:vote", args=[idea.pk])
        page_url = reverse("ideas:idea_detail", args=[idea.pk])
        login_url = reverse("accounts:login")
    response = client.post(
        vote_url,
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page_url}?sort=new",
    )
    assert response.status_code == 204
    assert response.content == b""
    target = urlsplit(response["HX-Redirect"])
    assert target.path == login_url
    assert parse_qs(target.query)["next"] == [f"{page_url}?sort=new"]


def test_htmx_login_redirect_never_returns_to_a_foreign_page(client, idea):
    response = client.post(
        reverse("ideas:vote", args=[idea.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="https://evil.example/phish",
    )
    assert response.status_code == 204
    next_url = parse_qs(urlsplit(response["HX-Redirect"]).query)["next"][0]
    assert next_url.startswith("/") and "evil" not in next_url


def test_plain_request_keeps_the_ordinary_login_redirect(client, idea):
    response = client.post(reverse("ideas:vote", args=[idea.pk]))
    assert response.status_code == 302
    assert not response.has_header("HX-Redirect")
    assert response["Location"].startswith(reverse("accounts:login"))


def test_any_other_redirect_to_an_htmx_request_becomes_hx_redirect(rf):
    """Not only the login page: any redirect answering an htmx request is followed by the browser,
    a redirect answering an ordinary request is left alone."""
    middleware = HtmxRedirectMiddleware(lambda request: HttpResponseRedirect("/de/ideen/"))
    response = middleware(rf.post("/de/x/", HTTP_HX_REQUEST="true"))
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/de/ideen/"
    assert middleware(rf.post("/de/x/")).status_code == 302
