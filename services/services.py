"""Domain rules of network services and needs surveys. Views and the API call these; every write
takes the acting user, checks the rule in services/rules.py (``core.policy.require``) and is atomic.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncQuarter
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from actors import permissions
from actors.models import Cluster, ClusterRole
from core.idempotency import double_submit_cutoff
from core.policy import require
from notifications.kinds import bilingual_params, person_params
from notifications.services import notify

from .models import (
    MAX_QUESTIONS,
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
from .rules import belongs_to_survey_cluster, visible_services, visible_surveys


class RuleError(Exception):
    """A domain rule was violated; the message is shown to the user."""


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
    """Create a service (as an idea) or save changes to one. A double submit of the same new
    service returns the service created by the first submit."""
    creating = form.instance.pk is None
    if creating:
        cluster = Cluster.objects.select_for_update().get(pk=form.cleaned_data["cluster"].pk)
        require(user, "services.create_service", cluster)
        duplicate = Service.objects.filter(
            cluster=cluster,
            created_by=user,
            title=form.cleaned_data["title"],
            created_at__gte=double_submit_cutoff(),
        ).first()
        if duplicate is not None:
            return duplicate
    else:
        # The rule is asked about the stored service, not about the submitted values
        current = Service.objects.select_for_update().get(pk=form.instance.pk)
        require(user, "services.manage_service", current)
    service = form.save(commit=False)
    if creating:
        service.created_by = user
        service.status = Status.IDEA
    service.save()
    if creating:
        StatusChange.objects.create(
            service=service, to_status=service.status, changed_by=user, note=_("Created")
        )
    return service


@transaction.atomic
def change_status(service: Service, to_status: str, user, authorised_by: str = "", note: str = ""):
    service = Service.objects.select_for_update().select_related("cluster").get(pk=service.pk)
    require(user, "services.manage_service", service)
    if not service.can_move_to(to_status):
        raise RuleError(_("This lifecycle step is not possible from the current status."))
    if to_status == Status.AUTHORISED and not authorised_by:
        raise RuleError(_("Please state who authorised the service."))
    if to_status == Status.AUTHORISED:
        missing = service.missing_for_authorisation()
        if missing:
            raise RuleError(
                _("The service cannot be authorised yet. Still missing: %(missing)s.")
                % {"missing": ", ".join(capfirst(m) for m in missing)}
            )
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
    """Copy a shared service into the user's own cluster as a new idea. A double submit returns
    the copy made by the first submit."""
    template = Service.objects.select_related("cluster").get(pk=template.pk)
    require(user, "services.adopt_service", template)
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    require(user, "services.create_service", cluster)
    if cluster.pk == template.cluster_id:
        raise RuleError(_("This service already belongs to that cluster."))
    duplicate = Service.objects.filter(
        cluster=cluster,
        adopted_from=template,
        created_by=user,
        created_at__gte=double_submit_cutoff(),
    ).first()
    if duplicate is not None:
        return duplicate
    copy = Service.objects.create(
        cluster=cluster,
        title=template.title,
        title_en=template.title_en,
        category=template.category,
        target_group=template.target_group,
        target_group_en=template.target_group_en,
        problem=template.problem,
        problem_en=template.problem_en,
        delivery=template.delivery,
        delivery_en=template.delivery_en,
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
    """Book the service for the user (and the organisation they represent in its cluster).

    A double submit (the same message again within a minute) returns the booking of the first
    submit; any other second booking while one is open is refused."""
    # Lock the service row so that two last-minute bookings cannot both take the last place
    service = Service.objects.select_for_update().select_related("cluster").get(pk=service.pk)
    require(user, "services.book", service)
    note = note.strip()
    existing = Booking.objects.filter(service=service, user=user, state__in=Booking.OPEN).first()
    if existing is not None:
        if existing.note == note and existing.created_at >= double_submit_cutoff():
            return existing
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
            booking = Booking.objects.create(
                service=service,
                user=user,
                organisation=role.organisation if role else None,
                note=note,
            )
    except IntegrityError:
        raise RuleError(_("You have already booked this service.")) from None
    notify(
        permissions.cluster_managers(service.cluster),
        "services.booking_requested",
        service.get_absolute_url(),
        **person_params("name", user),
        **bilingual_params("title", service),
    )
    return booking


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
    require(user, "services.cancel_booking", booking)
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
    require(user, "services.manage_booking", booking)
    if state not in OFFICE_STEPS.get(booking.state, []):
        raise RuleError(_("This change is not possible for the booking."))
    booking.state = state
    booking.save(update_fields=["state", "updated_at"])
    if state in (Booking.State.CONFIRMED, Booking.State.CANCELLED) and booking.user_id:
        notify(
            [booking.user],
            f"services.booking_{state}",
            booking.service.get_absolute_url(),
            **bilingual_params("title", booking.service),
        )
    return booking


def office_steps(booking: Booking) -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in OFFICE_STEPS.get(booking.state, [])]


@transaction.atomic
def give_feedback(service: Service, user, rating: int, comment: str = "") -> Feedback:
    """Create or update the user's one rating of the service. Only people who used the service
    may rate it (rule "services.give_feedback"); a double submit updates the same rating."""
    service = Service.objects.select_for_update().select_related("cluster").get(pk=service.pk)
    require(user, "services.give_feedback", service)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise RuleError(_("Please choose a rating from 1 to 5."))
    feedback, _created = Feedback.objects.update_or_create(
        service=service,
        user=user,
        defaults={"rating": rating, "comment": comment.strip(), "rated_at": timezone.now()},
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


def open_surveys_to_answer(user):
    """Open surveys of the clusters the user belongs to that they have not answered yet."""
    if not user.is_authenticated:
        return Survey.objects.none()
    member_of = ClusterRole.objects.filter(user=user).values("cluster_id")
    return (
        visible_surveys(user)
        .filter(state=Survey.State.OPEN, cluster_id__in=member_of)
        .exclude(responses__user=user)
    )


@transaction.atomic
def save_survey(form, user) -> Survey:
    """Create a survey (a draft) or save changes to a draft. A double submit of the same new
    survey returns the survey created by the first submit."""
    if form.instance.pk is None:
        cluster = Cluster.objects.select_for_update().get(pk=form.cleaned_data["cluster"].pk)
        require(user, "services.create_survey", cluster)
        duplicate = Survey.objects.filter(
            cluster=cluster,
            created_by=user,
            title=form.cleaned_data["title"],
            created_at__gte=double_submit_cutoff(),
        ).first()
        if duplicate is not None:
            return duplicate
        survey = form.save(commit=False)
        survey.created_by = user
    else:
        current = Survey.objects.select_for_update().get(pk=form.instance.pk)
        require(user, "services.manage_survey", current)
        if current.state != Survey.State.DRAFT:
            raise RuleError(_("Only draft surveys can be changed."))
        survey = form.save(commit=False)
    survey.save()
    return survey


@transaction.atomic
def add_question(survey: Survey, user, form) -> Question:
    """Add a question to a draft survey (at most MAX_QUESTIONS). Submitting the same question
    twice adds it once."""
    survey = Survey.objects.select_for_update().select_related("cluster").get(pk=survey.pk)
    require(user, "services.manage_survey", survey)
    if survey.state != Survey.State.DRAFT:
        raise RuleError(_("Questions can only be changed while the survey is a draft."))
    question = form.save(commit=False)
    if question.kind not in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
        question.choices = ""
    same = survey.questions.filter(
        text=question.text, kind=question.kind, choices=question.choices
    ).first()
    if same is not None:
        return same
    if survey.questions.count() >= MAX_QUESTIONS:
        raise RuleError(_("A survey can have at most %(max)d questions.") % {"max": MAX_QUESTIONS})
    question.survey = survey
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    question.position = (last or 0) + 1
    question.save()
    return question


@transaction.atomic
def delete_question(question: Question, user):
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    require(user, "services.manage_survey", survey)
    if survey.state != Survey.State.DRAFT:
        raise RuleError(_("Questions can only be changed while the survey is a draft."))
    question.delete()


@transaction.atomic
def set_survey_state(survey: Survey, state: str, user) -> Survey:
    survey = Survey.objects.select_for_update().select_related("cluster").get(pk=survey.pk)
    require(user, "services.manage_survey", survey)
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
    """Store the user's one response. A double submit returns the response of the first."""
    survey = Survey.objects.select_for_update().select_related("cluster").get(pk=survey.pk)
    if survey.state != Survey.State.OPEN and belongs_to_survey_cluster(user, survey):
        raise RuleError(_("This survey is not open."))
    require(user, "services.answer_survey", survey)
    existing = survey.responses.filter(user=user).first()
    if existing is not None:
        if existing.submitted_at >= double_submit_cutoff():
            return existing
        raise RuleError(_("You have already answered this survey."))
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
    require(user, "services.manage_survey", survey)
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
