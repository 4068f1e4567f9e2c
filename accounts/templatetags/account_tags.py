from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta, rounded up (for "try again in N minutes")."""
    if not isinstance(value, timedelta):
        return 0
    seconds = max(0, int(value.total_seconds()))
    return (seconds + 59) // 60
