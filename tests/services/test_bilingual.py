"""Services and surveys in both languages: optional English texts with fallback to German."""

import re

import pytest

from services.forms import QuestionForm
from services.models import Answer, Survey

from .factories import ServiceFactory, SurveyFactory, add_questions

pytestmark = pytest.mark.django_db


def _h1(html):
    return re.search(r"<h1([^>]*)>(.*?)</h1>", html, re.S).groups()


def test_english_service_page_shows_english_texts_and_marks_german_fallbacks(client, cluster):
    service = ServiceFactory(
        cluster=cluster,
        title="Bewerberpool",
        title_en="Applicant pool",
        problem="Kleine Betriebe finden keine Fachkräfte.",
        problem_en="Small firms cannot find skilled staff.",
    )
    english = client.get(f"/en/services/{service.slug}/").content.decode()
    attrs, title = _h1(english)
    assert title == "Applicant pool" and "lang=" not in attrs
    assert "<title>Applicant pool" in english
    assert "Small firms cannot find skilled staff." in english
    assert "Kleine Betriebe finden keine Fachkräfte." not in english
    # no English target group and delivery: the German texts, marked as German
    assert '<dd lang="de">Mitgliedsunternehmen</dd>' in english
    assert '<dd lang="de">Die Geschäftsstelle leitet Bewerbungen weiter.</dd>' in english

    german = client.get(f"/services/{service.slug}/").content.decode()
    attrs, title = _h1(german)
    assert title == "Bewerberpool" and "lang=" not in attrs
    assert "Applicant pool" not in german and "Small firms" not in german

    catalogue = client.get("/en/services/").content.decode()
    assert f'href="/en/services/{service.slug}/">Applicant pool</a>' in catalogue

    service.title_en = ""
    service.save()
    english = client.get(f"/en/services/{service.slug}/").content.decode()
    attrs, title = _h1(english)
    assert title == "Bewerberpool" and 'lang="de"' in attrs
    assert 'lang="de">Bewerberpool</a>' in client.get("/en/services/").content.decode()


def test_service_form_has_an_optional_english_fieldset(client_for, users, cluster):
    client = client_for(users["manager"])
    page = client.get("/services/new/").content.decode()
    assert "<legend>Englische Fassung (optional)</legend>" in page
    assert 'name="problem_en"' in page and 'lang="en"' in page
    data = {
        "cluster": cluster.pk, "title": "Azubi-Speed-Dating", "category": "personnel",
        "target_group": "Ausbildungsbetriebe", "problem": "Ausbildungsplätze bleiben frei.",
        "title_en": "Apprentice speed dating", "problem_en": "Apprenticeships stay vacant.",
        "is_bookable": "on",
    }  # fmt: skip
    assert client.post("/services/new/", data).status_code == 302
    service = cluster.services.get()
    assert (service.title_en, service.problem_en) == (
        "Apprentice speed dating",
        "Apprenticeships stay vacant.",
    )
    assert service.target_group_en == "" and service.delivery_en == ""


def test_english_survey_shows_english_questions_and_stores_the_german_option(
    client_for, users, cluster
):
    survey = SurveyFactory(
        cluster=cluster,
        title="Jahresbefragung",
        title_en="Annual survey",
        introduction="Bitte nehmen Sie teil.",
        state=Survey.State.OPEN,
    )
    likert, choice, multiple, text = add_questions(survey)
    choice.text_en = "Format?"
    choice.choices_en = "On site\nOnline"
    choice.save()
    member = client_for(users["member"])
    url = f"/en/services/surveys/{survey.pk}/answer/"
    page = member.get(url).content.decode()
    attrs, title = _h1(page)
    assert title == "Annual survey" and "lang=" not in attrs
    assert '<p lang="de">Bitte nehmen Sie teil.</p>' in page
    assert "On site" in page and 'value="Vor Ort"' in page
    # untranslated questions and options are marked as German
    assert '<span lang="de">Passt das Angebot?</span>' in page
    assert '<span lang="de">Personal</span>' in page
    response = member.post(
        url,
        {
            f"q{likert.pk}": "4",
            f"q{choice.pk}": "Vor Ort",
            f"q{multiple.pk}": ["Bildung"],
        },
    )
    assert response.status_code == 302
    assert Answer.objects.get(question=choice).choices == ["Vor Ort"]


def test_english_options_must_match_the_german_ones():
    form = QuestionForm(
        {"text": "Format?", "kind": "choice", "choices": "Vor Ort\nOnline", "choices_en": "Online"}
    )
    assert not form.is_valid()
    assert "in derselben Reihenfolge und Anzahl" in form.errors["choices_en"][0]
    good = QuestionForm(
        {
            "text": "Format?",
            "kind": "choice",
            "choices": "Vor Ort\nOnline",
            "choices_en": "On site\nOnline",
            "text_en": "Format?",
        }
    )
    assert good.is_valid(), good.errors


def test_api_gives_both_languages(client, cluster):
    service = ServiceFactory(cluster=cluster, title_en="Applicant pool", problem_en="Staff")
    item = next(
        s for s in client.get("/api/services/").json()["items"] if s["slug"] == service.slug
    )
    assert item["title"] == service.title and item["title_en"] == "Applicant pool"
    assert item["problem_en"] == "Staff" and item["delivery_en"] == ""


def test_demo_services_and_surveys_have_english_texts(client):
    from django.apps import apps

    from actors.models import ClusterRole
    from services.models import Question, Service
    from tests.factories import ClusterFactory, ClusterRoleFactory, MembershipFactory, UserFactory

    clusters = [ClusterFactory() for _ in range(3)]
    for _ in range(4):
        MembershipFactory(cluster=clusters[0])
    manager = UserFactory(email="manager@openregion.example")
    ClusterRoleFactory(user=manager, cluster=clusters[0], role=ClusterRole.Role.MANAGER)
    apps.get_app_config("services").seed_demo(stdout=None, scale=False)
    from_catalogue = Service.objects.exclude(source_answers__isnull=False)
    assert from_catalogue.exists()
    for name in ("title_en", "target_group_en", "problem_en", "delivery_en"):
        assert not from_catalogue.filter(**{name: ""}).exists(), name
    assert not Survey.objects.filter(title_en="").exists()
    assert not Question.objects.filter(text_en="").exists()
    choice = Question.objects.filter(kind="choice").first()
    assert len(choice.options_en) == len(choice.options)
    # services that were authorised have their decisions; free ones say so with 0
    decided = Service.objects.exclude(status__in=["idea", "concept"])
    assert not decided.filter(price__isnull=True).exists()
    assert not decided.filter(transferability__isnull=True).exists()
    assert not decided.filter(financing="").exists()
