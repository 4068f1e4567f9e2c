"""Jury scoring, ranking and shortlisting for idea competitions (pure Python, no Django)."""

from .scoring import (
    HELIX_GROUPS,
    IdeaRanking,
    JuryComposition,
    juror_total,
    jury_composition,
    rank_ideas,
    shortlist,
)

__all__ = [
    "HELIX_GROUPS",
    "IdeaRanking",
    "JuryComposition",
    "jury_composition",
    "juror_total",
    "rank_ideas",
    "shortlist",
]
