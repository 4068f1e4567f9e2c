"""A visitor clicking "Abstimmen" lands on the login page (and comes back to the idea after
logging in) instead of getting the login page pasted into the idea page."""

import pytest
from playwright.sync_api import expect

from ideas.models import Phase
from tests.ideas.factories import IdeaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vote_while_logged_out_goes_to_the_login_page(live_server, page):
    idea = IdeaFactory(call__phase=Phase.VOTING, title="Offene Werkstatt für Mobilität")
    page.goto(f"{live_server.url}/calls/ideas/{idea.pk}/")
    page.get_by_role("button", name="Abstimmen").first.click()
    page.wait_for_url("**/login/**")
    assert f"next=/calls/ideas/{idea.pk}/" in page.url.replace("%2F", "/")
    expect(page.locator("header.site-header")).to_have_count(1)
