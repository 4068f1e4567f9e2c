"""Who may do what in open calls: the rules of the ``ideas`` app, declared once.

The service functions enforce these rules (``core.policy.require``), views and templates ask them
(``core.policy.allowed``, ``{% allowed %}``) only to decide what to show, and the API and the list
pages use the same list queries (``visible_calls``, ``visible_ideas``, ``visible_comments``,
``managed_calls``), from which the single-object checks are derived.

Who manages a call — derived from current roles at every request, never stored on the call:

- platform admins;
- the current cluster managers (ClusterRole MANAGER) of every cluster whose cluster management
  organisation is the call's organiser. This matches how calls are created: only cluster managers
  (and platform admins) may create calls, and they may name as organiser only the management
  organisation of a cluster they manage (``organiser_choices``). Being a manager of a cluster an
  organisation merely belongs to gives no rights over that organisation's calls.
- co-managers listed in ``Call.managers`` count only while they currently hold a MANAGER role in a
  cluster the organiser is an active member of (a partner cluster that co-runs the call). The list
  is an invitation by a current call manager, not a right of its own: when the role ends, or the
  organiser leaves that cluster, the listing grants nothing. ``Call.created_by`` is a record only.

What a phase allows (submit, comment, vote, shortlist, score, award, implement) is the table
``ideas.models.PHASE_ALLOWS``; the rules below combine it with who is acting. Lifecycle rules hold for
platform admins too.
"""

import rules
from django.db.models import Q

from actors.models import ClusterRole, Membership, Organisation
from actors.permissions import managed_cluster_ids_query
from core.policy import is_authenticated, is_confirmed, is_platform_admin

from .models import PHASE_ALLOWS, Call, Comment, Idea, JuryMember, Score

MANAGER = ClusterRole.Role.MANAGER
Status = Idea.Status
EDITABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED)


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# --- list queries (the single checks below are derived from these) -----------------------------


def organiser_choices(user):
    """Organisations a user may name as a call's organiser: all for platform admins, else the
    management organisations of the clusters they currently manage."""
    if is_platform_admin(user):
        return Organisation.objects.all()
    if not _active(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Organisation.objects.filter(
            managed_clusters__in=managed_cluster_ids_query(user)
        ).values("pk")
    )


def managed_calls(user):
    """Calls the user may manage right now (see the module docstring)."""
    if is_platform_admin(user):
        return Call.objects.all()
    if not _active(user):
        return Call.objects.none()
    clusters = managed_cluster_ids_query(user)
    by_office = Q(organiser__managed_clusters__in=clusters)
    as_co_manager = Q(
        managers=user,
        organiser__memberships__cluster__in=clusters,
        organiser__memberships__status=Membership.Status.ACTIVE,
    )
    return Call.objects.filter(pk__in=Call.objects.filter(by_office | as_co_manager).values("pk"))


def visible_calls(user):
    """Published calls, plus the calls the user manages (drafts included)."""
    if is_platform_admin(user):
        return Call.objects.all()
    if not _active(user):
        return Call.objects.filter(is_published=True)
    return Call.objects.filter(Q(is_published=True) | Q(pk__in=managed_calls(user).values("pk")))


def visible_ideas(user):
    """Public ideas of published calls; one's own ideas; every submitted idea of a managed call
    (drafts stay private to their author)."""
    public = Q(status__in=Idea.PUBLIC_STATUSES, call__is_published=True)
    if not _active(user):
        return Idea.objects.filter(public)
    own = Q(author=user, call__is_published=True)
    managed = Q(call__in=managed_calls(user).values("pk")) & ~Q(status=Status.DRAFT)
    return Idea.objects.filter(public | own | managed)


def visible_comments(user):
    """Comments on visible ideas; hidden comments only for the call's managers."""
    comments = Comment.objects.filter(idea__in=visible_ideas(user).values("pk"))
    if not _active(user):
        return comments.filter(is_hidden=False)
    return comments.filter(Q(is_hidden=False) | Q(idea__call__in=managed_calls(user).values("pk")))


def juror_seat(user, call) -> JuryMember | None:
    if not _active(user) or call is None:
        return None
    return JuryMember.objects.filter(call=call, user=user).first()


def phase_allows_action(call, action: str) -> bool:
    return action in PHASE_ALLOWS[call.phase()]


# --- predicates --------------------------------------------------------------------------------


def call_of(obj) -> Call | None:
    if isinstance(obj, Call):
        return obj
    if isinstance(obj, Idea | JuryMember):
        return obj.call
    if isinstance(obj, Comment):
        return obj.idea.call
    return None


