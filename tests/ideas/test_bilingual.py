"""Calls in both languages: optional English texts with fallback to the German ones."""

import re

import pytest

from ideas import services
from ideas.forms import CallForm
from ideas.models import Call, Phase

from .factories import CallFactory, IdeaFactory, schedule

pytestmark = pytest.mark.django_db


def _h1(html):
    return re.search(r"<h1([^>]*)>(.*?)</h1>", html, re.S).groups()


def test_english_call_page_shows_english_texts_and_german_ones_marked_as_german(client):
    call = CallFactory(
        title="Offene Region gestalten",
        title_en="Shaping the open region",
        description="Wie werden Cluster offen?",
        description_en="How do clusters open up?",
    )
    question = call.questions.first()
    question.text_en = "What does the idea bring?"
    question.save()
    criterion = call.criteria.first()
    criterion.name_en = "Innovation (en)"
    criterion.save()

    english = client.get(f"/en/calls/{call.slug}/").content.decode()
    attrs, title = _h1(english)
    assert title == "Shaping the open region" and "lang=" not in attrs
    assert "How do clusters open up?" in english and "Wie werden Cluster offen?" not in english
    assert "What does the idea bring?" in english
    # the second question has no English text: German, marked as German
    assert '<li lang="de">Wer macht mit?</li>' in english
    assert '<span lang="de">Umsetzbarkeit</span>' in english
    assert "Innovation (en)" in english

    german = client.get(f"/calls/{call.slug}/").content.decode()
    attrs, title = _h1(german)
    assert title == "Offene Region gestalten" and "lang=" not in attrs
    assert "Wie werden Cluster offen?" in german and "How do clusters open up?" not in german

    call.title_en = call.description_en = ""
    call.save()
    english = client.get(f"/en/calls/{call.slug}/").content.decode()
    attrs, title = _h1(english)
    assert title == "Offene Region gestalten" and 'lang="de"' in attrs
    assert '<div class="ideas-description" lang="de">' in english
    listing = client.get("/en/calls/").content.decode()
    assert 'lang="de">Offene Region gestalten</a>' in listing


def test_idea_page_labels_the_question_in_the_readers_language(client_for, users):
    call = CallFactory(phase=Phase.SUBMISSION)
    question = call.questions.first()
    question.text_en = "What does the idea bring?"
    question.save()
    client = client_for(users["member"])
    english = client.get(f"/en/calls/{call.slug}/submit/").content.decode()
    assert "What does the idea bring?" in english
    assert '<span lang="de">Wer macht mit?</span>' in english
    idea = IdeaFactory(call=call)
    idea.answers.create(question=question, text="Mehr Partner")
    page = client.get(f"/en/calls/ideas/{idea.pk}/").content.decode()
    assert "<h2>What does the idea bring?</h2>" in page


def _form_data(call, **extra):
    dates = {k: v.strftime("%Y-%m-%dT%H:%M") for k, v in schedule(Phase.SUBMISSION).items()}
    return {
        "title": call.title, "description": call.description, "organiser": call.organiser_id,
        "is_published": "on", **dates, "max_file_mb": 5, "shortlist_size": 30,
        "scale_min": 1, "scale_max": 5,
        "questions": "Welchen Nutzen bringt die Idee?\nWer macht mit?",
        "criteria": "Innovation | 2\nUmsetzbarkeit | 1", **extra,
    }  # fmt: skip


def test_call_form_saves_english_texts_in_an_optional_fieldset(client_for):
    call = CallFactory()
    client = client_for(call.created_by)
    page = client.get(f"/calls/{call.slug}/edit/").content.decode()
    assert "<legend>Englische Fassung (optional)</legend>" in page
    assert 'name="title_en"' in page and 'lang="en"' in page
    data = _form_data(
        call,
        title_en="Open region",
        description_en="How do clusters open up?",
        questions_en="What does it bring?\nWho takes part?",
        criteria_en="Innovation\nFeasibility",
    )
    bad = client.post(f"/calls/{call.slug}/edit/", {**data, "questions_en": "Only one?"})
    assert bad.status_code == 200
    assert "in derselben Reihenfolge und Anzahl" in bad.content.decode()
    response = client.post(f"/calls/{call.slug}/edit/", data)
    assert response.status_code == 302
    call = Call.objects.get(pk=call.pk)
    assert (call.title_en, call.description_en) == ("Open region", "How do clusters open up?")
    assert [q.text_en for q in call.questions.all()] == ["What does it bring?", "Who takes part?"]
    assert [c.name_en for c in call.criteria.all()] == ["Innovation", "Feasibility"]
    # leaving the English questions empty removes them, the German ones stay
    client.post(f"/calls/{call.slug}/edit/", {**data, "questions_en": ""})
    assert [q.text_en for q in call.questions.all()] == ["", ""]
    assert [q.text for q in call.questions.all()] == [
        "Welchen Nutzen bringt die Idee?",
        "Wer macht mit?",
    ]


def test_save_call_keeps_english_texts_when_not_given():
    call = CallFactory()
    services.save_call(
        call.created_by, call, ["Frage?"], [("Innovation", 1)], ["Question?"], ["Innovation"]
    )
    services.save_call(call.created_by, call, ["Frage neu?"], [("Innovation", 1)])
    assert [(q.text, q.text_en) for q in call.questions.all()] == [("Frage neu?", "Question?")]


def test_call_form_bounds_english_criteria_names():
    call = CallFactory()
    form = CallForm(_form_data(call, criteria_en="x" * 201 + "\nFeasibility"), instance=call)
    assert not form.is_valid() and "criteria_en" in form.errors


def test_api_gives_both_languages(client):
    call = CallFactory(title_en="Open region", description_en="How?")
    item = next(c for c in client.get("/api/calls/").json()["items"] if c["slug"] == call.slug)
    assert item["title"] == call.title and item["title_en"] == "Open region"
    assert item["description_en"] == "How?"
    assert item["questions_en"] == ["", ""]


def test_demo_call_has_english_texts(client):
    from django.apps import apps

    from tests.factories import ClusterFactory, OrganisationFactory, UserFactory

    ClusterFactory(managing_organisation=OrganisationFactory())
    UserFactory(email="manager@openregion.example")
    apps.get_app_config("ideas").seed_demo(stdout=None, scale=False)
    call = Call.objects.get()
    assert call.title_en and call.description_en
    assert all(q.text_en for q in call.questions.all())
    assert all(c.name_en for c in call.criteria.all())
    english = client.get(f"/en/calls/{call.slug}/").content.decode()
    assert call.title_en in english and 'lang="de"' not in english.split("<main", 1)[1]


def test_jury_sees_criteria_in_their_language(client_for):
    from ideas.models import Idea, JuryMember
    from tests.factories import UserFactory

    call = CallFactory(phase=Phase.JURY)
    criterion = call.criteria.first()
    criterion.name_en = "Degree of innovation"
    criterion.save()
    IdeaFactory(call=call, status=Idea.Status.SHORTLISTED)
    juror = UserFactory()
    JuryMember.objects.create(call=call, user=juror, helix_type="business")
    client = client_for(juror)
    english = client.get(f"/en/calls/{call.slug}/review/").content.decode()
    assert "Degree of innovation" in english
    german = client.get(f"/calls/{call.slug}/review/").content.decode()
    assert "Degree of innovation" not in german and "Innovation" in german
    manage = client_for(call.created_by).get(f"/en/calls/{call.slug}/manage/").content.decode()
    assert '<th scope="col">Degree of innovation</th>' in manage
    assert '<th scope="col" lang="de">Umsetzbarkeit</th>' in manage
