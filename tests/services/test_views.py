import pytest

from services.models import Booking, Feedback, Service, Status, Survey
from tests.factories import ClusterFactory, ClusterRoleFactory, UserFactory

from .factories import ServiceFactory, SurveyFactory, add_questions

pytestmark = pytest.mark.django_db


def test_catalogue_in_german_and_english(client, cluster):
    ServiceFactory(cluster=cluster, title="Bewerberpool Nord", category="personnel")
    german = client.get("/services/").content.decode()
    assert "Netzwerkservices" in german and "Bewerberpool Nord" in german
    assert "Personaldienstleistungen" in german and 'lang="de"' in german
    english = client.get("/en/services/").content.decode()
    assert "Network services" in english and "Personnel services" in english
    assert 'lang="en"' in english


def test_catalogue_filters_and_search(client, cluster):
    ServiceFactory(cluster=cluster, title="Messestand", category="public_relations")
    ServiceFactory(cluster=cluster, title="Coaching", category="innovation", financing="sponsored")
    other = ClusterFactory(name="Cluster Gesundheit")
    ServiceFactory(cluster=other, title="Summer School", category="education")
    ServiceFactory(cluster=cluster, title="Geheime Idee", status=Status.IDEA)

    def titles(query):
        body = client.get(f"/services/?{query}").content.decode()
        return {t for t in ("Messestand", "Coaching", "Summer School", "Geheime Idee") if t in body}

    assert titles("") == {"Messestand", "Coaching", "Summer School"}
    assert titles("category=innovation") == {"Coaching"}
    assert titles("financing=sponsored") == {"Coaching"}
    assert titles(f"cluster={other.slug}") == {"Summer School"}
    assert titles("q=messe") == {"Messestand"}
    assert titles("status=active&category=public_relations") == {"Messestand"}


def test_catalogue_query_count_does_not_grow(client, users, cluster, django_assert_max_num_queries):
    for i in range(25):
        service = ServiceFactory(cluster=cluster, title=f"Service {i}")
        Feedback.objects.create(service=service, user=users["member"], rating=4)
        Booking.objects.create(service=service, user=users["member"])
    client.force_login(users["manager"])
    with django_assert_max_num_queries(14):
        body = client.get("/services/").content.decode()
    assert "Service 24" in body and "4,0" in body


def test_manager_creates_edits_and_moves_service_through_lifecycle(client_for, users, cluster):
    client = client_for(users["manager"])
    assert client.get("/services/new/").status_code == 200
    data = {
        "cluster": cluster.pk, "title": "Azubi-Speed-Dating", "category": "personnel",
        "target_group": "Ausbildungsbetriebe", "problem": "Ausbildungsplätze bleiben frei.",
        "delivery": "Kennenlern-Gespräche per Video.",
        "financing": "free_for_members", "price": "95", "transferability": 4,
        "is_bookable": "on", "capacity": "20",
    }  # fmt: skip
    bad = client.post("/services/new/", {**data, "title": "", "price": "-1"})
    body = bad.content.decode()
    assert bad.status_code == 200 and "Der Preis kann nicht negativ sein." in body
    assert "Ausbildungsbetriebe" in body  # input kept
    response = client.post("/services/new/", data)
    service = Service.objects.get(title="Azubi-Speed-Dating")
    assert response.status_code == 302 and response.url == f"/services/{service.slug}/"
    assert service.status == Status.IDEA
    edit = client.post(f"/services/{service.slug}/edit/", {**data, "title": "Azubi-Dating"})
    assert edit.status_code == 302
    service.refresh_from_db()
    assert service.title == "Azubi-Dating" and service.cluster == cluster

    status_url = f"/services/{service.slug}/status/"
    client.post(status_url, {"to_status": "concept", "note": "Konzept"})
    refused = client.post(status_url, {"to_status": "authorised"}, follow=True)
    assert "Bitte geben Sie an, wer den Service genehmigt hat." in refused.content.decode()
    client.post(status_url, {"to_status": "authorised", "authorised_by": "board"})
    client.post(status_url, {"to_status": "active"})
    service.refresh_from_db()
    assert service.status == Status.ACTIVE
    page = client.get(service.get_absolute_url()).content.decode()
    assert "Vorstand" in page and "Konzept" in page and "Aktiv" in page


