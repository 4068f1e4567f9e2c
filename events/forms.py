from datetime import timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.bilingual import EnglishVersionFormMixin
from services.models import Service

from .models import (
    MAX_CAPACITY,
    MAX_MEETING_MINUTES,
    MAX_MEETING_SLOTS,
    MAX_TABLES,
    MIN_MEETING_MINUTES,
    Event,
    MeetingRequest,
    Registration,
)

# Dates far from today are typing errors (and the year 9999 overflows date arithmetic).
MIN_YEAR, MAX_YEAR = 2000, 2100


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(EnglishVersionFormMixin, forms.ModelForm):
    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Only registered participants see the link."),
    )

    class Meta:
        model = Event
        fields = [
            "cluster",
            "title",
            "format",
            "mode",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "capacity",
            "is_public",
            "is_published",
            "service",
            "meetings_start",
            "meeting_minutes",
            "meeting_slots",
            "tables",
            "title_en",
            "description_en",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "meetings_start": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "tables": _("Meetings that can take place at the same time."),
        }

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].empty_label = None
        self.fields["capacity"].min_value = 0
        self.fields["capacity"].widget.attrs["min"] = 0
        # the bounds themselves are the model's validators (clear messages, also for the API)
        for name, maximum in (
            ("capacity", MAX_CAPACITY),
            ("meeting_minutes", MAX_MEETING_MINUTES),
            ("meeting_slots", MAX_MEETING_SLOTS),
            ("tables", MAX_TABLES),
        ):
            self.fields[name].widget.attrs["max"] = maximum
        self.fields["service"].queryset = Service.objects.filter(cluster__in=clusters)

    BROKERAGE_FIELDS = ("meetings_start", "meeting_minutes", "meeting_slots", "tables")

    def general_fields(self):
        return [
            f
            for f in self.visible_fields()
            if f.name not in self.BROKERAGE_FIELDS and not f.name.endswith("_en")
        ]

    def brokerage_fields(self):
        return [f for f in self.visible_fields() if f.name in self.BROKERAGE_FIELDS]

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 0:
            raise forms.ValidationError(_("The capacity cannot be negative."))
        return capacity

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at", "meetings_start"):
            value = data.get(name)
            if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
                self.add_error(
                    name,
                    _("Please choose a date between %(first)s and %(last)s.")
                    % {"first": MIN_YEAR, "last": MAX_YEAR},
                )
                data[name] = None
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        mode = data.get("mode")
        if mode == Event.Mode.ONLINE and not data.get("online_url"):
            self.add_error("online_url", _("Online events need a link."))
        if mode == Event.Mode.ONSITE and not data.get("location"):
            self.add_error("location", _("Events on site need a venue."))
        cluster, service = data.get("cluster"), data.get("service")
        if service is not None and cluster is not None and service.cluster_id != cluster.pk:
            self.add_error("service", _("Choose a service of the same cluster."))
        if data.get("format") in (Event.Format.BROKERAGE, Event.Format.SPEED_DATING):
            self._clean_brokerage(data, starts, ends)
        return data

    def _clean_brokerage(self, data, starts, ends):
        first = data.get("meetings_start")
        minutes = data.get("meeting_minutes") or 0
        slots = data.get("meeting_slots") or 0
        if not first:
            self.add_error(
                "meetings_start", _("Brokerage events need the time of the first meeting.")
            )
        if minutes < MIN_MEETING_MINUTES:
            self.add_error(
                "meeting_minutes",
                _("Meetings last at least %(minutes)s minutes.") % {"minutes": MIN_MEETING_MINUTES},
            )
        if slots < 1:
            self.add_error("meeting_slots", _("Brokerage events need at least one meeting slot."))
        if (data.get("tables") or 0) < 1:
            self.add_error("tables", _("Brokerage events need at least one table."))
        if (
            first
            and starts
            and ends
            and MIN_MEETING_MINUTES <= minutes <= MAX_MEETING_MINUTES
            and 1 <= slots <= MAX_MEETING_SLOTS
        ):
            try:
                last_end = first + timedelta(minutes=minutes * slots)
            except OverflowError:  # a first meeting at the very end of the calendar
                last_end = None
            if last_end is None:
                self.add_error("meetings_start", _("All meeting slots must lie within the event."))
            elif first < starts or last_end > ends:
                self.add_error(
                    "meetings_start",
                    _("All meeting slots must lie within the event (the last one ends at %(end)s).")
                    % {
                        "end": formats.date_format(
                            timezone.localtime(last_end), "SHORT_DATETIME_FORMAT"
                        )
                    },
                )


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        max_length=2000,
        help_text=_(
            "Shown on the event page and sent by e-mail to everybody registered or on the "
            "waiting list."
        ),
        error_messages={"required": _("Please give a reason for the cancellation.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Please give a reason for the cancellation."))
        return reason


class EventFilterForm(forms.Form):
    WHEN = [("upcoming", _("Upcoming")), ("past", _("Past"))]

    when = forms.ChoiceField(label=_("When"), choices=WHEN, required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("All formats"))] + Event.Format.choices, required=False
    )
    mode = forms.ChoiceField(
        label=_("Online or on site"),
        choices=[("", _("Both"))] + Event.Mode.choices,
        required=False,
    )
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("All clusters"))] + [
            (c.slug, c.name) for c in clusters
        ]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["profile"]
        widgets = {"profile": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}

    def clean_profile(self):
        profile = self.cleaned_data["profile"].strip()
        if len(profile) > 1000:
            raise forms.ValidationError(_("Please keep your profile under 1,000 characters."))
        return profile


class MeetingRequestForm(forms.ModelForm):
    class Meta:
        model = MeetingRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
        labels = {"message": _("Why would you like to meet?")}


class AvailabilityForm(forms.Form):
    unavailable = forms.TypedMultipleChoiceField(
        label=_("Not available in these time slots"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].choices = [
            (
                index,
                f"{formats.time_format(timezone.localtime(start), 'H:i')}–"
                f"{formats.time_format(timezone.localtime(end), 'H:i')}",
            )
            for index, start, end in event.slot_times()
        ]
