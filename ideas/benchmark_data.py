"""Data for the open-call benchmarks (benchmarks/idea_list.py, benchmarks/vote_throughput.py)."""

import csv
import gzip
import random
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPENIDEO = ROOT.parent / "shared" / "data" / "openideo_ideas.csv.gz"


def openideo_texts(limit: int):
    """(title, description) pairs from the OpenIDEO data set, or generated ones if it is absent."""
    texts = []
    if OPENIDEO.exists():
        with gzip.open(OPENIDEO, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["title"].strip():
                    texts.append((row["title"].strip()[:200], row["description"].strip()[:2000]))
                if len(texts) >= limit:
                    break
    while len(texts) < limit:
        texts.append((f"Idea {len(texts) + 1}", "A generated benchmark idea."))
    return texts


def build_call(slug: str, n_ideas: int, n_votes: int, n_voters: int, seed: int = 1):
    """A call in its voting phase with n_ideas published ideas and n_votes votes (bulk created)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from actors.models import HelixType, NutsRegion, Organisation
    from ideas.models import Call, GuidingQuestion, Idea, Vote

    call = Call.objects.filter(slug=slug).first()
    if call is not None:
        return call
    rng = random.Random(seed)
    now = timezone.now()
    day = timedelta(days=1)
    organiser, _ = Organisation.objects.get_or_create(
        slug="benchmark-organiser",
        defaults={"name": "Benchmark Organiser", "helix_type": HelixType.PUBLIC,
                  "region": NutsRegion.objects.order_by("code").first()},
    )  # fmt: skip
    call = Call.objects.create(
        title=f"Benchmark call {slug}", slug=slug, description="Benchmark", organiser=organiser,
        is_published=True, submission_opens=now - 20 * day, submission_closes=now - 10 * day,
        voting_opens=now - 10 * day, voting_closes=now + 100 * day, jury_opens=now + 100 * day,
        jury_closes=now + 110 * day, results_on=now + 110 * day,
        implementation_opens=now + 120 * day, implementation_closes=now + 400 * day,
    )  # fmt: skip
    GuidingQuestion.objects.create(call=call, position=1, text="What is your idea?")
    password = make_password(None)
    User.objects.bulk_create(
        [User(email=f"{slug}-voter{i}@bench.example", password=password, email_confirmed=True)
         for i in range(n_voters)],
        batch_size=2000, ignore_conflicts=True,
    )  # fmt: skip
    voters = list(
        User.objects.filter(email__endswith="@bench.example", email__startswith=f"{slug}-voter")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    texts = openideo_texts(n_ideas)
    Idea.objects.bulk_create(
        [Idea(call=call, author_id=voters[i % len(voters)], title=t, summary=d,
              status=Idea.Status.PUBLISHED, submitted_at=now - timedelta(minutes=i))
         for i, (t, d) in enumerate(texts)],
        batch_size=1000,
    )  # fmt: skip
    ideas = list(call.ideas.order_by("pk").values_list("pk", flat=True))
    pairs = set()
    while len(pairs) < n_votes:
        pairs.add((rng.choice(voters), rng.choice(ideas)))
    Vote.objects.bulk_create(
        [Vote(voter_id=v, idea_id=i, call=call) for v, i in pairs], batch_size=5000
    )
    counts = {}
    for _v, i in pairs:
        counts[i] = counts.get(i, 0) + 1
    objs = [Idea(pk=i, vote_count=counts.get(i, 0)) for i in ideas]
    Idea.objects.bulk_update(objs, ["vote_count"], batch_size=1000)
    return call


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
