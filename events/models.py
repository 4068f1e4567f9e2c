"""Events of a cluster: formats, registration with capacity and waiting list, attendance, and
brokerage events with 1:1 meeting requests scheduled into time slots and tables."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Cluster, unique_slug
from core.bilingual import Localised, LocalisedLanguage

RESERVED_SLUGS = {"new", "mine"}

# Upper bounds for every number that sizes work (pages, schedules, e-mails). The demo (12 slots x 20
# tables, 80 places) and benchmarks/brokerage_scheduling.py (24 slots x 150 tables, 500
# participants) lie well inside them.
MAX_CAPACITY = 5000  # places of one event; also the limit for events without a set capacity
MAX_WAITING_LIST = 1000  # people on the waiting list of one event
MIN_MEETING_MINUTES = 5
MAX_MEETING_MINUTES = 240
MAX_MEETING_SLOTS = 48  # e.g. a long day of 15-minute meetings
MAX_TABLES = 200
MAX_REQUESTS_PER_PARTICIPANT = 50  # meeting requests one participant may send per event
SIZE_FIELDS = ("capacity", "meeting_minutes", "meeting_slots", "tables")


class Event(models.Model):
    class Format(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        WEBINAR = "webinar", _("Webinar")
        MEMBER_CAFE = "member_cafe", _("Member café")
        ROUNDTABLE = "roundtable", _("Roundtable")
        STUDY_VISIT = "study_visit", _("Study visit")
        SPEED_DATING = "speed_dating", _("Speed dating")
        BROKERAGE = "brokerage", _("Brokerage event")

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("On site")
        ONLINE = "online", _("Online")

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="events"
    )
    service = models.ForeignKey(
        "services.Service",
        verbose_name=_("network service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    format = models.CharField(_("format"), max_length=15, choices=Format.choices)
    mode = models.CharField(_("online or on site"), max_length=8, choices=Mode.choices)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    location = models.CharField(_("venue"), max_length=250, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
        validators=[
            MaxValueValidator(
                MAX_CAPACITY,
                message=_("An event can have at most %(limit_value)s places."),
            )
        ],
    )
    is_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_("Any registered user may sign up, not only cluster members."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)
    # brokerage settings
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=20,
        validators=[
            MaxValueValidator(
                MAX_MEETING_MINUTES,
                message=_("Meetings last at most %(limit_value)s minutes."),
            )
        ],
    )
    meetings_start = models.DateTimeField(_("first meeting starts"), null=True, blank=True)
    meeting_slots = models.PositiveSmallIntegerField(
        _("number of meeting slots"),
        default=0,
        validators=[
            MaxValueValidator(
                MAX_MEETING_SLOTS,
                message=_("A brokerage event can have at most %(limit_value)s meeting slots."),
            )
        ],
    )
    tables = models.PositiveSmallIntegerField(
        _("number of tables"),
        default=0,
        validators=[
            MaxValueValidator(
                MAX_TABLES,
                message=_("A brokerage event can have at most %(limit_value)s tables."),
            )
        ],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    title_local = Localised("title")
    title_language = LocalisedLanguage("title")
    description_local = Localised("description")
    description_language = LocalisedLanguage("description")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
            # the same bounds as the field validators, for every path that skips them
            models.CheckConstraint(
                condition=(models.Q(capacity__isnull=True) | models.Q(capacity__lte=MAX_CAPACITY))
                & models.Q(meeting_minutes__lte=MAX_MEETING_MINUTES)
                & models.Q(meeting_slots__lte=MAX_MEETING_SLOTS)
                & models.Q(tables__lte=MAX_TABLES),
                name="event_sizes_bounded",
                violation_error_message=_("The places, slots or tables of the event are too many."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Event, self.title)
            if self.slug in RESERVED_SLUGS:  # would clash with /events/new/ and /events/mine/
                self.slug = unique_slug(Event, f"{self.title} event")
        super().save(*args, **kwargs)

    def check_sizes(self):
        """Raise ValidationError when a number that sizes work (places, meeting length, slots,
        tables) is out of bounds. Forms get the same messages through the field validators."""
        self.clean_fields(exclude=[f.name for f in self._meta.fields if f.name not in SIZE_FIELDS])

    @property
    def is_over(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_brokerage(self) -> bool:
        return self.format in (self.Format.BROKERAGE, self.Format.SPEED_DATING)

    def slot_times(self):
        """(index, start, end) of each meeting slot."""
        if not self.meetings_start:
            return []
        step = timedelta(minutes=self.meeting_minutes)
        return [
            (i, self.meetings_start + i * step, self.meetings_start + (i + 1) * step)
            for i in range(self.meeting_slots)
        ]


class Registration(models.Model):
    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    attended = models.BooleanField(_("attended"), default=False)
    profile = models.TextField(
        _("what I offer and look for"),
        blank=True,
        help_text=_("Shown to other participants of brokerage events."),
    )
    unavailable_slots = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_user")
        ]
        indexes = [models.Index(fields=["event", "state"])]

    def __str__(self):
        return f"{self.user} @ {self.event}"


class MeetingRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="pending")
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    table = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot", "table", "id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "requester", "recipient"], name="one_request_per_pair"
            ),
            models.UniqueConstraint(
                fields=["event", "slot", "table"],
                condition=models.Q(slot__isnull=False),
                name="one_meeting_per_table_and_slot",
            ),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("recipient")),
                name="meeting_between_two_people",
            ),
            models.CheckConstraint(
                condition=models.Q(slot__isnull=True)
                | models.Q(table__isnull=False, state="accepted"),
                name="only_accepted_meetings_have_a_slot_and_table",
            ),
            models.CheckConstraint(
                condition=models.Q(table__isnull=True) | models.Q(table__gte=1),
                name="tables_are_numbered_from_one",
            ),
        ]
        indexes = [models.Index(fields=["event", "state"])]

    def __str__(self):
        return f"{self.requester} → {self.recipient}"

    def partner_of(self, user):
        return self.recipient if user.pk == self.requester_id else self.requester

    def time_range(self):
        for index, start, end in self.event.slot_times():
            if index == self.slot:
                return start, end
        return None


class AgendaEntry(models.Model):
    """One participant's seat in a scheduled meeting. The unique constraint makes double-booking a
    person in a time slot impossible at database level (the meeting request table guarantees the
    same for tables)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField()
    meeting = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        ordering = ["slot"]
        verbose_name = _("agenda entry")
        verbose_name_plural = _("agenda entries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user", "slot"], name="one_meeting_per_person_and_slot"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.slot}"
