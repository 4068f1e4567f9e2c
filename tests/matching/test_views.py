import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actors.models import ClusterRole
from core.policy import allowed
from matching import services, suggestions
from matching.models import Interest, Posting, PostingStatus, Visibility
from notifications.models import Notification
from tests.factories import (
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    sector,
)

from .factories import InterestFactory, PostingFactory

pytestmark = pytest.mark.django_db


def test_marketplace_lists_postings_in_german_and_english(client, django_assert_max_num_queries):
    for _ in range(25):
        PostingFactory(sectors=[sector("C28")])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("matching:marketplace"))
    html = response.content.decode()
    assert "Marktplatz" in html and "25 Einträge gefunden" in html
    assert "Technologiegesuch" in html
    response = client.get("/en/marketplace/")
    html = response.content.decode()
    assert "Marketplace" in html and "25 postings found" in html and "Technology request" in html


def test_marketplace_filters_and_search_across_wording(client):
    PostingFactory(
        title="Roboterzellen für die Montage", kind="tech_request", sectors=[sector("C28")]
    )
    PostingFactory(
        title="Hydrogen storage", description="Tanks for hydrogen storage", kind="tech_offer",
        sectors=[sector("D35")],
    )  # fmt: skip
    url = reverse("matching:marketplace")
    html = client.get(url, {"kind": "tech_offer"}).content.decode()
    assert "Hydrogen storage" in html and "Roboterzellen" not in html
    html = client.get(url, {"sector": "C"}).content.decode()
    assert "Roboterzellen" in html and "Hydrogen storage" not in html
    html = client.get(url, {"q": "hydrogen"}).content.decode()
    assert "Hydrogen storage" in html and "Roboterzellen" not in html
    assert "nach Relevanz" in html
    html = client.get(url, {"q": "Roboter"}, headers={"HX-Request": "true"}).content.decode()
    assert "Roboterzellen" in html and "<html" not in html  # htmx partial
    html = client.get(url, {"q": "zzzqqq"}).content.decode()
    assert "Kein Eintrag passt" in html


def test_visibility_cluster_only_and_anonymous(client_for, users, cluster, member_org):
    cluster_only = PostingFactory(
        title="Nur für Mitglieder", visibility=Visibility.CLUSTER, cluster=cluster,
        organisation=member_org,
    )  # fmt: skip
    anonymous = PostingFactory(
        title="Anonymes Gesuch", visibility=Visibility.ANONYMOUS, cluster=cluster,
        organisation=OrganisationFactory(name="Geheim GmbH"),
    )  # fmt: skip
    MembershipFactory(cluster=cluster, organisation=anonymous.organisation)
    outsider = client_for(users["outsider"])
    html = outsider.get(reverse("matching:marketplace")).content.decode()
    assert "Nur für Mitglieder" not in html
    assert "Anonymes Gesuch" in html and "Geheim GmbH" not in html
    assert outsider.get(cluster_only.get_absolute_url()).status_code == 403
    assert "Geheim GmbH" not in outsider.get(anonymous.get_absolute_url()).content.decode()
    member = client_for(users["member"])
    assert "Nur für Mitglieder" in member.get(reverse("matching:marketplace")).content.decode()
    manager = client_for(users["manager"])
    assert "Geheim GmbH" in manager.get(anonymous.get_absolute_url()).content.decode()
    assert client_for(None).get(cluster_only.get_absolute_url()).status_code == 302


def test_drafts_are_only_visible_to_their_owners(client_for, users, member_org):
    draft = PostingFactory(organisation=member_org, status=PostingStatus.DRAFT, title="Entwurf X")
    assert client_for(users["outsider"]).get(draft.get_absolute_url()).status_code == 403
    assert client_for(users["member"]).get(draft.get_absolute_url()).status_code == 200
    assert "Entwurf X" not in client_for(users["outsider"]).get("/marketplace/").content.decode()


