"""Suggestion latency at benchmark scale (~110 clusters, 15,000 organisations).

Builds (once) the scale database benchmarks/.data/bench.sqlite3 (shared with directory_search.py) with
`seed_demo --scale` (organisations, postings and all embeddings with the real multilingual
encoder), or uses DATABASE_URL if set. Then times partner suggestions for random organisations and
postings (engine + database, warm per-process index) and the suggestion pages through Django's test
client, and prints median and p95 latency and SQL queries per call.

Usage: .venv/bin/python benchmarks/suggestion_latency.py [--repeat 200]
"""

import argparse
import random
import statistics
import time

from bootstrap import setup_django

setup_django("bench.sqlite3", migrate=False)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from actors.models import Organisation  # noqa: E402
from matching import suggestions  # noqa: E402
from matching.models import OrganisationEmbedding, Posting  # noqa: E402


def timed(label, calls):
    times, queries = [], 0
    for call in calls:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"{label:36} {statistics.median(times):>10.1f} {p95:>8.1f} {queries:>8}")
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if Organisation.objects.count() < 15000:
        started = time.perf_counter()
        call_command("seed_demo", scale=True, force=Organisation.objects.exists(), verbosity=0)
        print(f"seeded in {time.perf_counter() - started:.1f}s")
    if OrganisationEmbedding.objects.count() < Organisation.objects.count():
        started = time.perf_counter()
        suggestions.embed_organisations()
        suggestions.embed_postings()
        print(f"embedded in {time.perf_counter() - started:.1f}s")
    rng = random.Random(1)
    org_ids = list(Organisation.objects.values_list("pk", flat=True))
    posting_ids = list(Posting.objects.values_list("pk", flat=True))
    print(
        f"database: {connection.vendor}, organisations: {len(org_ids)}, postings: "
        f"{len(posting_ids)}, encoder: {suggestions.encoder().name}"
    )
    started = time.perf_counter()
    suggestions.organisation_index()
    suggestions.posting_index()
    suggestions.encoder().encode(["warm-up"])  # loads the model for query-text encoding
    print(
        f"index + encoder load (once per process): {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    orgs = list(
        Organisation.objects.select_related("region").filter(
            pk__in=rng.sample(org_ids, min(args.repeat, len(org_ids)))
        )
    )
    postings = list(
        Posting.objects.select_related("organisation__region").filter(
            pk__in=rng.sample(posting_ids, min(args.repeat, len(posting_ids)))
        )
    )
    print(f"{'call':36} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    all_times = timed(
        "partners for an organisation",
        [lambda o=o: suggestions.partners_for_organisation(o, k=12) for o in orgs],
    )
    all_times += timed(
        "partners for a posting",
        [lambda p=p: suggestions.partners_for_posting(p, k=10) for p in postings],
    )
    p95 = statistics.quantiles(all_times, n=20)[-1]
    print(f"{'ALL suggestions':36} {statistics.median(all_times):>10.1f} {p95:>8.1f}")
    client = Client()
    timed(
        "page /marketplace/organisations/…/partners/",
        [
            lambda o=o: client.get(f"/marketplace/organisations/{o.slug}/partners/")
            for o in orgs[:50]
        ],
    )
    public = [p for p in postings if p.visibility == "public"]
    timed(
        "page /marketplace/<id>/ (public postings)",
        [lambda p=p: client.get(f"/marketplace/{p.pk}/") for p in public[:50]],
    )
    timed(
        "marketplace search (any language)",
        [
            lambda q=q: client.get("/marketplace/", {"q": q})
            for q in ["Wasserstoff", "battery", "capteurs", "robotics"] * 10
        ],
    )


if __name__ == "__main__":
    main()
