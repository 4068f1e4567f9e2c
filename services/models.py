"""Network services of a cluster management organisation: catalogue, lifecycle, bookings, feedback
and needs surveys."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actors.models import Cluster, Organisation, unique_slug
from core.bilingual import MAIN_LANGUAGE, Localised, LocalisedLanguage, localised


class Category(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel services")
    EDUCATION = "education", _("Education and training")
    INNOVATION = "innovation", _("Innovation and start-up support")
    PUBLIC_RELATIONS = "public_relations", _("Public relations")
    COMMUNICATION = "communication", _("Communication and experience exchange")


class Financing(models.TextChoices):
    MEMBERSHIP_FEES = "membership_fees", _("Covered by membership fees")
    FREE_FOR_MEMBERS = "free_for_members", _("Free for members, paid for externals")
    SPONSORED = "sponsored", _("Sponsored")
    PARTICIPANT_FEES = "participant_fees", _("Participant fees")
    PUBLIC_FUNDING = "public_funding", _("Public funding")


class Transferability(models.IntegerChoices):
    VERY_GOOD = 4, _("4 – very good transferability")
    GOOD = 3, _("3 – good transferability")
    LIMITED = 2, _("2 – limited transferability")
    POOR = 1, _("1 – poor or no transferability")


TRANSFERABILITY_MEANING = {
    4: _("Other networks can adopt it as it is, without further development."),
    3: _("Other networks, sectors or value chains can adopt it after minor adjustments."),
    2: _("Only parts can be adopted, or only after a thorough redesign for other problems."),
    1: _(
        "Tailored so closely to this network that adopting it would mean rewriting it completely, "
        "if possible at all."
    ),
}


class Status(models.TextChoices):
    IDEA = "idea", _("Idea")
    CONCEPT = "concept", _("Concept")
    AUTHORISED = "authorised", _("Authorised")
    PILOT = "pilot", _("Pilot")
    ACTIVE = "active", _("Active")
    EVALUATION = "evaluation", _("Under evaluation")
    CONTINUED = "continued", _("Continued")
    MODIFIED = "modified", _("Modified")
    REDUCED = "reduced", _("Reduced")
    RETIRED = "retired", _("Retired")


# Which lifecycle step may follow which.
TRANSITIONS = {
    Status.IDEA: [Status.CONCEPT, Status.RETIRED],
    Status.CONCEPT: [Status.AUTHORISED, Status.IDEA, Status.RETIRED],
    Status.AUTHORISED: [Status.PILOT, Status.ACTIVE, Status.RETIRED],
    Status.PILOT: [Status.ACTIVE, Status.EVALUATION, Status.RETIRED],
    Status.ACTIVE: [Status.EVALUATION, Status.RETIRED],
    Status.EVALUATION: [Status.CONTINUED, Status.MODIFIED, Status.REDUCED, Status.RETIRED],
    Status.CONTINUED: [Status.EVALUATION, Status.RETIRED],
    Status.MODIFIED: [Status.EVALUATION, Status.RETIRED],
    Status.REDUCED: [Status.EVALUATION, Status.RETIRED],
    Status.RETIRED: [Status.CONCEPT],
}
# Statuses in which members see the service and may book it.
OFFERED = [
    Status.PILOT,
    Status.ACTIVE,
    Status.EVALUATION,
    Status.CONTINUED,
    Status.MODIFIED,
    Status.REDUCED,
]


# Statuses a shared service must have reached to appear in the best-practice library.
PROVEN = OFFERED + [Status.RETIRED]


class Authority(models.TextChoices):
    OFFICE = "office", _("Cluster office")
    BOARD = "board", _("Board")
    ASSEMBLY = "assembly", _("Member assembly")


# Upper bounds of numbers that size work (validated in forms, the admin and the API).
MAX_CAPACITY = 10_000  # places of one service
MAX_PRICE = Decimal("1000000")  # EUR
MAX_QUESTIONS = 50  # questions of one survey
MAX_OPTIONS = 20  # answer options of one choice question
MAX_OPTION_LENGTH = 200  # characters of one answer option

RESERVED_SLUGS = {"new", "library", "bookings", "surveys", "questions", "answers"}


class Service(models.Model):
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="services"
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    target_group = models.CharField(_("target group"), max_length=250)
    target_group_en = models.CharField(_("target group (English)"), max_length=250, blank=True)
    problem = models.TextField(_("problem it addresses"))
    problem_en = models.TextField(_("problem it addresses (English)"), blank=True)
    delivery = models.TextField(_("how it is delivered"), blank=True)
    delivery_en = models.TextField(_("how it is delivered (English)"), blank=True)
    # The decisions below stay empty until somebody makes them; authorisation requires them.
    financing = models.CharField(
        _("financing model"), max_length=20, choices=Financing.choices, blank=True
    )
    price = models.DecimalField(
        _("price (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Enter 0 if the service is free; leave empty while the price is undecided."),
        validators=[
            MinValueValidator(0, message=_("The price cannot be negative.")),
            MaxValueValidator(
                MAX_PRICE, message=_("The price can be at most %(limit_value)s EUR.")
            ),
        ],
    )
    transferability = models.PositiveSmallIntegerField(
        _("transferability"), choices=Transferability.choices, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    is_shared = models.BooleanField(
        _("share in the best-practice library"),
        default=False,
        help_text=_("Other clusters can find this service and adopt it as a template."),
    )
    is_bookable = models.BooleanField(_("members can book or sign up"), default=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Maximum number of open bookings. Leave empty for no limit."),
        validators=[
            MinValueValidator(1, message=_("Give at least one place or leave the field empty.")),
            MaxValueValidator(
                MAX_CAPACITY, message=_("A service can have at most %(limit_value)s places.")
            ),
        ],
    )
    adopted_from = models.ForeignKey(
        "self",
        verbose_name=_("adopted from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title_local = Localised("title")
    title_language = LocalisedLanguage("title")
    target_group_local = Localised("target_group")
    target_group_language = LocalisedLanguage("target_group")
    problem_local = Localised("problem")
    problem_language = LocalisedLanguage("problem")
    delivery_local = Localised("delivery")
    delivery_language = LocalisedLanguage("delivery")

    class Meta:
        ordering = ["title"]
        verbose_name = _("network service")
        verbose_name_plural = _("network services")
        indexes = [models.Index(fields=["cluster", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transferability__gte=1, transferability__lte=4),
                name="service_transferability_1_to_4",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("services:service_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:
            title = self.title
            # Service pages live beside fixed paths such as /services/library/
            if slugify(title) in RESERVED_SLUGS:
                title = f"{title} service"
            self.slug = unique_slug(Service, title)
        super().save(*args, **kwargs)

    @property
    def transferability_meaning(self):
        return TRANSFERABILITY_MEANING.get(self.transferability, "")

    def missing_for_authorisation(self) -> list[str]:
        """What must be written or decided before the service can be authorised (labels)."""
        missing = []
        for name in ("target_group", "problem", "delivery"):
            if not (getattr(self, name) or "").strip():
                missing.append(str(self._meta.get_field(name).verbose_name))
        if not self.financing:
            missing.append(str(_("financing model")))
        if self.price is None:
            missing.append(str(_("price (EUR)")))
        if self.transferability is None:
            missing.append(str(_("transferability")))
        return missing

    @property
    def is_offered(self) -> bool:
        return self.status in OFFERED

    def next_statuses(self):
        return [(s.value, s.label) for s in TRANSITIONS.get(Status(self.status), [])]

    def can_move_to(self, status: str) -> bool:
        return status in [s.value for s in TRANSITIONS.get(Status(self.status), [])]


class StatusChange(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    authorised_by = models.CharField(
        _("decided by"), max_length=10, choices=Authority.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.service}: {self.from_status or '–'} → {self.to_status}"


class Booking(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        ATTENDED = "attended", _("Attended")
        CANCELLED = "cancelled", _("Cancelled")

    # Open bookings hold a place; a member has at most one open booking per service and may
    # book a recurring service again after attending it.
    OPEN = [State.REQUESTED, State.CONFIRMED]
    ACTIVE = [State.REQUESTED, State.CONFIRMED, State.ATTENDED]  # every booking not cancelled

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_bookings"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("message to the cluster office"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "user"],
                condition=models.Q(state__in=["requested", "confirmed"]),
                name="one_open_booking_per_user_and_service",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.service}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN


class Feedback(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("satisfaction"),
        choices=[(i, str(i)) for i in range(1, 6)],
        help_text=_("1 = not satisfied, 5 = very satisfied"),
    )
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        ordering = ["-rated_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
            models.UniqueConstraint(fields=["service", "user"], name="one_feedback_per_user"),
        ]

    def __str__(self):
        return f"{self.service}: {self.rating}"


class Survey(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual member survey")
        AFTER_SERVICE = "after_service", _("Evaluation after a service")
        EVENT = "event", _("Event rating")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey state", "Draft")
        OPEN = "open", pgettext_lazy("survey state", "Open")
        CLOSED = "closed", pgettext_lazy("survey state", "Closed")

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.ANNUAL)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service evaluated"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event rated"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rating_surveys",
    )
    event_title = models.CharField(
        _("event name"),
        max_length=200,
        blank=True,
        help_text=_("For event ratings of events not listed on the platform: name and date."),
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    title_local = Localised("title")
    title_language = LocalisedLanguage("title")
    introduction_local = Localised("introduction")
    introduction_language = LocalisedLanguage("introduction")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("services:survey_detail", args=[self.pk])


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("Rating scale 1–5")
        CHOICE = "choice", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    kind = models.CharField(_("question type"), max_length=10, choices=Kind.choices)
    choices = models.TextField(
        _("answer options"), blank=True, help_text=_("For choice questions: one option per line.")
    )
    choices_en = models.TextField(
        _("answer options (English)"),
        blank=True,
        help_text=_("The same options in the same order, one per line."),
    )
    required = models.BooleanField(_("answer required"), default=True)

    text_local = Localised("text")
    text_language = LocalisedLanguage("text")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def options_en(self) -> list[str]:
        return [line.strip() for line in self.choices_en.splitlines() if line.strip()]

    @property
    def option_labels(self) -> list[tuple[str, str, str]]:
        """(stored value, label, label language) per option: answers always store the
        main-language option; English pages label it in English when every option has a
        translation."""
        options = self.options
        english = self.options_en
        if localised(self, "choices")[1] == "en" and len(english) == len(options):
            return [(value, label, "en") for value, label in zip(options, english, strict=True)]
        return [(value, value, MAIN_LANGUAGE) for value in options]


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_response_per_user")
        ]

    def __str__(self):
        return f"{self.survey} – {self.user}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)  # Likert 1-5
    choices = models.JSONField(default=list, blank=True)  # selected options
    text = models.TextField(blank=True)
    service_idea = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_answers"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.question}: {self.text or self.value or ', '.join(self.choices)}"
