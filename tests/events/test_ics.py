"""iCalendar output (RFC 5545): escaping, folding, UTC times, UID and DTSTAMP."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events import ics, services
from tests.factories import UserFactory

from .factories import (
    BrokerageEventFactory,
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
    manager_of,
)


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_escaping_and_folding():
    assert ics.escape_text("a,b;c\\d\nzweite Zeile") == "a\\,b\\;c\\\\d\\nzweite Zeile"
    line = "DESCRIPTION:" + "Kooperationsbörse für Wasserstoff " * 10
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1 and all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert unfold(folded) == line


def test_calendar_structure():
    start = datetime(2031, 3, 4, 13, 30, tzinfo=UTC)
    text = ics.calendar(
        [
            ics.CalendarEntry(
                uid="x@openregion",
                start=start,
                end=start + timedelta(hours=2),
                summary="Runder Tisch, Teil 1; Fachkräfte",
                location="Saal 1",
            )
        ],  # fmt: skip
        name="Test",
        now=datetime(2031, 1, 1, tzinfo=UTC),
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in [
        "UID:x@openregion",
        "DTSTAMP:20310101T000000Z",
        "DTSTART:20310304T133000Z",
        "DTEND:20310304T153000Z",
        "SUMMARY:Runder Tisch\\, Teil 1\\; Fachkräfte",
    ]:
        assert f"\r\n{line}\r\n" in text


@pytest.mark.django_db
def test_event_ics_in_utc_and_online_link_only_for_participants(client_for):
    berlin = timezone.make_aware(datetime(2031, 7, 1, 10, 0))  # CEST = UTC+2
    event = EventFactory(title="Webinar: Kurzarbeit, Hilfen", mode="online", location="",
                         online_url="https://meet.example.org/abc", starts_at=berlin,
                         ends_at=berlin + timedelta(hours=1), description="Zeile 1\nZeile 2")  # fmt: skip
    response = client_for(None).get(f"/events/{event.slug}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    body = unfold(response.content.decode())
    assert "DTSTART:20310701T080000Z" in body and "DTEND:20310701T090000Z" in body
    assert f"UID:event-{event.pk}@openregion.events" in body
    assert re.search(r"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n", body)
    assert "SUMMARY:Webinar: Kurzarbeit\\, Hilfen" in body
    assert "DESCRIPTION:Zeile 1\\nZeile 2" in body
    assert "meet.example.org" not in body and "LOCATION:Online" in body
    user = UserFactory()
    RegistrationFactory(event=event, user=user)
    body = unfold(client_for(user).get(f"/events/{event.slug}/calendar.ics").content.decode())
    assert "LOCATION:https://meet.example.org/abc" in body


@pytest.mark.django_db
def test_personal_agenda_and_my_calendar(client_for):
    event = BrokerageEventFactory(meeting_slots=3, tables=2)
    me, partner, third = (
        UserFactory(full_name="Mia Muster"),
        UserFactory(full_name="Paul Partner"),
        UserFactory(),
    )
    for user in (me, partner, third):
        RegistrationFactory(event=event, user=user)
    MeetingRequestFactory(
        event=event, requester=me, recipient=partner, state="accepted", message="Sensorik"
    )
    MeetingRequestFactory(event=event, requester=third, recipient=me, state="accepted")
    MeetingRequestFactory(event=event, requester=third, recipient=partner, state="accepted")
    services.run_scheduler(event, manager_of(event))
    client = client_for(me)
    body = unfold(client.get(f"/en/events/{event.slug}/agenda.ics").content.decode())
    assert body.count("BEGIN:VEVENT") == 3
    assert "SUMMARY:Meeting with Paul Partner" in body and "DESCRIPTION:Sensorik" in body
    assert re.search(r"LOCATION:Table \d\\, " + re.escape(event.title), body)
    assert len(set(re.findall(r"UID:(\S+)", body))) == 3
    workshop = EventFactory()
    RegistrationFactory(event=workshop, user=me)
    body = unfold(client.get("/events/mine/calendar.ics").content.decode())
    assert body.count("BEGIN:VEVENT") == 4
