"""Assign accepted 1:1 meeting requests of a brokerage event to time slots and tables.

Constraints: a participant is in at most one meeting per slot and never in a slot they marked as
unavailable; a slot holds at most `tables` meetings (each meeting gets its own table). Goal: as many
meetings as possible. Method: greedy in "hardest first" order (participants with many meetings and few
free slots first), then local repair: for each meeting still unplaced, try to free a common slot by
moving one blocking meeting of either participant (or one meeting of a full slot) elsewhere.
Re-runs can pass the previous schedule: meetings keep their slot and table where still allowed.
Pure Python, no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Meeting:
    id: Hashable
    a: Hashable
    b: Hashable


@dataclass
class Schedule:
    assignments: dict[Hashable, tuple[int, int]] = field(
        default_factory=dict
    )  # id -> (slot, table)
    unscheduled: list[Hashable] = field(default_factory=list)

    @property
    def scheduled_share(self) -> float:
        total = len(self.assignments) + len(self.unscheduled)
        return len(self.assignments) / total if total else 1.0


class _State:
    def __init__(self, n_slots: int, tables: int, unavailable: Mapping[Hashable, Iterable[int]]):
        self.n_slots = n_slots
        self.tables = tables
        self.blocked = {p: set(s) for p, s in unavailable.items()}
        self.busy: dict[Hashable, dict[int, Meeting]] = defaultdict(
            dict
        )  # participant -> slot -> m
        self.load = [0] * n_slots
        self.slot_of: dict[Hashable, int] = {}
        self.in_slot: list[dict[Hashable, Meeting]] = [{} for _ in range(n_slots)]

    def person_free(self, p, slot) -> bool:
        return slot not in self.busy[p] and slot not in self.blocked.get(p, ())

    def fits(self, m: Meeting, slot: int) -> bool:
        return (
            self.load[slot] < self.tables
            and self.person_free(m.a, slot)
            and self.person_free(m.b, slot)
        )

    def place(self, m: Meeting, slot: int):
        self.busy[m.a][slot] = m
        self.busy[m.b][slot] = m
        self.load[slot] += 1
        self.slot_of[m.id] = slot
        self.in_slot[slot][m.id] = m

    def remove(self, m: Meeting):
        slot = self.slot_of.pop(m.id)
        del self.busy[m.a][slot]
        del self.busy[m.b][slot]
        self.load[slot] -= 1
        del self.in_slot[slot][m.id]
        return slot

    def best_slot(self, m: Meeting, exclude: int | None = None) -> int | None:
        """The least loaded slot that fits (spreads meetings over tables and time)."""
        best = None
        for slot in range(self.n_slots):
            if slot != exclude and self.fits(m, slot):
                if best is None or self.load[slot] < self.load[best]:
                    best = slot
        return best


def schedule_meetings(
    meetings: Iterable[Meeting],
    n_slots: int,
    tables: int,
    unavailable: Mapping[Hashable, Iterable[int]] | None = None,
    previous: Mapping[Hashable, tuple[int, int]] | None = None,
) -> Schedule:
    """Place meetings; returns assignments (slot, table) and the ids that could not be placed.

    `previous` (meeting id -> (slot, table)) is an earlier schedule to keep: those meetings stay in
    their slot and at their table where that is still allowed, new meetings fill the gaps. This
    keeps participants' agendas stable when the office re-runs the scheduler after late answers.
    """
    if n_slots < 0 or tables < 0:
        raise ValueError("n_slots and tables must not be negative")
    meetings = list(meetings)
    seen = set()
    for m in meetings:
        if m.a == m.b:
            raise ValueError(f"meeting {m.id!r} needs two different participants")
        if m.id in seen:
            raise ValueError(f"duplicate meeting id {m.id!r}")
        seen.add(m.id)
    state = _State(n_slots, tables, unavailable or {})
    degree: dict[Hashable, int] = defaultdict(int)
    for m in meetings:
        degree[m.a] += 1
        degree[m.b] += 1

    def free_slots(p) -> int:
        return n_slots - len(state.blocked.get(p, ()))

    def excess(p) -> int:
        return max(0, degree[p] - free_slots(p))

    # Overbooked participants (more meetings than free slots) must lose some meetings anyway. A
    # meeting between two overbooked people relieves both at once, so pick such meetings (at most
    # `excess` per person) to be placed last: they are the cheapest ones to leave out.
    spare = {p: excess(p) for p in degree}
    last = set()
    for m in sorted(meetings, key=lambda m: (-(spare[m.a] + spare[m.b]), str(m.id))):
        if spare[m.a] > 0 and spare[m.b] > 0:
            spare[m.a] -= 1
            spare[m.b] -= 1
            last.add(m.id)

    def hardness(m: Meeting):
        slack = min(free_slots(m.a) - degree[m.a], free_slots(m.b) - degree[m.b])
        return (m.id in last, slack, -(degree[m.a] + degree[m.b]), str(m.id))

    previous = previous or {}
    order = sorted(meetings, key=hardness)
    kept: set[Hashable] = set()
    for m in order:
        slot = previous.get(m.id, (None, None))[0]
        if slot is not None and 0 <= slot < n_slots and state.fits(m, slot):
            state.place(m, slot)
            kept.add(m.id)
    left: list[Meeting] = []
    for m in order:
        if m.id in kept:
            continue
        # first fit keeps each participant's meetings compact
        slot = next((s for s in range(n_slots) if state.fits(m, s)), None)
        if slot is None:
            left.append(m)
        else:
            state.place(m, slot)

    # Local repair: one move of a blocking meeting frees a slot for the unplaced one.
    for _ in range(2):
        still: list[Meeting] = []
        for m in left:
            if not _repair(state, m, pinned=kept):
                still.append(m)
        if len(still) == len(left):
            left = still
            break
        left = still

    # Tables: a meeting that stayed in its slot keeps its table; the others get the lowest free one
    taken: list[set[int]] = [set() for _ in range(n_slots)]
    table_of: dict[Hashable, int] = {}
    for m in meetings:
        slot = state.slot_of.get(m.id)
        old_slot, old_table = previous.get(m.id, (None, None))
        if slot is not None and slot == old_slot and 1 <= old_table <= tables:
            if old_table not in taken[slot]:
                taken[slot].add(old_table)
                table_of[m.id] = old_table
    next_free = [1] * n_slots
    result = Schedule()
    for m in meetings:
        slot = state.slot_of.get(m.id)
        if slot is None:
            continue
        if m.id not in table_of:
            while next_free[slot] in taken[slot]:
                next_free[slot] += 1
            table_of[m.id] = next_free[slot]
            taken[slot].add(next_free[slot])
        result.assignments[m.id] = (slot, table_of[m.id])
    placed = set(result.assignments)
    result.unscheduled = [m.id for m in meetings if m.id not in placed]
    return result


def _repair(state: _State, m: Meeting, pinned=frozenset()) -> bool:
    """Place `m` by moving one blocking meeting elsewhere; meetings kept from a previous schedule
    (pinned) are never moved."""
    for slot in range(state.n_slots):
        if slot in state.blocked.get(m.a, ()) or slot in state.blocked.get(m.b, ()):
            continue
        blockers = {state.busy[p][slot] for p in (m.a, m.b) if slot in state.busy[p]}
        if len(blockers) > 1:
            continue
        if not blockers and state.load[slot] < state.tables:
            state.place(m, slot)
            return True
        if blockers:
            candidates = list(blockers)
        else:  # slot is full: move any one meeting of it elsewhere
            candidates = list(state.in_slot[slot].values())
        for other in candidates:
            if other.id in pinned:
                continue
            state.remove(other)
            target = state.best_slot(other, exclude=slot)
            if target is not None and state.fits(m, slot):
                state.place(other, target)
                state.place(m, slot)
                return True
            state.place(other, slot)
    return False
