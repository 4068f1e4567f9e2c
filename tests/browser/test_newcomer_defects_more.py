"""More newcomer defects, each checked in the browser in German and English at 390 px width (a
phone): rating a service, deciding a concept, bilingual titles, the legal pages and the 403 page.
No page visited may need horizontal scrolling."""

import pytest
from playwright.sync_api import expect

from actors.models import ClusterRole
from services.models import Booking, Status
from tests.browser.helpers import login
from tests.events.factories import EventFactory
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.ideas.factories import CallFactory
from tests.services.factories import ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
PREFIX = {"de": "", "en": "/en"}
LANGUAGES = pytest.mark.parametrize("lang", ["de", "en"])


def t(lang, de, en):
    return de if lang == "de" else en


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": WIDTH, "height": 844})
    return page


def assert_page(page, lang):
    """The page needs no horizontal scrolling at 390 px and is in the right language."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def visit(page, live_server, lang, path):
    response = page.goto(f"{live_server.url}{PREFIX[lang]}{path}")
    assert_page(page, lang)
    return response


def _member(email, cluster, role=ClusterRole.Role.MEMBER_USER):
    org = OrganisationFactory()
    MembershipFactory(cluster=cluster, organisation=org)
    return ClusterRoleFactory(user__email=email, cluster=cluster, role=role, organisation=org)


# 1 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_only_members_who_used_a_service_may_rate_it(live_server, phone, lang):
    cluster = ClusterFactory()
    role = _member("nutzerin@example.org", cluster)
    service = ServiceFactory(cluster=cluster, title="Bewerberpool Ingenieurinnen")
    rate = t(lang, "Service bewerten", "Rate this service")
    send = t(lang, "Rückmeldung senden", "Send feedback")
    feedback = phone.locator("#feedback")

    # not booked: no rating form
    login(phone, live_server, "nutzerin@example.org")
    visit(phone, live_server, lang, f"/services/{service.slug}/")
    expect(feedback).to_be_visible()
    expect(feedback.locator("input[name=rating]")).to_have_count(0)
    expect(feedback.get_by_role("button", name=send)).to_have_count(0)

    # booked, not yet confirmed: no rating form, but a note on when rating becomes possible
    booking = Booking.objects.create(
        service=service, user=role.user, organisation=role.organisation
    )
    visit(phone, live_server, lang, f"/services/{service.slug}/")
    expect(feedback).to_contain_text(
        t(
            lang,
            "Sie können diesen Service bewerten, sobald die Geschäftsstelle Ihre Buchung "
            "bestätigt hat.",
            "You can rate this service once the cluster office has confirmed your booking.",
        )
    )
    expect(feedback.get_by_role("heading", name=rate)).to_have_count(0)
    expect(feedback.get_by_role("button", name=send)).to_have_count(0)
    expect(feedback.locator("input[name=rating]")).to_have_count(0)

    # confirmed: the rating form
    booking.state = Booking.State.CONFIRMED
    booking.save(update_fields=["state"])
    visit(phone, live_server, lang, f"/services/{service.slug}/")
    expect(feedback.get_by_role("heading", name=rate)).to_be_visible()
    expect(feedback.locator("input[name=rating]")).to_have_count(5)
    expect(feedback.get_by_role("button", name=send)).to_be_visible()
    expect(feedback).not_to_contain_text(
        t(lang, "sobald die Geschäftsstelle", "once the cluster office")
    )


# 2 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_concept_shows_open_decisions_and_cannot_be_authorised_yet(live_server, phone, lang):
    cluster = ClusterFactory()
    _member("leitung@example.org", cluster, role=ClusterRole.Role.MANAGER)
    service = ServiceFactory(
        cluster=cluster, status=Status.CONCEPT, financing="", price=None, transferability=None
    )

    login(phone, live_server, "leitung@example.org")
    visit(phone, live_server, lang, f"/services/{service.slug}/")
    undecided = phone.locator("dl.facts dd").filter(
        has_text=t(lang, "noch nicht entschieden", "not decided yet")
    )
    expect(undecided).to_have_count(3)  # financing model, price, transferability

    phone.locator("#status_to_status").select_option("authorised")
    phone.locator("#status_authorised_by").select_option("office")
    phone.get_by_role(
        "button", name=t(lang, "In diesen Schritt wechseln", "Move to this step")
    ).click()
    expect(phone.locator(".messages .message-error")).to_have_text(
        t(
            lang,
            "Der Service kann noch nicht genehmigt werden. Es fehlt noch: "
            "Finanzierungsmodell, Preis (EUR), Übertragbarkeit.",
            "The service cannot be authorised yet. Still missing: "
            "Financing model, Price (EUR), Transferability.",
        )
    )
    assert_page(phone, lang)
    service.refresh_from_db()
    assert service.status == Status.CONCEPT


# 3 ---------------------------------------------------------------------------------------------


@LANGUAGES
@pytest.mark.parametrize("factory", [CallFactory, EventFactory], ids=["call", "event"])
def test_title_in_english_or_marked_german(live_server, phone, lang, factory):
    both = factory(title="Offene Region 2032", title_en="Open Region 2032")
    german = factory(title="Werkstatt Mobilität 2032", title_en="")
    heading = phone.get_by_role("heading", level=1)

    visit(phone, live_server, lang, both.get_absolute_url().removeprefix("/en"))
    expect(heading).to_have_text(t(lang, "Offene Region 2032", "Open Region 2032"))
    expect(heading).not_to_have_attribute("lang", "de")
    expect(heading).not_to_have_attribute("lang", "en")

    visit(phone, live_server, lang, german.get_absolute_url().removeprefix("/en"))
    expect(heading).to_have_text("Werkstatt Mobilität 2032")
    if lang == "en":
        expect(heading).to_have_attribute("lang", "de")
    else:
        expect(heading).not_to_have_attribute("lang", "de")


# 4 ---------------------------------------------------------------------------------------------


@LANGUAGES
@pytest.mark.parametrize(
    "link, path, title",
    [
        (
            ("Barrierefreiheit", "Accessibility"),
            "/accessibility/",
            ("Erklärung zur Barrierefreiheit", "Accessibility statement"),
        ),
        (("Impressum", "Imprint"), "/imprint/", ("Impressum", "Imprint")),
    ],
)
def test_legal_pages_are_linked_in_the_footer(live_server, phone, lang, link, path, title):
    visit(phone, live_server, lang, "/")
    footer = phone.locator("footer.site-footer")
    footer.get_by_role("link", name=t(lang, *link), exact=True).click()
    phone.wait_for_url(f"{live_server.url}{PREFIX[lang]}{path}")
    assert_page(phone, lang)
    expect(phone.get_by_role("heading", level=1)).to_have_text(t(lang, *title))
    expect(phone.locator("header.site-header")).to_have_count(1)


# 5 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_another_clusters_management_page_is_the_styled_403(live_server, phone, lang):
    own = ClusterFactory()
    other = ClusterFactory()
    _member("mitglied@example.org", own)

    login(phone, live_server, "mitglied@example.org")
    response = visit(phone, live_server, lang, f"/clusters/{other.slug}/manage/")
    assert response.status == 403
    expect(phone.locator("header.site-header")).to_have_count(1)
    expect(phone.get_by_role("main")).to_have_count(1)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        t(lang, "Zugriff verweigert", "Access denied")
    )
    expect(
        phone.get_by_role("link", name=t(lang, "Zurück zur Startseite", "Back to the start page"))
    ).to_be_visible()
