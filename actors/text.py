"""Text normalisation shared by indexing and querying of the directory search."""

import re
import unicodedata

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_for_search(text: str) -> str:
    """Lower-case, fold umlauts (ä→ae) and other accents, keep only word characters and spaces."""
    text = (text or "").lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " " + _NON_WORD.sub(" ", text).strip() + " "


def search_terms(query: str) -> list[str]:
    """The query's words, normalised like the documents; at most eight, each at least 2 characters."""
    return [t for t in normalise_for_search(query).split() if len(t) >= 2][:8]
