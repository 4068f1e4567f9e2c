"""Role queries of the actor registry, derived from current roles at request time.

The rules themselves are declared once in ``actors/rules.py`` (django-rules) and checked through
``core.policy``. The ``can_*`` functions here are thin wrappers around those rules, kept because other
apps import this module; the role queries (``managed_cluster_ids`` …) feed the predicates.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from core import policy

from .models import Cluster, ClusterRole, Membership, Organisation

Role = ClusterRole.Role


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_platform_admin(user) -> bool:
    return bool(_authenticated(user) and user.is_superuser)


def current_roles(user):
    """The user's cluster roles as they stand now (none for visitors): every right derives from these."""
    if not _authenticated(user):
        return ClusterRole.objects.none()
    return ClusterRole.objects.filter(user=user)


def managed_cluster_ids_query(user):
    """Subquery of the clusters the user currently manages (for ``cluster_id__in=``)."""
    return current_roles(user).filter(role=Role.MANAGER).values("cluster_id")


def member_cluster_ids_query(user):
    """Subquery of the clusters in which the user has any role (managers included)."""
    return current_roles(user).values("cluster_id")


def managed_cluster_ids(user) -> set[int]:
    return set(managed_cluster_ids_query(user).values_list("cluster_id", flat=True))


def member_cluster_ids(user) -> set[int]:
    """Clusters in which the user has any role (managers included)."""
    return set(member_cluster_ids_query(user).values_list("cluster_id", flat=True))


def manageable_clusters(user):
    """Clusters the user may manage: all for platform admins, else those they manage."""
    if is_platform_admin(user):
        return Cluster.objects.all()
    return Cluster.objects.filter(pk__in=managed_cluster_ids(user))


def is_cluster_manager(user, cluster: Cluster) -> bool:
    """Platform admins and the current managers of the cluster."""
    if is_platform_admin(user):
        return True
    if not _authenticated(user) or cluster is None:
        return False
    return ClusterRole.objects.filter(user=user, cluster=cluster, role=Role.MANAGER).exists()


def has_manager_role(user, cluster: Cluster) -> bool:
    """The user holds the manager role of the cluster (no platform-admin shortcut)."""
    if not _authenticated(user) or cluster is None:
        return False
    return ClusterRole.objects.filter(user=user, cluster=cluster, role=Role.MANAGER).exists()


# -- organisation admins ---------------------------------------------------------------------


def administered_organisation_ids(user) -> set[int]:
    if not _authenticated(user):
        return set()
    ids = set(
        Organisation.objects.filter(people__user=user, people__is_admin=True).values_list(
            "pk", flat=True
        )
    )
    ids |= set(
        ClusterRole.objects.filter(user=user, role=Role.MEMBER_ORG_ADMIN).values_list(
            "organisation_id", flat=True
        )
    )
    ids.discard(None)
    return ids


def is_organisation_admin(user, organisation: Organisation) -> bool:
    """One of the organisation's own admins (never a cluster manager by membership)."""
    if not _authenticated(user) or organisation is None:
        return False
    if organisation.people.filter(user=user, is_admin=True).exists():
        return True
    return ClusterRole.objects.filter(
        user=user, role=Role.MEMBER_ORG_ADMIN, organisation=organisation
    ).exists()


def organisation_admins(organisation: Organisation):
    """Active user accounts that administer the organisation."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(person_profiles__organisation=organisation, person_profiles__is_admin=True)
            | Q(
                cluster_roles__organisation=organisation,
                cluster_roles__role=Role.MEMBER_ORG_ADMIN,
            )
        )
        .distinct()
        .order_by("pk")
    )


def has_admins(organisation: Organisation) -> bool:
    return organisation_admins(organisation).exists()


def cluster_managers(cluster: Cluster):
    User = get_user_model()
    return (
        User.objects.filter(
            is_active=True, cluster_roles__cluster=cluster, cluster_roles__role=Role.MANAGER
        )
        .distinct()
        .order_by("pk")
    )


def platform_admins():
    return get_user_model().objects.filter(is_active=True, is_superuser=True).order_by("pk")


def shares_active_cluster(user, organisation: Organisation) -> bool:
    """The user works for the organisation, or holds a role in a cluster where it is an active
    member (the existing promise: contact details are visible inside the same cluster)."""
    if not _authenticated(user) or organisation is None:
        return False
    if organisation.people.filter(user=user).exists():
        return True
    if ClusterRole.objects.filter(user=user, organisation=organisation).exists():
        return True
    return ClusterRole.objects.filter(
        user=user,
        cluster__memberships__organisation=organisation,
        cluster__memberships__status=Membership.Status.ACTIVE,
    ).exists()


# -- thin wrappers around the rules (other apps import these names) ----------------------------


def can_edit_cluster(user, cluster: Cluster) -> bool:
    return policy.allowed(user, "actors.edit_cluster", cluster)


def can_manage_memberships(user, cluster: Cluster) -> bool:
    return policy.allowed(user, "actors.manage_memberships", cluster)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Platform admins and the organisation's own admins; a cluster membership gives no edit right."""
    return policy.allowed(user, "actors.edit_organisation", organisation)


def can_see_contact_details(user, organisation: Organisation) -> bool:
    """Contact details of people are visible inside the clusters the organisation actively belongs
    to (and to its own people and platform admins)."""
    return policy.allowed(user, "actors.see_contacts", organisation)


def cluster_roles_of(user, cluster: Cluster) -> set[str]:
    if not _authenticated(user):
        return set()
    return set(
        ClusterRole.objects.filter(user=user, cluster=cluster).values_list("role", flat=True)
    )


def can_see_member_contacts(user, cluster: Cluster) -> bool:
    return is_platform_admin(user) or bool(cluster_roles_of(user, cluster))
