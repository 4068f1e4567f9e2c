"""Password rules beyond Django's validators."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LETTER_RUN = re.compile(r"[^\W\d_]+")

# Words people put in front of a number or year; lower case, German and English.
GUESSABLE_WORDS = frozenset(
    """
    frühling fruehling sommer herbst winter spring summer autumn fall
    januar jänner februar märz maerz april mai juni juli august september oktober november dezember
    january february march may june july october december
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    monday tuesday wednesday thursday friday saturday sunday
    passwort password kennwort geheim secret letmein welcome willkommen hallo hello admin
    administrator qwertz qwerty openregion login user nutzer benutzer test
    """.split()
)


class WordWithNumberValidator:
    """Reject a password that is one word with digits or symbols around it: "Sommer2024",
    "Winter2025!", "Passwort123", "Dezember2024!!". Such passwords are found quickly by guessing
    words with years and numbers.

    Rejected when the password has exactly one run of letters and
    - that word is a season, month, weekday or common password word, or a part of the user's name or
      e-mail address; or
    - digits come with it and the word has at most ``max_word_length`` letters.
    Longer single words without digits ("correcthorsebatterystaple") and passwords with several
    words ("Sonnenblume-Weizenfeld-42") pass."""

    def __init__(self, max_word_length: int = 16):
        self.max_word_length = max_word_length

    def _personal_words(self, user) -> set[str]:
        if user is None:
            return set()
        text = f"{getattr(user, 'full_name', '') or ''} {getattr(user, 'email', '') or ''}"
        return {word.lower() for word in LETTER_RUN.findall(text) if len(word) >= 3}

    def validate(self, password, user=None):
        words = LETTER_RUN.findall(password or "")
        if len(words) != 1:
            return
        word = words[0].lower()
        has_digits = any(ch.isdigit() for ch in password)
        if (
            word in GUESSABLE_WORDS
            or word in self._personal_words(user)
            or (has_digits and len(word) <= self.max_word_length)
        ):
            raise ValidationError(
                _(
                    "This password is one word with numbers or symbols around it (like "
                    "“Sommer2024”) and is easy to guess. Use several words or a longer phrase."
                ),
                code="password_word_with_number",
            )

    def get_help_text(self):
        return _(
            "Your password must not be a single word with a number or year (like “Sommer2024”)."
        )
