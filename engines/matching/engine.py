"""Ranking of candidates (organisations or postings) for a query, with explanations.

All candidate data lives in numpy arrays built once (`Candidates`); a query costs one matrix-vector
product plus a few vectorised structural signals, so ranking stays fast for tens of thousands of
candidates. Explanations are computed only for the returned top k.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .keywords import shared_keywords

# How well a candidate group complements the query group (quadruple helix). Symmetric defaults:
# companies gain most from research partners and vice versa; peers of the same kind still count.
HELIX_AFFINITY = {
    "business": {"business": 0.6, "research": 1.0, "public": 0.5, "civil": 0.3},
    "research": {"business": 1.0, "research": 0.6, "public": 0.6, "civil": 0.4},
    "public": {"business": 0.8, "research": 0.8, "public": 0.4, "civil": 0.7},
    "civil": {"business": 0.5, "research": 0.6, "public": 0.8, "civil": 0.5},
}


@dataclass(frozen=True)
class Weights:
    text: float = 0.55
    sector: float = 0.15
    graph: float = 0.12
    group: float = 0.10
    region: float = 0.08
    popularity: float = 0.0


@dataclass(frozen=True)
class Reason:
    """One part of an explanation. kind: text, keywords, sectors, section, region, region_sought,
    group, shared_partners. `value` is a number, a code or a tuple of words/codes/ids."""

    kind: str
    value: object = None


@dataclass(frozen=True)
class Suggestion:
    id: int
    score: float
    reasons: tuple[Reason, ...]


@dataclass
class MatchQuery:
    vector: np.ndarray | None = None
    text: str = ""
    sectors: frozenset[str] = frozenset()
    region: str = ""  # home NUTS code of the query organisation
    regions_sought: tuple[str, ...] = ()  # NUTS prefixes, e.g. ("FR", "DE1")
    group: str = ""  # helix type of the query organisation
    group_affinity: dict[str, float] | None = None  # overrides HELIX_AFFINITY[group]
    partners: frozenset[int] = frozenset()  # ids of known collaborators (graph signal)
    exclude: frozenset[int] = frozenset()
    mask: np.ndarray | None = None  # boolean per candidate row: False = never suggest


@dataclass
class Candidates:
    ids: Sequence[int]
    vectors: np.ndarray
    sectors: Sequence[Iterable[str]]
    regions: Sequence[str]
    groups: Sequence[str]
    texts: Sequence[str] | None = None
    neighbours: dict[int, set[int]] = field(default_factory=dict)

    def __post_init__(self):
        self.ids = np.asarray(self.ids, dtype=np.int64)
        n = len(self.ids)
        vectors = np.ascontiguousarray(self.vectors, dtype=np.float32)
        dim = vectors.shape[-1] if vectors.ndim == 2 else (vectors.size // n if n else 0)
        self.vectors = vectors.reshape(n, dim)
        self.row_of = {int(i): row for row, i in enumerate(self.ids)}
        vocabulary = sorted({code for codes in self.sectors for code in codes})
        self.sector_column = {code: col for col, code in enumerate(vocabulary)}
        sections = sorted({code[:1] for code in vocabulary})
        self.section_column = {code: col for col, code in enumerate(sections)}
        self.sector_matrix = np.zeros((n, max(1, len(vocabulary))), dtype=np.uint8)
        self.section_matrix = np.zeros((n, max(1, len(sections))), dtype=np.uint8)
        self.sector_sets = []
        for row, codes in enumerate(self.sectors):
            codes = frozenset(codes)
            self.sector_sets.append(codes)
            for code in codes:
                self.sector_matrix[row, self.sector_column[code]] = 1
                self.section_matrix[row, self.section_column[code[:1]]] = 1
        self.region_array = np.asarray([r or "" for r in self.regions], dtype="U5")
        # Integer codes of each prefix length (country, NUTS 1, 2, 3) for fast comparisons.
        self.prefix_codes = {}
        for length in (2, 3, 4, 5):
            vocabulary: dict[str, int] = {}
            self.prefix_codes[length] = (
                vocabulary,
                np.asarray(
                    [
                        vocabulary.setdefault(r[:length], len(vocabulary))
                        if len(r) >= length
                        else -1
                        for r in (r or "" for r in self.regions)
                    ],
                    dtype=np.int32,
                ),
            )
        group_names = sorted(set(self.groups))
        self.group_index = {g: i for i, g in enumerate(group_names)}
        self.group_codes = np.asarray([self.group_index[g] for g in self.groups], dtype=np.int16)
        self.degree = {node: len(adj) for node, adj in self.neighbours.items()}

    def __len__(self):
        return len(self.ids)

    # -- signals, each an array in [0, 1] per candidate -------------------------------------
    def text_scores(self, query: MatchQuery) -> np.ndarray:
        if query.vector is None or not len(self) or self.vectors.shape[1] != len(query.vector):
            return np.zeros(len(self), dtype=np.float32)
        return np.clip(self.vectors @ np.asarray(query.vector, dtype=np.float32), 0.0, 1.0)

    def sector_scores(self, query: MatchQuery) -> np.ndarray:
        scores = np.zeros(len(self), dtype=np.float32)
        cols = [self.sector_column[c] for c in query.sectors if c in self.sector_column]
        if cols:
            overlap = self.sector_matrix[:, cols].sum(axis=1)
            scores = np.where(overlap > 0, np.minimum(1.0, 0.7 + 0.15 * overlap), 0.0)
        section_cols = sorted(
            {self.section_column[c[:1]] for c in query.sectors if c[:1] in self.section_column}
        )
        if section_cols:
            same_section = self.section_matrix[:, section_cols].any(axis=1)
            scores = np.maximum(scores, np.where(same_section, 0.35, 0.0))
        return scores.astype(np.float32)

    def _has_prefix(self, prefix: str) -> np.ndarray:
        if len(prefix) not in self.prefix_codes:
            return np.char.startswith(self.region_array, prefix)
        vocabulary, codes = self.prefix_codes[len(prefix)]
        code = vocabulary.get(prefix)
        return codes == code if code is not None else np.zeros(len(self), dtype=bool)

    def region_scores(self, query: MatchQuery) -> np.ndarray:
        if query.regions_sought:
            hit = np.zeros(len(self), dtype=bool)
            for prefix in query.regions_sought:
                hit |= self._has_prefix(prefix)
            return hit.astype(np.float32)
        if not query.region:
            return np.zeros(len(self), dtype=np.float32)
        home = query.region
        scores = np.where(self._has_prefix(home[:2]), 0.4, 0.0)
        if len(home) >= 3:
            scores = np.where(self._has_prefix(home[:3]), 0.7, scores)
        if len(home) >= 4:
            scores = np.where(self._has_prefix(home[:4]), 1.0, scores)
        return scores.astype(np.float32)

    def group_scores(self, query: MatchQuery) -> np.ndarray:
        affinity = query.group_affinity or HELIX_AFFINITY.get(query.group, {})
        table = np.zeros(max(1, len(self.group_index)), dtype=np.float32)
        for group, index in self.group_index.items():
            table[index] = affinity.get(group, 0.0)
        return table[self.group_codes] if len(self) else np.zeros(0, dtype=np.float32)

    def graph_scores(self, query: MatchQuery) -> np.ndarray:
        """Adamic-Adar over the collaboration graph: partners of my partners, weighted by rarity."""
        raw = np.zeros(len(self), dtype=np.float32)
        for partner in query.partners:
            adj = self.neighbours.get(partner)
            if not adj:
                continue
            weight = 1.0 / math.log(2 + len(adj))
            for node in adj:
                row = self.row_of.get(node)
                if row is not None:
                    raw[row] += weight
        return 1.0 - np.exp(-raw)

    def popularity_scores(self) -> np.ndarray:
        if getattr(self, "_popularity", None) is not None:
            return self._popularity
        degrees = np.asarray([self.degree.get(int(i), 0) for i in self.ids], dtype=np.float32)
        self._popularity = np.log1p(degrees) / max(1.0, float(np.log1p(degrees.max(initial=0))))
        return self._popularity


def rank(
    candidates: Candidates,
    query: MatchQuery,
    k: int = 10,
    weights: Weights = Weights(),  # noqa: B008 - frozen dataclass
    explain: bool = True,
) -> list[Suggestion]:
    """The k best candidates for the query, best first, each with its reasons."""
    n = len(candidates)
    if n == 0 or k <= 0:
        return []
    text = candidates.text_scores(query)
    sector = candidates.sector_scores(query)
    region = candidates.region_scores(query)
    group = candidates.group_scores(query)
    graph = candidates.graph_scores(query) if weights.graph and query.partners else None
    score = weights.text * text + weights.sector * sector + weights.region * region
    score = score + weights.group * group
    if graph is not None:
        score = score + weights.graph * graph
    if weights.popularity:
        score = score + weights.popularity * candidates.popularity_scores()
    score = score.astype(np.float32)
    blocked = np.zeros(n, dtype=bool)
    if query.mask is not None:
        blocked |= ~np.asarray(query.mask, dtype=bool)
    for node in set(query.exclude) | set(query.partners):
        row = candidates.row_of.get(int(node))
        if row is not None:
            blocked[row] = True
    score[blocked] = -np.inf
    available = int((~blocked).sum())
    k = min(k, available)
    if k <= 0:
        return []
    top = np.argpartition(-score, k - 1)[:k] if k < n else np.arange(n)
    top = top[np.argsort(-score[top], kind="stable")]
    results = []
    for row in top:
        if not np.isfinite(score[row]):
            continue
        reasons = (
            _explain(candidates, query, int(row), text, sector, region, group, graph)
            if explain
            else ()
        )
        results.append(Suggestion(int(candidates.ids[row]), float(score[row]), reasons))
    return results


def _explain(candidates, query, row, text, sector, region, group, graph) -> tuple[Reason, ...]:
    reasons = []
    if text[row] > 0:
        reasons.append(Reason("text", round(float(text[row]), 2)))
    if candidates.texts is not None and query.text:
        words = shared_keywords(query.text, candidates.texts[row])
        if words:
            reasons.append(Reason("keywords", tuple(words)))
    shared = sorted(query.sectors & candidates.sector_sets[row])
    if shared:
        reasons.append(Reason("sectors", tuple(shared)))
    elif sector[row] > 0:
        sections = sorted(
            {c[:1] for c in query.sectors} & {c[:1] for c in candidates.sector_sets[row]}
        )
        reasons.append(Reason("section", tuple(sections)))
    if region[row] > 0:
        kind = "region_sought" if query.regions_sought else "region"
        reasons.append(Reason(kind, str(candidates.region_array[row])))
    if group[row] >= 0.8:
        reasons.append(Reason("group", candidates.groups[row]))
    if graph is not None and graph[row] > 0:
        node = int(candidates.ids[row])
        via = sorted(p for p in query.partners if node in candidates.neighbours.get(p, ()))
        reasons.append(Reason("shared_partners", tuple(via[:5])))
    return tuple(reasons)
