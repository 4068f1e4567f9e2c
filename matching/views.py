from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actors.models import Organisation
from actors.permissions import is_platform_admin, managed_cluster_ids
from core.pagination import query_without_page

from . import services, suggestions
from .forms import DecisionForm, InterestForm, MarketplaceFilterForm, PostingForm
from .models import Interest, Notification, Posting, PostingStatus

PAGE_SIZE = 20


def _with_identity(user, postings):
    """Attach `show_identity` to each posting (anonymous postings hide their organisation)."""
    own = set()
    brokered = set()
    if user.is_authenticated:
        own = set(services.user_organisations(user).values_list("pk", flat=True))
        brokered = managed_cluster_ids(user)
    admin = is_platform_admin(user)
    for posting in postings:
        posting.show_identity = (
            not posting.is_anonymous
            or admin
            or posting.organisation_id in own
            or posting.cluster_id in brokered
        )
    return postings


def marketplace(request):
    form = MarketplaceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or PostingStatus.PUBLISHED
    qs = services.visible_postings(request.user, statuses=[status]).filter(status=status)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("sector"):
        qs = qs.filter(sectors__code__startswith=data["sector"])
    if data.get("country"):
        qs = qs.filter(organisation__region__code__startswith=data["country"])
    text = data.get("q", "").strip()
    if text:
        ids = list(qs.values_list("pk", flat=True).distinct())
        keyword_ids = set(
            qs.filter(Q(title__icontains=text) | Q(description__icontains=text)).values_list(
                "pk", flat=True
            )
        )
        ranked = (
            suggestions.semantic_posting_order(text, ids)
            if status == PostingStatus.PUBLISHED
            else []
        )
        order = [i for i in ranked] + sorted(keyword_ids - set(ranked))
        page_obj = Paginator(order, PAGE_SIZE).get_page(request.GET.get("page"))
        by_id = Posting.objects.select_related("organisation", "cluster").in_bulk(
            list(page_obj.object_list)
        )
        postings = [by_id[i] for i in page_obj.object_list if i in by_id]
    else:
        qs = (
            qs.select_related("organisation", "cluster").distinct().order_by("-published_at", "-pk")
        )
        page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        postings = list(page_obj.object_list)
    context = {
        "form": form,
        "page_obj": page_obj,
        "postings": _with_identity(request.user, postings),
        "query_without_page": query_without_page(request),
        "searching": bool(text),
    }
    template = (
        "matching/_posting_results.html"
        if request.htmx and not request.htmx.boosted
        else "matching/marketplace.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def posting_edit(request, pk=None):
    posting = get_object_or_404(Posting, pk=pk) if pk else None
    if posting and not services.is_owner(request.user, posting):
        raise PermissionDenied
    organisations = services.user_organisations(request.user)
    if is_platform_admin(request.user) and posting:
        organisations = Organisation.objects.filter(pk=posting.organisation_id)
    if not organisations.exists():
        messages.error(
            request, _("Only people working at a member organisation can publish postings.")
        )
        return redirect("matching:marketplace")
    form = PostingForm(request.POST or None, instance=posting, organisations=organisations)
    if request.method == "POST":
        if form.is_valid():
            publish = request.POST.get("action") == "publish"
            posting = services.save_posting(form, request.user, publish=publish)
            messages.success(
                request,
                _("The posting has been published.")
                if posting.status == PostingStatus.PUBLISHED and publish
                else _("The posting has been saved."),
            )
            return redirect(posting)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "matching/posting_form.html", {"form": form, "posting": posting})


def posting_detail(request, pk):
    posting = get_object_or_404(
        Posting.objects.select_related("organisation__region", "cluster", "author"), pk=pk
    )
    if not services.can_view(request.user, posting):
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        raise PermissionDenied
    user = request.user
    is_owner = services.is_owner(user, posting)
    is_broker = services.is_broker(user, posting)
    my_orgs = services.user_organisations(user).exclude(pk=posting.organisation_id)
    interest_form = None
    if posting.is_open and user.is_authenticated and my_orgs.exists():
        already = Interest.objects.filter(posting=posting, organisation__in=my_orgs)
        available = my_orgs.exclude(pk__in=already.values("organisation_id"))
        if available.exists():
            interest_form = InterestForm(organisations=available)
    interests = Interest.objects.none()
    if is_broker or is_platform_admin(user):
        interests = posting.interests.select_related("organisation", "user")
    elif is_owner:
        interests = posting.interests.filter(status=Interest.Status.BROKERED).select_related(
            "organisation"
        )
    own_interests = (
        posting.interests.filter(organisation__in=my_orgs) if user.is_authenticated else []
    )
    visible_ids = services.visible_postings(user).values_list("pk", flat=True)
    related = suggestions.postings_for_posting(posting, visible_ids, k=5)
    _with_identity(user, [m.object for m in related])
    return render(
        request,
        "matching/posting_detail.html",
        {
            "posting": posting,
            "show_identity": services.shows_identity(user, posting),
            "is_owner": is_owner,
            "is_broker": is_broker,
            "interest_form": interest_form,
            "interests": interests,
            "own_interests": own_interests,
            "decision_form": DecisionForm(),
            "partners": suggestions.partners_for_posting(posting, k=10),
            "related": related,
            "transitions": [
                (s, PostingStatus(s).label)
                for s in services.ALLOWED_TRANSITIONS[posting.status]
                if s != PostingStatus.EXPIRED
            ],
        },
    )