@rules.predicate
def is_cluster_manager(user) -> bool:
    return _active(user) and ClusterRole.objects.filter(user=user, role=MANAGER).exists()


@rules.predicate
def manages_call(user, obj) -> bool:
    call = call_of(obj)
    return bool(call and call.pk and managed_calls(user).filter(pk=call.pk).exists())


@rules.predicate
def can_see_call(user, obj) -> bool:
    call = call_of(obj)
    return bool(call and call.pk and visible_calls(user).filter(pk=call.pk).exists())


@rules.predicate
def can_see_idea(user, idea) -> bool:
    return bool(idea and idea.pk and visible_ideas(user).filter(pk=idea.pk).exists())


@rules.predicate
def can_see_comment(user, comment) -> bool:
    return bool(comment and visible_comments(user).filter(pk=comment.pk).exists())


def phase_allows(action: str):
    """A predicate: the call's current phase allows ``action`` (table PHASE_ALLOWS)."""
    assert any(action in allowed for allowed in PHASE_ALLOWS.values()), action

    @rules.predicate(f"phase_allows_{action}")
    def predicate(user, obj) -> bool:
        call = call_of(obj)
        return bool(call and phase_allows_action(call, action))

    return predicate


@rules.predicate
def is_idea_author(user, idea) -> bool:
    return bool(_active(user) and idea is not None and idea.author_id == user.pk)


@rules.predicate
def idea_is_editable(user, idea) -> bool:
    return idea.status in EDITABLE_STATUSES


@rules.predicate
def idea_is_public(user, idea) -> bool:
    return idea.is_public


@rules.predicate
def idea_is_published(user, idea) -> bool:
    return idea.status == Status.PUBLISHED


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return bool(_active(user) and comment.author_id == user.pk)


@rules.predicate
def comment_not_hidden(user, comment) -> bool:
    return not comment.is_hidden


@rules.predicate
def jury_has_not_scored(user, obj) -> bool:
    """The shortlist is fixed for good once any juror has scored an idea of the call."""
    call = call_of(obj)
    return bool(call) and not Score.objects.filter(idea__call=call).exists()


@rules.predicate
def results_unpublished(user, obj) -> bool:
    call = call_of(obj)
    return bool(call) and not call.results_published


@rules.predicate
def results_published(user, obj) -> bool:
    call = call_of(obj)
    return bool(call) and call.results_published


@rules.predicate
def has_jury_seat(user, obj) -> bool:
    return juror_seat(user, call_of(obj)) is not None


# --- the rules ---------------------------------------------------------------------------------

call_manager = is_platform_admin | manages_call

# Calls (object: the call, or an idea/comment/juror of it)
rules.add_perm("ideas.create_call", is_platform_admin | is_cluster_manager)
rules.add_perm("ideas.view_call", is_platform_admin | can_see_call)
rules.add_perm("ideas.manage_call", call_manager)
rules.add_perm("ideas.add_manager", call_manager)
rules.add_perm("ideas.manage_jury", call_manager)
rules.add_perm("ideas.export", call_manager)
rules.add_perm("ideas.moderate", call_manager)  # ideas and comments
rules.add_perm("ideas.shortlist", call_manager & phase_allows("shortlist") & jury_has_not_scored)
rules.add_perm("ideas.award", call_manager & phase_allows("award") & results_unpublished)
rules.add_perm(
    "ideas.mark_implemented", call_manager & phase_allows("implement") & results_published
)
rules.add_perm("ideas.review", has_jury_seat)
rules.add_perm("ideas.score", has_jury_seat & phase_allows("score"))
rules.add_perm("ideas.submit", is_confirmed & can_see_call & phase_allows("submit"))

# Ideas (object: the idea)
rules.add_perm("ideas.view_idea", can_see_idea)
rules.add_perm(
    "ideas.edit_idea", is_idea_author & idea_is_editable & can_see_idea & phase_allows("submit")
)
rules.add_perm(
    "ideas.comment", is_confirmed & idea_is_public & can_see_idea & phase_allows("comment")
)
rules.add_perm(
    "ideas.vote",
    is_confirmed & idea_is_published & ~is_idea_author & can_see_idea & phase_allows("vote"),
)

# Comments (object: the comment)
rules.add_perm(
    "ideas.report_comment",
    is_authenticated & comment_not_hidden & ~is_comment_author & can_see_comment,
)
