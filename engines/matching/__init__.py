"""Matchmaking engine: ranks organisations and postings for a query organisation or posting.

Pure Python + numpy (no Django). Text relevance comes from a pluggable multilingual text encoder
(see encoders.py); structural signals are sectors, regions, helix complementarity and the
collaboration graph. Every suggestion carries machine-readable reasons that the UI turns into a
short human-readable explanation.
"""

from .encoders import HashingEncoder, TextEncoder, UniversalSentenceEncoder, get_encoder
from .engine import Candidates, MatchQuery, Reason, Suggestion, rank
from .keywords import shared_keywords

__all__ = [
    "Candidates",
    "HashingEncoder",
    "MatchQuery",
    "Reason",
    "Suggestion",
    "TextEncoder",
    "UniversalSentenceEncoder",
    "get_encoder",
    "rank",
    "shared_keywords",
]
