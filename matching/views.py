from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actors.models import Organisation
from core.pagination import query_without_page
from core.policy import allowed
from core.redirects import redirect_to_next

from . import services, suggestions
from .forms import DecisionForm, InterestForm, MarketplaceFilterForm, PostingForm
from .models import Interest, Posting, PostingStatus
from .rules import identity_visible, interests_to_broker

PAGE_SIZE = 20
#: Pages beyond this are not served (Paginator.get_page answers the last page instead).
MAX_PAGE = 1000


def _page_number(request):
    """The requested page number, bounded; anything that is not a small positive number is 1."""
    raw = request.GET.get("page", "")
    if raw == "last":
        return raw
    if not raw.isdigit() or len(raw) > 6:
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def _with_identity(user, postings):
    """Attach `show_identity` and `public_country` (anonymous postings hide their organisation)."""
    return services.attach_identity(user, postings)


@require_safe
def marketplace(request):
    form = MarketplaceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or PostingStatus.PUBLISHED
    if status == PostingStatus.PUBLISHED:
        qs = services.open_postings(request.user)
    else:
        qs = services.visible_postings(request.user).filter(status=status)
    qs = services.filter_postings(
        qs,
        request.user,
        kind=data.get("kind", ""),
        sector=data.get("sector", ""),
        country=data.get("country", ""),
    )
    text = data.get("q", "").strip()
    if text:
        ids = list(qs.values_list("pk", flat=True))
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
        page_obj = Paginator(order, PAGE_SIZE).get_page(_page_number(request))
        by_id = Posting.objects.select_related("organisation__region", "cluster").in_bulk(
            list(page_obj.object_list)
        )
        postings = [by_id[i] for i in page_obj.object_list if i in by_id]
    else:
        qs = qs.select_related("organisation__region", "cluster").order_by("-published_at", "-pk")
        page_obj = Paginator(qs, PAGE_SIZE).get_page(_page_number(request))
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


@require_http_methods(["GET", "POST"])
@login_required
def posting_edit(request, pk=None):
    posting = get_object_or_404(Posting, pk=pk) if pk else None
    user = request.user
    if posting:
        if not allowed(user, "matching.edit_posting", posting):
            raise PermissionDenied
        organisations = services.user_organisations(user)
        if not organisations.filter(pk=posting.organisation_id).exists():
            # platform admins edit the posting for its own organisation
            organisations = Organisation.objects.filter(pk=posting.organisation_id)
    else:
        organisations = services.user_organisations(user)
        if not organisations.exists():
            messages.error(
                request, _("Only people working at a member organisation can publish postings.")
            )
            return redirect("matching:marketplace")
        if not allowed(user, "matching.create_posting"):
            raise PermissionDenied
    form = PostingForm(request.POST or None, instance=posting, organisations=organisations)
    if request.method == "POST":
        if form.is_valid():
            publish = request.POST.get("action") == "publish"
            posting = services.save_posting(user, form, publish=publish)
            messages.success(
                request,
                _("The posting has been published.")
                if posting.status == PostingStatus.PUBLISHED and publish
                else _("The posting has been saved."),
            )
            return redirect(posting)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "matching/posting_form.html", {"form": form, "posting": posting})


def _login_redirect(request):
    return redirect(f"{reverse('accounts:login')}?next={request.path}")


def _posting_suggestions(user, posting, show_identity):
    related = suggestions.postings_for_posting(
        posting,
        services.open_postings(user).values_list("pk", flat=True),
        k=5,
        viewer_knows_identity=show_identity,
        known_ids=_known_posting_ids(user, posting),
    )
    _with_identity(user, [m.object for m in related])
    partners = suggestions.partners_for_posting(posting, k=10, viewer_knows_identity=show_identity)
    return related, partners


def _known_posting_ids(user, posting):
    """Postings of the posting's organisation whose organisation the user may know."""
    return Posting.objects.filter(
        identity_visible(user), organisation_id=posting.organisation_id
    ).values_list("pk", flat=True)


