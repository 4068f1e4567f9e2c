"""Thin views of the services app. Who may do what is declared in services/rules.py; the domain
rules and every write live in services/services.py (which checks the rules itself)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actors.models import Cluster
from actors.permissions import manageable_clusters
from core.pagination import query_without_page
from core.policy import allowed
from core.redirects import redirect_to_next

from . import services
from .forms import (
    AdoptForm,
    AnswerForm,
    BookingForm,
    CatalogueFilterForm,
    FeedbackForm,
    IdeaFromAnswerForm,
    LibraryFilterForm,
    QuestionForm,
    ServiceForm,
    StatusForm,
    SurveyForm,
)
from .models import Answer, Booking, Feedback, Question, Service, Survey
from .rules import belongs_to_survey_cluster, visible_services, visible_surveys
from .services import RuleError

PAGE_SIZE = 30


def _service(request, slug) -> Service:
    """The service if the user may see it, else 404."""
    service = get_object_or_404(
        Service.objects.select_related("cluster", "adopted_from__cluster"), slug=slug
    )
    if not allowed(request.user, "services.view_service", service):
        raise Http404
    return service


def _managed_service(request, slug) -> Service:
    """The service if the user is its office: 404 if they may not even see it, else 403."""
    service = _service(request, slug)
    if not allowed(request.user, "services.manage_service", service):
        raise PermissionDenied
    return service


def _managed_survey(request, pk) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("cluster", "service", "event"), pk=pk)
    if not allowed(request.user, "services.manage_survey", survey):
        raise PermissionDenied
    return survey


# --- catalogue -------------------------------------------------------------------------------


@require_safe
def catalogue(request):
    clusters = Cluster.objects.filter(services__in=visible_services(request.user))
    form = CatalogueFilterForm(
        request.GET or None, clusters=clusters.distinct().order_by("name").only("slug", "name")
    )
    filters = form.cleaned_data if form.is_valid() else {}
    qs = services.catalogue(
        request.user,
        query=filters.get("q", "").strip(),
        cluster=filters.get("cluster", ""),
        category=filters.get("category", ""),
        financing=filters.get("financing", ""),
        status=filters.get("status", ""),
    )
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/catalogue.html",
        {
            "form": form,
            "page_obj": page_obj,
            "services": page_obj.object_list,
            "can_create": allowed(request.user, "services.create_service"),
            "query_without_page": query_without_page(request),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def service_edit(request, slug=None):
    if slug:
        service = _managed_service(request, slug)
    else:
        if not allowed(request.user, "services.create_service"):
            raise PermissionDenied
        service = None
    form = ServiceForm(
        request.POST or None,
        instance=service,
        clusters=manageable_clusters(request.user).order_by("name"),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                service = services.save_service(form, request.user)
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The service has been saved."))
                return redirect(service)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "services/service_form.html", {"form": form, "service": service})


@require_safe
def service_detail(request, slug):
    service = _service(request, slug)
    user = request.user
    can_manage = allowed(user, "services.manage_service", service)
    period = "half" if request.GET.get("period") == "half" else "quarter"
    own_feedback = (
        Feedback.objects.filter(service=service, user=user).first()
        if user.is_authenticated
        else None
    )
    booking = services.open_booking(service, user)
    can_book = booking is None and allowed(user, "services.book", service)
    context = {
        "service": service,
        "can_manage": can_manage,
        "history": service.history.select_related("changed_by"),
        "booking_count": service.bookings.filter(state__in=Booking.ACTIVE).count(),
        "places_left": services.places_left(service),
        "satisfaction": services.satisfaction(service),
        "trend": services.satisfaction_over_time(service, period),
        "period": period,
        "comments": service.feedback.exclude(comment="").select_related("user")[:10],
        "booking": booking,
        "can_book": can_book,
        "booking_form": BookingForm(),
        "can_rate": allowed(user, "services.give_feedback", service),
        "own_feedback": own_feedback,
        "feedback_form": FeedbackForm(instance=own_feedback),
        "source_answers": service.source_answers.select_related("response__survey"),
        "adoption_count": service.adoptions.count(),
    }
    if can_manage:
        context["status_form"] = StatusForm(service=service)
    if allowed(user, "services.adopt_service", service):
        adopt_clusters = manageable_clusters(user).exclude(pk=service.cluster_id)
        context["adopt_form"] = AdoptForm(clusters=adopt_clusters.order_by("name"))
    return render(request, "services/service_detail.html", context)


@require_POST
@login_required
def service_status(request, slug):
    service = _managed_service(request, slug)
    form = StatusForm(request.POST, service=service)
    if form.is_valid():
        try:
            services.change_status(
                service,
                form.cleaned_data["to_status"],
                request.user,
                authorised_by=form.cleaned_data["authorised_by"],
                note=form.cleaned_data["note"],
            )
        except RuleError as exc:
            messages.error(request, str(exc))
        else:
            service.refresh_from_db(fields=["status"])
            messages.success(
                request,
                _("The service is now in the step “%(status)s”.")
                % {"status": service.get_status_display()},
            )
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors))
    return redirect(f"{service.get_absolute_url()}#lifecycle")


# --- bookings and feedback -------------------------------------------------------------------


@require_POST
@login_required
def service_book(request, slug):
    service = _service(request, slug)
    if not allowed(request.user, "services.book", service):
        raise PermissionDenied
    form = BookingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your message is too long."))
        return redirect(service)
    try:
        services.book_service(service, request.user, form.cleaned_data["note"])
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Thank you! Your booking has been sent to the cluster office."),
        )
    return redirect(f"{service.get_absolute_url()}#booking")


@require_POST
@login_required
def booking_cancel(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("service"), pk=pk)
    try:
        services.cancel_booking(booking, request.user)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your booking has been cancelled."))
    return redirect_to_next(request, booking.service.get_absolute_url())


@require_safe
@login_required
def my_bookings(request):
    bookings = (
        Booking.objects.filter(user=request.user)
        .select_related("service__cluster")
        .order_by("-created_at")
    )
    return render(request, "services/my_bookings.html", {"bookings": bookings})


@require_safe
@login_required
def service_bookings(request, slug):
    service = _managed_service(request, slug)
    state = request.GET.get("state", "")
    bookings = service.bookings.select_related("user", "organisation")
    if state in Booking.State.values:
        bookings = bookings.filter(state=state)
    bookings = list(bookings)
    for booking in bookings:
        booking.steps = services.office_steps(booking)
    counts = dict(
        service.bookings.order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return render(
        request,
        "services/service_bookings.html",
        {
            "service": service,
            "bookings": bookings,
            "state": state,
            "states": [
                (value, label, counts.get(value, 0)) for value, label in Booking.State.choices
            ],
            "places_left": services.places_left(service),
        },
    )


@require_POST
@login_required
def booking_update(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("service__cluster"), pk=pk)
    if not allowed(request.user, "services.manage_booking", booking):
        raise PermissionDenied
    try:
        services.set_booking_state(booking, request.POST.get("state", ""), request.user)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        booking.refresh_from_db(fields=["state"])
        messages.success(
            request,
            _("The booking of %(name)s is now “%(state)s”.")
            % {"name": booking.user, "state": booking.get_state_display()},
        )
    return redirect("services:service_bookings", booking.service.slug)


@require_POST
@login_required
def service_feedback(request, slug):
    service = _service(request, slug)
    if not allowed(request.user, "services.give_feedback", service):
        raise PermissionDenied
    own = Feedback.objects.filter(service=service, user=request.user).first()
    form = FeedbackForm(request.POST, instance=own)
    if form.is_valid():
        try:
            services.give_feedback(
                service, request.user, form.cleaned_data["rating"], form.cleaned_data["comment"]
            )
        except RuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you for your feedback!"))
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors))
    return redirect(f"{service.get_absolute_url()}#feedback")


# --- best-practice library -------------------------------------------------------------------


@require_safe
def library(request):
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = services.library(
        filters.get("q", "").strip(), filters.get("category", ""), filters.get("min_grade")
    )
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/library.html",
        {
            "form": form,
            "page_obj": page_obj,
            "services": page_obj.object_list,
            "query_without_page": query_without_page(request),
        },
    )


@require_POST
@login_required
def service_adopt(request, slug):
    template = _service(request, slug)
    if not allowed(request.user, "services.adopt_service", template):
        raise PermissionDenied
    clusters = manageable_clusters(request.user).exclude(pk=template.cluster_id)
    form = AdoptForm(request.POST, clusters=clusters)
    if not form.is_valid():
        messages.error(request, _("Please choose one of your clusters."))
        return redirect(template)
    try:
        copy = services.adopt_service(template, form.cleaned_data["cluster"], request.user)
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect(template)
    messages.success(
        request,
        _("The service has been copied into %(cluster)s as an idea. Adapt it to your network.")
        % {"cluster": copy.cluster.name},
    )
    return redirect("services:service_edit", copy.slug)


# --- surveys ---------------------------------------------------------------------------------


def survey_url(survey, anchor="#questions"):
    return reverse("services:survey_detail", args=[survey.pk]) + anchor


@require_safe
@login_required
def survey_list(request):
    surveys = visible_surveys(request.user).annotate(
        response_count=Count("responses", distinct=True),
        answered=Count("responses", filter=Q(responses__user=request.user), distinct=True),
    )
    return render(
        request,
        "services/survey_list.html",
        {
            "surveys": surveys,
            "managed": set(manageable_clusters(request.user).values_list("pk", flat=True)),
            "can_create": allowed(request.user, "services.create_survey"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def survey_edit(request, pk=None):
    if pk:
        survey = _managed_survey(request, pk)
        if survey.state != Survey.State.DRAFT:
            messages.error(request, _("Only draft surveys can be changed."))
            return redirect("services:survey_detail", survey.pk)
    else:
        if not allowed(request.user, "services.create_survey"):
            raise PermissionDenied
        survey = None
    initial = {}
    if survey is None and request.GET.get("service"):
        initial["service"] = request.GET["service"]
        initial["kind"] = Survey.Kind.AFTER_SERVICE
    form = SurveyForm(
        request.POST or None,
        instance=survey,
        initial=initial,
        clusters=manageable_clusters(request.user).order_by("name"),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                survey = services.save_survey(form, request.user)
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The survey has been saved. Now add questions."))
                return redirect("services:survey_detail", survey.pk)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "services/survey_form.html", {"form": form, "survey": survey})


@require_safe
@login_required
def survey_detail(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("cluster", "service", "event"), pk=pk)
    if not allowed(request.user, "services.manage_survey", survey):
        if allowed(request.user, "services.answer_survey", survey):
            return redirect("services:survey_answer", survey.pk)
        raise PermissionDenied
    return render(
        request,
        "services/survey_detail.html",
        {
            "survey": survey,
            "questions": survey.questions.all(),
            "question_form": QuestionForm(),
            "response_count": survey.responses.count(),
        },
    )


@require_POST
@login_required
def question_add(request, pk):
    survey = _managed_survey(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_question(survey, request.user, form)
        except RuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The question has been added."))
            return redirect(survey_url(survey))
    else:
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request,
        "services/survey_detail.html",
        {
            "survey": survey,
            "questions": survey.questions.all(),
            "question_form": form,
            "response_count": survey.responses.count(),
        },
    )


@require_POST
@login_required
def question_delete(request, pk):
    question = get_object_or_404(Question.objects.select_related("survey__cluster"), pk=pk)
    if not allowed(request.user, "services.manage_survey", question.survey):
        raise PermissionDenied
    try:
        services.delete_question(question, request.user)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The question has been removed."))
    return redirect(survey_url(question.survey))


@require_POST
@login_required
def survey_state(request, pk):
    survey = _managed_survey(request, pk)
    try:
        survey = services.set_survey_state(survey, request.POST.get("state", ""), request.user)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        if survey.state == Survey.State.OPEN:
            messages.success(request, _("The survey is open. Members can answer it now."))
        else:
            messages.success(request, _("The survey is closed."))
    return redirect("services:survey_detail", survey.pk)


@require_http_methods(["GET", "POST"])
@login_required
def survey_answer(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("cluster", "service", "event"), pk=pk)
    if not allowed(request.user, "services.answer_survey", survey):
        if survey.state != Survey.State.OPEN and belongs_to_survey_cluster(request.user, survey):
            messages.error(request, _("This survey is not open."))
            return redirect("services:survey_list")
        raise PermissionDenied
    if services.has_answered(survey, request.user):
        messages.info(request, _("You have already answered this survey. Thank you!"))
        return redirect("services:survey_list")
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_response(survey, request.user, form.cleaned_data)
            except RuleError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Thank you for taking part in the survey!"))
                return redirect("services:survey_list")
        else:
            messages.error(request, _("Please answer the marked questions."))
    return render(request, "services/survey_answer.html", {"survey": survey, "form": form})


@require_safe
@login_required
def survey_results(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("cluster", "service", "event"), pk=pk)
    if not allowed(request.user, "services.view_survey_results", survey):
        raise PermissionDenied
    response_count, results = services.survey_results(survey)
    return render(
        request,
        "services/survey_results.html",
        {
            "survey": survey,
            "response_count": response_count,
            "results": results,
            "idea_form": IdeaFromAnswerForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def answer_idea(request, pk):
    answer = get_object_or_404(
        Answer.objects.select_related("response__survey__cluster", "question", "service_idea"),
        pk=pk,
    )
    survey = answer.response.survey
    if not allowed(request.user, "services.manage_survey", survey):
        raise PermissionDenied
    if answer.service_idea_id:
        messages.info(request, _("This answer has already been turned into a service idea."))
        return redirect(answer.service_idea)
    form = IdeaFromAnswerForm(
        request.POST or None, initial={"title": answer.text[:80], "category": "communication"}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                service = services.idea_from_answer(
                    answer, request.user, form.cleaned_data["title"], form.cleaned_data["category"]
                )
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("The service idea has been created. Work it out into a concept.")
                )
                return redirect(service)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request, "services/answer_idea.html", {"answer": answer, "survey": survey, "form": form}
    )
