"""Amounts of money placed by locale: ``{% load money %}{{ service.price|money }}``.

German: "1.234,50 €"; English: "€1,234.50". Whole amounts keep their cents so prices line up."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

# language → (pattern, symbol position); {amount} is the locale-formatted number
PATTERNS = {"de": "{amount}\u00a0{symbol}", "en": "{symbol}{amount}"}
SYMBOLS = {"EUR": "€"}


@register.filter
def money(value, currency="EUR"):
    """Format ``value`` (Decimal, int, float or numeric string) as an amount in ``currency``.

    Empty values give an empty string; values that are not numbers are returned unchanged."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    number = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    language = (get_language() or "de").split("-")[0]
    pattern = PATTERNS.get(language, PATTERNS["de"])
    return pattern.format(amount=number, symbol=SYMBOLS.get(currency, currency))
