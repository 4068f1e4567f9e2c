import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from actors.models import ClusterRole
from ideas import services
from ideas.models import Call, Comment, Idea, JuryMember, Phase, Vote
from tests.factories import ClusterRoleFactory, MembershipFactory, UserFactory

from .factories import DAY, CallFactory, IdeaFactory, schedule

pytestmark = pytest.mark.django_db
Status = Idea.Status
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _dates(phase):
    return {k: v.strftime("%Y-%m-%dT%H:%M") for k, v in schedule(phase).items()}


def test_cluster_manager_creates_call_with_questions_and_criteria(client_for, users, cluster):
    cluster.managing_organisation = (
        users["manager"].cluster_roles.first().cluster.memberships.first().organisation
    )
    cluster.save()
    client = client_for(users["manager"])
    page = client.get("/calls/new/")
    assert page.status_code == 200 and "Leitfragen" in page.content.decode()
    data = {
        "title": "Offene Region 2027", "description": "Ideen für offene Cluster",
        "organiser": cluster.managing_organisation.pk, "is_published": "on",
        **_dates(Phase.SUBMISSION), "allow_images": "on", "allow_attachments": "on",
        "max_file_mb": 5, "shortlist_size": 30, "scale_min": 1, "scale_max": 5,
        "questions": "Was ist Ihre Idee?\nWer profitiert?",
        "criteria": "Innovation | 3\nUmsetzbarkeit",
    }  # fmt: skip
    bad = client.post("/calls/new/", {**data, "criteria": "Innovation | viel", "scale_max": 1})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Gewicht von 1 bis 100" in body and "Offene Region 2027" in body  # input kept
    response = client.post("/calls/new/", data)
    call = Call.objects.get(title="Offene Region 2027")
    assert response.status_code == 302 and response.url == f"/calls/{call.slug}/manage/"
    assert call.created_by == users["manager"]
    assert [q.text for q in call.questions.all()] == ["Was ist Ihre Idee?", "Wer profitiert?"]
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        ("Innovation", 3),
        ("Umsetzbarkeit", 1),
    ]
    assert client.get(f"/calls/{call.slug}/manage/").status_code == 200
    # members and outsiders can neither create nor manage
    for role in ("member", "outsider"):
        other = client_for(users[role])
        assert other.get("/calls/new/").status_code == 403
        assert other.get(f"/calls/{call.slug}/manage/").status_code == 403


def test_unpublished_call_is_hidden_from_the_public(client_for, users):
    call = CallFactory(is_published=False)
    assert client_for(None).get(call.get_absolute_url()).status_code == 404
    assert call.title not in client_for(None).get("/calls/").content.decode()
    assert client_for(call.created_by).get(call.get_absolute_url()).status_code == 200


