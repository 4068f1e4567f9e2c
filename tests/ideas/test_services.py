import pytest
from django.utils import timezone

from actors.models import HelixType
from core.policy import allowed
from ideas import services
from ideas.models import Idea, Phase, Vote
from ideas.services import RuleError
from tests.factories import PersonFactory, UserFactory

from .factories import CallFactory, IdeaFactory, set_phase

pytestmark = pytest.mark.django_db
Status = Idea.Status


def test_phase_follows_the_schedule_and_draft_calls_have_no_phase():
    call = CallFactory(phase=Phase.VOTING)
    assert call.current_phase == Phase.VOTING
    assert call.phase(call.submission_opens) == Phase.SUBMISSION
    assert call.phase(call.implementation_closes) == Phase.CLOSED
    call.is_published = False
    assert call.current_phase == Phase.DRAFT


def test_advance_phase_walks_through_the_whole_competition():
    call = CallFactory(phase=Phase.UPCOMING)
    seen = [services.advance_phase(call.created_by, call)]
    while True:
        call.refresh_from_db()
        try:
            seen.append(services.advance_phase(call.created_by, call))
        except RuleError:
            break
    assert seen == ["submission", "voting", "jury", "results", "implementation"]
    call.refresh_from_db()
    assert call.current_phase == Phase.IMPLEMENTATION
    assert call.submission_closes <= call.voting_opens <= call.jury_opens <= call.results_on


def test_submission_only_during_submission_phase_and_draft_to_submitted():
    call = CallFactory(phase=Phase.SUBMISSION)
    idea = Idea(call=call, author=UserFactory(), title="Reallabor", summary="Kurz")
    q1, q2 = call.questions.all()
    services.save_idea(idea.author, idea, {q1.pk: "Viel", q2.pk: "Alle"}, [], submit=False)
    assert idea.status == Status.DRAFT
    services.save_idea(idea.author, idea, {q1.pk: "Viel", q2.pk: "Alle"}, [], submit=True)
    assert idea.status == Status.SUBMITTED and idea.submitted_at
    assert dict(idea.answers.values_list("question_id", "text")) == {q1.pk: "Viel", q2.pk: "Alle"}
    set_phase(call, Phase.VOTING)
    idea.refresh_from_db()
    with pytest.raises(RuleError):
        services.save_idea(idea.author, idea, {}, [], submit=False)
    assert not allowed(idea.author, "ideas.edit_idea", idea)


def test_moderation_requires_a_reason_to_reject():
    idea = IdeaFactory(status=Status.SUBMITTED)
    with pytest.raises(RuleError):
        services.moderate_idea(idea.call.created_by, idea, publish=False, reason=" ")
    services.moderate_idea(
        idea.call.created_by, idea, publish=False, reason="Kein Bezug zur Ausschreibung"
    )
    assert idea.status == Status.REJECTED and idea.rejection_reason
    services.moderate_idea(idea.call.created_by, idea, publish=True)
    assert idea.status == Status.PUBLISHED and idea.rejection_reason == ""


def test_voting_rules_one_vote_per_idea_withdraw_and_phase():
    call = CallFactory(phase=Phase.VOTING)
    idea = IdeaFactory(call=call)
    voter = UserFactory()
    services.cast_vote(voter, idea)
    assert idea.vote_count == 1
    with pytest.raises(RuleError):
        services.cast_vote(voter, idea)
    services.withdraw_vote(voter, idea)
    assert idea.vote_count == 0
    with pytest.raises(RuleError):
        services.withdraw_vote(voter, idea)
    with pytest.raises(RuleError, match="E-Mail"):
        services.cast_vote(UserFactory(email_confirmed=False), idea)
    with pytest.raises(RuleError):
        services.cast_vote(idea.author, idea)
    with pytest.raises(RuleError):
        services.cast_vote(voter, IdeaFactory(call=call, status=Status.SUBMITTED))
    services.cast_vote(voter, idea)
    set_phase(call, Phase.JURY)
    with pytest.raises(RuleError, match="Abstimmung|Voting"):
        services.cast_vote(UserFactory(), idea)
    with pytest.raises(RuleError):
        services.withdraw_vote(voter, idea)
    idea.refresh_from_db()
    assert idea.vote_count == 1 == Vote.objects.filter(idea=idea).count()


def test_vote_budget_limits_votes_per_person_and_frees_up_on_withdrawal():
    call = CallFactory(phase=Phase.VOTING, vote_budget=2)
    a, b, c = IdeaFactory.create_batch(3, call=call)
    voter = UserFactory()
    services.cast_vote(voter, a)
    services.cast_vote(voter, b)
    assert services.votes_left(voter, call) == 0
    with pytest.raises(RuleError):
        services.cast_vote(voter, c)
    services.withdraw_vote(voter, a)
    services.cast_vote(voter, c)
    assert sorted(Vote.objects.filter(voter=voter).values_list("idea_id", flat=True)) == sorted(
        [b.pk, c.pk]
    )


def test_shortlist_from_votes_with_organiser_override_and_phase_rule():
    call = CallFactory(phase=Phase.VOTING, shortlist_size=2)
    ideas = [IdeaFactory(call=call, vote_count=n) for n in (5, 9, 7, 1)]
    assert services.proposed_shortlist(call) == [ideas[1].pk, ideas[2].pk]
    services.set_shortlist_override(call.created_by, ideas[3], Idea.Override.INCLUDE)
    services.set_shortlist_override(call.created_by, ideas[1], Idea.Override.EXCLUDE)
    with pytest.raises(RuleError):
        services.confirm_shortlist(call.created_by, call)
    set_phase(call, Phase.JURY)
    chosen = services.confirm_shortlist(call.created_by, call)
    assert chosen == [ideas[3].pk, ideas[2].pk]
    assert set(call.ideas.filter(status=Status.SHORTLISTED).values_list("pk", flat=True)) == set(
        chosen
    )


