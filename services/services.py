"""Domain rules of network services and needs surveys. Views call these; writes are atomic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Cluster, ClusterRole
from actors.permissions import (
    is_cluster_manager,
    is_platform_admin,
    managed_cluster_ids,
    member_cluster_ids,
)

from .models import (
    OFFERED,
    PROVEN,
    Answer,
    Booking,
    Category,
    Feedback,
    Financing,
    Question,
    Response,
    Service,
    Status,
    StatusChange,
    Survey,
)


class RuleError(Exception):
    """A domain rule was violated; the message is shown to the user."""


# --- permissions -------------------------------------------------------------------------------


def is_member(user, cluster: Cluster) -> bool:
    """Users with any role in the cluster (managers included) and platform admins."""
    if is_platform_admin(user):
        return True
    if not user.is_authenticated:
        return False
    return ClusterRole.objects.filter(user=user, cluster=cluster).exists()


def can_manage_any(user) -> bool:
    return is_platform_admin(user) or bool(managed_cluster_ids(user))


def can_manage_service(user, service: Service) -> bool:
    return is_cluster_manager(user, service.cluster)


def can_manage_survey(user, survey: Survey) -> bool:
    return is_cluster_manager(user, survey.cluster)


def visible_services(user):
    """Offered services and proven shared ones for everyone; managers also see their clusters'
    ideas, concepts and retired services."""
    qs = Service.objects.select_related("cluster")
    if is_platform_admin(user):
        return qs
    return qs.filter(
        Q(status__in=OFFERED)
        | Q(is_shared=True, status__in=PROVEN)
        | Q(cluster_id__in=managed_cluster_ids(user))
    )


def can_view_service(user, service: Service) -> bool:
    if service.status in OFFERED or (service.is_shared and service.status in PROVEN):
        return True
    return can_manage_service(user, service)


# --- catalogue and lifecycle -------------------------------------------------------------------


def with_figures(qs):
    """Annotate active bookings, average rating and number of ratings without joins that would
    multiply rows (one subquery each, so list pages stay at a constant number of queries)."""
    bookings = (
        Booking.objects.filter(service=OuterRef("pk"), state__in=Booking.ACTIVE)
        .order_by()
        .values("service")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ratings = Feedback.objects.filter(service=OuterRef("pk")).order_by().values("service")
    return qs.annotate(
        booking_count=Coalesce(Subquery(bookings, output_field=IntegerField()), 0),
        rating_count=Coalesce(
            Subquery(ratings.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            0,
        ),
        rating_average=Subquery(ratings.annotate(a=Avg("rating")).values("a")),
    )


def catalogue(
    user,
    *,
    query: str = "",
    cluster: str = "",
    category: str = "",
    financing: str = "",
    status: str = "",
):
    qs = visible_services(user)
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(problem__icontains=query)
            | Q(target_group__icontains=query)
            | Q(delivery__icontains=query)
        )
    if cluster:
        qs = qs.filter(cluster__slug=cluster)
    if category in Category.values:
        qs = qs.filter(category=category)
    if financing in Financing.values:
        qs = qs.filter(financing=financing)
    if status in Status.values:
        qs = qs.filter(status=status)
    return with_figures(qs).order_by("cluster__name", "title")


@transaction.atomic
def save_service(form, user) -> Service:
    creating = form.instance.pk is None
    service = form.save(commit=False)
    if creating:
        if not is_cluster_manager(user, service.cluster):
            raise RuleError(_("Only managers of the cluster can add services."))
        service.created_by = user
        service.status = Status.IDEA
    elif not can_manage_service(user, service):
        raise RuleError(_("Only managers of the cluster can edit this service."))
    service.save()
    if creating:
        StatusChange.objects.create(
            service=service, to_status=service.status, changed_by=user, note=_("Created")
        )
    return service


@transaction.atomic
def change_status(service: Service, to_status: str, user, authorised_by: str = "", note: str = ""):
    service = Service.objects.select_for_update().select_related("cluster").get(pk=service.pk)
    if not can_manage_service(user, service):
        raise RuleError(_("Only managers of the cluster can change the lifecycle."))
    if not service.can_move_to(to_status):
        raise RuleError(_("This lifecycle step is not possible from the current status."))
    if to_status == Status.AUTHORISED and not authorised_by:
        raise RuleError(_("Please state who authorised the service."))
    StatusChange.objects.create(
        service=service,
        from_status=service.status,
        to_status=to_status,
        authorised_by=authorised_by if to_status == Status.AUTHORISED else "",
        note=note,
        changed_by=user,
    )
    service.status = to_status
    service.save(update_fields=["status", "updated_at"])
    return service


def library(query: str = "", category: str = "", min_grade: int | None = None):
    qs = Service.objects.filter(is_shared=True, status__in=PROVEN).select_related("cluster")
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(problem__icontains=query)
            | Q(target_group__icontains=query)
            | Q(delivery__icontains=query)
            | Q(cluster__name__icontains=query)
        )
    if category in Category.values:
        qs = qs.filter(category=category)
    if min_grade:
        qs = qs.filter(transferability__gte=min_grade)
    qs = qs.annotate(adoption_count=Count("adoptions"))
    return qs.order_by("-transferability", "title")


@transaction.atomic
def adopt_service(template: Service, cluster: Cluster, user) -> Service:
    """Copy a shared service into the user's own cluster as a new idea."""
    if not template.is_shared or template.status not in PROVEN:
        raise RuleError(_("Only services from the best-practice library can be adopted."))
    if not is_cluster_manager(user, cluster):
        raise RuleError(_("You can only adopt services into a cluster you manage."))
    if cluster.pk == template.cluster_id:
        raise RuleError(_("This service already belongs to that cluster."))
    copy = Service.objects.create(
        cluster=cluster,
        title=template.title,
        category=template.category,
        target_group=template.target_group,
        problem=template.problem,
        delivery=template.delivery,
        financing=template.financing,
        price=template.price,
        transferability=template.transferability,
        capacity=template.capacity,
        is_bookable=template.is_bookable,
        status=Status.IDEA,
        adopted_from=template,
        created_by=user,
    )
    StatusChange.objects.create(
        service=copy,
        to_status=Status.IDEA,
        changed_by=user,
        note=_("Adopted from “%(title)s” (%(cluster)s)")
        % {"title": template.title, "cluster": template.cluster.name},
    )
    return copy


