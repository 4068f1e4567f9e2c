"""Domain rules of the marketplace: who may see and do what, posting lifecycle, expressions of
interest, brokering and notifications."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors import permissions as actor_permissions
from actors.models import Organisation
from core.links import absolute_url

from .models import Interest, Notification, Posting, PostingStatus, Visibility

# -- who is who ------------------------------------------------------------------------------


def user_organisations(user):
    """Organisations the user acts for (member roles or a linked contact person)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(Q(user_roles__user=user) | Q(people__user=user))
        .distinct()
        .order_by("name")
    )


def organisation_users(organisation_ids):
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(cluster_roles__organisation_id__in=organisation_ids)
            | Q(person_profiles__organisation_id__in=organisation_ids)
        )
        .distinct()
    )


def cluster_managers(cluster):
    User = get_user_model()
    if cluster is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, cluster_roles__cluster=cluster, cluster_roles__role="manager"
    ).distinct()


def can_post_for(user, organisation) -> bool:
    if actor_permissions.is_platform_admin(user):
        return True
    return user_organisations(user).filter(pk=organisation.pk).exists()


def is_owner(user, posting) -> bool:
    if not user.is_authenticated:
        return False
    if posting.author_id == user.pk or actor_permissions.is_platform_admin(user):
        return True
    return user_organisations(user).filter(pk=posting.organisation_id).exists()


def is_broker(user, posting) -> bool:
    """The cluster office of the posting's cluster; without a cluster, the posting's owners."""
    if posting.cluster_id is None:
        return is_owner(user, posting)
    return actor_permissions.is_cluster_manager(user, posting.cluster)


def can_view(user, posting) -> bool:
    if posting.status == PostingStatus.DRAFT:
        return is_owner(user, posting)
    if posting.visibility == Visibility.CLUSTER:
        return (
            posting.cluster_id in actor_permissions.member_cluster_ids(user)
            or is_owner(user, posting)
            or actor_permissions.is_platform_admin(user)
        )
    return True


def shows_identity(user, posting) -> bool:
    return not posting.is_anonymous or is_owner(user, posting) or is_broker(user, posting)


def visible_postings(user, statuses=(PostingStatus.PUBLISHED,)):
    """Postings the user may see in the marketplace (drafts only their own)."""
    open_to_user = Q(visibility__in=[Visibility.PUBLIC, Visibility.ANONYMOUS])
    if actor_permissions.is_platform_admin(user):
        open_to_user = Q()
    elif user.is_authenticated:
        open_to_user |= Q(
            visibility=Visibility.CLUSTER, cluster_id__in=actor_permissions.member_cluster_ids(user)
        )
    own = Q(pk__in=[])
    if user.is_authenticated:
        own = Q(organisation__in=user_organisations(user)) | Q(author=user)
    overdue = Q(status=PostingStatus.PUBLISHED, deadline__lt=timezone.localdate())
    return (
        Posting.objects.filter((Q(status__in=statuses) & open_to_user) | own)
        .exclude(overdue & ~own)
        .distinct()
    )


# -- notifications ---------------------------------------------------------------------------


