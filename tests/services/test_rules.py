from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from actors.models import ClusterRole
from actors.permissions import manageable_clusters
from core.policy import allowed
from services import rules, services
from services.forms import ServiceForm
from services.models import (
    TRANSITIONS,
    Booking,
    Feedback,
    Response,
    Service,
    Status,
    StatusChange,
    Survey,
)
from services.services import RuleError
from tests.factories import ClusterFactory, ClusterRoleFactory, UserFactory

from .factories import ServiceFactory, SurveyFactory, add_questions

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _english_messages():
    # Rule messages are matched in their English source form
    with translation.override("en"):
        yield


def _form_data(cluster, **extra):
    return {
        "cluster": cluster.pk,
        "title": "Gemeinschaftsstand Hannover Messe",
        "category": "public_relations",
        "target_group": "Mitglieder",
        "problem": "Eigene Stände sind zu teuer.",
        "delivery": "",
        "financing": "participant_fees",
        "price": "1900",
        "transferability": 4,
        "is_bookable": "on",
        **extra,
    }


def test_manager_creates_service_as_idea_with_history(users, cluster):
    form = ServiceForm(_form_data(cluster), clusters=manageable_clusters(users["manager"]))
    assert form.is_valid(), form.errors
    service = services.save_service(form, users["manager"])
    assert service.status == Status.IDEA and service.created_by == users["manager"]
    change = service.history.get()
    assert change.to_status == Status.IDEA and change.changed_by == users["manager"]


def test_members_cannot_create_services(users, cluster):
    form = ServiceForm(_form_data(cluster), clusters=cluster.__class__.objects.all())
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        services.save_service(form, users["member"])
    assert not Service.objects.exists()


def test_service_form_rejects_negative_price_and_zero_capacity(cluster):
    form = ServiceForm(
        _form_data(cluster, price="-5", capacity="0"), clusters=cluster.__class__.objects.all()
    )
    assert not form.is_valid()
    assert "price" in form.errors and "capacity" in form.errors


def test_lifecycle_allows_only_listed_transitions(users, cluster):
    service = ServiceFactory(cluster=cluster, status=Status.IDEA)
    manager = users["manager"]
    with pytest.raises(RuleError):
        services.change_status(service, Status.ACTIVE, manager)
    services.change_status(service, Status.CONCEPT, manager, note="Konzept steht")
    with pytest.raises(RuleError, match="authorised"):
        services.change_status(service, Status.AUTHORISED, manager)
    services.change_status(service, Status.AUTHORISED, manager, authorised_by="assembly")
    for step in [Status.PILOT, Status.ACTIVE, Status.EVALUATION, Status.REDUCED]:
        services.change_status(service, step, manager)
    service.refresh_from_db()
    assert service.status == Status.REDUCED
    history = list(service.history.order_by("changed_at", "id"))
    assert [h.to_status for h in history] == [
        "concept", "authorised", "pilot", "active", "evaluation", "reduced",
    ]  # fmt: skip
    authorised = history[1]
    assert authorised.authorised_by == "assembly" and authorised.changed_by == manager
    assert history[0].note == "Konzept steht" and history[0].from_status == "idea"


def test_every_status_has_transitions_and_retired_can_be_revived():
    for status in Status:
        assert status in TRANSITIONS
    assert Status.CONCEPT in TRANSITIONS[Status.RETIRED]


def test_members_cannot_change_the_lifecycle(users, cluster):
    service = ServiceFactory(cluster=cluster, status=Status.IDEA)
    with pytest.raises(PermissionDenied):
        services.change_status(service, Status.CONCEPT, users["member"])
    other_manager = ClusterRoleFactory(cluster=ClusterFactory()).user
    with pytest.raises(PermissionDenied):
        services.change_status(service, Status.CONCEPT, other_manager)
    assert not StatusChange.objects.exists()


