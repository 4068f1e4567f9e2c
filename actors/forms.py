from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import ListSelect, https_by_default

from .directory import DirectoryQuery
from .models import (
    Cluster,
    ClusterRole,
    HelixType,
    Membership,
    NaceSector,
    NutsRegion,
    Organisation,
    Person,
)


def sector_choices():
    choices = [("", _("All sectors"))]
    for sector in NaceSector.objects.order_by("code"):
        indent = "\u2003" if sector.level > 1 else ""
        choices.append((sector.code, f"{indent}{sector.code} {sector.name}"))
    return choices


def region_choices():
    choices = [("", _("All regions"))]
    for region in NutsRegion.objects.order_by("code"):
        indent = "\u2003" * region.level
        choices.append((region.code, f"{indent}{region.code} {region.name}"))
    return choices


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    helix = forms.ChoiceField(
        label=_("Helix type"), required=False, choices=[("", _("All types")), *HelixType.choices]
    )
    sector = forms.ChoiceField(label=_("Sector (NACE)"), required=False, widget=ListSelect)
    region = forms.ChoiceField(label=_("Region (NUTS)"), required=False, widget=ListSelect)
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        required=False,
        widget=ListSelect,
        queryset=Cluster.objects.order_by("name"),
        empty_label=_("All clusters"),
        to_field_name="slug",
    )
    sme = forms.BooleanField(label=_("SMEs only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = sector_choices()
        self.fields["region"].choices = region_choices()
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Name, topic, place …")}
        )

    def to_query(self) -> DirectoryQuery:
        data = self.cleaned_data if self.is_valid() else {}
        return DirectoryQuery(
            text=data.get("q", ""),
            helix_type=data.get("helix", ""),
            sector_code=data.get("sector", ""),
            region_code=data.get("region", ""),
            cluster=data.get("cluster"),
            sme_only=bool(data.get("sme")),
        )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = https_by_default
        fields = [
            "name",
            "helix_type",
            "is_sme",
            "region",
            "city",
            "sectors",
            "competences",
            "description_de",
            "description_en",
            "website",
            "employees",
            "founded",
        ]
        widgets = {"sectors": forms.SelectMultiple(), "competences": forms.SelectMultiple()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = NaceSector.objects.filter(level=2)
        self.fields["region"].queryset = NutsRegion.objects.filter(level__gte=1)

    def clean_founded(self):
        year = self.cleaned_data.get("founded")
        if year is not None and not 1000 <= year <= 2100:
            raise forms.ValidationError(_("Please enter a year between 1000 and 2100."))
        return year

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("description_de") and not cleaned.get("description_en"):
            self.add_error(
                "description_de", _("Please describe the organisation in German or English.")
            )
        return cleaned


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        formfield_callback = https_by_default
        fields = [
            "name",
            "acronym",
            "innovation_field",
            "region",
            "sectors",
            "profile_de",
            "profile_en",
            "strategy_goals_de",
            "strategy_goals_en",
            "website",
            "founded",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = NaceSector.objects.filter(level=2)


class MembershipAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    since = forms.DateField(
        label=_("Member since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["organisation"].widget = forms.TextInput(
            attrs={
                "list": "organisation-options",
                "autocomplete": "off",
                "hx-get": reverse("actors:organisation_options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#organisation-options",
            }
        )
        self.fields["organisation"].help_text = _(
            "Start typing the name and pick the organisation from the suggestions."
        )
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "No organisation with this short name exists."
        )

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        if Membership.objects.filter(
            cluster=self.cluster, organisation=organisation, status=Membership.Status.ACTIVE
        ).exists():
            raise forms.ValidationError(_("This organisation is already a member."))
        return organisation


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "job_title", "email", "phone", "is_public"]


class RoleForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the user"))
    role = forms.ChoiceField(label=_("Role"), choices=ClusterRole.Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Required for member roles."),
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__cluster=cluster, memberships__status=Membership.Status.ACTIVE
        ).order_by("name")

    def clean_email(self):
        from accounts.models import User

        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _("No account with this e-mail address exists. Ask the person to register first.")
            )
        return user

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and role != ClusterRole.Role.MANAGER and not cleaned.get("organisation"):
            self.add_error("organisation", _("Choose the member organisation for this role."))
        return cleaned
