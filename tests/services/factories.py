from decimal import Decimal

import factory

from services.models import Question, Service, Status, Survey
from tests.factories import ClusterFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Bewerberpool {n}")
    category = "personnel"
    target_group = "Mitgliedsunternehmen"
    problem = "Kleine Betriebe finden keine Ingenieurinnen."
    delivery = "Die Geschäftsstelle leitet Bewerbungen weiter."
    financing = "membership_fees"
    price = Decimal("0")  # free
    transferability = 4
    status = Status.ACTIVE


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Jahresbefragung {n}")
    kind = Survey.Kind.ANNUAL
    state = Survey.State.DRAFT


def add_questions(survey):
    """One question of each kind."""
    return [
        Question.objects.create(
            survey=survey, position=1, kind="likert", text="Passt das Angebot?"
        ),
        Question.objects.create(
            survey=survey, position=2, kind="choice", text="Format?", choices="Vor Ort\nOnline"
        ),
        Question.objects.create(
            survey=survey,
            position=3,
            kind="multiple",
            text="Bereiche?",
            choices="Personal\nBildung\nInnovation",
        ),
        Question.objects.create(
            survey=survey, position=4, kind="text", text="Was fehlt?", required=False
        ),
    ]