# --- bookings and feedback ---------------------------------------------------------------------


def open_booking(service: Service, user) -> Booking | None:
    if not user.is_authenticated:
        return None
    return service.bookings.filter(user=user, state__in=Booking.OPEN).first()


def places_left(service: Service) -> int | None:
    if service.capacity is None:
        return None
    taken = service.bookings.filter(state__in=Booking.OPEN).count()
    return max(service.capacity - taken, 0)


@transaction.atomic
def book_service(service: Service, user, note: str = "") -> Booking:
    if not user.is_authenticated:
        raise RuleError(_("Please log in to book a service."))
    # Lock the service row so that two last-minute bookings cannot both take the last place
    service = Service.objects.select_for_update().select_related("cluster").get(pk=service.pk)
    if not service.is_offered or not service.is_bookable:
        raise RuleError(_("This service cannot be booked at the moment."))
    if not is_member(user, service.cluster):
        raise RuleError(_("Only members of the cluster can book this service."))
    if Booking.objects.filter(service=service, user=user, state__in=Booking.OPEN).exists():
        raise RuleError(_("You have already booked this service."))
    if service.capacity is not None:
        taken = Booking.objects.filter(service=service, state__in=Booking.OPEN).count()
        if taken >= service.capacity:
            raise RuleError(_("Sorry, this service is fully booked."))
    role = (
        ClusterRole.objects.filter(user=user, cluster=service.cluster, organisation__isnull=False)
        .select_related("organisation")
        .first()
    )
    try:
        with transaction.atomic():
            return Booking.objects.create(
                service=service,
                user=user,
                organisation=role.organisation if role else None,
                note=note,
            )
    except IntegrityError:
        raise RuleError(_("You have already booked this service.")) from None


# Which state the office may set from which state.
OFFICE_STEPS = {
    Booking.State.REQUESTED: [Booking.State.CONFIRMED, Booking.State.CANCELLED],
    Booking.State.CONFIRMED: [Booking.State.ATTENDED, Booking.State.CANCELLED],
    Booking.State.ATTENDED: [Booking.State.CONFIRMED],
    Booking.State.CANCELLED: [],
}