def _detail_context(request, posting, interest_form=None):
    user = request.user
    show_identity = services.shows_identity(user, posting)
    _with_identity(user, [posting])
    is_owner = allowed(user, "matching.edit_posting", posting)
    is_broker = allowed(user, "matching.broker_interest", posting)
    my_orgs = services.user_organisations(user).exclude(pk=posting.organisation_id)
    if interest_form is None and allowed(user, "matching.express_interest", posting):
        if posting.is_open:
            already = Interest.objects.filter(posting=posting, organisation__in=my_orgs)
            available = my_orgs.exclude(pk__in=already.values("organisation_id"))
            if available.exists():
                interest_form = InterestForm(organisations=available)
    if is_broker:
        interests = posting.interests.select_related("organisation", "user")
    elif is_owner:
        interests = posting.interests.filter(status=Interest.Status.BROKERED).select_related(
            "organisation"
        )
    else:
        interests = Interest.objects.none()
    own_interests = (
        posting.interests.filter(organisation__in=my_orgs) if user.is_authenticated else []
    )
    related, partners = _posting_suggestions(user, posting, show_identity)
    return {
        "posting": posting,
        "show_identity": show_identity,
        "is_owner": is_owner,
        "is_broker": is_broker,
        "interest_form": interest_form,
        "interests": interests,
        "own_interests": own_interests,
        "decision_form": DecisionForm(),
        "partners": partners,
        "related": related,
        "transitions": [
            (s, PostingStatus(s).label)
            for s in services.ALLOWED_TRANSITIONS[posting.status]
            if s != PostingStatus.EXPIRED
        ]
        if is_owner
        else [],
    }


@require_safe
def posting_detail(request, pk):
    posting = get_object_or_404(
        Posting.objects.select_related("organisation__region", "cluster", "author"), pk=pk
    )
    if not allowed(request.user, "matching.view_posting", posting):
        if not request.user.is_authenticated:
            return _login_redirect(request)
        raise PermissionDenied
    return render(request, "matching/posting_detail.html", _detail_context(request, posting))


@require_POST
@login_required
def posting_status(request, pk):
    posting = get_object_or_404(Posting, pk=pk)
    if not allowed(request.user, "matching.edit_posting", posting):
        raise PermissionDenied
    try:
        services.change_status(request.user, posting, request.POST.get("status", ""))
        messages.success(request, _("The status has been changed."))
    except (ValidationError, KeyError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(posting)


@require_POST
@login_required
def interest_create(request, pk):
    posting = get_object_or_404(
        Posting.objects.select_related("organisation__region", "cluster"), pk=pk
    )
    if not allowed(request.user, "matching.express_interest", posting):
        raise PermissionDenied
    organisations = services.user_organisations(request.user).exclude(pk=posting.organisation_id)
    form = InterestForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.express_interest(
                request.user,
                posting,
                form.cleaned_data["organisation"],
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
    return render(
        request,
        "matching/posting_detail.html",
        _detail_context(request, posting, interest_form=form),
        status=400,
    )


@require_POST
@login_required
def interest_decide(request, pk):
    interest = get_object_or_404(
        Interest.objects.select_related("posting__cluster", "posting__organisation"), pk=pk
    )
    if not allowed(request.user, "matching.broker_interest", interest):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect_to_next(request, interest.posting.get_absolute_url())
    note = form.cleaned_data["note"]
    try:
        if request.POST.get("decision") == "broker":
            services.broker_interest(request.user, interest, note)
            messages.success(request, _("The introduction has been made; both sides are notified."))
        else:
            services.decline_interest(request.user, interest, note)
            messages.success(request, _("The expression of interest has been declined."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect_to_next(request, interest.posting.get_absolute_url())


@require_safe
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
    to_broker = (
        interests_to_broker(user)
        .filter(status=Interest.Status.PENDING)
        .select_related("posting", "organisation", "posting__organisation")
    )
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


@require_safe
def organisation_partners(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("region"), slug=slug)
    user = request.user
    postings = suggestions.postings_for_organisation(
        organisation,
        services.open_postings(user).values_list("pk", flat=True),
        k=5,
        known_ids=Posting.objects.filter(
            identity_visible(user), organisation=organisation
        ).values_list("pk", flat=True),
    )
    _with_identity(user, [m.object for m in postings])
    return render(
        request,
        "matching/organisation_partners.html",
        {
            "organisation": organisation,
            "partners": suggestions.partners_for_organisation(organisation, k=12),
            "postings": postings,
        },
    )
