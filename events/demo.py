"""Demo events: for every demo cluster a mix of formats (past ones with attendance, upcoming ones
with registrations and a full member café with a waiting list), and in the first cluster a brokerage
event with 60 participants, meeting requests and a computed schedule.

Formats follow the seed documents: clusters moved member cafés and webinars online during the
pandemic, ran apprentice speed dating by video conference and bring companies and research together
at cooperation exchanges. Deterministic (random.Random(seed)).
"""

import functools
import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actors.models import Cluster, ClusterRole, Membership, Person
from core.policy import allowed

from . import services
from .models import Event, MeetingRequest, Registration

DEMO_PASSWORD = "openregion-demo"
BROKERAGE_SLUG = "kooperationsboerse-offene-region"
N_PARTICIPANTS = 60

GIVEN = ["Anna", "Ben", "Carla", "David", "Elif", "Felix", "Greta", "Hannes", "Ida", "Jonas",
         "Katrin", "Lukas", "Marie", "Niklas", "Olga", "Paul", "Rana", "Stefan", "Tanja", "Yusuf"]  # fmt: skip
FAMILY = ["Albrecht", "Brandt", "Demir", "Engel", "Fischer", "Hoffmann", "Jansen", "Krüger",
          "Lang", "Meyer", "Nowak", "Peters", "Schulz", "Wagner", "Zimmermann"]  # fmt: skip

PROFILES = [
    "Wir entwickeln Sensorik für die Zustandsüberwachung von Maschinen und suchen Pilotkunden "
    "aus der Fertigung.",
    "Hochschullabor für Leichtbau: wir bieten Werkstoffprüfung und suchen Unternehmen für ein "
    "gemeinsames Forschungsprojekt.",
    "Software house offering computer vision for quality inspection; looking for partners in "
    "food processing and metalworking.",
    "Familienunternehmen im Werkzeugbau, suchen Partner für additive Fertigung.",
    "Start-up for energy management in small factories; we look for pilot sites and investors.",
    "Wirtschaftsförderung des Kreises: wir vermitteln Fördermittel und Gewerbeflächen.",
    "Logistikdienstleister mit Interesse an autonomen Transportsystemen im Werk.",
    "Research institute for circular economy, offering life-cycle assessment and recycling tests.",
    "Wir bilden jedes Jahr zehn Azubis aus und suchen Kooperationen für Verbundausbildung.",
    "Beratung für Digitalisierung im Mittelstand; wir suchen Technologiepartner für KI-Projekte.",
]
MESSAGES = [
    "Ihr Profil passt gut zu unserem Pilotprojekt – lassen Sie uns sprechen.",
    "We would like to learn more about your testing facilities.",
    "Wir suchen genau diese Kompetenz für einen gemeinsamen Förderantrag.",
    "Could we discuss a joint application for the next funding call?",
    "Gern würden wir Ihnen unsere Lösung kurz vorstellen.",
    "",
]