def test_juror_helix_from_person_profile_and_composition_warning():
    call = CallFactory(phase=Phase.JURY)
    researcher = PersonFactory(organisation__helix_type=HelixType.RESEARCH, user=UserFactory()).user
    services.assign_juror(call.created_by, call, researcher)
    with pytest.raises(RuleError):
        services.assign_juror(call.created_by, call, researcher)
    with pytest.raises(RuleError):
        services.assign_juror(
            call.created_by, call, UserFactory()
        )  # no organisation, no helix given
    services.assign_juror(call.created_by, call, UserFactory(), HelixType.CIVIL)
    composition = services.composition(call)
    assert composition.counts["research"] == 1 and composition.counts["civil"] == 1
    assert composition.missing == ["business", "public"]


def _jury_call():
    call = CallFactory(phase=Phase.JURY)
    ideas = [IdeaFactory(call=call, status=Status.SHORTLISTED) for _ in range(2)]
    jurors = [
        services.assign_juror(call.created_by, call, UserFactory(), h)
        for h in ("business", "research")
    ]
    return call, ideas, jurors, list(call.criteria.all())


def test_jury_scoring_submit_ranking_and_spread():
    call, ideas, jurors, (innovation, feasibility) = _jury_call()
    with pytest.raises(RuleError):
        services.save_scores(jurors[0].user, ideas[0], {innovation.pk: (9, "")})  # off scale
    services.save_scores(
        jurors[0].user, ideas[0], {innovation.pk: (5, "stark"), feasibility.pk: (5, "")}
    )
    with pytest.raises(RuleError, match="1 von 2|1 of 2|2 von 4|2 of 4"):
        services.submit_scores(jurors[0].user, call)
    services.save_scores(
        jurors[0].user, ideas[1], {innovation.pk: (3, ""), feasibility.pk: (3, "")}
    )
    services.submit_scores(jurors[0].user, call)
    with pytest.raises(RuleError):
        services.save_scores(
            jurors[0].user, ideas[1], {innovation.pk: (1, ""), feasibility.pk: (1, "")}
        )
    # only the first juror's submitted scores count in the submitted-only ranking
    ranked = services.rankings(call, submitted_only=True)
    assert [r.object for r in ranked] == [ideas[0], ideas[1]]
    assert ranked[0].mean == 100 and ranked[1].mean == 50
    for idea in ideas:
        services.save_scores(
            jurors[1].user, idea, {innovation.pk: (1, ""), feasibility.pk: (1, "")}
        )
    services.submit_scores(jurors[1].user, call)
    ranked = services.rankings(call)
    assert ranked[0].spread == 100 and ranked[0].mean == 50
    assert set(call.ideas.values_list("status", flat=True)) == {Status.REVIEWED}


def test_awards_results_and_implementation():
    call, ideas, _jurors, _criteria = _jury_call()
    services.set_award(call.created_by, ideas[0], "1. Preis")
    with pytest.raises(RuleError):
        services.publish_results(call.created_by, call)  # jury still running
    set_phase(call, Phase.RESULTS)
    services.publish_results(call.created_by, call)
    assert call.results_published_at <= timezone.now()
    ideas[0].refresh_from_db()
    ideas[1].refresh_from_db()
    assert (ideas[0].status, ideas[1].status) == (Status.AWARDED, Status.NOT_AWARDED)
    with pytest.raises(RuleError):
        services.mark_implemented(call.created_by, ideas[1], "Pilot")
    services.mark_implemented(call.created_by, ideas[0], "Pilot mit drei Betrieben gestartet")
    assert ideas[0].status == Status.IMPLEMENTED


def test_comments_reports_and_moderation():
    idea = IdeaFactory()
    with pytest.raises(RuleError):
        services.add_comment(UserFactory(email_confirmed=False), idea, "Hallo")
    comment = services.add_comment(UserFactory(), idea, "Gute Idee")
    services.report_comment(UserFactory(), comment, "Werbung")
    assert comment.reports.filter(resolved=False).count() == 1
    services.moderate_comment(idea.call.created_by, comment, hide=True, note="Werbung")
    assert comment.is_hidden and not comment.reports.filter(resolved=False).exists()
    with pytest.raises(RuleError):
        services.add_comment(UserFactory(), IdeaFactory(status=Status.SUBMITTED), "x")


def test_authors_are_emailed_in_their_language_when_their_idea_moves_on(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    german = IdeaFactory(status=Status.SUBMITTED, title="Reallabor")
    english = IdeaFactory(
        call=german.call, status=Status.SUBMITTED, title="Makerspace",
        author=UserFactory(preferred_language="en"),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_idea(german.call.created_by, german, publish=True)
        services.moderate_idea(english.call.created_by, english, publish=False, reason="Off topic")
    subjects = [m.subject for m in mailoutbox]
    assert subjects == [
        "Ihre Idee „Reallabor“ wurde veröffentlicht",
        "Your idea “Makerspace” was not published",
    ]
    assert "Off topic" in mailoutbox[1].body and mailoutbox[1].to == [english.author.email]
    assert f"http://127.0.0.1:8000/en/calls/ideas/{english.pk}/" in mailoutbox[1].body
