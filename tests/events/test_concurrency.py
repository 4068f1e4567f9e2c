"""Many people at once: an event is never overfilled and nobody is promoted twice
(SQLite and PostgreSQL; the event row lock serialises registrations)."""

import pytest

from events import services
from events.models import Registration
from tests.concurrency import run_at_once
from tests.factories import UserFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)
State = Registration.State


def test_concurrent_sign_ups_and_cancellations_keep_the_capacity():
    event = EventFactory(capacity=5)
    people = UserFactory.create_batch(16)
    run_at_once([lambda u=u: services.register(u, event) for u in people])
    states = list(event.registrations.values_list("state", flat=True))
    assert states.count(State.REGISTERED) == 5 and states.count(State.WAITLISTED) == 11

    registered = list(event.registrations.filter(state=State.REGISTERED))
    waiting = list(event.registrations.filter(state=State.WAITLISTED).order_by("created_at", "pk"))
    run_at_once([lambda r=r: services.cancel(r, r.user) for r in registered[:4]])
    states = dict(event.registrations.values_list("pk", "state"))
    assert list(states.values()).count(State.REGISTERED) == 5
    # the four who waited longest moved up, in order
    assert [states[r.pk] for r in waiting[:5]] == [State.REGISTERED] * 4 + [State.WAITLISTED]
