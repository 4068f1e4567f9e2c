"""Who may do what with network services, bookings, feedback and needs surveys.

Declared once here and used by the views, the API and the service functions alike
(``core.policy.require`` / ``allowed``). Rights come from the user's current cluster roles
(``actors.models.ClusterRole``) at request time; nothing is copied onto services or surveys.
Platform admins pass only the rules that name them, and lifecycle conditions (a service must be
offered to be booked, a survey must be open to be answered) hold for everybody.

"May see" rules are derived from the list queries ``visible_services`` and ``visible_surveys`` so
the lists and the single checks cannot drift apart.
"""

import rules
from django.db.models import Q

from actors.models import Cluster, ClusterRole
from actors.permissions import current_roles, managed_cluster_ids_query, member_cluster_ids_query
from core.policy import is_authenticated, is_confirmed, is_platform_admin

from .models import OFFERED, PROVEN, Booking, Service, Survey

Role = ClusterRole.Role

# Bookings that show the user (or their organisation) has used the service.
USED = [Booking.State.CONFIRMED, Booking.State.ATTENDED]


# --- list queries ("may see") --------------------------------------------------------------------


def visible_services(user):
    """Offered services and proven shared ones for everyone; the managers of a cluster also see its
    ideas, concepts and retired services; platform admins see all."""
    qs = Service.objects.select_related("cluster")
    if is_platform_admin(user):
        return qs
    return qs.filter(
        Q(status__in=OFFERED)
        | Q(is_shared=True, status__in=PROVEN)
        | Q(cluster_id__in=managed_cluster_ids_query(user))
    )


def visible_surveys(user):
    """Surveys of the clusters the user manages (any state) and open ones of the clusters they
    belong to; platform admins see all."""
    qs = Survey.objects.select_related("cluster", "service", "event")
    if is_platform_admin(user):
        return qs
    if not is_authenticated(user):
        return qs.none()
    return qs.filter(
        Q(cluster_id__in=managed_cluster_ids_query(user))
        | Q(cluster_id__in=member_cluster_ids_query(user), state=Survey.State.OPEN)
    )


# --- predicates ----------------------------------------------------------------------------------


@rules.predicate
def can_see_service(user, service) -> bool:
    return service is not None and visible_services(user).filter(pk=service.pk).exists()


@rules.predicate
def can_see_survey(user, survey) -> bool:
    return survey is not None and visible_surveys(user).filter(pk=survey.pk).exists()


@rules.predicate
def manages_cluster(user, cluster) -> bool:
    """Manager of ``cluster`` (a Cluster); with no cluster given, manager of any cluster."""
    managed = current_roles(user).filter(role=Role.MANAGER)
    if cluster is None:
        return managed.exists()
    if not isinstance(cluster, Cluster):
        return False
    return managed.filter(cluster_id=cluster.pk).exists()


@rules.predicate
def manages_service_cluster(user, service) -> bool:
    return (
        service is not None
        and current_roles(user).filter(role=Role.MANAGER, cluster_id=service.cluster_id).exists()
    )


@rules.predicate
def manages_survey_cluster(user, survey) -> bool:
    return (
        survey is not None
        and current_roles(user).filter(role=Role.MANAGER, cluster_id=survey.cluster_id).exists()
    )


@rules.predicate
def manages_booking_cluster(user, booking) -> bool:
    return (
        booking is not None
        and current_roles(user)
        .filter(role=Role.MANAGER, cluster_id=booking.service.cluster_id)
        .exists()
    )


@rules.predicate
def manages_another_cluster(user, service) -> bool:
    """Manager of a cluster other than the service's (a cluster that could adopt it)."""
    return (
        service is not None
        and current_roles(user)
        .filter(role=Role.MANAGER)
        .exclude(cluster_id=service.cluster_id)
        .exists()
    )


@rules.predicate
def belongs_to_service_cluster(user, service) -> bool:
    """Any current role in the service's cluster (member users, organisation admins, managers)."""
    return (
        service is not None and current_roles(user).filter(cluster_id=service.cluster_id).exists()
    )


@rules.predicate
def belongs_to_survey_cluster(user, survey) -> bool:
    return survey is not None and current_roles(user).filter(cluster_id=survey.cluster_id).exists()


@rules.predicate
def is_bookable_now(_user, service) -> bool:
    return service is not None and service.is_offered and service.is_bookable


@rules.predicate
def is_in_library(_user, service) -> bool:
    return service is not None and service.is_shared and service.status in PROVEN


@rules.predicate
def has_used_service(user, service) -> bool:
    """A confirmed or attended booking of the service by the user, or by an organisation for which
    the user currently holds a role in the service's cluster."""
    if service is None or not is_authenticated(user):
        return False
    organisations = (
        current_roles(user)
        .filter(cluster_id=service.cluster_id, organisation__isnull=False)
        .values("organisation_id")
    )
    return Booking.objects.filter(
        Q(user=user) | Q(organisation_id__in=organisations), service=service, state__in=USED
    ).exists()


@rules.predicate
def is_own_booking(user, booking) -> bool:
    return booking is not None and is_authenticated(user) and booking.user_id == user.pk


@rules.predicate
def is_survey_open(_user, survey) -> bool:
    return survey is not None and survey.state == Survey.State.OPEN


# --- rules ---------------------------------------------------------------------------------------

office = is_platform_admin | manages_service_cluster

rules.add_perm("services.view_service", can_see_service)
# obj: the Cluster to add the service to; None asks "in any cluster?" (to show the button)
rules.add_perm("services.create_service", is_platform_admin | manages_cluster)
rules.add_perm("services.manage_service", office)
rules.add_perm(
    "services.adopt_service", is_in_library & (is_platform_admin | manages_another_cluster)
)

rules.add_perm("services.book", is_confirmed & belongs_to_service_cluster & is_bookable_now)
rules.add_perm("services.cancel_booking", is_own_booking)
rules.add_perm("services.manage_booking", is_platform_admin | manages_booking_cluster)
rules.add_perm(
    "services.give_feedback", is_confirmed & belongs_to_service_cluster & has_used_service
)

# obj: the Cluster of the survey; None asks "in any cluster?"
rules.add_perm("services.create_survey", is_platform_admin | manages_cluster)
rules.add_perm("services.view_survey", can_see_survey)
rules.add_perm("services.manage_survey", is_platform_admin | manages_survey_cluster)
rules.add_perm("services.answer_survey", is_confirmed & belongs_to_survey_cluster & is_survey_open)
rules.add_perm("services.view_survey_results", is_platform_admin | manages_survey_cluster)
