"""Brokerage-event scheduler: 1:1 meetings into (time slot, table) without double-booking."""

from .scheduler import Meeting, Schedule, schedule_meetings

__all__ = ["Meeting", "Schedule", "schedule_meetings"]
