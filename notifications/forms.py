from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import Group
from .models import Preference


class PreferencesForm(forms.Form):
    """One choice per kind group: in-app only, or in-app and e-mail."""

    def __init__(self, *args, initial_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_choices = initial_choices or {}
        for group in Group:
            self.fields[group.value] = forms.ChoiceField(
                label=group.label,
                choices=Preference.Channel.choices,
                widget=forms.RadioSelect,
                initial=initial_choices.get(group.value, Preference.Channel.IN_APP_AND_EMAIL),
                error_messages={"required": _("Please choose how you want to be notified.")},
            )
