"""A double submit creates one object: bookings, ratings, survey responses, new services, surveys and
questions, whether the two submits arrive at once (parallel) or one after the other."""

import pytest

from actors.models import ClusterRole
from actors.permissions import manageable_clusters
from services import services
from services.forms import QuestionForm, ServiceForm, SurveyForm
from services.models import Booking, Feedback, Question, Response, Service, Survey
from tests.concurrency import run_at_once
from tests.factories import ClusterFactory, ClusterRoleFactory, MembershipFactory

from .factories import ServiceFactory, SurveyFactory, add_questions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office():
    cluster = ClusterFactory()
    organisation = MembershipFactory(cluster=cluster).organisation
    manager = ClusterRoleFactory(cluster=cluster, role=ClusterRole.Role.MANAGER).user
    member = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_USER, organisation=organisation
    ).user
    return cluster, manager, member


def test_double_booking_creates_one_booking(office):
    cluster, _manager, member = office
    service = ServiceFactory(cluster=cluster, capacity=10)
    run_at_once([lambda: services.book_service(service, member, "Zwei Plätze")] * 2)
    assert Booking.objects.filter(service=service).count() == 1
    services.book_service(service, member, "Zwei Plätze")  # sequential double submit
    assert Booking.objects.filter(service=service).count() == 1


def test_double_feedback_creates_one_rating(office):
    cluster, _manager, member = office
    service = ServiceFactory(cluster=cluster)
    Booking.objects.create(service=service, user=member, state=Booking.State.ATTENDED)
    run_at_once([lambda: services.give_feedback(service, member, 4, "Gut")] * 2)
    services.give_feedback(service, member, 4, "Gut")
    assert Feedback.objects.filter(service=service).count() == 1


def test_double_survey_response_creates_one_response(office):
    cluster, _manager, member = office
    survey = SurveyFactory(cluster=cluster, state=Survey.State.OPEN)
    likert, choice, _multiple, text = add_questions(survey)
    answers = {f"q{likert.pk}": "4", f"q{choice.pk}": "Online", f"q{text.pk}": "Mehr davon"}
    run_at_once([lambda: services.submit_response(survey, member, answers)] * 2)
    services.submit_response(survey, member, answers)
    assert Response.objects.filter(survey=survey).count() == 1
    assert text.answers.count() == 1


def test_double_create_of_service_survey_and_question(office):
    cluster, manager, _member = office
    clusters = manageable_clusters(manager)
    service_data = {
        "cluster": cluster.pk,
        "title": "Gemeinschaftsstand",
        "category": "public_relations",
        "target_group": "Mitglieder",
        "problem": "Eigene Stände sind zu teuer.",
        "financing": "participant_fees",
        "transferability": 4,
    }

    def create_service():
        form = ServiceForm(service_data, clusters=clusters)
        assert form.is_valid(), form.errors
        services.save_service(form, manager)

    run_at_once([create_service] * 2)
    create_service()
    assert Service.objects.filter(title="Gemeinschaftsstand").count() == 1

    def create_survey():
        form = SurveyForm(
            {"cluster": cluster.pk, "title": "Jahresbefragung", "kind": "annual"},
            clusters=clusters,
        )
        assert form.is_valid(), form.errors
        services.save_survey(form, manager)

    run_at_once([create_survey] * 2)
    create_survey()
    survey = Survey.objects.get(title="Jahresbefragung")

    def add_question():
        form = QuestionForm({"text": "Passt das Angebot?", "kind": "likert", "required": "on"})
        assert form.is_valid(), form.errors
        services.add_question(survey, manager, form)

    run_at_once([add_question] * 2)
    add_question()
    assert Question.objects.filter(survey=survey).count() == 1


def test_double_adoption_creates_one_copy(office):
    cluster, _manager, _member = office
    template = ServiceFactory(cluster=cluster, is_shared=True)
    other = ClusterFactory()
    other_manager = ClusterRoleFactory(cluster=other, role=ClusterRole.Role.MANAGER).user
    run_at_once([lambda: services.adopt_service(template, other, other_manager)] * 2)
    services.adopt_service(template, other, other_manager)
    assert Service.objects.filter(cluster=other, adopted_from=template).count() == 1
