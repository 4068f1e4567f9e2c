"""The demo's brokerage page (once 14,066 px) and a jury page with three ideas (once 3,144 px),
measured in the browser at 1280 px (markup bounds: tests/events/test_page_size.py)."""

import pytest

from ideas.models import Idea, JuryMember, Phase
from tests.factories import UserFactory
from tests.ideas.factories import CallFactory, IdeaFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_brokerage_and_jury_pages_are_short_at_1280_px(live_server, page):
    """Measured in the browser: the demo's brokerage page as its member and a jury page with three
    ideas as their juror, at 1280 px width."""
    from django.apps import apps

    from actors.demo import DemoBuilder
    from events.demo import BROKERAGE_SLUG
    from tests.browser.helpers import login

    DemoBuilder(clusters=1, organisations=120).build()
    apps.get_app_config("events").seed_demo(stdout=None, scale=False)
    call = CallFactory(phase=Phase.JURY)
    juror = UserFactory(email="jurorin@example.org")
    JuryMember.objects.create(call=call, user=juror, helix_type="research")
    for _ in range(3):
        IdeaFactory(call=call, status=Idea.Status.SHORTLISTED, summary="Partner finden. " * 30)

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "member@openregion.example")
    page.goto(f"{live_server.url}/events/{BROKERAGE_SLUG}/brokerage/")
    assert page.get_by_role("heading", name="Teilnehmende").is_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height

    login(page, live_server, "jurorin@example.org")
    page.goto(f"{live_server.url}/calls/{call.slug}/review/")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 1400, height
    # opening an idea shows its form
    page.locator("summary").first.click()
    assert page.get_by_role("combobox").first.is_visible()
