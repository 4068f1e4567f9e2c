"""Mark texts shown in another language than the page's (WCAG 3.1.2 "language of parts").

Models keep texts in two languages in one of two styles, and fall back to the other language when
the active one is empty:

- actors style: ``description_de`` / ``description_en`` with a ``description`` property;
- core.bilingual style: ``title`` (main language, German) / ``title_en``.

``{% lang_attr obj "description" %}`` renders `` lang="en"`` (or `` lang="de"``) when the text the
page shows for that field is in the other language, else nothing; put it on the element that holds
the text: ``<p{% lang_attr organisation "description" %}>{{ organisation.description }}</p>``.
``{% text_in_language obj "description" as text %}`` gives ``text.text``, ``text.lang`` and
``text.attr`` for templates that need more control.
"""

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.bilingual import MAIN_LANGUAGE, localised

register = template.Library()


def page_language() -> str:
    return "en" if (get_language() or MAIN_LANGUAGE).startswith("en") else "de"


def shown_text(obj, field: str) -> tuple[str, str]:
    """(text, language code) that the page shows for `field` of `obj` in the active language."""
    if obj is None:
        return "", page_language()
    if hasattr(obj, f"{field}_de") and hasattr(obj, f"{field}_en"):
        lang = page_language()
        other = "de" if lang == "en" else "en"
        own = getattr(obj, f"{field}_{lang}") or ""
        if own.strip():
            return own, lang
        return getattr(obj, f"{field}_{other}") or "", other
    if hasattr(obj, f"{field}_en"):
        return localised(obj, field)
    return getattr(obj, field, "") or "", page_language()


@dataclass(frozen=True)
class TextInLanguage:
    text: str
    lang: str
    foreign: bool

    @property
    def attr(self) -> SafeString:
        return format_html(' lang="{}"', self.lang) if self.foreign else mark_safe("")

    def __str__(self):
        return self.text


@register.simple_tag
def text_in_language(obj, field):
    text, lang = shown_text(obj, field)
    return TextInLanguage(text=text, lang=lang, foreign=bool(text) and lang != page_language())


@register.simple_tag
def lang_attr(obj, field):
    return text_in_language(obj, field).attr
