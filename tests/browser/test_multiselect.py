"""The searchable multi-select for industries and competences, driven by the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from actors.models import ClusterRole
from tests.browser.helpers import login
from tests.factories import (
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    sector,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _org_admin(email, organisation):
    membership = MembershipFactory(organisation=organisation)
    user = ClusterRoleFactory(
        user__email=email,
        cluster=membership.cluster,
        role=ClusterRole.Role.MEMBER_ORG_ADMIN,
        organisation=organisation,
    ).user
    PersonFactory(organisation=organisation, user=user, is_admin=True)
    return user


def test_type_masch_pick_maschinenbau_with_the_keyboard_and_save(live_server, page):
    organisation = OrganisationFactory(name="Präzisionsteile Lippe GmbH", sectors=[sector("C25")])
    _org_admin("orgadmin@example.org", organisation)
    login(page, live_server, "orgadmin@example.org")
    page.goto(f"{live_server.url}/organisations/{organisation.slug}/edit/")

    # the native select is replaced by a filter box labelled with the field's own label
    filter_box = page.get_by_role("searchbox", name="NACE-Branchen")
    expect(filter_box).to_be_visible()
    expect(page.locator("select[name=sectors]")).to_be_hidden()
    group = page.get_by_role("group", name="NACE-Branchen")
    expect(group).to_be_visible()
    # what is already picked shows as a chip whose accessible name contains its visible text
    expect(page.get_by_role("button", name=re.compile(r"^C25 .* entfernen$"))).to_be_visible()

    filter_box.click()
    page.keyboard.type("Masch")
    expect(group.get_by_role("checkbox", name="C28 Maschinenbau")).to_be_visible()
    expect(group.get_by_role("checkbox", name=re.compile("C10"))).to_be_hidden()
    # the number of matches is announced, not the list
    expect(page.locator("[role=status]").filter(has_text="Treffer: 2")).to_have_count(1)

    page.keyboard.press("Tab")
    maschinenbau = group.get_by_role("checkbox", name="C28 Maschinenbau")
    expect(maschinenbau).to_be_focused()
    page.keyboard.press("Space")
    expect(maschinenbau).to_be_checked()
    expect(page.get_by_role("button", name="C28 Maschinenbau entfernen")).to_be_visible()

    # a chip removes its item; focus stays in the widget
    page.get_by_role("button", name=re.compile(r"^C25 .* entfernen$")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile(r"^C25 .* entfernen$"))).to_have_count(0)
    assert page.evaluate("document.activeElement.closest('.ms') !== null")

    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"{live_server.url}/organisations/{organisation.slug}/")
    organisation.refresh_from_db()
    assert sorted(organisation.sectors.values_list("code", flat=True)) == ["C28"]


def test_without_javascript_the_native_multi_select_is_the_control(browser, live_server):
    organisation = OrganisationFactory(name="Werkzeugbau Ost GmbH")
    _org_admin("nojs@example.org", organisation)
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, "nojs@example.org")
        page.goto(f"{live_server.url}/organisations/{organisation.slug}/edit/")
        select = page.get_by_label("NACE-Branchen")
        expect(select).to_be_visible()
        assert select.evaluate("el => el.tagName") == "SELECT"
        expect(page.get_by_role("searchbox")).to_have_count(0)
    finally:
        context.close()