def test_create_posting_validates_and_keeps_input(
    client_for, users, member_org, cluster, django_capture_on_commit_callbacks
):
    client = client_for(users["org_admin"])
    url = reverse("matching:posting_create")
    assert "Neuer Eintrag" in client.get(url).content.decode()
    data = {
        "organisation": member_org.pk,
        "kind": "rd_partner",
        "title": "Forschungspartner für Sensorik",
        "description": "",
        "visibility": "anonymous",
        "deadline": "2001-01-01",
        "action": "publish",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Forschungspartner für Sensorik" in html  # input kept
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "darf nicht in der Vergangenheit liegen" in html
    assert "Wählen Sie den Cluster" in html
    data.update(
        description="Wir suchen Sensorik-Know-how.",
        deadline=(timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        cluster=cluster.pk,
        sectors=[sector("C26").pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    posting = Posting.objects.get(title="Forschungspartner für Sensorik")
    assert response.status_code == 302 and response.url == posting.get_absolute_url()
    assert posting.status == PostingStatus.PUBLISHED and posting.author == users["org_admin"]
    assert posting.embedding_model == "hashing-v1"  # computed by the background task
    assert client_for(users["outsider"]).get(url).status_code == 302  # no organisation


def test_only_owners_edit_and_change_status(client_for, users, member_org):
    posting = PostingFactory(organisation=member_org)
    edit = reverse("matching:posting_edit", args=[posting.pk])
    status = reverse("matching:posting_status", args=[posting.pk])
    assert client_for(users["outsider"]).get(edit).status_code == 403
    assert client_for(users["outsider"]).post(status, {"status": "closed"}).status_code == 403
    owner = client_for(users["org_admin"])
    assert owner.get(edit).status_code == 200
    owner.post(status, {"status": "closed"})
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED
    response = owner.post(status, {"status": "published"}, follow=True)
    assert "nicht möglich" in response.content.decode()


def test_expiry_task_expires_postings_past_their_deadline(db):
    from matching.tasks import expire_postings

    old = PostingFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    current = PostingFactory()
    assert expire_postings.call() == 1
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.status == PostingStatus.EXPIRED and current.status == PostingStatus.PUBLISHED


def test_interest_is_brokered_end_to_end(
    client_for, users, cluster, member_org, settings, django_capture_on_commit_callbacks
):
    """A member expresses interest, the cluster office introduces both sides, both are notified."""
    poster_org = OrganisationFactory(name="Anbieter Robotik GmbH")
    MembershipFactory(cluster=cluster, organisation=poster_org)
    poster = ClusterRoleFactory(
        cluster=cluster, role=ClusterRole.Role.MEMBER_ORG_ADMIN, organisation=poster_org
    ).user
    posting = PostingFactory(
        organisation=poster_org, cluster=cluster, visibility=Visibility.ANONYMOUS,
        title="Robotik gesucht",
    )  # fmt: skip
    member = client_for(users["member"])
    html = member.get(posting.get_absolute_url()).content.decode()
    assert "Interesse bekunden" in html and "Anbieter Robotik GmbH" not in html
    response = member.post(
        reverse("matching:interest_create", args=[posting.pk]),
        {"organisation": member_org.pk, "message": ""},
    )
    assert response.status_code == 400 and "zwingend erforderlich" in response.content.decode()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        member.post(
            reverse("matching:interest_create", args=[posting.pk]),
            {"organisation": member_org.pk, "message": "Wir liefern Greifer."},
        )
    interest = Interest.objects.get(posting=posting)
    manager_note = Notification.objects.get(recipient=users["manager"])
    assert member_org.name in manager_note.text and manager_note.link == posting.get_absolute_url()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [users["manager"].email]
    assert f"http://127.0.0.1:8000{posting.get_absolute_url()}" in mail.outbox[0].body
    # outsiders and the interested side cannot broker
    decide = reverse("matching:interest_decide", args=[interest.pk])
    assert member.post(decide, {"decision": "broker"}).status_code == 403
    manager = client_for(users["manager"])
    html = manager.get(reverse("matching:my_interests")).content.decode()
    assert "Zu vermitteln" in html and "Robotik gesucht" in html
    html = manager.get(posting.get_absolute_url()).content.decode()
    assert "Wir liefern Greifer." in html and "Anbieter Robotik GmbH" in html
    response = manager.post(decide, {"decision": "broker", "note": "Bitte direkt melden."})
    assert response.status_code == 302
    interest.refresh_from_db()
    posting.refresh_from_db()
    assert interest.status == Interest.Status.BROKERED and interest.brokered_by == users["manager"]
    assert posting.status == PostingStatus.MATCHED
    poster_note = Notification.objects.get(recipient=poster)
    assert member_org.name in poster_note.text
    member_notes = Notification.objects.filter(recipient__in=[users["member"], users["org_admin"]])
    assert member_notes.count() == 2 and "Anbieter Robotik GmbH" in member_notes.first().text
    member = client_for(users["member"])
    html = member.get(reverse("matching:my_interests")).content.decode()
    assert "Vermittelt" in html and "Anbieter Robotik GmbH" in html
    # a second decision is refused
    manager = client_for(users["manager"])
    response = manager.post(decide, {"decision": "decline"}, follow=True)
    assert "bereits bearbeitet" in response.content.decode()


def test_interest_rules(client_for, users, member_org):
    posting = PostingFactory(organisation=member_org)
    # acting only for the posting's own organisation: the rule refuses
    with pytest.raises(PermissionDenied):
        services.express_interest(users["member"], posting, member_org, "x")
    other = OrganisationFactory()
    PersonFactory(organisation=other, user=users["outsider"])
    # acting for both sides: the posting's own organisation cannot be chosen
    PersonFactory(organisation=member_org, user=users["outsider"])
    with pytest.raises(ValidationError, match="eigenen"):
        services.express_interest(users["outsider"], posting, member_org, "x")
    # an organisation the user does not act for cannot be chosen
    with pytest.raises(PermissionDenied):
        services.express_interest(users["outsider"], posting, OrganisationFactory(), "x")
    services.express_interest(users["outsider"], posting, other, "x")
    with pytest.raises(ValidationError, match="bereits"):
        services.express_interest(users["outsider"], posting, other, "eine andere Nachricht")
    third = OrganisationFactory()
    PersonFactory(organisation=third, user=users["outsider"])
    Posting.objects.filter(pk=posting.pk).update(status=PostingStatus.CLOSED)
    with pytest.raises(ValidationError, match="nimmt keine"):
        services.express_interest(users["outsider"], posting, third, "x")
    # without a cluster the posting's own people are notified and can confirm
    interest = Interest.objects.get(organisation=other)
    assert Notification.objects.filter(recipient=users["org_admin"]).exists()
    assert allowed(users["org_admin"], "matching.broker_interest", posting)
    assert not allowed(users["manager"], "matching.broker_interest", posting)
    with pytest.raises(PermissionDenied):
        services.decline_interest(users["manager"], interest)
    services.decline_interest(users["org_admin"], interest)
    assert Interest.objects.get(pk=interest.pk).status == Interest.Status.DECLINED


def test_organisation_partner_page_explains_suggestions(client, django_assert_max_num_queries):
    org = OrganisationFactory(
        name="Laser Werk GmbH", sectors=[sector("C26")], description_en="Laser optics."
    )
    OrganisationFactory(
        name="Optics Lab Paris", sectors=[sector("C26")], description_en="Laser optics research.",
        helix_type="research",
    )  # fmt: skip
    PostingFactory(title="Laser optics offer", description="Laser optics", sectors=[sector("C26")])
    suggestions.embed_organisations()
    url = reverse("matching:organisation_partners", args=[org.slug])
    client.get(url)
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert "Partnervorschläge für Laser Werk GmbH" in html
    assert "Optics Lab Paris" in html and "Gleiche Branche: C26" in html
    assert "Laser optics offer" in html
    html = client.get(f"/en{url}").content.decode()
    assert "Suggested partners for Laser Werk GmbH" in html and "Same sector: C26" in html


def test_posting_detail_shows_suggested_partners(client):
    posting = PostingFactory(sectors=[sector("C28")])
    OrganisationFactory(
        name="Robotik Partner GmbH", sectors=[sector("C28")],
        description_de="Roboterzellen und Automatisierung.",
    )  # fmt: skip
    html = client.get(posting.get_absolute_url()).content.decode()
    assert "Partnervorschläge" in html and "Robotik Partner GmbH" in html
    assert "Warum dieser Vorschlag" in html


def test_overdue_postings_leave_the_marketplace_before_the_expiry_job_runs(client):
    PostingFactory(title="Überfällig", deadline=timezone.localdate() - datetime.timedelta(days=2))
    PostingFactory(title="Aktuell")
    html = client.get(reverse("matching:marketplace")).content.decode()
    assert "Aktuell" in html and "Überfällig" not in html
    out = io.StringIO()
    call_command("expire_postings", stdout=out)
    assert "1 postings expired" in out.getvalue()
    assert Posting.objects.get(title="Überfällig").status == PostingStatus.EXPIRED


def test_my_interests_page_does_not_query_per_row(
    client_for, users, cluster, member_org, django_assert_max_num_queries
):
    for _ in range(8):
        posting = PostingFactory(cluster=cluster, organisation=member_org)
        InterestFactory(posting=posting)
        InterestFactory(posting=PostingFactory(cluster=cluster), organisation=member_org)
    client = client_for(users["manager"])
    with django_assert_max_num_queries(14):
        html = client.get(reverse("matching:my_interests")).content.decode()
    assert html.count("Vermitteln<span") == 16
    client = client_for(users["member"])
    with django_assert_max_num_queries(14):
        html = client.get(reverse("matching:my_interests")).content.decode()
    assert "Unsere Interessenbekundungen" in html and html.count("Wartet auf") == 8
    with django_assert_max_num_queries(14):
        client.get(reverse("matching:marketplace"), {"q": "Robotik"})