def test_submit_idea_with_answers_and_validated_uploads(client_for):
    call = CallFactory(phase=Phase.SUBMISSION)
    q1, q2 = call.questions.all()
    author = UserFactory()
    client = client_for(author)
    url = f"/calls/{call.slug}/submit/"
    # submitting needs every answer; the typed text stays in the form
    response = client.post(url, {"title": "Reallabor Wasserstoff", "summary": "Testfeld", "submit": "1",
                                 f"q_{q1.pk}": "Viel Nutzen"})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "Bitte beantworten Sie diese Frage." in body
    assert "Viel Nutzen" in body and not Idea.objects.exists()
    # a fake PDF (wrong content) and a too large image are refused
    fake = SimpleUploadedFile("plan.pdf", b"hello world", content_type="application/pdf")
    big = SimpleUploadedFile(
        "bild.png", PNG + b"\x00" * (6 * 1024 * 1024), content_type="image/png"
    )
    response = client.post(url, {"title": "X", "draft": "1", "attachment": fake, "image": big})
    body = response.content.decode()
    assert "passt nicht zum Dateityp" in body and "zu groß" in body
    # a draft needs only a title; then it is submitted with a real image and PDF
    client.post(url, {"title": "Reallabor Wasserstoff", "draft": "1"})
    idea = Idea.objects.get()
    assert idea.status == Status.DRAFT
    response = client.post(f"/calls/ideas/{idea.pk}/edit/", {
        "title": "Reallabor Wasserstoff", "summary": "Testfeld für Betriebe", "submit": "1",
        f"q_{q1.pk}": "Viel Nutzen", f"q_{q2.pk}": "Drei Betriebe",
        "image": SimpleUploadedFile("bild.png", PNG, content_type="image/png"),
        "attachment": SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n...", content_type="application/pdf"),
    })  # fmt: skip
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED
    assert sorted(idea.files.values_list("kind", flat=True)) == ["attachment", "image"]
    # other users cannot see it before moderation, the author can
    assert client_for(UserFactory()).get(idea.get_absolute_url()).status_code == 404
    assert "Reallabor" in client_for(author).get(idea.get_absolute_url()).content.decode()
    # after the deadline no more edits
    Call.objects.filter(pk=call.pk).update(**schedule(Phase.VOTING))
    response = client_for(author).post(f"/calls/ideas/{idea.pk}/edit/", {"title": "Neu"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Reallabor Wasserstoff"
    response = client_for(UserFactory()).post(f"/calls/{call.slug}/submit/", {"title": "Zu spät"})
    assert Idea.objects.count() == 1


def test_moderation_through_the_manage_page(client_for):
    call = CallFactory(phase=Phase.SUBMISSION)
    idea = IdeaFactory(call=call, status=Status.SUBMITTED, title="Offene Werkstatt")
    client = client_for(call.created_by)
    assert "Offene Werkstatt" in client.get(f"/calls/{call.slug}/manage/").content.decode()
    client.post(f"/calls/ideas/{idea.pk}/moderate/", {"action": "reject", "reason": ""})
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED  # a reason is required
    client.post(f"/calls/ideas/{idea.pk}/moderate/", {"action": "reject", "reason": "Werbung"})
    idea.refresh_from_db()
    assert idea.status == Status.REJECTED
    assert (
        client_for(UserFactory())
        .post(f"/calls/ideas/{idea.pk}/moderate/", {"action": "publish"})
        .status_code
        == 404  # a rejected idea does not exist for other users
    )
    idea.status = Status.PUBLISHED
    idea.save()
    assert (
        client_for(UserFactory())
        .post(f"/calls/ideas/{idea.pk}/moderate/", {"action": "reject", "reason": "x"})
        .status_code
        == 403
    )


def _list_queries(client, call):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/calls/{call.slug}/ideas/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_idea_list_issues_a_constant_number_of_queries(client_for, django_assert_max_num_queries):
    call = CallFactory(phase=Phase.VOTING)
    voter = UserFactory()
    client = client_for(voter)
    ideas = IdeaFactory.create_batch(3, call=call)
    Vote.objects.create(idea=ideas[0], voter=voter, call=call)
    few = _list_queries(client, call)
    more = IdeaFactory.create_batch(40, call=call)
    for idea in more[:20]:
        Vote.objects.create(idea=idea, voter=voter, call=call)
        Comment.objects.create(idea=idea, author=voter, text="gut")
    assert _list_queries(client, call) == few
    with django_assert_max_num_queries(8):
        client.get(f"/calls/{call.slug}/ideas/?sort=new&page=2")


def test_vote_and_withdraw_via_htmx_and_refusal_outside_voting(client_for):
    call = CallFactory(phase=Phase.VOTING)
    idea = IdeaFactory(call=call, title="Mentoring-Netz")
    client = client_for(UserFactory())
    response = client.post(
        f"/calls/ideas/{idea.pk}/vote/", {"action": "vote"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "1 Stimme" in body and "Stimme zurückziehen" in body
    response = client.post(
        f"/calls/ideas/{idea.pk}/vote/", {"action": "withdraw"}, HTTP_HX_REQUEST="true"
    )
    assert "0 Stimmen" in response.content.decode()
    Call.objects.filter(pk=call.pk).update(**schedule(Phase.JURY))
    response = client.post(f"/calls/ideas/{idea.pk}/vote/", {"action": "vote"}, follow=True)
    assert "Die Abstimmung ist nicht geöffnet." in response.content.decode()
    assert not Vote.objects.exists()
    unverified = client_for(UserFactory(email_confirmed=False))
    Call.objects.filter(pk=call.pk).update(**schedule(Phase.VOTING))
    unverified.post(f"/calls/ideas/{idea.pk}/vote/", {"action": "vote"})
    assert not Vote.objects.exists()


def test_comment_report_and_hide(client_for):
    idea = IdeaFactory()
    client_for(UserFactory()).post(f"/calls/ideas/{idea.pk}/comment/", {"text": "Kauft bei uns!"})
    comment = idea.comments.get()
    client_for(UserFactory()).post(f"/calls/comments/{comment.pk}/report/", {"reason": "Werbung"})
    manager = client_for(idea.call.created_by)
    assert "Kauft bei uns!" in manager.get(f"/calls/{idea.call.slug}/manage/").content.decode()
    manager.post(f"/calls/comments/{comment.pk}/moderate/", {"action": "hide"})
    assert "Kauft bei uns!" not in client_for(None).get(idea.get_absolute_url()).content.decode()


def test_jurors_see_only_their_own_scores_until_they_submit(client_for):
    call = CallFactory(phase=Phase.JURY)
    idea = IdeaFactory(call=call, status=Status.SHORTLISTED, title="Cluster-Tandem")
    first = services.assign_juror(call.created_by, call, UserFactory(), "business")
    second = services.assign_juror(call.created_by, call, UserFactory(), "research")
    innovation, feasibility = call.criteria.all()
    services.save_scores(
        first.user, idea, {innovation.pk: (5, "Sehr neu"), feasibility.pk: (5, "")}
    )
    services.submit_scores(first.user, call)
    client = client_for(second.user)
    page = client.get(f"/calls/{call.slug}/review/").content.decode()
    assert "Cluster-Tandem" in page and "Rangfolge" not in page and "Sehr neu" not in page
    prefix = f"i{idea.pk}-"
    response = client.post(f"/calls/{call.slug}/review/", {
        "idea": idea.pk, f"{prefix}s_{innovation.pk}": "9", f"{prefix}s_{feasibility.pk}": "",
        f"{prefix}c_{innovation.pk}": "Mein Kommentar",
    })  # fmt: skip
    assert response.status_code == 200 and "Mein Kommentar" in response.content.decode()
    client.post(f"/calls/{call.slug}/review/", {
        "idea": idea.pk, f"{prefix}s_{innovation.pk}": "2", f"{prefix}s_{feasibility.pk}": "3",
    })  # fmt: skip
    assert second.scores.count() == 2
    client.post(f"/calls/{call.slug}/review/submit/")
    page = client.get(f"/calls/{call.slug}/review/").content.decode()
    assert "Rangfolge" in page
    assert client_for(UserFactory()).get(f"/calls/{call.slug}/review/").status_code == 403


def test_manage_page_shows_ranking_spread_and_missing_helix_warning(client_for):
    call = CallFactory(phase=Phase.JURY)
    idea = IdeaFactory(call=call, status=Status.SHORTLISTED, title="Hackathon-Reihe")
    jurors = [
        services.assign_juror(call.created_by, call, UserFactory(), h)
        for h in ("business", "public")
    ]
    innovation, feasibility = call.criteria.all()
    for juror, value in zip(jurors, (5, 1), strict=True):
        services.save_scores(
            juror.user, idea, {innovation.pk: (value, ""), feasibility.pk: (value, "")}
        )
    page = client_for(call.created_by).get(f"/calls/{call.slug}/manage/").content.decode()
    assert "Warnung" in page and "Forschung und Bildung" in page and "Zivilgesellschaft" in page
    assert "Hackathon-Reihe" in page and "100.0" in page.replace(",", ".")
    services.assign_juror(call.created_by, call, UserFactory(), "research")
    services.assign_juror(call.created_by, call, UserFactory(), "civil")
    assert (
        "Warnung"
        not in client_for(call.created_by).get(f"/calls/{call.slug}/manage/").content.decode()
    )


def test_exports_never_reveal_voters(client_for):
    call = CallFactory(phase=Phase.JURY)
    idea = IdeaFactory(call=call, status=Status.SHORTLISTED, title="=Offene Werkstatt")
    voter = UserFactory(email="geheim@example.org")
    Vote.objects.create(idea=idea, voter=voter, call=call)
    juror = services.assign_juror(call.created_by, call, UserFactory(), "business")
    innovation, feasibility = call.criteria.all()
    services.save_scores(juror.user, idea, {innovation.pk: (4, "gut"), feasibility.pk: (2, "")})
    client = client_for(call.created_by)
    votes = client.get(f"/calls/{call.slug}/export/votes.csv")
    text = votes.content.decode()
    assert votes["Content-Type"].startswith("text/csv") and "geheim" not in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == [str(idea.pk), "'=Offene Werkstatt", "1"]
    scores = client.get(f"/calls/{call.slug}/export/scores.xlsx")
    sheet = load_workbook(io.BytesIO(scores.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 3 and values[1][6] == 4 and values[1][7] == "gut"
    ideas = load_workbook(io.BytesIO(client.get(f"/calls/{call.slug}/export/ideas.xlsx").content))
    assert ideas.active.max_row == 2
    assert client_for(voter).get(f"/calls/{call.slug}/export/votes.csv").status_code == 403


def test_results_page_after_publishing_and_english_version(client_for):
    call = CallFactory(phase=Phase.RESULTS, title="Offene Region")
    winner = IdeaFactory(call=call, status=Status.REVIEWED, title="Virtueller Innovationsraum")
    IdeaFactory(call=call, status=Status.REVIEWED, title="Patent-Sprechstunde")
    public = client_for(None)
    assert (
        "noch nicht veröffentlicht" in public.get(f"/calls/{call.slug}/results/").content.decode()
    )
    manager = client_for(call.created_by)
    manager.post(f"/calls/{call.slug}/awards/{winner.pk}/", {"award": "1. Preis"})
    response = manager.post(f"/calls/{call.slug}/results/publish/", follow=True)
    assert "Die Ergebnisse wurden veröffentlicht." in response.content.decode()
    page = client_for(None).get(f"/calls/{call.slug}/results/").content.decode()
    assert (
        "Virtueller Innovationsraum" in page
        and "1. Preis" in page
        and "Patent-Sprechstunde" in page
    )
    english = client_for(None).get(f"/en/calls/{call.slug}/results/").content.decode()
    assert "Winners" in english and "Further finalists" in english
    assert "Open calls and idea competitions" in client_for(None).get("/en/calls/").content.decode()
    assert "Offene Aufrufe und Ideenwettbewerbe" in client_for(None).get("/calls/").content.decode()


def test_advance_phase_button(client_for):
    call = CallFactory(phase=Phase.SUBMISSION)
    client = client_for(call.created_by)
    response = client.post(
        f"/calls/{call.slug}/advance/", {"confirm": "1", "current": "submission"}, follow=True
    )
    assert (
        "Bürgerbeteiligung" in response.content.decode()
        or "Abstimmung" in response.content.decode()
    )
    call.refresh_from_db()
    assert call.current_phase == Phase.VOTING
    assert call.submission_closes <= call.voting_opens
    assert call.voting_closes - call.voting_opens >= DAY


def test_api_lists_calls_and_ideas_with_counts_only(client):
    call = CallFactory(phase=Phase.VOTING)
    IdeaFactory(call=call, vote_count=4)
    IdeaFactory(call=call, status=Status.SUBMITTED)
    data = client.get("/api/calls/").json()
    assert data["items"][0]["slug"] == call.slug and data["items"][0]["phase"] == "voting"
    ideas = client.get(f"/api/calls/{call.slug}/ideas").json()["items"]
    assert len(ideas) == 1 and ideas[0]["vote_count"] == 4 and "voters" not in ideas[0]


def test_co_manager_and_juror_assignment_via_forms(client_for):
    call = CallFactory(phase=Phase.VOTING)
    client = client_for(call.created_by)
    # a user without a cluster manager role cannot be made co-manager: the listing would be a right
    # of its own
    colleague = UserFactory()
    response = client.post(f"/calls/{call.slug}/managers/", {"email": colleague.email}, follow=True)
    assert "kann diesen Aufruf nicht mitverwalten" in response.content.decode()
    assert not call.managers.exists()
    assert client_for(colleague).get(f"/calls/{call.slug}/manage/").status_code == 403
    # the manager of a partner cluster the organiser belongs to can
    partner = ClusterRoleFactory(role=ClusterRole.Role.MANAGER)
    MembershipFactory(cluster=partner.cluster, organisation=call.organiser)
    client = client_for(call.created_by)
    client.post(f"/calls/{call.slug}/managers/", {"email": partner.user.email})
    assert list(call.managers.all()) == [partner.user]
    assert client_for(partner.user).get(f"/calls/{call.slug}/manage/").status_code == 200
    client = client_for(call.created_by)
    juror = UserFactory()
    ClusterRoleFactory(user=juror, role=ClusterRole.Role.MANAGER)
    response = client.post(
        f"/calls/{call.slug}/jury/", {"email": juror.email, "helix_type": "civil"}, follow=True
    )
    assert JuryMember.objects.get(call=call).helix_type == "civil"
    assert "Jury" in response.content.decode()
    client.post(f"/calls/{call.slug}/jury/", {"email": "niemand@example.org"})
    assert JuryMember.objects.count() == 1


def test_call_list_and_manage_page_query_counts_do_not_grow(
    client, client_for, django_assert_max_num_queries
):
    calls = CallFactory.create_batch(6)
    for call in calls:
        IdeaFactory.create_batch(2, call=call)
    with django_assert_max_num_queries(4):
        assert client.get("/calls/").status_code == 200
    call = calls[0]
    manager = client_for(call.created_by)

    def manage_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get(f"/calls/{call.slug}/manage/").status_code == 200
        return len(ctx.captured_queries)

    few = manage_queries()
    IdeaFactory.create_batch(30, call=call, status=Status.SUBMITTED)
    IdeaFactory.create_batch(30, call=call, status=Status.SHORTLISTED)
    for h in ("business", "research", "civil"):
        services.assign_juror(call.created_by, call, UserFactory(), h)
    assert manage_queries() == few


def test_anonymous_vote_redirects_to_login_and_openapi_lists_call_endpoints(client):
    idea = IdeaFactory(call=CallFactory(phase=Phase.VOTING))
    response = client.post(f"/calls/ideas/{idea.pk}/vote/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/calls/" in paths and "/api/calls/{slug}/ideas" in paths


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        ("", ["Bürgerbeteiligung (Abstimmung)", "Leitfragen", "Abstimmen", "Zeitplan"]),
        ("/en", ["Community voting", "Guiding questions", "Vote", "Schedule"]),
    ],
)
def test_call_pages_in_german_and_english(client_for, prefix, texts):
    call = CallFactory(phase=Phase.VOTING)
    IdeaFactory(call=call, author=call.created_by)
    client = client_for(UserFactory())
    page = (
        client.get(f"{prefix}/calls/{call.slug}/").content.decode()
        + client.get(f"{prefix}/calls/{call.slug}/ideas/").content.decode()
    )
    for text in texts:
        assert text in page
    manage = client_for(call.created_by).get(f"{prefix}/calls/{call.slug}/manage/")
    assert ("Jury-Rangfolge" if not prefix else "Jury ranking") in manage.content.decode()
