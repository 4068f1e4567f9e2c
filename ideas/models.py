"""Open calls and idea competitions: calls, ideas, votes, comments, jury and scores."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import HelixType, Organisation, unique_slug
from core.bilingual import Localised, LocalisedLanguage


class HelixGroup(models.TextChoices):
    """The quadruple-helix groups (same values as actors.HelixType) for jury composition."""

    BUSINESS = HelixType.BUSINESS.value, _("Business")
    RESEARCH = HelixType.RESEARCH.value, _("Research and education")
    PUBLIC = HelixType.PUBLIC.value, _("Public administration")
    CIVIL = HelixType.CIVIL.value, _("Civil society")


class Phase(models.TextChoices):
    DRAFT = "draft", _("Not yet published")
    UPCOMING = "upcoming", _("Upcoming")
    SUBMISSION = "submission", _("Submission")
    VOTING = "voting", _("Community voting")
    JURY = "jury", _("Jury review")
    RESULTS = "results", _("Results")
    IMPLEMENTATION = "implementation", _("Implementation")
    BETWEEN = "between", _("Between phases")
    CLOSED = "closed", _("Closed")


# What each phase allows: the ONE table that says when an action on a call is possible. The rules in
# ideas/rules.py read it (together with who is acting) and the service functions enforce those rules.
#   submit    – submit new ideas and edit one's own ideas
#   comment   – comment on published ideas
#   vote      – cast and withdraw community votes
#   shortlist – organiser decisions on the shortlist and fixing it (never once a juror has scored)
#   score     – jurors score the shortlisted ideas and submit their scores
#   award     – organisers name awards and publish the results
#   implement – organisers report on the implementation of awarded ideas (results published)
PHASE_ALLOWS: dict[str, frozenset[str]] = {
    Phase.DRAFT: frozenset(),
    Phase.UPCOMING: frozenset(),
    Phase.SUBMISSION: frozenset({"submit", "comment", "shortlist"}),
    Phase.VOTING: frozenset({"vote", "comment", "shortlist"}),
    Phase.BETWEEN: frozenset({"comment", "shortlist"}),
    Phase.JURY: frozenset({"comment", "shortlist", "score", "award"}),
    Phase.RESULTS: frozenset({"comment", "award", "implement"}),
    Phase.IMPLEMENTATION: frozenset({"comment", "implement"}),
    Phase.CLOSED: frozenset(),
}
ACTIONS = frozenset().union(*PHASE_ALLOWS.values())

# Upper bounds of the numbers that size work (form fields, score scales, shortlist, votes)
MAX_SHORTLIST_SIZE = 200
MAX_VOTE_BUDGET = 1000
MAX_FILE_MB = 50
MAX_SCALE = 100
MAX_QUESTIONS = 20
MAX_CRITERIA = 20

# (phase, start field, end field) in chronological order
PHASE_FIELDS = [
    (Phase.SUBMISSION, "submission_opens", "submission_closes"),
    (Phase.VOTING, "voting_opens", "voting_closes"),
    (Phase.JURY, "jury_opens", "jury_closes"),
    (Phase.RESULTS, "results_on", "implementation_opens"),
    (Phase.IMPLEMENTATION, "implementation_opens", "implementation_closes"),
]


class Call(models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("description (English)"), blank=True)
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="calls"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="created_calls",
        verbose_name=_("created by"),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_calls",
        verbose_name=_("further managers"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    submission_opens = models.DateTimeField(_("submission opens"))
    submission_closes = models.DateTimeField(_("submission deadline"))
    voting_opens = models.DateTimeField(_("community voting opens"))
    voting_closes = models.DateTimeField(_("community voting closes"))
    jury_opens = models.DateTimeField(_("jury review opens"))
    jury_closes = models.DateTimeField(_("jury review closes"))
    results_on = models.DateTimeField(_("results announced"))
    implementation_opens = models.DateTimeField(_("implementation starts"))
    implementation_closes = models.DateTimeField(_("implementation ends"))
    allow_images = models.BooleanField(_("images allowed"), default=True)
    allow_video = models.BooleanField(_("video links allowed"), default=True)
    allow_attachments = models.BooleanField(_("file attachments (PDF) allowed"), default=True)
    max_file_mb = models.PositiveSmallIntegerField(
        _("maximum file size (MB)"),
        default=5,
        validators=[
            MinValueValidator(1, _("Files need at least 1 MB.")),
            MaxValueValidator(MAX_FILE_MB, _("Files can be at most %(limit_value)s MB.")),
        ],
    )
    shortlist_size = models.PositiveSmallIntegerField(
        _("shortlist size"),
        default=30,
        validators=[
            MinValueValidator(1, _("The shortlist needs at least one place.")),
            MaxValueValidator(
                MAX_SHORTLIST_SIZE, _("The shortlist can hold at most %(limit_value)s ideas.")
            ),
        ],
    )
    vote_budget = models.PositiveSmallIntegerField(
        _("votes per person"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: one vote per idea without limit. Otherwise: votes per person in total."
        ),
        validators=[
            MinValueValidator(
                1, _("Give each person at least one vote, or leave the field empty.")
            ),
            MaxValueValidator(
                MAX_VOTE_BUDGET, _("At most %(limit_value)s votes per person are possible.")
            ),
        ],
    )
    scale_min = models.PositiveSmallIntegerField(
        _("lowest score"),
        default=1,
        validators=[
            MaxValueValidator(MAX_SCALE - 1, _("The lowest score can be at most %(limit_value)s."))
        ],
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"),
        default=5,
        validators=[
            MaxValueValidator(MAX_SCALE, _("The highest score can be at most %(limit_value)s."))
        ],
    )
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    title_local = Localised("title")
    title_language = LocalisedLanguage("title")
    description_local = Localised("description")
    description_language = LocalisedLanguage("description")

    class Meta:
        ordering = ["-submission_opens"]
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ideas:call_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Call, self.title)
        super().save(*args, **kwargs)

    def phase(self, now=None) -> str:
        if not self.is_published:
            return Phase.DRAFT
        now = now or timezone.now()
        if now < self.submission_opens:
            return Phase.UPCOMING
        for phase, start, end in PHASE_FIELDS:
            if getattr(self, start) <= now < getattr(self, end):
                return phase
        if now >= self.implementation_closes:
            return Phase.CLOSED
        return Phase.BETWEEN

    @property
    def current_phase(self) -> str:
        return self.phase()

    def get_current_phase_display(self):
        return Phase(self.current_phase).label

    def phase_schedule(self):
        now = timezone.now()
        return [
            {
                "phase": phase,
                "label": Phase(phase).label,
                "start": getattr(self, start),
                "end": getattr(self, end),
                "current": getattr(self, start) <= now < getattr(self, end),
            }
            for phase, start, end in PHASE_FIELDS
        ]

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    @property
    def allowed_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024


def default_schedule(start):
    """A sensible schedule starting at `start` (used by the create form)."""
    week = timedelta(days=7)
    return {
        "submission_opens": start,
        "submission_closes": start + 4 * week,
        "voting_opens": start + 4 * week,
        "voting_closes": start + 6 * week,
        "jury_opens": start + 6 * week,
        "jury_closes": start + 8 * week,
        "results_on": start + 8 * week,
        "implementation_opens": start + 9 * week,
        "implementation_closes": start + 61 * week,
    }


class GuidingQuestion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("question"))
    text_en = models.TextField(_("question (English)"), blank=True)

    text_local = Localised("text")
    text_language = LocalisedLanguage("text")

    class Meta:
        ordering = ["position"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="unique_question_position")
        ]

    def __str__(self):
        return self.text


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("criterion"), max_length=200)
    name_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    name_local = Localised("name")
    name_language = LocalisedLanguage("name")

    class Meta:
        ordering = ["position"]
        verbose_name = _("jury criterion")
        verbose_name_plural = _("jury criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="unique_criterion_position")
        ]

    def __str__(self):
        return self.name


class Idea(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        REVIEWED = "reviewed", _("Reviewed by the jury")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")
        IMPLEMENTED = "implemented", _("Implemented")

    PUBLIC_STATUSES = [
        "published",
        "shortlisted",
        "reviewed",
        "awarded",
        "not_awarded",
        "implemented",
    ]

    class Override(models.TextChoices):
        NONE = "", _("By votes")
        INCLUDE = "include", _("Always on the shortlist")
        EXCLUDE = "exclude", _("Never on the shortlist")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    shortlist_override = models.CharField(
        _("shortlist"), max_length=8, choices=Override.choices, default="", blank=True
    )
    award = models.CharField(_("award"), max_length=120, blank=True)
    implementation_note = models.TextField(_("implementation follow-up"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-vote_count", "submitted_at", "pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [models.Index(fields=["call", "status", "-vote_count"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ideas:idea_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES


class Answer(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(GuidingQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["question__position"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "question"], name="unique_answer_per_question")
        ]

    def __str__(self):
        return self.text[:50]


def idea_upload_to(instance, filename):
    return f"ideas/{instance.idea.call_id}/{instance.idea_id}/{filename}"


class IdeaFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        ATTACHMENT = "attachment", _("Attachment")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    file = models.FileField(upload_to=idea_upload_to)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.original_name


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter", "idea"], name="one_vote_per_voter_and_idea")
        ]
        indexes = [models.Index(fields=["call", "voter"])]

    def __str__(self):
        return f"{self.voter_id} → {self.idea_id}"


class Ballot(models.Model):
    """One row per voter and call; locked while a vote is cast so budget checks are race-free."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "voter"], name="one_ballot_per_voter_and_call")
        ]

    def __str__(self):
        return f"{self.voter_id} @ {self.call_id}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_comments"
    )
    text = models.TextField(_("comment"), max_length=4000)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    moderation_note = models.CharField(_("moderation note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:50]


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=300)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_user")
        ]

    def __str__(self):
        return self.reason


class JuryMember(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_seats"
    )
    helix_type = models.CharField(_("helix group"), max_length=16, choices=HelixGroup.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="one_jury_seat_per_call")
        ]

    def __str__(self):
        return str(self.user)


class Score(models.Model):
    juror = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="scores")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "idea", "criterion"], name="one_score_per_juror_idea_criterion"
            )
        ]

    def __str__(self):
        return f"{self.idea_id}/{self.criterion_id}: {self.value}"
