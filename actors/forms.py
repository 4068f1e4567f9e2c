from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import ListSelect, SearchableMultiSelect, https_by_default

from . import logos
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


class LogoFieldsMixin(forms.Form):
    """A logo upload (checked by content in actors.logos) and a "remove logo" checkbox."""

    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("PNG, JPEG or WebP, at most 2 MB and 4000 × 4000 pixels."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not getattr(self.instance, "logo", None):
            del self.fields["remove_logo"]

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        self.cleaned_data["logo_processed"] = None
        if upload:
            self.cleaned_data["logo_processed"] = logos.process_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_logo") and cleaned.get("logo_processed"):
            self.add_error(
                "remove_logo", _("Either upload a new logo or remove the logo, not both.")
            )
        return cleaned


class OrganisationForm(LogoFieldsMixin, forms.ModelForm):
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
        widgets = {"sectors": SearchableMultiSelect(), "competences": SearchableMultiSelect()}

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


class ClusterForm(LogoFieldsMixin, forms.ModelForm):
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


MESSAGE_MAX_LENGTH = 2000


def organisation_picker(field):
    """Text input with htmx suggestions for picking an organisation by its short name."""
    field.widget = forms.TextInput(
        attrs={
            "list": "organisation-options",
            "autocomplete": "off",
            "hx-get": reverse("actors:organisation_options"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#organisation-options",
        }
    )
    field.help_text = _("Start typing the name and pick the organisation from the suggestions.")
    field.error_messages["invalid_choice"] = _("No organisation with this short name exists.")


class InviteForm(forms.Form):
    """The office invites an organisation; it becomes a member only once it accepts."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        # its own ids: it shares a page with another form that has a field of the same name
        kwargs.setdefault("auto_id", "invite_%s")
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.fields["organisation"].queryset = Organisation.objects.all()
        organisation_picker(self.fields["organisation"])

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        if Membership.objects.filter(
            cluster=self.cluster, organisation=organisation, status=Membership.Status.ACTIVE
        ).exists():
            raise forms.ValidationError(_("This organisation is already a member."))
        return organisation


class ApplyForm(forms.Form):
    """An organisation's admin applies for membership in a cluster."""

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.none(), to_field_name="slug"
    )
    message = forms.CharField(
        label=_("Message to the cluster office"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["cluster"].queryset = Cluster.objects.exclude(
            memberships__organisation=organisation,
            memberships__status=Membership.Status.ACTIVE,
        ).order_by("name")
        self.fields["cluster"].error_messages["invalid_choice"] = _(
            "Choose a cluster your organisation is not yet a member of."
        )


class DecisionForm(forms.Form):
    """Accept or decline an invitation or an application."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=MESSAGE_MAX_LENGTH)

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "job_title", "email", "phone", "is_public"]


def _user_by_email(email):
    from accounts.models import User

    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise forms.ValidationError(
            _("No account with this e-mail address exists. Ask the person to register first.")
        )
    return user


class RoleForm(forms.Form):
    """Roles in a cluster, on the office's page. Member roles for an organisation may only be granted
    by that organisation's admins (or platform admins)."""

    email = forms.EmailField(label=_("E-mail address of the user"))
    role = forms.ChoiceField(label=_("Role"), choices=ClusterRole.Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_(
            "Required for member roles. Only the organisation's own administrators can grant them."
        ),
    )

    def __init__(self, *args, cluster: Cluster, user=None, **kwargs):
        # its own ids: it shares a page with another form that has a field of the same name
        kwargs.setdefault("auto_id", "role_%s")
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.user = user
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__cluster=cluster, memberships__status=Membership.Status.ACTIVE
        ).order_by("name")

    def clean_email(self):
        return _user_by_email(self.cleaned_data["email"])

    def clean(self):
        from core.policy import allowed

        cleaned = super().clean()
        role = cleaned.get("role")
        organisation = cleaned.get("organisation")
        if role and role != ClusterRole.Role.MANAGER:
            if not organisation:
                self.add_error("organisation", _("Choose the member organisation for this role."))
            elif not allowed(self.user, "actors.manage_people", organisation):
                self.add_error(
                    "organisation",
                    _("Only the administrators of this organisation can grant roles for it."),
                )
        return cleaned


class OrganisationRoleForm(forms.Form):
    """An organisation's admins grant member roles for it in the clusters it actively belongs to."""

    email = forms.EmailField(label=_("E-mail address of the user"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (ClusterRole.Role.MEMBER_USER, ClusterRole.Role.MEMBER_USER.label),
            (ClusterRole.Role.MEMBER_ORG_ADMIN, ClusterRole.Role.MEMBER_ORG_ADMIN.label),
        ],
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["cluster"].queryset = Cluster.objects.filter(
            memberships__organisation=organisation, memberships__status=Membership.Status.ACTIVE
        ).order_by("name")
        self.fields["cluster"].error_messages["invalid_choice"] = _(
            "Choose a cluster your organisation is an active member of."
        )

    def clean_email(self):
        return _user_by_email(self.cleaned_data["email"])
