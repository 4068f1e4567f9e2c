"""Issue 8 (and the feedback defect of issue 9) for network services: safe redirects, one rule layer
with rights from current roles, feedback only from users of a service, bounded numbers."""

import pytest
from django.core.exceptions import PermissionDenied

from actors.models import ClusterRole
from actors.permissions import manageable_clusters
from core.policy import allowed
from services import services
from services.forms import QuestionForm, ServiceForm
from services.models import MAX_CAPACITY, MAX_QUESTIONS, Booking, Feedback, Question, Survey
from services.services import RuleError
from tests.factories import ClusterRoleFactory, UserFactory

from .factories import ServiceFactory, SurveyFactory, add_questions

pytestmark = pytest.mark.django_db


# --- open redirect ---------------------------------------------------------------------------


def test_cancelling_a_booking_never_redirects_to_another_site(client_for, users, cluster):
    service = ServiceFactory(cluster=cluster)
    booking = services.book_service(service, users["member"])
    client = client_for(users["member"])
    response = client.post(
        f"/services/bookings/{booking.pk}/cancel/", {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == service.get_absolute_url()
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED

    again = services.book_service(service, users["member"], "neu")
    local = client.post(f"/services/bookings/{again.pk}/cancel/", {"next": "/services/bookings/"})
    assert local.url == "/services/bookings/"
    for evil in ("//evil.example/", "https:evil.example", "javascript:alert(1)"):
        third = services.book_service(service, users["member"], evil)
        response = client.post(f"/services/bookings/{third.pk}/cancel/", {"next": evil})
        assert response.url == service.get_absolute_url(), evil


# --- rights come from current roles, every write checks the rule -----------------------------


def _revoke(user, cluster):
    ClusterRole.objects.filter(user=user, cluster=cluster, role=ClusterRole.Role.MANAGER).delete()


def test_revoked_manager_loses_every_office_right_at_once(client_for, users, cluster):
    manager = users["manager"]
    service = ServiceFactory(cluster=cluster)
    booking = services.book_service(service, users["member"])
    survey = SurveyFactory(cluster=cluster)
    add_questions(survey)
    assert allowed(manager, "services.manage_service", service)
    _revoke(manager, cluster)

    for perm, obj in [
        ("services.manage_service", service),
        ("services.manage_booking", booking),
        ("services.manage_survey", survey),
        ("services.view_survey_results", survey),
        ("services.create_service", cluster),
        ("services.create_service", None),
        ("services.create_survey", None),
    ]:
        assert not allowed(manager, perm, obj), perm
    with pytest.raises(PermissionDenied):
        services.change_status(service, "evaluation", manager)
    with pytest.raises(PermissionDenied):
        services.set_booking_state(booking, Booking.State.CONFIRMED, manager)
    with pytest.raises(PermissionDenied):
        services.set_survey_state(survey, Survey.State.OPEN, manager)

    client = client_for(manager)
    assert client.get(f"/services/{service.slug}/edit/").status_code == 403
    assert client.get(f"/services/{service.slug}/bookings/").status_code == 403
    assert client.get(f"/services/surveys/{survey.pk}/").status_code == 403
    assert client.get(f"/services/surveys/{survey.pk}/results/").status_code == 403
    assert client.get(f"/api/services/surveys/{survey.pk}/results").status_code == 403
    assert client.get("/services/new/").status_code == 403


def test_question_writes_take_the_acting_user_and_check_the_rule(users, cluster):
    survey = SurveyFactory(cluster=cluster)
    form = QuestionForm({"text": "Passt das Angebot?", "kind": "likert", "required": "on"})
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.add_question(survey, users["member"], form)
    assert not survey.questions.exists()
    question = services.add_question(survey, users["manager"], form)
    with pytest.raises(PermissionDenied):
        services.delete_question(question, users["org_admin"])
    services.delete_question(question, users["manager"])
    assert not survey.questions.exists()


def test_hidden_service_is_404_for_other_offices_not_403(client_for, users, cluster):
    idea = ServiceFactory(cluster=cluster, status="idea")
    other_manager = ClusterRoleFactory(role=ClusterRole.Role.MANAGER).user
    client = client_for(other_manager)
    assert client.get(f"/services/{idea.slug}/edit/").status_code == 404
    assert client.get(f"/services/{idea.slug}/bookings/").status_code == 404
    assert client_for(users["manager"]).get(f"/services/{idea.slug}/edit/").status_code == 200


def test_platform_admin_manages_but_does_not_book_rate_or_answer(users, cluster):
    admin = users["platform_admin"]
    service = ServiceFactory(cluster=cluster)
    survey = SurveyFactory(cluster=cluster, state=Survey.State.OPEN)
    assert allowed(admin, "services.manage_service", service)
    assert allowed(admin, "services.view_survey_results", survey)
    assert not allowed(admin, "services.book", service)
    assert not allowed(admin, "services.give_feedback", service)
    assert not allowed(admin, "services.answer_survey", survey)


def test_unconfirmed_member_cannot_book(users, cluster, member_org):
    unconfirmed = UserFactory(email_confirmed=False)
    ClusterRoleFactory(
        user=unconfirmed,
        cluster=cluster,
        role=ClusterRole.Role.MEMBER_USER,
        organisation=member_org,
    )
    service = ServiceFactory(cluster=cluster)
    with pytest.raises(PermissionDenied):
        services.book_service(service, unconfirmed)


# --- feedback only from people who used the service (issue 9) --------------------------------


def test_only_users_of_a_service_may_rate_it(client_for, users, cluster, member_org):
    service = ServiceFactory(cluster=cluster)
    member, colleague = users["member"], users["org_admin"]  # both of member_org

    # a cluster member who never booked it cannot rate it, neither in the service nor the view
    with pytest.raises(PermissionDenied):
        services.give_feedback(service, member, 1, "Nie genutzt")
    client = client_for(member)
    page = client.get(service.get_absolute_url()).content.decode()
    assert "Rückmeldung senden" not in page
    refused = client.post(f"/services/{service.slug}/feedback/", {"rating": "1"})
    assert refused.status_code == 403
    assert not Feedback.objects.exists()

    # a booking that is only requested does not count yet
    booking = services.book_service(service, member)
    assert not allowed(member, "services.give_feedback", service)
    page = client.get(service.get_absolute_url()).content.decode()
    assert "sobald die Geschäftsstelle Ihre Buchung bestätigt hat" in page
    assert client.post(f"/services/{service.slug}/feedback/", {"rating": "2"}).status_code == 403

    # once the office confirmed it the member may rate, and so may a colleague of the organisation
    services.set_booking_state(booking, Booking.State.CONFIRMED, users["manager"])
    assert "Rückmeldung senden" in client.get(service.get_absolute_url()).content.decode()
    client.post(f"/services/{service.slug}/feedback/", {"rating": "4"})
    services.give_feedback(service, colleague, 5)
    assert services.satisfaction(service) == {"average": 4.5, "count": 2}

    # a cancelled booking is no use; a booking of another service is no use either
    other = ServiceFactory(cluster=cluster)
    cancelled = services.book_service(other, member)
    services.cancel_booking(cancelled, member)
    assert not allowed(member, "services.give_feedback", other)
    assert not allowed(users["outsider"], "services.give_feedback", service)


def test_leaving_the_cluster_ends_the_right_to_rate(users, cluster):
    service = ServiceFactory(cluster=cluster)
    Booking.objects.create(service=service, user=users["member"], state=Booking.State.ATTENDED)
    assert allowed(users["member"], "services.give_feedback", service)
    ClusterRole.objects.filter(user=users["member"]).delete()
    assert not allowed(users["member"], "services.give_feedback", service)


# --- numbers that size work are bounded -------------------------------------------------------


def _service_data(cluster, **extra):
    return {
        "cluster": cluster.pk,
        "title": "Messestand",
        "category": "public_relations",
        "target_group": "Mitglieder",
        "problem": "Eigene Stände sind zu teuer.",
        "financing": "participant_fees",
        "transferability": 4,
        **extra,
    }


def test_capacity_and_price_have_upper_bounds_with_clear_messages(client_for, users, cluster):
    clusters = manageable_clusters(users["manager"])
    too_many = ServiceForm(_service_data(cluster, capacity=MAX_CAPACITY + 1), clusters=clusters)
    assert not too_many.is_valid()
    assert too_many.errors["capacity"] == ["Ein Service kann höchstens 10000 Plätze haben."]
    assert ServiceForm(_service_data(cluster, capacity=MAX_CAPACITY), clusters=clusters).is_valid()
    huge = ServiceForm(_service_data(cluster, capacity="32767000000000"), clusters=clusters)
    assert not huge.is_valid() and "capacity" in huge.errors
    pricey = ServiceForm(_service_data(cluster, price="1000000.01"), clusters=clusters)
    assert not pricey.is_valid()
    assert pricey.errors["price"] == ["Der Preis darf höchstens 1000000 EUR betragen."]
    zero = ServiceForm(_service_data(cluster, capacity="0", price="-1"), clusters=clusters)
    assert not zero.is_valid()
    assert zero.errors["capacity"] == [
        "Geben Sie mindestens einen Platz an oder lassen Sie das Feld leer."
    ]
    assert zero.errors["price"] == ["Der Preis kann nicht negativ sein."]

    client = client_for(users["manager"])
    page = client.post("/services/new/", _service_data(cluster, capacity=99999))
    assert page.status_code == 200 and "höchstens 10000 Plätze" in page.content.decode()
    long_text = client.post("/services/new/", _service_data(cluster, problem="x" * 5001))
    assert long_text.status_code == 200 and "höchstens 5000 Zeichen" in long_text.content.decode()


def test_survey_question_count_and_options_are_bounded(client_for, users, cluster):
    survey = SurveyFactory(cluster=cluster)
    Question.objects.bulk_create(
        Question(survey=survey, position=i, kind="likert", text=f"Frage {i}")
        for i in range(1, MAX_QUESTIONS + 1)
    )
    form = QuestionForm({"text": "Noch eine?", "kind": "likert", "required": "on"})
    assert form.is_valid()
    with pytest.raises(RuleError, match="höchstens 50 Fragen"):
        services.add_question(survey, users["manager"], form)
    client = client_for(users["manager"])
    page = client.post(
        f"/services/surveys/{survey.pk}/questions/", {"text": "Noch eine?", "kind": "likert"}
    )
    assert "höchstens 50 Fragen" in page.content.decode()
    assert survey.questions.count() == MAX_QUESTIONS

    many = QuestionForm(
        {"text": "Wo?", "kind": "choice", "choices": "\n".join(f"Ort {i}" for i in range(21))}
    )
    assert not many.is_valid()
    assert many.errors["choices"] == ["Geben Sie höchstens 20 Antwortmöglichkeiten an."]
    wide = QuestionForm({"text": "Wo?", "kind": "choice", "choices": "a\n" + "b" * 201})
    assert not wide.is_valid() and "200 Zeichen" in wide.errors["choices"][0]


def test_api_bounds_page_and_filters_and_ids(client_for, users, cluster):
    ServiceFactory(cluster=cluster)
    client = client_for(None)
    assert client.get("/api/services/?page=99999999999999999999").status_code == 422
    assert client.get("/api/services/?page=10001").status_code == 422
    assert client.get("/api/services/?page=10000").status_code == 200
    assert client.get("/api/services/?page_size=101").status_code == 422
    assert client.get("/api/services/?min_transferability=9").status_code == 422
    assert client.get(f"/api/services/?q={'x' * 201}").status_code == 422
    manager = client_for(users["manager"])
    assert manager.get("/api/services/surveys/abc/results").status_code == 404
    assert manager.get("/api/services/surveys/99999999999999999999/results").status_code == 404
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/services/surveys/{survey_id}/results" in paths


def test_non_numeric_and_huge_ids_in_pages_are_404(client_for, users):
    client = client_for(users["manager"])
    for url in (
        "/services/surveys/abc/",
        "/services/surveys/99999999999999999999999/",
        "/services/surveys/99999999999999999999999/results/",
        "/services/bookings/abc/cancel/",
        "/services/answers/99999999999999999999999/idea/",
    ):
        assert client.get(url).status_code in (404, 405), url
    for url in ("/services/bookings/99999999999999999999/cancel/",
                "/services/questions/99999999999999999999/delete/"):  # fmt: skip
        assert client.post(url).status_code == 404, url
    assert client.get("/services/?page=99999999999999999999999").status_code == 200
    assert client.get("/services/surveys/new/?service=abc").status_code == 200


# --- privacy ---------------------------------------------------------------------------------


def test_service_history_never_shows_an_e_mail_address(client, cluster):
    nameless = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MANAGER, user__full_name=""
    ).user
    service = ServiceFactory(cluster=cluster, status="pilot")
    services.change_status(service, "active", nameless)
    page = client.get(service.get_absolute_url()).content.decode()
    assert "Pilotphase → Aktiv" in page
    assert nameless.email not in page
