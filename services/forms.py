from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actors.models import Cluster
from core.bilingual import EnglishVersionFormMixin, localised_label, marked
from events.models import Event

from .models import (
    MAX_OPTION_LENGTH,
    MAX_OPTIONS,
    TRANSFERABILITY_MEANING,
    Authority,
    Category,
    Feedback,
    Financing,
    Question,
    Service,
    Status,
    Survey,
)

# Longest free text accepted in one field (descriptions, notes, comments).
LONG_TEXT = 5000
SHORT_TEXT = 2000


def _limit_length(field, limit):
    """Give a form field made from a model TextField an upper length with Django's message."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def transferability_help():
    items = format_html_join(
        "", "<li>{}: {}</li>", ((grade, TRANSFERABILITY_MEANING[grade]) for grade in (4, 3, 2, 1))
    )
    return format_html("<ul>{}</ul>", items)


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories"))] + Category.choices
    )
    financing = forms.ChoiceField(
        label=_("Financing"),
        required=False,
        choices=[("", _("All financing models"))] + Financing.choices,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + Status.choices
    )

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("All clusters"))] + [
            (c.slug, c.name) for c in clusters
        ]


class ServiceForm(EnglishVersionFormMixin, forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "cluster",
            "title",
            "category",
            "target_group",
            "problem",
            "delivery",
            "financing",
            "price",
            "transferability",
            "is_bookable",
            "capacity",
            "is_shared",
            "title_en",
            "target_group_en",
            "problem_en",
            "delivery_en",
        ]

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = (
            clusters if clusters is not None else Cluster.objects.all()
        )
        self.fields["cluster"].empty_label = None
        if self.instance.pk:
            self.fields["cluster"].disabled = True
        self.fields["transferability"].help_text = transferability_help()
        # Decisions nobody has made yet stay empty (authorisation requires them)
        self.fields["financing"].choices = [("", _("not decided yet"))] + Financing.choices
        self.fields["transferability"].choices = [("", _("not decided yet"))] + list(
            self.fields["transferability"].choices
        )[1:]
        for name in ("problem", "delivery", "problem_en", "delivery_en"):
            self.fields[name].widget.attrs["rows"] = 3
            _limit_length(self.fields[name], LONG_TEXT)
        # Capacity and price are bounded by the model field validators (MAX_CAPACITY, MAX_PRICE)


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Next lifecycle step"))
    authorised_by = forms.ChoiceField(
        label=_("Decided by"),
        required=False,
        choices=[("", "—")] + list(Authority.choices),
        help_text=_("Required when the service is authorised."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, service, **kwargs):
        # its own ids: it shares a page with another form that has a field of the same name
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = service.next_statuses()

    def clean(self):
        data = super().clean()
        if data.get("to_status") == "authorised" and not data.get("authorised_by"):
            self.add_error("authorised_by", _("Please state who authorised the service."))
        return data


class BookingForm(forms.Form):
    note = forms.CharField(
        # a context of its own: other apps translate the same English words differently
        label=pgettext_lazy("service booking", "Message to the cluster office"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        # its own ids: it shares a page with another form that has a field of the same name
        kwargs.setdefault("auto_id", "booking_%s")
        super().__init__(*args, **kwargs)


RATING_CHOICES = [
    (1, _("1 – not satisfied")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very satisfied")),
]


class FeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Your satisfaction"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a rating from 1 to 5."),
            "invalid_choice": _("Please choose a rating from 1 to 5."),
        },
    )

    class Meta:
        model = Feedback
        fields = ["rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_length(self.fields["comment"], SHORT_TEXT)


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories"))] + Category.choices
    )
    min_grade = forms.TypedChoiceField(
        label=_("Transferability at least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), (4, "4"), (3, "3"), (2, "2")],
    )


class AdoptForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Adopt into cluster"), queryset=Cluster.objects.none())

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].empty_label = None


class SurveyForm(EnglishVersionFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "cluster",
            "title",
            "kind",
            "service",
            "event",
            "event_title",
            "introduction",
            "title_en",
            "introduction_en",
        ]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "introduction_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].empty_label = None
        self.fields["service"].queryset = Service.objects.filter(cluster__in=clusters).order_by(
            "title"
        )
        self.fields["service"].help_text = _("Required for an evaluation after a service.")
        self.fields["event"].queryset = (
            Event.objects.filter(cluster__in=clusters)
            .select_related("cluster")
            .order_by("-starts_at")
        )
        self.fields["event"].help_text = _("For event ratings: the event participants rate.")
        self.fields["event"].label_from_instance = lambda event: "{} ({})".format(
            event.title, date_format(localtime(event.starts_at), "SHORT_DATE_FORMAT")
        )
        if self.instance.pk:
            self.fields["cluster"].disabled = True
        _limit_length(self.fields["introduction"], LONG_TEXT)
        _limit_length(self.fields["introduction_en"], LONG_TEXT)

    def clean(self):
        data = super().clean()
        service, cluster = data.get("service"), data.get("cluster")
        if service and cluster and service.cluster_id != cluster.pk:
            self.add_error("service", _("The service must belong to the same cluster."))
        kind = data.get("kind")
        if kind == Survey.Kind.AFTER_SERVICE and not service:
            self.add_error("service", _("Choose the service this survey evaluates."))
        event = data.get("event")
        if event and cluster and event.cluster_id != cluster.pk:
            self.add_error("event", _("The event must belong to the same cluster."))
        if kind == Survey.Kind.EVENT and not event and not data.get("event_title", "").strip():
            self.add_error("event", _("Choose or name the event that participants rate."))
        return data


class QuestionForm(EnglishVersionFormMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "choices", "required", "text_en", "choices_en"]
        widgets = {
            "choices": forms.Textarea(attrs={"rows": 3}),
            "choices_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_length(self.fields["choices"], LONG_TEXT)
        _limit_length(self.fields["choices_en"], LONG_TEXT)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options = [o.strip() for o in (data.get("choices") or "").splitlines() if o.strip()]
        if kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
            if len(options) < 2:
                self.add_error("choices", _("Give at least two answer options, one per line."))
            elif len(options) > MAX_OPTIONS:
                self.add_error(
                    "choices",
                    _("Give at most %(max)d answer options.") % {"max": MAX_OPTIONS},
                )
            elif any(len(o) > MAX_OPTION_LENGTH for o in options):
                self.add_error(
                    "choices",
                    _("An answer option can have at most %(max)d characters.")
                    % {"max": MAX_OPTION_LENGTH},
                )
        english = [o.strip() for o in (data.get("choices_en") or "").splitlines() if o.strip()]
        if english and len(english) != len(options):
            self.add_error(
                "choices_en",
                _(
                    "Give the English options in the same order and number as the German ones "
                    "(%(count)d), or leave the field empty."
                )
                % {"count": len(options)},
            )
        elif any(len(o) > MAX_OPTION_LENGTH for o in english):
            self.add_error(
                "choices_en",
                _("An answer option can have at most %(max)d characters.")
                % {"max": MAX_OPTION_LENGTH},
            )
        return data


LIKERT_CHOICES = [
    ("1", _("1 – strongly disagree")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 – strongly agree")),
]


def _option_choices(question):
    """Answers store the main-language option; English pages show its English label."""
    return [(value, marked(label, lang)) for value, label, lang in question.option_labels]


class AnswerForm(forms.Form):
    """One field per survey question, named q<question id>."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        for q in survey.questions.all():
            name = f"q{q.pk}"
            if q.kind == Question.Kind.LIKERT:
                field = forms.ChoiceField(choices=LIKERT_CHOICES, widget=forms.RadioSelect)
            elif q.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(choices=_option_choices(q), widget=forms.RadioSelect)
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=_option_choices(q), widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
            field.label = localised_label(q, "text")
            field.required = q.required
            self.fields[name] = field


class IdeaFromAnswerForm(forms.Form):
    title = forms.CharField(label=_("Title of the service idea"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
