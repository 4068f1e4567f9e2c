from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.bilingual import EnglishVersionFormMixin, localised_label
from core.forms import https_by_default

from .models import MAX_CRITERIA, MAX_QUESTIONS, Call, HelixGroup, Idea, default_schedule

DATE_FIELDS = [
    "submission_opens",
    "submission_closes",
    "voting_opens",
    "voting_closes",
    "jury_opens",
    "jury_closes",
    "results_on",
    "implementation_opens",
    "implementation_closes",
]

IMAGE_SIGNATURES = {
    ".png": [b"\x89PNG\r\n\x1a\n"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".gif": [b"GIF87a", b"GIF89a"],
    ".webp": [b"RIFF"],
}
PDF_SIGNATURES = {".pdf": [b"%PDF-"]}


def check_upload(upload, signatures: dict, max_bytes: int):
    """Validate an upload by extension, leading bytes (content sniffing) and size."""
    name = upload.name.lower()
    ext = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in signatures:
        raise forms.ValidationError(
            _("File type not allowed. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(signatures))}
        )
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures[ext]):
        raise forms.ValidationError(_("The file content does not match its type."))
    return upload


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CallForm(EnglishVersionFormMixin, forms.ModelForm):
    questions = forms.CharField(
        label=_("Guiding questions"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One question per line. Each question becomes an answer field of the form."),
    )
    criteria = forms.CharField(
        label=_("Jury criteria"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('One criterion per line with its weight after a bar, e.g. "Innovation | 2".'),
    )
    questions_en = forms.CharField(
        label=_("Guiding questions (English)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The same questions in the same order, one per line."),
    )
    criteria_en = forms.CharField(
        label=_("Jury criteria (English)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The names of the same criteria in the same order, one per line, no weights."),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "description",
            "title_en",
            "description_en",
            "organiser",
            "is_published",
            *DATE_FIELDS,
            "allow_images",
            "allow_video",
            "allow_attachments",
            "max_file_mb",
            "shortlist_size",
            "vote_budget",
            "scale_min",
            "scale_max",
        ]
        widgets = {name: DateTimeInput() for name in DATE_FIELDS}

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is not None:
            self.fields["organiser"].queryset = organisers
        for name in DATE_FIELDS:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if self.instance.pk:
            self.initial.setdefault(
                "questions", "\n".join(q.text for q in self.instance.questions.all())
            )
            self.initial.setdefault(
                "criteria",
                "\n".join(f"{c.name} | {c.weight}" for c in self.instance.criteria.all()),
            )
            self.initial.setdefault(
                "questions_en", "\n".join(q.text_en for q in self.instance.questions.all())
            )
            self.initial.setdefault(
                "criteria_en", "\n".join(c.name_en for c in self.instance.criteria.all())
            )
        else:
            start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            for name, value in default_schedule(start).items():
                self.initial.setdefault(name, value)

    def clean_questions(self):
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Please enter at least one guiding question."))
        if len(lines) > MAX_QUESTIONS:
            raise forms.ValidationError(
                _("Please enter at most %(max)s guiding questions.") % {"max": MAX_QUESTIONS}
            )
        return lines

    def clean_criteria(self):
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, _bar, weight = line.partition("|")
            name, weight = name.strip(), weight.strip() or "1"
            if not name or not weight.isdigit() or not 1 <= int(weight) <= 100:
                raise forms.ValidationError(
                    _('"%(line)s": write the criterion, a bar and a weight from 1 to 100.')
                    % {"line": line.strip()}
                )
            criteria.append((name[:200], int(weight)))
        if not criteria:
            raise forms.ValidationError(_("Please enter at least one jury criterion."))
        if len(criteria) > MAX_CRITERIA:
            raise forms.ValidationError(
                _("Please enter at most %(max)s jury criteria.") % {"max": MAX_CRITERIA}
            )
        return criteria

    def _english_lines(self, name, main_name, max_length):
        lines = [line.strip() for line in self.cleaned_data.get(name, "").splitlines()]
        lines = [line for line in lines if line]
        main = self.cleaned_data.get(main_name)
        if lines and main is not None and len(lines) != len(main):
            raise forms.ValidationError(
                _(
                    "Give the English versions in the same order and number as the German "
                    "ones (%(count)s), or leave the field empty."
                )
                % {"count": len(main)}
            )
        if any(len(line) > max_length for line in lines):
            raise forms.ValidationError(
                _("One line can have at most %(max)s characters.") % {"max": max_length}
            )
        return lines

    def clean_questions_en(self):
        return self._english_lines("questions_en", "questions", 5000)

    def clean_criteria_en(self):
        return self._english_lines("criteria_en", "criteria", 200)

    def clean(self):
        data = super().clean()
        dates = [(name, data.get(name)) for name in DATE_FIELDS]
        if all(value for _name, value in dates):
            for (name_a, a), (name_b, b) in zip(dates, dates[1:], strict=False):
                strict = name_a.endswith("opens") or name_a == "results_on"
                if (strict and a >= b) or (not strict and a > b):
                    self.add_error(
                        name_b,
                        _("Must be after “%(previous)s”.")
                        % {"previous": self.fields[name_a].label},
                    )
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and low >= high:
            self.add_error("scale_max", _("Must be greater than the lowest score."))
        return data


class IdeaForm(forms.ModelForm):
    image = forms.FileField(label=_("Image"), required=False)
    attachment = forms.FileField(label=_("Attachment (PDF)"), required=False)

    class Meta:
        model = Idea
        fields = ["title", "summary", "video_url"]
        formfield_callback = https_by_default

    def __init__(self, *args, call, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.submitting = submitting
        self.questions = list(call.questions.all())
        answers = {}
        if self.instance.pk:
            answers = {a.question_id: a.text for a in self.instance.answers.all()}
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.CharField(
                label=localised_label(question, "text"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=answers.get(question.pk, ""),
            )
        self.fields["summary"].required = False
        mb = call.max_file_mb
        if call.allow_images:
            self.fields["image"].help_text = _("PNG, JPEG, GIF or WebP, at most %(mb)s MB.") % {
                "mb": mb
            }
        else:
            del self.fields["image"]
        if call.allow_attachments:
            self.fields["attachment"].help_text = _("PDF, at most %(mb)s MB.") % {"mb": mb}
        else:
            del self.fields["attachment"]
        if not call.allow_video:
            del self.fields["video_url"]

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            check_upload(upload, IMAGE_SIGNATURES, self.call.allowed_file_bytes)
        return upload

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload, PDF_SIGNATURES, self.call.allowed_file_bytes)
        return upload

    def clean(self):
        data = super().clean()
        if self.submitting:
            if not (data.get("summary") or "").strip():
                self.add_error("summary", _("Please describe your idea before submitting."))
            for question in self.questions:
                if not (data.get(f"q_{question.pk}") or "").strip():
                    self.add_error(f"q_{question.pk}", _("Please answer this question."))
        return data

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q_{q.pk}", "").strip() for q in self.questions}

    def uploads(self):
        result = []
        for kind, name in (("image", "image"), ("attachment", "attachment")):
            upload = self.cleaned_data.get(name)
            if upload:
                result.append((kind, upload))
        return result


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=1000)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Why do you report this comment?"), max_length=300)


class JurorForm(forms.Form):
    """The juror's helix group is taken from their organisation; the group is asked for only
    when no organisation is known (``ask_helix``)."""

    email = forms.EmailField(label=_("E-mail address of the juror"))
    helix_type = forms.ChoiceField(
        label=_("Helix group"),
        required=False,
        choices=[("", _("From the juror's organisation"))] + list(HelixGroup.choices),
        help_text=_("No organisation is recorded for this person: choose their helix group."),
    )

    def __init__(self, *args, ask_helix=False, **kwargs):
        # its own ids: it shares a page with another form that has a field of the same name
        kwargs.setdefault("auto_id", "juror_%s")
        super().__init__(*args, **kwargs)
        self.ask_helix = ask_helix
        field = self.fields["helix_type"]
        if ask_helix:
            field.choices = [("", _("Please choose"))] + list(HelixGroup.choices)
        else:
            field.widget = forms.HiddenInput()

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No user with this e-mail address is registered."))
        self.user = user
        return email


class ManagerForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the co-manager"),
        help_text=_(
            "Co-managers are managers of a partner cluster the organiser belongs to; they keep "
            "their rights only as long as they hold that role."
        ),
    )

    def __init__(self, *args, **kwargs):
        # its own ids: it shares a page with another form that has a field of the same name
        kwargs.setdefault("auto_id", "manager_%s")
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No user with this e-mail address is registered."))
        self.user = user
        return email


class ScoreForm(forms.Form):
    """One juror's scores for one idea: a score and a comment per criterion."""

    def __init__(self, *args, call, criteria, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        choices = [("", "–")] + [
            (str(v), str(v)) for v in range(call.scale_min, call.scale_max + 1)
        ]
        self.criteria = criteria
        for criterion in criteria:
            value, comment = existing.get(criterion.pk, (None, ""))
            self.fields[f"s_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.name_local, "weight": criterion.weight},
                choices=choices,
                coerce=int,
                required=True,
                initial="" if value is None else str(value),
            )
            self.fields[f"c_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.name_local},
                required=False,
                max_length=2000,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def values(self):
        return {
            c.pk: (self.cleaned_data[f"s_{c.pk}"], self.cleaned_data.get(f"c_{c.pk}", ""))
            for c in self.criteria
        }


class AwardForm(forms.Form):
    award = forms.CharField(label=_("Award"), max_length=120, required=False)


class ImplementationForm(forms.Form):
    note = forms.CharField(
        label=_("Implementation follow-up"), widget=forms.Textarea(attrs={"rows": 3})
    )