def test_booking_once_per_member_and_cancel_allows_rebooking(users, cluster, member_org):
    service = ServiceFactory(cluster=cluster)
    member = users["member"]
    booking = services.book_service(service, member, "Zwei Plätze bitte")
    assert booking.organisation == member_org and booking.state == Booking.State.REQUESTED
    with pytest.raises(RuleError, match="already"):
        services.book_service(service, member)
    services.cancel_booking(booking, member)
    again = services.book_service(service, member)
    assert again.pk != booking.pk
    assert Booking.objects.filter(service=service, user=member).count() == 2


def test_database_forbids_two_active_bookings(users, cluster):
    service = ServiceFactory(cluster=cluster)
    Booking.objects.create(service=service, user=users["member"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(service=service, user=users["member"], state="confirmed")


def test_outsiders_and_unoffered_services_cannot_be_booked(users, cluster):
    service = ServiceFactory(cluster=cluster)
    with pytest.raises(PermissionDenied):
        services.book_service(service, users["outsider"])
    concept = ServiceFactory(cluster=cluster, status=Status.CONCEPT)
    with pytest.raises(PermissionDenied):
        services.book_service(concept, users["member"])
    not_bookable = ServiceFactory(cluster=cluster, is_bookable=False)
    with pytest.raises(PermissionDenied):
        services.book_service(not_bookable, users["member"])
    assert not Booking.objects.exists()


def test_capacity_limits_active_bookings(users, cluster):
    service = ServiceFactory(cluster=cluster, capacity=1)
    first = services.book_service(service, users["member"])
    assert services.places_left(service) == 0
    with pytest.raises(RuleError, match="fully booked"):
        services.book_service(service, users["org_admin"])
    services.set_booking_state(first, Booking.State.CANCELLED, users["manager"])
    services.book_service(service, users["org_admin"])


def test_office_moves_bookings_through_allowed_states(users, cluster):
    service = ServiceFactory(cluster=cluster)
    booking = services.book_service(service, users["member"])
    with pytest.raises(PermissionDenied):
        services.set_booking_state(booking, Booking.State.CONFIRMED, users["member"])
    with pytest.raises(RuleError):
        services.set_booking_state(booking, Booking.State.ATTENDED, users["manager"])
    services.set_booking_state(booking, Booking.State.CONFIRMED, users["manager"])
    services.set_booking_state(booking, Booking.State.ATTENDED, users["manager"])
    booking.refresh_from_db()
    assert booking.state == Booking.State.ATTENDED
    with pytest.raises(RuleError):
        services.cancel_booking(booking, users["member"])  # attended stays on record
    with pytest.raises(PermissionDenied):
        services.cancel_booking(booking, users["org_admin"])


def _used(service, user, state=Booking.State.ATTENDED, organisation=None):
    return Booking.objects.create(
        service=service, user=user, state=state, organisation=organisation
    )


def test_one_feedback_per_member_is_updated(users, cluster):
    service = ServiceFactory(cluster=cluster)
    _used(service, users["member"])
    services.give_feedback(service, users["member"], 2, "Naja")
    services.give_feedback(service, users["member"], 5, "Jetzt super")
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (5, "Jetzt super")
    with pytest.raises(PermissionDenied):
        services.give_feedback(service, users["outsider"], 4)
    with pytest.raises(RuleError):
        services.give_feedback(service, users["member"], 6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(service=service, user=users["member"], rating=3)


def test_satisfaction_per_quarter_and_half_year(users, cluster):
    service = ServiceFactory(cluster=cluster)
    dates = [(2025, 1, 10, 2), (2025, 2, 10, 4), (2025, 5, 3, 5), (2025, 11, 1, 3)]
    for year, month, day_, rating in dates:
        Feedback.objects.create(
            service=service,
            user=UserFactory(),
            rating=rating,
            rated_at=datetime(year, month, day_, 12, tzinfo=BERLIN),
        )
    quarters = services.satisfaction_over_time(service)
    assert [(p.label, p.average, p.count) for p in quarters] == [
        ("Q1 2025", 3.0, 2),
        ("Q2 2025", 5.0, 1),
        ("Q4 2025", 3.0, 1),
    ]
    halves = services.satisfaction_over_time(service, "half")
    assert [(p.label, p.average, p.count) for p in halves] == [
        ("H1 2025", pytest.approx(11 / 3, abs=0.01), 3),
        ("H2 2025", 3.0, 1),
    ]
    assert services.satisfaction(service) == {"average": 3.5, "count": 4}


def test_visibility_of_services(users, cluster):
    active = ServiceFactory(cluster=cluster)
    idea = ServiceFactory(cluster=cluster, status=Status.IDEA)
    shared_retired = ServiceFactory(cluster=cluster, status=Status.RETIRED, is_shared=True)
    anonymous = rules.visible_services(users["outsider"])
    assert set(anonymous) == {active, shared_retired}
    assert set(rules.visible_services(users["manager"])) == {active, idea, shared_retired}
    assert not allowed(users["member"], "services.view_service", idea)
    assert allowed(users["manager"], "services.view_service", idea)
    assert set(rules.visible_services(users["platform_admin"])) == {active, idea, shared_retired}


def test_adopting_a_shared_service_copies_it_as_idea(users, cluster):
    template = ServiceFactory(cluster=cluster, is_shared=True, transferability=3, capacity=8)
    other = ClusterFactory()
    other_manager = ClusterRoleFactory(cluster=other).user
    copy = services.adopt_service(template, other, other_manager)
    assert copy.cluster == other and copy.status == Status.IDEA
    assert copy.adopted_from == template and copy.transferability == 3 and copy.capacity == 8
    assert not copy.is_shared and copy.slug != template.slug
    assert copy.history.get().changed_by == other_manager
    with pytest.raises(PermissionDenied):  # not into a cluster one does not manage
        services.adopt_service(template, cluster, other_manager)
    private = ServiceFactory(cluster=cluster)
    with pytest.raises(PermissionDenied):
        services.adopt_service(private, other, other_manager)


def test_library_filters_by_grade_category_and_text(cluster):
    a = ServiceFactory(cluster=cluster, is_shared=True, transferability=4, title="Messe")
    ServiceFactory(cluster=cluster, is_shared=True, transferability=2, category="education")
    ServiceFactory(cluster=cluster, is_shared=True, status=Status.CONCEPT)  # not proven yet
    ServiceFactory(cluster=cluster, is_shared=False)
    assert list(services.library(min_grade=3)) == [a]
    assert services.library().count() == 2
    assert services.library(category="education").get().transferability == 2
    assert list(services.library(query="mess")) == [a]


def test_survey_lifecycle_and_one_response_per_member(users, cluster):
    survey = SurveyFactory(cluster=cluster)
    with pytest.raises(RuleError, match="question"):
        services.set_survey_state(survey, Survey.State.OPEN, users["manager"])
    likert, choice, multiple, text = add_questions(survey)
    with pytest.raises(PermissionDenied):
        services.set_survey_state(survey, Survey.State.OPEN, users["member"])
    with pytest.raises(RuleError):
        services.set_survey_state(survey, Survey.State.CLOSED, users["manager"])
    services.set_survey_state(survey, Survey.State.OPEN, users["manager"])
    survey.refresh_from_db()
    assert survey.state == Survey.State.OPEN and survey.opened_at is not None
    answers = {
        f"q{likert.pk}": "4",
        f"q{choice.pk}": "Online",
        f"q{multiple.pk}": ["Personal", "Innovation"],
        f"q{text.pk}": "  Mehr Workshops  ",
    }
    response = services.submit_response(survey, users["member"], answers)
    assert response.answers.count() == 4
    # a double submit returns the first response; a later second answer is refused
    assert services.submit_response(survey, users["member"], answers) == response
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(RuleError, match="already"):
        services.submit_response(survey, users["member"], answers)
    with pytest.raises(PermissionDenied):
        services.submit_response(survey, users["outsider"], answers)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, user=users["member"])
    services.set_survey_state(survey, Survey.State.CLOSED, users["manager"])
    with pytest.raises(RuleError, match="not open"):
        services.submit_response(survey, users["org_admin"], answers)


def test_survey_results_aggregate_per_question(users, cluster):
    survey = SurveyFactory(cluster=cluster, state=Survey.State.OPEN)
    likert, choice, multiple, text = add_questions(survey)
    people = [users["member"], users["org_admin"], users["manager"]]
    values = [("5", "Online", ["Personal"], "Energieeinkauf"), ("3", "Online", [], ""),
              ("4", "Vor Ort", ["Personal", "Bildung"], "")]  # fmt: skip
    for person, (v, c, m, t) in zip(people, values, strict=True):
        services.submit_response(
            survey,
            person,
            {f"q{likert.pk}": v, f"q{choice.pk}": c, f"q{multiple.pk}": m, f"q{text.pk}": t},
        )
    responses, results = services.survey_results(survey)
    assert responses == 3
    r_likert, r_choice, r_multiple, r_text = results
    assert r_likert.average == 4.0
    assert [b["count"] for b in r_likert.bars] == [0, 0, 1, 1, 1]
    assert [(b["label"], b["count"], b["percent"]) for b in r_choice.bars] == [
        ("Vor Ort", 1, 33),
        ("Online", 2, 67),
    ]
    assert [(b["label"], b["count"]) for b in r_multiple.bars] == [
        ("Personal", 2),
        ("Bildung", 1),
        ("Innovation", 0),
    ]
    assert [a.text for a in r_text.texts] == ["Energieeinkauf"]


def test_free_text_answer_becomes_a_service_idea_once(users, cluster):
    survey = SurveyFactory(cluster=cluster, state=Survey.State.OPEN)
    likert, _c, _m, text = add_questions(survey)
    services.submit_response(
        survey, users["member"], {f"q{likert.pk}": "3", f"q{text.pk}": "Cyber-Schnellcheck"}
    )
    answer = text.answers.get()
    with pytest.raises(PermissionDenied):
        services.idea_from_answer(answer, users["member"], "Cyber-Check", "innovation")
    with pytest.raises(RuleError, match="free-text"):
        services.idea_from_answer(likert.answers.get(), users["manager"], "X", "innovation")
    service = services.idea_from_answer(answer, users["manager"], "Cyber-Check", "innovation")
    assert service.status == Status.IDEA and service.cluster == cluster
    assert service.problem == "Cyber-Schnellcheck" and service.category == "innovation"
    answer.refresh_from_db()
    assert answer.service_idea == service
    assert list(service.source_answers.all()) == [answer]
    with pytest.raises(RuleError, match="already"):
        services.idea_from_answer(answer, users["manager"], "Noch einmal", "innovation")


def test_reserved_words_do_not_become_service_slugs(cluster):
    assert ServiceFactory(cluster=cluster, title="Library").slug == "library-service"


def test_member_roles_decide_who_may_book(users, cluster):
    service = ServiceFactory(cluster=cluster)
    for role in ("member", "org_admin", "manager"):
        assert allowed(users[role], "services.book", service), role
    # platform admins are no members: no blanket yes
    assert not allowed(users["platform_admin"], "services.book", service)
    assert not allowed(users["outsider"], "services.book", service)
    ClusterRoleFactory(
        user=users["outsider"],
        cluster=ClusterFactory(),
        role=ClusterRole.Role.MANAGER,
    )
    assert not allowed(users["outsider"], "services.book", service)


def test_recurring_service_can_be_booked_again_after_attending(users, cluster):
    service = ServiceFactory(cluster=cluster, capacity=1)
    booking = services.book_service(service, users["member"])
    services.set_booking_state(booking, Booking.State.CONFIRMED, users["manager"])
    services.set_booking_state(booking, Booking.State.ATTENDED, users["manager"])
    assert services.places_left(service) == 1  # attended bookings no longer hold a place
    services.book_service(service, users["member"])
    assert service.bookings.filter(user=users["member"]).count() == 2