# (format, mode, days from today, hour, hours long, capacity, public, title, description)
PROGRAMME = [
    (
        Event.Format.WORKSHOP,
        Event.Mode.ONSITE,
        -40,
        9,
        6,
        25,
        True,
        "Werkstatt: Förderprogramme für Innovationsprojekte",
        "Welche Programme von Bund und Land passen zu Ihrem Vorhaben? In der Werkstatt stellen "
        "Fördermittelberaterinnen die wichtigsten Programme vor; danach arbeiten Sie in kleinen Gruppen "
        "an Ihren Projektskizzen.",
    ),
    (
        Event.Format.WEBINAR,
        Event.Mode.ONLINE,
        -12,
        16,
        1,
        None,
        True,
        "Webinar: Kurzarbeit, Soforthilfen und Liquidität",
        "Eine Stunde kompakt: aktuelle Hilfen für kleine und mittlere Unternehmen, mit Fragerunde.",
    ),
    (
        Event.Format.MEMBER_CAFE,
        Event.Mode.ONLINE,
        5,
        8,
        1,
        12,
        False,
        "Mitglieder-Café online: Wie kommen wir durch die Krise?",
        "Offener Austausch unter Mitgliedern bei einer Tasse Kaffee: Wo drückt der Schuh, was hat "
        "anderen geholfen? Die Plätze sind bewusst begrenzt, damit alle zu Wort kommen.",
    ),
    (
        Event.Format.ROUNDTABLE,
        Event.Mode.ONSITE,
        20,
        14,
        3,
        20,
        True,
        "Runder Tisch: Fachkräfte gemeinsam gewinnen",
        "Unternehmen, Hochschulen und Arbeitsagentur diskutieren, wie Verbundausbildung und "
        "gemeinsames Recruiting in der Region funktionieren können.",
    ),
    (
        Event.Format.STUDY_VISIT,
        Event.Mode.ONSITE,
        35,
        10,
        5,
        15,
        False,
        "Exkursion: Lernfabrik und Demonstrationszentrum",
        "Wir besuchen eine Lernfabrik und sehen Industrie 4.0 im Einsatz. Busfahrt ab der "
        "Geschäftsstelle, Mittagessen inklusive.",
    ),
    (
        Event.Format.SPEED_DATING,
        Event.Mode.ONLINE,
        28,
        15,
        2,
        40,
        True,
        "Azubi-Speed-Dating per Videokonferenz",
        "Schülerinnen und Schüler lernen in zehnminütigen Gesprächen Ausbildungsbetriebe aus dem "
        "Cluster kennen – bequem per Videokonferenz.",
    ),
]

# English versions of the programme: German title -> (English title, English description)
PROGRAMME_EN = {
    "Werkstatt: Förderprogramme für Innovationsprojekte": (
        "Workshop: funding programmes for innovation projects",
        "Which federal and state programmes fit your project? Funding advisers present the most "
        "important programmes; then you work on your project outlines in small groups. The "
        "workshop is held in German.",
    ),
    "Webinar: Kurzarbeit, Soforthilfen und Liquidität": (
        "Webinar: short-time work, emergency aid and liquidity",
        "One compact hour on current support for small and medium-sized enterprises, with "
        "questions and answers. The webinar is in German; questions in English are welcome.",
    ),
    "Mitglieder-Café online: Wie kommen wir durch die Krise?": (
        "Online member café: how do we get through the crisis?",
        "An open exchange among members over a cup of coffee: where does it hurt, what has "
        "helped others? Places are deliberately limited so that everyone gets a say.",
    ),
    "Runder Tisch: Fachkräfte gemeinsam gewinnen": (
        "Round table: recruiting skilled staff together",
        "Companies, universities and the employment agency discuss how joint vocational "
        "training and shared recruiting can work in the region.",
    ),
    "Exkursion: Lernfabrik und Demonstrationszentrum": (
        "Study visit: learning factory and demonstration centre",
        "We visit a learning factory and see Industry 4.0 at work. Coach from the cluster "
        "office, lunch included.",
    ),
    "Azubi-Speed-Dating per Videokonferenz": (
        "Apprentice speed dating by video conference",
        "School leavers get to know training companies of the cluster in ten-minute talks – "
        "conveniently by video conference.",
    ),
}

BROKERAGE_DESCRIPTION = (
    "Auf der Kooperationsbörse treffen sich Unternehmen, Forschungseinrichtungen und Verwaltung zu "
    "vorab vereinbarten 20-minütigen Einzelgesprächen. Beschreiben Sie in Ihrem Profil, was Sie "
    "anbieten und suchen, fragen Sie Gespräche an – die Geschäftsstelle plant daraus Ihren "
    "persönlichen Terminplan mit Uhrzeit und Tisch."
)
BROKERAGE_DESCRIPTION_EN = (
    "At the brokerage event, companies, research and public bodies meet in pre-arranged 20-minute "
    "one-to-one talks. Describe what you offer and seek, request meetings, and the cluster office "
    "plans your personal agenda with times and tables."
)


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


