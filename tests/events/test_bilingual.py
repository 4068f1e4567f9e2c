"""Events in both languages: optional English title and description with fallback to German."""

import re

import pytest

from events.models import Event

from .factories import EventFactory
from .test_security import api_event
from .test_views import form_data

pytestmark = pytest.mark.django_db


def _h1(html):
    return re.search(r"<h1([^>]*)>(.*?)</h1>", html, re.S).groups()


def test_english_event_page_shows_english_texts_and_marks_german_fallbacks(client, cluster):
    event = EventFactory(
        cluster=cluster,
        title="Werkstatt Wasserstoff",
        title_en="Hydrogen workshop",
        description="Wir bauen einen Elektrolyseur.",
    )
    english = client.get(f"/en/events/{event.slug}/").content.decode()
    attrs, title = _h1(english)
    assert title == "Hydrogen workshop" and "lang=" not in attrs
    assert "<title>Hydrogen workshop" in english
    assert '<div lang="de"><p>Wir bauen einen Elektrolyseur.</p></div>' in english
    listing = client.get("/en/events/").content.decode()
    assert f'href="/en/events/{event.slug}/">Hydrogen workshop</a>' in listing

    german = client.get(f"/events/{event.slug}/").content.decode()
    attrs, title = _h1(german)
    assert title == "Werkstatt Wasserstoff" and "lang=" not in attrs
    assert "Hydrogen workshop" not in german

    event.title_en = ""
    event.description_en = "We build an electrolyser."
    event.save()
    english = client.get(f"/en/events/{event.slug}/").content.decode()
    attrs, title = _h1(english)
    assert title == "Werkstatt Wasserstoff" and 'lang="de"' in attrs
    assert "<div><p>We build an electrolyser.</p></div>" in english
    assert 'lang="de">Werkstatt Wasserstoff</a>' in client.get("/en/events/").content.decode()


def test_event_form_has_an_optional_english_fieldset(client_for, users, cluster):
    client = client_for(users["manager"])
    page = client.get("/events/new/").content.decode()
    assert "<legend>Englische Fassung (optional)</legend>" in page
    assert 'name="title_en"' in page and 'name="description_en"' in page
    data = form_data(cluster, title_en="Hydrogen workshop", description_en="Bring your ideas.")
    assert client.post("/events/new/", data).status_code == 302
    event = Event.objects.get()
    assert (event.title_en, event.description_en) == ("Hydrogen workshop", "Bring your ideas.")


def test_api_reads_and_writes_both_languages(client_for, users, cluster):
    client = client_for(users["manager"])
    response = client.post(
        "/api/events/",
        api_event(cluster, title_en="Brokerage event", description_en="Meet partners."),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Kooperationsbörse API" and body["title_en"] == "Brokerage event"
    assert body["description_en"] == "Meet partners."
    too_long = client.post(
        "/api/events/", api_event(cluster, title_en="x" * 201), content_type="application/json"
    )
    assert too_long.status_code == 422
    listed = client.get("/api/events/").json()["items"]
    assert [e["title_en"] for e in listed] == ["Brokerage event"]


def test_demo_events_have_english_texts(client):
    from django.apps import apps

    from tests.factories import ClusterFactory, MembershipFactory, UserFactory

    first = ClusterFactory()
    MembershipFactory(cluster=first)
    UserFactory(email="manager@openregion.example")
    apps.get_app_config("events").seed_demo(stdout=None, scale=False)
    events = Event.objects.all()
    assert events.exists()
    assert not events.filter(title_en="").exists() and not events.filter(description_en="").exists()
    # the German texts no longer carry English notes of their own
    assert not events.filter(description__contains="in German").exists()