@transaction.atomic
def cancel_booking(booking: Booking, user) -> Booking:
    """The member cancels their own booking (attended bookings stay on record)."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.user_id != user.pk:
        raise RuleError(_("You can only cancel your own bookings."))
    if booking.state not in (Booking.State.REQUESTED, Booking.State.CONFIRMED):
        raise RuleError(_("This booking can no longer be cancelled."))
    booking.state = Booking.State.CANCELLED
    booking.save(update_fields=["state", "updated_at"])
    return booking


@transaction.atomic
def set_booking_state(booking: Booking, state: str, user) -> Booking:
    """The cluster office confirms, cancels or marks a booking as attended."""
    booking = (
        Booking.objects.select_for_update().select_related("service__cluster").get(pk=booking.pk)
    )
    if not can_manage_service(user, booking.service):
        raise RuleError(_("Only the cluster office can manage bookings."))
    if state not in OFFICE_STEPS.get(booking.state, []):
        raise RuleError(_("This change is not possible for the booking."))
    booking.state = state
    booking.save(update_fields=["state", "updated_at"])
    return booking


def office_steps(booking: Booking) -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in OFFICE_STEPS.get(booking.state, [])]


def can_give_feedback(user, service: Service) -> bool:
    return (
        user.is_authenticated and service.status != Status.IDEA and is_member(user, service.cluster)
    )


@transaction.atomic
def give_feedback(service: Service, user, rating: int, comment: str = "") -> Feedback:
    """Create or update the user's one rating of the service."""
    if not can_give_feedback(user, service):
        raise RuleError(_("Only members of the cluster can rate this service."))
    if not 1 <= int(rating) <= 5:
        raise RuleError(_("Please choose a rating from 1 to 5."))
    feedback, _created = Feedback.objects.update_or_create(
        service=service,
        user=user,
        defaults={"rating": int(rating), "comment": comment.strip(), "rated_at": timezone.now()},
    )
    return feedback


@dataclass
class Period:
    label: str
    average: float
    count: int

    @property
    def percent(self) -> int:
        return round(self.average / 5 * 100)


def satisfaction(service: Service) -> dict:
    row = service.feedback.aggregate(average=Avg("rating"), count=Count("pk"))
    return {
        "average": round(row["average"], 1) if row["average"] is not None else None,
        "count": row["count"],
    }


def satisfaction_over_time(service: Service, period: str = "quarter") -> list[Period]:
    """Average rating and number of ratings per quarter (or half-year), oldest first."""
    rows = (
        service.feedback.annotate(quarter=TruncQuarter("rated_at"))
        .values("quarter")
        .annotate(total=Sum("rating"), count=Count("pk"))
        .order_by("quarter")
    )
    buckets: dict[tuple[int, int], list[int]] = {}
    for row in rows:
        start = row["quarter"]
        part = (start.month - 1) // 3 + 1
        if period == "half":
            part = 1 if part <= 2 else 2
        total_count = buckets.setdefault((start.year, part), [0, 0])
        total_count[0] += row["total"]
        total_count[1] += row["count"]
    periods = []
    for (year, part), (total, count) in sorted(buckets.items()):
        label = f"H{part} {year}" if period == "half" else f"Q{part} {year}"
        periods.append(Period(label=label, average=round(total / count, 2), count=count))
    return periods


# --- surveys -----------------------------------------------------------------------------------


def surveys_for(user):
    """Surveys of clusters the user manages (any state) and open or closed ones of clusters
    they belong to."""
    qs = Survey.objects.select_related("cluster", "service", "event")
    if is_platform_admin(user):
        return qs
    return qs.filter(
        Q(cluster_id__in=managed_cluster_ids(user))
        | Q(cluster_id__in=member_cluster_ids(user), state=Survey.State.OPEN)
    )


def open_surveys_to_answer(user):
    if not user.is_authenticated:
        return Survey.objects.none()
    return (
        Survey.objects.filter(state=Survey.State.OPEN, cluster_id__in=member_cluster_ids(user))
        .exclude(responses__user=user)
        .select_related("cluster")
    )


@transaction.atomic
def save_survey(form, user) -> Survey:
    survey = form.save(commit=False)
    if not is_cluster_manager(user, survey.cluster):
        raise RuleError(_("Only managers of the cluster can run surveys."))
    if survey.pk and survey.state != Survey.State.DRAFT:
        raise RuleError(_("Only draft surveys can be changed."))
    if not survey.pk:
        survey.created_by = user
    survey.save()
    return survey


@transaction.atomic
def add_question(survey: Survey, form) -> Question:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != Survey.State.DRAFT:
        raise RuleError(_("Questions can only be changed while the survey is a draft."))
    question = form.save(commit=False)
    question.survey = survey
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    question.position = (last or 0) + 1
    if question.kind not in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
        question.choices = ""
    question.save()
    return question


@transaction.atomic
def delete_question(question: Question):
    if question.survey.state != Survey.State.DRAFT:
        raise RuleError(_("Questions can only be changed while the survey is a draft."))
    question.delete()


