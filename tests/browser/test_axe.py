"""axe-core scan of every page a visitor and the demo cluster manager reach by following links.

axe-core is self-hosted from the npm registry (package.json / package-lock.json, installed into
node_modules/ by scripts/setup.sh) and injected into each page only here; users never get it.
The crawl is bounded: numeric ids and slugs are normalised so that two hundred organisation pages
count as one kind of page, and at most PAGES_PER_PATTERN pages of each kind are scanned.
"""

import json
import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from matching import suggestions
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(django_settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SKIP = re.compile(
    r"^/(en/)?(admin/|api/|static/|media/|i18n/|accounts/(logout|password|confirm))"
    r"|\.(ics|csv|xlsx|png|jpe?g|svg|webp|pdf)$|/export"
)
PAGES_PER_PATTERN = 1
MAX_PAGES_PER_CRAWL = 160


def pattern(path):
    """/organisations/acme-gmbh/ and /organisations/17/ count as one kind of page."""
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "en":
        parts = parts[1:]
    return "/".join("*" if i > 0 and re.search(r"\d|-|_", p) else p for i, p in enumerate(parts))


def run_axe(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, targets: v.nodes.map(n => n.target.join(' '))})))",
        WCAG_TAGS,
    )


def scan(page, base, start):
    """Crawl from `start`, run axe on each page and return (pages scanned, violations)."""
    english = start.startswith("/en/")
    queue, seen, per_pattern, scanned, found = deque([start]), {start}, {}, 0, []
    while queue and scanned < MAX_PAGES_PER_CRAWL:
        url = queue.popleft()
        key = pattern(urlsplit(url).path)
        if per_pattern.get(key, 0) >= PAGES_PER_PATTERN:
            continue
        response = page.goto(base + url)
        if response is not None and response.status >= 500:
            found.append(
                {
                    "page": url,
                    "id": f"http-{response.status}",
                    "impact": "error",
                    "help": "server error",
                    "targets": [],
                }
            )
        if response is None or response.status != 200:
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        final = urlsplit(page.url)
        if final.path != urlsplit(url).path:
            continue  # a redirect (e.g. to the login page) is scanned under its own address
        per_pattern[key] = per_pattern.get(key, 0) + 1
        scanned += 1
        for violation in run_axe(page):
            found.append({"page": url, **violation})
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            href = urldefrag(href)[0]
            if href.startswith("?"):
                href = urlsplit(url).path + href
            if not href.startswith("/") or href.startswith("//") or SKIP.search(href):
                continue
            if href.startswith("/en/") == english and href not in seen:
                seen.add(href)
                queue.append(href)
    return scanned, found


def describe(violations):
    lines = []
    for v in violations:
        targets = ", ".join(v["targets"][:5]) + (" …" if len(v["targets"]) > 5 else "")
        lines.append(f"{v['id']} ({v['impact']}) on {v['page']}: {v['help']} — {targets}")
    return "\n".join(lines)


def test_axe_finds_no_wcag21_aa_violation_on_any_crawled_page(browser, live_server, settings):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run ./scripts/setup.sh")
    settings.OPENREGION_TEXT_ENCODER = "hashing"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    suggestions.clear_cache()
    call_command("seed_demo", clusters=2, organisations=80, seed=11)

    # the scan itself can fail: axe reports a missing text alternative and a nameless button
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html lang="de"><body><main><img src="x.png"><button></button></main></body></html>'
    )
    assert {v["id"] for v in run_axe(page)} >= {"image-alt", "button-name"}
    context.close()

    violations, totals = [], {}
    for role in ("visitor", "manager"):
        for language, locale, start in (("de", "de-DE", "/"), ("en", "en-GB", "/en/")):
            context = browser.new_context(locale=locale)
            page = context.new_page()
            page.set_default_timeout(15000)
            if role == "manager":
                login(page, live_server, "manager@openregion.example")
            scanned, found = scan(page, live_server.url, start)
            context.close()
            totals[f"{role}/{language}"] = scanned
            violations += [{**v, "page": f"[{role}/{language}] {v['page']}"} for v in found]
    suggestions.clear_cache()

    print("axe pages scanned:", json.dumps(totals))
    assert all(n >= 15 for n in totals.values()), totals
    assert violations == [], f"{len(violations)} axe violations:\n" + describe(violations)


def test_live_search_announces_only_the_number_of_results(live_server, page):
    """Typing in the directory search updates a short status ("3 Organisationen gefunden"); the
    result list itself is no live region, so screen readers do not read it out on every key."""
    from tests.factories import OrganisationFactory

    for i in range(3):
        OrganisationFactory(name=f"Sensorik Werk {i}")
    OrganisationFactory(name="Bäckerei Korn")
    page.goto(f"{live_server.url}/organisations/")
    status = page.locator("#results-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == ""
    assert page.locator("#results").get_attribute("aria-live") is None
    page.locator("form.filters input[name=q]").press_sequentially("Sensorik", delay=30)
    page.wait_for_function(
        "() => document.querySelector('#results-status').textContent.trim() !== ''"
    )
    assert status.inner_text().strip() == "3 Organisationen gefunden"
    assert page.locator("#results .card").count() == 3
