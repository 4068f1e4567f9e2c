"""Actor registry: organisations, people, clusters, memberships and roles.

Reference vocabularies (NACE Rev. 2 sectors, NUTS 2021 regions) are loaded from files shipped in
actors/data by a data migration.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .logos import logo_upload_to
from .text import normalise_for_search


def _in_language(obj, field: str) -> str:
    """The value of `<field>_<lang>` for the active language, falling back to the other one."""
    lang = "en" if (get_language() or "de").startswith("en") else "de"
    other = "de" if lang == "en" else "en"
    return getattr(obj, f"{field}_{lang}") or getattr(obj, f"{field}_{other}")


MAX_EMPLOYEES = 10_000_000
MIN_FOUNDED, MAX_FOUNDED = 1000, 2100

employees_validator = MaxValueValidator(
    MAX_EMPLOYEES, _("Please enter at most %(limit_value)s employees.")
)
FOUNDED_VALIDATORS = [
    MinValueValidator(MIN_FOUNDED, _("Please enter a year between 1000 and 2100.")),
    MaxValueValidator(MAX_FOUNDED, _("Please enter a year between 1000 and 2100.")),
]


class HelixType(models.TextChoices):
    BUSINESS = "business", _("Business")
    RESEARCH = "research", _("Research and education")
    PUBLIC = "public", _("Public administration")
    CIVIL = "civil", _("Civil society")


class NaceSector(models.Model):
    """NACE Rev. 2 section (level 1, e.g. "C") or division (level 2, e.g. "C28")."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name_de = models.CharField(_("name (German)"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NACE sector")
        verbose_name_plural = _("NACE sectors")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self):
        return _in_language(self, "name")


class NutsRegion(models.Model):
    """NUTS 2021 region. Codes are hierarchical: DE1 contains DE11, DE11 is in country DE."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NUTS region")
        verbose_name_plural = _("NUTS regions")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def country_code(self):
        return self.code[:2]


class Competence(models.Model):
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _in_language(self, "name")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=270, unique=True)
    helix_type = models.CharField(
        _("helix type"), max_length=16, choices=HelixType.choices, db_index=True
    )
    is_sme = models.BooleanField(
        _("SME"), default=False, help_text=_("Small or medium-sized enterprise")
    )
    sectors = models.ManyToManyField(
        NaceSector, verbose_name=_("NACE sectors"), related_name="organisations", blank=True
    )
    region = models.ForeignKey(
        NutsRegion,
        verbose_name=_("NUTS region"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), related_name="organisations", blank=True
    )
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[employees_validator]
    )
    founded = models.PositiveSmallIntegerField(
        _("founded (year)"), null=True, blank=True, validators=FOUNDED_VALIDATORS
    )
    logo = models.ImageField(
        _("logo"), upload_to=logo_upload_to, blank=True, editable=False, max_length=200
    )
    logo_thumb = models.ImageField(
        _("logo thumbnail"), upload_to=logo_upload_to, blank=True, editable=False, max_length=200
    )
    search_document = models.TextField(editable=False, default="")
    # Organisations registered by users themselves stay unverified (null) until the office of a
    # cluster they are an active member of, or a platform admin, verifies them.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actors:organisation_detail", args=[self.slug])

    @property
    def description(self):
        return _in_language(self, "description")

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def build_search_document(self, sectors=None, competences=None) -> str:
        """Normalised text the directory search matches against (name, place, topics)."""
        sectors = self.sectors.all() if sectors is None else sectors
        competences = self.competences.all() if competences is None else competences
        parts = [self.name, self.city, self.description_de, self.description_en]
        if self.region_id:
            parts.append(self.region.name)
        for sector in sectors:
            parts += [sector.code, sector.name_de, sector.name_en]
        for competence in competences:
            parts += [competence.name_de, competence.name_en]
        return normalise_for_search(" ".join(p for p in parts if p))

    def refresh_search_document(self):
        self.search_document = self.build_search_document()
        Organisation.objects.filter(pk=self.pk).update(search_document=self.search_document)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name)
        super().save(*args, **kwargs)


class Cluster(models.Model):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=270, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    managing_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cluster management organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_clusters",
    )
    innovation_field = models.CharField(_("innovation field"), max_length=200)
    region = models.ForeignKey(
        NutsRegion, verbose_name=_("region"), on_delete=models.PROTECT, related_name="clusters"
    )
    sectors = models.ManyToManyField(
        NaceSector, verbose_name=_("NACE sectors"), related_name="clusters", blank=True
    )
    profile_de = models.TextField(_("profile (German)"), blank=True)
    profile_en = models.TextField(_("profile (English)"), blank=True)
    strategy_goals_de = models.TextField(
        _("strategy goals (German)"), blank=True, help_text=_("One goal per line")
    )
    strategy_goals_en = models.TextField(
        _("strategy goals (English)"), blank=True, help_text=_("One goal per line")
    )
    website = models.URLField(_("website"), blank=True)
    founded = models.PositiveSmallIntegerField(
        _("founded (year)"), null=True, blank=True, validators=FOUNDED_VALIDATORS
    )
    logo = models.ImageField(
        _("logo"), upload_to=logo_upload_to, blank=True, editable=False, max_length=200
    )
    logo_thumb = models.ImageField(
        _("logo thumbnail"), upload_to=logo_upload_to, blank=True, editable=False, max_length=200
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actors:cluster_detail", args=[self.slug])

    @property
    def profile(self):
        return _in_language(self, "profile")

    @property
    def strategy_goals(self) -> list[str]:
        text = _in_language(self, "strategy_goals")
        return [line.strip() for line in text.splitlines() if line.strip()]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Cluster, self.name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """An organisation's membership in a cluster, with consent on both sides.

    The cluster office invites an organisation (its admins accept or decline), or an organisation's
    admin applies (the office accepts or declines). Only ACTIVE memberships count anywhere.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    since = models.DateField(_("member since"), null=True, blank=True)
    # New rows are never active by default: activation needs the other side's consent.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    message = models.TextField(
        _("message"), blank=True, help_text=_("The invitation or application message.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation"], name="unique_membership_per_cluster"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.organisation} @ {self.cluster}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_MEMBERSHIP


