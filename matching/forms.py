from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.forms import sector_choices
from actors.models import Cluster, NaceSector, NutsRegion
from core.forms import ListSelect, SearchableMultiSelect

from .models import Interest, Posting, PostingKind, PostingStatus, Visibility


class PostingForm(forms.ModelForm):
    class Meta:
        model = Posting
        fields = [
            "organisation",
            "kind",
            "title",
            "description",
            "sectors",
            "regions_sought",
            "deadline",
            "visibility",
            "cluster",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 8}),
            "sectors": SearchableMultiSelect(),
            "regions_sought": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["sectors"].queryset = NaceSector.objects.filter(level=2).order_by("code")
        self.fields["regions_sought"].queryset = NutsRegion.objects.filter(level__lte=1).order_by(
            "code"
        )
        self.fields["regions_sought"].label_from_instance = lambda r: f"{r.code} {r.name}"
        self.fields["cluster"].queryset = Cluster.objects.filter(
            memberships__organisation__in=organisations, memberships__status="active"
        ).distinct()
        self.fields["cluster"].empty_label = _("No cluster")

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline must not be in the past."))
        return deadline

    def clean(self):
        data = super().clean()
        visibility, cluster, org = (
            data.get("visibility"),
            data.get("cluster"),
            data.get("organisation"),
        )
        if visibility and visibility != Visibility.PUBLIC and not cluster:
            self.add_error(
                "cluster",
                _("Choose the cluster whose members may see it or whose office brokers it."),
            )
        if (
            cluster
            and org
            and not cluster.memberships.filter(organisation=org, status="active").exists()
        ):
            self.add_error("cluster", _("The organisation is not a member of this cluster."))
        return data


class InterestForm(forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["organisation", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        labels = {"organisation": _("On behalf of")}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["message"].help_text = _(
            "What you can contribute; the cluster office reads it before the introduction."
        )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to both sides (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MarketplaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *PostingKind.choices]
    )
    sector = forms.ChoiceField(label=_("Sector (NACE)"), required=False, widget=ListSelect)
    country = forms.ChoiceField(label=_("Country of the organisation"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open (published)")),
            (PostingStatus.MATCHED, PostingStatus.MATCHED.label),
            (PostingStatus.EXPIRED, PostingStatus.EXPIRED.label),
            (PostingStatus.CLOSED, PostingStatus.CLOSED.label),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = sector_choices()
        self.fields["country"].choices = [("", _("All countries"))] + [
            (r.code, f"{r.code} {r.name}") for r in NutsRegion.objects.filter(level=0)
        ]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Topic in any language …")}
        )
