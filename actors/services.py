"""Write use cases of the actor registry. Each runs in one transaction."""

from django.db import transaction

from .models import Cluster, ClusterRole, Membership, Organisation, Person


@transaction.atomic
def save_organisation(form, created_by=None) -> Organisation:
    """Save an organisation form (with its sectors and competences) and refresh its search text.

    Whoever creates an organisation is recorded as its contact person and may edit it.
    """
    is_new = form.instance.pk is None
    organisation = form.save()
    organisation.refresh_search_document()
    if is_new and created_by is not None:
        Person.objects.create(
            organisation=organisation,
            user=created_by,
            full_name=created_by.get_full_name(),
            email=created_by.email,
            is_admin=True,
        )
    return organisation


@transaction.atomic
def add_membership(cluster: Cluster, organisation: Organisation, since=None) -> Membership:
    membership, created = Membership.objects.get_or_create(
        cluster=cluster,
        organisation=organisation,
        defaults={"since": since, "status": Membership.Status.ACTIVE},
    )
    if not created:
        membership.status = Membership.Status.ACTIVE
        membership.since = since or membership.since
        membership.save(update_fields=["status", "since"])
    return membership


@transaction.atomic
def end_membership(membership: Membership) -> None:
    membership.status = Membership.Status.ENDED
    membership.save(update_fields=["status"])
    # Member roles bound to this organisation lose their meaning in this cluster.
    ClusterRole.objects.filter(
        cluster=membership.cluster, organisation=membership.organisation
    ).exclude(role=ClusterRole.Role.MANAGER).delete()


@transaction.atomic
def grant_role(cluster: Cluster, user, role: str, organisation: Organisation | None = None):
    if role == ClusterRole.Role.MANAGER:
        organisation = None
    cluster_role, _ = ClusterRole.objects.get_or_create(
        user=user, cluster=cluster, role=role, organisation=organisation
    )
    return cluster_role
