from datetime import timedelta

import factory
from django.utils import timezone

from actors.models import Cluster, ClusterRole
from ideas.models import Call, Criterion, GuidingQuestion, Idea, Phase
from tests.factories import ClusterFactory, OrganisationFactory, UserFactory

DAY = timedelta(days=1)


def schedule(phase: str, now=None) -> dict:
    """Dates that put a call into `phase` now (each phase lasts ten days)."""
    now = now or timezone.now()
    order = [Phase.SUBMISSION, Phase.VOTING, Phase.JURY, Phase.RESULTS, Phase.IMPLEMENTATION]
    index = {p: i for i, p in enumerate(order)}.get(phase, -1)
    start = now - DAY - 10 * DAY * index if phase != Phase.UPCOMING else now + DAY
    names = [
        ("submission_opens", "submission_closes"),
        ("voting_opens", "voting_closes"),
        ("jury_opens", "jury_closes"),
        ("results_on", "implementation_opens"),
        ("implementation_opens", "implementation_closes"),
    ]
    dates = {}
    for i, (a, b) in enumerate(names):
        dates[a] = start + 10 * DAY * i
        dates[b] = start + 10 * DAY * (i + 1)
    return dates


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    class Params:
        phase = Phase.SUBMISSION

    title = factory.Sequence(lambda n: f"Ideenwettbewerb Offene Region {n}")
    description = "Wie werden Cluster zur offenen Region?"
    organiser = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    is_published = True
    shortlist_size = 3
    submission_opens = factory.LazyAttribute(lambda o: schedule(o.phase)["submission_opens"])
    submission_closes = factory.LazyAttribute(lambda o: schedule(o.phase)["submission_closes"])
    voting_opens = factory.LazyAttribute(lambda o: schedule(o.phase)["voting_opens"])
    voting_closes = factory.LazyAttribute(lambda o: schedule(o.phase)["voting_closes"])
    jury_opens = factory.LazyAttribute(lambda o: schedule(o.phase)["jury_opens"])
    jury_closes = factory.LazyAttribute(lambda o: schedule(o.phase)["jury_closes"])
    results_on = factory.LazyAttribute(lambda o: schedule(o.phase)["results_on"])
    implementation_opens = factory.LazyAttribute(
        lambda o: schedule(o.phase)["implementation_opens"]
    )
    implementation_closes = factory.LazyAttribute(
        lambda o: schedule(o.phase)["implementation_closes"]
    )

    @factory.post_generation
    def office(obj, create, extracted, **kwargs):
        """Calls are run by a cluster management organisation: unless ``office=False``, the organiser
        manages a cluster and ``created_by`` is one of its current cluster managers."""
        if create and extracted is not False and obj.created_by_id:
            cluster = Cluster.objects.filter(managing_organisation=obj.organiser).first()
            if cluster is None:
                cluster = ClusterFactory(managing_organisation=obj.organiser)
            ClusterRole.objects.get_or_create(
                user=obj.created_by, cluster=cluster, role=ClusterRole.Role.MANAGER
            )

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if create:
            texts = extracted or ["Welchen Nutzen bringt die Idee?", "Wer macht mit?"]
            for i, text in enumerate(texts, 1):
                GuidingQuestion.objects.create(call=obj, position=i, text=text)

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create:
            items = extracted or [("Innovation", 2), ("Umsetzbarkeit", 1)]
            for i, (name, weight) in enumerate(items, 1):
                Criterion.objects.create(call=obj, position=i, name=name, weight=weight)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    call = factory.SubFactory(CallFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Digitale Kooperationsbörse {n}")
    summary = "Betriebe finden über Regionsgrenzen hinweg Partner."
    status = Idea.Status.PUBLISHED
    submitted_at = factory.LazyFunction(timezone.now)


def set_phase(call, phase):
    for name, value in schedule(phase).items():
        setattr(call, name, value)
    call.save()
    return call
