"""Network services: catalogue, lifecycle, bookings, feedback, needs surveys and the library.

The rules (services/rules.py): the office of a service's cluster (its current managers) and platform
admins manage services, bookings and surveys; confirmed users with a role in the cluster book and
answer surveys (platform admins are no members); only people whose own or organisation's booking was
confirmed rate a service; services in the idea or concept stage are hidden from everybody but their
office. The revoked manager created the service and the surveys: creating something gives no rights.
"""

from actors.models import ClusterRole
from services.models import Answer, Booking, Question, Response, Status, Survey
from tests.factories import ClusterRoleFactory, UserFactory
from tests.services.factories import ServiceFactory, SurveyFactory

from . import matrix
from .matrix import DENY, HIDDEN, LOGIN, NOT_ALLOWED, Api, Page, everyone


# A user whose address is not confirmed is not logged in (accounts.backends.EmailBackend): on pages
# that need a login they are sent to log in like a visitor.
def only(*roles, **overrides):
    return matrix.only(*roles, **{"unconfirmed": LOGIN, **overrides})


def logged_in(**overrides):
    return matrix.logged_in(**{"unconfirmed": LOGIN, **overrides})


def build(w):
    revoked = w.users["revoked_manager"]
    w.service = ServiceFactory(cluster=w.cluster_a, capacity=10, created_by=revoked)
    w.idea = ServiceFactory(cluster=w.cluster_a, status=Status.IDEA, created_by=revoked)
    w.shared_b = ServiceFactory(cluster=w.cluster_b, is_shared=True)
    # The member's booking has been confirmed: the member and their organisation's admin used it
    w.booking = Booking.objects.create(
        service=w.service,
        user=w.users["member"],
        organisation=w.org_a,
        state=Booking.State.CONFIRMED,
    )
    w.draft = SurveyFactory(cluster=w.cluster_a, created_by=revoked)
    w.draft_question = Question.objects.create(
        survey=w.draft, position=1, kind="likert", text="Passt das Angebot?"
    )
    w.open_survey = SurveyFactory(cluster=w.cluster_a, state=Survey.State.OPEN, created_by=revoked)
    need = Question.objects.create(
        survey=w.open_survey, position=1, kind="text", text="Was fehlt?", required=False
    )
    respondent = UserFactory(full_name="Rolf Antwortend")
    ClusterRoleFactory(
        user=respondent,
        cluster=w.cluster_a,
        role=ClusterRole.Role.MEMBER_USER,
        organisation=w.org_a,
    )
    response = Response.objects.create(survey=w.open_survey, user=respondent)
    w.answer = Answer.objects.create(response=response, question=need, text="Ein Cyber-Check")


office_a = only("manager_a", "platform_admin")
managers = only("manager_a", "manager_b", "platform_admin")
members_a = only("member", "org_admin", "manager_a")
# A service in the idea stage is seen by its office only: everybody else meets a 404 (pages that
# need a login first send visitors to log in).
NOT_OFFICE_A = ("member", "org_admin", "manager_b", "revoked_manager", "juror")
idea_office = only("manager_a", "platform_admin", **{role: HIDDEN for role in NOT_OFFICE_A})

