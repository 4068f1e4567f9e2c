from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def https_by_default(db_field, **kwargs):
    """Model form fields as usual, but a web address typed without a scheme gets https://.

    Use as `formfield_callback` in a ModelForm's Meta."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ListSelect(forms.Select):
    """A select box rendered in Python rather than one template per option.

    Same markup as Django's Select; meant for long vocabularies (NACE, NUTS, clusters) on pages
    that are rendered often, where per-option templates dominate the response time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f"<select{flatatt({'name': widget['name'], **widget['attrs']})}>"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f"<optgroup{flatatt({'label': group_name})}>")
            for option in options:
                option_attrs = {"value": "" if option["value"] is None else option["value"]}
                option_attrs.update(option["attrs"])
                parts.append(f"<option{flatatt(option_attrs)}>{escape(option['label'])}</option>")
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class SearchableMultiSelect(forms.SelectMultiple):
    """A multi-select that becomes a filter box with a checkbox list and removable chips.

    The native ``<select multiple>`` is rendered (in Python, like ListSelect, since the vocabularies
    are long) and stays in the form as the value holder: without JavaScript it is the control.
    core/static/core/multiselect.js enhances every ``select[data-multiselect]``: type to filter, Tab and
    Space to toggle checkboxes, chips to remove picked items. The translated texts the script needs
    travel as data attributes, so the script holds no language of its own."""

    class Media:
        css = {"all": ("core/multiselect.css",)}
        js = ("core/multiselect.js",)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-multiselect": "",
                "data-filter-label": _("Filter the list"),
                "data-filter-hint": _(
                    "Type to filter, then Tab to the list and press Space to select."
                ),
                "data-selected-label": _("Selected"),
                "data-none-selected": _("Nothing selected yet."),
                "data-remove-label": _("Remove %(item)s"),
                "data-matches-label": _("Matches: %(count)s"),
                "data-no-matches": _("No matches."),
            }
        )
        return context

    render = ListSelect.render
