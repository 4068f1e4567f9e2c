"""Votes per second under concurrent writers, and a check that no vote is lost or counted twice.

Each writer thread is one verified voter casting (and sometimes withdrawing) votes through
ideas.services on a call with 200 ideas. Uses benchmarks/.data/votes_bench.sqlite3 or DATABASE_URL
(e.g. PostgreSQL). Prints votes/s per number of writers and the consistency check.

Usage: .venv/bin/python benchmarks/vote_throughput.py [--votes-per-writer 50] [--writers 1 4 16 32]
"""

import argparse
import random
import threading
import time
from collections import Counter

from bootstrap import setup_django


def _writer(user, seed, barrier, idea_ids, votes, errors, done):
    from django.db import connections

    from ideas import services
    from ideas.models import Idea

    rng = random.Random(seed)
    ops = 0
    try:
        barrier.wait()
        for n, pk in enumerate(rng.sample(idea_ids, votes)):
            idea = Idea.objects.select_related("call").get(pk=pk)
            services.cast_vote(user, idea)
            ops += 1
            if n % 5 == 4:  # every fifth vote is withdrawn again
                services.withdraw_vote(user, idea)
                ops += 1
    except Exception as exc:  # noqa: BLE001 - reported by the caller
        errors.append(repr(exc))
    finally:
        done.append(ops)
        connections.close_all()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--votes-per-writer", type=int, default=50)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16, 32])
    args = parser.parse_args()
    setup_django("votes_bench.sqlite3")
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from accounts.models import User
    from ideas.benchmark_data import build_call
    from ideas.models import Idea, Vote

    call = build_call("bench-votes", n_ideas=200, n_votes=0, n_voters=1)
    idea_ids = list(call.ideas.values_list("pk", flat=True))
    print(f"database: {connection.vendor}; ideas: {len(idea_ids)}")
    print(f"{'writers':>8} {'ops':>7} {'seconds':>8} {'ops/s':>8} {'consistent':>11}")
    for writers in args.writers:
        Vote.objects.filter(call=call).delete()
        Idea.objects.filter(call=call).update(vote_count=0)
        password = make_password(None)
        emails = [f"tp{writers}-{i}@bench.example" for i in range(writers)]
        User.objects.bulk_create(
            [User(email=e, password=password, email_confirmed=True) for e in emails],
            ignore_conflicts=True,
        )
        users = list(User.objects.filter(email__in=emails))
        errors, done = [], []
        barrier = threading.Barrier(writers)
        threads = [
            threading.Thread(
                target=_writer,
                args=(user, i, barrier, idea_ids, args.votes_per_writer, errors, done),
            )
            for i, user in enumerate(users)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        counts = Counter(Vote.objects.filter(call=call).values_list("idea_id", flat=True))
        stored = dict(Idea.objects.filter(call=call).values_list("pk", "vote_count"))
        expected = writers * (args.votes_per_writer - args.votes_per_writer // 5)
        consistent = (
            not errors
            and all(stored[pk] == counts.get(pk, 0) for pk in idea_ids)
            and sum(counts.values()) == expected
        )
        print(f"{writers:>8} {sum(done):>7} {seconds:>8.2f} {sum(done) / seconds:>8.0f} "
              f"{'yes' if consistent else 'NO':>11}")  # fmt: skip
        if errors:
            print("errors:", errors[:3])


if __name__ == "__main__":
    main()
