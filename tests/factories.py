"""factory_boy factories for the foundation models; other modules build on these."""

import factory
from django.utils.text import slugify

from accounts.models import User
from actors.models import (
    Cluster,
    ClusterRole,
    Competence,
    HelixType,
    Membership,
    NaceSector,
    NutsRegion,
    Organisation,
    Person,
)

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def region(code: str = "DEA4") -> NutsRegion:
    return NutsRegion.objects.get(code=code)


def sector(code: str = "C28") -> NaceSector:
    return NaceSector.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="de_DE")
    email_confirmed = True
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Beispiel Technik {n} GmbH")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    helix_type = HelixType.BUSINESS
    is_sme = True
    region = factory.LazyFunction(lambda: region("DEA4"))
    city = "Bielefeld"
    description_de = "Sondermaschinenbau und Automatisierung für den Mittelstand."
    description_en = "Special machinery and automation for medium-sized manufacturers."

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)

    @factory.post_generation
    def competences(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.competences.set(extracted)

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            obj.refresh_search_document()


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster Maschinenbau {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    innovation_field = "Maschinenbau und Industrie 4.0"
    region = factory.LazyFunction(lambda: region("DEA4"))
    profile_de = "Netzwerk für Maschinenbau in Ostwestfalen-Lippe."
    profile_en = "Network for mechanical engineering in East Westphalia-Lippe."
    strategy_goals_de = "Mehr Kooperation\nFachkräfte gewinnen"
    strategy_goals_en = "More cooperation\nAttract skilled staff"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cluster = factory.SubFactory(ClusterFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    # Existing data: factories create active memberships directly (new ones through the
    # services need the organisation's consent).
    status = Membership.Status.ACTIVE


class ClusterRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterRole

    user = factory.SubFactory(UserFactory)
    cluster = factory.SubFactory(ClusterFactory)
    role = ClusterRole.Role.MANAGER
    organisation = None


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"kontakt{n}@beispiel.example")
    job_title = "Innovationsmanagement"


def competence(slug_part: str) -> Competence:
    return Competence.objects.filter(slug__contains=slug_part).first()
