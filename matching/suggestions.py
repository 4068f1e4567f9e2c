"""Glue between the database and the pure-Python matching engine.

Embeddings are computed by background tasks and stored as float32 bytes. At query time the
candidate matrices are loaded once per process and cached; the cache key changes whenever an
embedding, an organisation or a collaboration changes, so a stale index is rebuilt on next use.
"""

import functools
import hashlib
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Collaboration, HelixType, NaceSector, NutsRegion, Organisation
from engines.matching import Candidates, MatchQuery, get_encoder, rank
from engines.matching.encoders import from_bytes, to_bytes

from .models import OrganisationEmbedding, Posting, PostingKind, PostingStatus, Visibility

# Which partner types a posting of each kind looks for (quadruple helix groups).
KIND_AFFINITY = {
    PostingKind.TECHNOLOGY_OFFER: {"business": 1.0, "public": 0.6, "research": 0.5, "civil": 0.3},
    PostingKind.TECHNOLOGY_REQUEST: {"research": 1.0, "business": 0.8, "public": 0.3, "civil": 0.2},
    PostingKind.BUSINESS_COOPERATION: {"business": 1.0, "research": 0.4, "public": 0.4},
    PostingKind.RD_PARTNER: {"research": 1.0, "business": 0.8, "public": 0.4, "civil": 0.3},
    PostingKind.SUPPLIER: {"business": 1.0, "research": 0.2},
    PostingKind.PROJECT_IDEA: {"business": 0.8, "research": 0.8, "public": 0.8, "civil": 0.8},
}
# Offers find requests and vice versa; the other kinds find postings of any kind.
COMPLEMENTARY_KINDS = {
    PostingKind.TECHNOLOGY_OFFER: {PostingKind.TECHNOLOGY_REQUEST: 1.0},
    PostingKind.TECHNOLOGY_REQUEST: {PostingKind.TECHNOLOGY_OFFER: 1.0},
    PostingKind.SUPPLIER: {
        PostingKind.TECHNOLOGY_OFFER: 0.8,
        PostingKind.BUSINESS_COOPERATION: 0.8,
    },
}


def encoder():
    return get_encoder(getattr(settings, "OPENREGION_TEXT_ENCODER", "use"))


# -- embeddings ------------------------------------------------------------------------------


def organisation_text(org, sectors=(), competences=()) -> str:
    parts = [org.name, org.description_en, org.description_de]
    parts += [s.name_en for s in sectors] + [c.name_en for c in competences]
    return ". ".join(p for p in parts if p)


