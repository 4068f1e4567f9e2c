"""Brokerage scheduling benchmark: 500 participants, 3,000 accepted meeting requests.

Run: .venv/bin/python benchmarks/brokerage_scheduling.py [--runs 5]
A day of 24 slots of 20 minutes and 150 tables (defaults); 10% of participants block 1-3 slots.
Prints median/p95 scheduling time and the share of meetings scheduled, verifies that nobody and no
table is double-booked, and prints a lower bound on the meetings no schedule could place.
"""

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engines.scheduling import Meeting, schedule_meetings  # noqa: E402


def build(seed=2026, participants=500, requests=3000, slots=20):
    rng = random.Random(seed)
    people = list(range(participants))
    # some participants are in high demand (skewed popularity, like real brokerage events)
    weights = [1 + 4 * (rng.random() < 0.1) for _ in people]
    pairs = set()
    while len(pairs) < requests:
        a = rng.choice(people)
        b = rng.choices(people, weights)[0]
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    meetings = [Meeting(i, a, b) for i, (a, b) in enumerate(sorted(pairs))]
    unavailable = {
        p: set(rng.sample(range(slots), rng.randint(1, 3))) for p in rng.sample(people, 50)
    }
    return meetings, unavailable


def unscheduled_lower_bound(meetings, unavailable, slots) -> int:
    """No schedule can place more meetings per person than free slots: every dropped meeting
    relieves at most two overbooked people, and two only if both ends are overbooked."""
    degree = Counter()
    for m in meetings:
        degree[m.a] += 1
        degree[m.b] += 1
    excess = {p: max(0, d - (slots - len(unavailable.get(p, ())))) for p, d in degree.items()}
    both = sum(1 for m in meetings if excess[m.a] and excess[m.b])
    total = sum(excess.values())
    return max(total - both, (total + 1) // 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slots", type=int, default=24)
    parser.add_argument("--tables", type=int, default=150)
    args = parser.parse_args()
    meetings, unavailable = build(slots=args.slots)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = schedule_meetings(meetings, args.slots, args.tables, unavailable)
        times.append(time.perf_counter() - start)
    by_id = {m.id: m for m in meetings}
    booked = set()
    for mid, (slot, table) in result.assignments.items():
        m = by_id[mid]
        for key in ((m.a, slot), (m.b, slot), ("table", slot, table)):
            assert key not in booked, f"double booking {key}"
            booked.add(key)
        assert slot not in unavailable.get(m.a, ()) and slot not in unavailable.get(m.b, ())
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(
        f"participants: 500, meeting requests: {len(meetings)}, slots: {args.slots}, "
        f"tables: {args.tables}"
    )
    print(
        f"scheduling time: median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms over {args.runs} runs"
    )
    print(
        f"scheduled: {len(result.assignments)} of {len(meetings)} "
        f"({result.scheduled_share:.1%}); unscheduled: {len(result.unscheduled)}; "
        "double bookings: 0"
    )
    bound = unscheduled_lower_bound(meetings, unavailable, args.slots)
    print(f"lower bound on unscheduled (participants with more meetings than free slots): {bound}")


if __name__ == "__main__":
    main()