def test_members_and_outsiders_cannot_manage(client_for, users, cluster):
    service = ServiceFactory(cluster=cluster)
    for role in ("member", "org_admin", "outsider"):
        client = client_for(users[role])
        assert client.get("/services/new/").status_code == 403
        assert client.get(f"/services/{service.slug}/edit/").status_code == 403
        assert client.get(f"/services/{service.slug}/bookings/").status_code == 403
        assert client.post(f"/services/{service.slug}/status/", {}).status_code == 403
    other_manager = ClusterRoleFactory(cluster=ClusterFactory()).user
    assert client_for(other_manager).get(f"/services/{service.slug}/edit/").status_code == 403
    idea = ServiceFactory(cluster=cluster, status=Status.IDEA)
    assert client_for(users["member"]).get(idea.get_absolute_url()).status_code == 404
    assert client_for(None).get("/services/new/").status_code == 302  # to login


def test_member_books_cancels_and_office_manages(client_for, users, cluster):
    service = ServiceFactory(cluster=cluster, capacity=5)
    member = client_for(users["member"])
    page = member.get(service.get_absolute_url()).content.decode()
    assert "Service buchen" in page
    member.post(f"/services/{service.slug}/book/", {"note": "Zwei Personen"})
    again = member.post(f"/services/{service.slug}/book/", {}, follow=True)
    assert "Sie haben diesen Service bereits gebucht." in again.content.decode()
    booking = Booking.objects.get()
    assert booking.note == "Zwei Personen" and booking.state == "requested"
    assert "Meine Buchungen" in member.get("/services/bookings/").content.decode()

    office = client_for(users["manager"])
    listing = office.get(f"/services/{service.slug}/bookings/").content.decode()
    assert "Zwei Personen" in listing and "Bestätigt" in listing
    office.post(f"/services/bookings/{booking.pk}/state/", {"state": "confirmed"})
    booking.refresh_from_db()
    assert booking.state == "confirmed"
    wrong = office.post(
        f"/services/bookings/{booking.pk}/state/", {"state": "requested"}, follow=True
    )
    assert "nicht möglich" in wrong.content.decode()
    assert (
        client_for(users["org_admin"]).post(f"/services/bookings/{booking.pk}/cancel/").status_code
        == 403
    )
    booking.refresh_from_db()
    assert booking.state == "confirmed"  # only the booker may cancel
    member = client_for(users["member"])
    member.post(f"/services/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.state == "cancelled"
    assert client_for(users["outsider"]).post(f"/services/{service.slug}/book/").status_code == 403
    assert Booking.objects.count() == 1


def test_feedback_form_validates_and_updates(client_for, users, cluster):
    service = ServiceFactory(cluster=cluster)
    Booking.objects.create(service=service, user=users["member"], state=Booking.State.ATTENDED)
    client = client_for(users["member"])
    bad = client.post(f"/services/{service.slug}/feedback/", {"rating": "9"}, follow=True)
    assert "Bitte wählen Sie eine Bewertung von 1 bis 5." in bad.content.decode()
    assert not Feedback.objects.exists()
    client.post(f"/services/{service.slug}/feedback/", {"rating": "2", "comment": "Mäßig"})
    client.post(f"/services/{service.slug}/feedback/", {"rating": "5", "comment": "Super"})
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (5, "Super")
    page = client.get(service.get_absolute_url()).content.decode()
    assert "Bewertung ändern" in page and "Super" in page and "5,0" in page
    assert "Q" in client.get(f"{service.get_absolute_url()}?period=half").content.decode()
    outsider = client_for(users["outsider"])
    assert outsider.post(f"/services/{service.slug}/feedback/", {"rating": "1"}).status_code == 403
    assert Feedback.objects.count() == 1


def test_library_search_adopt_and_query_count(
    client_for, users, cluster, django_assert_max_num_queries
):
    for i in range(20):
        ServiceFactory(cluster=cluster, is_shared=True, title=f"Vorbild {i}", transferability=3)
    best = ServiceFactory(cluster=cluster, is_shared=True, title="Messestand", transferability=4)
    ServiceFactory(cluster=cluster, is_shared=False, title="Intern")
    other = ClusterFactory()
    other_manager = ClusterRoleFactory(cluster=other).user
    client = client_for(other_manager)
    with django_assert_max_num_queries(10):
        body = client.get("/services/library/").content.decode()
    assert "Vorbild 19" in body and "Intern" not in body
    assert "Messestand" in client.get("/services/library/?min_grade=4").content.decode()
    assert "Vorbild" not in client.get("/services/library/?min_grade=4").content.decode()
    assert "Vorbild 3" in client.get("/services/library/?q=vorbild").content.decode()
    bad = client.get("/services/library/?min_grade=9")
    assert bad.status_code == 200 and "gültige Auswahl" in bad.content.decode()

    detail = client.get(best.get_absolute_url()).content.decode()
    assert "Als Vorlage übernehmen" in detail
    response = client.post(f"/services/{best.slug}/adopt/", {"cluster": other.pk})
    copy = Service.objects.get(cluster=other)
    assert response.status_code == 302 and response.url == f"/services/{copy.slug}/edit/"
    assert copy.adopted_from == best and copy.status == Status.IDEA
    refused = client.post(f"/services/{best.slug}/adopt/", {"cluster": cluster.pk}, follow=True)
    assert "Bitte wählen Sie eines Ihrer Cluster." in refused.content.decode()


def test_manager_builds_survey_and_member_answers(client_for, users, cluster):
    manager = client_for(users["manager"])
    bad = manager.post(
        "/services/surveys/new/", {"cluster": cluster.pk, "title": "Bewertung", "kind": "event"}
    )
    assert "Wählen oder nennen Sie die Veranstaltung" in bad.content.decode()
    manager.post(
        "/services/surveys/new/",
        {"cluster": cluster.pk, "title": "Jahresbefragung 2027", "kind": "annual"},
    )
    survey = Survey.objects.get()
    url = f"/services/surveys/{survey.pk}/"
    bad_question = manager.post(f"{url}questions/", {"text": "Format?", "kind": "choice"})
    assert "mindestens zwei Antwortmöglichkeiten" in bad_question.content.decode()
    manager.post(
        f"{url}questions/", {"text": "Passt das Angebot?", "kind": "likert", "required": "on"}
    )
    manager.post(
        f"{url}questions/",
        {"text": "Format?", "kind": "choice", "choices": "Vor Ort\nOnline", "required": "on"},
    )
    manager.post(f"{url}questions/", {"text": "Was fehlt?", "kind": "text"})
    assert survey.questions.count() == 3
    manager.post(f"{url}state/", {"state": "open"})
    survey.refresh_from_db()
    assert survey.state == "open"
    assert ">Offen</span>" in manager.get("/services/surveys/").content.decode()

    likert, choice, text = survey.questions.all()
    member = client_for(users["member"])
    listing = member.get("/services/surveys/").content.decode()
    assert "Jahresbefragung 2027" in listing and "Jetzt antworten" in listing
    form = member.get(f"{url}answer/").content.decode()
    assert "<fieldset" in form and "<legend>" in form
    missing = member.post(f"{url}answer/", {f"q{text.pk}": "Mehr Webinare"})
    assert "Bitte beantworten Sie die markierten Fragen." in missing.content.decode()
    member.post(
        f"{url}answer/",
        {f"q{likert.pk}": "4", f"q{choice.pk}": "Online", f"q{text.pk}": "Mehr Webinare"},
    )
    assert survey.responses.count() == 1
    repeat = member.get(f"{url}answer/", follow=True).content.decode()
    assert "bereits beantwortet" in repeat
    assert member.get(f"{url}results/").status_code == 403
    assert client_for(users["outsider"]).get(f"{url}answer/").status_code == 403

    manager = client_for(users["manager"])  # the test client is shared between logins
    results = manager.get(f"{url}results/").content.decode()
    assert "Mittelwert 4,00 von 5" in results and "Mehr Webinare" in results
    assert "svc-bar-fill" in results
    answer = text.answers.get()
    idea_page = manager.get(f"/services/answers/{answer.pk}/idea/")
    assert idea_page.status_code == 200
    created = manager.post(
        f"/services/answers/{answer.pk}/idea/", {"title": "Webinar-Reihe", "category": "education"}
    )
    service = Service.objects.get(title="Webinar-Reihe")
    assert created.url == service.get_absolute_url() and service.status == Status.IDEA
    assert "Webinar-Reihe" in manager.get(f"{url}results/").content.decode()
    manager.post(f"{url}state/", {"state": "closed"})
    survey.refresh_from_db()
    assert survey.state == "closed"


def test_survey_results_query_count_is_constant(
    client_for, users, cluster, django_assert_max_num_queries
):
    survey = SurveyFactory(cluster=cluster, state=Survey.State.OPEN)
    likert, choice, multiple, text = add_questions(survey)
    from services import services

    for i in range(30):
        user = UserFactory()
        ClusterRoleFactory(user=user, cluster=cluster, role="manager")
        services.submit_response(
            survey,
            user,
            {
                f"q{likert.pk}": str(i % 5 + 1),
                f"q{choice.pk}": "Online",
                f"q{multiple.pk}": ["Personal"],
                f"q{text.pk}": f"Bedarf {i}",
            },
        )
    client = client_for(users["manager"])
    with django_assert_max_num_queries(10):
        body = client.get(f"/services/surveys/{survey.pk}/results/").content.decode()
    assert "Bedarf 29" in body and "30 Antworten" in body


def test_survey_pages_in_english(client_for, users, cluster):
    survey = SurveyFactory(cluster=cluster, state=Survey.State.OPEN)
    add_questions(survey)
    client = client_for(users["manager"])
    page = client.get(f"/en/services/surveys/{survey.pk}/results/").content.decode()
    assert "Results of" in page and "responses" in page
    assert "Needs surveys" in client.get("/en/services/surveys/").content.decode()


def test_event_rating_survey_links_an_event_of_the_same_cluster(client_for, users, cluster):
    from tests.events.factories import EventFactory

    event = EventFactory(cluster=cluster, title="Mitglieder-Café Lieferketten")
    foreign = EventFactory(cluster=ClusterFactory(), title="Fremde Messe")
    client = client_for(users["manager"])
    form = client.get("/services/surveys/new/").content.decode()
    assert "Mitglieder-Café Lieferketten (" in form and "Fremde Messe" not in form
    data = {"cluster": cluster.pk, "title": "Bewertung Café", "kind": "event"}
    refused = client.post("/services/surveys/new/", {**data, "event": foreign.pk})
    assert refused.status_code == 200 and not Survey.objects.exists()
    client.post("/services/surveys/new/", {**data, "event": event.pk})
    survey = Survey.objects.get()
    assert survey.event == event and list(event.rating_surveys.all()) == [survey]
    page = client.get(f"/services/surveys/{survey.pk}/").content.decode()
    assert event.get_absolute_url() in page


def test_only_managers_run_surveys(client_for, users, cluster):
    survey = SurveyFactory(cluster=cluster)
    add_questions(survey)
    for role in ("member", "org_admin", "outsider"):
        client = client_for(users[role])
        assert client.get("/services/surveys/new/").status_code == 403
        assert client.get(f"/services/surveys/{survey.pk}/").status_code == 403
        assert (
            client.post(f"/services/surveys/{survey.pk}/state/", {"state": "open"}).status_code
            == 403
        )
        assert client.get(f"/services/surveys/{survey.pk}/results/").status_code == 403
    survey.refresh_from_db()
    assert survey.state == Survey.State.DRAFT
    # a draft is not offered to members
    assert (
        "Jahresbefragung"
        not in client_for(users["member"]).get("/services/surveys/").content.decode()
    )


def test_admin_pages_for_services_and_surveys(client_for, users, cluster):
    service = ServiceFactory(cluster=cluster)
    survey = SurveyFactory(cluster=cluster)
    client = client_for(users["platform_admin"])
    for url in (
        "/admin/services/service/",
        f"/admin/services/service/{service.pk}/change/",
        "/admin/services/booking/",
        "/admin/services/feedback/",
        f"/admin/services/survey/{survey.pk}/change/",
        "/admin/services/response/",
    ):
        assert client.get(url).status_code == 200, url
