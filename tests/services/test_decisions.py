"""A service's concept and decisions (financing, price, transferability) stay empty until somebody
makes them, show as "not decided yet", and are required before the service is authorised."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from services import services
from services.models import Service, Status, StatusChange
from services.services import RuleError

from .factories import ServiceFactory, SurveyFactory, add_questions

pytestmark = pytest.mark.django_db


def _new_service_data(cluster, **extra):
    return {
        "cluster": cluster.pk, "title": "Azubi-Speed-Dating", "category": "personnel",
        "target_group": "Ausbildungsbetriebe", "problem": "Ausbildungsplätze bleiben frei.",
        "is_bookable": "on", **extra,
    }  # fmt: skip


def test_a_new_service_has_no_decisions_nobody_made(client_for, users, cluster):
    client = client_for(users["manager"])
    form = client.get("/services/new/").content.decode()
    assert '<option value="" selected>noch nicht entschieden</option>' in form
    assert client.post("/services/new/", _new_service_data(cluster)).status_code == 302
    service = Service.objects.get()
    assert service.financing == "" and service.price is None and service.transferability is None
    page = client.get(f"/services/{service.slug}/").content.decode()
    assert page.count("noch nicht entschieden") == 3  # financing, price, transferability
    assert "noch nicht beschrieben" in page  # delivery
    assert "kostenlos" not in page and "Mitgliedsbeiträge" not in page
    english = client.get(f"/en/services/{service.slug}/").content.decode()
    assert english.count("not decided yet") == 3 and "free" not in english.split("<main")[1]
    api = client.get("/api/services/?status=idea").json()["items"]
    assert [(s["financing"], s["price"], s["transferability"]) for s in api] == [("", None, None)]


def test_free_is_a_decision_of_its_own(client, cluster):
    service = ServiceFactory(cluster=cluster, price=Decimal("0"))
    page = client.get(f"/services/{service.slug}/").content.decode()
    assert "kostenlos" in page and "noch nicht entschieden" not in page


def test_authorisation_requires_the_concept_and_the_decisions(users, cluster):
    manager = users["manager"]
    service = ServiceFactory(
        cluster=cluster, status=Status.CONCEPT, delivery=" ", financing="", price=None,
        transferability=None,
    )  # fmt: skip
    with pytest.raises(RuleError) as refused:
        services.change_status(service, Status.AUTHORISED, manager, authorised_by="board")
    assert str(refused.value) == (
        "Der Service kann noch nicht genehmigt werden. Es fehlt noch: Umsetzung, "
        "Finanzierungsmodell, Preis (EUR), Übertragbarkeit."
    )
    service.refresh_from_db()
    assert service.status == Status.CONCEPT
    assert not StatusChange.objects.filter(service=service, to_status=Status.AUTHORISED).exists()

    Service.objects.filter(pk=service.pk).update(
        delivery="Zweimal im Jahr per Video.", financing="sponsored", transferability=3
    )
    with pytest.raises(RuleError, match=r"Es fehlt noch: Preis \(EUR\)\.$"):
        services.change_status(service, Status.AUTHORISED, manager, authorised_by="board")
    Service.objects.filter(pk=service.pk).update(price=Decimal("0"))
    services.change_status(service, Status.AUTHORISED, manager, authorised_by="board")
    service.refresh_from_db()
    assert service.status == Status.AUTHORISED


def test_the_lifecycle_page_lists_what_is_missing(client_for, users, cluster):
    service = ServiceFactory(cluster=cluster, status=Status.CONCEPT, transferability=None)
    client = client_for(users["manager"])
    response = client.post(
        f"/services/{service.slug}/status/",
        {"to_status": "authorised", "authorised_by": "board"},
        follow=True,
    )
    assert "Es fehlt noch: Übertragbarkeit." in response.content.decode()
    page = client.get(f"/services/{service.slug}/").content.decode()
    assert "Bevor der Service genehmigt werden kann, fehlt noch: Übertragbarkeit." in page
    service.refresh_from_db()
    assert service.status == Status.CONCEPT


def test_a_service_idea_from_a_survey_answer_decides_nothing(users, cluster):
    survey = SurveyFactory(cluster=cluster, state="open")
    text_question = add_questions(survey)[3]
    response = survey.responses.create(user=users["member"])
    answer = response.answers.create(question=text_question, text="Mehr Webinare zu KI")
    service = services.idea_from_answer(answer, users["manager"], "KI-Webinare", "education")
    assert service.financing == "" and service.price is None and service.transferability is None


def test_migration_keeps_free_services_free(cluster):
    migration = importlib.import_module(
        "services.migrations.0004_bilingual_content_and_open_decisions"
    )
    free = ServiceFactory(cluster=cluster, price=None)
    paid = ServiceFactory(cluster=cluster, price=Decimal("95"))
    migration.empty_price_meant_free(django_apps, None)
    free.refresh_from_db()
    paid.refresh_from_db()
    assert free.price == Decimal("0") and paid.price == Decimal("95")
