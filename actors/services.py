"""Write use cases of the actor registry.

Every function takes the acting user, checks the rule itself (core.policy.require → 403) and runs in
one transaction. Memberships move only along MEMBERSHIP_TRANSITIONS and every move is logged as a
MembershipEvent; the organisation's admins (and the cluster's office) are notified after commit.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.idempotency import double_submit_cutoff
from core.policy import require

from . import logos, permissions
from .models import (
    MEMBERSHIP_TRANSITIONS,
    Cluster,
    ClusterRole,
    Membership,
    MembershipEvent,
    Organisation,
    Person,
)

Status = Membership.Status


class RuleError(Exception):
    """A request that breaks a rule of the registry (lifecycle, last admin …); the message is shown to the user."""


def _notify(users, kind: str, link: str = "", **params) -> None:
    """In-app notification of a registered kind (notifications/kinds.py), in this transaction; the
    e-mails follow once it has committed (notifications.services.notify)."""
    from notifications.services import notify

    notify(users, kind, link, **params)


def _org_admins_or_platform_admins(organisation):
    admins = list(permissions.organisation_admins(organisation))
    return admins or list(permissions.platform_admins())


# -- organisations ---------------------------------------------------------------------------


@transaction.atomic
def save_organisation(user, form) -> Organisation:
    """Save an organisation form (with its sectors and competences) and refresh its search text.

    Whoever creates an organisation is recorded as its contact person and becomes its admin. A
    double submit of the create form returns the organisation the first submit created."""
    is_new = form.instance.pk is None
    if is_new:
        require(user, "actors.create_organisation")
        # Serialise this user's create requests, then look for the one a moment ago.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        recent = (
            Organisation.objects.filter(
                name=form.cleaned_data["name"],
                people__user=user,
                people__is_admin=True,
                created_at__gte=double_submit_cutoff(),
            )
            .order_by("pk")
            .first()
        )
        if recent is not None:
            return recent
    else:
        require(user, "actors.edit_organisation", form.instance)
    organisation = form.save()
    logos.apply_form(organisation, form.cleaned_data)
    if is_new and permissions.is_platform_admin(user):
        # Registered by a platform admin: verified by the one who may verify it anyway.
        Organisation.objects.filter(pk=organisation.pk).update(
            verified_at=timezone.now(), verified_by=user
        )
        organisation.refresh_from_db(fields=["verified_at", "verified_by"])
    organisation.refresh_search_document()
    if is_new:
        Person.objects.create(
            organisation=organisation,
            user=user,
            full_name=user.get_full_name(),
            email=user.email,
            is_admin=True,
        )
    return organisation


@transaction.atomic
def verify_organisation(user, organisation: Organisation) -> Organisation:
    """The office of a cluster the organisation is an active member of, or a platform admin,
    confirms that a self-registered organisation is real. Verifying twice changes nothing."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verified_at is not None:
        return organisation
    require(user, "actors.verify_organisation", organisation)
    organisation.verified_at = timezone.now()
    organisation.verified_by = user
    organisation.save(update_fields=["verified_at", "verified_by"])
    _notify(
        permissions.organisation_admins(organisation),
        "actors.organisation_verified",
        organisation.get_absolute_url(),
        organisation=organisation.name,
    )
    return organisation


