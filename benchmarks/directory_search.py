"""Directory search latency at benchmark scale (~110 clusters, 15,000 organisations).

Builds (once) a separate SQLite database benchmarks/.data/bench.sqlite3 with `seed_demo --scale`,
or uses DATABASE_URL if set, then requests directory pages through Django's test client and prints
median and p95 latency and SQL queries per page for several typical searches.

Usage: .venv/bin/python benchmarks/directory_search.py [--repeat 30]
"""

import argparse
import statistics
import time

from bootstrap import setup_django

setup_django("bench.sqlite3", migrate=False)

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actors.directory import search_organisations  # noqa: E402
from actors.forms import DirectoryFilterForm  # noqa: E402
from actors.models import Cluster, Organisation  # noqa: E402

QUERIES = [
    ("no filter", {}),
    ("one word", {"q": "robotik"}),
    ("two words", {"q": "wasserstoff energie"}),
    ("English word", {"q": "hydrogen"}),
    ("helix + region", {"helix": "research", "region": "DE"}),
    ("sector section", {"sector": "C"}),
    ("word + sector + SME", {"q": "software", "sector": "J62", "sme": "on"}),
    ("no hit", {"q": "zzzxxy"}),
    ("page 20", {"page": "20"}),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Organisation.objects.count() < 15000:
        started = time.perf_counter()
        call_command("seed_demo", scale=True, force=Organisation.objects.exists(), verbosity=0)
        print(f"seeded in {time.perf_counter() - started:.1f}s")
    cluster = Cluster.objects.order_by("id").first()
    queries = [*QUERIES, ("cluster filter", {"cluster": cluster.slug})]
    print(
        f"database: {connection.vendor}, organisations: {Organisation.objects.count()}, "
        f"clusters: {Cluster.objects.count()}"
    )
    client = Client()
    all_times = []
    print(
        f"{'search':24} {'hits':>6} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    )
    for label, params in queries:
        started = time.perf_counter()
        client.get("/organisations/", params)  # first request: cold caches, reported apart
        first = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(args.repeat):
            reset_queries()  # the query log is capped; a full log would hide this page's queries
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get("/organisations/", params)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        form = DirectoryFilterForm(params)
        form.is_valid()
        hits = search_organisations(form.to_query()).count()
        all_times += times
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{label:24} {hits:>6} {first:>9.1f} {statistics.median(times):>10.1f} {p95:>8.1f} "
            f"{len(ctx.captured_queries):>8}"
        )
    p95 = statistics.quantiles(all_times, n=20)[-1]
    print(f"{'ALL':24} {'':>6} {'':>9} {statistics.median(all_times):>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
