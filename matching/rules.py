"""Who may see and do what in the marketplace, declared once (see core.policy).

Rights come from current roles only, read at request time: the people of an organisation (a cluster
role for it or a contact-person profile linked to the user) act for it; the managers of a cluster
(a current MANAGER cluster role) broker the postings of that cluster; platform admins pass the rules
that name them. Nothing is read from fields copied onto a posting (its `author` grants no right).

The "may see" rule is one list query, :func:`visible_postings`; the single-object predicate
``matching.view_posting`` is derived from it, and so is ``matching.see_identity`` (who may see the
organisation behind an anonymous posting) from :func:`identity_visible`.
"""

import rules
from django.db.models import Q
from django.utils import timezone

from actors.models import ClusterRole, Organisation
from core.policy import is_authenticated, is_confirmed, is_platform_admin

from .models import Interest, Posting, PostingStatus, Visibility

# -- who is who ------------------------------------------------------------------------------


def user_organisations(user):
    """Organisations the user acts for (a cluster role for the organisation or a linked person)."""
    if not is_authenticated(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(Q(user_roles__user=user) | Q(people__user=user))
        .distinct()
        .order_by("name")
    )


def _organisation_ids(user):
    """Subquery: ids of the organisations the user acts for."""
    return (
        Organisation.objects.filter(Q(user_roles__user=user) | Q(people__user=user))
        .values("pk")
        .distinct()
    )


def _cluster_ids(user, *roles):
    """Subquery: ids of the clusters in which the user holds one of ``roles`` (any role if none)."""
    qs = ClusterRole.objects.filter(user=user)
    if roles:
        qs = qs.filter(role__in=roles)
    return qs.values("cluster_id")


# -- list queries ----------------------------------------------------------------------------


def visible_postings(user):
    """Every posting the user may see, in any status.

    - platform admins: all postings;
    - the people of the posting's organisation: all its postings, drafts included;
    - everybody else: postings that are not drafts and are public or anonymous, and postings limited
      to a cluster's members when the user holds a role in that cluster.
    """
    if is_platform_admin(user):
        return Posting.objects.all()
    published_any = ~Q(status=PostingStatus.DRAFT)
    rule = published_any & Q(visibility__in=[Visibility.PUBLIC, Visibility.ANONYMOUS])
    if is_authenticated(user):
        rule |= published_any & Q(
            visibility=Visibility.CLUSTER,
            cluster_id__in=_cluster_ids(user),
        )
        rule |= Q(organisation_id__in=_organisation_ids(user))
    return Posting.objects.filter(rule)


def open_postings(user, today=None):
    """Visible postings that accept expressions of interest: published, deadline not passed."""
    today = today or timezone.localdate()
    return visible_postings(user).filter(status=PostingStatus.PUBLISHED).exclude(deadline__lt=today)


def identity_visible(user) -> Q:
    """Postings whose organisation the user may know: every posting that is not anonymous; an
    anonymous one only for the people of its organisation, the managers of its brokering cluster
    and platform admins."""
    if is_platform_admin(user):
        return Q()
    rule = ~Q(visibility=Visibility.ANONYMOUS)
    if is_authenticated(user):
        rule |= Q(organisation_id__in=_organisation_ids(user))
        rule |= Q(cluster_id__in=_cluster_ids(user, ClusterRole.Role.MANAGER))
    return rule


def interests_to_broker(user):
    """Expressions of interest the user brokers: those in postings of the clusters they manage, and
    in their own organisations' postings that have no brokering cluster (see brokers_posting)."""
    if not is_authenticated(user):
        return Interest.objects.none()
    return Interest.objects.filter(
        Q(posting__cluster_id__in=_cluster_ids(user, ClusterRole.Role.MANAGER))
        | Q(posting__cluster__isnull=True, posting__organisation_id__in=_organisation_ids(user))
    )


# -- predicates ------------------------------------------------------------------------------


def _posting_of(obj):
    return getattr(obj, "posting", obj)


@rules.predicate
def acts_for_organisation(user, organisation) -> bool:
    """With an organisation: the user acts for it; without one: for at least one organisation."""
    qs = user_organisations(user)
    if organisation is None:
        return qs.exists()
    return qs.filter(pk=organisation.pk).exists()


@rules.predicate
def acts_for_posting_organisation(user, posting) -> bool:
    return posting is not None and acts_for_organisation(user, posting.organisation)


@rules.predicate
def acts_for_another_organisation(user, posting) -> bool:
    """The user acts for an organisation other than the posting's own."""
    return (
        posting is not None
        and user_organisations(user).exclude(pk=posting.organisation_id).exists()
    )


@rules.predicate
def can_see_posting(user, posting) -> bool:
    return posting is not None and visible_postings(user).filter(pk=posting.pk).exists()


@rules.predicate
def may_know_organisation(user, posting) -> bool:
    if posting is None:
        return False
    return visible_postings(user).filter(identity_visible(user), pk=posting.pk).exists()


@rules.predicate
def brokers_posting(user, obj) -> bool:
    """The office (current managers) of the posting's cluster; without a cluster, the posting's
    own people. ``obj`` is a posting or an expression of interest."""
    posting = _posting_of(obj)
    if posting is None or not is_authenticated(user):
        return False
    if posting.cluster_id is None:
        return acts_for_posting_organisation(user, posting)
    return ClusterRole.objects.filter(
        user=user, cluster_id=posting.cluster_id, role=ClusterRole.Role.MANAGER
    ).exists()


# -- rules -----------------------------------------------------------------------------------

# Publish a posting for an organisation (object: the organisation, or None for "any").
rules.add_perm("matching.create_posting", is_confirmed & acts_for_organisation)
# Edit a posting and change its status.
rules.add_perm("matching.edit_posting", is_platform_admin | acts_for_posting_organisation)
rules.add_perm("matching.view_posting", can_see_posting)
# Know the organisation behind a posting (anonymous ones hide it).
rules.add_perm("matching.see_identity", may_know_organisation)
# Act in the marketplace for an organisation (e.g. express interest on its behalf).
rules.add_perm("matching.act_for_organisation", is_authenticated & acts_for_organisation)
rules.add_perm(
    "matching.express_interest",
    is_confirmed & can_see_posting & acts_for_another_organisation,
)
# Read every expression of interest in a posting, introduce both sides or decline.
rules.add_perm("matching.broker_interest", is_platform_admin | brokers_posting)
