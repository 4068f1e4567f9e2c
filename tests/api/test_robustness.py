"""The API's answers to bad input and heavy use: bounded pages (422), oversized bodies (413), text the
database cannot store (400), rate limits (429) — never a 500."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory

from actors.models import ClusterRole
from core.api_pagination import MAX_PAGE, MAX_PAGE_SIZE
from matching.models import Posting
from openregion import api as api_module
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.ideas.factories import CallFactory

HUGE_PAGE = "99999999999999999999"


@pytest.fixture
def world(db):
    cluster = ClusterFactory()
    org = MembershipFactory(cluster=cluster).organisation
    member = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=org
    ).user
    PersonFactory(organisation=org, user=member)
    call = CallFactory(organiser=org)
    return {"cluster": cluster, "org": org, "member": member, "call": call}


def _bound(parameter, key):
    schema = parameter["schema"]
    if key in schema:
        return schema[key]
    return next(branch[key] for branch in schema.get("anyOf", []) if key in branch)


def _paginated(client, world) -> list[tuple[str, int]]:
    """Every API operation with a `page` parameter (its path parameters filled in), with its
    published maximum page."""
    schema = client.get("/api/openapi.json").json()
    fill = {
        "/api/actors/clusters/{slug}/memberships": {"slug": world["cluster"].slug},
        "/api/calls/{slug}/ideas": {"slug": world["call"].slug},
    }
    found = []
    for path, operations in schema["paths"].items():
        parameters = {p["name"]: p for p in operations.get("get", {}).get("parameters", [])}
        if "page" not in parameters:
            continue
        if "{" in path:
            assert path in fill, f"add path parameters for the paginated operation {path}"
            path = path.format(**fill[path])
        found.append((path, _bound(parameters["page"], "maximum")))
    return found


def test_every_paginated_operation_publishes_its_bounds(client, world):
    schema = client.get("/api/openapi.json").json()
    bounded = 0
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["name"] == "page":
                assert _bound(parameter, "minimum") == 1, path
                assert 1 < _bound(parameter, "maximum") <= MAX_PAGE, path
                bounded += 1
            if parameter["name"] == "page_size":
                assert _bound(parameter, "minimum") == 1, path
                assert _bound(parameter, "maximum") <= MAX_PAGE_SIZE, path
                bounded += 1
    assert bounded >= 2 * 8  # eight paginated list operations


def test_a_huge_page_number_is_a_422_with_a_clear_message_on_every_list(client, world):
    client.force_login(world["member"])  # some lists are personal (notifications)
    paginated = _paginated(client, world)
    assert len(paginated) >= 8
    for path, _max_page in paginated:
        response = client.get(path, {"page": HUGE_PAGE}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422, (path, response.status_code)
        [error] = response.json()["detail"]
        assert error["loc"] == ["query", "page"], path
        assert "between 1 and" in error["msg"], error


def test_page_and_page_size_bounds(client, world):
    client.force_login(world["member"])  # some lists are personal (notifications)
    for path, max_page in _paginated(client, world):
        assert client.get(path, {"page": max_page}).status_code == 200, path
        assert client.get(path, {"page": max_page + 1}).status_code == 422, path
        assert client.get(path, {"page": 0}).status_code == 422, path
        assert client.get(path, {"page_size": MAX_PAGE_SIZE}).status_code == 200, path
        too_big = client.get(path, {"page_size": MAX_PAGE_SIZE + 1}, HTTP_ACCEPT_LANGUAGE="en")
        assert too_big.status_code == 422, path
        assert "page size" in too_big.json()["detail"][0]["msg"]


def test_api_messages_are_german_by_default_and_follow_accept_language(client, world):
    german = client.get("/api/calls/", {"page": HUGE_PAGE})
    assert german.json()["detail"][0]["msg"] == "Die Seitenzahl muss zwischen 1 und 10000 liegen."
    english = client.get("/api/calls/", {"page": HUGE_PAGE}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"][0]["msg"] == "The page number must be between 1 and 10000."


# -- request bodies ---------------------------------------------------------------------------


def _posting_body(world, title="Robotik gesucht"):
    return {
        "organisation": world["org"].slug,
        "kind": "tech_request",
        "title": title,
        "description": "Wir suchen Roboterzellen für die Montage.",
    }


def test_a_json_body_over_the_limit_is_a_413_json(client, world, settings):
    client.force_login(world["member"])
    body = json.dumps({**_posting_body(world), "description": "x" * 3_000_000})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        "/api/marketplace/postings",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large."}
    assert not Posting.objects.exists()


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_multipart_body_over_the_limit_is_a_413_not_a_500(client, world, settings, debug):
    """The middleware lets multipart bodies through (files may be large); when the API reads such a
    body Django raises RequestDataTooBig, which must not become ninja's 500 (debug) or a 400."""
    settings.DEBUG = debug
    client.force_login(world["member"])
    client.raise_request_exception = False
    response = client.post(
        "/api/marketplace/postings",
        {"title": "x" * 3_000_000},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large."}


def test_a_body_without_content_length_is_read_as_empty(world):
    """Chunked requests reach a WSGI app without CONTENT_LENGTH: Django reads no body, so the limit
    cannot be bypassed and the API answers 'field required' (422), not 500."""
    from django.core.handlers.wsgi import WSGIHandler

    body = json.dumps({**_posting_body(world), "description": "x" * 3_000_000}).encode()
    environ = RequestFactory()._base_environ(
        PATH_INFO="/api/marketplace/postings",
        REQUEST_METHOD="POST",
        CONTENT_TYPE="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    environ["wsgi.input"] = io.BytesIO(body)
    environ.pop("CONTENT_LENGTH", None)
    request = WSGIRequest(environ)
    assert request.body == b""
    statuses = []
    WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    assert statuses and not statuses[0].startswith("5"), statuses


@pytest.mark.parametrize(
    "escaped",
    ['"\\ud800"', '"Robotik \\udfff gesucht"', '"\\u0000"'],
    ids=["lone-high-surrogate", "lone-low-surrogate", "nul"],
)
def test_text_the_database_cannot_store_is_a_400(client, world, escaped):
    client.force_login(world["member"])
    body = json.dumps(_posting_body(world)).replace('"Robotik gesucht"', escaped)
    assert escaped in body
    response = client.post(
        "/api/marketplace/postings",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "surrogate" in detail or "NUL" in detail
    assert not Posting.objects.exists()


def test_a_surrogate_in_a_key_or_nested_value_is_a_400_too(client, world):
    client.force_login(world["member"])
    body = json.dumps(_posting_body(world))[:-1] + ', "sectors": ["C28", "\\ud83d"]}'
    response = client.post("/api/marketplace/postings", body, content_type="application/json")
    assert response.status_code == 400


def test_broken_json_is_a_400_with_a_clear_message(client, world):
    client.force_login(world["member"])
    response = client.post(
        "/api/marketplace/postings",
        '{"title": ',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


@pytest.mark.parametrize(
    "url",
    [
        "/api/actors/organisations?q=%00",
        "/api/events/%00",
        "/api/calls/%00/ideas",
    ],
)
def test_a_nul_character_in_the_address_is_a_400(client, world, url):
    """PostgreSQL refuses NUL in every query (a 500 wherever the value is used); refuse it first."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request contains a NUL character, which is not allowed."
    }


def test_a_nul_character_in_a_cookie_is_a_400(client, world):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/api/calls/").status_code == 400


# -- rate limits ------------------------------------------------------------------------------


def test_api_reads_are_rate_limited_per_user_with_a_429(client, world, rate_limits):
    rate_limits.OPENREGION_RATE_LIMITS = {"api_read": (3, 60), "api_write": (2, 60)}
    client.force_login(world["member"])
    for _ in range(3):
        assert client.get("/api/calls/").status_code == 200
    response = client.get("/api/actors/clusters", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many requests. Please wait a moment and try again."}
    assert 1 <= int(response["Retry-After"]) <= 60
    # another client (anonymous: counted by address) is not affected by this user's requests
    client.logout()
    assert client.get("/api/calls/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_api_writes_are_rate_limited_with_a_429(client, world, rate_limits):
    rate_limits.OPENREGION_RATE_LIMITS = {"api_read": (100, 60), "api_write": (2, 60)}
    client.force_login(world["member"])
    for _ in range(2):
        response = client.post(
            "/api/marketplace/postings", {"title": ""}, content_type="application/json"
        )
        assert response.status_code == 422  # counted, then refused by validation
    response = client.post(
        "/api/marketplace/postings",
        _posting_body(world),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es erneut."
    )
    assert not Posting.objects.exists()
    # reads have their own budget
    assert client.get("/api/calls/").status_code == 200


def test_anonymous_api_reads_are_limited_per_address(client, world, rate_limits):
    rate_limits.OPENREGION_RATE_LIMITS = {"api_read": (2, 60)}
    for _ in range(2):
        assert client.get("/api/calls/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/api/calls/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/calls/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_without_the_switch_there_is_no_api_limit(client, world, settings):
    settings.OPENREGION_RATE_LIMITS = {"api_read": (1, 60)}
    assert settings.OPENREGION_RATE_LIMITS_ENABLED is False  # tests switch limits off by default
    for _ in range(3):
        assert client.get("/api/calls/").status_code == 200


# -- error handlers ---------------------------------------------------------------------------


def test_a_refused_rule_in_a_service_is_a_403_json_with_a_message(db):
    request = RequestFactory().get("/api/calls/", HTTP_ACCEPT_LANGUAGE="en")
    from django.utils import translation

    with translation.override("en"):
        response = api_module.permission_denied(request, PermissionDenied("ideas.vote"))
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "You are not allowed to do this."}


def test_a_rate_limit_of_a_service_reached_through_the_api_is_a_429_json(db):
    from core.ratelimit import RateLimited

    request = RequestFactory().post("/api/marketplace/postings")
    response = api_module.rate_limited(request, RateLimited("posting", retry_after=30))
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "detail" in json.loads(response.content)


def test_the_api_docs_load_nothing_from_third_parties(client, db):
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page
    assert "https://" not in page