MembershipStatus = Membership.Status

#: Allowed moves of a membership's status (from -> the statuses it may go to).
MEMBERSHIP_TRANSITIONS = {
    MembershipStatus.INVITED: [MembershipStatus.ACTIVE, MembershipStatus.DECLINED],
    MembershipStatus.APPLIED: [MembershipStatus.ACTIVE, MembershipStatus.DECLINED],
    MembershipStatus.ACTIVE: [MembershipStatus.ENDED],
    MembershipStatus.DECLINED: [MembershipStatus.INVITED, MembershipStatus.APPLIED],
    MembershipStatus.ENDED: [MembershipStatus.INVITED, MembershipStatus.APPLIED],
}

PENDING_MEMBERSHIP = (MembershipStatus.INVITED, MembershipStatus.APPLIED)


class MembershipEvent(models.Model):
    """Who moved a membership from which status to which, when, and why."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=Membership.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Membership.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    def __str__(self):
        return f"{self.membership}: {self.from_status or '–'} → {self.to_status}"


class Person(models.Model):
    """A contact person of an organisation; may be linked to a user account."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="people",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_profiles",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), related_name="people", blank=True
    )
    is_admin = models.BooleanField(
        _("may edit the organisation profile"),
        default=False,
    )
    is_public = models.BooleanField(
        _("show name publicly"),
        default=False,
        help_text=_("Contact details are only ever shown to members of the same cluster."),
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name


class Collaboration(models.Model):
    """A known relation between two organisations (joint project, supply, research contract)."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Joint project")
        SUPPLY = "supply", _("Supplier relation")
        RESEARCH = "research", _("Research contract")
        OTHER = "other", _("Other cooperation")

    organisation_a = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="collaborations_as_a"
    )
    organisation_b = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="collaborations_as_b"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PROJECT)
    title = models.CharField(_("title"), max_length=250, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organisation_a=models.F("organisation_b")),
                name="collaboration_between_two_organisations",
            )
        ]

    def __str__(self):
        return f"{self.organisation_a} – {self.organisation_b}"


class ClusterRole(models.Model):
    """What a user may do in a cluster.

    - manager: staff of the cluster management organisation; edits the cluster and its memberships.
    - member_org_admin: administers the profile of one member organisation.
    - member_user: works at a member organisation; sees members' contact details.
    """

    class Role(models.TextChoices):
        MANAGER = "manager", _("Cluster manager")
        MEMBER_ORG_ADMIN = "member_org_admin", _("Member organisation admin")
        MEMBER_USER = "member_user", _("Member user")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_roles"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="user_roles",
        help_text=_("The member organisation, for member roles."),
    )

    class Meta:
        verbose_name = _("cluster role")
        verbose_name_plural = _("cluster roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cluster", "role", "organisation"], name="unique_cluster_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role="manager") | models.Q(organisation__isnull=False),
                name="member_roles_need_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.cluster}"


def unique_slug(model, name: str) -> str:
    base = slugify(name)[:250] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