def embed_organisations(ids=None, batch_size: int = 500) -> int:
    """Compute missing or outdated organisation embeddings; returns how many were (re)computed."""
    enc = encoder()
    qs = Organisation.objects.prefetch_related("sectors", "competences").order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    existing = {
        e["organisation_id"]: (e["model"], e["text_hash"])
        for e in OrganisationEmbedding.objects.filter(organisation__in=qs.values("pk")).values(
            "organisation_id", "model", "text_hash"
        )
    }
    done = 0
    pks = list(qs.values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        batch = qs.filter(pk__in=pks[start : start + batch_size])
        todo = []
        for org in batch:
            text = organisation_text(org, org.sectors.all(), org.competences.all())
            digest = hashlib.sha1(text.encode()).hexdigest()
            if existing.get(org.pk) != (enc.name, digest):
                todo.append((org.pk, text, digest))
        if not todo:
            continue
        vectors = enc.encode([t for _, t, _ in todo])
        OrganisationEmbedding.objects.filter(organisation_id__in=[p for p, _, _ in todo]).delete()
        now = timezone.now()
        OrganisationEmbedding.objects.bulk_create(
            [
                OrganisationEmbedding(
                    organisation_id=pk,
                    vector=to_bytes(vector),
                    model=enc.name,
                    text_hash=digest,
                    updated_at=now,
                )
                for (pk, _, digest), vector in zip(todo, vectors, strict=True)
            ],
            batch_size=1000,
        )
        done += len(todo)
    mark_stale("organisations")
    return done


def embed_postings(ids=None) -> int:
    enc = encoder()
    qs = Posting.objects.order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    postings = list(qs.only("pk", "title", "description"))
    if not postings:
        return 0
    vectors = enc.encode([p.embedding_text() for p in postings])
    now = timezone.now()
    for posting, vector in zip(postings, vectors, strict=True):
        posting.embedding = to_bytes(vector)
        posting.embedding_model = enc.name
        posting.embedded_at = now
    Posting.objects.bulk_update(
        postings, ["embedding", "embedding_model", "embedded_at"], batch_size=500
    )
    mark_stale("postings")
    return len(postings)


def _vector_of_posting(posting):
    enc = encoder()
    vector = from_bytes(posting.embedding, enc.dim) if posting.embedding_model == enc.name else None
    if vector is None:
        vector = enc.encode([posting.embedding_text()])[0]
    return vector


# -- cached candidate indexes ----------------------------------------------------------------

_cache: dict[str, tuple[tuple, Candidates, float]] = {}
_stale: dict[str, bool] = {}
_cache_lock = threading.Lock()


def _organisation_key():
    return (
        encoder().name,
        tuple(OrganisationEmbedding.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        tuple(Organisation.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        tuple(Collaboration.objects.aggregate(n=Count("id"), m=Max("id")).values()),
    )


def _build_organisation_index() -> Candidates:
    enc = encoder()
    rows = list(
        Organisation.objects.order_by("pk").values_list(
            "pk", "region__code", "helix_type", "name", "description_en", "description_de"
        )
    )
    row_of = {pk: i for i, (pk, *_rest) in enumerate(rows)}
    vectors = np.zeros((len(rows), enc.dim), dtype=np.float32)
    for org_id, data in OrganisationEmbedding.objects.filter(model=enc.name).values_list(
        "organisation_id", "vector"
    ):
        vector = from_bytes(data, enc.dim)
        if vector is not None and org_id in row_of:
            vectors[row_of[org_id]] = vector
    sectors = [set() for _ in rows]
    for org_id, code in Organisation.sectors.through.objects.values_list(
        "organisation_id", "nacesector__code"
    ):
        if org_id in row_of:
            sectors[row_of[org_id]].add(code)
    neighbours: dict[int, set[int]] = {}
    for a, b in Collaboration.objects.values_list("organisation_a_id", "organisation_b_id"):
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    return Candidates(
        ids=[r[0] for r in rows],
        vectors=vectors,
        sectors=sectors,
        regions=[r[1] for r in rows],
        groups=[r[2] for r in rows],
        texts=[f"{r[3]} {r[4]} {r[5]}" for r in rows],
        neighbours=neighbours,
    )


def _posting_key():
    qs = Posting.objects.filter(status=PostingStatus.PUBLISHED)
    return (encoder().name, tuple(qs.aggregate(n=Count("id"), t=Max("updated_at")).values()))


def _build_posting_index() -> Candidates:
    enc = encoder()
    postings = list(
        Posting.objects.filter(status=PostingStatus.PUBLISHED)
        .order_by("pk")
        .select_related("organisation__region")
        .prefetch_related("sectors")
    )
    vectors = np.zeros((len(postings), enc.dim), dtype=np.float32)
    missing = []
    for i, posting in enumerate(postings):
        vector = (
            from_bytes(posting.embedding, enc.dim) if posting.embedding_model == enc.name else None
        )
        if vector is None:
            missing.append(i)
        else:
            vectors[i] = vector
    if missing:  # tasks not run yet: embed on the fly (not stored; the task will store them)
        vectors[missing] = enc.encode([postings[i].embedding_text() for i in missing])
    return Candidates(
        ids=[p.pk for p in postings],
        vectors=vectors,
        sectors=[{s.code for s in p.sectors.all()} for p in postings],
        # anonymous postings carry no region: ranking and explanations must not reveal it
        regions=["" if p.is_anonymous else p.organisation.region.code for p in postings],
        groups=[p.kind for p in postings],
        texts=[p.embedding_text() for p in postings],
    )


def _cached(name, key_func, build_func) -> Candidates:
    """The cached index; its key is re-read from the database at most every few seconds, and at
    once after a change made in this process (see mark_stale)."""
    ttl = getattr(settings, "OPENREGION_MATCHING_INDEX_TTL", 5.0)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(name)
        if hit and not _stale.get(name) and now - hit[2] < ttl:
            return hit[1]
        _stale[name] = False
    key = key_func()
    if hit and hit[0] == key:
        with _cache_lock:
            _cache[name] = (key, hit[1], now)
        return hit[1]
    index = build_func()
    with _cache_lock:
        _cache[name] = (key, index, now)
    return index


def mark_stale(*names):
    """Force a key check on next use (called when this process changes matching data)."""
    with _cache_lock:
        for name in names or ("organisations", "postings"):
            _stale[name] = True


def organisation_index() -> Candidates:
    return _cached("organisations", _organisation_key, _build_organisation_index)


def posting_index() -> Candidates:
    return _cached("postings", _posting_key, _build_posting_index)


def clear_cache(*names):
    with _cache_lock:
        for name in names or list(_cache):
            _cache.pop(name, None)


# -- explanations ----------------------------------------------------------------------------


@dataclass
class Match:
    object: object
    score: float
    explanation: list[str]


def _shared_region(home: str, code: str) -> str:
    """The most precise NUTS region containing both ``home`` and ``code`` ("" if none): DEA5 and
    DEA1 share DEA, DEA5 and DE11 only the country DE."""
    length = 0
    for a, b in zip(home, code, strict=False):
        if a != b:
            break
        length += 1
    return code[:length] if length >= 2 else ""


def _region_line(shared: str, names) -> str:
    """ "Nearby" only for the same NUTS-2 region (or finer); a shared NUTS-1 region or country is
    named as what it is — a Dortmund firm and one in Stuttgart are not "nearby"."""
    name = names.get(shared, shared)
    if len(shared) >= 4:
        return _("Nearby: %(region)s") % {"region": name}
    if len(shared) == 3:
        return _("Same federal state or major region: %(region)s") % {"region": name}
    return _("Same country: %(country)s") % {"country": name}


def _explanations(
    suggestions, index: Candidates, group_labels, group_message, home=""
) -> list[list[str]]:
    """Human-readable, translated reasons; a constant number of queries for the whole list.

    ``home``: the region code the query knew (an organisation's NUTS region, or only the country
    of an anonymous posting); a candidate's region is named only down to what both share, so a
    query that knew only the country never reveals more than the country."""

    shared = {
        r.value: _shared_region(home, r.value)
        for s in suggestions
        for r in s.reasons
        if r.kind == "region"
    }
    codes = {c for s in suggestions for r in s.reasons if r.kind == "sectors" for c in r.value}
    regions = {r.value for s in suggestions for r in s.reasons if r.kind == "region_sought"}
    regions |= {code for code in shared.values() if code}
    partner_ids = {
        p for s in suggestions for r in s.reasons if r.kind == "shared_partners" for p in r.value
    }
    sector_names = (
        {s.code: s.name for s in NaceSector.objects.filter(code__in=codes)} if codes else {}
    )
    region_names = (
        dict(NutsRegion.objects.filter(code__in=regions).values_list("code", "name"))
        if regions
        else {}
    )
    partner_names = (
        dict(Organisation.objects.filter(pk__in=partner_ids).values_list("pk", "name"))
        if partner_ids
        else {}
    )
    result = []
    for suggestion in suggestions:
        lines = []
        for reason in suggestion.reasons:
            if reason.kind == "text" and reason.value >= 0.2:
                lines.append(
                    _("Similar topics (text similarity %(percent)s %%)")
                    % {"percent": round(reason.value * 100)}
                )
            elif reason.kind == "keywords":
                lines.append(_("Shared terms: %(terms)s") % {"terms": ", ".join(reason.value)})
            elif reason.kind == "sectors":
                names = [f"{c} {sector_names.get(c, '')}".strip() for c in reason.value]
                lines.append(_("Same sector: %(sectors)s") % {"sectors": "; ".join(names)})
            elif reason.kind == "section":
                lines.append(
                    _("Related sector (NACE section %(section)s)")
                    % {"section": ", ".join(reason.value)}
                )
            elif reason.kind == "region":
                if shared.get(reason.value):
                    lines.append(_region_line(shared[reason.value], region_names))
            elif reason.kind == "region_sought":
                lines.append(
                    _("In a region you look for: %(region)s")
                    % {"region": region_names.get(reason.value, reason.value)}
                )
            elif reason.kind == "group":
                lines.append(group_message % {"type": group_labels.get(reason.value, reason.value)})
            elif reason.kind == "shared_partners":
                names = [partner_names[p] for p in reason.value if p in partner_names]
                lines.append(_("Shared partners: %(names)s") % {"names": ", ".join(names)})
        result.append(lines)
    return result


def _organisation_matches(suggestions, index, home="") -> list[Match]:
    orgs = Organisation.objects.select_related("region").in_bulk([s.id for s in suggestions])
    explanations = _explanations(
        suggestions,
        index,
        dict(HelixType.choices),
        _("Complementary partner type: %(type)s"),
        home,
    )
    return [
        Match(orgs[s.id], s.score, lines)
        for s, lines in zip(suggestions, explanations, strict=True)
        if s.id in orgs
    ]


def _organisation_vector(org, index):
    row = index.row_of.get(org.pk)
    if row is not None and np.any(index.vectors[row]):
        return index.vectors[row]
    return encoder().encode([organisation_text(org, org.sectors.all(), org.competences.all())])[0]


# -- public entry points ---------------------------------------------------------------------


def partners_for_organisation(org, k: int = 10) -> list[Match]:
    index = organisation_index()
    row = index.row_of.get(org.pk)
    query = MatchQuery(
        vector=_organisation_vector(org, index),
        text=f"{org.description_en} {org.description_de}",
        sectors=frozenset(index.sector_sets[row]) if row is not None else frozenset(),
        region=org.region.code if org.region_id else "",
        group=org.helix_type,
        partners=frozenset(index.neighbours.get(org.pk, ())),
        exclude=frozenset({org.pk}),
    )
    return _organisation_matches(rank(index, query, k=k), index, query.region)


def _public_query_facts(posting, viewer_knows_identity: bool) -> dict:
    """What a query built from a posting may use. For an anonymous posting and a viewer who may
    not know its organisation, only the shown facts: its own content and the shown (k-anonymous)
    country — no home region, no collaboration partners, no exclusion of its organisation — so
    the suggestions are a function of what the page shows (see anonymity.py)."""
    if viewer_knows_identity or not posting.is_anonymous:
        return {
            "region": posting.organisation.region.code,
            "group": posting.organisation.helix_type,
            "organisation_id": posting.organisation_id,
        }
    from .anonymity import public_country

    return {"region": public_country(posting), "group": "", "organisation_id": None}


def _hidden_author_exclusion(posting) -> frozenset:
    """Organisations never suggested for an anonymous posting to viewers who may not know its
    author: all active members of its brokering cluster (the group the author hides in, which the
    page shows), and the author. Leaving out only the author would tell who it is."""
    from actors.models import Membership

    members = Membership.objects.filter(
        cluster_id=posting.cluster_id, status=Membership.Status.ACTIVE
    ).values_list("organisation_id", flat=True)
    return frozenset(members) | {posting.organisation_id}


def _known_same_organisation(organisation_id, known_ids):
    """Postings of the organisation the viewer may attribute to it (default: the non-anonymous)."""
    qs = Posting.objects.filter(organisation_id=organisation_id)
    if known_ids is None:
        qs = qs.exclude(visibility=Visibility.ANONYMOUS)
    else:
        qs = qs.filter(pk__in=list(known_ids))
    return set(qs.values_list("pk", flat=True))


def partners_for_posting(posting, k: int = 10, viewer_knows_identity: bool = False) -> list[Match]:
    """Organisations that fit a posting. ``viewer_knows_identity``: whether the viewer may know the
    organisation behind the posting (matters for anonymous postings only)."""
    index = organisation_index()
    facts = _public_query_facts(posting, viewer_knows_identity)
    own = facts["organisation_id"]
    query = MatchQuery(
        vector=_vector_of_posting(posting),
        text=posting.embedding_text(),
        sectors=frozenset(s.code for s in posting.sectors.all()),
        region=facts["region"],
        regions_sought=tuple(r.code for r in posting.regions_sought.all()),
        group=facts["group"],
        group_affinity=KIND_AFFINITY.get(posting.kind),
        partners=frozenset(index.neighbours.get(own, ())) if own else frozenset(),
        exclude=frozenset({own}) if own else _hidden_author_exclusion(posting),
    )
    return _organisation_matches(rank(index, query, k=k), index, query.region)


def postings_for_organisation(org, visible_ids, k: int = 10, known_ids=None) -> list[Match]:
    """Published postings (of others) matching an organisation profile, among `visible_ids`.

    Only the organisation's postings among ``known_ids`` (those whose organisation the viewer may
    know; default: its non-anonymous ones) are left out: leaving out its anonymous postings would
    tell who wrote them."""
    index = posting_index()
    org_index = organisation_index()
    visible = set(visible_ids)
    mask = np.fromiter((int(i) in visible for i in index.ids), dtype=bool, count=len(index))
    row = org_index.row_of.get(org.pk)
    query = MatchQuery(
        vector=_organisation_vector(org, org_index),
        text=f"{org.description_en} {org.description_de}",
        sectors=frozenset(org_index.sector_sets[row]) if row is not None else frozenset(),
        region=org.region.code,
        group_affinity={kind: 0.5 for kind in PostingKind.values},
        mask=mask,
        exclude=frozenset(_known_same_organisation(org.pk, known_ids)),
    )
    return _posting_matches(rank(index, query, k=k), index, query.region)


def postings_for_posting(
    posting, visible_ids, k: int = 5, viewer_knows_identity: bool = False, known_ids=None
) -> list[Match]:
    """Published postings that fit a posting, among `visible_ids`. Postings of the same
    organisation are left out only where the viewer may know it (``known_ids``)."""
    index = posting_index()
    visible = set(visible_ids)
    mask = np.fromiter((int(i) in visible for i in index.ids), dtype=bool, count=len(index))
    facts = _public_query_facts(posting, viewer_knows_identity)
    same_organisation = set()
    if facts["organisation_id"]:
        same_organisation = _known_same_organisation(posting.organisation_id, known_ids)
    query = MatchQuery(
        vector=_vector_of_posting(posting),
        text=posting.embedding_text(),
        sectors=frozenset(s.code for s in posting.sectors.all()),
        region=facts["region"],
        group_affinity=COMPLEMENTARY_KINDS.get(posting.kind, {}),
        mask=mask,
        exclude=frozenset(same_organisation | {posting.pk}),
    )
    return _posting_matches(rank(index, query, k=k), index, query.region)


def _posting_matches(suggestions, index, home="") -> list[Match]:
    postings = Posting.objects.select_related("organisation__region", "cluster").in_bulk(
        [s.id for s in suggestions]
    )
    explanations = _explanations(
        suggestions,
        index,
        dict(PostingKind.choices),
        _("Complementary type of posting: %(type)s"),
        home,
    )
    return [
        Match(postings[s.id], s.score, lines)
        for s, lines in zip(suggestions, explanations, strict=True)
        if s.id in postings
    ]


@functools.lru_cache(maxsize=512)
def _query_vector(encoder_name: str, text: str):
    return encoder().encode([text])[0]


def semantic_posting_order(text: str, candidate_ids, minimum: float | None = None) -> list[int]:
    """Ids among candidate_ids ranked by text relevance to `text` (any language), best first."""
    if minimum is None:
        minimum = getattr(settings, "OPENREGION_SEARCH_MIN_SIMILARITY", 0.2)
    index = posting_index()
    allowed = set(candidate_ids)
    mask = np.fromiter((int(i) in allowed for i in index.ids), dtype=bool, count=len(index))
    if not mask.any():
        return []
    vector = _query_vector(encoder().name, text.strip().lower())
    scores = index.text_scores(MatchQuery(vector=vector))
    order = np.argsort(-scores, kind="stable")
    return [int(index.ids[row]) for row in order if mask[row] and scores[row] >= minimum]