@functools.cache
def days_off(year: int) -> frozenset:
    """Days no event is held on: nationwide German public holidays, Christmas Eve and New Year's
    Eve (weekends are checked separately)."""
    easter = _easter(year)
    fixed = [(1, 1), (5, 1), (10, 3), (12, 24), (12, 25), (12, 26), (12, 31)]
    moving = [-2, 1, 39, 50]  # Good Friday, Easter Monday, Ascension Day, Whit Monday
    return frozenset(
        [date(year, m, d) for m, d in fixed] + [easter + timedelta(days=n) for n in moving]
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def _day(now, days, hour):
    """The given hour on a working day about `days` from now: a weekend or holiday moves to the
    next working day for upcoming events and to the working day before for past ones."""
    local = timezone.localtime(now) + timedelta(days=days)
    step = timedelta(days=1 if days >= 0 else -1)
    while not is_working_day(local.date()):
        local += step
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _participants(cluster, rng):
    """60 demo participants working for member organisations of the first cluster."""
    password = make_password(DEMO_PASSWORD)
    org_ids = list(
        Membership.objects.filter(cluster=cluster, status="active")
        .order_by("pk")
        .values_list("organisation_id", flat=True)[:40]
    )
    emails = [f"teilnehmende{n:02d}@demo.openregion.example" for n in range(N_PARTICIPANTS)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    names = {
        e: f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i * 7) % len(FAMILY)]}" for i, e in enumerate(emails)
    }
    User.objects.bulk_create(
        User(email=e, full_name=names[e], password=password, email_confirmed=True)
        for e in emails
        if e not in existing
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    if org_ids:
        have_person = set(Person.objects.filter(user__in=users).values_list("user_id", flat=True))
        people, roles = [], []
        for i, user in enumerate(users):
            org_id = org_ids[i % len(org_ids)]
            if user.pk not in have_person:
                people.append(
                    Person(organisation_id=org_id, user=user, full_name=user.full_name,
                           email=user.email, job_title=rng.choice(["Geschäftsführung",
                           "Innovationsmanagement", "Forschung und Entwicklung", "Vertrieb"]))
                )  # fmt: skip
            roles.append(
                ClusterRole(
                    user=user,
                    cluster=cluster,
                    role=ClusterRole.Role.MEMBER_USER,
                    organisation_id=org_id,
                )
            )
        Person.objects.bulk_create(people)
        ClusterRole.objects.bulk_create(roles, ignore_conflicts=True)
    return users


def _register(event, users, registered, attended=0, waiting=0, now=None):
    regs = []
    for i, user in enumerate(users[: registered + waiting]):
        regs.append(
            Registration(
                event=event,
                user=user,
                state=Registration.State.REGISTERED
                if i < registered
                else Registration.State.WAITLISTED,
                attended=i < attended,
            )
        )
    Registration.objects.bulk_create(regs, ignore_conflicts=True)
    # signed up a while before the event (ties keep sign-up order by id)
    event.registrations.update(created_at=min(now, event.starts_at) - timedelta(days=7))


def _brokerage(cluster, manager, users, demo_accounts, now, rng):
    start = _day(now, 14, 9)
    event = Event.objects.create(
        cluster=cluster,
        slug=BROKERAGE_SLUG,
        title="Kooperationsbörse „Offene Region“",
        title_en="“Open Region” brokerage event",
        format=Event.Format.BROKERAGE,
        mode=Event.Mode.ONSITE,
        description=BROKERAGE_DESCRIPTION,
        description_en=BROKERAGE_DESCRIPTION_EN,
        location="Stadthalle, Großer Saal",
        starts_at=start,
        ends_at=start + timedelta(hours=5),
        capacity=80,
        is_public=True,
        meeting_minutes=20,
        meetings_start=start + timedelta(minutes=30),
        meeting_slots=12,
        tables=20,
        created_by=manager,
    )
    people = list(users) + demo_accounts
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=user,
            state=Registration.State.REGISTERED,
            profile=PROFILES[i % len(PROFILES)],
            unavailable_slots=sorted(rng.sample(range(12), 2)) if i % 9 == 4 else [],
        )
        for i, user in enumerate(people)
    )
    pairs = set()
    popular = people[:8] + demo_accounts  # some participants are in high demand
    while len(pairs) < 240:
        a = rng.choice(people)
        b = rng.choice(popular) if rng.random() < 0.3 else rng.choice(people)
        if a.pk != b.pk and (b.pk, a.pk) not in pairs:
            pairs.add((a.pk, b.pk))
    requests = []
    for n, (a, b) in enumerate(sorted(pairs)):
        state = MeetingRequest.State.ACCEPTED
        if n % 7 == 3:
            state = MeetingRequest.State.PENDING
        elif n % 11 == 5:
            state = MeetingRequest.State.DECLINED
        requests.append(
            MeetingRequest(event=event, requester_id=a, recipient_id=b, state=state,
                           message=rng.choice(MESSAGES))
        )  # fmt: skip
    MeetingRequest.objects.bulk_create(requests)
    # the demo member has a request waiting for an answer
    member = demo_accounts[-1] if demo_accounts else None
    if member is not None:
        other = next(u for u in users if not MeetingRequest.objects.filter(
            event=event, requester__in=[u, member], recipient__in=[u, member]).exists())  # fmt: skip
        MeetingRequest.objects.create(
            event=event, requester=other, recipient=member,
            message="Wir suchen Partner für einen Demonstrator – hätten Sie 20 Minuten?",
        )  # fmt: skip
    office = _office(event, manager)
    if office is None:  # nobody may run the scheduler: leave the meetings unscheduled
        accepted = event.meeting_requests.filter(state=MeetingRequest.State.ACCEPTED).count()
        return event, services.ScheduleResult(scheduled=0, unscheduled=accepted)
    return event, services.run_scheduler(event, office)


