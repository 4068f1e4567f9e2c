"""Criteria-based multi-juror scoring.

Each juror scores each idea per criterion on a scale [scale_min, scale_max]. A juror's total for an
idea is the weighted mean of the normalised criterion scores, expressed in points out of 100. An idea's
jury score is the mean of the totals of the jurors who scored it completely; the spread (max - min and
population standard deviation of the juror totals) shows how much the jurors disagree.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

HELIX_GROUPS = ("business", "research", "public", "civil")


def juror_total(
    scores: Mapping[Hashable, float],
    weights: Mapping[Hashable, float],
    scale_min: float,
    scale_max: float,
) -> float | None:
    """Weighted, normalised total (0-100) of one juror's scores for one idea.

    Returns None unless every weighted criterion has a score (incomplete scorings do not count).
    """
    if scale_max <= scale_min:
        raise ValueError("scale_max must be greater than scale_min")
    total_weight = sum(w for w in weights.values() if w > 0)
    if total_weight <= 0:
        return None
    acc = 0.0
    for criterion, weight in weights.items():
        if weight <= 0:
            continue
        if criterion not in scores or scores[criterion] is None:
            return None
        value = scores[criterion]
        if not scale_min <= value <= scale_max:
            raise ValueError(f"score {value} outside the scale {scale_min}-{scale_max}")
        acc += weight * (value - scale_min) / (scale_max - scale_min)
    return round(100.0 * acc / total_weight, 4)


@dataclass
class IdeaRanking:
    idea: Hashable
    rank: int = 0
    mean: float | None = None
    spread: float = 0.0  # max - min of juror totals
    stdev: float = 0.0  # population standard deviation of juror totals
    juror_totals: dict = field(default_factory=dict)  # juror -> total
    criterion_means: dict = field(default_factory=dict)  # criterion -> mean raw score

    @property
    def juror_count(self) -> int:
        return len(self.juror_totals)


def rank_ideas(
    scores: Iterable[tuple[Hashable, Hashable, Hashable, float]],
    weights: Mapping[Hashable, float],
    scale_min: float,
    scale_max: float,
    ideas: Iterable[Hashable] = (),
) -> list[IdeaRanking]:
    """Rank ideas from (idea, juror, criterion, score) tuples.

    Ideas listed in `ideas` but without complete scores appear last without a mean. Ties share a
    rank (1, 2, 2, 4); order within a tie: more jurors first, then the idea key.
    """
    by_idea: dict = defaultdict(lambda: defaultdict(dict))
    raw_by_criterion: dict = defaultdict(lambda: defaultdict(list))
    for idea, juror, criterion, value in scores:
        by_idea[idea][juror][criterion] = value
        raw_by_criterion[idea][criterion].append(value)
    keys = list(dict.fromkeys([*ideas, *by_idea.keys()]))
    rankings = []
    for idea in keys:
        totals = {}
        for juror, juror_scores in by_idea.get(idea, {}).items():
            total = juror_total(juror_scores, weights, scale_min, scale_max)
            if total is not None:
                totals[juror] = total
        ranking = IdeaRanking(idea=idea, juror_totals=totals)
        ranking.criterion_means = {
            c: round(statistics.fmean(v), 2) for c, v in raw_by_criterion.get(idea, {}).items()
        }
        if totals:
            values = list(totals.values())
            ranking.mean = round(statistics.fmean(values), 2)
            ranking.spread = round(max(values) - min(values), 2)
            ranking.stdev = round(statistics.pstdev(values), 2)
        rankings.append(ranking)

    def sort_key(r: IdeaRanking):
        return (r.mean is None, -(r.mean or 0.0), -r.juror_count, str(r.idea))

    rankings.sort(key=sort_key)
    previous = None
    for position, ranking in enumerate(rankings, start=1):
        if ranking.mean is None:
            ranking.rank = 0
            continue
        if previous is not None and previous.mean == ranking.mean:
            ranking.rank = previous.rank
        else:
            ranking.rank = position
        previous = ranking
    return rankings


def shortlist(
    vote_counts: Mapping[Hashable, int],
    size: int,
    include: Iterable[Hashable] = (),
    exclude: Iterable[Hashable] = (),
    order: Mapping[Hashable, object] | None = None,
) -> list[Hashable]:
    """The shortlist: organiser inclusions first, then the most voted ideas up to `size`.

    `exclude` removes ideas whatever their votes; `include` adds ideas even beyond `size` (an explicit
    organiser decision wins over the limit). Ties in votes are broken by `order` (e.g. submission time,
    earlier first), then by the idea key, so the result is deterministic.
    """
    if size < 0:
        raise ValueError("size must not be negative")
    excluded = set(exclude)
    included = [i for i in dict.fromkeys(include) if i not in excluded]
    order = order or {}
    candidates = [i for i in vote_counts if i not in excluded and i not in set(included)]
    candidates.sort(key=lambda i: (-vote_counts[i], order.get(i, 0), str(i)))
    free = max(size - len(included), 0)
    return included + candidates[:free]


@dataclass
class JuryComposition:
    counts: dict
    missing: list

    @property
    def complete(self) -> bool:
        return not self.missing


def jury_composition(
    helix_types: Iterable[str], groups: Iterable[str] = HELIX_GROUPS
) -> JuryComposition:
    """How many jurors come from each helix group and which groups are missing."""
    groups = list(groups)
    counts = dict.fromkeys(groups, 0)
    for helix in helix_types:
        counts[helix] = counts.get(helix, 0) + 1
    return JuryComposition(counts=counts, missing=[g for g in groups if counts[g] == 0])
