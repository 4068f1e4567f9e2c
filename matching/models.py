"""Marketplace of offers and requests, expressions of interest and stored text embeddings
(notifications live in the notifications app)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actors.models import Cluster, NaceSector, NutsRegion, Organisation


class PostingKind(models.TextChoices):
    TECHNOLOGY_OFFER = "tech_offer", _("Technology offer")
    TECHNOLOGY_REQUEST = "tech_request", _("Technology request")
    BUSINESS_COOPERATION = "business", _("Business cooperation")
    RD_PARTNER = "rd_partner", _("R&D partner search")
    SUPPLIER = "supplier", _("Supplier search")
    PROJECT_IDEA = "project_idea", _("Project idea seeking partners")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    CLUSTER = "cluster", _("Members of my cluster")
    ANONYMOUS = "anonymous", _("Anonymous (only the cluster office sees who we are)")


class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class Posting(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="postings",
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("brokering cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="postings",
        help_text=_("Its cluster office brokers introductions; required unless public."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="postings",
    )
    kind = models.CharField(_("type"), max_length=16, choices=PostingKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), help_text=_("In any language."))
    sectors = models.ManyToManyField(
        NaceSector, verbose_name=_("sectors"), related_name="postings", blank=True
    )
    regions_sought = models.ManyToManyField(
        NutsRegion,
        verbose_name=_("regions sought"),
        related_name="postings_seeking",
        blank=True,
        help_text=_("Leave empty to look everywhere."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PostingStatus.choices,
        default=PostingStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=40, blank=True, editable=False)
    embedded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:posting_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == PostingStatus.PUBLISHED

    @property
    def is_anonymous(self) -> bool:
        return self.visibility == Visibility.ANONYMOUS

    def embedding_text(self) -> str:
        return f"{self.title}. {self.description}"


class OrganisationEmbedding(models.Model):
    """The stored text embedding of an organisation profile (float32 bytes)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="matching_embedding"
    )
    vector = models.BinaryField()
    model = models.CharField(max_length=40)
    text_hash = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("organisation embedding")
        verbose_name_plural = _("organisation embeddings")

    def __str__(self):
        return f"{self.organisation_id} ({self.model})"


class Interest(models.Model):
    """An organisation's expression of interest in a posting; the cluster office may broker it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the cluster office")
        BROKERED = "brokered", _("Introduction made")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    posting = models.ForeignKey(
        Posting, verbose_name=_("posting"), on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("interested organisation"),
        on_delete=models.CASCADE,
        related_name="posting_interests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    broker_note = models.TextField(_("note from the cluster office"), blank=True)
    brokered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    brokered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "organisation"], name="one_interest_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} → {self.posting}"
