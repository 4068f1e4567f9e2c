"""Brokerage scheduling benchmark: 500 participants, 3,000 accepted meeting requests.

Run: .venv/bin/python benchmarks/brokerage_scheduling.py [--runs 5] [--with-db]
A day of 24 slots of 20 minutes and 150 tables (defaults); 10% of participants block 1-3 slots.
Prints median/p95 scheduling time and the share of meetings scheduled, verifies that nobody and no
table is double-booked, and prints a lower bound on the meetings no schedule could place.
--with-db also times the whole service call events.services.run_scheduler (read requests, schedule,
write slots, tables and agenda rows) from an empty schedule, and one re-run that keeps it, on benchmarks/.data/brokerage_bench.sqlite3 or DATABASE_URL, and
checks the stored schedule for double bookings.
"""

import argparse
import os
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


def _percentiles(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95


def with_db(meetings, unavailable, slots, tables, runs):
    root = Path(__file__).resolve().parent.parent
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openregion.settings")
    if "DATABASE_URL" not in os.environ:
        (root / "benchmarks" / ".data").mkdir(exist_ok=True)
        db = root / "benchmarks" / ".data" / "brokerage_bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import User
    from actors.models import Cluster, NutsRegion
    from events import services
    from events.models import AgendaEntry, Event, MeetingRequest, Registration

    call_command("migrate", verbosity=0)
    Event.objects.filter(slug="brokerage-benchmark").delete()
    cluster, _ = Cluster.objects.get_or_create(
        slug="brokerage-benchmark",
        defaults={
            "name": "Benchmark cluster",
            "innovation_field": "Benchmark",
            "region": NutsRegion.objects.order_by("pk").first(),
        },
    )
    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        cluster=cluster,
        slug="brokerage-benchmark",
        title="Brokerage benchmark",
        format=Event.Format.BROKERAGE,
        mode=Event.Mode.ONSITE,
        location="Hall",
        starts_at=start,
        ends_at=start + timedelta(minutes=20 * slots + 60),
        meetings_start=start,
        meeting_minutes=20,
        meeting_slots=slots,
        tables=tables,
    )
    emails = [f"bench{p:04d}@brokerage.example" for p in range(500)]
    User.objects.bulk_create([User(email=e, full_name=e) for e in emails], ignore_conflicts=True)
    users = dict(enumerate(User.objects.filter(email__in=emails).order_by("email")))
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=user,
            state="registered",
            unavailable_slots=sorted(unavailable.get(p, ())),
        )
        for p, user in users.items()
    )
    MeetingRequest.objects.bulk_create(
        (
            MeetingRequest(
                event=event, requester=users[m.a], recipient=users[m.b], state="accepted"
            )
            for m in meetings
        ),
        batch_size=1000,
    )
    office, _ = User.objects.get_or_create(  # runs the scheduler (a platform admin)
        email="bench-office@brokerage.example",
        defaults={"full_name": "Benchmark office", "is_superuser": True},
    )
    times = []
    for _ in range(runs):
        # every timed run starts from an empty schedule (the expensive case: all rows written)
        AgendaEntry.objects.filter(event=event).delete()
        MeetingRequest.objects.filter(event=event).update(slot=None, table=None)
        begin = time.perf_counter()
        result = services.run_scheduler(event, office)
        times.append(time.perf_counter() - begin)
    begin = time.perf_counter()
    rerun = services.run_scheduler(event, office)
    rerun_time = time.perf_counter() - begin
    doubles = (
        AgendaEntry.objects.filter(event=event)
        .values("user", "slot")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    tables_doubled = (
        event.meeting_requests.filter(slot__isnull=False)
        .values("slot", "table")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    assert doubles == 0 and tables_doubled == 0
    median, p95 = _percentiles(times)
    engine = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(
        f"with database ({engine}): run_scheduler median {median * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms over {runs} runs; {result.scheduled} meetings stored, "
        f"{result.unscheduled} unscheduled; double bookings in the database: 0"
    )
    print(
        f"re-run keeping the schedule: {rerun_time * 1000:.0f} ms, "
        f"{rerun.moved} meetings moved, {rerun.scheduled} scheduled"
    )
    event.delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slots", type=int, default=24)
    parser.add_argument("--tables", type=int, default=150)
    parser.add_argument("--with-db", action="store_true", help="also time the service layer")
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
    median, p95 = _percentiles(times)
    print(
        f"participants: 500, meeting requests: {len(meetings)}, slots: {args.slots}, "
        f"tables: {args.tables}"
    )
    print(
        f"scheduling time: median {median * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms over {args.runs} runs"
    )
    print(
        f"scheduled: {len(result.assignments)} of {len(meetings)} "
        f"({result.scheduled_share:.1%}); unscheduled: {len(result.unscheduled)}; "
        "double bookings: 0"
    )
    bound = unscheduled_lower_bound(meetings, unavailable, args.slots)
    print(f"lower bound on unscheduled (participants with more meetings than free slots): {bound}")
    if args.with_db:
        with_db(meetings, unavailable, args.slots, args.tables, args.runs)


if __name__ == "__main__":
    main()
