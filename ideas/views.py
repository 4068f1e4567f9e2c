from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actors.models import Organisation
from core.exports import export_response
from core.pagination import query_without_page
from core.policy import allowed, is_confirmed
from core.redirects import redirect_to_next

from . import exports, services
from .forms import (
    AwardForm,
    CallForm,
    CommentForm,
    IdeaForm,
    ImplementationForm,
    JurorForm,
    ManagerForm,
    RejectForm,
    ReportForm,
    ScoreForm,
)
from .models import Comment, Idea, JuryMember, Phase, Score, Vote
from .rules import (
    juror_seat,
    managed_calls,
    organiser_choices,
    visible_calls,
    visible_comments,
    visible_ideas,
)
from .services import RuleError

PAGE_SIZE = 30
Status = Idea.Status


def _call_for_user(request, slug):
    """The call if the user may see it (rule ideas.view_call, list query visible_calls), else 404."""
    return get_object_or_404(visible_calls(request.user).select_related("organiser"), slug=slug)


def _managed_call(request, slug):
    """The call if the user currently manages it: 404 if they cannot even see it, else 403."""
    call = _call_for_user(request, slug)
    if not allowed(request.user, "ideas.manage_call", call):
        raise PermissionDenied
    return call


def _idea_for_user(request, pk):
    return get_object_or_404(
        visible_ideas(request.user).select_related("call", "call__organiser", "author"), pk=pk
    )


