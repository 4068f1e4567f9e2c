from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event, MeetingRequest, Registration
from tests.factories import ClusterFactory, ClusterRoleFactory, UserFactory


def soon(days=7, hour=9):
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Werkstatt Digitalisierung {n}")
    format = Event.Format.WORKSHOP
    mode = Event.Mode.ONSITE
    location = "Technologiepark, Raum 2"
    starts_at = factory.LazyFunction(soon)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=4))
    capacity = None
    is_public = True
    is_published = True


class BrokerageEventFactory(EventFactory):
    title = factory.Sequence(lambda n: f"Kooperationsbörse {n}")
    format = Event.Format.BROKERAGE
    meeting_minutes = 20
    meetings_start = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=30))
    meeting_slots = 6
    tables = 3


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    state = Registration.State.REGISTERED


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.SubFactory(BrokerageEventFactory)
    requester = factory.SubFactory(UserFactory)
    recipient = factory.SubFactory(UserFactory)
    state = MeetingRequest.State.PENDING


def manager_of(event):
    """A (new) current manager of the event's cluster: the office that runs the event."""
    return ClusterRoleFactory(cluster=event.cluster).user