def _login_url():
    from django.urls import reverse

    return reverse("accounts:login")


@login_required
@require_POST
def posting_status(request, pk):
    posting = get_object_or_404(Posting, pk=pk)
    if not services.is_owner(request.user, posting):
        raise PermissionDenied
    try:
        services.change_status(posting, request.POST.get("status", ""))
        messages.success(request, _("The status has been changed."))
    except (ValidationError, KeyError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(posting)


@login_required
@require_POST
def interest_create(request, pk):
    posting = get_object_or_404(Posting, pk=pk)
    if not services.can_view(request.user, posting):
        raise PermissionDenied
    organisations = services.user_organisations(request.user).exclude(pk=posting.organisation_id)
    form = InterestForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.express_interest(
                posting,
                form.cleaned_data["organisation"],
                request.user,
                form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(posting)
        messages.success(
            request,
            _("Thank you! Your interest has been sent; you will be notified about the next step."),
        )
        return redirect(posting)
    messages.error(request, _("Please correct the marked fields."))
    partners = suggestions.partners_for_posting(posting, k=10)
    return render(
        request,
        "matching/posting_detail.html",
        {
            "posting": posting,
            "show_identity": services.shows_identity(request.user, posting),
            "interest_form": form,
            "partners": partners,
            "related": [],
            "transitions": [],
        },
        status=400,
    )


@login_required
@require_POST
def interest_decide(request, pk):
    interest = get_object_or_404(
        Interest.objects.select_related("posting__cluster", "posting__organisation"), pk=pk
    )
    if not services.is_broker(request.user, interest.posting):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if request.POST.get("decision") == "broker":
            services.broker_interest(interest, request.user, note)
            messages.success(request, _("The introduction has been made; both sides are notified."))
        else:
            services.decline_interest(interest, request.user, note)
            messages.success(request, _("The expression of interest has been declined."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(interest.posting)


@login_required
def my_interests(request):
    user = request.user
    orgs = services.user_organisations(user)
    sent = Interest.objects.filter(organisation__in=orgs).select_related(
        "posting", "organisation", "posting__organisation"
    )
    received = Interest.objects.filter(
        posting__organisation__in=orgs, status=Interest.Status.BROKERED
    ).select_related("posting", "organisation")
    to_broker = Interest.objects.filter(
        posting__cluster_id__in=managed_cluster_ids(user), status=Interest.Status.PENDING
    ).select_related("posting", "organisation", "posting__organisation")
    my_postings = (
        Posting.objects.filter(organisation__in=orgs)
        .select_related("organisation")
        .order_by("-created_at")
    )
    return render(
        request,
        "matching/my_interests.html",
        {
            "sent": sent,
            "received": received,
            "to_broker": to_broker,
            "my_postings": my_postings,
            "decision_form": DecisionForm(),
        },
    )


def organisation_partners(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("region"), slug=slug)
    visible_ids = services.visible_postings(request.user).values_list("pk", flat=True)
    postings = suggestions.postings_for_organisation(organisation, visible_ids, k=5)
    _with_identity(request.user, [m.object for m in postings])
    return render(
        request,
        "matching/organisation_partners.html",
        {
            "organisation": organisation,
            "partners": suggestions.partners_for_organisation(organisation, k=12),
            "postings": postings,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        notification_id = request.POST.get("notification")
        services.mark_read(request.user, int(notification_id) if notification_id else None)
        if notification_id:
            note = Notification.objects.filter(pk=notification_id, recipient=request.user).first()
            if note and note.link and url_has_allowed_host_and_scheme(note.link, None):
                return redirect(note.link)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("matching:notifications")
    items = Notification.objects.filter(recipient=request.user)
    page_obj = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/notifications.html",
        {"page_obj": page_obj, "notifications": page_obj.object_list, "query_without_page": ""},
    )
