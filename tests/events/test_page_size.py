"""The brokerage page (14,066 px in the demo) and the jury page (3,144 px for three ideas) were far
too long: the participant list, every answered request and every scoring form were spelled out.
Now forms and answered items fold into <details>; these tests bound what is shown unfolded."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import MeetingRequest
from ideas.models import Idea, JuryMember, Phase
from tests.events.factories import BrokerageEventFactory, RegistrationFactory
from tests.factories import UserFactory
from tests.ideas.factories import CallFactory, IdeaFactory

FOLDED = re.compile(r"<details(?![^>]*\bopen\b)[^>]*>.*?</details>", re.S)


def unfolded(html: str) -> str:
    """The page without the content of closed <details> (what a reader sees at first)."""
    main = html[html.index("<main") : html.index("</main>")]
    return FOLDED.sub("", main)


@pytest.fixture
def busy_fair(db):
    """60 participants; the member has 5 open and 30 answered requests to them and sent 20."""
    event = BrokerageEventFactory(meeting_slots=12, tables=10)
    member = UserFactory(full_name="Mira Mitglied")
    RegistrationFactory(event=event, user=member, profile="Sensorik für Leichtbau.")
    others = UserFactory.create_batch(60)
    for i, user in enumerate(others):
        RegistrationFactory(event=event, user=user, profile=f"Profil {i}: " + "Leichtbau " * 40)
    State = MeetingRequest.State
    for i, user in enumerate(others[:35]):
        MeetingRequest.objects.create(
            event=event,
            requester=user,
            recipient=member,
            message="Wir würden gern über ein gemeinsames Projekt sprechen. " * 4,
            state=State.PENDING if i < 5 else State.ACCEPTED,
        )
    for user in others[35:55]:
        MeetingRequest.objects.create(event=event, requester=member, recipient=user)
    return event, member


def test_brokerage_page_shows_a_compact_first_view(client, busy_fair):
    event, member = busy_fair
    client.force_login(member)
    html = client.get(f"/events/{event.slug}/brokerage/").content.decode()
    visible = unfolded(html)
    cards = visible[visible.index('class="events-people"') :].count('<li class="card">')
    assert 0 < cards <= 24  # one page of participants, not 50
    assert visible.count("<form") <= 12  # search, 5 open requests to answer, few others
    assert visible.count('type="checkbox"') == 0  # the slot grid is folded away
    assert visible.count("<textarea") <= 1
    # answered requests and sent requests are one folded line each
    assert "30 beantwortete Anfragen" in html and "20 Anfragen gesendet" in html
    assert len(visible) < 60_000, len(visible)


@pytest.fixture
def jury_call(db):
    call = CallFactory(
        phase=Phase.JURY,
        criteria=[("Neuheit", 3), ("Wirkung", 2), ("Umsetzbarkeit", 2), ("Nutzen für KMU", 2)],
    )
    juror = UserFactory()
    JuryMember.objects.create(call=call, user=juror, helix_type="research")
    for n in range(3):
        IdeaFactory(
            call=call,
            status=Idea.Status.SHORTLISTED,
            summary="Betriebe finden über Regionsgrenzen hinweg Partner. " * 12,
            submitted_at=timezone.now() - timedelta(days=n + 1),
        )
    return call, juror


def test_jury_page_lists_three_ideas_as_three_lines(client, jury_call):
    call, juror = jury_call
    client.force_login(juror)
    html = client.get(f"/calls/{call.slug}/review/").content.decode()
    visible = unfolded(html)
    assert html.count('<details class="ideas-jury-idea"') == 3
    assert visible.count("<select") == 0 and visible.count("<textarea") == 0
    # every scoring form is still there, one click away
    assert html.count("<select") == 12 and html.count("<textarea") == 12


def test_jury_form_with_errors_stays_open(client, jury_call):
    call, juror = jury_call
    client.force_login(juror)
    idea = call.ideas.first()
    html = client.post(f"/calls/{call.slug}/review/", {"idea": idea.pk}).content.decode()
    assert f'id="idea-{idea.pk}" open' in html
