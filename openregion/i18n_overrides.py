"""Project-wide wording for some of Django's own strings.

The project catalogue (LOCALE_PATHS) wins over Django's admin and core catalogues; listing the
strings here keeps them in openregion/locale when `make messages` runs.
"""

from django.utils.translation import gettext_noop

DJANGO_OVERRIDES = [
    gettext_noop("Save"),
    gettext_noop("Search"),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
]