def _office(event, manager):
    """Who runs the scheduler for the demo: the demo manager if they manage the event's cluster,
    else a current manager of it, else a platform admin."""
    candidates = [manager] if manager is not None else []
    candidates += [
        role.user
        for role in ClusterRole.objects.filter(
            cluster=event.cluster, role=ClusterRole.Role.MANAGER
        ).select_related("user")[:1]
    ]
    candidates += list(User.objects.filter(is_superuser=True, is_active=True).order_by("pk")[:1])
    return next((u for u in candidates if allowed(u, "events.schedule", event)), None)


RATED_CAFE_TITLE = "Mitglieder-Café online: Lieferketten unter Druck"


def _rated_cafe(cluster, manager, users, now):
    """The online member café on supply chains that the services demo's closed event rating
    (opened 90 days ago) asks about: a past event in the first cluster, with attendance."""
    start = _day(now, -92, 8)
    event = Event.objects.create(
        cluster=cluster,
        title=f"{RATED_CAFE_TITLE} – {cluster.acronym or cluster.name}",
        title_en=f"Online member café: supply chains under pressure – {cluster.acronym or cluster.name}",
        format=Event.Format.MEMBER_CAFE,
        mode=Event.Mode.ONLINE,
        description="Mitglieder berichten, wie sie mit gestörten Lieferketten umgehen: Lager, "
        "zweite Lieferanten, gemeinsamer Einkauf. Anschließend Austausch in kleinen Runden.",
        description_en="Members report how they deal with disrupted supply chains: stock, "
        "second suppliers, joint purchasing. Then exchange in small groups. Held in German.",
        online_url="https://meet.example.org/" + cluster.slug[:30],
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=30,
        is_public=False,
        created_by=manager,
    )
    _register(event, users, registered=18, attended=14, now=now)
    return event


def _link_event_rating(log):
    """Link the services demo's event rating (a closed survey naming its event only) in the first
    cluster to a fitting past event there: a member café that ended before the survey opened,
    else the latest past event. Does nothing when there is no such survey or it is linked."""
    try:
        from services.models import Survey
    except ImportError:  # services app not installed
        return
    first = Cluster.objects.order_by("pk").first()
    if first is None:
        return
    survey = (
        Survey.objects.filter(cluster=first, kind=Survey.Kind.EVENT, event__isnull=True)
        .order_by("pk")
        .first()
    )
    if survey is None:
        return
    past = first.events.filter(ends_at__lt=timezone.now(), cancelled_at__isnull=True)
    before = past.filter(ends_at__lte=survey.opened_at) if survey.opened_at else past
    event = (
        before.filter(format=Event.Format.MEMBER_CAFE).order_by("-starts_at").first()
        or before.order_by("-starts_at").first()
        or past.order_by("-starts_at").first()
    )
    if event is None:
        return
    survey.event = event
    survey.save(update_fields=["event"])
    log(f"Events: the event rating “{survey.title}” now rates “{event.title}”.")


