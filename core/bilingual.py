"""Content written in the main language (German) with an optional English version.

A model keeps its existing field (``title``) as the main-language text and adds ``title_en``
(blank). ``title_local = Localised("title")`` gives the text for the active language: the English
text on English pages when there is one, else the main text; ``title_language =
LocalisedLanguage("title")`` gives the language code of the text actually shown, so templates can
mark a fallback with ``lang="de"``.
"""

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

MAIN_LANGUAGE = settings.LANGUAGE_CODE.split("-")[0]  # "de"


def localised(obj, field: str) -> tuple[str, str]:
    """(text, language code) of `field` for the active language, falling back to the main text."""
    if (get_language() or MAIN_LANGUAGE).startswith("en"):
        english = getattr(obj, f"{field}_en", "") or ""
        if english.strip():
            return english, "en"
    return getattr(obj, field) or "", MAIN_LANGUAGE


def localised_label(obj, field: str):
    """The text of `field` for the active language, for a form label or option: wrapped in
    ``<span lang="..">`` when it is not in the page's language (WCAG 3.1.2)."""
    text, lang = localised(obj, field)
    return marked(text, lang)


def marked(text: str, lang: str):
    """`text`, wrapped in a span with its language when that is not the page's language."""
    page = "en" if (get_language() or MAIN_LANGUAGE).startswith("en") else MAIN_LANGUAGE
    if lang == page:
        return text
    return format_html('<span lang="{}">{}</span>', lang, text)


class Localised:
    """Descriptor: the text of `field` for the active language (see module docstring)."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return localised(obj, self.field)[0]


class LocalisedLanguage:
    """Descriptor: the language code of the text `Localised(field)` returns."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return localised(obj, self.field)[1]


class EnglishVersionFormMixin:
    """Form mixin: the ``<field>_en`` fields form the fieldset "English version (optional)"
    (template ``includes/bilingual_form_fields.html``); their inputs are marked ``lang="en"``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.endswith("_en"):
                field.widget.attrs["lang"] = "en"

    def main_fields(self):
        return [f for f in self.visible_fields() if not f.name.endswith("_en")]

    def english_fields(self):
        return [f for f in self.visible_fields() if f.name.endswith("_en")]
