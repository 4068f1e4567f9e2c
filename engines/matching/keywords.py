"""Shared salient words between two texts, for explanations ("both mention: hydrogen, storage")."""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = set(
    """
    a an and are as at be by for from has have in is it its of on or our the to we with you your
    this that these those will can into over under more most other such their them they us via
    looking look seek seeking search searching partner partners project projects company companies
    field small established working work results pilot pilots joint transfer offer request new
    der die das und oder mit für fuer von vom zu zum zur im in ein eine einen einem einer eines ist
    sind wir sie ihr auf aus bei als an am auch den dem des nicht nach noch über ueber unter wie
    suchen sucht partner partnern projekt projekte vorhaben unternehmen feld kleines etabliertes
    schwerpunkt gemeinsame gemeinsamen pilotprojekte transfer ergebnissen ergebnisse neue neuen
    le la les un une des du de et ou pour avec dans sur au aux nous vous est sont en par
    el los las y o con para por del una uno il lo gli e di da per con una het een en van voor met
    """.split()
)
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _tokens(text: str) -> dict[str, str]:
    """Stem (first 6 folded letters) -> first surface form, for words of 4+ letters."""
    result: dict[str, str] = {}
    for word in re.findall(r"[^\W\d_]{4,}", text or ""):
        folded = unicodedata.normalize("NFKD", word.lower().translate(_FOLD))
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        if folded in STOPWORDS:
            continue
        result.setdefault(folded[:6], word.lower())
    return result


def shared_keywords(query: str, candidate: str, limit: int = 5) -> list[str]:
    """Words (as spelled in the candidate) whose stems occur in both texts, longest first."""
    query_stems = _tokens(query)
    found = [form for stem, form in _tokens(candidate).items() if stem in query_stems]
    found.sort(key=lambda w: (-len(w), w))
    return found[:limit]