def notify(users, message, link: str = "", **params):
    """In-app notification plus e-mail for each user, in the user's preferred language.

    `message` is a translatable (lazy) string with %(name)s placeholders filled from params."""
    notifications = []
    for user in users:
        with translation.override(getattr(user, "preferred_language", None) or "de"):
            text = str(message) % {k: str(v) for k, v in params.items()}
            subject = _("OpenRegion marketplace: %(text)s") % {"text": text[:80]}
        notifications.append(Notification(recipient=user, text=text[:500], link=link))
        if user.email:
            body = f"{text}\n\n{absolute_url(link)}" if link else text
            send_mail(subject, body, None, [user.email], fail_silently=True)
    Notification.objects.bulk_create(notifications)
    return notifications


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(user, notification_id=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


# -- posting lifecycle -----------------------------------------------------------------------


def _schedule_embedding(posting):
    from .tasks import embed_posting

    transaction.on_commit(lambda: embed_posting.enqueue(posting.pk))


@transaction.atomic
def save_posting(form, user, publish: bool = False) -> Posting:
    posting = form.save(commit=False)
    if posting.author_id is None:
        posting.author = user
    if publish and posting.status == PostingStatus.DRAFT:
        posting.status = PostingStatus.PUBLISHED
        posting.published_at = timezone.now()
    posting.save()
    form.save_m2m()
    _schedule_embedding(posting)
    return posting


ALLOWED_TRANSITIONS = {
    PostingStatus.DRAFT: {PostingStatus.PUBLISHED, PostingStatus.CLOSED},
    PostingStatus.PUBLISHED: {PostingStatus.MATCHED, PostingStatus.CLOSED, PostingStatus.EXPIRED},
    PostingStatus.MATCHED: {PostingStatus.PUBLISHED, PostingStatus.CLOSED},
    PostingStatus.EXPIRED: {PostingStatus.PUBLISHED, PostingStatus.CLOSED},
    PostingStatus.CLOSED: set(),
}


@transaction.atomic
def change_status(posting, status) -> Posting:
    if status not in ALLOWED_TRANSITIONS[posting.status]:
        raise ValidationError(_("This change of status is not possible."))
    if status == PostingStatus.PUBLISHED:
        if posting.deadline and posting.deadline < timezone.localdate():
            raise ValidationError(_("The deadline has passed; set a new deadline first."))
        posting.published_at = posting.published_at or timezone.now()
    posting.status = status
    posting.save(update_fields=["status", "published_at", "updated_at"])
    return posting


@transaction.atomic
def expire_postings(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return Posting.objects.filter(status=PostingStatus.PUBLISHED, deadline__lt=today).update(
        status=PostingStatus.EXPIRED, updated_at=timezone.now()
    )


# -- interests and brokering -----------------------------------------------------------------


@transaction.atomic
def express_interest(posting, organisation, user, message: str) -> Interest:
    if not posting.is_open:
        raise ValidationError(_("This posting no longer accepts expressions of interest."))
    if organisation.pk == posting.organisation_id:
        raise ValidationError(_("You cannot express interest in your own posting."))
    if Interest.objects.filter(posting=posting, organisation=organisation).exists():
        raise ValidationError(_("Your organisation has already expressed interest."))
    interest = Interest.objects.create(
        posting=posting, organisation=organisation, user=user, message=message
    )
    recipients = cluster_managers(posting.cluster) if posting.cluster_id else None
    if not recipients:
        recipients = organisation_users([posting.organisation_id])
    notify(
        recipients,
        gettext_lazy("%(organisation)s is interested in “%(title)s”."),
        link=posting.get_absolute_url(),
        organisation=organisation.name,
        title=posting.title,
    )
    return interest


@transaction.atomic
def broker_interest(interest, user, note: str = "") -> Interest:
    """The cluster office introduces both sides: both get notified, the posting is matched."""
    if interest.status != Interest.Status.PENDING:
        raise ValidationError(_("This expression of interest has already been handled."))
    interest.status = Interest.Status.BROKERED
    interest.brokered_by = user
    interest.brokered_at = timezone.now()
    interest.broker_note = note
    interest.save()
    posting = interest.posting
    if posting.status == PostingStatus.PUBLISHED:
        posting.status = PostingStatus.MATCHED
        posting.save(update_fields=["status", "updated_at"])
    link = posting.get_absolute_url()
    notify(
        organisation_users([posting.organisation_id]),
        gettext_lazy("Introduction: %(organisation)s would like to work with you on “%(title)s”."),
        link=link,
        organisation=interest.organisation.name,
        title=posting.title,
    )
    notify(
        organisation_users([interest.organisation_id]),
        gettext_lazy(
            "Introduction: your interest in “%(title)s” was passed on to %(organisation)s."
        ),
        link=link,
        organisation=posting.organisation.name,
        title=posting.title,
    )
    return interest


@transaction.atomic
def decline_interest(interest, user, note: str = "") -> Interest:
    if interest.status != Interest.Status.PENDING:
        raise ValidationError(_("This expression of interest has already been handled."))
    interest.status = Interest.Status.DECLINED
    interest.brokered_by = user
    interest.brokered_at = timezone.now()
    interest.broker_note = note
    interest.save()
    notify(
        organisation_users([interest.organisation_id]),
        gettext_lazy("Your interest in “%(title)s” was not passed on."),
        link=interest.posting.get_absolute_url(),
        title=interest.posting.title,
    )
    return interest