@require_safe
def call_list(request):
    calls = (
        visible_calls(request.user)
        .select_related("organiser")
        .annotate(idea_count=Count("ideas", filter=Q(ideas__status__in=Idea.PUBLIC_STATUSES)))
    )
    return render(
        request,
        "ideas/call_list.html",
        {"calls": calls, "can_create": allowed(request.user, "ideas.create_call")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def call_edit(request, slug=None):
    if slug:
        call = _managed_call(request, slug)
    else:
        if not allowed(request.user, "ideas.create_call"):
            raise PermissionDenied
        call = None
    organisers = organiser_choices(request.user)
    if call is not None:
        organisers = Organisation.objects.filter(
            Q(pk__in=organisers.values("pk")) | Q(pk=call.organiser_id)
        )
    form = CallForm(request.POST or None, instance=call, organisers=organisers)
    if request.method == "POST":
        if form.is_valid():
            try:
                call = services.save_call(
                    request.user,
                    form.save(commit=False),
                    form.cleaned_data["questions"],
                    form.cleaned_data["criteria"],
                    questions_en=form.cleaned_data["questions_en"],
                    criteria_en=form.cleaned_data["criteria_en"],
                )
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The call has been saved."))
                return redirect("ideas:call_manage", call.slug)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "ideas/call_form.html", {"form": form, "call": call})


@require_safe
def call_detail(request, slug):
    call = _call_for_user(request, slug)
    top_ideas = services.idea_list(request.user, call)[:6]
    my_ideas = []
    if request.user.is_authenticated:
        my_ideas = list(call.ideas.filter(author=request.user).order_by("-created_at"))
    return render(
        request,
        "ideas/call_detail.html",
        {
            "call": call,
            "phase": call.current_phase,
            "top_ideas": top_ideas,
            "my_ideas": my_ideas,
            "can_manage": allowed(request.user, "ideas.manage_call", call),
            "juror": juror_seat(request.user, call),
            "winners": call.ideas.filter(status__in=[Status.AWARDED, Status.IMPLEMENTED])
            if call.results_published
            else [],
        },
    )


@require_safe
def idea_list(request, slug):
    call = _call_for_user(request, slug)
    q = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "votes")
    page_obj = Paginator(services.idea_list(request.user, call, q, sort), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ideas = list(page_obj.object_list)
    voted = set()
    if request.user.is_authenticated:
        voted = set(
            Vote.objects.filter(voter=request.user, idea__in=[i.pk for i in ideas]).values_list(
                "idea_id", flat=True
            )
        )
    phase = call.current_phase
    return render(
        request,
        "ideas/idea_list.html",
        {
            "call": call,
            "phase": phase,
            "page_obj": page_obj,
            "ideas": ideas,
            "voted": voted,
            "q": q,
            "sort": sort,
            "voting_open": phase == Phase.VOTING,
            "votes_left": services.votes_left(request.user, call),
            "query_without_page": query_without_page(request),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def idea_edit(request, slug=None, pk=None):
    if pk:
        idea = _idea_for_user(request, pk)
        if idea.author_id != request.user.pk:
            raise PermissionDenied
        call = idea.call
    else:
        call = _call_for_user(request, slug)
        idea = Idea(call=call, author=request.user)
    if call.current_phase != Phase.SUBMISSION:
        messages.error(
            request, _("Ideas can only be submitted or edited during the submission phase.")
        )
        return redirect(idea if idea.pk else call)
    if idea.pk is None and not is_confirmed(request.user):
        messages.error(request, _("Please confirm your e-mail address before submitting an idea."))
        return redirect(call)
    if not allowed(
        request.user, "ideas.edit_idea" if idea.pk else "ideas.submit", idea if idea.pk else call
    ):
        if idea.pk:
            messages.error(request, _("This idea can no longer be edited."))
            return redirect(idea)
        raise PermissionDenied
    was_published = idea.status == Status.PUBLISHED
    # Submitted ideas stay complete: every later save is validated like a submission
    submitting = request.method == "POST" and (
        "submit" in request.POST or (idea.pk is not None and idea.status != Status.DRAFT)
    )
    form = IdeaForm(
        request.POST or None, request.FILES or None, instance=idea, call=call, submitting=submitting
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                idea = services.save_idea(
                    request.user,
                    form.save(commit=False),
                    form.answers(),
                    form.uploads(),
                    submit=submitting,
                )
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                if was_published and idea.status == Status.SUBMITTED:
                    messages.warning(
                        request,
                        _(
                            "Your changes have been saved. Your idea is back in moderation and "
                            "will be visible to everyone again once it is published."
                        ),
                    )
                elif was_published:
                    messages.success(request, _("Nothing was changed."))
                elif submitting:
                    messages.success(
                        request,
                        _(
                            "Thank you! Your idea has been submitted and will be published after moderation."
                        ),
                    )
                else:
                    messages.success(request, _("Your draft has been saved."))
                return redirect(idea)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request,
        "ideas/idea_form.html",
        {"form": form, "call": call, "idea": idea, "back_to_moderation": was_published},
    )


@require_safe
def idea_detail(request, pk):
    idea = _idea_for_user(request, pk)
    call = idea.call
    user = request.user
    comments = visible_comments(user).filter(idea=idea).select_related("author")
    has_voted = user.is_authenticated and Vote.objects.filter(voter=user, idea=idea).exists()
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "call": call,
            "answers": idea.answers.select_related("question"),
            "files": idea.files.all(),
            "comments": comments,
            "comment_form": CommentForm(),
            "can_edit": allowed(user, "ideas.edit_idea", idea),
            "can_manage": allowed(user, "ideas.moderate", idea),
            "can_comment": allowed(user, "ideas.comment", idea),
            "can_implement": allowed(user, "ideas.mark_implemented", idea),
            "has_voted": has_voted,
            "voting_open": call.current_phase == Phase.VOTING,
            "votes_left": services.votes_left(user, call),
            "reject_form": RejectForm(),
            "implementation_form": ImplementationForm(),
        },
    )


@require_POST
def vote(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("ideas:idea_detail", args=[pk]))
    idea = _idea_for_user(request, pk)
    withdraw = request.POST.get("action") == "withdraw"
    error = None
    try:
        if withdraw:
            services.withdraw_vote(request.user, idea)
        else:
            services.cast_vote(request.user, idea)
    except RuleError as exc:
        error = str(exc)
    idea.refresh_from_db(fields=["vote_count"])
    has_voted = Vote.objects.filter(voter=request.user, idea=idea).exists()
    if request.htmx:
        return render(
            request,
            "ideas/_vote.html",
            {
                "idea": idea,
                "has_voted": has_voted,
                "voting_open": idea.call.current_phase == Phase.VOTING,
                "vote_error": error,
                "votes_left": services.votes_left(request.user, idea.call),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Your vote has been withdrawn.") if withdraw else _("Thank you for your vote!"),
        )
    return redirect_to_next(request, idea.get_absolute_url())


@require_POST
@login_required
def comment_add(request, pk):
    idea = _idea_for_user(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(request.user, idea, form.cleaned_data["text"])
            messages.success(request, _("Your comment has been published."))
        except RuleError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Please write a comment."))
    return redirect(f"{idea.get_absolute_url()}#comments")


@require_POST
@login_required
def comment_report(request, pk):
    # Hidden comments (and comments on ideas one cannot see) do not exist for the reporter
    comment = get_object_or_404(visible_comments(request.user).select_related("idea"), pk=pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_comment(request.user, comment, form.cleaned_data["reason"])
            messages.success(request, _("Thank you. The moderators will look at this comment."))
        except RuleError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Please tell us why you report this comment."))
    return redirect(f"{comment.idea.get_absolute_url()}#comments")


@require_POST
@login_required
def comment_moderate(request, pk):
    comment = get_object_or_404(visible_comments(request.user).select_related("idea__call"), pk=pk)
    hide = request.POST.get("action") == "hide"
    services.moderate_comment(request.user, comment, hide, request.POST.get("note", ""))
    messages.success(
        request, _("The comment is hidden.") if hide else _("The comment is visible again.")
    )
    return redirect_to_next(request, f"{comment.idea.get_absolute_url()}#comments")


@require_POST
@login_required
def idea_moderate(request, pk):
    idea = _idea_for_user(request, pk)
    publish = request.POST.get("action") == "publish"
    try:
        services.moderate_idea(request.user, idea, publish, request.POST.get("reason", ""))
        messages.success(
            request,
            _("The idea has been published.") if publish else _("The idea has been rejected."),
        )
    except RuleError as exc:
        messages.error(request, str(exc))
    return redirect_to_next(request, idea.get_absolute_url())


@require_POST
@login_required
def idea_implemented(request, pk):
    idea = _idea_for_user(request, pk)
    try:
        services.mark_implemented(request.user, idea, request.POST.get("note", ""))
        messages.success(request, _("The implementation follow-up has been saved."))
    except RuleError as exc:
        messages.error(request, str(exc))
    return redirect(idea)


@require_safe
@login_required
def call_manage(request, slug):
    return _manage_page(request, _managed_call(request, slug))


def _manage_page(request, call, juror_form=None, status=200):
    ideas = call.ideas.select_related("author")
    proposed = set(services.proposed_shortlist(call))
    # The most voted ideas (twice the shortlist size) plus every idea with an organiser decision
    pool = ideas.filter(status__in=[Status.PUBLISHED, Status.SHORTLISTED]).order_by(
        "-vote_count", "submitted_at", "pk"
    )
    top = list(pool[: max(2 * call.shortlist_size, 20)])
    shown = {i.pk for i in top}
    candidates = top + [
        i
        for i in pool.filter(
            Q(pk__in=proposed) | ~Q(shortlist_override="") | Q(status=Status.SHORTLISTED)
        )
        if i.pk not in shown
    ]
    jury = list(call.jury.select_related("user", "organisation"))
    finalists = list(ideas.filter(status__in=[Status.SHORTLISTED, Status.REVIEWED]))
    rankings = services.rankings(call)
    jury_rank = {r.idea: r.rank for r in rankings}
    for idea in finalists:
        idea.jury_rank = jury_rank.get(idea.pk) or None
    finalists.sort(key=lambda i: (i.jury_rank is None, i.jury_rank or 0, i.pk))
    context = {
        "call": call,
        "phase": call.current_phase,
        "submitted": list(ideas.filter(status=Status.SUBMITTED).order_by("submitted_at")),
        "reported": list(
            Comment.objects.filter(idea__call=call, reports__resolved=False)
            .select_related("author", "idea")
            .annotate(report_count=Count("reports"))
            .distinct()
        ),
        "candidates": candidates,
        "proposed": proposed,
        "jury": jury,
        "composition": services.composition(call),
        "rankings": rankings,
        "award_conflicts": services.award_conflicts(call, rankings),
        "criteria": list(call.criteria.all()),
        "finalists": finalists,
        "stats": {
            "ideas": ideas.exclude(status=Status.DRAFT).count(),
            "published": ideas.filter(status__in=Idea.PUBLIC_STATUSES).count(),
            "votes": call.votes.count(),
            "voters": call.votes.values("voter").distinct().count(),
        },
        "juror_form": juror_form or JurorForm(),
        "manager_form": ManagerForm(),
        # Listed co-managers and whether the listing currently gives them rights (rule-derived)
        "co_managers": [
            {"user": m, "active": managed_calls(m).filter(pk=call.pk).exists()}
            for m in call.managers.all()
        ],
        "can_shortlist": allowed(request.user, "ideas.shortlist", call),
        "reject_form": RejectForm(),
        "overrides": Idea.Override.choices,
        "helix_labels": dict(JuryMember._meta.get_field("helix_type").choices),
    }
    return render(request, "ideas/call_manage.html", context, status=status)


def _back(call, anchor=""):
    return redirect(f"{call.get_absolute_url()}manage/{anchor}")


@require_POST
@login_required
def call_advance(request, slug):
    """Two steps: the first POST shows the dates that would change (old and new), the confirming
    POST (``confirm``) changes them, unless the call's phase has changed in between."""
    call = _managed_call(request, slug)
    try:
        if request.POST.get("confirm") != "1":
            preview = services.preview_advance(request.user, call)
            return render(
                request,
                "ideas/call_advance_confirm.html",
                {
                    "call": call,
                    "current_label": Phase(preview["current"]).label,
                    "target_label": Phase(preview["target"]).label,
                    **preview,
                },
            )
        phase = services.advance_phase(
            request.user, call, expected_phase=request.POST.get("current") or None
        )
        messages.success(
            request, _("The phase “%(phase)s” has started.") % {"phase": Phase(phase).label}
        )
    except RuleError as exc:
        messages.error(request, str(exc))
    return _back(call)


@require_POST
@login_required
def shortlist_override(request, slug, pk):
    call = _managed_call(request, slug)
    idea = get_object_or_404(Idea, pk=pk, call=call)
    try:
        services.set_shortlist_override(request.user, idea, request.POST.get("override", ""))
    except RuleError as exc:
        messages.error(request, str(exc))
    return _back(call, "#shortlist")


@require_POST
@login_required
def shortlist_confirm(request, slug):
    call = _managed_call(request, slug)
    try:
        chosen = services.confirm_shortlist(request.user, call)
        messages.success(
            request, _("The shortlist with %(n)s ideas has been fixed.") % {"n": len(chosen)}
        )
    except RuleError as exc:
        messages.error(request, str(exc))
    return _back(call, "#shortlist")


@require_POST
@login_required
def juror_add(request, slug):
    """The helix group comes from the juror's organisation; only when it is unknown does the form
    ask for it (the manage page is shown again with the group to choose)."""
    call = _managed_call(request, slug)
    form = JurorForm(request.POST)
    if form.is_valid():
        helix = form.cleaned_data["helix_type"]
        if not helix and services.helix_of_user(form.user)[0] is None:
            form = JurorForm(request.POST, ask_helix=True)
            form.is_valid()
            form.add_error(
                "helix_type",
                _(
                    "The helix group of %(user)s is unknown (no organisation is recorded); "
                    "please choose it."
                )
                % {"user": form.user},
            )
            return _manage_page(request, call, juror_form=form, status=400)
        try:
            member = services.assign_juror(request.user, call, form.user, helix)
            messages.success(
                request,
                _("%(user)s has joined the jury (helix group: %(group)s).")
                % {"user": form.user, "group": member.get_helix_type_display()},
            )
        except RuleError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(call, "#jury")


@require_POST
@login_required
def juror_remove(request, slug, pk):
    call = _managed_call(request, slug)
    member = get_object_or_404(JuryMember, pk=pk, call=call)
    try:
        services.remove_juror(request.user, member)
        messages.success(request, _("The juror has been removed."))
    except RuleError as exc:
        messages.error(request, str(exc))
    return _back(call, "#jury")


@require_POST
@login_required
def manager_add(request, slug):
    call = _managed_call(request, slug)
    form = ManagerForm(request.POST)
    if form.is_valid():
        try:
            services.add_manager(request.user, call, form.user)
            messages.success(request, _("%(user)s now co-manages this call.") % {"user": form.user})
        except RuleError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(call)


@require_POST
@login_required
def award_set(request, slug, pk):
    call = _managed_call(request, slug)
    idea = get_object_or_404(Idea, pk=pk, call=call)
    form = AwardForm(request.POST)
    if form.is_valid():
        try:
            services.set_award(request.user, idea, form.cleaned_data["award"])
            messages.success(request, _("The award has been saved."))
            for conflict in services.award_conflicts(call):
                messages.warning(request, conflict)
        except RuleError as exc:
            messages.error(request, str(exc))
    return _back(call, "#awards")


@require_POST
@login_required
def results_publish(request, slug):
    call = _managed_call(request, slug)
    try:
        services.publish_results(request.user, call)
        messages.success(request, _("The results have been published."))
        return redirect("ideas:results", call.slug)
    except RuleError as exc:
        messages.error(request, str(exc))
    return _back(call, "#awards")


@require_http_methods(["GET", "POST"])
@login_required
def jury_review(request, slug):
    call = _call_for_user(request, slug)
    if not allowed(request.user, "ideas.review", call):
        raise PermissionDenied
    juror = juror_seat(request.user, call)
    criteria = list(call.criteria.all())
    ideas = list(
        call.ideas.filter(status__in=[Status.SHORTLISTED, Status.REVIEWED])
        .select_related("author")
        .order_by("pk")
    )
    own = {}
    for score in Score.objects.filter(juror=juror):
        own.setdefault(score.idea_id, {})[score.criterion_id] = (score.value, score.comment)
    phase = call.current_phase
    posted_idea = None
    forms_by_idea = {}
    if request.method == "POST":
        idea_id = request.POST.get("idea", "")
        if not idea_id.isdigit():
            raise Http404
        posted_idea = get_object_or_404(Idea, pk=int(idea_id), call=call)
    for idea in ideas:
        data = request.POST if posted_idea and posted_idea.pk == idea.pk else None
        forms_by_idea[idea.pk] = ScoreForm(
            data, call=call, criteria=criteria, existing=own.get(idea.pk), prefix=f"i{idea.pk}"
        )
    if posted_idea:
        form = forms_by_idea.get(posted_idea.pk)
        if form is not None and form.is_valid():
            try:
                services.save_scores(request.user, posted_idea, form.values())
                messages.success(
                    request,
                    _("Your scores for “%(title)s” have been saved.") % {"title": posted_idea},
                )
                return redirect(f"{request.path}#idea-{posted_idea.pk}")
            except RuleError as exc:
                form.add_error(None, str(exc))
        messages.error(request, _("Please correct the marked fields."))
    rows = []
    for idea in ideas:
        form = forms_by_idea[idea.pk]
        mine = own.get(idea.pk, {})
        rows.append(
            {
                "idea": idea,
                "form": form,
                # one line per criterion: its score and the comment next to each other
                "pairs": [(form[f"s_{c.pk}"], form[f"c_{c.pk}"]) for c in criteria],
                "own_scores": [mine.get(c.pk, (None, ""))[0] for c in criteria],
                "complete": len(mine) == len(criteria),
                "open": bool(form.errors),
            }
        )
    return render(
        request,
        "ideas/jury_review.html",
        {
            "call": call,
            "juror": juror,
            "rows": rows,
            "scored": sum(1 for r in rows if r["complete"]),
            "jury_open": phase == Phase.JURY,
            # Other jurors' scores only become visible after submitting one's own
            "rankings": services.rankings(call, submitted_only=True)
            if juror.submitted_at
            else None,
            "criteria": criteria,
        },
    )


@require_POST
@login_required
def jury_submit(request, slug):
    call = _call_for_user(request, slug)
    if not allowed(request.user, "ideas.review", call):
        raise PermissionDenied
    try:
        services.submit_scores(request.user, call)
        messages.success(request, _("Thank you! Your scores have been submitted."))
    except RuleError as exc:
        messages.error(request, str(exc))
    return redirect("ideas:jury_review", call.slug)


@require_safe
def results(request, slug):
    call = _call_for_user(request, slug)
    can_manage = allowed(request.user, "ideas.manage_call", call)
    if not call.results_published and not can_manage:
        return render(request, "ideas/results.html", {"call": call, "published": False})
    winners = list(call.ideas.exclude(award="").select_related("author"))
    ranking = {r.idea: r for r in services.rankings(call)}
    for idea in winners:
        idea.jury = ranking.get(idea.pk)
    winners.sort(key=lambda i: (i.jury.rank if i.jury and i.jury.rank else 10**6, i.pk))
    finalists = list(
        call.ideas.filter(status__in=[Status.NOT_AWARDED, Status.SHORTLISTED, Status.REVIEWED])
        .filter(award="")
        .select_related("author")
        .order_by("title")
    )
    return render(
        request,
        "ideas/results.html",
        {
            "call": call,
            "published": call.results_published,
            "winners": winners,
            "finalists": finalists,
            "stats": {
                "ideas": call.ideas.filter(status__in=Idea.PUBLIC_STATUSES).count(),
                "votes": call.votes.count(),
                "jurors": call.jury.count(),
            },
        },
    )


@require_safe
@login_required
def export(request, slug, kind, fmt):
    call = _managed_call(request, slug)
    if not allowed(request.user, "ideas.export", call):
        raise PermissionDenied
    if kind not in exports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows = exports.EXPORTS[kind](call)
    return export_response(fmt, headers, rows, f"{call.slug}-{kind}", title=kind)
