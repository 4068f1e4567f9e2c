"""Defects a newcomer met on the manage page of a call: awards that silently contradict the jury
ranking, "Nächste Phase jetzt starten" rewriting the schedule without asking, and jurors whose
helix group had to be picked by hand although their organisation was known."""

import pytest
from django.utils import timezone

from actors.models import HelixType
from ideas.models import Idea, JuryMember, Phase, Score
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.ideas.factories import CallFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def _manage(call):
    return f"/calls/{call.slug}/manage/"


@pytest.fixture
def judged_call():
    """A call in the jury phase with three shortlisted ideas scored by one juror: A 1st, B 2nd,
    C 3rd."""
    call = CallFactory(phase=Phase.JURY)
    juror = JuryMember.objects.create(
        call=call, user=UserFactory(), helix_type=HelixType.RESEARCH, submitted_at=timezone.now()
    )
    ideas = {}
    for name, value in (("A", 5), ("B", 3), ("C", 1)):
        idea = IdeaFactory(call=call, title=f"Idee {name}", status=Idea.Status.SHORTLISTED)
        for criterion in call.criteria.all():
            Score.objects.create(juror=juror, idea=idea, criterion=criterion, value=value)
        ideas[name] = idea
    return call, ideas


def test_award_table_shows_the_jury_rank(client_for, judged_call):
    call, ideas = judged_call
    html = client_for(call.created_by).get(_manage(call)).content.decode()
    awards = html[html.index('id="awards"') :]
    assert "Jury-Rang" in awards
    # ranked order, rank next to the title
    assert awards.index("Idee A") < awards.index("Idee B") < awards.index("Idee C")
    assert '<td>1</td><th scope="row">Idee A</th>' in awards
    assert '<td>3</td><th scope="row">Idee C</th>' in awards


def test_award_order_contradicting_the_ranking_is_warned_about(client_for, judged_call):
    call, ideas = judged_call
    client = client_for(call.created_by)
    client.post(f"/calls/{call.slug}/awards/{ideas['A'].pk}/", {"award": "2. Preis"})
    response = client.post(
        f"/calls/{call.slug}/awards/{ideas['C'].pk}/", {"award": "1. Preis"}, follow=True
    )
    html = response.content.decode()
    assert "widersprechen der Jury-Rangfolge" in html
    assert "„Idee C“ (Jury-Rang 3) erhält „1. Preis“" in html
    # B (rank 2) gets nothing while C (rank 3) is placed
    assert "„Idee B“ (Jury-Rang 2) erhält keine Auszeichnung" in html
    # an order that follows the ranking gives no warning
    client.post(f"/calls/{call.slug}/awards/{ideas['A'].pk}/", {"award": "1. Preis"})
    client.post(f"/calls/{call.slug}/awards/{ideas['B'].pk}/", {"award": "2. Preis"})
    client.post(f"/calls/{call.slug}/awards/{ideas['C'].pk}/", {"award": "Sonderpreis"})
    html = client.get(_manage(call)).content.decode()
    assert "widersprechen der Jury-Rangfolge" not in html


def test_next_phase_asks_first_and_shows_old_and_new_dates(client_for):
    call = CallFactory(phase=Phase.SUBMISSION)
    before = {f: getattr(call, f) for f in ("submission_closes", "voting_opens")}
    client = client_for(call.created_by)
    response = client.post(f"/calls/{call.slug}/advance/")
    assert response.status_code == 200
    html = response.content.decode()
    call.refresh_from_db()
    assert call.current_phase == Phase.SUBMISSION  # nothing changed yet
    assert {f: getattr(call, f) for f in before} == before
    assert 'name="confirm" value="1"' in html
    assert "<del>" in html and "<ins>" in html
    local = timezone.localtime(before["voting_opens"])
    assert local.strftime("%d.%m.%Y") in html  # the old date is shown
    # confirming changes the schedule
    client.post(f"/calls/{call.slug}/advance/", {"confirm": "1", "current": "submission"})
    call.refresh_from_db()
    assert call.current_phase == Phase.VOTING


def test_confirmation_for_a_stale_phase_changes_nothing(client_for):
    call = CallFactory(phase=Phase.VOTING)
    client = client_for(call.created_by)
    response = client.post(
        f"/calls/{call.slug}/advance/", {"confirm": "1", "current": "submission"}, follow=True
    )
    call.refresh_from_db()
    assert call.current_phase == Phase.VOTING
    assert "Phase des Aufrufs hat sich inzwischen geändert" in response.content.decode()


def test_juror_with_known_organisation_is_seated_without_choosing_a_group(client_for):
    call = CallFactory(phase=Phase.SUBMISSION)
    juror = UserFactory()
    PersonFactory(user=juror, organisation=OrganisationFactory(helix_type=HelixType.RESEARCH))
    client = client_for(call.created_by)
    manage = client.get(_manage(call)).content.decode()
    jury_form = manage[manage.index('id="jury"') : manage.index('id="ranking"')]
    assert '<select name="helix_type"' not in jury_form  # not asked up front
    response = client.post(f"/calls/{call.slug}/jury/", {"email": juror.email}, follow=True)
    member = JuryMember.objects.get(call=call, user=juror)
    assert member.helix_type == HelixType.RESEARCH
    assert "Forschung" in response.content.decode()


def test_juror_without_organisation_is_asked_for_the_group(client_for):
    call = CallFactory(phase=Phase.SUBMISSION)
    juror = UserFactory()
    client = client_for(call.created_by)
    response = client.post(f"/calls/{call.slug}/jury/", {"email": juror.email})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<select name="helix_type"' in html and "ist unbekannt" in html
    assert not JuryMember.objects.filter(call=call).exists()
    client.post(f"/calls/{call.slug}/jury/", {"email": juror.email, "helix_type": "civil"})
    assert JuryMember.objects.get(call=call, user=juror).helix_type == "civil"
