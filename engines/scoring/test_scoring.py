import pytest

from engines.scoring import juror_total, jury_composition, rank_ideas, shortlist

WEIGHTS = {"impact": 2, "feasibility": 1}


def test_juror_total_is_weighted_and_normalised():
    assert juror_total({"impact": 5, "feasibility": 1}, WEIGHTS, 1, 5) == pytest.approx(66.6667)
    assert juror_total({"impact": 1, "feasibility": 1}, WEIGHTS, 1, 5) == 0
    assert juror_total({"impact": 5, "feasibility": 5}, WEIGHTS, 1, 5) == 100


def test_incomplete_scoring_does_not_count_and_bad_scores_fail():
    assert juror_total({"impact": 5}, WEIGHTS, 1, 5) is None
    with pytest.raises(ValueError):
        juror_total({"impact": 6, "feasibility": 1}, WEIGHTS, 1, 5)
    with pytest.raises(ValueError):
        juror_total({"impact": 1}, WEIGHTS, 5, 5)


def test_rank_ideas_mean_spread_ties_and_unscored():
    scores = [
        ("a", "j1", "impact", 5), ("a", "j1", "feasibility", 5),
        ("a", "j2", "impact", 1), ("a", "j2", "feasibility", 1),
        ("b", "j1", "impact", 3), ("b", "j1", "feasibility", 3),
        ("b", "j2", "impact", 3), ("b", "j2", "feasibility", 3),
        ("c", "j1", "impact", 5), ("c", "j1", "feasibility", 5),
        ("d", "j1", "impact", 5),  # incomplete
    ]  # fmt: skip
    ranking = rank_ideas(scores, WEIGHTS, 1, 5, ideas=["a", "b", "c", "d", "e"])
    assert [r.idea for r in ranking] == ["c", "a", "b", "d", "e"]
    by_idea = {r.idea: r for r in ranking}
    assert by_idea["c"].rank == 1 and by_idea["c"].mean == 100
    # a and b both average 50 points: same rank, b's jurors agree, a's disagree completely
    assert by_idea["a"].mean == by_idea["b"].mean == 50
    assert by_idea["a"].rank == by_idea["b"].rank == 2
    assert by_idea["a"].spread == 100 and by_idea["a"].stdev == 50
    assert by_idea["b"].spread == 0
    assert by_idea["a"].criterion_means == {"impact": 3, "feasibility": 3}
    assert by_idea["d"].mean is None and by_idea["d"].rank == 0
    assert by_idea["e"].juror_count == 0


def test_shortlist_by_votes_with_overrides_and_deterministic_ties():
    votes = {1: 10, 2: 30, 3: 20, 4: 20, 5: 0}
    assert shortlist(votes, 3) == [2, 3, 4]
    assert shortlist(votes, 3, order={3: 2, 4: 1}) == [2, 4, 3]
    assert shortlist(votes, 3, include=[5], exclude=[2]) == [5, 3, 4]
    assert shortlist(votes, 1, include=[5, 1]) == [5, 1]  # organiser decisions exceed the size
    assert shortlist(votes, 0) == []
    with pytest.raises(ValueError):
        shortlist(votes, -1)


def test_jury_composition_reports_missing_helix_groups():
    composition = jury_composition(["business", "research", "business"])
    assert composition.counts == {"business": 2, "research": 1, "public": 0, "civil": 0}
    assert composition.missing == ["public", "civil"]
    assert not composition.complete
    assert jury_composition(["business", "research", "public", "civil"]).complete
