"""Double submits: a second identical create request soon after the first returns the first result.

Create services lock the parent row (``select_for_update``) and then look for an object the same person
made with the same content since ``double_submit_cutoff()``; if there is one they return it instead of
creating another. One window for every app, so users meet one behaviour."""

from datetime import timedelta

from django.utils import timezone

#: Two identical create requests by the same person within this time are one request.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)


def double_submit_cutoff():
    """Objects created after this moment count as the same submission."""
    return timezone.now() - DOUBLE_SUBMIT_WINDOW