ROUTES = [
    # catalogue and lifecycle
    Page("services:catalogue", get=everyone(), post=NOT_ALLOWED),
    Page("services:library", get=everyone(), post=NOT_ALLOWED),
    Page("services:service_create", get=managers, post=managers),
    Page(
        "services:service_detail", args=lambda w: [w.service.slug], get=everyone(), post=NOT_ALLOWED
    ),
    Page(
        "services:service_detail",
        args=lambda w: [w.idea.slug],
        get=everyone(
            anonymous=HIDDEN, unconfirmed=HIDDEN, **{role: HIDDEN for role in NOT_OFFICE_A}
        ),
        post=NOT_ALLOWED,
    ),
    Page("services:service_edit", args=lambda w: [w.service.slug], get=office_a, post=office_a),
    Page("services:service_edit", args=lambda w: [w.idea.slug], get=idea_office, post=idea_office),
    Page(
        "services:service_status",
        args=lambda w: [w.service.slug],
        get=NOT_ALLOWED,
        post=office_a,
        data=lambda w: {"to_status": "evaluation"},
    ),
    Page(
        "services:service_adopt",
        args=lambda w: [w.shared_b.slug],
        get=NOT_ALLOWED,
        post=only("manager_a", "platform_admin"),
        data=lambda w: {"cluster": w.cluster_a.pk},
    ),
    # bookings and feedback
    Page(
        "services:service_book",
        args=lambda w: [w.service.slug],
        get=NOT_ALLOWED,
        post=members_a,
        data=lambda w: {"note": "Zwei Plätze bitte"},
    ),
    Page(  # an idea cannot be booked, not even by its office
        "services:service_book",
        args=lambda w: [w.idea.slug],
        get=NOT_ALLOWED,
        post=only(manager_a=DENY, **{role: HIDDEN for role in NOT_OFFICE_A}),
    ),
    Page("services:my_bookings", get=logged_in(), post=NOT_ALLOWED),
    Page(
        "services:booking_cancel",
        args=lambda w: [w.booking.pk],
        get=NOT_ALLOWED,
        post=only("member"),
        data=lambda w: {"next": "https://evil.example/"},
    ),
    Page(
        "services:service_bookings",
        args=lambda w: [w.service.slug],
        get=office_a,
        post=NOT_ALLOWED,
    ),
    Page(
        "services:booking_update",
        args=lambda w: [w.booking.pk],
        get=NOT_ALLOWED,
        post=office_a,
        data=lambda w: {"state": "attended"},
    ),
    Page(
        "services:service_feedback",
        args=lambda w: [w.service.slug],
        get=NOT_ALLOWED,
        post=only("member", "org_admin"),
        data=lambda w: {"rating": "4", "comment": "Hilfreich"},
    ),
    # needs surveys
    Page("services:survey_list", get=logged_in(), post=NOT_ALLOWED),
    Page("services:survey_create", get=managers, post=managers),
    Page(
        "services:survey_detail",
        args=lambda w: [w.draft.pk],
        get=office_a,
        post=NOT_ALLOWED,
    ),
    Page(
        "services:survey_detail",  # members are sent on to answer an open survey
        args=lambda w: [w.open_survey.pk],
        get=only("member", "org_admin", "manager_a", "platform_admin"),
        post=NOT_ALLOWED,
    ),
    Page("services:survey_edit", args=lambda w: [w.draft.pk], get=office_a, post=office_a),
    Page(
        "services:question_add",
        args=lambda w: [w.draft.pk],
        get=NOT_ALLOWED,
        post=office_a,
        data=lambda w: {"text": "Was fehlt Ihnen?", "kind": "text"},
    ),
    Page(
        "services:question_delete",
        args=lambda w: [w.draft_question.pk],
        get=NOT_ALLOWED,
        post=office_a,
    ),
    Page(
        "services:survey_state",
        args=lambda w: [w.draft.pk],
        get=NOT_ALLOWED,
        post=office_a,
        data=lambda w: {"state": "open"},
    ),
    Page(
        "services:survey_answer",
        args=lambda w: [w.open_survey.pk],
        get=members_a,
        post=members_a,
    ),
    Page(
        "services:survey_results",
        args=lambda w: [w.open_survey.pk],
        get=office_a,
        post=NOT_ALLOWED,
    ),
    Page("services:answer_idea", args=lambda w: [w.answer.pk], get=office_a, post=office_a),
    # API
    Api("GET", "/api/services/", expect=everyone()),
    Api(
        "GET", "/api/services/{slug}", params=lambda w: {"slug": w.service.slug}, expect=everyone()
    ),
    Api(
        "GET",
        "/api/services/{slug}",
        params=lambda w: {"slug": w.idea.slug},
        expect=everyone(
            anonymous=HIDDEN, unconfirmed=HIDDEN, **{role: HIDDEN for role in NOT_OFFICE_A}
        ),
    ),
    Api("GET", "/api/services/surveys", expect=logged_in()),
    Api(
        "GET",
        "/api/services/surveys/{survey_id}/results",
        params=lambda w: {"survey_id": w.open_survey.pk},
        expect=office_a,
    ),
]
