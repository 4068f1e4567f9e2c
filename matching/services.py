"""Domain services of the marketplace: posting lifecycle, expressions of interest and brokering
(people are told through notifications.services.notify). Who may do what is declared in rules.py;
every write function takes the acting user and checks the rule itself (core.policy.require)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import NutsRegion, Organisation
from actors.permissions import cluster_managers
from core import ratelimit
from core.idempotency import double_submit_cutoff
from core.policy import allowed, require
from notifications.services import notify

from . import anonymity, rules
from .models import Interest, Posting, PostingStatus

# -- who is who (the rules live in rules.py; these names are kept for the callers) ------------

user_organisations = rules.user_organisations
visible_postings = rules.visible_postings
open_postings = rules.open_postings


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


def shows_identity(user, posting) -> bool:
    return allowed(user, "matching.see_identity", posting)


def attach_identity(user, postings):
    """Set ``show_identity`` and ``public_country`` on each posting, with a constant number of
    queries: anonymous postings hide their organisation from viewers who are not entitled, and
    show at most the country, when that is k-anonymous (see anonymity.py)."""
    postings = list(postings)
    if not postings:
        return postings
    known = set(
        Posting.objects.filter(
            rules.identity_visible(user), pk__in=[p.pk for p in postings]
        ).values_list("pk", flat=True)
    )
    hidden = [p for p in postings if p.pk not in known]
    countries = anonymity.public_countries(hidden)
    for posting in postings:
        posting.show_identity = posting.pk in known
        if posting.show_identity:
            posting.public_country = posting.organisation.region.code[:2]
        else:
            posting.public_country = countries.get(posting.pk, "")
    names = (
        dict(
            NutsRegion.objects.filter(code__in={c for c in countries.values() if c}).values_list(
                "code", "name"
            )
        )
        if any(countries.values())
        else {}
    )
    for posting in postings:
        posting.public_country_name = names.get(posting.public_country, "")
    return postings


def filter_postings(qs, user, *, kind="", sector="", country=""):
    """The marketplace filters, for the page and the API alike. The country filter treats the
    anonymous postings the user may not identify by their shown country only (anonymity.py)."""
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(
            pk__in=Posting.sectors.through.objects.filter(
                nacesector__code__startswith=sector.strip().upper()
            ).values("posting_id")
        )
    if country and country.strip():
        qs = qs.filter(anonymity.country_filter(user, country))
    return qs


# -- posting lifecycle -----------------------------------------------------------------------


def _schedule_embedding(posting):
    from .tasks import embed_posting

    transaction.on_commit(lambda: embed_posting.enqueue(posting.pk))


def _rate_key(user) -> str:
    return f"user:{user.pk}"


def _recent_duplicate(user, organisation, data) -> Posting | None:
    """A posting of the same author and organisation with the same content, created just now."""
    return (
        Posting.objects.filter(
            author=user,
            organisation=organisation,
            kind=data.get("kind"),
            title=data.get("title"),
            description=data.get("description"),
            created_at__gte=double_submit_cutoff(),
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def save_posting(user, form, publish: bool = False) -> Posting:
    """Create or update a posting from a valid PostingForm.

    Creating: the user must act for the chosen organisation; a second identical submission of the
    same author within a minute returns the first posting instead of creating another (the
    organisation row is locked, so parallel double submits are serialised)."""
    data = form.cleaned_data
    organisation = data["organisation"]
    if form.instance.pk is None:
        require(user, "matching.create_posting", organisation)
        ratelimit.hit("posting", _rate_key(user))
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        duplicate = _recent_duplicate(user, organisation, data)
        if duplicate is not None:
            return duplicate
        posting = form.save(commit=False)
        posting.author = user
    else:
        stored = Posting.objects.select_for_update().get(pk=form.instance.pk)
        require(user, "matching.edit_posting", stored)
        if organisation.pk != stored.organisation_id:
            require(user, "matching.create_posting", organisation)
        posting = form.save(commit=False)
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
def change_status(user, posting, status) -> Posting:
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    require(user, "matching.edit_posting", posting)
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
    """The daily job (no acting user): postings past their deadline expire."""
    today = today or timezone.localdate()
    return Posting.objects.filter(status=PostingStatus.PUBLISHED, deadline__lt=today).update(
        status=PostingStatus.EXPIRED, updated_at=timezone.now()
    )


# -- interests and brokering -----------------------------------------------------------------


@transaction.atomic
def express_interest(user, posting, organisation, message: str) -> Interest:
    """The user expresses interest in the posting on behalf of one of their organisations.

    Idempotent: the same message of the same user for the same organisation, sent again within a
    minute (a double submit), returns the first expression of interest."""
    require(user, "matching.express_interest", posting)
    require(user, "matching.act_for_organisation", organisation)
    ratelimit.hit("interest", _rate_key(user))
    # Lock only the posting row: PostgreSQL cannot lock the nullable side of the cluster join.
    posting = (
        Posting.objects.select_for_update(of=("self",)).select_related("cluster").get(pk=posting.pk)
    )
    if organisation.pk == posting.organisation_id:
        raise ValidationError(_("You cannot express interest in your own posting."))
    existing = Interest.objects.filter(posting=posting, organisation=organisation).first()
    if existing is not None:
        if (
            existing.user_id == user.pk
            and existing.message == message
            and existing.created_at >= double_submit_cutoff()
        ):
            return existing
        raise ValidationError(_("Your organisation has already expressed interest."))
    if not posting.is_open or (posting.deadline and posting.deadline < timezone.localdate()):
        raise ValidationError(_("This posting no longer accepts expressions of interest."))
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                posting=posting, organisation=organisation, user=user, message=message
            )
    except IntegrityError as error:  # a parallel request of another user won the race
        raise ValidationError(_("Your organisation has already expressed interest.")) from error
    recipients = cluster_managers(posting.cluster) if posting.cluster_id else None
    if not recipients:
        recipients = organisation_users([posting.organisation_id])
    notify(
        recipients,
        "matching.interest_expressed",
        link=posting.get_absolute_url(),
        organisation=organisation.name,
        title=posting.title,
    )
    return interest


def _locked_pending(user, interest) -> Interest:
    interest = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("posting__cluster", "posting__organisation", "organisation")
        .get(pk=interest.pk)
    )
    require(user, "matching.broker_interest", interest)
    if interest.status != Interest.Status.PENDING:
        raise ValidationError(_("This expression of interest has already been handled."))
    return interest


@transaction.atomic
def broker_interest(user, interest, note: str = "") -> Interest:
    """The cluster office introduces both sides: both get notified, the posting is matched."""
    interest = _locked_pending(user, interest)
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
        "matching.interest_brokered_to_poster",
        link=link,
        organisation=interest.organisation.name,
        title=posting.title,
    )
    notify(
        organisation_users([interest.organisation_id]),
        "matching.interest_brokered",
        link=link,
        organisation=posting.organisation.name,
        title=posting.title,
    )
    return interest


@transaction.atomic
def decline_interest(user, interest, note: str = "") -> Interest:
    interest = _locked_pending(user, interest)
    interest.status = Interest.Status.DECLINED
    interest.brokered_by = user
    interest.brokered_at = timezone.now()
    interest.broker_note = note
    interest.save()
    notify(
        organisation_users([interest.organisation_id]),
        "matching.interest_declined",
        link=interest.posting.get_absolute_url(),
        title=interest.posting.title,
    )
    return interest
