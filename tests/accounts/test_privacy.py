"""Issue 8, finding 5: a person without a name is shown with a neutral label, never with their e-mail
address: not on public pages, not to other members, not in API answers."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actors.models import HelixType, Person
from events.models import Event, MeetingRequest
from ideas.models import Comment
from services.models import StatusChange
from tests.events.factories import (
    BrokerageEventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
)
from tests.factories import UserFactory, region
from tests.ideas.factories import CallFactory, IdeaFactory
from tests.matching.factories import PostingFactory
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def nameless(email: str) -> User:
    """A user whose name is empty (set directly in the database, as older accounts may be)."""
    user = UserFactory(email=email)
    User.objects.filter(pk=user.pk).update(full_name="")
    user.refresh_from_db()
    return user


def test_display_names_never_fall_back_to_the_address():
    user = nameless("hidden.person@example.org")
    for shown in (str(user), user.get_full_name(), user.get_short_name(), user.display_name):
        assert "hidden.person" not in shown
        assert "@" not in shown
    assert str(user) == f"Nutzer·in {user.pk}"
    User.objects.filter(pk=user.pk).update(full_name="   ")
    user.refresh_from_db()
    assert str(user) == f"Nutzer·in {user.pk}"

    named = UserFactory(full_name="Hanna Hansen")
    assert (str(named), named.get_full_name(), named.get_short_name()) == (
        "Hanna Hansen",
        "Hanna Hansen",
        "Hanna",
    )


def test_profile_form_does_not_let_the_name_be_cleared(client):
    user = UserFactory(full_name="Hanna Hansen")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "  ", "preferred_language": "de"}
    )
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Hanna Hansen"


@pytest.fixture
def nameless_everywhere(django_capture_on_commit_callbacks):
    """A nameless author, commenter, posting author, service editor, event participant and
    organisation founder, each with their own address."""
    people = {
        key: nameless(f"secret.{key}@example.org")
        for key in ("author", "commenter", "posting", "service", "participant", "founder")
    }
    call = CallFactory()
    idea = IdeaFactory(call=call, author=people["author"])
    Comment.objects.create(idea=idea, author=people["commenter"], text="Gute Idee!")
    posting = PostingFactory(author=people["posting"])
    service = ServiceFactory()
    StatusChange.objects.create(
        service=service, from_status="concept", to_status="active", changed_by=people["service"]
    )
    event = BrokerageEventFactory()
    RegistrationFactory(event=event, user=people["participant"])
    assert event.format == Event.Format.BROKERAGE

    # The founder creates an organisation; they become its (public) contact person.
    founder = Client()
    founder.force_login(people["founder"])
    response = founder.post(
        reverse("actors:organisation_create"),
        {
            "name": "Namenlos Technik GmbH",
            "helix_type": HelixType.BUSINESS,
            "region": region("DEA4").pk,
            "city": "Bielefeld",
            "description_de": "Sondermaschinen.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(user=people["founder"])
    Person.objects.filter(pk=person.pk).update(is_public=True)
    return {
        "people": people,
        "call": call,
        "idea": idea,
        "posting": posting,
        "service": service,
        "event": event,
        "organisation": person.organisation,
    }


def _assert_no_address(response, people, where):
    assert response.status_code == 200, where
    body = response.content.decode()
    for user in people.values():
        assert user.email not in body, (where, user.email)
        assert user.email.split("@")[0] not in body, (where, user.email)


def test_no_address_on_pages_for_the_public_or_other_members(nameless_everywhere):
    w = nameless_everywhere
    other_member = Client()
    other_member.force_login(UserFactory())
    pages = [
        reverse("ideas:idea_detail", args=[w["idea"].pk]),
        reverse("ideas:idea_list", args=[w["call"].slug]),
        reverse("matching:posting_detail", args=[w["posting"].pk]),
        reverse("matching:marketplace"),
        reverse("services:service_detail", args=[w["service"].slug]),
        reverse("actors:organisation_detail", args=[w["organisation"].slug]),
    ]
    for client in (Client(), other_member):
        for url in pages:
            _assert_no_address(client.get(url), w["people"], url)
    # The founder appears as a contact person under a neutral name.
    page = Client().get(pages[-1]).content.decode()
    assert f"Nutzer·in {w['people']['founder'].pk}" in page


def test_no_address_on_the_brokerage_page_of_another_participant(nameless_everywhere):
    w = nameless_everywhere
    fellow = UserFactory()
    RegistrationFactory(event=w["event"], user=fellow)
    client = Client()
    client.force_login(fellow)
    response = client.get(reverse("events:brokerage", args=[w["event"].slug]))
    _assert_no_address(response, w["people"], "brokerage")
    assert f"Nutzer·in {w['people']['participant'].pk}" in response.content.decode()


def test_no_address_in_api_answers_for_anonymous_or_other_users(nameless_everywhere):
    w = nameless_everywhere
    other_member = Client()
    other_member.force_login(UserFactory())
    urls = [
        "/api/calls/",
        f"/api/calls/{w['call'].slug}/ideas",
        "/api/marketplace/postings",
        f"/api/marketplace/postings/{w['posting'].pk}",
        "/api/actors/organisations",
        f"/api/actors/organisations/{w['organisation'].slug}",
        "/api/services/",
        f"/api/services/{w['service'].slug}",
        "/api/events/",
        f"/api/events/{w['event'].slug}",
    ]
    for client in (Client(), other_member):
        for url in urls:
            _assert_no_address(client.get(url), w["people"], url)


def test_no_address_in_the_agenda_api_of_a_meeting_partner(nameless_everywhere):
    w = nameless_everywhere
    fellow = UserFactory()
    RegistrationFactory(event=w["event"], user=fellow)
    MeetingRequestFactory(
        event=w["event"],
        requester=fellow,
        recipient=w["people"]["participant"],
        state=MeetingRequest.State.ACCEPTED,
        slot=1,
        table=1,
    )
    client = Client()
    client.force_login(fellow)
    response = client.get(f"/api/events/{w['event'].slug}/agenda")
    _assert_no_address(response, w["people"], "agenda")
    assert response.json()[0]["partner"] == f"Nutzer·in {w['people']['participant'].pk}"
