"""Issue 9 in the browser: the personal start page (manager and member), the cluster hub, and a
membership application end to end — in German and English, on a 390 px wide phone screen without
horizontal scrolling."""

import pytest
from playwright.sync_api import expect

from actors.models import ClusterRole, Membership, Person
from events.models import Registration
from ideas.models import Idea, Phase
from services.models import Booking
from tests.browser.helpers import login
from tests.events.factories import EventFactory
from tests.factories import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.ideas.factories import CallFactory, IdeaFactory
from tests.services.factories import ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}

TEXT = {
    "de": {
        "prefix": "",
        "tasks": "Meine Aufgaben",
        "my_bookings": "Meine Buchungen",
        "events": "Meine nächsten Veranstaltungen",
        "vote": "Aufrufe in der Abstimmung",
        "applications": "Mitgliedsantrag zu entscheiden",
        "moderation": "Idee wartet auf Moderation",
        "manage": "Mitglieder verwalten",
        "new_event": "Neue Veranstaltung",
        "services": "Netzwerkservices",
        "figures": "Zahlen",
        "cluster": "Cluster",
        "message": "Nachricht an das Clustermanagement",
        "send": "Antrag senden",
        "sent": "Der Antrag wurde gesendet.",
        "accept": "Annehmen",
        "accepted": "Antrag angenommen",
        "unverified": "nicht verifiziert",
        "memberships": "Clustermitgliedschaften",
    },
    "en": {
        "prefix": "/en",
        "tasks": "My tasks",
        "my_bookings": "My bookings",
        "events": "My upcoming events",
        "vote": "Calls open for voting",
        "applications": "membership application to decide",
        "moderation": "idea awaiting moderation",
        "manage": "Manage members",
        "new_event": "New event",
        "services": "Network services",
        "figures": "Figures",
        "cluster": "Cluster",
        "message": "Message to the cluster office",
        "send": "Send application",
        "sent": "The application has been sent.",
        "accept": "Accept",
        "accepted": "Application accepted",
        "unverified": "unverified",
        "memberships": "Cluster memberships",
    },
}


