import re

CSRF = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')


def comparable(response, *replace: str) -> str:
    """The page without its (always different) CSRF tokens and with `replace` strings blanked, to
    compare two answers for equality."""
    text = CSRF.sub(r"\1TOKEN", response.content.decode())
    for value in replace:
        text = text.replace(value, "VALUE")
    return text
