import datetime

import factory
from django.utils import timezone

from matching.models import Interest, Posting, PostingKind, PostingStatus, Visibility
from tests.factories import OrganisationFactory


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = PostingKind.TECHNOLOGY_REQUEST
    title = factory.Sequence(lambda n: f"Gesuch {n}: Robotik für die Montage")
    description = "Wir suchen Roboterzellen und Automatisierung für die Montage."
    visibility = Visibility.PUBLIC
    status = PostingStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)

    @factory.post_generation
    def regions_sought(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.regions_sought.set(extracted)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    posting = factory.SubFactory(PostingFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    message = "Wir können Roboterzellen liefern."
