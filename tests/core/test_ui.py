"""Design system, header, error pages, legal pages, searchable multi-select, dates and money."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from actors.models import ClusterRole
from core.forms import SearchableMultiSelect
from core.templatetags.money import money
from tests.factories import (
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    sector,
)
from tests.services.factories import ServiceFactory

CSS = Path(settings.BASE_DIR) / "openregion" / "static" / "openregion" / "openregion.css"


# --- colours -----------------------------------------------------------------------------------


def _tokens():
    root = re.search(r":root\s*{(.*?)}", CSS.read_text(), re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


TEXT_PAIRS = [  # (text, background): ≥ 4.5:1
    ("ink", "bg"),
    ("ink", "bg-soft"),
    ("muted", "bg"),
    ("muted", "bg-soft"),
    ("brand", "bg"),
    ("brand", "bg-soft"),
    ("brand", "brand-soft"),
    ("brand-dark", "bg"),
    ("ok", "ok-soft"),
    ("warn", "warn-soft"),
    ("bad", "bad-soft"),
    ("bad", "bg"),
    ("ink", "brand-soft"),
    ("ink", "warn-soft"),
]
# (boundary or focus ring, adjacent colour): ≥ 3:1. The ring sits 2px outside the element
# (outline-offset), so its neighbours are the page surfaces, never the button's own fill.
UI_PAIRS = [
    ("focus", "bg"),
    ("focus", "bg-soft"),
    ("focus", "brand-soft"),
    ("focus-on-dark", "brand-dark"),
    ("line-strong", "bg"),
]


@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_text_colours_meet_aa_contrast(text, background):
    tokens = _tokens()
    assert contrast(tokens[text], tokens[background]) >= 4.5


def test_white_text_on_brand_surfaces_meets_aa_contrast():
    tokens = _tokens()
    for surface in ("brand", "brand-dark", "bad"):
        assert contrast("#ffffff", tokens[surface]) >= 4.5, surface


@pytest.mark.parametrize(("ring", "adjacent"), UI_PAIRS)
def test_focus_ring_and_field_borders_meet_3_to_1(ring, adjacent):
    tokens = _tokens()
    assert contrast(tokens[ring], tokens[adjacent]) >= 3


def test_focus_ring_uses_the_checked_tokens():
    css = CSS.read_text()
    assert re.search(r":focus-visible\s*{\s*outline:\s*3px solid var\(--focus\)", css)
    assert re.search(
        r"\.site-header :focus-visible\s*{\s*outline-color: var\(--focus-on-dark\)", css
    )


def test_headings_break_long_german_words():
    rule = re.search(r"h1, h2, h3, h4\s*{([^}]*)}", CSS.read_text()).group(1)
    assert "overflow-wrap: anywhere" in rule and "hyphens: auto" in rule


# --- header and footer -------------------------------------------------------------------------


@pytest.mark.django_db
def test_header_has_a_disclosure_button_for_the_menu_and_no_inline_script(client):
    html = client.get("/").content.decode()
    button = re.search(r"<button[^>]*data-menu-toggle[^>]*>", html).group(0)
    assert 'aria-controls="site-menu"' in button and "aria-expanded=" in button
    assert (
        " hidden" in button
    )  # without JavaScript the menu is a plain list, the button stays hidden
    assert 'id="site-menu"' in html
    assert "openregion/menu.js" in html and "core/multiselect.js" in html
    # every script is a self-hosted file: no inline code, no other host
    for tag in re.findall(r"<script[^>]*>", html):
        assert re.search(r'src="/static/', tag), tag


@pytest.mark.django_db
def test_footer_links_the_legal_pages_in_both_languages(client):
    html = client.get("/").content.decode()
    for url in ("/imprint/", "/privacy/", "/accessibility/"):
        assert f'href="{url}"' in html
    assert ">Impressum<" in html and ">Barrierefreiheit<" in html
    html = client.get("/en/").content.decode()
    for url in ("/en/imprint/", "/en/privacy/", "/en/accessibility/"):
        assert f'href="{url}"' in html
    assert ">Imprint<" in html and ">Accessibility<" in html


@pytest.mark.django_db
def test_the_services_module_has_one_name(client):
    html = client.get("/").content.decode()
    assert ">Netzwerkservices<" in html
    assert "Leistungen" not in html
    catalogue = client.get(reverse("services:catalogue")).content.decode()
    assert "<h1>Netzwerkservices</h1>" in catalogue
    assert "Leistungen" not in catalogue
    html = client.get("/en/").content.decode()
    assert ">Network services<" in html


# --- error pages -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "lang", "heading"),
    [
        ("/does-not-exist/", "de", "Seite nicht gefunden"),
        ("/en/does-not-exist/", "en", "Page not found"),
    ],
)
def test_unknown_address_gets_the_styled_404_in_its_language(client, url, lang, heading):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "openregion/openregion.css" in html


@pytest.mark.django_db
def test_missing_object_gets_the_styled_404(client):
    response = client.get("/en/organisations/no-such-organisation/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


@pytest.mark.django_db
def test_refused_action_gets_the_styled_403_in_its_language(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("actors:organisation_edit", args=[organisation.slug]))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="de">' in html and "<h1>Zugriff verweigert</h1>" in html
    assert 'class="site-header"' in html
    with translation.override("en"):
        url = reverse("actors:organisation_edit", args=[organisation.slug])
    response = client.get(url)
    assert response.status_code == 403
    assert "<h1>Access denied</h1>" in response.content.decode()


@pytest.mark.django_db
def test_bad_request_gets_the_styled_400_in_its_language(client):
    response = client.get("/en/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="en">' in html and "<h1>Bad request</h1>" in html
    assert 'class="site-header"' in html


def test_server_error_page_needs_neither_request_context_nor_database():
    """No django_db mark: any query would fail the test."""
    from django.views.defaults import server_error

    for language, heading in (("de", "Serverfehler"), ("en", "Server error")):
        with translation.override(language):
            response = server_error(RequestFactory().get("/"))
        html = response.content.decode()
        assert response.status_code == 500
        assert f'<html lang="{language}">' in html and f"<h1>{heading}</h1>" in html
        assert "/static/openregion/openregion.css" in html


# --- legal pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_imprint_shows_a_visible_note_while_the_operator_is_not_configured(client, settings):
    settings.OPENREGION_OPERATOR_NAME = ""
    settings.OPENREGION_OPERATOR_ADDRESS = ""
    settings.OPENREGION_OPERATOR_EMAIL = ""
    html = client.get(reverse("core:imprint")).content.decode()
    assert "<h1>Impressum</h1>" in html and "§ 5 DDG" in html
    assert "Angaben zum Betreiber fehlen." in html
    assert "OPENREGION_OPERATOR_NAME" in html


@pytest.mark.django_db
def test_imprint_names_the_configured_operator_in_both_languages(client, settings):
    settings.OPENREGION_OPERATOR_NAME = "Region Musterland Innovation GmbH"
    settings.OPENREGION_OPERATOR_ADDRESS = "Hauptstraße 1\n12345 Musterstadt"
    settings.OPENREGION_OPERATOR_EMAIL = "kontakt@musterland.example"
    html = client.get(reverse("core:imprint")).content.decode()
    assert "Region Musterland Innovation GmbH" in html
    assert "Hauptstraße 1<br>12345 Musterstadt" in html
    assert 'href="mailto:kontakt@musterland.example"' in html
    assert "Angaben zum Betreiber fehlen." not in html
    html = client.get("/en/imprint/").content.decode()
    assert "<h1>Imprint</h1>" in html and "Region Musterland Innovation GmbH" in html


@pytest.mark.django_db
def test_accessibility_statement_has_the_required_parts_in_both_languages(client, settings):
    settings.OPENREGION_OPERATOR_EMAIL = "barrierefrei@musterland.example"
    html = client.get(reverse("core:accessibility")).content.decode()
    assert "<h1>Erklärung zur Barrierefreiheit</h1>" in html
    for part in (
        "BITV 2.0",
        "EN 301 549",
        "Stand der Vereinbarkeit",
        "teilweise",
        "Nicht barrierefreie Inhalte",
        "Feedback und Kontakt",
        "mailto:barrierefrei@musterland.example",
        "Durchsetzungsverfahren",
        "§ 16 BGG",
        "info@schlichtungsstelle-bgg.de",
        "3. Dezember 2026",
    ):
        assert part in html, part
    html = client.get("/en/accessibility/").content.decode()
    for part in (
        "<h1>Accessibility statement</h1>",
        "Conformance status",
        "Enforcement procedure",
        "3 Dec 2026",
    ):
        assert part in html, part


@pytest.mark.django_db
def test_accessibility_statement_without_contact_says_so(client, settings):
    settings.OPENREGION_OPERATOR_EMAIL = ""
    html = client.get("/en/accessibility/").content.decode()
    assert "has not yet entered a contact address" in html


# --- dates and money ---------------------------------------------------------------------------


def test_dates_are_unambiguous_in_english_and_unchanged_in_german():
    template = Template(
        "{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}|{{ t|date:'DATETIME_FORMAT' }}"
    )
    context = Context({"d": datetime.date(2026, 12, 3), "t": datetime.datetime(2026, 12, 3, 14, 5)})
    with translation.override("en"):
        assert template.render(context) == "3 Dec 2026|3 Dec 2026|3 Dec 2026, 14:05"
    with translation.override("de"):
        assert template.render(context).startswith("3. Dezember 2026|03.12.2026|")


def test_money_places_the_currency_by_locale():
    with translation.override("de"):
        assert money(Decimal("1234.5")) == "1.234,50\u00a0€"
        assert money(0) == "0,00\u00a0€"
    with translation.override("en"):
        assert money(Decimal("1234.5")) == "€1,234.50"
        assert money("12") == "€12.00"
    assert money(None) == ""
    assert money("n/a") == "n/a"


@pytest.mark.django_db
def test_service_prices_are_shown_with_the_locale_currency_format(client):
    service = ServiceFactory(price=Decimal("1234.50"))
    html = client.get(reverse("services:service_detail", args=[service.slug])).content.decode()
    assert "1.234,50\u00a0€" in html
    html = client.get(f"/en/services/{service.slug}/").content.decode()
    assert "€1,234.50" in html
    html = client.get("/en/services/").content.decode()
    assert "€1,234.50" in html


# --- searchable multi-select -------------------------------------------------------------------


@pytest.mark.django_db
def test_searchable_multi_select_keeps_a_native_select_with_translated_texts():
    from django import forms

    class Form(forms.Form):
        sectors = forms.MultipleChoiceField(
            choices=[("C28", "C28 Maschinenbau"), ("C29", "C29 Fahrzeugbau")],
            widget=SearchableMultiSelect,
        )

    html = str(Form(initial={"sectors": ["C28"]})["sectors"])
    assert html.startswith("<select") and 'name="sectors"' in html
    assert " multiple" in html and "data-multiselect" in html and 'id="id_sectors"' in html
    assert '<option value="C28" selected>C28 Maschinenbau</option>' in html
    assert '<option value="C29">C29 Fahrzeugbau</option>' in html
    assert 'data-remove-label="%(item)s entfernen"' in html
    assert 'data-filter-label="Liste filtern"' in html
    assert Form({"sectors": ["C28", "C29"]}).is_valid()


def _org_admin_of(organisation):
    membership = MembershipFactory(organisation=organisation)
    user = ClusterRoleFactory(
        cluster=membership.cluster,
        role=ClusterRole.Role.MEMBER_ORG_ADMIN,
        organisation=organisation,
    ).user
    PersonFactory(organisation=organisation, user=user, is_admin=True)
    return user


@pytest.mark.django_db
def test_organisation_and_posting_forms_use_the_searchable_multi_select(client):
    organisation = OrganisationFactory(sectors=[sector("C28")])
    client.force_login(_org_admin_of(organisation))
    html = client.get(
        reverse("actors:organisation_edit", args=[organisation.slug])
    ).content.decode()
    for name in ("sectors", "competences"):
        tag = re.search(rf'<select[^>]*name="{name}"[^>]*>', html).group(0)
        assert "data-multiselect" in tag and "multiple" in tag
    html = client.get(reverse("matching:posting_create")).content.decode()
    tag = re.search(r'<select[^>]*name="sectors"[^>]*>', html).group(0)
    assert "data-multiselect" in tag
