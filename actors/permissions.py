"""Who may do what in the actor registry. Every check is a plain function of (user, object)."""

from .models import Cluster, ClusterRole, Organisation

Role = ClusterRole.Role


def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def managed_cluster_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        ClusterRole.objects.filter(user=user, role=Role.MANAGER).values_list(
            "cluster_id", flat=True
        )
    )


def member_cluster_ids(user) -> set[int]:
    """Clusters in which the user has any role (managers included)."""
    if not user.is_authenticated:
        return set()
    return set(ClusterRole.objects.filter(user=user).values_list("cluster_id", flat=True))


def manageable_clusters(user):
    """Clusters the user may manage: all for platform admins, else those they manage."""
    if is_platform_admin(user):
        return Cluster.objects.all()
    return Cluster.objects.filter(pk__in=managed_cluster_ids(user))


def is_cluster_manager(user, cluster: Cluster) -> bool:
    if is_platform_admin(user):
        return True
    if not user.is_authenticated:
        return False
    return ClusterRole.objects.filter(user=user, cluster=cluster, role=Role.MANAGER).exists()


def can_edit_cluster(user, cluster: Cluster) -> bool:
    return is_cluster_manager(user, cluster)


def can_manage_memberships(user, cluster: Cluster) -> bool:
    return is_cluster_manager(user, cluster)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Platform admins, the organisation's own admins, and managers of a cluster it belongs to."""
    if is_platform_admin(user):
        return True
    if not user.is_authenticated:
        return False
    if organisation.people.filter(user=user, is_admin=True).exists():
        return True
    if ClusterRole.objects.filter(
        user=user, role=Role.MEMBER_ORG_ADMIN, organisation=organisation
    ).exists():
        return True
    return ClusterRole.objects.filter(
        user=user,
        role=Role.MANAGER,
        cluster__memberships__organisation=organisation,
        cluster__memberships__status="active",
    ).exists()


def can_see_contact_details(user, organisation: Organisation) -> bool:
    """Contact details of people are visible inside the clusters the organisation belongs to."""
    if is_platform_admin(user):
        return True
    if not user.is_authenticated:
        return False
    if ClusterRole.objects.filter(user=user, organisation=organisation).exists():
        return True
    return ClusterRole.objects.filter(
        user=user,
        cluster__memberships__organisation=organisation,
        cluster__memberships__status="active",
    ).exists()


def cluster_roles_of(user, cluster: Cluster) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        ClusterRole.objects.filter(user=user, cluster=cluster).values_list("role", flat=True)
    )


def can_see_member_contacts(user, cluster: Cluster) -> bool:
    return is_platform_admin(user) or bool(cluster_roles_of(user, cluster))
