"""Responsive layout: one-line header at 1280 px, keyboard-operable mobile menu at 390 px, no
horizontal page scroll on the main pages, long German words in h1 at 320 px."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.factories import ClusterRoleFactory, OrganisationFactory, UserFactory
from tests.ideas.factories import IdeaFactory
from tests.matching.factories import PostingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellungsbetrieb"


@pytest.fixture
def sized(browser):
    """A page of the given width (German, JavaScript on unless told otherwise)."""
    contexts = []

    def make(width, height=900, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="de-DE", **options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


def _header_on_one_line(page):
    """True when every header item (brand, links, tools) crosses one common horizontal line."""
    return page.evaluate(
        """() => {
            const boxes = [...document.querySelectorAll(
                '.site-header .brand, .site-header .nav a, .site-header .header-tools > *')]
                .map(el => el.getBoundingClientRect()).filter(r => r.width > 0);
            return Math.max(...boxes.map(r => r.top)) < Math.min(...boxes.map(r => r.bottom));
        }"""
    )


def _horizontal_overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_logged_in_header_fits_on_one_line_at_1280(live_server, sized, prefix):
    role = ClusterRoleFactory(
        user__email="office@example.org", user__full_name="Maximiliane Mustermann"
    )
    assert role.user.is_authenticated
    page = sized(1280)
    login(page, live_server, "office@example.org")
    page.goto(f"{live_server.url}{prefix}/")
    expect(page.get_by_role("button", name="Log out" if prefix else "Abmelden")).to_be_visible()
    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    assert _header_on_one_line(page)
    assert page.locator(".site-header").bounding_box()["height"] < 70


def test_menu_button_at_390_opens_and_closes_by_keyboard(live_server, sized):
    UserFactory(email="member@example.org")
    page = sized(390)
    login(page, live_server, "member@example.org")
    page.goto(f"{live_server.url}/")
    button = page.get_by_role("button", name="Menü")
    directory = page.locator("#site-menu").get_by_role("link", name="Verzeichnis")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "site-menu")
    expect(directory).to_be_hidden()

    # skip link, brand, then the menu button
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(directory).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(directory).to_be_hidden()

    # open, walk into the menu, Escape closes it and returns focus to the button
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(directory).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(directory).to_be_hidden()
    assert _horizontal_overflow(page) <= 0


def test_without_javascript_the_menu_is_a_plain_list(live_server, sized):
    page = sized(390, java_script_enabled=False)
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    menu = page.locator("#site-menu")
    expect(menu.get_by_role("link", name="Verzeichnis")).to_be_visible()
    expect(menu.get_by_role("link", name="Netzwerkservices")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_horizontal_scroll_on_the_main_pages(live_server, sized, width):
    organisation = OrganisationFactory(
        name="Hochschule für angewandte Wissenschaften Ostwestfalen-Lippe",
        description_de=("Forschungs- und Entwicklungspartnerin für " + LONG_WORD + ". ") * 3,
        website="https://www.example.org/ein/sehr/langer/pfad/zu/einer/unterseite/ohne/umbruch",
    )
    posting = PostingFactory(organisation=organisation, title="Gesuch: " + LONG_WORD)
    idea = IdeaFactory(title="Idee: " + LONG_WORD)
    page = sized(width)
    for path in (
        "/",
        "/organisations/",
        f"/organisations/{organisation.slug}/",
        "/marketplace/",
        f"/marketplace/{posting.pk}/",
        f"/calls/ideas/{idea.pk}/",
        "/en/",
        "/accessibility/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert _horizontal_overflow(page) <= 0, path


def test_long_german_h1_does_not_overflow_at_320(live_server, sized):
    organisation = OrganisationFactory(name=LONG_WORD + " GmbH")
    page = sized(320)
    for path in (f"/organisations/{organisation.slug}/", "/accessibility/"):
        page.goto(f"{live_server.url}{path}")
        heading = page.locator("h1")
        assert heading.evaluate("el => el.scrollWidth <= el.clientWidth"), path
        box = heading.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, path
        assert _horizontal_overflow(page) <= 0, path
