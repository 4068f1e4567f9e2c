import pytest

from services.models import Booking, Feedback, Status, Survey
from tests.factories import ClusterFactory

from .factories import ServiceFactory, SurveyFactory, add_questions

pytestmark = pytest.mark.django_db


def test_api_lists_visible_services_with_filters_and_figures(client_for, users, cluster):
    service = ServiceFactory(cluster=cluster, title="Messestand", category="public_relations")
    Feedback.objects.create(service=service, user=users["member"], rating=4)
    Feedback.objects.create(service=service, user=users["org_admin"], rating=5)
    Booking.objects.create(service=service, user=users["member"])
    ServiceFactory(cluster=ClusterFactory(), title="Coaching", category="innovation")
    ServiceFactory(cluster=cluster, title="Idee", status=Status.IDEA)
    client = client_for(None)
    data = client.get("/api/services/").json()
    assert data["count"] == 2
    item = next(i for i in data["items"] if i["slug"] == service.slug)
    assert item["bookings"] == 1 and item["rating_count"] == 2 and item["rating_average"] == 4.5
    assert item["transferability"] == 4 and item["transferability_meaning"]
    assert item["cluster"] == cluster.slug
    filtered = client.get("/api/services/?category=innovation").json()["items"]
    assert [i["title"] for i in filtered] == ["Coaching"]
    assert client.get("/api/services/?q=messe").json()["count"] == 1
    assert client.get("/api/services/?shared=true").json()["count"] == 0
    managed = client_for(users["manager"]).get("/api/services/").json()
    assert managed["count"] == 3  # the manager also sees the idea


def test_api_service_detail_has_history_and_hides_ideas(client_for, users, cluster):
    service = ServiceFactory(cluster=cluster, status=Status.IDEA)
    from services import services

    services.change_status(service, Status.CONCEPT, users["manager"], note="Konzept")
    assert client_for(None).get(f"/api/services/{service.slug}").status_code == 404
    data = client_for(users["manager"]).get(f"/api/services/{service.slug}").json()
    assert data["status"] == "concept"
    assert [h["to_status"] for h in data["history"]] == ["concept"]
    assert data["satisfaction"] == [] and data["adopted_from"] is None


def test_api_surveys_and_results_for_managers_only(client_for, users, cluster):
    survey = SurveyFactory(cluster=cluster, state=Survey.State.OPEN, title="Jahresumfrage")
    likert, choice, multiple, text = add_questions(survey)
    from services import services

    services.submit_response(
        survey, users["member"], {f"q{likert.pk}": "5", f"q{choice.pk}": "Online"}
    )
    assert client_for(None).get("/api/services/surveys").status_code == 401
    member = client_for(users["member"])
    assert [s["title"] for s in member.get("/api/services/surveys").json()] == ["Jahresumfrage"]
    assert member.get(f"/api/services/surveys/{survey.pk}/results").status_code == 403
    manager = client_for(users["manager"])
    results = manager.get(f"/api/services/surveys/{survey.pk}/results").json()
    assert results["responses"] == 1
    first = results["questions"][0]
    assert first["average"] == 5.0 and first["distribution"][4] == {
        "label": "5",
        "count": 1,
        "percent": 100,
    }
    assert client_for(users["outsider"]).get("/api/services/surveys").json() == []


def test_openapi_lists_service_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/services/" in paths and "/api/services/{slug}" in paths
    assert "/api/services/surveys/{survey_id}/results" in paths
