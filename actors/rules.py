"""The rules of the actor registry, declared once (django-rules) and checked through core.policy.

Editing an organisation, its contact persons and the roles held for it belong to the organisation's
own admins (a contact person with admin rights and an account, or the member-organisation-admin
role) and platform admins. A cluster membership gives the cluster's office no right over the
organisation. Memberships need consent: the office invites and the organisation's admins answer, or
the organisation applies and the office answers. An organisation without any admin cannot consent
itself; then a platform admin confirms in its place, never the office alone.
"""

import rules
from django.db.models import Q

from core.policy import is_authenticated, is_confirmed, is_platform_admin

from . import permissions
from .models import ClusterRole, Membership

Status = Membership.Status


# -- "may see" list queries (the single-object predicates derive from them) --------------------


def visible_memberships(user):
    """Active memberships for everybody; pending, declined and ended ones for the cluster's
    managers, the organisation's admins and platform admins."""
    qs = Membership.objects.all()
    if is_platform_admin(user):
        return qs
    condition = Q(status=Status.ACTIVE)
    if is_authenticated(user):
        condition |= Q(cluster_id__in=permissions.managed_cluster_ids(user))
        condition |= Q(organisation_id__in=permissions.administered_organisation_ids(user))
    return qs.filter(condition)


# -- predicates ------------------------------------------------------------------------------


@rules.predicate
def administers_organisation(user, organisation) -> bool:
    return permissions.is_organisation_admin(user, organisation)


@rules.predicate
def manages_cluster(user, cluster) -> bool:
    return permissions.has_manager_role(user, cluster)


@rules.predicate
def shares_active_cluster(user, organisation) -> bool:
    return permissions.shares_active_cluster(user, organisation)


@rules.predicate
def manages_cluster_of_member(user, organisation) -> bool:
    """The user is in the office of a cluster the organisation is an active member of."""
    return organisation is not None and (
        Membership.objects.filter(
            organisation=organisation,
            status=Status.ACTIVE,
            cluster_id__in=permissions.managed_cluster_ids(user),
        ).exists()
    )


@rules.predicate
def organisation_is_unverified(user, organisation) -> bool:
    return organisation is not None and organisation.verified_at is None


@rules.predicate
def manages_membership_cluster(user, membership) -> bool:
    return membership is not None and permissions.has_manager_role(user, membership.cluster)


@rules.predicate
def administers_membership_organisation(user, membership) -> bool:
    return membership is not None and permissions.is_organisation_admin(
        user, membership.organisation
    )


@rules.predicate
def membership_organisation_has_no_admin(user, membership) -> bool:
    return membership is not None and not permissions.has_admins(membership.organisation)


@rules.predicate
def membership_is_invited(user, membership) -> bool:
    return membership is not None and membership.status == Status.INVITED


@rules.predicate
def membership_is_applied(user, membership) -> bool:
    return membership is not None and membership.status == Status.APPLIED


@rules.predicate
def membership_is_active(user, membership) -> bool:
    return membership is not None and membership.status == Status.ACTIVE


@rules.predicate
def membership_is_visible(user, membership) -> bool:
    return membership is not None and visible_memberships(user).filter(pk=membership.pk).exists()


@rules.predicate
def is_manager_role(user, role) -> bool:
    return role is not None and role.role == ClusterRole.Role.MANAGER


@rules.predicate
def manages_role_cluster(user, role) -> bool:
    return role is not None and permissions.has_manager_role(user, role.cluster)


@rules.predicate
def administers_role_organisation(user, role) -> bool:
    return (
        role is not None
        and role.organisation_id is not None
        and permissions.is_organisation_admin(user, role.organisation)
    )


# -- organisations ---------------------------------------------------------------------------

rules.add_perm("actors.create_organisation", is_confirmed)
rules.add_perm("actors.edit_organisation", is_platform_admin | administers_organisation)
# Add and remove contact persons, grant and revoke the member roles held for the organisation.
rules.add_perm("actors.manage_people", is_platform_admin | administers_organisation)
rules.add_perm("actors.see_contacts", is_platform_admin | shares_active_cluster)
# Confirm that a self-registered organisation is real (once: a verified one stays verified).
rules.add_perm(
    "actors.verify_organisation",
    organisation_is_unverified & (is_platform_admin | manages_cluster_of_member),
)

# -- clusters --------------------------------------------------------------------------------

rules.add_perm("actors.edit_cluster", is_platform_admin | manages_cluster)
# Invite organisations, end memberships, grant and revoke manager roles.
rules.add_perm("actors.manage_memberships", is_platform_admin | manages_cluster)

# -- membership lifecycle (object: the membership) -------------------------------------------

rules.add_perm("actors.view_membership", membership_is_visible)
rules.add_perm(
    "actors.respond_to_invitation",
    membership_is_invited
    & (
        administers_membership_organisation
        | (is_platform_admin & membership_organisation_has_no_admin)
    ),
)
# Object: the applying organisation.
rules.add_perm("actors.apply_for_membership", is_platform_admin | administers_organisation)
rules.add_perm(
    "actors.decide_application",
    membership_is_applied & (is_platform_admin | manages_membership_cluster),
)
rules.add_perm(
    "actors.end_membership",
    membership_is_active
    & (is_platform_admin | manages_membership_cluster | administers_membership_organisation),
)

# -- roles (object: the ClusterRole) ---------------------------------------------------------

rules.add_perm(
    "actors.revoke_role",
    is_platform_admin
    | (is_manager_role & manages_role_cluster)
    | (~is_manager_role & administers_role_organisation),
)
