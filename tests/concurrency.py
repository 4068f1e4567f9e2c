"""Run database work in many threads at once, for tests that prove nothing is lost under load."""

import threading

from django.db import connections


def run_at_once(workers, timeout=120):
    """Start every callable in its own thread behind a barrier and fail on any exception."""
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
        t.join(timeout)
    assert errors == []
