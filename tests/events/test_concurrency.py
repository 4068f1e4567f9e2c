"""Many people at once: an event is never overfilled and nobody is promoted twice
(SQLite and PostgreSQL; the event row lock serialises registrations)."""

import threading

import pytest
from django.db import connections

from events import services
from events.models import Registration
from tests.factories import UserFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)
State = Registration.State


def _run(workers):
    errors = []
    barrier = threading.Barrier(len(workers))

    def wrap(fn):
        def target():
            try:
                barrier.wait()
                fn()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        return target

    threads = [threading.Thread(target=wrap(fn)) for fn in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []


def test_concurrent_sign_ups_and_cancellations_keep_the_capacity():
    event = EventFactory(capacity=5)
    people = UserFactory.create_batch(16)
    _run([lambda u=u: services.register(u, event) for u in people])
    states = list(event.registrations.values_list("state", flat=True))
    assert states.count(State.REGISTERED) == 5 and states.count(State.WAITLISTED) == 11

    registered = list(event.registrations.filter(state=State.REGISTERED))
    waiting = list(event.registrations.filter(state=State.WAITLISTED).order_by("created_at", "pk"))
    _run([lambda r=r: services.cancel(r) for r in registered[:4]])
    states = dict(event.registrations.values_list("pk", "state"))
    assert list(states.values()).count(State.REGISTERED) == 5
    # the four who waited longest moved up, in order
    assert [states[r.pk] for r in waiting[:5]] == [State.REGISTERED] * 4 + [State.WAITLISTED]
