"""Many voters at once: no vote may be lost or counted twice (SQLite and PostgreSQL)."""

import random
from collections import Counter

import pytest
from django.db import connection

from ideas import services
from ideas.models import Call, Comment, Idea, Phase, Vote
from ideas.services import RuleError
from tests.concurrency import run_at_once
from tests.factories import UserFactory

from .factories import CallFactory, IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 24


def _assert_consistent(call):
    votes = Counter(Vote.objects.filter(call=call).values_list("idea_id", flat=True))
    for idea in Idea.objects.filter(call=call):
        assert idea.vote_count == votes.get(idea.pk, 0), idea.title
    pairs = list(Vote.objects.filter(call=call).values_list("voter_id", "idea_id"))
    assert len(pairs) == len(set(pairs))
    return votes


def test_concurrent_voters_cast_and_withdraw_without_lost_or_double_votes():
    call = CallFactory(phase=Phase.VOTING)
    ideas = IdeaFactory.create_batch(5, call=call)
    voters = UserFactory.create_batch(THREADS)
    expected = Counter()
    plans = []
    rng = random.Random(4)
    for voter in voters:
        chosen = rng.sample(ideas, 3)
        withdrawn = chosen[0] if rng.random() < 0.5 else None
        plans.append((voter, chosen, withdrawn))
        for idea in chosen:
            if idea is not withdrawn:
                expected[idea.pk] += 1

    def worker(voter, chosen, withdrawn):
        def run():
            for idea in chosen:
                services.cast_vote(voter, Idea.objects.select_related("call").get(pk=idea.pk))
                # a second click of the same voter must be refused, not counted
                with pytest.raises(RuleError):
                    services.cast_vote(voter, Idea.objects.select_related("call").get(pk=idea.pk))
            if withdrawn is not None:
                services.withdraw_vote(
                    voter, Idea.objects.select_related("call").get(pk=withdrawn.pk)
                )

        return run

    run_at_once([worker(*plan) for plan in plans])
    votes = _assert_consistent(call)
    assert votes == expected
    assert sum(votes.values()) == sum(expected.values())


def test_same_voter_racing_on_one_idea_and_budget_counts_once():
    call = CallFactory(phase=Phase.VOTING, vote_budget=3)
    ideas = IdeaFactory.create_batch(6, call=call)
    voter = UserFactory()
    results = []

    def worker(idea):
        def run():
            try:
                services.cast_vote(voter, Idea.objects.select_related("call").get(pk=idea.pk))
                results.append("ok")
            except RuleError:
                results.append("refused")

        return run

    # 4 threads per idea on 6 ideas: the same voter hammers every idea at once
    run_at_once([worker(idea) for idea in ideas for _ in range(4)])
    assert results.count("ok") == 3  # the budget holds under concurrency
    assert Vote.objects.filter(voter=voter).count() == 3
    _assert_consistent(call)
    assert connection.vendor in ("sqlite", "postgresql")


def _fresh(idea):
    return Idea.objects.select_related("call").get(pk=idea.pk)


def test_a_double_submitted_comment_is_stored_once_in_parallel_and_in_sequence():
    idea = IdeaFactory(call=CallFactory(phase=Phase.VOTING))
    author = UserFactory()
    run_at_once([lambda: services.add_comment(author, _fresh(idea), "Wir wären dabei!")] * 4)
    assert Comment.objects.filter(idea=idea).count() == 1
    again = services.add_comment(author, _fresh(idea), "Wir wären dabei!")
    assert Comment.objects.filter(idea=idea).count() == 1 and again.text == "Wir wären dabei!"
    # a different comment, or the same words of someone else, is a new comment
    services.add_comment(author, _fresh(idea), "Und noch etwas.")
    services.add_comment(UserFactory(), _fresh(idea), "Wir wären dabei!")
    assert Comment.objects.filter(idea=idea).count() == 3


def test_a_double_submitted_idea_is_created_once_in_parallel_and_in_sequence():
    call = CallFactory(phase=Phase.SUBMISSION)
    author = UserFactory()
    answers = {q.pk: "Antwort" for q in call.questions.all()}

    def submit():
        idea = Idea(call=Call.objects.get(pk=call.pk), author=author, title="Reallabor",
                    summary="Testfeld für Betriebe")  # fmt: skip
        services.save_idea(author, idea, answers, [], submit=True)

    run_at_once([submit] * 4)
    assert Idea.objects.filter(call=call).count() == 1
    submit()
    assert Idea.objects.filter(call=call).count() == 1
    idea = Idea.objects.get(call=call)
    assert idea.status == Idea.Status.SUBMITTED and idea.answers.count() == len(answers)
