"""CORDIS partner recommendation: predict first-time collaborations in later calls.

Builds organisation profiles from the CORDIS open data (Horizon Europe participations, call topics,
field-of-science labels, programme parts; H2020 participations for the collaboration graph) up to a
cut-off call year, then, for every organisation that starts at least one new collaboration in the
test calls, ranks all known organisations with the OpenRegion matching engine and reports
Recall@20 and MRR next to a popularity baseline (most-connected organisations first).

Pure Python + numpy (no Django). Uses the real multilingual encoder unless --encoder hashing.

Usage:
  .venv/bin/python benchmarks/cordis_linkpred.py --data ../shared/data --train-until 2021 \
      --test-from 2022 [--queries 2000] [--encoder use|hashing]
"""

import argparse
import csv
import gzip
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engines.matching import Candidates, MatchQuery, get_encoder, rank  # noqa: E402
from engines.matching.engine import Weights  # noqa: E402

HELIX = {"PRC": "business", "HES": "research", "REC": "research", "PUB": "public", "OTH": "civil"}
YEAR = re.compile(r"-(20\d\d)-")


def read(data: Path, name: str):
    with gzip.open(data / name, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load(data: Path, train_until: int, test_from: int):
    topic_of, year_of = {}, {}
    for row in read(data, "cordis_he_topics_to2022.csv.gz"):
        match = YEAR.search(row["topic"])
        if match:
            year_of[row["projectID"]] = int(match.group(1))
            topic_of[row["projectID"]] = row["title"]
    labels = defaultdict(list)
    for row in read(data, "cordis_he_euroSciVoc_to2022.csv.gz"):
        labels[row["projectID"]].append(row["euroSciVocTitle"])
    codes = defaultdict(set)
    for row in read(data, "cordis_he_euroSciVoc_to2022.csv.gz"):
        parts = row["euroSciVocCode"].strip("/").split("/")
        if len(parts) >= 2:
            codes[row["projectID"]].add("S" + "-".join(parts[:2]))
    members = defaultdict(set)
    info = {}
    for row in read(data, "cordis_he_organizations_to2022.csv.gz"):
        members[row["projectID"]].add(row["organisationID"])
        info.setdefault(
            row["organisationID"],
            (row["country"] or "", HELIX.get(row["activityType"], "civil")),
        )
    texts = defaultdict(list)
    sectors = defaultdict(set)
    train_edges, test_edges = set(), set()
    for project, orgs in members.items():
        year = year_of.get(project)
        if year is None:
            continue
        pairs = {tuple(sorted(p)) for p in combinations(orgs, 2)}
        if year <= train_until:
            train_edges |= pairs
            for org in orgs:
                texts[org].append(topic_of[project])
                texts[org].extend(labels.get(project, [])[:3])
                sectors[org] |= codes.get(project, set())
        elif year >= test_from:
            test_edges |= pairs
    # H2020 (2014-2020) adds older collaborations and programme parts to the training graph.
    h2020 = defaultdict(set)
    for row in read(data, "cordis_h2020_participations_eunets.csv.gz"):
        if (row["start_year"] or "0").isdigit() and int(row["start_year"]) <= train_until:
            h2020[row["rcn"]].add(row["pic"])
            info.setdefault(row["pic"], (row["country"] or "", HELIX.get(row["type"], "civil")))
    parts = {
        r["rcn"]: r["programme_part"]
        for r in read(data, "cordis_h2020_programme_parts_eunets.csv.gz")
    }
    for rcn, orgs in h2020.items():
        if len(orgs) > 60:
            continue
        train_edges |= {tuple(sorted(p)) for p in combinations(orgs, 2)}
        for org in orgs:
            if rcn in parts:
                sectors[org].add("H" + parts[rcn])
    return info, texts, sectors, train_edges, test_edges


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--train-until", type=int, default=2021)
    parser.add_argument("--test-from", type=int, default=2022)
    parser.add_argument("--queries", type=int, default=2000, help="sampled query organisations")
    parser.add_argument("--encoder", default="use")
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.time()
    info, texts, sectors, train_edges, test_edges = load(
        Path(args.data), args.train_until, args.test_from
    )
    neighbours = defaultdict(set)
    for a, b in train_edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    known = sorted(set(neighbours) | set(texts))
    index_of = {org: i for i, org in enumerate(known)}
    new_partners = defaultdict(set)
    for a, b in test_edges:
        if a in index_of and b in index_of and b not in neighbours[a]:
            new_partners[a].add(b)
            new_partners[b].add(a)
    queries = sorted(new_partners)
    random.Random(args.seed).shuffle(queries)
    queries = queries[: args.queries]
    print(
        f"{len(known)} organisations with a profile up to {args.train_until}, "
        f"{len(train_edges)} known collaborations; {len(new_partners)} organisations start new "
        f"collaborations from {args.test_from}; evaluating {len(queries)} of them "
        f"({time.time() - started:.0f} s to load)"
    )
    encoder = get_encoder(args.encoder)
    t0 = time.time()
    profile_texts = [" ; ".join(dict.fromkeys(texts.get(org, [])))[:1500] for org in known]
    vectors = np.zeros((len(known), encoder.dim), dtype=np.float32)
    with_text = [i for i, t in enumerate(profile_texts) if t]
    if with_text:
        vectors[with_text] = encoder.encode([profile_texts[i] for i in with_text])
    print(f"embedded {len(with_text)} profiles with {encoder.name} in {time.time() - t0:.0f} s")
    int_ids = list(range(len(known)))
    int_neighbours = {index_of[o]: {index_of[n] for n in adj} for o, adj in neighbours.items()}
    candidates = Candidates(
        ids=int_ids,
        vectors=vectors,
        sectors=[sectors.get(o, set()) for o in known],
        regions=[info.get(o, ("", ""))[0] for o in known],
        groups=[info.get(o, ("", "civil"))[1] for o in known],
        neighbours=int_neighbours,
    )
    popularity = candidates.popularity_scores()
    methods = {
        "popularity baseline": None,
        "text only": Weights(text=1, sector=0, graph=0, group=0, region=0),
        "OpenRegion engine": Weights(
            text=0.3, sector=0.05, graph=0.6, group=0.05, region=0.05, popularity=0.4
        ),
    }
    print(f"\n{'method':24} Recall@{args.k}   MRR     ms/query")
    for name, weights in methods.items():
        recalls, rranks, times = [], [], []
        for org in queries:
            q = index_of[org]
            targets = {index_of[t] for t in new_partners[org]}
            t1 = time.perf_counter()
            if weights is None:
                scores = popularity.copy()
                scores[q] = -1
                for n in int_neighbours.get(q, ()):
                    scores[n] = -1
                order = np.argsort(-scores, kind="stable")[:1000]
                ranked = [int(i) for i in order]
            else:
                query = MatchQuery(
                    vector=vectors[q] if np.any(vectors[q]) else None,
                    sectors=frozenset(candidates.sector_sets[q]),
                    region=candidates.regions[q],
                    group=candidates.groups[q],
                    partners=frozenset(int_neighbours.get(q, ())),
                    exclude=frozenset({q}),
                )
                ranked = [
                    s.id for s in rank(candidates, query, k=1000, weights=weights, explain=False)
                ]
            times.append((time.perf_counter() - t1) * 1000)
            top = ranked[: args.k]
            recalls.append(len(targets & set(top)) / len(targets))
            rr = 0.0
            for position, cand in enumerate(ranked, 1):
                if cand in targets:
                    rr = 1.0 / position
                    break
            rranks.append(rr)
        print(
            f"{name:24} {statistics.mean(recalls):.4f}      {statistics.mean(rranks):.4f}  "
            f"{statistics.median(times):.1f}"
        )
    print(f"\ntotal {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
