import random
from collections import defaultdict

import pytest

from engines.scheduling import Meeting, schedule_meetings


def assert_valid(result, meetings, n_slots, tables, unavailable=None):
    unavailable = unavailable or {}
    by_id = {m.id: m for m in meetings}
    seen_person = set()
    seen_table = set()
    for mid, (slot, table) in result.assignments.items():
        m = by_id[mid]
        assert 0 <= slot < n_slots and 1 <= table <= tables
        for p in (m.a, m.b):
            assert (p, slot) not in seen_person, f"{p} double-booked in slot {slot}"
            assert slot not in unavailable.get(p, ())
            seen_person.add((p, slot))
        assert (slot, table) not in seen_table
        seen_table.add((slot, table))
    assert set(result.assignments) | set(result.unscheduled) == set(by_id)
    assert not set(result.assignments) & set(result.unscheduled)


def test_simple_schedule_has_no_double_booking():
    meetings = [Meeting(1, "a", "b"), Meeting(2, "a", "c"), Meeting(3, "b", "c")]
    result = schedule_meetings(meetings, n_slots=3, tables=5)
    assert_valid(result, meetings, 3, 5)
    assert result.unscheduled == [] and result.scheduled_share == 1.0
    assert len({slot for slot, _ in result.assignments.values()}) == 3


def test_tables_limit_meetings_per_slot():
    meetings = [Meeting(i, f"p{i}", f"q{i}") for i in range(5)]
    result = schedule_meetings(meetings, n_slots=2, tables=2)
    assert_valid(result, meetings, 2, 2)
    assert len(result.assignments) == 4 and len(result.unscheduled) == 1


def test_unavailability_is_respected_and_impossible_meetings_reported():
    meetings = [Meeting("m1", "a", "b"), Meeting("m2", "c", "d")]
    unavailable = {"a": {0}, "b": {1}, "c": {0, 1}}
    result = schedule_meetings(meetings, n_slots=2, tables=3, unavailable=unavailable)
    assert_valid(result, meetings, 2, 3, unavailable)
    assert sorted(result.unscheduled) == ["m1", "m2"]


def test_repair_moves_a_blocking_meeting():
    # a greedy order that puts a-b in slot 0 would block a-c (c only free in slot 0)
    meetings = [Meeting(1, "a", "b"), Meeting(2, "a", "c")]
    result = schedule_meetings(meetings, n_slots=2, tables=1, unavailable={"c": {1}})
    assert result.assignments == {1: (1, 1), 2: (0, 1)}


def test_invalid_input():
    with pytest.raises(ValueError):
        schedule_meetings([Meeting(1, "a", "a")], 2, 2)
    with pytest.raises(ValueError):
        schedule_meetings([Meeting(1, "a", "b"), Meeting(1, "c", "d")], 2, 2)
    assert schedule_meetings([], 0, 0).scheduled_share == 1.0


def test_random_large_event_is_valid_and_mostly_scheduled():
    rng = random.Random(7)
    people = list(range(120))
    pairs = set()
    while len(pairs) < 500:
        a, b = rng.sample(people, 2)
        pairs.add((min(a, b), max(a, b)))
    meetings = [Meeting(i, a, b) for i, (a, b) in enumerate(sorted(pairs))]
    unavailable = defaultdict(set)
    for p in rng.sample(people, 30):
        unavailable[p].add(rng.randrange(16))
    result = schedule_meetings(meetings, n_slots=16, tables=40, unavailable=unavailable)
    assert_valid(result, meetings, 16, 40, unavailable)
    assert result.scheduled_share > 0.95


def test_overbooked_pair_loses_their_common_meeting_first():
    # a and b each have three meetings but only two slots: dropping a-b alone is optimal
    meetings = [
        Meeting("ab", "a", "b"),
        Meeting("ac", "a", "c"),
        Meeting("ae", "a", "e"),
        Meeting("bd", "b", "d"),
        Meeting("bf", "b", "f"),
    ]
    result = schedule_meetings(meetings, n_slots=2, tables=5)
    assert_valid(result, meetings, 2, 5)
    assert result.unscheduled == ["ab"]


def test_rerun_with_previous_schedule_keeps_slots_and_tables():
    rng = random.Random(3)
    people = list(range(40))
    pairs = set()
    while len(pairs) < 120:
        a, b = rng.sample(people, 2)
        pairs.add((min(a, b), max(a, b)))
    meetings = [Meeting(i, a, b) for i, (a, b) in enumerate(sorted(pairs))]
    first = schedule_meetings(meetings[:100], n_slots=10, tables=12)
    again = schedule_meetings(meetings[:100], n_slots=10, tables=12, previous=first.assignments)
    assert again.assignments == first.assignments
    # late acceptances: the earlier meetings stay where they were, the new ones fill the gaps
    more = schedule_meetings(meetings, n_slots=10, tables=12, previous=first.assignments)
    assert_valid(more, meetings, 10, 12)
    moved = [i for i, place in first.assignments.items() if more.assignments.get(i) != place]
    assert moved == []
    assert len(more.assignments) > len(first.assignments)


def test_previous_places_that_became_invalid_are_dropped():
    meetings = [Meeting(1, "a", "b"), Meeting(2, "c", "d")]
    previous = {1: (0, 1), 2: (5, 9)}  # slot 5 / table 9 no longer exist
    result = schedule_meetings(
        meetings, n_slots=2, tables=1, unavailable={"a": {0}}, previous=previous
    )
    assert_valid(result, meetings, 2, 1, {"a": {0}})
    assert result.assignments[1][0] == 1 and result.assignments[2] == (0, 1)