@transaction.atomic
def seed(stdout=None, scale=False, seed=2026):
    def log(message):
        if stdout is not None:
            stdout.write(message)

    if Event.objects.filter(slug=BROKERAGE_SLUG).exists():
        log("Events: demo events already present.")
        _link_event_rating(log)
        return
    clusters = list(Cluster.objects.order_by("pk")[: 20 if scale else 10])
    if not clusters:
        log("Events: no clusters, skipped.")
        return
    rng = random.Random(seed)
    now = timezone.now()
    manager = User.objects.filter(email="manager@openregion.example").first()
    demo_accounts = list(
        User.objects.filter(
            email__in=[
                "manager@openregion.example",
                "orgadmin@openregion.example",
                "member@openregion.example",
            ]  # fmt: skip
        ).order_by("email")
    )  # manager@, member@, orgadmin@ in e-mail order
    demo_accounts = [u for u in demo_accounts if u.email != "manager@openregion.example"]
    demo_accounts.sort(key=lambda u: u.email != "orgadmin@openregion.example")  # member@ last
    users = _participants(clusters[0], rng)
    total = 0
    for index, cluster in enumerate(clusters):
        for fmt, mode, days, hour, hours, capacity, public, title, description in PROGRAMME:
            start = _day(now, days + index, hour)
            extra = {}
            if fmt == Event.Format.SPEED_DATING:
                extra = {"meeting_minutes": 10, "meetings_start": start + timedelta(minutes=15),
                         "meeting_slots": 9, "tables": 12}  # fmt: skip
            event = Event.objects.create(
                cluster=cluster,
                title=f"{title} – {cluster.acronym or cluster.name}",
                title_en=f"{PROGRAMME_EN[title][0]} – {cluster.acronym or cluster.name}",
                format=fmt,
                mode=mode,
                description=description,
                description_en=PROGRAMME_EN[title][1],
                location=""
                if mode == Event.Mode.ONLINE
                else "Geschäftsstelle des Clusters, Saal 1",
                online_url="https://meet.example.org/" + cluster.slug[:30]
                if mode == Event.Mode.ONLINE
                else "",
                starts_at=start,
                ends_at=start + timedelta(hours=hours),
                capacity=capacity,
                is_public=public,
                created_by=manager if index == 0 else None,
                **extra,
            )
            total += 1
            pool = users[index:] + users[:index]
            if days < 0:
                n = min(capacity or 30, 20)
                _register(event, pool, registered=n, attended=n - 4, now=now)
            elif fmt == Event.Format.MEMBER_CAFE:
                # fully booked: the demo member is on the waiting list in the first cluster
                _register(event, pool, registered=capacity, waiting=3, now=now)
                if index == 0 and demo_accounts:
                    Registration.objects.create(
                        event=event, user=demo_accounts[-1], state=Registration.State.WAITLISTED
                    )
            elif capacity:
                _register(event, pool, registered=capacity // 2, now=now)
        if index == 0 and demo_accounts:
            # the demo member is registered for the round table
            roundtable = cluster.events.get(format=Event.Format.ROUNDTABLE)
            Registration.objects.get_or_create(
                event=roundtable, user=demo_accounts[-1],
                defaults={"state": Registration.State.REGISTERED},
            )  # fmt: skip
    # the first cluster's study visit has been called off (no e-mails from demo data)
    Event.objects.filter(cluster=clusters[0], format=Event.Format.STUDY_VISIT).update(
        cancelled_at=now - timedelta(days=2),
        cancellation_reason="Die Lernfabrik wird umgebaut und kann bis zum Sommer keine Gruppen "
        "empfangen. Wir holen die Exkursion nach, sobald ein neuer Termin feststeht.\n"
        "The learning factory is being refurbished; we will offer a new date.",
    )
    event, result = _brokerage(clusters[0], manager, users, demo_accounts, now, rng)
    _rated_cafe(clusters[0], manager, users, now)
    _link_event_rating(log)
    log(
        f"Events: {total + 1} events in {len(clusters)} clusters; brokerage event with "
        f"{event.registrations.count()} participants, {event.meeting_requests.count()} requests, "
        f"{result.scheduled} meetings scheduled ({result.unscheduled} without a slot)"
    )
