"""Accessibility checks on the rendered markup (no browser needed).

- WCAG 2.5.3 "label in name": a control's accessible name contains the text it shows;
- one id per page (two forms on one page must not share field ids);
- WCAG 3.1.2 "language of parts": a text shown in the other language than the page carries lang;
- the live search announces a short summary ("23 Organisationen gefunden"), not the whole list.
"""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from accounts.models import User
from ideas.models import Phase
from matching import suggestions
from services.forms import BookingForm, StatusForm
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.ideas.factories import CallFactory, IdeaFactory
from tests.services.factories import ServiceFactory
from tests.test_site_crawl import SKIP, pattern

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def squash(text):
    return re.sub(r"\s+", " ", text).strip().lower()


class MarkupAudit(HTMLParser):
    """Collects ids, links, and (aria-label, visible text) of every named link and button."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.named = Counter(), [], []
        self._stack = []  # (tag, hidden, collector index or None)

    def _hidden(self):
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids[a["id"]] += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "input" and a.get("type") in {"submit", "button"} and a.get("aria-label"):
            self.named.append([a["aria-label"], a.get("value", "")])
        if tag in VOID:
            return
        hidden = (
            self._hidden()
            or "visually-hidden" in (a.get("class") or "").split()
            or a.get("aria-hidden") == "true"
        )
        collector = None
        if tag in {"a", "button"} and a.get("aria-label") is not None:
            self.named.append([a["aria-label"], ""])
            collector = len(self.named) - 1
        elif self._stack:
            collector = self._stack[-1][2]
        self._stack.append((tag, hidden, collector))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data):
        if self._stack and self._stack[-1][2] is not None and not self._hidden():
            self.named[self._stack[-1][2]][1] += data

    def label_not_in_name(self):
        return [
            (label, squash(text))
            for label, text in self.named
            if squash(text) and squash(text) not in squash(label)
        ]

    def duplicate_ids(self):
        return sorted(id_ for id_, n in self.ids.items() if n > 1)


def audit(html):
    parser = MarkupAudit()
    parser.feed(html)
    return parser


def crawl(client, start, pages_per_pattern=2, max_pages=250):
    """{url: html} of the pages reached by following links from `start` in its language."""
    english = start.startswith("/en/")
    queue, seen, per_pattern, pages = deque([start]), {start}, Counter(), {}
    while queue and len(pages) < max_pages:
        url = queue.popleft()
        key = pattern(urlsplit(url).path)
        if per_pattern[key] >= pages_per_pattern:
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        per_pattern[key] += 1
        html = response.content.decode()
        pages[url] = html
        for href in audit(html).links:
            href = urldefrag(href)[0]
            if href.startswith("?"):
                href = urlsplit(url).path + href
            if not href.startswith("/") or href.startswith("//") or SKIP.search(href):
                continue
            if href.startswith("/en/") == english and href not in seen:
                seen.add(href)
                queue.append(href)
    return pages


def test_parser_detects_label_not_in_name_and_duplicate_ids():
    page = audit(
        '<button aria-label="Für Ideen stimmen">Abstimmen</button>'
        '<button aria-label="Abstimmen: Idee">Abstimmen</button>'
        '<button>Abstimmen<span class="visually-hidden">: Idee</span></button>'
        '<a href="/x" aria-label="Mehr über X"><span aria-hidden="true">→</span> Mehr</a>'
        '<input id="id_text"><input id="id_text">'
    )
    assert page.label_not_in_name() == [("Für Ideen stimmen", "abstimmen")]
    assert page.duplicate_ids() == ["id_text"]


@pytest.mark.parametrize("email", ["manager@openregion.example", "orgadmin@openregion.example"])
def test_demo_pages_have_label_in_name_and_unique_ids(client, settings, email):
    """Crawl the demo in German and English; no page may break label-in-name or repeat an id."""
    settings.OPENREGION_TEXT_ENCODER = "hashing"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    suggestions.clear_cache()
    call_command("seed_demo", clusters=2, organisations=80, seed=11)
    client.force_login(User.objects.get(email=email))
    problems = []
    pages = {**crawl(client, "/"), **crawl(client, "/en/")}
    suggestions.clear_cache()
    for url, html in pages.items():
        page = audit(html)
        for label, text in page.label_not_in_name():
            problems.append(f"{url}: accessible name {label!r} does not contain {text!r}")
        if page.duplicate_ids():
            problems.append(f"{url}: duplicate ids {page.duplicate_ids()}")
    assert len(pages) > 40
    assert problems == [], "\n".join(problems)


def test_vote_and_moderation_buttons_name_starts_with_their_text(client_for):
    call = CallFactory(phase=Phase.VOTING)
    idea = IdeaFactory(call=call, title="Mentoring-Netz")
    client = client_for(UserFactory())
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Abstimmen" in html
    page = audit(html)
    assert page.label_not_in_name() == []
    assert '>Abstimmen<span class="visually-hidden">: Mentoring-Netz</span></button>' in html


def test_pages_with_two_forms_give_each_field_its_own_id(client_for):
    call = CallFactory(phase=Phase.VOTING)
    html = client_for(call.created_by).get(f"/calls/{call.slug}/manage/").content.decode()
    assert 'id="juror_email"' in html and 'id="manager_email"' in html
    assert audit(html).duplicate_ids() == []

    manager = ClusterRoleFactory().user
    cluster = manager.cluster_roles.get().cluster
    html = client_for(manager).get(f"/clusters/{cluster.slug}/manage/").content.decode()
    assert 'id="invite_organisation"' in html and 'id="role_organisation"' in html
    assert audit(html).duplicate_ids() == []

    service = ServiceFactory()
    ids = {BookingForm()["note"].auto_id, StatusForm(service=service)["note"].auto_id}
    assert ids == {"booking_note", "status_note"}


def test_foreign_organisation_texts_carry_their_language(client):
    english_only = OrganisationFactory(
        description_de="", description_en="We build sensor networks for smart farming."
    )
    german_only = OrganisationFactory(
        description_de="Wir bauen Sensornetze für die Landwirtschaft.", description_en=""
    )
    cluster = ClusterFactory(profile_de="", profile_en="A cluster for photonics.")
    MembershipFactory(cluster=cluster, organisation=english_only)
    english_url = f"/organisations/{english_only.slug}/"
    german_url = f"/organisations/{german_only.slug}/"

    html = client.get(english_url).content.decode()
    assert '<p lang="en">We build sensor networks for smart farming.</p>' in html
    html = client.get(german_url).content.decode()
    assert "<p>Wir bauen Sensornetze für die Landwirtschaft.</p>" in html
    html = client.get("/en" + german_url).content.decode()
    assert '<p lang="de">Wir bauen Sensornetze für die Landwirtschaft.</p>' in html
    html = client.get("/en" + english_url).content.decode()
    assert "<p>We build sensor networks for smart farming.</p>" in html
    html = client.get(f"/clusters/{cluster.slug}/").content.decode()
    assert '<p lang="en">A cluster for photonics.</p>' in html


def test_lang_attr_tag_for_both_field_styles():
    call = CallFactory.build(title="Ideen für die Region", title_en="")
    org = OrganisationFactory.build(description_de="", description_en="English text")
    template = Template(
        '{% load i18n_text %}<p{% lang_attr call "title" %}>x</p><p{% lang_attr org "description" %}>y</p>'
        '{% text_in_language org "description" as t %}{{ t.text }}|{{ t.lang }}'
    )
    context = Context({"call": call, "org": org})
    with translation.override("de"):
        assert template.render(context) == '<p>x</p><p lang="en">y</p>English text|en'
    with translation.override("en"):
        assert template.render(context) == '<p lang="de">x</p><p>y</p>English text|en'


def test_live_search_announces_a_short_summary_not_the_list(client):
    for i in range(3):
        OrganisationFactory(name=f"Sensorik Werk {i}")
    html = client.get("/organisations/").content.decode()
    assert 'id="results" aria-live' not in html and '<div id="results">' in html
    assert (
        '<p id="results-status" class="visually-hidden" role="status" aria-atomic="true"></p>'
        in html
    )
    fragment = client.get("/organisations/?q=Sensorik", HTTP_HX_REQUEST="true").content.decode()
    assert '<span id="results-status" hx-swap-oob="innerHTML">3 Organisationen gefunden</span>' in (
        fragment
    )
    assert "<html" not in fragment

    html = client.get("/marketplace/").content.decode()
    assert 'id="results" aria-live' not in html
    fragment = client.get("/marketplace/?q=x", HTTP_HX_REQUEST="true").content.decode()
    assert re.search(
        r'<span id="results-status" hx-swap-oob="innerHTML">\d+ \w+ gefunden</span>', fragment
    )