@transaction.atomic
def add_person(user, organisation: Organisation, form) -> Person:
    """Add a contact person; the same person submitted twice is stored once."""
    require(user, "actors.manage_people", organisation)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    data = form.cleaned_data
    existing = (
        organisation.people.filter(
            full_name=data["full_name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            job_title=data.get("job_title", ""),
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    person = form.save(commit=False)
    person.organisation = organisation
    person.save()
    return person


@transaction.atomic
def delete_person(user, person: Person) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=person.organisation_id)
    require(user, "actors.manage_people", organisation)
    was_admin = person.is_admin and person.user_id is not None
    if was_admin:
        remaining = (
            permissions.organisation_admins(organisation).exclude(pk=person.user_id).exists()
        )
        if not remaining:
            raise RuleError(
                _("This person is the organisation's last administrator and cannot be removed.")
            )
    admins = list(permissions.organisation_admins(organisation))
    person.delete()
    if was_admin:
        _notify(
            admins,
            "actors.admin_removed",
            organisation.get_absolute_url(),
            person=person.full_name,
            organisation=organisation.name,
        )


# -- membership lifecycle --------------------------------------------------------------------


def _move(membership: Membership, to_status: str, actor, note: str = "") -> Membership:
    """Move a (locked) membership along the transition table and log who did it."""
    from_status = membership.status
    if to_status not in MEMBERSHIP_TRANSITIONS.get(from_status, []):
        raise RuleError(
            _("A membership that is “%(status)s” cannot become “%(target)s”.")
            % {
                "status": Status(from_status).label,
                "target": Status(to_status).label,
            }
        )
    membership.status = to_status
    fields = ["status"]
    if to_status == Status.ACTIVE:
        membership.since = timezone.localdate()
        fields.append("since")
    if to_status in (Status.INVITED, Status.APPLIED):
        membership.message = note
        fields.append("message")
    membership.save(update_fields=fields)
    MembershipEvent.objects.create(
        membership=membership, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    return membership


def _locked_pair(cluster: Cluster, organisation: Organisation) -> Membership | None:
    """Lock the organisation row (serialises concurrent requests) and return its membership."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    return (
        Membership.objects.select_for_update()
        .filter(cluster=cluster, organisation=organisation)
        .first()
    )


def _is_double_submit(membership: Membership, to_status, actor, note) -> bool:
    """The same person sent the same request a moment ago (a double click, a resent form)."""
    if membership.status != to_status or (membership.message or "") != (note or ""):
        return False
    last = membership.events.order_by("-at", "-id").first()
    return bool(
        last
        and last.to_status == to_status
        and last.actor_id == getattr(actor, "pk", None)
        and last.at > double_submit_cutoff()
    )


def _start(cluster, organisation, to_status, actor, note) -> tuple[Membership, bool]:
    """Open an invitation or application; a double submit returns the request already opened.

    Returns the membership and whether this call opened the request."""
    note = (note or "").strip()
    membership = _locked_pair(cluster, organisation)
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    cluster=cluster, organisation=organisation, status=to_status, message=note
                )
                MembershipEvent.objects.create(
                    membership=membership, from_status="", to_status=to_status, actor=actor,
                    note=note,
                )  # fmt: skip
            return membership, True
        except IntegrityError:
            # A parallel request opened it first.
            membership = Membership.objects.get(cluster=cluster, organisation=organisation)
    if _is_double_submit(membership, to_status, actor, note):
        return membership, False
    if membership.status == Status.ACTIVE:
        raise RuleError(_("This organisation is already a member."))
    if membership.status == Status.INVITED:
        raise RuleError(
            _(
                "This organisation has already been invited; the invitation is waiting for an answer."
            )
        )
    if membership.status == Status.APPLIED:
        raise RuleError(
            _("This organisation has already applied; the application is waiting for an answer.")
        )
    return _move(membership, to_status, actor, note), True


@transaction.atomic
def invite_organisation(user, cluster: Cluster, organisation: Organisation, message: str = ""):
    """The office invites an organisation; it becomes a member only when its admins accept.

    An organisation without any admin cannot consent itself: a platform admin confirms instead."""
    require(user, "actors.manage_memberships", cluster)
    membership, opened = _start(cluster, organisation, Status.INVITED, user, message)
    if not opened:
        return membership
    recipients = _org_admins_or_platform_admins(organisation)
    _notify(
        recipients,
        "actors.membership_invited",
        organisation.get_absolute_url(),
        cluster=cluster.name,
        organisation=organisation.name,
    )
    return membership


@transaction.atomic
def respond_to_invitation(user, membership: Membership, accept: bool, note: str = ""):
    """The organisation's admins (or a platform admin if it has none) accept or decline."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    require(user, "actors.respond_to_invitation", membership)
    _move(membership, Status.ACTIVE if accept else Status.DECLINED, user, note)
    kind = "actors.invitation_accepted" if accept else "actors.invitation_declined"
    _notify(
        [*permissions.cluster_managers(membership.cluster),
         *permissions.organisation_admins(membership.organisation)],
        kind,
        membership.cluster.get_absolute_url(),
        organisation=membership.organisation.name,
        cluster=membership.cluster.name,
    )  # fmt: skip
    return membership


@transaction.atomic
def apply_for_membership(user, cluster: Cluster, organisation: Organisation, message: str = ""):
    """An organisation's admin applies; the cluster's office accepts or declines."""
    require(user, "actors.apply_for_membership", organisation)
    membership, opened = _start(cluster, organisation, Status.APPLIED, user, message)
    if not opened:
        return membership
    _notify(
        [*permissions.cluster_managers(cluster), *permissions.organisation_admins(organisation)],
        "actors.membership_applied",
        reverse("actors:cluster_manage", args=[cluster.slug]),
        organisation=organisation.name,
        cluster=cluster.name,
    )
    return membership


@transaction.atomic
def decide_application(user, membership: Membership, accept: bool, note: str = ""):
    """The cluster's office accepts or declines an application; the applicant is told."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    require(user, "actors.decide_application", membership)
    _move(membership, Status.ACTIVE if accept else Status.DECLINED, user, note)
    kind = "actors.application_accepted" if accept else "actors.application_declined"
    _notify(
        permissions.organisation_admins(membership.organisation),
        kind,
        membership.organisation.get_absolute_url(),
        organisation=membership.organisation.name,
        cluster=membership.cluster.name,
    )
    return membership


@transaction.atomic
def end_membership(user, membership: Membership, note: str = "") -> Membership:
    """The office ends a membership or the organisation leaves; member roles bound to it go."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    require(user, "actors.end_membership", membership)
    admins = list(permissions.organisation_admins(membership.organisation))
    _move(membership, Status.ENDED, user, note)
    # Member roles bound to this organisation lose their meaning in this cluster.
    ClusterRole.objects.filter(
        cluster=membership.cluster, organisation=membership.organisation
    ).exclude(role=ClusterRole.Role.MANAGER).delete()
    _notify(
        [*admins, *permissions.cluster_managers(membership.cluster)],
        "actors.membership_ended",
        membership.organisation.get_absolute_url(),
        organisation=membership.organisation.name,
        cluster=membership.cluster.name,
    )
    return membership


# -- roles -----------------------------------------------------------------------------------


@transaction.atomic
def grant_role(user, cluster: Cluster, grantee, role: str, organisation=None) -> ClusterRole:
    """Manager roles are granted by the cluster's office; member roles for an organisation only by
    that organisation's admins (or platform admins), and only while it is an active member."""
    if role == ClusterRole.Role.MANAGER:
        require(user, "actors.manage_memberships", cluster)
        organisation = None
    else:
        if organisation is None:
            raise RuleError(_("Choose the member organisation for this role."))
        require(user, "actors.manage_people", organisation)
        if not Membership.objects.filter(
            cluster=cluster, organisation=organisation, status=Status.ACTIVE
        ).exists():
            raise RuleError(_("The organisation is not an active member of this cluster."))
    cluster_role, created = ClusterRole.objects.get_or_create(
        user=grantee, cluster=cluster, role=role, organisation=organisation
    )
    if created:
        _notify_role_change(cluster_role, granted=True)
    return cluster_role


@transaction.atomic
def revoke_role(user, cluster_role: ClusterRole) -> None:
    require(user, "actors.revoke_role", cluster_role)
    if cluster_role.role == ClusterRole.Role.MEMBER_ORG_ADMIN:
        organisation = Organisation.objects.select_for_update().get(pk=cluster_role.organisation_id)
        others = ClusterRole.objects.filter(
            role=ClusterRole.Role.MEMBER_ORG_ADMIN, organisation=organisation
        ).exclude(pk=cluster_role.pk)
        people = organisation.people.filter(is_admin=True, user__isnull=False)
        if not others.exists() and not people.exclude(user=cluster_role.user).exists():
            raise RuleError(
                _("This is the organisation's last administrator; the role cannot be revoked.")
            )
    _notify_role_change(cluster_role, granted=False)
    cluster_role.delete()


def _notify_role_change(cluster_role: ClusterRole, granted: bool) -> None:
    # the role is stored as its code, a person without a name as their number: both are
    # translated when read (notifications/kinds.py)
    params = {
        "user": (cluster_role.user.full_name or "").strip(),
        "user_number": cluster_role.user_id,
        "role": cluster_role.role,
        "cluster": cluster_role.cluster.name,
    }
    if cluster_role.organisation_id:
        organisation = cluster_role.organisation
        kind = "actors.organisation_role_granted" if granted else "actors.organisation_role_revoked"
        recipients = [*permissions.organisation_admins(organisation), cluster_role.user]
        _notify(
            recipients,
            kind,
            reverse("actors:organisation_roles", args=[organisation.slug]),
            organisation=organisation.name,
            **params,
        )
    else:
        kind = "actors.cluster_role_granted" if granted else "actors.cluster_role_revoked"
        _notify(
            [*permissions.cluster_managers(cluster_role.cluster), cluster_role.user],
            kind,
            cluster_role.cluster.get_absolute_url(),
            **params,
        )


# -- clusters --------------------------------------------------------------------------------


@transaction.atomic
def save_cluster(user, form) -> Cluster:
    require(user, "actors.edit_cluster", form.instance)
    cluster = form.save()
    logos.apply_form(cluster, form.cleaned_data)
    return cluster
