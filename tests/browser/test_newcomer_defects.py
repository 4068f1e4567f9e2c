"""Issue 9's newcomer defects, each checked in the browser in German and English at 390 px width
(a phone), and without horizontal scrolling on any page visited."""

import re
from datetime import datetime

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from actors.models import ClusterRole
from ideas import services
from ideas.models import Idea, JuryMember, Phase
from matching import suggestions
from notifications.services import notify
from tests.browser.helpers import login
from tests.events.factories import EventFactory
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    region,
    sector,
)
from tests.ideas.factories import CallFactory, IdeaFactory

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


def assert_fits(page):
    """The page needs no horizontal scrolling at 390 px."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def visit(page, live_server, lang, path):
    response = page.goto(f"{live_server.url}{PREFIX[lang]}{path}")
    assert_fits(page)
    return response


def assert_one_page(page, lang):
    """One whole page in the right language: one site header, one main landmark, an h1."""
    expect(page.locator("header")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == lang


# 1 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_voting_while_logged_out_goes_to_the_login_page(live_server, phone, lang):
    idea = IdeaFactory(call__phase=Phase.VOTING, title="Offene Werkstatt für Mobilität")
    visit(phone, live_server, lang, f"/calls/ideas/{idea.pk}/")
    vote = re.compile(rf"^{t(lang, 'Abstimmen', 'Vote')}\b")
    phone.get_by_role("button", name=vote).first.click()
    phone.wait_for_url("**/login/**")
    assert f"next={PREFIX[lang]}/calls/ideas/{idea.pk}/" in phone.url.replace("%2F", "/")
    assert_fits(phone)
    assert_one_page(phone, lang)
    expect(phone.get_by_text("Offene Werkstatt für Mobilität")).to_have_count(0)


# 2 ---------------------------------------------------------------------------------------------


@pytest.fixture
def hashing_encoder(settings):
    settings.OPENREGION_TEXT_ENCODER = "hashing"
    suggestions.clear_cache()
    yield
    suggestions.clear_cache()


def _sensor_firm(name, code, city):
    return OrganisationFactory(
        name=name, region=region(code), city=city, sectors=[sector("C28")],
        description_de="Sensorik und Automatisierung für Fertigungslinien.",
        description_en="Sensors and automation for production lines.",
    )  # fmt: skip


@LANGUAGES
def test_partner_suggestions_call_only_the_same_nuts2_region_nearby(
    live_server, phone, lang, hashing_encoder
):
    dortmund = _sensor_firm("Dortmunder Sensorik GmbH", "DEA5", "Dortmund")
    _sensor_firm("Hagener Automation GmbH", "DEA5", "Hagen")
    _sensor_firm("Schwäbische Präzision GmbH", "DE11", "Stuttgart")
    suggestions.embed_organisations()

    visit(phone, live_server, lang, f"/marketplace/organisations/{dortmund.slug}/partners/")
    assert_one_page(phone, lang)
    hagen = phone.locator("li, article").filter(has_text="Hagener Automation GmbH").last
    stuttgart = phone.locator("li, article").filter(has_text="Schwäbische Präzision GmbH").last
    expect(hagen).to_contain_text(t(lang, "In der Nähe: Arnsberg", "Nearby: Arnsberg"))
    stuttgart_text = stuttgart.inner_text()
    assert t(lang, "Gleiches Land:", "Same country:") in stuttgart_text, stuttgart_text
    assert t(lang, "In der Nähe", "Nearby") not in stuttgart_text, stuttgart_text


# 3 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_unknown_address_shows_the_styled_404_in_the_language(live_server, phone, lang):
    response = visit(phone, live_server, lang, "/does-not-exist/")
    assert response.status == 404
    assert_one_page(phone, lang)
    expect(phone.locator("header.site-header")).to_have_count(1)
    expect(phone.get_by_role("main")).to_have_count(1)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        t(lang, "Seite nicht gefunden", "Page not found")
    )
    back = t(lang, "Zurück zur Startseite", "Back to the start page")
    expect(phone.get_by_role("link", name=back)).to_be_visible()


# 4 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_notification_reads_in_the_language_of_the_page(live_server, phone, lang):
    user = UserFactory(email="leserin@example.org")
    with translation.override("de"):
        notify([user], "actors.organisation_verified", organisation="Akku Technik GmbH")

    login(phone, live_server, "leserin@example.org")
    visit(phone, live_server, lang, "/notifications/")
    assert_one_page(phone, lang)
    main = phone.get_by_role("main")
    expect(main).to_contain_text(
        t(lang, "Akku Technik GmbH wurde verifiziert.", "Akku Technik GmbH has been verified.")
    )
    expect(main).not_to_contain_text(
        t(lang, "has been verified", "wurde verifiziert"), ignore_case=True
    )


# 5 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_next_phase_asks_first_and_award_table_shows_the_jury_rank(live_server, phone, lang):
    manager = UserFactory(email="leitung@example.org")
    call = CallFactory(phase=Phase.JURY, created_by=manager, title="Offene Region 2031")
    weaker = IdeaFactory(call=call, status=Idea.Status.SHORTLISTED, title="Sensorik im Quartier")
    better = IdeaFactory(call=call, status=Idea.Status.SHORTLISTED, title="Werkstatt für alle")
    juror = UserFactory()
    JuryMember.objects.create(call=call, user=juror, helix_type="research")
    for idea, value in ((better, call.scale_max), (weaker, call.scale_min)):
        services.save_scores(juror, idea, {c.pk: (value, "") for c in call.criteria.all()})
    services.submit_scores(juror, call)
    before = {name: getattr(call, name) for name in ("jury_closes", "results_on")}

    login(phone, live_server, "leitung@example.org")
    visit(phone, live_server, lang, f"/calls/{call.slug}/manage/")
    # the award table has the jury's rank next to each finalist
    awards = phone.locator("table").filter(has=phone.locator("input[name=award]"))
    expect(
        awards.get_by_role("columnheader", name=t(lang, "Jury-Rang", "Jury rank"), exact=True)
    ).to_be_visible()
    rows = awards.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").first).to_have_text("1")
    expect(rows.nth(0)).to_contain_text("Werkstatt für alle")
    expect(rows.nth(1).locator("td").first).to_have_text("2")
    expect(rows.nth(1)).to_contain_text("Sensorik im Quartier")

    phone.get_by_role(
        "button", name=t(lang, "Nächste Phase jetzt starten …", "Start next phase now …")
    ).click()
    phone.wait_for_load_state()
    assert_fits(phone)
    assert_one_page(phone, lang)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(
        t(lang, "Nächste Phase von", "Start the next phase of")
    )
    for name in (t(lang, "Bisher", "Until now"), t(lang, "Neu", "New")):
        expect(phone.get_by_role("columnheader", name=name, exact=True)).to_be_visible()
    expect(phone.locator("tbody tr del").first).to_be_visible()
    expect(phone.locator("tbody tr ins").first).to_be_visible()
    expect(
        phone.get_by_role(
            "button",
            name=t(
                lang,
                "Ja, Termine ändern und Phase starten",
                "Yes, change the dates and start the phase",
            ),
        )
    ).to_be_visible()
    # nothing has changed yet
    call.refresh_from_db()
    assert {name: getattr(call, name) for name in before} == before
    assert call.phase() == Phase.JURY


# 6 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_new_posting_button_only_for_who_may_post(live_server, phone, lang):
    cluster = ClusterFactory()
    org = OrganisationFactory(name="Akku Technik GmbH")
    MembershipFactory(cluster=cluster, organisation=org)
    ClusterRoleFactory(
        user__email="mitglied@example.org", cluster=cluster,
        role=ClusterRole.Role.MEMBER_USER, organisation=org,
    )  # fmt: skip
    UserFactory(email="ohne-organisation@example.org")
    button = t(lang, "Neuer Eintrag", "New posting")

    login(phone, live_server, "mitglied@example.org")
    visit(phone, live_server, lang, "/marketplace/")
    assert_one_page(phone, lang)
    expect(phone.get_by_role("link", name=button, exact=True)).to_be_visible()

    login(phone, live_server, "ohne-organisation@example.org")
    visit(phone, live_server, lang, "/marketplace/")
    assert_one_page(phone, lang)
    expect(phone.get_by_role("link", name=button, exact=True)).to_have_count(0)


# 7 ---------------------------------------------------------------------------------------------


@LANGUAGES
def test_event_dates_are_unambiguous(live_server, phone, lang):
    starts = timezone.make_aware(datetime(2031, 3, 4, 10, 0))
    event = EventFactory(title="Sensorik-Werkstatt", starts_at=starts)
    event = type(event).objects.get(pk=event.pk)

    visit(phone, live_server, lang, event.get_absolute_url().removeprefix("/en"))
    assert_one_page(phone, lang)
    main = phone.get_by_role("main")
    expect(main).to_contain_text(t(lang, "Dienstag, 4. März 2031", "Tuesday, 4 Mar 2031"))
    text = main.inner_text()
    # neither the US nor the numeric order, in which 4 March and 3 April look alike
    for ambiguous in ("03/04/2031", "3/4/2031", "03/04/31", "March 4", "Mar 4"):
        assert ambiguous not in text, ambiguous