@transaction.atomic
def set_survey_state(survey: Survey, state: str, user) -> Survey:
    survey = Survey.objects.select_for_update().select_related("cluster").get(pk=survey.pk)
    if not can_manage_survey(user, survey):
        raise RuleError(_("Only managers of the cluster can open or close surveys."))
    order = [Survey.State.DRAFT, Survey.State.OPEN, Survey.State.CLOSED]
    if state not in order or order.index(state) != order.index(survey.state) + 1:
        raise RuleError(_("This step is not possible."))
    if state == Survey.State.OPEN:
        if not survey.questions.exists():
            raise RuleError(_("Add at least one question before opening the survey."))
        survey.opened_at = timezone.now()
    else:
        survey.closed_at = timezone.now()
    survey.state = state
    survey.save(update_fields=["state", "opened_at", "closed_at"])
    return survey


def has_answered(survey: Survey, user) -> bool:
    return user.is_authenticated and survey.responses.filter(user=user).exists()


@transaction.atomic
def submit_response(survey: Survey, user, cleaned: dict) -> Response:
    survey = Survey.objects.select_related("cluster").get(pk=survey.pk)
    if survey.state != Survey.State.OPEN:
        raise RuleError(_("This survey is not open."))
    if not is_member(user, survey.cluster):
        raise RuleError(_("Only members of the cluster can answer this survey."))
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, user=user)
    except IntegrityError:
        raise RuleError(_("You have already answered this survey.")) from None
    answers = []
    for question in survey.questions.all():
        value = cleaned.get(f"q{question.pk}")
        if value in (None, "", []):
            continue
        answer = Answer(response=response, question=question)
        if question.kind == Question.Kind.LIKERT:
            answer.value = int(value)
        elif question.kind == Question.Kind.CHOICE:
            answer.choices = [value]
        elif question.kind == Question.Kind.MULTIPLE:
            answer.choices = list(value)
        else:
            text = value.strip()
            if not text:
                continue
            answer.text = text
        answers.append(answer)
    Answer.objects.bulk_create(answers)
    return response


@dataclass
class QuestionResult:
    question: Question
    count: int = 0
    bars: list[dict] = field(default_factory=list)  # label, count, percent
    average: float | None = None
    texts: list[Answer] = field(default_factory=list)


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """Aggregates per question: distributions with percentages, Likert mean, free texts.
    Three queries whatever the number of questions and responses."""
    questions = list(survey.questions.all())
    responses = survey.responses.count()
    answers = (
        Answer.objects.filter(response__survey=survey).select_related("service_idea").order_by("pk")
    )
    by_question: dict[int, list[Answer]] = {q.pk: [] for q in questions}
    for a in answers:
        by_question.setdefault(a.question_id, []).append(a)
    results = []
    for q in questions:
        rows = by_question[q.pk]
        result = QuestionResult(question=q, count=len(rows))
        if q.kind == Question.Kind.LIKERT:
            counts = Counter(a.value for a in rows)
            labels = [str(i) for i in range(1, 6)]
            result.bars = _bars(labels, [counts.get(i, 0) for i in range(1, 6)], len(rows))
            if rows:
                result.average = round(sum(a.value for a in rows) / len(rows), 2)
        elif q.kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
            counts = Counter(c for a in rows for c in a.choices)
            labels = q.options + sorted(set(counts) - set(q.options))
            result.bars = _bars(labels, [counts.get(label, 0) for label in labels], len(rows))
        else:
            result.texts = rows
        results.append(result)
    return responses, results


def _bars(labels, counts, total):
    return [
        {"label": label, "count": c, "percent": round(100 * c / total) if total else 0}
        for label, c in zip(labels, counts, strict=True)
    ]


@transaction.atomic
def idea_from_answer(answer: Answer, user, title: str, category: str) -> Service:
    """Turn a need stated in a free-text answer into a service idea of the survey's cluster."""
    answer = (
        Answer.objects.select_for_update()
        .select_related("response__survey__cluster", "question")
        .get(pk=answer.pk)
    )
    survey = answer.response.survey
    if not can_manage_survey(user, survey):
        raise RuleError(_("Only managers of the cluster can turn answers into service ideas."))
    if answer.question.kind != Question.Kind.TEXT or not answer.text:
        raise RuleError(_("Only free-text answers can become service ideas."))
    if answer.service_idea_id:
        raise RuleError(_("This answer has already been turned into a service idea."))
    service = Service.objects.create(
        cluster=survey.cluster,
        title=title,
        category=category,
        target_group=_("Cluster members"),
        problem=answer.text,
        financing=Financing.MEMBERSHIP_FEES,
        status=Status.IDEA,
        created_by=user,
    )
    StatusChange.objects.create(
        service=service,
        to_status=Status.IDEA,
        changed_by=user,
        note=_("From a need stated in the survey “%(survey)s”") % {"survey": survey.title},
    )
    answer.service_idea = service
    answer.save(update_fields=["service_idea"])
    return service
