"""Idea list page of an open call with 1,000 ideas and 50,000 votes.

Builds (once) benchmarks/.data/ideas_bench.sqlite3 (or uses DATABASE_URL), with idea titles and texts
from the OpenIDEO data set (../shared/data/openideo_ideas.csv.gz, benchmarks only), then requests idea
list pages through Django's test client as a visitor and as a logged-in voter. Prints median and p95
latency and SQL queries per page.

Usage: .venv/bin/python benchmarks/idea_list.py [--repeat 30]
"""

import argparse
import statistics
import time

from bootstrap import setup_django

PAGES = [
    ("most votes, page 1", {}),
    ("most votes, page 20", {"page": "20"}),
    ("newest", {"sort": "new"}),
    ("title, page 10", {"sort": "title", "page": "10"}),
    ("search", {"q": "community"}),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django("ideas_bench.sqlite3")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from ideas.benchmark_data import OPENIDEO, build_call, percentile
    from ideas.models import Vote

    setup_test_environment()
    print(f"idea texts: {'OpenIDEO' if OPENIDEO.exists() else 'generated'}")
    started = time.perf_counter()
    call = build_call("bench-list", n_ideas=1000, n_votes=50000, n_voters=5000)
    print(f"set-up {time.perf_counter() - started:.1f}s: {call.ideas.count()} ideas, "
          f"{Vote.objects.filter(call=call).count()} votes")  # fmt: skip
    voter = Vote.objects.filter(call=call).order_by("voter_id").first().voter
    clients = {"visitor": Client(), "voter": Client()}
    clients["voter"].force_login(voter)
    url = f"/calls/{call.slug}/ideas/"
    print(f"{'page':<22} {'who':<8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, params in PAGES:
        for who, client in clients.items():
            client.get(url, params)  # warm up
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    response = client.get(url, params)
                    timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            print(f"{label:<22} {who:<8} {statistics.median(timings):>10.1f} "
                  f"{percentile(timings, 95):>8.1f} {len(ctx.captured_queries):>8}")  # fmt: skip


if __name__ == "__main__":
    main()