@pytest.fixture
def phone(browser):
    """A phone-sized page; the language is chosen by URL (/en/ for English)."""
    context = browser.new_context(locale="de-DE", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def assert_no_horizontal_scrolling(page):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


@pytest.fixture
def world(db):
    office = OrganisationFactory(name="Geschäftsstelle Wasserstoff Nordwest")
    cluster = ClusterFactory(name="Wasserstoffnetzwerk Nordwest", managing_organisation=office)
    MembershipFactory(cluster=cluster, organisation=office)
    manager = UserFactory(email="manager@example.org", full_name="Maria Managerin")
    ClusterRoleFactory(user=manager, cluster=cluster, role=ClusterRole.Role.MANAGER)
    member_org = OrganisationFactory(name="Elektrolyse Systeme GmbH")
    MembershipFactory(cluster=cluster, organisation=member_org)
    member = UserFactory(email="member@example.org", full_name="Max Mitglied")
    ClusterRoleFactory(
        user=member, cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=member_org
    )
    Person.objects.create(organisation=member_org, user=member, full_name="Max Mitglied")
    # an organisation that registered itself, administered by its founder
    newcomer = OrganisationFactory(name="Neue Speicherfirma GmbH")
    founder = UserFactory(email="founder@example.org", full_name="Frieda Gründerin")
    Person.objects.create(
        organisation=newcomer, user=founder, full_name="Frieda Gründerin", is_admin=True
    )
    # things that need the manager and the member
    Membership.objects.create(
        cluster=cluster,
        organisation=OrganisationFactory(name="Bewerberin Tanklogistik AG"),
        status=Membership.Status.APPLIED,
        message="Wir möchten mitmachen.",
    )
    call = CallFactory(organiser=office, created_by=manager, title="Ideen für grünen Wasserstoff")
    IdeaFactory(call=call, status=Idea.Status.SUBMITTED, title="Wasserstoff-Tankstelle im Hafen")
    service = ServiceFactory(cluster=cluster, title="Fördermittelberatung Wasserstoff")
    Booking.objects.create(service=service, user=member, state=Booking.State.CONFIRMED)
    event = EventFactory(cluster=cluster, title="Werkstatt Elektrolyse")
    Registration.objects.create(event=event, user=member, state=Registration.State.REGISTERED)
    CallFactory(phase=Phase.VOTING, title="Abstimmung Wasserstoffbusse")
    return {"cluster": cluster, "newcomer": newcomer}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_start_page_of_a_manager(phone, live_server, world, lang):
    t = TEXT[lang]
    login(phone, live_server, "manager@example.org")
    phone.goto(f"{live_server.url}{t['prefix']}/")
    expect(phone.get_by_role("heading", name=t["tasks"])).to_be_visible()
    expect(phone.get_by_role("link", name=t["applications"])).to_be_visible()
    expect(phone.get_by_role("link", name=t["moderation"])).to_be_visible()
    assert_no_horizontal_scrolling(phone)
    phone.get_by_role("link", name=t["applications"]).click()
    expect(phone.get_by_role("link", name="Bewerberin Tanklogistik AG")).to_be_visible()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_start_page_of_a_member(phone, live_server, world, lang):
    t = TEXT[lang]
    login(phone, live_server, "member@example.org")
    phone.goto(f"{live_server.url}{t['prefix']}/")
    expect(phone.get_by_role("heading", name=t["my_bookings"])).to_be_visible()
    expect(phone.get_by_role("link", name="Fördermittelberatung Wasserstoff")).to_be_visible()
    expect(phone.get_by_role("heading", name=t["events"])).to_be_visible()
    expect(phone.get_by_role("link", name="Werkstatt Elektrolyse")).to_be_visible()
    expect(phone.get_by_role("heading", name=t["vote"])).to_be_visible()
    expect(phone.get_by_role("link", name="Abstimmung Wasserstoffbusse")).to_be_visible()
    assert_no_horizontal_scrolling(phone)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_cluster_hub(phone, live_server, world, lang):
    t = TEXT[lang]
    url = f"{live_server.url}{t['prefix']}{world['cluster'].get_absolute_url().removeprefix('/en')}"
    phone.goto(url)  # a visitor
    expect(phone.get_by_role("heading", name="Wasserstoffnetzwerk Nordwest")).to_be_visible()
    expect(phone.get_by_role("list", name=t["figures"])).to_be_visible()
    expect(phone.get_by_role("link", name="Fördermittelberatung Wasserstoff")).to_be_visible()
    expect(phone.get_by_role("link", name="Werkstatt Elektrolyse")).to_be_visible()
    expect(phone.get_by_role("link", name="Ideen für grünen Wasserstoff")).to_be_visible()
    expect(phone.get_by_role("link", name=t["manage"])).to_have_count(0)
    assert_no_horizontal_scrolling(phone)
    login(phone, live_server, "manager@example.org")  # the office
    phone.goto(url)
    expect(phone.get_by_role("link", name=t["manage"])).to_be_visible()
    expect(phone.get_by_role("link", name=t["new_event"])).to_be_visible()
    assert_no_horizontal_scrolling(phone)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_membership_application_end_to_end(phone, live_server, world, lang):
    t = TEXT[lang]
    cluster, newcomer = world["cluster"], world["newcomer"]
    organisation_url = f"{live_server.url}{t['prefix']}/organisations/{newcomer.slug}/"

    # the organisation's admin applies with a message; the page shows it is not yet verified
    login(phone, live_server, "founder@example.org")
    phone.goto(organisation_url)
    expect(phone.get_by_text(t["unverified"], exact=True).first).to_be_visible()
    phone.get_by_role("combobox", name=t["cluster"], exact=True).select_option(cluster.slug)
    phone.get_by_label(t["message"]).fill("Wir speichern Wasserstoff in Salzkavernen.")
    phone.get_by_role("button", name=t["send"]).click()
    expect(phone.get_by_text(t["sent"])).to_be_visible()
    assert_no_horizontal_scrolling(phone)

    # the office sees the application with its message and the badge, and accepts it
    login(phone, live_server, "manager@example.org")
    phone.goto(f"{live_server.url}{t['prefix']}/clusters/{cluster.slug}/manage/")
    row = phone.get_by_role("row").filter(has_text="Neue Speicherfirma GmbH")
    expect(row.get_by_text("Wir speichern Wasserstoff in Salzkavernen.")).to_be_visible()
    expect(row.get_by_text(t["unverified"], exact=True)).to_be_visible()
    assert_no_horizontal_scrolling(phone)  # wide tables scroll inside their own region
    row.get_by_role("button", name=t["accept"]).click()
    expect(phone.get_by_text(t["accepted"])).to_be_visible()
    assert Membership.objects.get(cluster=cluster, organisation=newcomer).status == "active"

    # the applicant sees the membership on the organisation's page
    login(phone, live_server, "founder@example.org")
    phone.goto(organisation_url)
    memberships = phone.get_by_role("region", name=t["memberships"])
    expect(memberships.get_by_role("link", name="Wasserstoffnetzwerk Nordwest")).to_be_visible()
    assert_no_horizontal_scrolling(phone)
