"""Notifications in one app: rendered in the reader's language when read, e-mailed in the
recipient's preferred language, per-person e-mail preferences, only one's own notifications."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from actors import services as actors_services
from actors.models import ClusterRole
from ideas import services as ideas_services
from notifications import kinds, services
from notifications.models import Notification, Preference
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.ideas.factories import CallFactory
from tests.matching.factories import PostingFactory

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def tasks_now(settings):
    settings.TASKS = IMMEDIATE
    settings.OPENREGION_SITE_URL = "https://openregion.example.org"
    return settings


def _interest_note(recipients, posting):
    return services.notify(
        recipients,
        "matching.interest_expressed",
        link=posting.get_absolute_url(),
        organisation="Greifer GmbH",
        title=posting.title,
    )


def test_created_in_german_read_in_english_and_mailed_in_each_recipients_language(
    client_for, tasks_now, mailoutbox, django_capture_on_commit_callbacks
):
    english = UserFactory(preferred_language="en")
    german = UserFactory(preferred_language="de")
    posting = PostingFactory(title="Robotik")
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        _interest_note([english, german], posting)
    # nothing finished is stored: kind and parameters only
    note = Notification.objects.get(recipient=english)
    assert note.kind == "matching.interest_expressed"
    assert note.params == {"organisation": "Greifer GmbH", "title": "Robotik"}
    assert note.link == posting.get_absolute_url()

    html = client_for(english).get("/en/notifications/").content.decode()
    assert "Greifer GmbH is interested in “Robotik”." in html
    assert "interessiert sich für" not in html
    html = client_for(english).get("/notifications/").content.decode()
    assert "Greifer GmbH interessiert sich für „Robotik“." in html

    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {english.email, german.email}
    en, de = mails[english.email], mails[german.email]
    assert en.subject == "OpenRegion: Greifer GmbH is interested in “Robotik”."
    assert f"https://openregion.example.org/en/marketplace/{posting.pk}/" in en.body
    assert "https://openregion.example.org/en/notifications/preferences/" in en.body
    assert de.subject == "OpenRegion: Greifer GmbH interessiert sich für „Robotik“."
    assert f"https://openregion.example.org/marketplace/{posting.pk}/" in de.body
    assert "/en/" not in de.body


def test_a_link_made_on_an_english_page_is_stored_neutral_and_given_in_the_readers_language(
    client_for,
):
    reader = UserFactory()
    posting = PostingFactory()
    with translation.override("en"):
        english_link = posting.get_absolute_url()
        assert english_link.startswith("/en/")
        note = services.notify([reader], "matching.interest_declined", english_link, title="X")[0]
    assert note.link == f"/marketplace/{posting.pk}/"
    client = client_for(reader)
    response = client.post(f"/en/notifications/{note.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response.url == english_link


def test_preferences_switch_email_off_per_group(
    client_for, tasks_now, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(preferred_language="de")
    client = client_for(user)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "Benachrichtigungen" in html and "Marktplatz" in html
    assert "Nur in der Plattform" in html and "In der Plattform und per E-Mail" in html
    # defaults: every group in-app and e-mail
    assert set(services.preferences(user).values()) == {Preference.Channel.IN_APP_AND_EMAIL}
    choices = {group: Preference.Channel.IN_APP_AND_EMAIL for group in kinds.Group.values}
    choices["marketplace"] = Preference.Channel.IN_APP
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    assert services.preferences(user)["marketplace"] == Preference.Channel.IN_APP

    with django_capture_on_commit_callbacks(execute=True):
        _interest_note([user], PostingFactory())
        services.notify(
            [user], "actors.membership_ended", "/", organisation="Werk AG", cluster="Cluster"
        )
    # both in-app, only the memberships one by e-mail
    assert Notification.objects.filter(recipient=user).count() == 2
    assert len(mailoutbox) == 1 and "Werk AG" in mailoutbox[0].subject

    # the choice made after queuing still holds when the e-mail is sent
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(
            [user], "actors.membership_ended", "/", organisation="Zweite AG", cluster="C"
        )
    Preference.objects.filter(user=user, group="memberships").update(channel="in_app")
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_preferences_page_in_english_and_refuses_unknown_choices(client_for):
    user = UserFactory()
    client = client_for(user)
    html = client.get("/en/notifications/preferences/").content.decode()
    assert "Notification settings" in html and "In-app only" in html
    assert "Open calls and ideas" in html
    response = client.post("/en/notifications/preferences/", {"marketplace": "fax"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.filter(user=user).exists()
    # linked from the notifications page and the profile
    assert "/en/notifications/preferences/" in client.get("/en/notifications/").content.decode()
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("notifications:preferences") in profile


def test_juror_is_told_when_appointed_in_app_and_by_email(
    client_for, tasks_now, mailoutbox, django_capture_on_commit_callbacks
):
    call = CallFactory(title="Saubere Luft 2030", title_en="Clean Air 2030")
    juror = UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        ideas_services.assign_juror(call.created_by, call, juror, "business")
    note = Notification.objects.get(recipient=juror)
    assert note.kind == "ideas.juror_appointed"
    assert note.params == {"call": "Saubere Luft 2030", "call_en": "Clean Air 2030"}
    review = reverse("ideas:jury_review", args=[call.slug])
    assert note.link == review
    with translation.override("de"):
        assert "Sie wurden in die Jury des Aufrufs „Saubere Luft 2030“ berufen" in note.text
    [mail] = mailoutbox
    assert mail.to == [juror.email]
    # the call's English title for the English reader
    assert "You have been appointed to the jury of the call “Clean Air 2030”" in mail.subject
    assert f"https://openregion.example.org/en/calls/{call.slug}/review/" in mail.body
    html = client_for(juror).get("/en/notifications/").content.decode()
    assert "appointed to the jury of the call “Clean Air 2030”" in html


def test_role_label_is_translated_when_read(users, cluster, member_org):
    newcomer = UserFactory(full_name="")
    actors_services.grant_role(
        users["org_admin"], cluster, newcomer, ClusterRole.Role.MEMBER_USER, member_org
    )
    note = Notification.objects.get(recipient=newcomer)
    assert note.params["role"] == "member_user" and note.params["user"] == ""
    with translation.override("en"):
        english = note.text
    with translation.override("de"):
        german = note.text
    number = newcomer.pk
    assert english.startswith(f"User {number} now has the role “Member user”")
    assert german.startswith(
        f"Nutzer·in {number} hat jetzt die Rolle „Nutzer/in der Mitgliedsorganisation“"
    )


@pytest.mark.parametrize("rows", [3, 30])
def test_list_page_query_count_is_bounded(client_for, rows, django_assert_max_num_queries):
    user = UserFactory()
    posting = PostingFactory()
    for _ in range(rows):
        _interest_note([user], posting)
    services.notify(
        [user], "actors.cluster_role_granted", "/", user="", role="manager", cluster="C"
    )
    client = client_for(user)
    client.get(reverse("notifications:list"))
    with django_assert_max_num_queries(8):
        html = client.get(reverse("notifications:list")).content.decode()
    assert html.count('class="card"') == min(rows + 1, 30)


def test_mark_read_only_own_notifications(client_for):
    owner, other = UserFactory(), UserFactory()
    mine = services.notify([owner], "matching.interest_declined", "", title="A")[0]
    theirs = services.notify([other], "matching.interest_declined", "", title="B")[0]
    client = client_for(owner)
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    with pytest.raises(PermissionDenied):
        services.mark_read(owner, theirs)
    response = client.post(
        reverse("notifications:mark_read", args=[mine.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and f'id="notification-{mine.pk}"' in response.text
    mine.refresh_from_db()
    assert mine.read_at is not None
    # mark all: only mine
    services.notify([owner, other], "matching.interest_declined", "", title="C")
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2
    # GET does not change anything; visitors are sent to log in
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    assert client_for(None).get(reverse("notifications:list")).status_code == 302


def test_header_badge_counts_unread(client_for):
    user = UserFactory()
    services.notify([user], "matching.interest_declined", "", title="A")
    services.notify([user], "matching.interest_declined", "", title="B")
    html = client_for(user).get("/").content.decode()
    assert reverse("notifications:list") in html
    assert '2<span class="visually-hidden"> ungelesen' in html


def test_unknown_kind_is_refused_and_nobody_gets_nothing():
    with pytest.raises(kinds.UnknownKind):
        services.notify([UserFactory()], "matching.made_up", "")
    assert services.notify([None], "matching.interest_declined", "", title="x") == []


def test_api_lists_my_notifications_in_the_request_language_and_marks_read(client_for):
    owner, other = UserFactory(), UserFactory()
    posting = PostingFactory(title="Robotik")
    note = _interest_note([owner], posting)[0]
    theirs = _interest_note([other], posting)[0]
    client = client_for(owner)
    data = client.get("/api/notifications/", headers={"Accept-Language": "en"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["id"] == note.pk and item["group"] == "marketplace"
    assert item["text"] == "Greifer GmbH is interested in “Robotik”."
    assert item["link"] == f"/en/marketplace/{posting.pk}/"
    data = client.get("/api/notifications/", headers={"Accept-Language": "de"}).json()
    assert data["items"][0]["text"] == "Greifer GmbH interessiert sich für „Robotik“."
    assert client.post(f"/api/notifications/{theirs.pk}/read").status_code == 404
    response = client.post(f"/api/notifications/{note.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.get("/api/notifications/?unread=true").json()["count"] == 0
    assert client.post("/api/notifications/read").json() == {"marked": 0}
    assert client.post(f"/api/notifications/{2**63}/read").status_code == 422
    assert client_for(None).get("/api/notifications/").status_code == 401


def test_legacy_notifications_keep_their_text():
    user = UserFactory()
    note = Notification.objects.create(
        recipient=user, kind="legacy", params={"text": "Alte Nachricht"}, created_at=timezone.now()
    )
    assert note.text == "Alte Nachricht"
    # a kind that is no longer registered shows no text rather than failing
    assert Notification(recipient=user, kind="gone.away", params={}).text == ""


def test_membership_notification_reaches_the_organisations_admins(users, cluster):
    org = OrganisationFactory()
    admin = PersonFactory(organisation=org, is_admin=True, user=UserFactory()).user
    actors_services.invite_organisation(users["manager"], cluster, org)
    note = Notification.objects.get(recipient=admin)
    assert note.kind == "actors.membership_invited"
    with translation.override("en"):
        assert note.text.startswith(f"{cluster.name} invites {org.name} to become a member.")


def test_event_notifications_show_title_and_start_in_the_readers_language(client_for, users):
    from events import services as events_services
    from tests.events.factories import EventFactory, RegistrationFactory

    event = EventFactory(
        cluster=users["manager"].cluster_roles.first().cluster,
        title="Werkstatt Wasserstoff",
        title_en="Hydrogen workshop",
    )
    participant = RegistrationFactory(event=event).user
    events_services.cancel_event(event, users["manager"], "Krank")
    note = Notification.objects.get(recipient=participant, kind="events.event_cancelled")
    starts = timezone.localtime(event.starts_at)
    html = client_for(participant).get("/en/notifications/").content.decode()
    assert "“Hydrogen workshop”" in html and "has been cancelled" in html
    assert str(starts.year) in html and "Krank" in html
    html = client_for(participant).get("/notifications/").content.decode()
    assert "„Werkstatt Wasserstoff“" in html and "wurde abgesagt" in html
    assert note.link == event.get_absolute_url()


def test_booking_tells_the_office_and_the_office_answer_tells_the_member(users, cluster):
    from services import services as service_services
    from services.models import Booking
    from tests.services.factories import ServiceFactory

    service = ServiceFactory(cluster=cluster, title="Bewerberpool", title_en="Talent pool")
    booking = service_services.book_service(service, users["member"], "Zwei Plätze")
    office = Notification.objects.get(recipient=users["manager"])
    assert office.kind == "services.booking_requested"
    with translation.override("en"):
        assert office.text == (
            f"{users['member'].full_name} has booked “Talent pool”. "
            "Please confirm or cancel the booking."
        )
    service_services.set_booking_state(booking, Booking.State.CONFIRMED, users["manager"])
    answer = Notification.objects.get(recipient=users["member"])
    with translation.override("de"):
        assert answer.text == "Ihre Buchung von „Bewerberpool“ wurde bestätigt."
