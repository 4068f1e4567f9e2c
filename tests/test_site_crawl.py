"""Walk the demo site as its users do, in German and English, and check every page reached.

Each page must answer without error and meet the accessibility basics: the document language,
one main landmark, a heading, a label for every form control and a text alternative for every image.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from matching import suggestions

pytestmark = pytest.mark.django_db

SKIP = re.compile(
    r"^/(en/)?(admin/|api/|static/|media/|i18n/|accounts/(logout|password|confirm))"
    r"|\.(ics|csv|xlsx)$|/export"
)
PAGES_PER_PATTERN = 5
MAX_PAGES = 500


class PageAudit(HTMLParser):
    LABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self):
        super().__init__()
        self.links, self.controls, self.label_for = [], [], set()
        self.lang, self.mains, self.h1s, self.images_without_alt = None, 0, 0, []
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "main":
            self.mains += 1
        elif tag == "h1":
            self.h1s += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag == "img" and a.get("alt") is None:
            self.images_without_alt.append(a.get("src"))
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and a.get("type", "text") in self.LABELLED_INPUTS:
                return
            named = a.get("aria-label") or a.get("aria-labelledby") or a.get("title")
            self.controls.append((a.get("name"), a.get("id"), bool(named) or self._label_depth > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth = max(0, self._label_depth - 1)

    def unlabelled(self):
        return [name for name, id_, ok in self.controls if not ok and id_ not in self.label_for]


def pattern(path):
    """/events/some-slug/brokerage/ and /events/other/brokerage/ count as one kind of page."""
    parts = [p for p in path.split("/") if p]
    return "/".join("*" if re.search(r"\d|-", p) and i > 0 else p for i, p in enumerate(parts))


def crawl(client, starts):
    queue, seen, per_pattern, problems, visited = deque(starts), set(starts), {}, [], 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        key = pattern(urlsplit(url).path)
        if per_pattern.get(key, 0) >= PAGES_PER_PATTERN:
            continue
        per_pattern[key] = per_pattern.get(key, 0) + 1
        response = client.get(url)
        visited += 1
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200:
            problems.append(f"{url}: HTTP {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        audit = PageAudit()
        audit.feed(response.content.decode())
        expected_lang = "en" if url.startswith("/en/") else "de"
        if not response.headers.get("HX-Request") and audit.lang is not None:
            if audit.lang != expected_lang:
                problems.append(f"{url}: lang={audit.lang}")
            if audit.mains != 1:
                problems.append(f"{url}: {audit.mains} <main> landmarks")
            if audit.h1s < 1:
                problems.append(f"{url}: no <h1>")
        if audit.unlabelled():
            problems.append(f"{url}: form controls without label: {audit.unlabelled()}")
        if audit.images_without_alt:
            problems.append(f"{url}: images without alt: {audit.images_without_alt}")
        for href in audit.links:
            href = urldefrag(href)[0]
            if href.startswith("?"):
                href = urlsplit(url).path + href
            if not href.startswith("/") or href.startswith("//") or SKIP.search(href):
                continue
            if (href.startswith("/en/")) == url.startswith("/en/") and href not in seen:
                seen.add(href)
                queue.append(href)
    return visited, problems


@pytest.mark.parametrize("email", ["manager@openregion.example", "member@openregion.example", None])
def test_demo_site_pages_work_and_meet_accessibility_basics(client, settings, email):
    settings.OPENREGION_TEXT_ENCODER = "hashing"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    suggestions.clear_cache()
    call_command("seed_demo", clusters=2, organisations=80, seed=11)
    if email:
        client.force_login(User.objects.get(email=email))
    visited, problems = crawl(client, ["/", "/en/"])
    suggestions.clear_cache()
    assert visited > 40
    assert problems == []
