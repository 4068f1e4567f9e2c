"""Demo data: service catalogues of the demo clusters with lifecycle histories, two years of bookings
and ratings, a best-practice library and an annual member survey with about 50 responses.

The services follow the kinds of network services, financing models and transferability grades
described in the seed documents; the texts are written for the demo. Deterministic.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from actors.models import Cluster, ClusterRole

from .models import (
    OFFERED,
    Answer,
    Booking,
    Feedback,
    Question,
    Response,
    Service,
    Status,
    StatusChange,
    Survey,
)
from .services import idea_from_answer

DEMO_PASSWORD = "openregion-demo"
MARKER_SLUG = "bewerberpool-ein-profil-viele-betriebe"

# title, category, target group, problem, delivery, financing, price, grade, capacity
CATALOGUE = [
    (
        "Bewerberpool: ein Profil, viele Betriebe",
        "personnel",
        "Mitgliedsunternehmen, besonders kleine Betriebe ohne eigene Personalabteilung",
        "Kleine Unternehmen finden kaum Ingenieurinnen und Ingenieure; Initiativbewerbungen "
        "erreichen meist nur einen Betrieb.",
        "Die Geschäftsstelle prüft eingehende Bewerbungen im persönlichen Gespräch und leitet "
        "geeignete Profile direkt an die Geschäftsführungen aller Mitglieder weiter.",
        "membership_fees",
        None,
        4,
        None,
    ),
    (
        "Azubi-Speed-Dating per Videokonferenz",
        "personnel",
        "Ausbildungsbetriebe im Netzwerk und Schulabgängerinnen und -abgänger der Region",
        "Freie Ausbildungsplätze bleiben unbesetzt, weil Vorstellungsgespräche vor Ort schwer "
        "zu organisieren sind.",
        "Zweimal im Jahr zehnminütige Kennenlern-Gespräche im Videoformat, vorbereitet und "
        "moderiert von der Geschäftsstelle.",
        "free_for_members",
        Decimal("95.00"),
        4,
        40,
    ),
    (
        "Sommerakademie Mikrotechnik mit Speed-Recruiting",
        "education",
        "Studierende technischer Fächer und rekrutierende Mitgliedsunternehmen",
        "Unternehmen erreichen den Nachwuchs zu spät; Studierenden fehlt Praxiswissen aus den "
        "Betrieben.",
        "Eine Woche Fachvorträge und Laborübungen bei Mitgliedern, abgeschlossen mit "
        "Kurzgesprächen zwischen Studierenden und Personalverantwortlichen.",
        "participant_fees",
        Decimal("250.00"),
        3,
        30,
    ),
    (
        "Weiterbildung Prozesskoordination Kunststoff",
        "education",
        "Fachkräfte aus Produktion und Qualitätssicherung der Mitgliedsunternehmen",
        "Fehler an den Schnittstellen zwischen Werkstoff, Werkzeug und Verarbeitung kosten die "
        "Betriebe viel Geld.",
        "Modulare Qualifizierung mit Fachseminaren, Praxistagen in Mitgliedsbetrieben und einer "
        "Abschlussarbeit aus dem eigenen Unternehmen.",
        "free_for_members",
        Decimal("1200.00"),
        3,
        16,
    ),
    (
        "Demo- und Innovationszentrum",
        "innovation",
        "Mitglieder und externe KMU, die neue Technologien erproben möchten",
        "KMU können sich teure Versuchsanlagen und Software für erste Tests nicht leisten.",
        "Gemeinsam genutzte Anlagen und Arbeitsplätze mit Betreuung durch Fachleute aus dem "
        "Netzwerk, buchbar tageweise.",
        "free_for_members",
        Decimal("480.00"),
        3,
        None,
    ),
    (
        "Coaching und Expertenvermittlung für junge Technologieunternehmen",
        "innovation",
        "Gründungen und junge Hightech-Unternehmen, Mitglieder und Externe",
        "Gründerteams fehlt Erfahrung in Finanzierung, Vertrieb und Marketing.",
        "Erfahrene Unternehmerinnen und Unternehmer aus dem Netzwerk begleiten ein Jahr lang; "
        "die Geschäftsstelle vermittelt Fachleute und Kapitalgeber.",
        "public_funding",
        None,
        4,
        12,
    ),
    (
        "Gemeinschaftsstand auf Fachmessen",
        "public_relations",
        "Mitgliedsunternehmen, die international sichtbar werden wollen",
        "Ein eigener Messestand ist für kleine Unternehmen zu teuer und zu aufwendig.",
        "Die Geschäftsstelle plant und betreut einen gemeinsamen Stand; Mitglieder teilen sich "
        "Fläche, Kosten und Pressearbeit.",
        "participant_fees",
        Decimal("1900.00"),
        4,
        10,
    ),
    (
        "Online-Newsletter und Mitgliederporträts",
        "public_relations",
        "Mitglieder sowie Fachöffentlichkeit im In- und Ausland",
        "Die Leistungen der Mitglieder sind außerhalb der Region kaum bekannt.",
        "Monatlicher Newsletter mit Terminen, Fachbeiträgen und Porträts einzelner Mitglieder; "
        "Beiträge werden auch für die Presse aufbereitet.",
        "membership_fees",
        None,
        4,
        None,
    ),
    (
        "Moderierte Technologie-Arbeitskreise",
        "communication",
        "Fachleute aus Mitgliedsunternehmen und Forschungseinrichtungen",
        "Fachthemen versanden zwischen den Mitgliederversammlungen; gemeinsame Projekte kommen "
        "nicht in Gang.",
        "Arbeitskreise treffen sich vierteljährlich mit externer Moderation und einem festen "
        "Ablauf von der Themenfindung bis zum Projektantrag.",
        "membership_fees",
        None,
        4,
        None,
    ),
    (
        "Online-Mitglieder-Café",
        "communication",
        "Alle Mitglieder",
        "In Krisenzeiten fehlt der kurze Austausch darüber, wie andere Betriebe Probleme lösen.",
        "Einmal im Monat eine Stunde offener Austausch per Videokonferenz, mit einem kurzen "
        "Impuls aus einem Mitgliedsbetrieb.",
        "membership_fees",
        None,
        4,
        None,
    ),
    (
        "Agentur für branchenübergreifende Kooperation",
        "communication",
        "Mitglieder und Akteure anderer Technologiefelder in der Region",
        "Lösungen aus einer Branche erreichen andere Branchen nicht, obwohl sie dort helfen "
        "würden.",
        "Die Agentur sucht gezielt Partner aus anderen Clustern und organisiert gemeinsame "
        "Workshops zu Querschnittsthemen.",
        "public_funding",
        None,
        3,
        None,
    ),
    (
        "Webinar-Reihe Fördermittel und Soforthilfen",
        "education",
        "Geschäftsführungen kleiner und mittlerer Mitgliedsunternehmen",
        "Förderprogramme ändern sich schnell; kleine Betriebe verlieren den Überblick.",
        "Kurze Webinare mit Fachleuten aus Förderbanken und Verwaltung, Aufzeichnungen im "
        "Mitgliederbereich.",
        "sponsored",
        None,
        3,
        100,
    ),
    (
        "Delegationsreise zu Partnerclustern",
        "communication",
        "Mitglieder mit Interesse an Auslandsmärkten",
        "Erste Kontakte ins Ausland sind für kleine Unternehmen aufwendig und riskant.",
        "Jährliche Reise mit Besuchen bei Partnerclustern, Unternehmen und Forschungsinstituten.",
        "participant_fees",
        Decimal("1450.00"),
        2,
        15,
    ),
    (
        "Digitale Qualitätsprüfung im Verbund",
        "innovation",
        "Netzwerkpartner aus der industriellen Bildverarbeitung und deren Kunden",
        "Sichtprüfungen durch Fachkräfte sind teuer und nicht immer zuverlässig.",
        "Gemeinsame Plattform mit Erfahrungsberichten und Online-Sprechstunden zur digitalen "
        "Bildverarbeitung.",
        "membership_fees",
        None,
        1,
        None,
    ),
]

# English versions of the catalogue: German title -> (title, target group, problem, delivery)
CATALOGUE_EN = {
    "Bewerberpool: ein Profil, viele Betriebe": (
        "Applicant pool: one profile, many companies",
        "Member companies, especially small firms without an HR department of their own",
        "Small companies hardly find engineers; speculative applications usually reach only one "
        "firm.",
        "The cluster office reviews incoming applications in a personal interview and forwards "
        "suitable profiles directly to the management of all members.",
    ),
    "Azubi-Speed-Dating per Videokonferenz": (
        "Apprentice speed dating by video conference",
        "Training companies in the network and school leavers of the region",
        "Apprenticeships stay vacant because interviews on site are hard to organise.",
        "Ten-minute introductory talks by video twice a year, prepared and moderated by the "
        "cluster office.",
    ),
    "Sommerakademie Mikrotechnik mit Speed-Recruiting": (
        "Microtechnology summer academy with speed recruiting",
        "Students of technical subjects and recruiting member companies",
        "Companies reach young talent too late; students lack practical knowledge from industry.",
        "One week of lectures and lab exercises at members, ending with short talks between "
        "students and HR managers.",
    ),
    "Weiterbildung Prozesskoordination Kunststoff": (
        "Further training: process coordination in plastics",
        "Skilled staff from production and quality assurance of member companies",
        "Errors at the interfaces between material, tool and processing cost the companies a lot "
        "of money.",
        "Modular qualification with seminars, practice days at member companies and a final "
        "project from the participant's own company.",
    ),
    "Demo- und Innovationszentrum": (
        "Demonstration and innovation centre",
        "Members and external SMEs who want to try out new technologies",
        "SMEs cannot afford expensive test equipment and software for first trials.",
        "Shared equipment and workplaces, supported by experts from the network, bookable by the "
        "day.",
    ),
    "Coaching und Expertenvermittlung für junge Technologieunternehmen": (
        "Coaching and expert brokerage for young technology companies",
        "Start-ups and young high-tech companies, members and externals",
        "Founding teams lack experience in financing, sales and marketing.",
        "Experienced entrepreneurs from the network mentor the team for a year; the cluster "
        "office brokers experts and investors.",
    ),
    "Gemeinschaftsstand auf Fachmessen": (
        "Joint stand at trade fairs",
        "Member companies that want to become visible internationally",
        "A stand of their own is too expensive and too much work for small companies.",
        "The cluster office plans and runs a joint stand; members share space, costs and press "
        "work.",
    ),
    "Online-Newsletter und Mitgliederporträts": (
        "Online newsletter and member portraits",
        "Members and the professional public at home and abroad",
        "Outside the region, hardly anyone knows what the members can do.",
        "Monthly newsletter with dates, expert articles and portraits of individual members; "
        "articles are also prepared for the press.",
    ),
    "Moderierte Technologie-Arbeitskreise": (
        "Moderated technology working groups",
        "Experts from member companies and research institutions",
        "Technical topics peter out between member assemblies; joint projects do not get going.",
        "Working groups meet quarterly with external moderation and a fixed process from finding "
        "a topic to the project proposal.",
    ),
    "Online-Mitglieder-Café": (
        "Online member café",
        "All members",
        "In times of crisis there is no quick exchange about how other companies solve problems.",
        "Once a month an hour of open exchange by video conference, with a short input from a "
        "member company.",
    ),
    "Agentur für branchenübergreifende Kooperation": (
        "Agency for cross-sector cooperation",
        "Members and actors from other technology fields in the region",
        "Solutions from one sector do not reach other sectors, although they would help there.",
        "The agency looks for partners from other clusters and organises joint workshops on "
        "cross-cutting topics.",
    ),
    "Webinar-Reihe Fördermittel und Soforthilfen": (
        "Webinar series on funding and emergency aid",
        "Managers of small and medium-sized member companies",
        "Funding programmes change quickly; small companies lose track.",
        "Short webinars with experts from development banks and public administration, "
        "recordings in the members' area.",
    ),
    "Delegationsreise zu Partnerclustern": (
        "Delegation trip to partner clusters",
        "Members interested in foreign markets",
        "First contacts abroad are laborious and risky for small companies.",
        "Annual trip with visits to partner clusters, companies and research institutes.",
    ),
    "Digitale Qualitätsprüfung im Verbund": (
        "Joint digital quality inspection",
        "Network partners from industrial image processing and their customers",
        "Visual inspections by skilled staff are expensive and not always reliable.",
        "Shared platform with case reports and online consultation hours on digital image "
        "processing.",
    ),
}


# Lifecycle paths: (status, authority for the authorisation step)
PATH_ACTIVE = ["concept", "authorised", "pilot", "active"]
PATH_CONTINUED = ["concept", "authorised", "pilot", "active", "evaluation", "continued"]
PATH_MODIFIED = ["concept", "authorised", "active", "evaluation", "modified"]
PATH_REDUCED = ["concept", "authorised", "active", "evaluation", "reduced"]
PATH_RETIRED = ["concept", "authorised", "pilot", "evaluation", "retired"]
PATH_EVALUATION = ["concept", "authorised", "active", "evaluation"]
PATH_PILOT = ["concept", "authorised", "pilot"]
PATH_AUTHORISED = ["concept", "authorised"]
PATH_CONCEPT = ["concept"]

NOTES = {
    "concept": "Konzept mit Zielgruppe, Ablauf und Finanzierung ausgearbeitet.",
    "authorised": "Beschluss gefasst.",
    "pilot": "Freiwillige Testphase mit ausgewählten Mitgliedern.",
    "active": "Regelangebot für alle Mitglieder.",
    "evaluation": "Auswertung von Rückmeldungen und Nutzungszahlen.",
    "continued": "Positiv bewertet, wird unverändert weitergeführt.",
    "modified": "Verbesserungsvorschläge der Mitglieder eingearbeitet.",
    "reduced": "Geringere Nachfrage; Angebot auf zwei Termine im Jahr reduziert.",
    "retired": "Zu wenig Nachfrage; Angebot eingestellt.",
}

# First cluster: (catalogue index, path, authority, shared)
FIRST_CLUSTER = [
    (0, PATH_CONTINUED, "board", True),
    (1, PATH_ACTIVE, "office", False),
    (3, PATH_MODIFIED, "assembly", False),
    (4, PATH_PILOT, "board", False),
    (7, PATH_REDUCED, "office", False),
    (8, PATH_EVALUATION, "assembly", True),
    (11, PATH_RETIRED, "office", False),
    (12, PATH_AUTHORISED, "board", False),
    (10, PATH_CONCEPT, "", False),
]
OTHER_CLUSTERS = [
    [(2, PATH_CONTINUED, "board", True), (6, PATH_ACTIVE, "assembly", True)],
    [(5, PATH_ACTIVE, "board", True), (9, PATH_ACTIVE, "office", True)],
    [(13, PATH_ACTIVE, "office", True), (12, PATH_PILOT, "board", False)],
    [(9, PATH_CONTINUED, "office", False), (3, PATH_ACTIVE, "board", True)],
]

COMMENTS = {
    5: ["Sehr hilfreich, klar organisiert.", "Hat uns direkt eine Einstellung gebracht.",
        "Genau das, was wir als kleiner Betrieb brauchen."],
    4: ["Gutes Angebot, gern wieder.", "Die Vorbereitung durch die Geschäftsstelle war top.",
        "Gute Kontakte geknüpft."],
    3: ["In Ordnung, aber die Termine passen oft nicht.", "Etwas mehr Praxisbezug wäre gut."],
    2: ["Zu wenig Teilnehmende aus unserer Branche.", "Die Technik hat nicht gut funktioniert."],
    1: ["Für uns leider kein Nutzen."],
}  # fmt: skip

NEEDS = [
    "Eine gemeinsame Einkaufsgemeinschaft für Energie würde uns viel Geld sparen.",
    "Wir bräuchten Unterstützung bei der Cybersicherheit, am besten mit einem Schnellcheck vor Ort.",
    "Hilfe beim Schreiben von Förderanträgen für Forschungsprojekte.",
    "Mehr Kontakte zu Hochschulen für Abschlussarbeiten.",
    "Ein Austausch zur Einarbeitung ausländischer Fachkräfte.",
    "Beratung zu Nachhaltigkeitsberichten, die unsere Großkunden jetzt verlangen.",
    "Kurze Praxisworkshops zu künstlicher Intelligenz in der Produktion.",
    "Eine Plattform, auf der Mitglieder Maschinenkapazitäten teilen können.",
    "Unterstützung bei der Nachfolgeregelung im Familienbetrieb.",
    "Gemeinsame Stellenanzeigen auf Jobmessen.",
]
AREAS = [
    "Personaldienstleistungen",
    "Aus- und Weiterbildung",
    "Innovations- und Gründungsförderung",
    "Öffentlichkeitsarbeit",
    "Kommunikation und Erfahrungsaustausch",
]
AREAS_EN = [
    "Personnel services",
    "Education and training",
    "Innovation and start-up support",
    "Public relations",
    "Communication and experience exchange",
]
FORMATS = ["Vor Ort", "Online", "Beides im Wechsel"]
FORMATS_EN = ["On site", "Online", "Alternating between both"]


def _history(service, path, authority, start, end, user):
    """Record the lifecycle steps between start and end: the way to the first offer takes the
    first fifth of the time, later steps share the rest. Returns when the service was first
    offered (None if it never was)."""
    steps = ["idea", *path]
    first_offer = next((i for i, s in enumerate(steps) if s in OFFERED), len(steps) - 1)
    span = end - start
    dates = []
    for i in range(len(steps)):
        if i <= first_offer:
            dates.append(start + span * 0.2 * i / max(first_offer, 1))
        else:
            rest = (i - first_offer) / max(len(steps) - 1 - first_offer, 1)
            dates.append(start + span * (0.2 + 0.8 * rest))
    changes, previous = [], ""
    for status, when in zip(steps, dates, strict=True):
        changes.append(
            StatusChange(
                service=service,
                from_status=previous,
                to_status=status,
                authorised_by=authority if status == "authorised" else "",
                note=NOTES.get(status, "Idee aus dem Netzwerk aufgenommen."),
                changed_by=user,
                changed_at=when,
            )
        )
        previous = status
    StatusChange.objects.bulk_create(changes)
    Service.objects.filter(pk=service.pk).update(status=previous)
    service.status = previous
    offered = [c.changed_at for c in changes if c.to_status in OFFERED]
    return offered[0] if offered else None


def _create_service(cluster, index, shared, user, **extra):
    (title, category, target, problem, delivery, financing, price, grade, capacity) = CATALOGUE[
        index
    ]
    title_en, target_en, problem_en, delivery_en = CATALOGUE_EN[title]
    return Service.objects.create(
        cluster=cluster,
        title=title,
        title_en=title_en,
        category=category,
        target_group=target,
        target_group_en=target_en,
        problem=problem,
        problem_en=problem_en,
        delivery=delivery,
        delivery_en=delivery_en,
        financing=financing,
        price=Decimal("0") if price is None else price,  # None in the catalogue: free
        transferability=grade,
        capacity=capacity,
        is_shared=shared,
        status=Status.IDEA,
        created_by=user,
        **extra,
    )


def _member_accounts(cluster, password, count):
    organisations = list(
        cluster.memberships.order_by("pk").values_list("organisation_id", flat=True)[:count]
    )
    if not organisations:
        return []
    emails = [f"mitglied{n:02d}@demo.openregion.example" for n in range(1, count + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        User(email=e, full_name=f"Demo Mitglied {i:02d}", password=password, email_confirmed=True)
        for i, e in enumerate(emails, 1)
        if e not in existing
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    for i, user in enumerate(users):
        ClusterRole.objects.get_or_create(
            user=user,
            cluster=cluster,
            role=ClusterRole.Role.MEMBER_USER,
            organisation_id=organisations[i % len(organisations)],
        )
    return users


def _manager_for(cluster, password, n):
    user, _created = User.objects.get_or_create(
        email=f"clustermanagement{n}@demo.openregion.example",
        defaults={
            "full_name": f"Geschäftsstelle {cluster.acronym or cluster.name}"[:200],
            "password": password,
            "email_confirmed": True,
        },
    )
    ClusterRole.objects.get_or_create(user=user, cluster=cluster, role=ClusterRole.Role.MANAGER)
    return user


@transaction.atomic
def seed(stdout=None, scale=False, seed=2026):
    def log(message):
        if stdout is not None:
            stdout.write(message)

    if Service.objects.filter(slug=MARKER_SLUG).exists():
        log("Services: demo catalogue already present.")
        return
    clusters = list(Cluster.objects.order_by("pk")[:5])
    if not clusters:
        log("Services: no clusters, skipped.")
        return
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    day = timedelta(days=1)
    password = make_password(DEMO_PASSWORD)
    first = clusters[0]
    manager = User.objects.filter(email="manager@openregion.example").first()
    if manager is None:
        manager = _manager_for(first, password, 1)
    members = _member_accounts(first, password, 80)
    demo_member = User.objects.filter(email="member@openregion.example").first()

    created, offered_since, last_change = [], {}, {}
    for index, path, authority, shared in FIRST_CLUSTER:
        service = _create_service(first, index, shared, manager)
        start, end = now - rng.randint(900, 1000) * day, now - rng.randint(20, 120) * day
        offered_since[service.pk] = _history(service, path, authority, start, end, manager)
        last_change[service.pk] = end
        created.append(service)

    library = []
    for n, (cluster, plan) in enumerate(zip(clusters[1:], OTHER_CLUSTERS, strict=False), 2):
        office = _manager_for(cluster, password, n)
        for index, path, authority, shared in plan:
            service = _create_service(cluster, index, shared, office)
            start = now - rng.randint(600, 1000) * day
            _history(service, path, authority, start, now - rng.randint(30, 200) * day, office)
            if shared:
                library.append(service)

    # The first cluster adopted a shared service of another cluster and is piloting it
    if library:
        template = library[0]
        adopted = _create_service(
            first,
            CATALOGUE.index(next(c for c in CATALOGUE if c[0] == template.title)),
            False,
            manager,
            adopted_from=template,
        )
        offered_since[adopted.pk] = _history(
            adopted, ["concept", "authorised", "pilot"], "office", now - 400 * day,
            now - 100 * day, manager,
        )  # fmt: skip
        StatusChange.objects.filter(service=adopted, to_status="idea").update(
            note=f"Aus der Best-Practice-Bibliothek übernommen ({template.cluster.name})."
        )
        created.append(adopted)

    # Up to two years of bookings and ratings for the services of the first cluster that have
    # been offered; a recurring service can be booked again after attending it
    bookings, ratings = [], []
    for s_index, service in enumerate(created):
        since = offered_since.get(service.pk)
        if since is None:
            continue
        days = max((now - since).days - 1, 20)
        users = rng.sample(members, min(len(members), rng.randint(30, 70)))
        base = 3.1 + (s_index % 3) * 0.5
        trend = -0.9 if service.status in (Status.REDUCED, Status.RETIRED) else 0.7
        retired_at = last_change[service.pk] if service.status == Status.RETIRED else now
        for user in users:
            booked = retired_at - rng.randint(1, days) * day
            if booked < since:
                booked = since + rng.randint(1, 10) * day
            if booked > now - 45 * day and service.is_offered:
                state = rng.choice([Booking.State.REQUESTED, Booking.State.CONFIRMED])
            else:
                state = rng.choices(
                    [Booking.State.ATTENDED, Booking.State.CANCELLED], weights=[9, 1]
                )[0]
            bookings.append(Booking(service=service, user=user, state=state, created_at=booked))
            if state == Booking.State.ATTENDED and rng.random() < 0.85:
                progress = (booked - since) / (now - since)  # 0 = first offered, 1 = today
                mean = base + trend * progress
                rating = max(1, min(5, round(rng.gauss(mean, 0.7))))
                comment = rng.choice(COMMENTS[rating]) if rng.random() < 0.3 else ""
                ratings.append(
                    Feedback(
                        service=service,
                        user=user,
                        rating=rating,
                        comment=comment,
                        rated_at=min(booked + rng.randint(1, 20) * day, now),
                    )
                )
    Booking.objects.bulk_create(bookings, batch_size=500)
    Feedback.objects.bulk_create(ratings, batch_size=500)
    if demo_member is not None and created:
        Booking.objects.filter(service=created[0], user=demo_member).delete()
        Booking.objects.create(
            service=created[0],
            user=demo_member,
            state=Booking.State.CONFIRMED,
            note="Wir suchen zwei Ingenieurinnen oder Ingenieure.",
        )

    # Annual member survey, open, with about 50 responses
    annual = Survey.objects.create(
        cluster=first,
        title=f"Jahresbefragung der Mitglieder {now.year}",
        title_en=f"Annual member survey {now.year}",
        kind=Survey.Kind.ANNUAL,
        introduction="Wie zufrieden sind Sie mit den Angeboten der Geschäftsstelle, und was "
        "brauchen Sie künftig? Die Befragung dauert etwa fünf Minuten.",
        introduction_en="How satisfied are you with what the cluster office offers, and what "
        "will you need in future? The survey takes about five minutes.",
        state=Survey.State.OPEN,
        opened_at=now - 21 * day,
        created_by=manager,
    )
    questions = Question.objects.bulk_create(
        [
            Question(survey=annual, position=1, kind="likert",
                     text="Die Angebote der Geschäftsstelle passen zu den Bedarfen meines "
                          "Unternehmens.",
                     text_en="The cluster office's offers meet the needs of my company."),
            Question(survey=annual, position=2, kind="likert",
                     text="Die Mitgliedschaft lohnt sich im Verhältnis zum Beitrag.",
                     text_en="Membership is worth its fee."),
            Question(survey=annual, position=3, kind="multiple", choices="\n".join(AREAS),
                     choices_en="\n".join(AREAS_EN),
                     text="Welche Servicebereiche sind für Sie künftig am wichtigsten?",
                     text_en="Which service areas will matter most to you in future?"),
            Question(survey=annual, position=4, kind="choice", choices="\n".join(FORMATS),
                     choices_en="\n".join(FORMATS_EN),
                     text="Wie nehmen Sie am liebsten an Veranstaltungen teil?",
                     text_en="How do you prefer to take part in events?"),
            Question(survey=annual, position=5, kind="text", required=False,
                     text="Welche Unterstützung fehlt Ihnen bisher?",
                     text_en="What support have you been missing so far?"),
        ]
    )  # fmt: skip
    answers = []
    respondents = members[:50]
    responses = Response.objects.bulk_create(
        Response(survey=annual, user=u, submitted_at=now - rng.randint(0, 20) * day)
        for u in respondents
    )
    for i, response in enumerate(responses):
        answers += [
            Answer(response=response, question=questions[0],
                   value=rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 8, 14, 9])[0]),
            Answer(response=response, question=questions[1],
                   value=rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 10, 12, 6])[0]),
            Answer(response=response, question=questions[2],
                   choices=rng.sample(AREAS, rng.randint(1, 3))),
            Answer(response=response, question=questions[3],
                   choices=[rng.choices(FORMATS, weights=[3, 4, 5])[0]]),
        ]  # fmt: skip
        if i % 5 == 0:
            answers.append(
                Answer(response=response, question=questions[4], text=NEEDS[i // 5 % len(NEEDS)])
            )
    Answer.objects.bulk_create(answers, batch_size=500)
    # One stated need has already become a service idea
    need = Answer.objects.filter(question=questions[4]).order_by("pk").first()
    if need is not None:
        with translation.override("de"):
            idea = idea_from_answer(need, manager, "Energie-Einkaufsgemeinschaft", "innovation")
        idea.target_group = "Energieintensive Mitgliedsunternehmen"
        idea.save(update_fields=["target_group"])

    # An evaluation after a service (draft) and a closed event rating
    evaluation = Survey.objects.create(
        cluster=first,
        title=f"Auswertung: {created[0].title}",
        title_en=f"Evaluation: {created[0].title_en or created[0].title}",
        kind=Survey.Kind.AFTER_SERVICE,
        service=created[0],
        state=Survey.State.DRAFT,
        created_by=manager,
    )
    Question.objects.bulk_create(
        [
            Question(survey=evaluation, position=1, kind="likert",
                     text="Der Service hat uns bei der Personalsuche geholfen.",
                     text_en="The service helped us find staff."),
            Question(survey=evaluation, position=2, kind="text", required=False,
                     text="Was sollen wir verbessern?", text_en="What should we improve?"),
        ]
    )  # fmt: skip
    event = Survey.objects.create(
        cluster=first,
        title="Bewertung: Online-Mitglieder-Café im Frühjahr",
        title_en="Rating: online member café in spring",
        kind=Survey.Kind.EVENT,
        event_title="Online-Mitglieder-Café, Thema Lieferketten",
        state=Survey.State.CLOSED,
        opened_at=now - 90 * day,
        closed_at=now - 60 * day,
        created_by=manager,
    )
    event_question = Question.objects.create(
        survey=event,
        position=1,
        kind="likert",
        text="Die Veranstaltung hat sich gelohnt.",
        text_en="The event was worth it.",
    )
    event_responses = Response.objects.bulk_create(
        Response(survey=event, user=u, submitted_at=now - 80 * day) for u in members[50:62]
    )
    Answer.objects.bulk_create(
        Answer(response=r, question=event_question, value=rng.choice([3, 4, 4, 5, 5]))
        for r in event_responses
    )
    log(
        f"Services: {Service.objects.count()} services ({len(library)} shared), "
        f"{len(bookings)} bookings, {len(ratings)} ratings, annual survey with "
        f"{len(responses)} responses"
    )
